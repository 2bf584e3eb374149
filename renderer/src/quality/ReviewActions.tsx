// From a history replay: a team leader starts a review of the interaction
// (outside the weekly sample), and an adviser asks for one of their own
// interactions to be reviewed; it is then always in that week's sample.
import { useId, useState, type FormEvent } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { flagInputSchema } from '../../../shared/wire/quality';
import { goTo, reviewHash } from '../history/route';
import { mayReviewQuality, receivesReviews } from './access';

function StartReview({ desk, interactionId }: { desk: DeskBridge; interactionId: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setBusy(true);
    setProblem(null);
    const answer = await desk.startReview({ interactionId });
    setBusy(false);
    if (answer.ok) goTo(reviewHash(answer.value.review.id));
    else setProblem(answer.error.message);
  };
  return (
    <>
      <button type="button" className="button" disabled={busy} onClick={() => void start()}>
        Review this interaction
      </button>
      {problem && (
        <p role="alert" className="field__problem">
          {problem}
        </p>
      )}
    </>
  );
}

function AskForReview({ desk, interactionId }: { desk: DeskBridge; interactionId: string }) {
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const id = useId();
  if (done) return <p role="status">Asked for: it will be in this week’s review sample.</p>;
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Ask for a review
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = flagInputSchema.safeParse({ interactionId, note });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Say what you would like looked at');
      document.getElementById(id)?.focus();
      return;
    }
    const answer = await desk.flagForReview(checked.data);
    if (answer.ok) setDone(true);
    else setProblem(answer.error.message);
  };
  return (
    <form className="quality-ask" noValidate onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={id}>What would you like a team leader to look at?</label>
        <textarea
          id={id}
          rows={2}
          maxLength={1000}
          value={note}
          autoFocus
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => setNote(event.target.value)}
        />
      </div>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="field__problem">
          {problem}
        </p>
      )}
      <button type="submit" className="button button--primary">
        Ask for a review
      </button>{' '}
      <button type="button" className="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

export function ReviewActions({
  desk,
  user,
  interactionId,
  adviserId,
}: {
  desk: DeskBridge;
  user: StaffMember;
  interactionId: string;
  adviserId: string;
}) {
  const own = adviserId === user.id;
  return (
    <>
      {mayReviewQuality(user) && !own && <StartReview desk={desk} interactionId={interactionId} />}
      {receivesReviews(user) && own && <AskForReview desk={desk} interactionId={interactionId} />}
    </>
  );
}
