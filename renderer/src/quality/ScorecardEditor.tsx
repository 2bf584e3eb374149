// The reviewer's scorecard beside the replay. Items the record can answer
// come pre-filled with the reason and a button to the moment that shows it;
// the reviewer confirms or overrides (saying why), answers the judgement
// items by hand, comments on anything not met, and may pin any answer to the
// moment the replay is at. Saved (draft or publish) through the desk's
// outbox, so it can be written with the network down; a publish is checked
// here first by the same rules the server applies.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { DeskBridge, DeskReviewView } from '../../../shared/ipc/contract';
import { formItems, itemShown, type FormItem } from '../../../shared/quality/form';
import type { ReplayMomentRef } from '../../../shared/quality/moment';
import { draftAnswersFromPrefill, type PrefillProposal } from '../../../shared/quality/prefill';
import { publishProblems } from '../../../shared/quality/review';
import {
  isFailingAnswer,
  scoreReview,
  type AnswerValue,
  type ReviewAnswer,
  type ReviewProblem,
} from '../../../shared/quality/scoring';
import type { ReplayPosition } from '../history/HistoryReplay';
import { ukDateTime } from '../interaction/time-words';
import { AnswerControl } from './AnswerControl';
import { momentWords, percentWords } from './words';

interface Draft {
  value: AnswerValue | null;
  comment: string;
  moment: ReplayMomentRef | null;
}

type Drafts = Record<string, Draft>;

function draftsFrom(view: DeskReviewView): Drafts {
  const answers: readonly Pick<ReviewAnswer, 'itemId' | 'value' | 'comment' | 'moment'>[] =
    view.pending?.answers ??
    (view.answers.length > 0
      ? view.answers
      : view.prefill
        ? draftAnswersFromPrefill(view.prefill).map((answer) => ({
            itemId: answer.itemId,
            value: answer.value,
            comment: answer.comment ?? '',
            moment: answer.moment ?? null,
          }))
        : []);
  return Object.fromEntries(
    answers.map((answer) => [
      answer.itemId,
      { value: answer.value, comment: answer.comment, moment: answer.moment },
    ]),
  );
}

const itemAnchor = (itemId: string) => `scorecard-item-${itemId}`;

