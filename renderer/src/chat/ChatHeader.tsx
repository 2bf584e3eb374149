// In the desk's header: the adviser's availability for routing, and the queue
// everyone sees (chats and calls waiting, the longest wait).
import { useId, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  adviserAvailabilities,
  type AdviserAvailability,
  type QueueStats,
} from '../../../shared/wire/chat';
import { availabilityLabels } from '../shell/status-words';
import { chatDeskFor } from './chat-desk';
import { waitWords } from './chat-words';
import { useChatDesk } from './hooks';
import { useSecondClock } from './IncomingChat';
import './chat.css';

export function ChatHeader({ desk }: { desk: DeskBridge }) {
  const id = useId();
  const model = chatDeskFor(desk);
  const { presence, queue, queueHeardAt } = useChatDesk(desk);
  const someoneWaits = queue !== null && queue.chatsWaiting + queue.callsWaiting > 0;
  const now = useSecondClock(someoneWaits);
  const [changing, setChanging] = useState(false);

  const choose = async (availability: AdviserAvailability) => {
    setChanging(true);
    await model.setAvailability(availability);
    setChanging(false);
  };

  return (
    <div className="chat-header">
      <div className="chat-header__availability">
        <label htmlFor={`${id}-availability`}>Availability</label>
        <select
          id={`${id}-availability`}
          value={presence?.availability ?? 'offline'}
          disabled={changing}
          onChange={(event) => void choose(event.target.value as AdviserAvailability)}
        >
          {adviserAvailabilities.map((availability) => (
            <option key={availability} value={availability}>
              {availabilityLabels[availability]}
            </option>
          ))}
        </select>
        {presence && (
          <span className="chat-header__load">
            {presence.activeChats} of {presence.maxChats} chats
          </span>
        )}
      </div>
      <QueueSummary queue={queue} heardAt={queueHeardAt} now={now} />
    </div>
  );
}

/**
 * The longest wait to show: 'none' only when nobody waits. The figures give the
 * wait when they were taken, a whole number of seconds, so a chat that has just
 * joined has waited 0; on the desk that wait grows with the page's clock from
 * when the figures came, until fresh ones replace them.
 */
export function longestWaitWords(
  queue: QueueStats,
  heardAt: number | null = null,
  now: number | null = null,
): string {
  if (queue.chatsWaiting + queue.callsWaiting === 0) return 'none';
  const since = heardAt !== null && now !== null ? Math.max(0, now - heardAt) / 1000 : 0;
  return waitWords(Math.floor(queue.longestWaitSeconds + since));
}

export function QueueSummary({
  queue,
  heardAt = null,
  now = null,
}: {
  queue: QueueStats | null;
  /** When the page heard these figures; with `now`, the longest wait is counted on from it. */
  heardAt?: number | null;
  now?: number | null;
}) {
  return (
    <section aria-label="Queue" className="queue-summary">
      {queue ? (
        <dl>
          <div>
            <dt>Chats waiting</dt>
            <dd>{queue.chatsWaiting}</dd>
          </div>
          <div>
            <dt>Calls waiting</dt>
            <dd>{queue.callsWaiting}</dd>
          </div>
          <div>
            <dt>Longest wait</dt>
            <dd>{longestWaitWords(queue, heardAt, now)}</dd>
          </div>
        </dl>
      ) : (
        <p>Queue: not known yet</p>
      )}
    </section>
  );
}
