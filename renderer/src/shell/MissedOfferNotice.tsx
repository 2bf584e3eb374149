// Tells the adviser when routing, not they, changed their availability: an
// offer ran out unanswered, so routing set them Busy and the next young person
// went to someone else. Says so until the adviser answers it, with one button
// to be available again (or to stay as they are), on every one of their desks.
import { useId, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { AdviserAvailability } from '../../../shared/wire/chat';
import { chatDeskFor } from '../chat/chat-desk';
import { useChatDesk } from '../chat/hooks';
import { missedOfferWords } from './status-words';

export function MissedOfferNotice({ desk }: { desk: DeskBridge }) {
  const headingId = useId();
  const model = chatDeskFor(desk);
  // The presence routing pushes: its missed offer goes once the adviser chooses, here or elsewhere.
  const { presence } = useChatDesk(desk);
  const [choosing, setChoosing] = useState(false);
  const words = presence ? missedOfferWords(presence, new Date()) : null;
  if (!presence || !words) return null;

  const choose = async (availability: AdviserAvailability) => {
    setChoosing(true);
    // A failure shows in the chat area's problem notice, and this notice stays to try again.
    await model.setAvailability(availability);
    setChoosing(false);
  };

  return (
    <section className="notice notice--warn missed-offer" aria-labelledby={headingId}>
      {/* Announced as it appears: the adviser may be looking elsewhere when an offer runs out. */}
      <div role="alert">
        <h2 id={headingId} className="missed-offer__heading">
          {words.heading}
        </h2>
        <p>{words.explanation}</p>
      </div>
      <div className="missed-offer__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={choosing}
          onClick={() => void choose('available')}
        >
          {words.makeAvailable}
        </button>
        <button
          type="button"
          className="button"
          disabled={choosing}
          onClick={() => void choose(presence.availability)}
        >
          {words.keep}
        </button>
      </div>
    </section>
  );
}
