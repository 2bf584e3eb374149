// A call or chat offered to the adviser: who it is from, and Answer.
import { useEffect, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import { callerLineWords } from './caller-line';
import { EarlierContactLine } from './EarlierContacts';
import type { LiveInteraction } from './live-interaction';

export function IncomingCall({
  desk,
  interaction,
  callerLine,
}: {
  desk: DeskBridge;
  interaction: LiveInteraction;
  /** The caller's number (null: withheld; undefined: not known to this desk). */
  callerLine?: string | null;
}) {
  const [answering, setAnswering] = useState(false);
  const [problem, setProblem] = useState<ResultError | null>(null);
  // A call routed from the queue rings here only while its offer lasts: when it runs out,
  // is taken on another desk, or the caller hangs up while queued, it stops ringing here.
  // Left ringing, Answer could only fail. It ends as a call missed here (nothing to
  // record); the desk says separately if routing changed the adviser's availability.
  useEffect(
    () =>
      desk.onCallOfferWithdrawn(({ callId }) => {
        if (callId === interaction.contactRef)
          interaction.send({ type: 'CUSTOMER_DISCONNECTED', by: 'network' });
      }),
    [desk, interaction],
  );
  const answer = async () => {
    setAnswering(true);
    setProblem(null);
    const result = await desk.answerCall({ callId: interaction.contactRef });
    setAnswering(false);
    if (result.ok) interaction.send({ type: 'ANSWER' });
    else setProblem(result.error);
  };
  return (
    <section role="region" aria-label="Incoming call" className="incoming-call">
      <h2>Incoming call</h2>
      <p className="incoming-call__from">
        From <strong>{callerLineWords(callerLine)}</strong>
      </p>
      <EarlierContactLine desk={desk} callId={interaction.contactRef} />
      {problem && (
        <p role="alert" className="notice notice--problem">
          Could not answer: {problem.message}
        </p>
      )}
      {/* Focused on arrival so Enter answers; the adviser is usually already on the keyboard. */}
      <button
        type="button"
        className="button button--primary"
        autoFocus
        disabled={answering}
        onClick={() => void answer()}
      >
        Answer
      </button>
    </section>
  );
}
