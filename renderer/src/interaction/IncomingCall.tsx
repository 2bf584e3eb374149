// A call offered to the adviser: who it is from, Answer and Decline.
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
  const [busy, setBusy] = useState<'answering' | 'declining' | null>(null);
  const [problem, setProblem] = useState<{ doing: string; error: ResultError } | null>(null);
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
    setBusy('answering');
    setProblem(null);
    const result = await desk.answerCall({ callId: interaction.contactRef });
    setBusy(null);
    if (result.ok) interaction.send({ type: 'ANSWER' });
    else setProblem({ doing: 'answer', error: result.error });
  };
  // Declined, the call goes on to another adviser (server/socket/desks.ts) and ends here
  // as a call missed on this desk, as when its offer is withdrawn.
  const decline = async () => {
    setBusy('declining');
    setProblem(null);
    const result = await desk.declineCall({ callId: interaction.contactRef });
    setBusy(null);
    if (result.ok) interaction.send({ type: 'CUSTOMER_DISCONNECTED', by: 'network' });
    else setProblem({ doing: 'decline', error: result.error });
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
          Could not {problem.doing}: {problem.error.message}
        </p>
      )}
      <div className="incoming-call__actions">
        {/* Focused on arrival so Enter answers; the adviser is usually already on the keyboard. */}
        <button
          type="button"
          className="button button--primary"
          autoFocus
          disabled={busy !== null}
          onClick={() => void answer()}
        >
          Answer
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => void decline()}
        >
          Decline
        </button>
      </div>
    </section>
  );
}
