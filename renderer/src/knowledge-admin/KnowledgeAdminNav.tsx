// The desk's way to the knowledge network's authoring and review: "New article"
// for everyone (advisers write in quiet periods) and "Knowledge review" for team
// leaders and knowledge editors. Each opens over the desk, so a live interaction
// underneath keeps its state; Escape or Close returns to it.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Role, StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { ArticleForm } from './ArticleForm';
import { blankArticleForm } from './article-form';
import { KnowledgeReview } from './KnowledgeReview';
import './knowledge-admin.css';

/** Who decides on drafts; the server holds the same rule and is the one that enforces it. */
const reviewerRoles: readonly Role[] = ['team_leader', 'knowledge_editor'];
export const isKnowledgeReviewer = (user: StaffMember) =>
  user.roles.some((role) => reviewerRoles.includes(role));

type Screen = 'new-article' | 'review';
const screenTitles: Record<Screen, string> = {
  'new-article': 'New article',
  review: 'Knowledge review',
};

const today = () => new Date().toISOString().slice(0, 10);

export function KnowledgeAdminNav({ desk, user }: { desk: DeskBridge; user: StaffMember }) {
  const [screen, setScreen] = useState<Screen | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  // A new form each time the screen opens, so a cancelled article is not half there next time.
  const [formKey, setFormKey] = useState(0);
  const opener = useRef<HTMLButtonElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (screen) heading.current?.focus();
  }, [screen, sent]);

  const open = (next: Screen, button: HTMLButtonElement) => {
    opener.current = button;
    setSent(null);
    setFormKey((key) => key + 1);
    setScreen(next);
  };
  const close = () => {
    setScreen(null);
    opener.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    close();
  };

  return (
    <nav className="knowledge-admin-nav" aria-label="Knowledge network">
      <button
        type="button"
        className="button"
        onClick={(event) => open('new-article', event.currentTarget)}
      >
        New article
      </button>
      {isKnowledgeReviewer(user) && (
        <button
          type="button"
          className="button"
          onClick={(event) => open('review', event.currentTarget)}
        >
          Knowledge review
        </button>
      )}
      {screen && (
        <div
          className="knowledge-admin"
          role="dialog"
          aria-modal="true"
          aria-labelledby="knowledge-admin-heading"
          onKeyDown={onKeyDown}
        >
          <div className="knowledge-admin__header">
            <h2 id="knowledge-admin-heading" ref={heading} tabIndex={-1}>
              {screenTitles[screen]}
            </h2>
            <button type="button" className="button" onClick={close}>
              Close
            </button>
          </div>
          {screen === 'review' && <KnowledgeReview desk={desk} user={user} />}
          {screen === 'new-article' &&
            (sent ? (
              <div>
                <p role="status">
                  “{sent}” is saved on this desk and queued for review. It reaches the central
                  server as soon as the desk is connected, and is published once a team leader or
                  knowledge editor approves it.
                </p>
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setSent(null);
                    setFormKey((key) => key + 1);
                  }}
                >
                  Write another article
                </button>
              </div>
            ) : (
              <ArticleForm
                key={formKey}
                desk={desk}
                mode="new"
                initial={blankArticleForm(today())}
                baseVersion={null}
                onSubmitted={(draft) => setSent(draft.title)}
                onCancel={close}
              />
            ))}
        </div>
      )}
    </nav>
  );
}