function Proposal({ proposal, position }: { proposal: PrefillProposal; position: ReplayPosition }) {
  return (
    <div className="scorecard-proposal">
      <p>
        <strong>
          From the record:{' '}
          {proposal.answer === null
            ? 'yours to judge'
            : proposal.answer === 'not_applicable'
              ? 'N/A'
              : proposal.answer === 'yes'
                ? 'Yes'
                : 'No'}
          .
        </strong>{' '}
        {proposal.reason}
      </p>
      {proposal.evidence.length > 0 && (
        <ul className="scorecard-evidence" aria-label="Evidence in the replay">
          {proposal.evidence.map((moment) => (
            <li key={`${moment.index}`}>
              <button
                type="button"
                className="button button--small"
                onClick={() => position.seekTo(moment.at)}
              >
                Go to {momentWords(moment.offsetMs)}: {moment.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ItemEditor({
  item,
  draft,
  proposal,
  problem,
  position,
  momentAt,
  onChange,
  disabled,
}: {
  item: FormItem;
  draft: Draft;
  proposal: PrefillProposal | undefined;
  problem: string | undefined;
  position: ReplayPosition;
  /** The replay's moment at the current position, to pin an answer to. */
  momentAt: () => ReplayMomentRef | null;
  onChange: (draft: Draft) => void;
  disabled: boolean;
}) {
  const commentId = useId();
  const overriding =
    proposal?.answer !== null &&
    proposal?.answer !== undefined &&
    draft.value !== null &&
    draft.value !== proposal.answer;
  const failing = draft.value !== null && isFailingAnswer(item, draft.value);
  const commentWords = failing
    ? 'Comment (needed: say why it was not met)'
    : overriding
      ? 'Comment (needed: say why you differ from the record)'
      : item.commentRequired === 'always'
        ? 'Comment (needed for this item, whatever the answer)'
        : 'Comment (optional)';
  return (
    <fieldset
      className={`scorecard-item${problem ? ' scorecard-item--problem' : ''}`}
      id={itemAnchor(item.id)}
      disabled={disabled}
    >
      <legend>
        {item.prompt}
        {item.mustPass && <span className="scorecard-must">Must pass</span>}
      </legend>
      <details className="scorecard-guidance">
        <summary>What to look for</summary>
        <p>{item.guidance}</p>
      </details>
      {proposal && <Proposal proposal={proposal} position={position} />}
      <AnswerControl
        item={item}
        name={`answer-${item.id}`}
        value={draft.value}
        invalid={problem !== undefined}
        onChange={(value) => onChange({ ...draft, value })}
      />
      <div className="field">
        <label htmlFor={commentId}>{commentWords}</label>
        <textarea
          id={commentId}
          rows={failing || overriding ? 2 : 1}
          maxLength={4000}
          value={draft.comment}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${commentId}-problem` : undefined}
          onChange={(event) => onChange({ ...draft, comment: event.target.value })}
        />
      </div>
      <div className="scorecard-pin">
        {draft.moment ? (
          <>
            <span className="scorecard-pin__label">Pinned:</span>
            <button
              type="button"
              className="button button--small"
              onClick={() => draft.moment && position.seekTo(draft.moment.at)}
            >
              Go to {momentWords(draft.moment.offsetMs)}
              <span className="visually-hidden">, the moment this answer is pinned to</span>
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => onChange({ ...draft, moment: null })}
            >
              Unpin
              <span className="visually-hidden"> from {momentWords(draft.moment.offsetMs)}</span>
            </button>
          </>
        ) : null}
        <button
          type="button"
          className="button button--small"
          onClick={() => onChange({ ...draft, moment: momentAt() })}
        >
          {draft.moment ? 'Pin here instead' : 'Pin to this moment'} (
          {momentWords(position.positionMs)})
          <span className="visually-hidden">: {item.prompt}</span>
        </button>
      </div>
      {problem && (
        <p id={`${commentId}-problem`} className="field__problem">
          {problem}
        </p>
      )}
    </fieldset>
  );
}

export function ScorecardEditor({
  desk,
  view,
  position,
  momentAt,
  onSaved,
}: {
  desk: DeskBridge;
  view: DeskReviewView;
  position: ReplayPosition;
  momentAt: () => ReplayMomentRef | null;
  /** After a save is queued: the screen fetches the review again to show where it stands. */
  onSaved: () => void;
}) {
  const { form, facts } = view;
  const [drafts, setDrafts] = useState<Drafts>(() => draftsFrom(view));
  const [problems, setProblems] = useState<ReviewProblem[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const status = useRef<HTMLParagraphElement>(null);
  const shown = useMemo(
    () => formItems(form).filter(({ item }) => itemShown(item, facts)),
    [form, facts],
  );
  const proposals = useMemo(
    () => new Map(view.prefill?.proposals.map((proposal) => [proposal.itemId, proposal])),
    [view.prefill],
  );
  // Once a publish is queued nothing more is written: the server keeps a
  // published review as it was, and would refuse a later save of it.
  const [queuedPublish, setQueuedPublish] = useState(false);
  const publishing =
    queuedPublish || (view.pending?.publish === true && view.pending.state === 'waiting');

  const answers: ReviewAnswer[] = shown.flatMap(({ item }) => {
    const draft = drafts[item.id];
    if (!draft || draft.value === null) return [];
    return [{ itemId: item.id, value: draft.value, comment: draft.comment, moment: draft.moment }];
  });
  const remaining = publishProblems(form, view.view.record, answers);
  const score = remaining.length === 0 ? scoreReview(form, answers, facts) : null;
  const problemFor = (itemId: string) =>
    problems?.find((problem) => problem.path === `answers.${itemId}`)?.message;

  useEffect(() => {
    if (problems && problems.length > 0) summary.current?.focus();
  }, [problems]);

  const save = async (publish: boolean) => {
    setMessage(null);
    if (publish) {
      if (remaining.length > 0) {
        setProblems(remaining);
        return;
      }
    }
    setProblems(null);
    setBusy(true);
    const answer = await desk.saveReview({ reviewId: view.review.id, answers, publish });
    setBusy(false);
    if (!answer.ok) {
      setMessage(`Not saved: ${answer.error.message}`);
    } else {
      if (publish) setQueuedPublish(true);
      setMessage(
        publish
          ? 'Published on this desk. It reaches the central server through the outbox, and the adviser sees it then.'
          : `Draft saved on this desk at ${ukDateTime(answer.value.savedAt)}.`,
      );
      onSaved();
    }
    requestAnimationFrame(() => status.current?.focus());
  };

  const goToItem = (itemId: string) => {
    const box = document.getElementById(itemAnchor(itemId));
    box?.scrollIntoView({ block: 'center' });
    box?.querySelector<HTMLElement>('input, textarea')?.focus();
  };

  return (
    <section className="scorecard" aria-labelledby="scorecard-heading">
      <h3 id="scorecard-heading">
        {form.title} <span className="quality-quiet">version {form.version}</span>
      </h3>
      {view.prefillProblem && (
        <p className="notice notice--problem">
          Nothing could be pre-filled from the record: {view.prefillProblem}
        </p>
      )}
      {view.pending && (
        <p
          className={`notice ${view.pending.state === 'failed' ? 'notice--problem' : 'notice--waiting'}`}
        >
          {view.pending.state === 'failed'
            ? `The central server refused your ${view.pending.publish ? 'publish' : 'draft'} of ${ukDateTime(view.pending.savedAt)}: ${view.pending.error ?? 'no reason given'}. Later saves of this review wait behind it on this desk.`
            : `Your ${view.pending.publish ? 'publish' : 'draft'} of ${ukDateTime(view.pending.savedAt)} is on this desk, waiting to reach the central server.`}
        </p>
      )}
      {problems && problems.length > 0 && (
        <div
          ref={summary}
          tabIndex={-1}
          role="alert"
          className="notice notice--problem scorecard-problems"
          aria-labelledby="scorecard-problems-heading"
        >
          <h4 id="scorecard-problems-heading">
            The review cannot be published yet:{' '}
            {problems.length === 1 ? 'one thing' : `${problems.length} things`} to put right
          </h4>
          <ul>
            {problems.map((problem) => {
              const itemId = problem.path.replace(/^answers\./, '');
              return (
                <li key={problem.path}>
                  <button type="button" className="link-button" onClick={() => goToItem(itemId)}>
                    {problem.message}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <form
        className="scorecard__items"
        aria-label="Scorecard"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void save(true);
        }}
      >
        {form.sections.map((section) => {
          const items = shown.filter((entry) => entry.section.id === section.id);
          if (items.length === 0) return null;
          return (
            <div key={section.id} className="scorecard-section">
              <h4>{section.title}</h4>
              {items.map(({ item }) => (
                <ItemEditor
                  key={item.id}
                  item={item}
                  draft={drafts[item.id] ?? { value: null, comment: '', moment: null }}
                  proposal={proposals.get(item.id)}
                  problem={problemFor(item.id)}
                  position={position}
                  momentAt={momentAt}
                  disabled={publishing}
                  onChange={(draft) => setDrafts((held) => ({ ...held, [item.id]: draft }))}
                />
              ))}
            </div>
          );
        })}
        <div className="scorecard-footer">
          <p className="scorecard-score" aria-live="polite">
            {score?.ok
              ? `Score: ${percentWords(score.value.percentage)} · must-pass: ${
                  score.value.critical.result === 'fail'
                    ? 'failed, so the review fails'
                    : score.value.critical.result === 'pass'
                      ? 'passed'
                      : 'none shown'
                }`
              : `${remaining.length === 1 ? 'One thing' : `${remaining.length} things`} to answer or explain before publishing.`}
          </p>
          <div className="scorecard-actions">
            <button
              type="button"
              className="button"
              disabled={busy || publishing}
              onClick={() => void save(false)}
            >
              Save draft
            </button>
            <button type="submit" className="button button--primary" disabled={busy || publishing}>
              Publish to the adviser
            </button>
          </div>
          {message && (
            <p ref={status} tabIndex={-1} role="status" className="scorecard-message">
              {message}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}
