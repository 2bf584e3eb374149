// A published review beside the replay, for whoever reads it: each answer
// with its comment and the moment it is pinned to (which moves the replay
// there), the score, and the versions. The adviser acknowledges it and may
// dispute items within the window; another team leader resolves each
// disputed item, and a resolution that changes an answer makes a new version.
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { findItem, formItems, itemShown, type FormItem } from '../../../shared/quality/form';
import { disputeOutcomes, type DisputeOutcome } from '../../../shared/quality/review';
import type { AnswerValue } from '../../../shared/quality/scoring';
import {
  disputeInputSchema,
  resolutionInputSchema,
  type Dispute,
  type ReviewView,
} from '../../../shared/wire/quality';
import type { ReplayPosition } from '../history/HistoryReplay';
import { ukDateTime } from '../interaction/time-words';
import { AnswerControl } from './AnswerControl';
import { answerWords, momentWords, outcomeWords, percentWords } from './words';

const outcomeLabel: Record<string, string> = {
  met: 'Met',
  partly: 'Partly met',
  not_met: 'Not met',
  not_applicable: 'N/A',
};

function ResolutionForm({
  desk,
  view,
  item,
  onResolved,
}: {
  desk: DeskBridge;
  view: ReviewView;
  item: FormItem;
  onResolved: (view: ReviewView) => void;
}) {
  const current = view.answers.find((answer) => answer.itemId === item.id);
  const [outcome, setOutcome] = useState<DisputeOutcome>('rejected');
  const [value, setValue] = useState<AnswerValue | null>(current?.value ?? null);
  // The reviewer's comment explained the old answer; the new one gets its own.
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = resolutionInputSchema.safeParse({
      outcome,
      reason,
      answer:
        outcome === 'rejected' || value === null
          ? null
          : { value, comment, moment: current?.moment ?? null },
    });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Check the resolution');
      document.getElementById(`${id}-reason`)?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    const answer = await desk.resolveDispute({
      id: view.review.id,
      itemId: item.id,
      resolution: checked.data,
    });
    setBusy(false);
    if (answer.ok) onResolved(answer.value);
    else
      setProblem(
        answer.error.issues?.map((issue) => issue.message).join(' ') ?? answer.error.message,
      );
  };

  return (
    <form
      className="quality-resolution"
      aria-label={`Resolve the dispute: ${item.prompt}`}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <fieldset>
        <legend>Your finding</legend>
        {disputeOutcomes.map((held) => (
          <label key={held} className="answer-choice">
            <input
              type="radio"
              name={`${id}-outcome`}
              value={held}
              checked={outcome === held}
              onChange={() => setOutcome(held)}
            />
            <span>
              {outcomeWords[held]}
              {held === 'rejected' ? ': the answer stands' : ': the answer changes'}
            </span>
          </label>
        ))}
      </fieldset>
      {outcome !== 'rejected' && (
        <fieldset>
          <legend>The answer it should have</legend>
          <AnswerControl item={item} name={`${id}-answer`} value={value} onChange={setValue} />
          <div className="field">
            <label htmlFor={`${id}-comment`}>Comment for the adviser</label>
            <textarea
              id={`${id}-comment`}
              rows={2}
              maxLength={4000}
              value={comment}
              onChange={(event) => setComment(event.target.value)}
            />
          </div>
        </fieldset>
      )}
      <div className="field">
        <label htmlFor={`${id}-reason`}>Why (the adviser and the reviewer read this)</label>
        <textarea
          id={`${id}-reason`}
          rows={2}
          maxLength={2000}
          value={reason}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="field__problem">
          {problem}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        Record the resolution
      </button>
    </form>
  );
}

function DisputeLine({ dispute }: { dispute: Dispute }) {
  return (
    <div className="quality-dispute">
      <p>
        <strong>Disputed</strong> by {dispute.raisedBy.name} on {ukDateTime(dispute.raisedAt)}: “
        {dispute.reason}”
      </p>
      {dispute.resolution ? (
        <p>
          <strong>{outcomeWords[dispute.resolution.outcome]}</strong> by{' '}
          {dispute.resolution.by.name} on {ukDateTime(dispute.resolution.at)}: “
          {dispute.resolution.reason}”
          {dispute.resolution.version !== null && ` (version ${dispute.resolution.version})`}
        </p>
      ) : (
        <p className="quality-quiet">Waiting for another team leader to resolve it.</p>
      )}
    </div>
  );
}

