// In the desk's header: the adviser's availability for routing, and the queue
// everyone sees (chats and calls waiting, the longest wait).
import { useId, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { adviserAvailabilities, type AdviserAvailability } from '../../../shared/wire/chat';
import { chatDeskFor } from './chat-desk';
import { availabilityWords, waitWords } from './chat-words';
import { useChatDesk } from './hooks';
import './chat.css';

export function ChatHeader({ desk }: { desk: DeskBridge }) {
  const id = useId();
  const model = chatDeskFor(desk);
  const { presence, queue } = useChatDesk(desk);
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
              {availabilityWords[availability]}
            </option>
          ))}
        </select>
        {presence && (
          <span className="chat-header__load">
            {presence.activeChats} of {presence.maxChats} chats
          </span>
        )}
      </div>
      <QueueSummary queue={queue} />
    </div>
  );
}

export function QueueSummary({ queue }: { queue: ReturnType<typeof useChatDesk>['queue'] }) {
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
            <dd>{queue.longestWaitSeconds > 0 ? waitWords(queue.longestWaitSeconds) : 'none'}</dd>
          </div>
        </dl>
      ) : (
        <p>Queue: not known yet</p>
      )}
    </section>
  );
}
