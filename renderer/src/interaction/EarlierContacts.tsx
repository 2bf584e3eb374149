// The caller's earlier interactions with the service, beside a call or chat:
// on the incoming-call card a one-line summary (so the adviser answers knowing
// this is a returning caller), and during the interaction what was found and
// agreed each time and the follow-up booked. The server matches the caller's
// number, or the device a chat customer asked to be remembered, and redacts
// what it sends; a withheld number or a device not remembered matches nothing.
import { useEffect, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { Channel } from '../../../shared/interaction/record';
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

/** The call or chat whose earlier contacts are wanted. */
export type EarlierContactRef = { callId: string } | { chatId: string };

export function useEarlierInteractions(desk: DeskBridge, contact: EarlierContactRef): Loaded {
  // By value, not by object: a caller may make a new reference each render.
  const callId = 'callId' in contact ? contact.callId : null;
  const chatId = 'chatId' in contact ? contact.chatId : null;
  const key = callId ?? chatId;
  const [answered, setAnswered] = useState<{ key: string | null; loaded: Loaded } | null>(null);
  useEffect(() => {
    let current = true;
    const asked: EarlierContactRef = callId !== null ? { callId } : { chatId: chatId ?? '' };
    void desk.earlierInteractions(asked).then((answer) => {
      if (!current) return;
      setAnswered({
        key: callId ?? chatId,
        loaded: answer.ok
          ? { state: 'shown', earlier: answer.value }
          : { state: 'failed', error: answer.error },
      });
    });
    return () => {
      current = false;
    };
  }, [desk, callId, chatId]);
  return answered?.key === key ? answered.loaded : { state: 'loading' };
}

/** One line in words: how often and how lately the caller has been in touch. */
export function earlierSummary(earlier: EarlierInteractions, channel: Channel = 'voice'): string {
  if (!earlier.identified) {
    return channel === 'voice'
      ? 'Number withheld: earlier contact cannot be matched.'
      : 'This device is not remembered: earlier chats cannot be matched.';
  }
  const [latest] = earlier.items;
  if (!latest) {
    return channel === 'voice'
      ? 'No earlier contact from this number.'
      : 'No earlier chats from this device.';
  }
  const count = earlier.items.length;
  const times = count === 1 ? 'Once before' : `${count} times before`;
  const followUp = latest.followUp
    ? `; follow-up booked for ${ukDateTime(latest.followUp.slotStart)} by ${methodWords[latest.followUp.contactMethod]}`
    : '';
  return `${times}, last on ${ukDateTime(latest.completedAt)} with ${latest.adviserName}${followUp}.`;
}

/** The incoming-call card's line. */
export function EarlierContactLine({ desk, callId }: { desk: DeskBridge; callId: string }) {
  const loaded = useEarlierInteractions(desk, { callId });
  return (
    <p className="earlier-line" aria-live="polite">
      {loaded.state === 'loading' && 'Looking for earlier contact…'}
      {loaded.state === 'failed' && `Earlier contact not available: ${loaded.error.message}`}
      {loaded.state === 'shown' && earlierSummary(loaded.earlier)}
    </p>
  );
}

/** During the call or chat: each earlier interaction, newest first, opened one at a time. */
export function EarlierContacts({
  desk,
  contact,
}: {
  desk: DeskBridge;
  contact: EarlierContactRef;
}) {
  const loaded = useEarlierInteractions(desk, contact);
  const channel: Channel = 'callId' in contact ? 'voice' : 'webchat';
  const headingId =
    'callId' in contact ? `earlier-call-${contact.callId}` : `earlier-chat-${contact.chatId}`;
  return (
    <section className="earlier" aria-labelledby={headingId}>
      <h3 id={headingId} className="earlier__heading">
        Earlier contact
      </h3>
      {loaded.state === 'loading' && <p role="status">Looking for earlier contact…</p>}
      {loaded.state === 'failed' && (
        <p className="earlier__quiet">Not available: {loaded.error.message}</p>
      )}
      {loaded.state === 'shown' && loaded.earlier.items.length === 0 && (
        <p className="earlier__quiet">{earlierSummary(loaded.earlier, channel)}</p>
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