export function ScorecardView({
  desk,
  view,
  position,
  onChanged,
}: {
  desk: DeskBridge;
  view: ReviewView;
  position: ReplayPosition;
  onChanged: (view: ReviewView) => void;
}) {
  const { form, facts, score } = view;
  const shown = useMemo(
    () => formItems(form).filter(({ item }) => itemShown(item, facts)),
    [form, facts],
  );
  const [disputing, setDisputing] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const id = useId();
  const scoreOf = (itemId: string) => score?.items.find((held) => held.itemId === itemId);
  const openDisputes = view.disputes.filter((dispute) => dispute.resolution === null);
  const goToItem = (itemId: string) => {
    const box = document.getElementById(`${id}-${itemId}`)?.closest('li');
    box?.scrollIntoView({ block: 'start' });
    box?.querySelector<HTMLElement>('input, textarea, button')?.focus();
  };

  const finished = (next: ReviewView, words: string) => {
    onChanged(next);
    setDone(words);
    requestAnimationFrame(() => doneRef.current?.focus());
  };

  const acknowledge = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const answer = await desk.acknowledgeReview({
      id: view.review.id,
      acknowledgement: { comment },
    });
    setBusy(false);
    if (answer.ok) finished(answer.value, 'Acknowledged. The reviewer can see your comment.');
    else setProblem(answer.error.message);
  };

  const sendDispute = async () => {
    const checked = disputeInputSchema.safeParse({
      items: Object.entries(disputing).map(([itemId, reason]) => ({ itemId, reason })),
    });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Check the dispute');
      return;
    }
    setBusy(true);
    setProblem(null);
    const answer = await desk.disputeReview({ id: view.review.id, dispute: checked.data });
    setBusy(false);
    if (answer.ok) {
      setDisputing({});
      finished(answer.value, 'Dispute sent. Another team leader will resolve it.');
    } else setProblem(answer.error.message);
  };

  return (
    <section className="scorecard" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>
        {form.title} <span className="quality-quiet">version {form.version}</span>
      </h3>
      {score && (
        <p className={`quality-score ${score.passed ? '' : 'quality-score--fail'}`}>
          <strong>{percentWords(score.percentage)}</strong>
          {score.critical.result === 'fail'
            ? ' · a must-pass item was not met, so the review is a fail'
            : score.critical.result === 'pass'
              ? ' · must-pass items met'
              : ''}
          {view.review.version > 1 && ` · version ${view.review.version}`}
        </p>
      )}
      {done && (
        <p ref={doneRef} tabIndex={-1} role="status" className="notice notice--done">
          {done}
        </p>
      )}
      {openDisputes.length > 0 && (
        <div className="quality-disputed">
          <p>
            <strong>
              {openDisputes.length === 1 ? 'One item is' : `${openDisputes.length} items are`}{' '}
              disputed
            </strong>
            {view.may.resolve ? ': resolve each below.' : ', waiting for another team leader.'}
          </p>
          <ul>
            {openDisputes.map((dispute) => (
              <li key={dispute.itemId}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => goToItem(dispute.itemId)}
                >
                  {findItem(form, dispute.itemId)?.prompt ?? dispute.itemId}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ol className="scorecard-read">
        {shown.map(({ item, section }) => {
          const answer = view.answers.find((held) => held.itemId === item.id);
          const itemScore = scoreOf(item.id);
          const dispute = view.disputes.find((held) => held.itemId === item.id);
          const proposal = view.prefill?.proposals.find((held) => held.itemId === item.id);
          const reason = disputing[item.id];
          return (
            <li key={item.id} className="scorecard-item" aria-labelledby={`${id}-${item.id}`}>
              <p className="quality-quiet scorecard-read__section">{section.title}</p>
              <h4 id={`${id}-${item.id}`}>
                {item.prompt}
                {item.mustPass && <span className="scorecard-must">Must pass</span>}
              </h4>
              <p>
                <strong>{answerWords(item, answer?.value)}</strong>
                {itemScore && itemScore.outcome !== 'not_shown' && (
                  <span className={`quality-outcome quality-outcome--${itemScore.outcome}`}>
                    {outcomeLabel[itemScore.outcome]}
                  </span>
                )}
              </p>
              {answer?.comment && <p className="scorecard-read__comment">{answer.comment}</p>}
              {answer?.moment && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => answer.moment && position.seekTo(answer.moment.at)}
                >
                  Go to the pinned moment, {momentWords(answer.moment.offsetMs)}
                </button>
              )}
              {proposal && <p className="quality-quiet">From the record: {proposal.reason}</p>}
              {dispute && <DisputeLine dispute={dispute} />}
              {view.may.resolve && dispute && dispute.resolution === null && (
                <ResolutionForm
                  desk={desk}
                  view={view}
                  item={item}
                  onResolved={(next) => finished(next, 'Resolution recorded.')}
                />
              )}
              {view.may.dispute && answer && (
                <div className="quality-dispute-choice">
                  <label className="answer-choice">
                    <input
                      type="checkbox"
                      checked={reason !== undefined}
                      onChange={(event) =>
                        setDisputing((held) => {
                          const next = { ...held };
                          if (event.target.checked) next[item.id] = '';
                          else delete next[item.id];
                          return next;
                        })
                      }
                    />
                    <span>
                      Dispute this item<span className="visually-hidden">: {item.prompt}</span>
                    </span>
                  </label>
                  {reason !== undefined && (
                    <div className="field">
                      <label htmlFor={`${id}-${item.id}-reason`}>Why you disagree</label>
                      <textarea
                        id={`${id}-${item.id}-reason`}
                        rows={2}
                        maxLength={2000}
                        value={reason}
                        onChange={(event) =>
                          setDisputing((held) => ({ ...held, [item.id]: event.target.value }))
                        }
                      />
                    </div>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {problem && (
        <p role="alert" className="field__problem">
          {problem}
        </p>
      )}
      {view.may.dispute && Object.keys(disputing).length > 0 && (
        <div className="scorecard-actions">
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => void sendDispute()}
          >
            Send the dispute ({Object.keys(disputing).length}{' '}
            {Object.keys(disputing).length === 1 ? 'item' : 'items'})
          </button>
        </div>
      )}
      {view.may.dispute && view.disputeUntil && (
        <p className="quality-quiet">
          You may dispute items until {ukDateTime(view.disputeUntil)}. Another team leader decides.
        </p>
      )}
      {view.acknowledgement && (
        <p className="quality-quiet">
          Acknowledged (version {view.acknowledgement.version}) on{' '}
          {ukDateTime(view.acknowledgement.at)}
          {view.acknowledgement.comment ? `: “${view.acknowledgement.comment}”` : '.'}
        </p>
      )}
      {view.may.acknowledge && (
        <form
          className="quality-acknowledge"
          aria-label="Acknowledge the review"
          noValidate
          onSubmit={(event) => void acknowledge(event)}
        >
          <div className="field">
            <label htmlFor={`${id}-ack`}>Your comment (optional)</label>
            <textarea
              id={`${id}-ack`}
              rows={2}
              maxLength={2000}
              value={comment}
              onChange={(event) => setComment(event.target.value)}
            />
          </div>
          <button type="submit" className="button button--primary" disabled={busy}>
            Acknowledge
          </button>
        </form>
      )}
      {view.versions.length > 0 && (
        <details className="quality-versions" open={view.versions.length > 1}>
          <summary>Versions ({view.versions.length})</summary>
          <ol>
            {view.versions.map((version) => (
              <li key={version.version}>
                Version {version.version}:{' '}
                {version.kind === 'published' ? 'published' : 'changed by a resolution'} by{' '}
                {version.writtenBy.name} on {ukDateTime(version.writtenAt)},{' '}
                {percentWords(version.percentage)}
                {version.passed ? '' : ' (a must-pass item not met)'}
                {version.kind === 'resolution' && `: “${version.reason}”`}
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
