// The desk's availability as the adviser reads it, rendered to markup in Node:
// one set of words for each availability; the notice that says an offer was
// missed and what the adviser's availability is now, with the one action that
// makes them available again; the queue's longest wait, which counts on while
// anyone waits and says "none" only when nobody does; the offer's count-down
// never longer than the offer; and a declined offer that comes back while the
// decline is answered staying on screen.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DeskBridge, DeskEventPayload } from '../../shared/ipc/contract';
import { ok } from '../../shared/result';
import {
  adviserAvailabilities,
  type AdviserPresence,
  type ChatOffer,
  type QueueStats,
} from '../../shared/wire/chat';
import { ChatDeskModel, chatDeskFor, offerDeadline } from '../../renderer/src/chat/chat-desk';
import { availabilityWords } from '../../renderer/src/chat/chat-words';
import { longestWaitWords, QueueSummary } from '../../renderer/src/chat/ChatHeader';
import { IncomingChat } from '../../renderer/src/chat/IncomingChat';
import { MissedOfferNotice } from '../../renderer/src/shell/MissedOfferNotice';
import {
  availability,
  availabilityLabels,
  missedOfferWords,
} from '../../renderer/src/shell/status-words';

const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 10, 42, second)).toISOString();
const chatId = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

const presence = (changes: Partial<AdviserPresence> = {}): AdviserPresence => ({
  availability: 'busy',
  since: at(0),
  activeChats: 0,
  maxChats: 2,
  onCall: false,
  missedOffer: null,
  ...changes,
});

/**
 * A desk bridge whose pushed events the test sends by hand and whose requests
 * answer as the test says; any other request is a mistake in the test.
 */
function fakeDesk(answers: Partial<Record<keyof DeskBridge, () => Promise<unknown>>> = {}) {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  const desk = new Proxy({} as DeskBridge, {
    get: (_, name: string) => {
      if (name.startsWith('on'))
        return (listener: (payload: never) => void) => {
          const set = listeners.get(name) ?? new Set();
          set.add(listener);
          listeners.set(name, set);
          return () => set.delete(listener);
        };
      if (name === 'chatDesk')
        return async () => ok({ offers: [], chats: [], presence: null, queue: null });
      const answer = answers[name as keyof DeskBridge];
      if (answer) return answer;
      throw new Error(`desk.${name} was not expected`);
    },
  });
  const push = (name: string, payload: unknown) => {
    for (const listener of listeners.get(name) ?? []) listener(payload as never);
  };
  return { desk, push };
}

describe('availability words', () => {
  it('are one set: the header’s picker, the waiting panel and the notice say the same', () => {
    expect(availabilityWords).toBe(availabilityLabels);
    for (const routing of adviserAvailabilities) {
      expect(availability('online', routing).label).toBe(availabilityLabels[routing]);
    }
  });

  it('say nothing of a missed offer while the availability is the adviser’s own choice', () => {
    expect(missedOfferWords(presence(), new Date(at(30)))).toBeNull();
    expect(
      missedOfferWords({ ...presence(), missedOffer: undefined }, new Date(at(30))),
    ).toBeNull();
  });

  it('say which offer was missed, when, where it went, and what the availability is now', () => {
    const words = missedOfferWords(
      presence({ missedOffer: { kind: 'chat', at: at(5) } }),
      new Date(at(30)),
    );
    expect(words).toEqual({
      heading: 'You missed a chat',
      explanation:
        'A chat offered to you at 10:42 was not answered in time and has gone back to the queue for the next adviser. ' +
        'Your availability is now Busy: nothing more is offered to you until you are Available again.',
      makeAvailable: 'Make me available',
      keep: 'Stay Busy',
    });
    expect(
      missedOfferWords(presence({ missedOffer: { kind: 'call', at: at(5) } }), new Date(at(30)))
        ?.heading,
    ).toBe('You missed a call');
  });
});

describe('the missed-offer notice', () => {
  it('shows nothing while the adviser chose their availability', () => {
    const { desk, push } = fakeDesk();
    chatDeskFor(desk);
    push('onAvailabilityChanged', presence());
    expect(renderToStaticMarkup(<MissedOfferNotice desk={desk} />)).toBe('');
  });

  it('is announced, names the missed offer and the availability now, and offers the way back as buttons', () => {
    const { desk, push } = fakeDesk();
    chatDeskFor(desk);
    push('onAvailabilityChanged', presence({ missedOffer: { kind: 'chat', at: at(5) } }));
    const html = renderToStaticMarkup(<MissedOfferNotice desk={desk} />);
    // A region named by its heading, whose words are an alert read out as it appears.
    expect(html).toMatch(
      /<section[^>]*aria-labelledby="([^"]+)"[^>]*><div role="alert"><h2 id="\1"/,
    );
    expect(html).toContain('>You missed a chat</h2>');
    expect(html).toContain('Your availability is now Busy');
    // Real buttons: in the tab order, worked with Enter or Space.
    expect(html).toContain(
      '<button type="button" class="button button--primary">Make me available</button>',
    );
    expect(html).toContain('<button type="button" class="button">Stay Busy</button>');
  });

  it('makes the adviser available with one action, and goes once routing confirms', async () => {
    const chosen: unknown[] = [];
    const { desk, push } = fakeDesk({
      setAvailability: async (...args: unknown[]) => {
        chosen.push(args[0]);
        return ok(presence({ availability: 'available' }));
      },
    } as never);
    const model = chatDeskFor(desk);
    push('onAvailabilityChanged', presence({ missedOffer: { kind: 'call', at: at(5) } }));
    await model.setAvailability('available');
    expect(chosen).toEqual([{ availability: 'available' }]);
    expect(renderToStaticMarkup(<MissedOfferNotice desk={desk} />)).toBe('');
  });
});

