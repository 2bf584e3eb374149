// The caller's earlier interactions with the service, beside a call: on the
// incoming-call card a one-line summary (so the adviser answers knowing this
// is a returning caller), and during the call what was found and agreed each
// time and the follow-up booked. The server matches the caller's number and
// redacts what it sends; a withheld number matches nothing.
import { useEffect, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { currentStatusLabels } from '../../../shared/interaction/taxonomy';
import type { ResultError } from '../../../shared/result';
import type { EarlierInteractions } from '../../../shared/wire/history';
import { ukDateTime } from './time-words';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; error: ResultError }
  | { state: 'shown'; earlier: EarlierInteractions };

const methodWords = { phone: 'phone call', text: 'text message', email: 'email' } as const;
const channelWords = { voice: 'call', webchat: 'web chat' } as const;

export function useEarlierInteractions(desk: DeskBridge, callId: string): Loaded {
  const [answered, setAnswered] = useState<{ callId: string; loaded: Loaded } | null>(null);
  useEffect(() => {
    let current = true;
    void desk.earlierInteractions({ callId }).then((answer) => {
      if (!current) return;
      setAnswered({
        callId,
        loaded: answer.ok
          ? { state: 'shown', earlier: answer.value }
          : { state: 'failed', error: answer.error },
      });
    });
    return () => {
      current = false;
    };
  }, [desk, callId]);
  return answered?.callId === callId ? answered.loaded : { state: 'loading' };
}

/** One line in words: how often and how lately the caller has been in touch. */
export function earlierSummary(earlier: EarlierInteractions): string {
  if (!earlier.identified) return 'Number withheld: earlier contact cannot be matched.';
  const [latest] = earlier.items;
  if (!latest) return 'No earlier contact from this number.';
  const count = earlier.items.length;
  const times = count === 1 ? 'Once before' : `${count} times before`;
  const followUp = latest.followUp
    ? `; follow-up booked for ${ukDateTime(latest.followUp.slotStart)} by ${methodWords[latest.followUp.contactMethod]}`
    : '';
  return `${times}, last on ${ukDateTime(latest.completedAt)} with ${latest.adviserName}${followUp}.`;
}

/** The incoming-call card's line. */
export function EarlierContactLine({ desk, callId }: { desk: DeskBridge; callId: string }) {
  const loaded = useEarlierInteractions(desk, callId);
  return (
    <p className="earlier-line" aria-live="polite">
      {loaded.state === 'loading' && 'Looking for earlier contact…'}
      {loaded.state === 'failed' && `Earlier contact not available: ${loaded.error.message}`}
      {loaded.state === 'shown' && earlierSummary(loaded.earlier)}
    </p>
  );
}

/** During the call: each earlier interaction, newest first, opened one at a time. */
export function EarlierContacts({ desk, callId }: { desk: DeskBridge; callId: string }) {
  const loaded = useEarlierInteractions(desk, callId);
  return (
    <section className="earlier" aria-labelledby={`earlier-${callId}`}>
      <h3 id={`earlier-${callId}`} className="earlier__heading">
        Earlier contact
      </h3>
      {loaded.state === 'loading' && <p role="status">Looking for earlier contact…</p>}
      {loaded.state === 'failed' && (
        <p className="earlier__quiet">Not available: {loaded.error.message}</p>
      )}
      {loaded.state === 'shown' && loaded.earlier.items.length === 0 && (
        <p className="earlier__quiet">{earlierSummary(loaded.earlier)}</p>
      )}
      {loaded.state === 'shown' && loaded.earlier.items.length > 0 && (
        <ol className="earlier__list">
          {loaded.earlier.items.map((item) => (
            <li key={item.id}>
              <details>
                <summary>
                  {ukDateTime(item.completedAt)}, {channelWords[item.channel]} with{' '}
                  {item.adviserName}
                  {item.startingStatus && ` · ${currentStatusLabels[item.startingStatus]}`}
                  {item.safeguardingRaised && ' · safeguarding concern raised'}
                </summary>
                {item.withinRemit === false && <p>Outside the service’s remit: signposted.</p>}
                {item.mainPoints && <p>{item.mainPoints}</p>}
                {item.actions.length > 0 && (
                  <>
                    <p className="earlier__label">Agreed</p>
                    <ul>
                      {item.actions.map((action, index) => (
                        <li key={index}>
                          {action.description} ({action.owner === 'customer' ? 'them' : 'adviser'}
                          {action.due ? `, by ${action.due}` : ''})
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                <p>
                  {item.followUp
                    ? `Follow-up booked for ${ukDateTime(item.followUp.slotStart)} by ${methodWords[item.followUp.contactMethod]}.`
                    : 'No follow-up booked.'}
                </p>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
