// Knowledge review, for team leaders and knowledge editors: drafts awaiting
// review, each with its author by name, its whole body as advisers will read
// it, and what changed (and, for a draft in conflict, what was published
// since the author's copy), approve or reject with a reason; and the articles
// past their review-by date, each of which may be retired. All of it is the
// central server's to decide, so it needs the desk to be connected.
import { useEffect, useId, useState } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { KnowledgeArticle } from '../../../shared/knowledge/article';
import type { KnowledgeDraft, ReviewDueArticle } from '../../../shared/wire/knowledge';
import { ArticleBody } from '../knowledge/ArticleView';
import { openCheckedLink } from '../knowledge/external-links';
import { DraftComparison, type ComparedCopy } from './DraftComparison';

export interface KnowledgeReviewProps {
  desk: DeskBridge;
  user: StaffMember;
}

type Loaded<T> =
  { state: 'loading' } | { state: 'ready'; items: T[] } | { state: 'problem'; message: string };

/** The copies a reviewer compares for one draft. */
export function copiesToCompare(
  draft: KnowledgeDraft,
  deskCopy: KnowledgeArticle | null,
): ComparedCopy[] {
  if (draft.conflict) {
    return [
      { label: 'Author’s starting copy', content: draft.conflict.base },
      {
        label: `Published now (version ${draft.conflict.currentVersion})`,
        content: draft.conflict.current,
      },
      { label: 'Draft', content: draft.content },
    ];
  }
  // No conflict: the desk's copy is the one the author started from, once the desk has caught up.
  if (draft.baseVersion !== null && deskCopy && deskCopy.version === draft.baseVersion) {
    return [
      { label: `Published (version ${deskCopy.version})`, content: deskCopy },
      { label: 'Draft', content: draft.content },
    ];
  }
  return [{ label: 'Draft', content: draft.content }];
}

export function DraftCard({
  desk,
  draft,
  user,
  onDecided,
}: {
  desk: DeskBridge;
  draft: KnowledgeDraft;
  user: StaffMember;
  onDecided: (message: string) => void;
}) {
  const [deskCopy, setDeskCopy] = useState<KnowledgeArticle | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [linkProblem, setLinkProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const own = draft.authorId === user.id;
  const author = own ? 'you' : (draft.authorName ?? 'an author this server no longer knows');
  const openLink = (url: string) => {
    setLinkProblem(null);
    void openCheckedLink(desk, url).then((why) => setLinkProblem(why?.message ?? null));
  };

  useEffect(() => {
    if (draft.baseVersion === null || draft.conflict) return;
    let live = true;
    void desk.openArticle({ id: draft.articleId }).then((result) => {
      if (live && result.ok) setDeskCopy(result.value);
    });
    return () => {
      live = false;
    };
  }, [desk, draft]);

  const approve = async () => {
    setBusy(true);
    setProblem(null);
    const result = await desk.approveKnowledgeDraft({
      draftId: draft.draftId,
      acknowledgeConflict: draft.conflict !== null && acknowledged,
      ...(draft.conflict ? { currentVersion: draft.conflict.currentVersion } : {}),
    });
    setBusy(false);
    if (result.ok)
      onDecided(`Published “${result.value.title}” as version ${result.value.version}.`);
    else setProblem(result.error.message);
  };

  const reject = async () => {
    if (reason.trim() === '') {
      setProblem('Give the author a reason for the rejection.');
      return;
    }
    setBusy(true);
    setProblem(null);
    const result = await desk.rejectKnowledgeDraft({ draftId: draft.draftId, reason });
    setBusy(false);
    if (result.ok) onDecided(`Rejected the draft of “${draft.content.title}”.`);
    else setProblem(result.error.message);
  };

  const headingId = `${ids}-heading`;
  return (
    <article className="draft" aria-labelledby={headingId}>
      <h4 id={headingId}>{draft.content.title}</h4>
      <p className="draft__meta">
        {draft.baseVersion === null ? 'New article' : `Edit of version ${draft.baseVersion}`} ·{' '}
        <code>{draft.articleId}</code> · by {author} · submitted{' '}
        {draft.submittedAt.slice(0, 16).replace('T', ' ')} UTC
      </p>
      {draft.note && <p className="draft__note">Author’s note: {draft.note}</p>}
      {draft.conflict && (
        <p className="notice notice--problem">
          <strong>Conflict:</strong> the article was published again (version{' '}
          {draft.conflict.currentVersion}) after the copy this draft started from. Compare the three
          copies below; approving publishes the draft over what is published now.
        </p>
      )}
      <DraftComparison copies={copiesToCompare(draft, deskCopy)} />
      {/* The whole body, as the article view will show it once published; its source below. */}
      <section className="draft__body" aria-labelledby={`${ids}-body`}>
        <h5 id={`${ids}-body`}>The draft’s body, as advisers will read it</h5>
        {linkProblem && (
          <p role="alert" className="notice notice--problem">
            That link was not opened: {linkProblem}
          </p>
        )}
        <ArticleBody markdown={draft.content.body} onOpenLink={openLink} headingLevel={6} />
        <details className="draft__source">
          <summary>The body as written (Markdown)</summary>
          <pre>{draft.content.body}</pre>
        </details>
      </section>
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem}
        </p>
      )}
      {own ? (
        <p className="draft__own">Your own draft: someone else reviews it.</p>
      ) : (
        <div className="draft__decision">
          {draft.conflict && (
            <label className="draft__acknowledge">
              <input
                type="checkbox"
                checked={acknowledged}
                onChange={(event) => setAcknowledged(event.target.checked)}
              />{' '}
              I have compared the draft with the copy published now
            </label>
          )}
          <button
            type="button"
            className="button button--primary"
            disabled={busy || (draft.conflict !== null && !acknowledged)}
            onClick={() => void approve()}
          >
            Approve and publish
          </button>
          <label htmlFor={`${ids}-reason`}>Reason for rejecting</label>
          <textarea
            id={`${ids}-reason`}
            rows={2}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          <button type="button" className="button" disabled={busy} onClick={() => void reject()}>
            Reject
          </button>
        </div>
      )}
    </article>
  );
}