describe('the longest wait in the header', () => {
  const queue = (changes: Partial<QueueStats>): QueueStats => ({
    chatsWaiting: 0,
    callsWaiting: 0,
    longestChatWaitSeconds: 0,
    longestCallWaitSeconds: 0,
    longestWaitSeconds: 0,
    advisersAvailable: 1,
    abandonedToday: 0,
    at: at(0),
    ...changes,
  });

  it('says "none" only when nobody waits', () => {
    expect(longestWaitWords(queue({}))).toBe('none');
    // A chat that has just joined has waited 0 seconds: someone waits, so not "none".
    expect(longestWaitWords(queue({ chatsWaiting: 1 }))).toBe('0 seconds');
    expect(longestWaitWords(queue({ callsWaiting: 1, longestWaitSeconds: 3 }))).toBe('3 seconds');
  });

  it('counts on from when the figures came, until fresh ones replace them', () => {
    const heardAt = Date.parse(at(10));
    const waiting = queue({ chatsWaiting: 1, longestChatWaitSeconds: 4, longestWaitSeconds: 4 });
    expect(longestWaitWords(waiting, heardAt, heardAt)).toBe('4 seconds');
    expect(longestWaitWords(waiting, heardAt, heardAt + 7_400)).toBe('11 seconds');
    expect(longestWaitWords(waiting, heardAt, heardAt + 60_000)).toBe('1 minute');
    // A clock reading from before the figures never takes the wait below what they said.
    expect(longestWaitWords(waiting, heardAt, heardAt - 3_000)).toBe('4 seconds');
    const html = renderToStaticMarkup(
      <QueueSummary queue={waiting} heardAt={heardAt} now={heardAt + 16_000} />,
    );
    expect(html).toContain('<dt>Longest wait</dt><dd>20 seconds</dd>');
  });

  it('keeps when the page heard the figures, so the header can count on from it', () => {
    let clock = Date.parse(at(20));
    const { desk, push } = fakeDesk();
    const model = new ChatDeskModel(desk, () => clock);
    push('onQueueStats', queue({ chatsWaiting: 1 }));
    expect(model.state().queueHeardAt).toBe(Date.parse(at(20)));
    clock += 15_000;
    push('onQueueStats', queue({ chatsWaiting: 1, longestWaitSeconds: 15 }));
    expect(model.state().queueHeardAt).toBe(Date.parse(at(35)));
  });
});

describe('the chat offer', () => {
  const offer: ChatOffer = {
    chatId,
    customerName: 'Sam',
    age: 15,
    queuedAt: at(0),
    offeredAt: at(0),
    expiresAt: at(20),
  };
  const shown = (heardAt: number, now: number) =>
    renderToStaticMarkup(
      <IncomingChat
        held={{ offer, deadline: offerDeadline(offer, heardAt), heardAt }}
        now={now}
        busy={false}
        onAccept={() => undefined}
        onDecline={() => undefined}
      />,
    );

  it('never counts down from more than the offer lasts, even against a clock reading older than the offer', () => {
    const heardAt = Date.parse(at(0));
    // The page clock last ticked 900 ms before the offer came (another offer was counting).
    expect(shown(heardAt, heardAt - 900)).toContain('Accept within 20 seconds');
    expect(shown(heardAt, heardAt - 900)).toContain('(waited 0 seconds)');
    expect(shown(heardAt, heardAt + 1_000)).toContain('Accept within 19 seconds');
  });

  it('counts the customer’s wait on, second by second', () => {
    const heardAt = Date.parse(at(0));
    expect(shown(heardAt, heardAt + 3_000)).toContain('(waited 3 seconds)');
    expect(shown(heardAt, heardAt + 4_000)).toContain('(waited 4 seconds)');
  });

  it('a decline takes off only the offer declined, not the same chat offered again meanwhile', async () => {
    let clock = Date.parse(at(0));
    let answerDecline: () => void = () => undefined;
    const { desk, push } = fakeDesk({
      declineChat: () =>
        new Promise((resolve) => {
          answerDecline = () => resolve(ok(null));
        }),
    } as never);
    const model = new ChatDeskModel(desk, () => clock);
    push('onChatOffered', offer satisfies DeskEventPayload<'chatOffered'>);
    const declining = model.decline(chatId);
    // Routing took the offer back and, with nobody else free, offered the chat here again
    // before the answer to the decline arrived.
    push('onChatOfferWithdrawn', { chatId, reason: 'declined' });
    clock += 30_000;
    const again = { ...offer, offeredAt: at(30), expiresAt: at(50) };
    push('onChatOffered', again);
    answerDecline();
    await declining;
    expect(model.state().offers.map((held) => held.offer)).toEqual([again]);
  });
});
