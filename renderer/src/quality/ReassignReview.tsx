// Passing a review still being written to another team leader, with why, and
// the record of every time it was passed on. The server decides who may
// (team leaders, never of a review of their own work) and to whom (another
// team leader who did not take the interaction); the desk offers only that.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  reassignInputSchema,
  type Reassignment,
  type ReviewerList,
  type ReviewView,
} from '../../../shared/wire/quality';
import { ukDateTime } from '../interaction/time-words';

export function ReassignmentHistory({ reassignments }: { reassignments: readonly Reassignment[] }) {
  if (reassignments.length === 0) return null;
  return (
    <ul className="quality-reassignments" aria-label="Passed between team leaders">
      {reassignments.map((held) => (
        <li key={`${held.at}:${held.to.id}`}>
          Passed from {held.from.name} to {held.to.name} by {held.by.name} on {ukDateTime(held.at)}:
          “{held.reason}”
        </li>
      ))}
    </ul>
  );
}

export function ReassignReview({
  desk,
  view,
  onMoved,
}: {
  desk: DeskBridge;
  view: ReviewView;
  onMoved: (view: ReviewView) => void;
}) {
  const [open, setOpen] = useState(false);
  const [leaders, setLeaders] = useState<ReviewerList['reviewers'] | null>(null);
  const [reviewerId, setReviewerId] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ reviewerId?: string; reason?: string; form?: string }>(
    {},
  );
  const [busy, setBusy] = useState(false);
  const id = useId();
  const { review } = view;

  useEffect(() => {
    if (!open || leaders) return;
    let current = true;
    void desk.listReviewers(null).then((answer) => {
      if (!current) return;
      if (answer.ok) setLeaders(answer.value.reviewers);
      else setProblems({ form: answer.error.message });
    });
    return () => {
      current = false;
    };
  }, [desk, open, leaders]);

  if (!open) {
    return (
      <button type="button" className="button button--small" onClick={() => setOpen(true)}>
        Pass to another team leader
      </button>
    );
  }

  // Never back to the one who has it, nor to the adviser whose work it is.
  const choices = (leaders ?? []).filter(
    (leader) => leader.id !== review.reviewer.id && leader.id !== review.adviser.id,
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = reassignInputSchema.safeParse({ reviewerId, reason });
    if (!checked.success) {
      const found: typeof problems = {};
      for (const issue of checked.error.issues) {
        const field = issue.path[0] === 'reviewerId' ? 'reviewerId' : 'reason';
        found[field] ??= issue.message;
      }
      setProblems(found);
      document.getElementById(`${id}-${found.reviewerId ? 'reviewer' : 'reason'}`)?.focus();
      return;
    }
    setBusy(true);
    const answer = await desk.reassignReview({ id: review.id, reassignment: checked.data });
    setBusy(false);
    if (!answer.ok) {
      const issue = answer.error.issues?.find((held) => held.path === 'reviewerId');
      setProblems(issue ? { reviewerId: issue.message } : { form: answer.error.message });
      return;
    }
    setOpen(false);
    setReason('');
    setProblems({});
    onMoved(answer.value);
  };

  return (
    <form
      className="quality-reassign"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={`${id}-heading`}>Pass the review to another team leader</h3>
      <p className="quality-quiet">
        The answers saved so far go with it; {review.reviewer.name} can no longer change it.
      </p>
      <div className="field">
        <label htmlFor={`${id}-reviewer`}>Team leader</label>
        <select
          id={`${id}-reviewer`}
          value={reviewerId}
          autoFocus
          aria-invalid={problems.reviewerId ? true : undefined}
          aria-describedby={problems.reviewerId ? `${id}-reviewer-problem` : undefined}
          onChange={(event) => setReviewerId(event.target.value)}
        >
          <option value="">{leaders ? 'Choose a team leader' : 'Loading team leaders…'}</option>
          {choices.map((leader) => (
            <option key={leader.id} value={leader.id}>
              {leader.name}
            </option>
          ))}
        </select>
        {problems.reviewerId && (
          <p id={`${id}-reviewer-problem`} className="field__problem">
            {problems.reviewerId}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Why it moves (both team leaders read this)</label>
        <textarea
          id={`${id}-reason`}
          rows={2}
          maxLength={2000}
          value={reason}
          aria-invalid={problems.reason ? true : undefined}
          aria-describedby={problems.reason ? `${id}-reason-problem` : undefined}
          onChange={(event) => setReason(event.target.value)}
        />
        {problems.reason && (
          <p id={`${id}-reason-problem`} className="field__problem">
            {problems.reason}
          </p>
        )}
      </div>
      {problems.form && (
        <p role="alert" className="notice notice--problem">
          {problems.form}
        </p>
      )}
      <div className="scorecard-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Pass it on
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