function ReviewDueItem({
  desk,
  item,
  onRetired,
}: {
  desk: DeskBridge;
  item: ReviewDueArticle;
  onRetired: (message: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const reasonId = useId();
  const retire = async () => {
    if (reason.trim() === '') {
      setProblem('Say why the article is retired.');
      return;
    }
    setProblem(null);
    const result = await desk.retireKnowledgeArticle({ articleId: item.id, reason });
    if (result.ok) onRetired(`Retired “${item.title}”.`);
    else setProblem(result.error.message);
  };
  return (
    <li>
      <strong>{item.title}</strong> (<code>{item.id}</code>, version {item.version}): review by{' '}
      {item.reviewBy}, {item.daysOverdue === 0 ? 'due today' : `${item.daysOverdue} days overdue`}
      <details className="review-due__retire">
        <summary>Retire this article</summary>
        <label htmlFor={reasonId}>Reason for retiring</label>
        <input id={reasonId} value={reason} onChange={(event) => setReason(event.target.value)} />
        <button type="button" className="button" onClick={() => void retire()}>
          Retire
        </button>
        {problem && (
          <p role="alert" className="notice notice--problem">
            {problem}
          </p>
        )}
      </details>
    </li>
  );
}

export function KnowledgeReview({ desk, user }: KnowledgeReviewProps) {
  const [drafts, setDrafts] = useState<Loaded<KnowledgeDraft>>({ state: 'loading' });
  const [due, setDue] = useState<Loaded<ReviewDueArticle>>({ state: 'loading' });
  const [message, setMessage] = useState<string | null>(null);

  // Bumped to load both lists again (after a decision, or Refresh).
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    void Promise.all([
      desk.knowledgeDraftsAwaitingReview(null),
      desk.knowledgeReviewDue(null),
    ]).then(([draftAnswer, dueAnswer]) => {
      if (!live) return;
      setDrafts(
        draftAnswer.ok
          ? { state: 'ready', items: draftAnswer.value.items }
          : { state: 'problem', message: draftAnswer.error.message },
      );
      setDue(
        dueAnswer.ok
          ? { state: 'ready', items: dueAnswer.value.items }
          : { state: 'problem', message: dueAnswer.error.message },
      );
    });
    return () => {
      live = false;
    };
  }, [desk, generation]);

  const reload = () => {
    setDrafts({ state: 'loading' });
    setDue({ state: 'loading' });
    setGeneration((current) => current + 1);
  };

  const decided = (text: string) => {
    setMessage(text);
    reload();
  };

  return (
    <div className="knowledge-review">
      <p role="status" className="knowledge-review__message">
        {message}
      </p>
      <button type="button" className="button button--small" onClick={reload}>
        Refresh
      </button>
      <section aria-label="Drafts awaiting review">
        <h3>Drafts awaiting review</h3>
        {drafts.state === 'loading' && <p>Loading drafts…</p>}
        {drafts.state === 'problem' && (
          <p role="alert" className="notice notice--problem">
            The drafts could not be loaded: {drafts.message}
          </p>
        )}
        {drafts.state === 'ready' && drafts.items.length === 0 && <p>No drafts are waiting.</p>}
        {drafts.state === 'ready' &&
          drafts.items.map((draft) => (
            <DraftCard
              key={draft.draftId}
              desk={desk}
              draft={draft}
              user={user}
              onDecided={decided}
            />
          ))}
      </section>
      <section aria-label="Articles due for review">
        <h3>Articles due for review</h3>
        {due.state === 'loading' && <p>Loading…</p>}
        {due.state === 'problem' && (
          <p role="alert" className="notice notice--problem">
            The review-due list could not be loaded: {due.message}
          </p>
        )}
        {due.state === 'ready' && due.items.length === 0 && (
          <p>No published article is past its review-by date.</p>
        )}
        {due.state === 'ready' && due.items.length > 0 && (
          <ul aria-label="Articles past their review-by date">
            {due.items.map((item) => (
              <ReviewDueItem key={item.id} desk={desk} item={item} onRetired={decided} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
