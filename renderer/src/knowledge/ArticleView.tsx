// One knowledge article, read during a call: its Markdown rendered with raw
// HTML skipped and images shown as their description, every link sent through
// the desk's link check, contact details for a service, its sources, and
// "Add to action plan", and for a live chat "Send link in chat".
import { useId, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import Markdown, { type Components } from 'react-markdown';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { KnowledgeArticle, ReviewState } from '../../../shared/knowledge/article';
import { articleLinkFor, chatTextForLink } from '../../../shared/knowledge/public-link';
import { ArticleEditor } from '../knowledge-admin/ArticleEditor';
import { kindWords, regionWords, topicWords } from './knowledge-words';

export interface ArticleViewProps {
  article: KnowledgeArticle;
  reviewState: ReviewState;
  /** True when the article is already among the action plan's resources. */
  inPlan: boolean;
  /** Null when the interaction can no longer take resources (it was missed or completed). */
  onAddToPlan: (() => void) | null;
  onOpenLink: (url: string) => void;
  onBack: () => void;
  /** The words of the button that calls onBack ("Back to results" unless given). */
  backLabel?: string;
  /** Why the last link was not opened, if it was not. */
  linkProblem: string | null;
  /** The desk API an edit is queued through; without it the view offers no "Edit article". */
  authoring?: DeskBridge;
  /**
   * Sends a message in the live chat, answering why it was not sent (or null);
   * absent for a voice call or a chat that has ended.
   */
  onSendInChat?: (text: string) => Promise<string | null>;
}

/**
 * What "Send link in chat" sends: the article's title and public page, made
 * where every document for the young person is made (shared/knowledge/public-link.ts).
 * Null when the article has no public page that passes the link check.
 */
export function chatLinkFor(article: KnowledgeArticle): string | null {
  return chatTextForLink(articleLinkFor(article));
}

function SendInChat({
  message,
  send,
}: {
  message: string;
  send: (text: string) => Promise<string | null>;
}) {
  const [state, setState] = useState<'idle' | 'sending' | 'sent'>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  const click = async () => {
    setState('sending');
    const why = await send(message);
    setProblem(why);
    setState(why ? 'idle' : 'sent');
  };
  return (
    <>
      <button
        type="button"
        className="button"
        aria-disabled={state === 'sending'}
        onClick={() => {
          if (state !== 'sending') void click();
        }}
      >
        Send link in chat
      </button>
      <span role="status" className="knowledge__sent">
        {state === 'sent' ? 'Link sent in the chat.' : ''}
      </span>
      {problem && (
        <p role="alert" className="notice notice--problem">
          The link was not sent: {problem}
        </p>
      )}
    </>
  );
}

/** A link that never navigates by itself: the desk checks it, then opens it outside the desk. */
function ExternalLink({
  href,
  onOpenLink,
  children,
}: {
  href: string | undefined;
  onOpenLink: (url: string) => void;
  children: ReactNode;
}) {
  // react-markdown empties unsafe URLs (javascript: and the like); those stay plain text.
  if (!href) return <span>{children}</span>;
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    onOpenLink(href);
  };
  return (
    <a
      href={href}
      rel="noopener noreferrer"
      onClick={open}
      // A middle click would open a tab without the check.
      onAuxClick={(event) => event.preventDefault()}
    >
      {children}
      <span className="visually-hidden"> (opens outside the desk)</span>
    </a>
  );
}

/**
 * An article's Markdown as the desk shows it: raw HTML skipped, images as their
 * description, its headings under the article's title, every link through the
 * desk's check. The article view and the review screen both show a body with it.
 */
export function ArticleBody({
  markdown,
  onOpenLink,
  headingLevel = 4,
}: {
  markdown: string;
  onOpenLink: (url: string) => void;
  /** The level the body's own top headings take, under whatever heading names the body. */
  headingLevel?: 4 | 5 | 6;
}) {
  const Top = `h${headingLevel}` as const;
  const Sub = `h${Math.min(6, headingLevel + 1) as 5 | 6}` as const;
  const components: Components = {
    a: ({ href, children }) => (
      <ExternalLink href={href} onOpenLink={onOpenLink}>
        {children}
      </ExternalLink>
    ),
    // No remote images in the desk: the description is what the adviser needs mid-call.
    img: ({ alt }) => <span className="knowledge__image">[Image: {alt || 'no description'}]</span>,
    // The article's own headings sit under the article title.
    h1: ({ children }) => <Top>{children}</Top>,
    h2: ({ children }) => <Top>{children}</Top>,
    h3: ({ children }) => <Sub>{children}</Sub>,
  };
  return (
    <div className="knowledge__body">
      <Markdown skipHtml components={components}>
        {markdown}
      </Markdown>
    </div>
  );
}

export function ArticleView({
  article,
  reviewState,
  inPlan,
  onAddToPlan,
  onOpenLink,
  onBack,
  backLabel = 'Back to results',
  linkProblem,
  authoring,
  onSendInChat,
}: ArticleViewProps) {
  const [editing, setEditing] = useState(false);
  // Unique per view: the live desk's panel stays mounted under the Knowledge area, and may show the same article.
  const headingId = `${useId()}article-heading`;
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onBack();
  };

  if (editing && authoring) {
    return <ArticleEditor desk={authoring} article={article} onClose={() => setEditing(false)} />;
  }

  return (
    <article className="knowledge__article" aria-labelledby={headingId} onKeyDown={onKeyDown}>
      <button type="button" className="button button--small" onClick={onBack}>
        {backLabel}
      </button>
      <h3 id={headingId} tabIndex={-1} data-knowledge-article-heading="">
        {article.title}
      </h3>
      {reviewState === 'overdue' && (
        <p className="knowledge__overdue">
          <strong>Overdue for review</strong> since {article.reviewBy}: check the facts with the
          sources before relying on them.
        </p>
      )}
      <p className="knowledge__meta">
        {kindWords[article.kind]} · {regionWords[article.region]} ·{' '}
        {article.topics.map((topic) => topicWords[topic]).join(', ')}
      </p>
      {(onAddToPlan || inPlan) && (
        <div className="knowledge__plan">
          {/* One button throughout, so keyboard focus stays on it once the article is added. */}
          <button
            type="button"
            className={inPlan ? 'button' : 'button button--primary'}
            aria-disabled={inPlan}
            onClick={() => {
              if (!inPlan) onAddToPlan?.();
            }}
          >
            {inPlan ? 'In the action plan' : 'Add to action plan'}
          </button>
        </div>
      )}
      {onSendInChat && chatLinkFor(article) !== null && (
        <div className="knowledge__plan">
          <SendInChat message={chatLinkFor(article) ?? ''} send={onSendInChat} />
        </div>
      )}
      <p className="knowledge__summary">{article.summary}</p>
      {article.contact && (
        <dl className="knowledge__contact" aria-label="How to contact this service">
          {article.contact.phone && (
            <>
              <dt>Phone</dt>
              <dd>{article.contact.phone}</dd>
            </>
          )}
          {article.contact.text && (
            <>
              <dt>Text</dt>
              <dd>{article.contact.text}</dd>
            </>
          )}
          {article.contact.email && (
            <>
              <dt>Email</dt>
              <dd>{article.contact.email}</dd>
            </>
          )}
          {article.contact.website && (
            <>
              <dt>Website</dt>
              <dd>
                <ExternalLink href={article.contact.website} onOpenLink={onOpenLink}>
                  {article.contact.website}
                </ExternalLink>
              </dd>
            </>
          )}
          {article.openingHours && (
            <>
              <dt>Opening hours</dt>
              <dd>{article.openingHours}</dd>
            </>
          )}
        </dl>
      )}
      {linkProblem && (
        <p role="alert" className="notice notice--problem">
          That link was not opened: {linkProblem}
        </p>
      )}
      <ArticleBody markdown={article.body} onOpenLink={onOpenLink} />
      <h4>Sources</h4>
      <ul aria-label="Sources">
        {article.sources.map((source) => (
          <li key={source.url}>
            <ExternalLink href={source.url} onOpenLink={onOpenLink}>
              {source.title}
            </ExternalLink>
          </li>
        ))}
      </ul>
      <p className="knowledge__reviewed">
        Last reviewed {article.lastReviewed}; review by {article.reviewBy}.
      </p>
      {authoring && (
        <button type="button" className="button button--small" onClick={() => setEditing(true)}>
          Edit article
        </button>
      )}
    </article>
  );
}
