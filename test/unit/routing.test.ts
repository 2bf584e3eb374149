// Routing as pure logic on a clock moved by hand: offers by availability and
// longest idle, time-outs and re-offers, how much an adviser may hold, and
// abandonment with the wait. No sockets, no sleeping. Then routing meeting the
// store (SQLite and PostgreSQL) through the chat service: events about one chat
// arriving together (an accept and the customer leaving, an accept and the
// time-out, messages from both sides) each decided once, and the queue taken
// back after a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatService, type ChatPushes } from '../../server/chat/service';
import { parseServiceHours } from '../../shared/time/service-hours';
import { KyselyChatStore } from '../../server/chat/store';
import { ManualClock } from '../../server/routing/clock';
import {
  Router,
  type Abandonment,
  type RoutedOffer,
  type WithdrawnReason,
} from '../../server/routing/router';
import { KeyedTurns } from '../../server/routing/turns';
import { WaitEstimator } from '../../server/routing/wait-estimate';
import type { StoreContext } from '../../server/storage/database';
import type { AdviserPresence, ChatMessage, ChatOffer, CustomerLeft } from '../../shared/wire/chat';
import { describeEachEngine } from '../support/storage';

interface Heard {
  offers: { adviserId: string; offer: RoutedOffer }[];
  withdrawn: { adviserId: string; id: string; reason: WithdrawnReason }[];
  presence: { adviserId: string; presence: AdviserPresence }[];
  abandoned: Abandonment[];
}

const offerTimeoutMs = 20_000;
let clock: ManualClock;
let heard: Heard;
let router: Router;

function makeRouter(options: { maxChats?: number } = {}): Router {
  return new Router({
    clock,
    offerTimeoutMs,
    maxChats: options.maxChats,
    listeners: {
      offered: (adviserId, offer) => heard.offers.push({ adviserId, offer }),
      withdrawn: (adviserId, _kind, id, reason) => heard.withdrawn.push({ adviserId, id, reason }),
      presence: (adviserId, presence) => heard.presence.push({ adviserId, presence }),
      abandoned: (abandonment) => heard.abandoned.push(abandonment),
    },
  });
}

/** An adviser with a desk connected, set available now. */
function available(adviserId: string): void {
  router.deskConnected(adviserId);
  router.setAvailability(adviserId, 'available');
}

const offersTo = (adviserId: string) =>
  heard.offers.filter((heardOffer) => heardOffer.adviserId === adviserId).map((o) => o.offer.id);
const lastOffer = () => heard.offers[heard.offers.length - 1];

beforeEach(() => {
  clock = new ManualClock();
  heard = { offers: [], withdrawn: [], presence: [], abandoned: [] };
  router = makeRouter();
});

describe('offers', () => {
  it('a waiting chat is offered only to an adviser who is available with a desk connected', () => {
    router.deskConnected('offline-adviser');
    router.setAvailability('on-break', 'break');
    router.deskConnected('on-break');
    router.setAvailability('no-desk', 'available');
    router.enqueue('chat', 'chat-1');
    expect(heard.offers).toEqual([]);
    expect(router.stats().chatsWaiting).toBe(1);

    available('ready');
    expect(heard.offers).toEqual([
      {
        adviserId: 'ready',
        offer: {
          kind: 'chat',
          id: 'chat-1',
          queuedAt: clock.now(),
          offeredAt: clock.now(),
          expiresAt: clock.now() + offerTimeoutMs,
        },
      },
    ]);
  });

  it('the adviser idle longest is offered first', () => {
    available('alex');
    clock.advance(1_000);
    available('sam');
    clock.advance(1_000);
    available('taylor');
    router.enqueue('chat', 'chat-1');
    expect(lastOffer()?.adviserId).toBe('alex');
  });

  it('finishing work makes an adviser the most recently idle', () => {
    available('alex');
    clock.advance(1_000);
    available('sam');
    router.enqueue('call', 'call-1');
    expect(lastOffer()?.adviserId).toBe('alex');
    expect(router.accept('alex', 'call', 'call-1').ok).toBe(true);
    clock.advance(60_000);
    router.finish('call', 'call-1');
    router.enqueue('chat', 'chat-1');
    expect(lastOffer()).toMatchObject({ adviserId: 'sam', offer: { id: 'chat-1' } });
  });

  it('an adviser holding nothing is offered a chat before one already chatting', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    router.accept('alex', 'chat', 'chat-1');
    clock.advance(5_000);
    available('sam');
    router.enqueue('chat', 'chat-2');
    expect(lastOffer()).toMatchObject({ adviserId: 'sam', offer: { id: 'chat-2' } });
  });

  it('the contact waiting longest is placed first, calls and chats alike', () => {
    router.enqueue('call', 'call-1');
    clock.advance(1_000);
    router.enqueue('chat', 'chat-1');
    available('alex');
    expect(heard.offers.map((heardOffer) => heardOffer.offer.id)).toEqual(['call-1']);
  });

  it('an accept answers the contact and says how long it waited', () => {
    router.enqueue('chat', 'chat-1');
    clock.advance(42_000);
    available('alex');
    const answer = router.accept('alex', 'chat', 'chat-1');
    expect(answer).toEqual({
      ok: true,
      value: expect.objectContaining({ adviserId: 'alex', waitedMs: 42_000, positionAtJoin: 1 }),
    });
    expect(router.stats()).toMatchObject({ chatsWaiting: 0, longestWaitSeconds: 0 });
    expect(router.presence('alex')).toMatchObject({ activeChats: 1, onCall: false });
  });

  it('only the adviser offered the contact may accept it, and only once', () => {
    available('alex');
    available('sam');
    router.enqueue('chat', 'chat-1');
    const offeredTo = lastOffer()?.adviserId ?? '';
    const other = offeredTo === 'alex' ? 'sam' : 'alex';
    expect(router.accept(other, 'chat', 'chat-1')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(router.accept(offeredTo, 'chat', 'chat-1').ok).toBe(true);
    expect(router.accept(offeredTo, 'chat', 'chat-1')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(router.accept(other, 'chat', 'chat-1')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});

describe('time-outs and re-offers', () => {
  it('an offer not accepted in time goes to the next adviser, and the one who missed it is set busy', () => {
    available('alex');
    clock.advance(1_000);
    available('sam');
    router.enqueue('chat', 'chat-1');
    expect(lastOffer()?.adviserId).toBe('alex');

    clock.advance(offerTimeoutMs - 1);
    expect(heard.offers).toHaveLength(1);
    clock.advance(1);
    expect(heard.withdrawn).toEqual([{ adviserId: 'alex', id: 'chat-1', reason: 'timed-out' }]);
    expect(lastOffer()).toMatchObject({
      adviserId: 'sam',
      offer: { id: 'chat-1', expiresAt: clock.now() + offerTimeoutMs },
    });
    expect(router.presence('alex').availability).toBe('busy');
    expect(router.accept('alex', 'chat', 'chat-1').ok).toBe(false);
    expect(router.accept('sam', 'chat', 'chat-1').ok).toBe(true);
  });

  it('a missed offer with nobody else free waits for an adviser to become available again', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    clock.advance(offerTimeoutMs);
    expect(router.presence('alex').availability).toBe('busy');
    expect(router.stats().chatsWaiting).toBe(1);
    expect(heard.offers).toHaveLength(1);
    router.setAvailability('alex', 'available');
    expect(heard.offers).toHaveLength(2);
    expect(router.accept('alex', 'chat', 'chat-1').ok).toBe(true);
  });

  it('a declined offer goes to the next adviser; once all with room declined, it comes back after the pause to whoever declined first', () => {
    available('alex');
    clock.advance(1_000);
    available('sam');
    router.enqueue('chat', 'chat-1');
    expect(router.decline('alex', 'chat', 'chat-1').ok).toBe(true);
    expect(heard.withdrawn).toEqual([{ adviserId: 'alex', id: 'chat-1', reason: 'declined' }]);
    expect(lastOffer()?.adviserId).toBe('sam');
    clock.advance(5_000);
    expect(router.decline('sam', 'chat', 'chat-1').ok).toBe(true);
    // Not straight back to someone who has just said no: it waits, still counted as waiting.
    expect(heard.offers).toHaveLength(2);
    expect(router.stats().chatsWaiting).toBe(1);
    clock.advance(router.declinedPauseMs - 5_000 - 1);
    expect(heard.offers).toHaveLength(2);
    clock.advance(1);
    expect(lastOffer()).toMatchObject({ adviserId: 'alex', offer: { id: 'chat-1' } });
    // Declining is not missing: nobody was set busy, and nobody is told of a missed offer.
    expect(router.presence('alex')).toMatchObject({ availability: 'available', missedOffer: null });
    expect(router.presence('sam')).toMatchObject({ availability: 'available', missedOffer: null });
  });

  it('an adviser alone who declines is not handed the same chat at once, and gets it after the pause', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    expect(router.decline('alex', 'chat', 'chat-1').ok).toBe(true);
    // Before, the decline was answered by the same offer in the same instant: the desk
    // dropped it as declined, and twenty seconds later the adviser was set busy for
    // "missing" an offer they never saw.
    expect(offersTo('alex')).toEqual(['chat-1']);
    clock.advance(offerTimeoutMs);
    expect(router.presence('alex').availability).toBe('available');
    clock.advance(router.declinedPauseMs - offerTimeoutMs);
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-1']);
    expect(router.accept('alex', 'chat', 'chat-1').ok).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a declined chat goes at once to an adviser who becomes available meanwhile', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    router.decline('alex', 'chat', 'chat-1');
    clock.advance(10_000);
    available('sam');
    expect(lastOffer()).toMatchObject({ adviserId: 'sam', offer: { id: 'chat-1' } });
  });

  it('an adviser pausing on one declined chat is still offered the others', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    clock.advance(1_000);
    router.enqueue('chat', 'chat-2');
    clock.advance(1_000);
    router.enqueue('chat', 'chat-3');
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-2']);
    router.decline('alex', 'chat', 'chat-1');
    // The room chat-1 left goes to the next in line, not back to chat-1.
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-2', 'chat-3']);
  });

  it('a contact that is answered or leaves while a decliner pauses leaves no timer behind', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    router.decline('alex', 'chat', 'chat-1');
    expect(clock.pendingTimers()).toBe(1);
    router.leave('chat', 'chat-1');
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(router.declinedPauseMs);
    expect(offersTo('alex')).toEqual(['chat-1']);
  });

  it('a missed offer says so in the presence until the adviser chooses an availability', () => {
    available('alex');
    router.enqueue('call', 'call-1');
    clock.advance(offerTimeoutMs);
    const missedAt = new Date(clock.now()).toISOString();
    expect(router.presence('alex')).toMatchObject({
      availability: 'busy',
      missedOffer: { kind: 'call', at: missedAt },
    });
    // The desk heard it as it happened: the change to busy carries the reason.
    expect(heard.presence.at(-1)).toEqual({
      adviserId: 'alex',
      presence: expect.objectContaining({
        availability: 'busy',
        missedOffer: { kind: 'call', at: missedAt },
      }),
    });
    // Choosing to stay busy answers it too, and every desk of theirs hears that.
    const pushes = heard.presence.length;
    expect(router.setAvailability('alex', 'busy')).toMatchObject({
      availability: 'busy',
      missedOffer: null,
    });
    expect(heard.presence).toHaveLength(pushes + 1);
    expect(heard.presence.at(-1)?.presence.missedOffer).toBeNull();
  });

  it('an adviser who missed an offer and makes themselves available is offered it again at once', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    clock.advance(offerTimeoutMs);
    expect(router.presence('alex').missedOffer).toMatchObject({ kind: 'chat' });
    expect(router.setAvailability('alex', 'available')).toMatchObject({
      availability: 'available',
      missedOffer: null,
    });
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-1']);
  });

  it('an accepted offer does not time out', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    router.accept('alex', 'chat', 'chat-1');
    clock.advance(offerTimeoutMs * 3);
    expect(heard.withdrawn).toEqual([]);
    expect(router.presence('alex')).toMatchObject({ availability: 'available', activeChats: 1 });
    expect(clock.pendingTimers()).toBe(0);
  });

  it("an adviser's last desk disconnecting moves their offers to someone else", () => {
    available('alex');
    clock.advance(1_000);
    available('sam');
    router.enqueue('chat', 'chat-1');
    router.deskDisconnected('alex');
    expect(heard.withdrawn).toEqual([{ adviserId: 'alex', id: 'chat-1', reason: 'unavailable' }]);
    expect(lastOffer()?.adviserId).toBe('sam');
  });

  it('going on a break takes back open offers', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    router.setAvailability('alex', 'break');
    expect(heard.withdrawn).toEqual([{ adviserId: 'alex', id: 'chat-1', reason: 'unavailable' }]);
    expect(router.stats()).toMatchObject({ chatsWaiting: 1, advisersAvailable: 0 });
  });
});

describe('how much an adviser may hold', () => {
  it('up to the chat setting (default 2) at once, counting offers', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    router.enqueue('chat', 'chat-2');
    router.enqueue('chat', 'chat-3');
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-2']);
    router.accept('alex', 'chat', 'chat-1');
    router.accept('alex', 'chat', 'chat-2');
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-2']);
    router.finish('chat', 'chat-1');
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-2', 'chat-3']);
  });

  it('the setting is honoured when changed', () => {
    router = makeRouter({ maxChats: 3 });
    available('alex');
    for (const id of ['chat-1', 'chat-2', 'chat-3', 'chat-4']) router.enqueue('chat', id);
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-2', 'chat-3']);
    expect(router.presence('alex').maxChats).toBe(3);
  });

  it('one call only, and no chat while on a call', () => {
    available('alex');
    router.enqueue('call', 'call-1');
    router.enqueue('call', 'call-2');
    router.enqueue('chat', 'chat-1');
    expect(offersTo('alex')).toEqual(['call-1']);
    router.accept('alex', 'call', 'call-1');
    expect(offersTo('alex')).toEqual(['call-1']);
    expect(router.presence('alex').onCall).toBe(true);
    router.finish('call', 'call-1');
    expect(offersTo('alex')).toEqual(['call-1', 'call-2']);
  });

  it('no call while chatting: the call waits for another adviser', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    router.accept('alex', 'chat', 'chat-1');
    router.enqueue('call', 'call-1');
    expect(offersTo('alex')).toEqual(['chat-1']);
    available('sam');
    expect(offersTo('sam')).toEqual(['call-1']);
  });

  it('a call rung straight to a named adviser rings only an available adviser', () => {
    expect(router.ringDirect('nobody-yet', 'direct-1')).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('Offline') },
    });
    router.deskConnected('alex');
    expect(router.ringDirect('alex', 'direct-1')).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(/^The adviser is Offline, so routing does not ring/),
      },
    });
    for (const [availability, said] of [
      ['busy', 'Busy'],
      ['break', 'on a break'],
      ['wrap-up', 'in wrap-up'],
    ] as const) {
      router.setAvailability('alex', availability);
      expect(router.ringDirect('alex', 'direct-1')).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining(said) },
      });
    }
    expect(router.presence('alex').onCall).toBe(false);
    router.setAvailability('alex', 'available');
    expect(router.ringDirect('alex', 'direct-1')).toEqual({ ok: true, value: null });
    // Ringing, it fills the adviser's room: nothing is offered on top of it until it ends.
    expect(router.presence('alex').onCall).toBe(true);
    router.enqueue('chat', 'chat-1');
    expect(heard.offers).toEqual([]);
    router.finish('call', 'direct-1');
    expect(offersTo('alex')).toEqual(['chat-1']);
  });

  it('a call rung straight to a named adviser fills their room too', () => {
    available('alex');
    router.hold('alex', 'call', 'direct-call');
    router.enqueue('chat', 'chat-1');
    expect(heard.offers).toEqual([]);
    router.finish('call', 'direct-call');
    expect(offersTo('alex')).toEqual(['chat-1']);
  });
});

describe('abandonment', () => {
  it('a customer who leaves before an answer is recorded with the wait', () => {
    router.enqueue('chat', 'chat-1');
    clock.advance(95_000);
    const left = router.leave('chat', 'chat-1');
    expect(left).toEqual({
      kind: 'chat',
      id: 'chat-1',
      queuedAt: clock.now() - 95_000,
      leftAt: clock.now(),
      waitedMs: 95_000,
    });
    expect(heard.abandoned).toEqual([left]);
    expect(router.stats()).toMatchObject({ chatsWaiting: 0, abandonedToday: 1 });
  });

  it('leaving while on offer takes the offer back from the adviser', () => {
    available('alex');
    router.enqueue('call', 'call-1');
    clock.advance(3_000);
    router.leave('call', 'call-1');
    expect(heard.withdrawn).toEqual([{ adviserId: 'alex', id: 'call-1', reason: 'customer-left' }]);
    expect(heard.abandoned).toMatchObject([{ kind: 'call', waitedMs: 3_000 }]);
    expect(router.accept('alex', 'call', 'call-1').ok).toBe(false);
    clock.advance(offerTimeoutMs);
    expect(router.presence('alex').availability).toBe('available');
  });

  it('leaving after an answer is not an abandonment; the adviser has room again', () => {
    available('alex');
    router.enqueue('chat', 'chat-1');
    router.accept('alex', 'chat', 'chat-1');
    expect(router.leave('chat', 'chat-1')).toBeNull();
    expect(heard.abandoned).toEqual([]);
    expect(router.presence('alex').activeChats).toBe(0);
  });
});

describe('several advisers and a busy queue', () => {
  it('spreads chats by idleness, then fills rooms, and queue figures follow', () => {
    available('alex');
    clock.advance(1_000);
    available('sam');
    clock.advance(1_000);
    for (let n = 1; n <= 6; n += 1) {
      router.enqueue('chat', `chat-${n}`);
      clock.advance(1_000);
    }
    expect(offersTo('alex')).toEqual(['chat-1', 'chat-3']);
    expect(offersTo('sam')).toEqual(['chat-2', 'chat-4']);
    expect(router.positionOf('chat', 'chat-5')).toBe(5);
    expect(router.stats()).toMatchObject({
      chatsWaiting: 6,
      longestChatWaitSeconds: 6,
      advisersAvailable: 2,
    });
    for (const id of ['chat-1', 'chat-3']) router.accept('alex', 'chat', id);
    for (const id of ['chat-2', 'chat-4']) router.accept('sam', 'chat', id);
    expect(router.positionOf('chat', 'chat-5')).toBe(1);
    expect(router.positionOf('chat', 'chat-6')).toBe(2);
    router.leave('chat', 'chat-5');
    expect(router.positionOf('chat', 'chat-6')).toBe(1);
    router.finish('chat', 'chat-4');
    expect(offersTo('sam')).toEqual(['chat-2', 'chat-4', 'chat-6']);
  });
});

describe('the expected wait', () => {
  it('says nothing until enough chats were answered recently, then scales with the place in the queue', () => {
    const estimator = new WaitEstimator({ minimumAnswers: 3, windowMs: 60 * 60 * 1000 });
    const now = clock.now();
    expect(estimator.estimate(1, now)).toEqual({ seconds: null, basedOn: 0 });
    estimator.record({ answeredAt: now - 60_000, waitedMs: 60_000, positionAtJoin: 1 });
    estimator.record({ answeredAt: now - 50_000, waitedMs: 240_000, positionAtJoin: 2 });
    expect(estimator.estimate(1, now).seconds).toBeNull();
    estimator.record({ answeredAt: now - 40_000, waitedMs: 300_000, positionAtJoin: 3 });
    // Per place: 60, 120 and 100 seconds; the median is 100.
    expect(estimator.estimate(1, now)).toEqual({ seconds: 100, basedOn: 3 });
    expect(estimator.estimate(4, now)).toEqual({ seconds: 400, basedOn: 3 });
    // An hour and more later those answers say nothing about now.
    expect(estimator.estimate(1, now + 60 * 60 * 1000).seconds).toBeNull();
  });
});

describe('turns per key', () => {
  const later = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

  it('run one piece of work per key at a time, in the order asked, and keys side by side', async () => {
    const turns = new KeyedTurns();
    const log: string[] = [];
    const piece = (key: string, name: string, steps: number) =>
      turns.run(key, async () => {
        for (let step = 0; step < steps; step += 1) {
          log.push(`${name}${step}`);
          await later();
        }
        return name;
      });
    const done = await Promise.all([piece('a', 'A', 3), piece('a', 'B', 2), piece('b', 'C', 2)]);
    expect(done).toEqual(['A', 'B', 'C']);
    const of = (prefix: string) => log.filter((entry) => entry.startsWith(prefix));
    expect(log.filter((entry) => /^[AB]/.test(entry))).toEqual(['A0', 'A1', 'A2', 'B0', 'B1']);
    // Key b did not wait for key a.
    expect(log.indexOf('C0')).toBeLessThan(log.indexOf('A2'));
    expect(of('C')).toEqual(['C0', 'C1']);
    expect(turns.busyKeys).toBe(0);
  });

  it('go on after a piece fails, which its caller hears of', async () => {
    const turns = new KeyedTurns();
    const failure = new Error('the store was away');
    const failed = turns.run('a', async () => {
      await later();
      throw failure;
    });
    const next = turns.run('a', async () => 'next');
    await expect(failed).rejects.toBe(failure);
    await expect(next).resolves.toBe('next');
  });

  it('settle once every key is idle, including work queued while waiting', async () => {
    const turns = new KeyedTurns();
    const finished: string[] = [];
    void turns.run('a', async () => {
      await later();
      finished.push('a');
      void turns.run('b', async () => {
        await later();
        finished.push('b');
      });
    });
    await turns.settled();
    expect(finished).toEqual(['a', 'b']);
    expect(turns.busyKeys).toBe(0);
  });
});

describeEachEngine('routing with the store', (open) => {
  interface Heard {
    offers: { adviserId: string; offer: ChatOffer }[];
    withdrawn: { adviserId: string; id: string; reason: WithdrawnReason }[];
    toAdviser: ChatMessage[];
    toCustomer: ChatMessage[];
    customerLeft: CustomerLeft[];
    connected: string[];
  }

  const services: ChatService[] = [];
  // Before the database closes: hooks run last-registered first.
  afterEach(async () => {
    for (const chat of services.splice(0)) await chat.close();
  });

  async function adviserAccount(context: StoreContext, id: string): Promise<void> {
    await context.db
      .insertInto('accounts')
      .values({
        id,
        username: id,
        display_name: `${id} Adviser`,
        password_hash: 'not a real hash',
        created_at: new Date(0).toISOString(),
      })
      .execute();
  }

  async function setUp(context?: StoreContext) {
    const storeContext = context ?? (await open());
    if (!context) {
      await adviserAccount(storeContext, 'alex');
      await adviserAccount(storeContext, 'sam');
    }
    const heard: Heard = {
      offers: [],
      withdrawn: [],
      toAdviser: [],
      toCustomer: [],
      customerLeft: [],
      connected: [],
    };
    const ignore = () => undefined;
    const pushes: ChatPushes = {
      toAdviser: {
        chatOffered: (adviserId, offer) => heard.offers.push({ adviserId, offer }),
        callOffered: ignore,
        offerWithdrawn: (adviserId, _kind, id, reason) =>
          heard.withdrawn.push({ adviserId, id, reason }),
        message: (_adviserId, message) => heard.toAdviser.push(message),
        typing: ignore,
        customerLeft: (_adviserId, left) => heard.customerLeft.push(left),
        transcriptRequested: ignore,
        presence: ignore,
      },
      toCustomer: {
        queue: ignore,
        connected: (chatId) => heard.connected.push(chatId),
        message: (_chatId, message) => heard.toCustomer.push(message),
        typing: ignore,
        ended: ignore,
      },
      queueStats: ignore,
    };
    const serviceHours = parseServiceHours('00:00-24:00');
    if (!serviceHours) throw new Error('the all-day service hours did not parse');
    const clock = new ManualClock(Date.parse('2026-11-23T10:00:00Z'));
    const store = new KyselyChatStore(storeContext);
    const chat = new ChatService(
      {
        store,
        adviserName: async (id) => `${id} Adviser`,
        clock,
        pushes,
        log: () => undefined,
      },
      { serviceHours, offerTimeoutMs },
    );
    services.push(chat);
    await chat.restore();
    return { chat, clock, heard, store, context: storeContext };
  }

  async function waitingChat(chat: ChatService, name = 'Jo'): Promise<string> {
    const started = await chat.start({ name });
    if (!started.ok) throw new Error(started.error.message);
    return started.value.chatId;
  }

  async function offeredToAlex(setup: Awaited<ReturnType<typeof setUp>>): Promise<string> {
    const chatId = await waitingChat(setup.chat);
    setup.chat.deskConnected('alex');
    setup.chat.setAvailability('alex', 'available');
    expect(setup.heard.offers.map((heard) => [heard.adviserId, heard.offer.chatId])).toEqual([
      ['alex', chatId],
    ]);
    return chatId;
  }

  it('an accept and the customer leaving together: the accept, first, answers; the leaving then ends the chat', async () => {
    const setup = await setUp();
    const chatId = await offeredToAlex(setup);
    const [accepted, left] = await Promise.all([
      setup.chat.accept('alex', chatId),
      setup.chat.customerLeaves(chatId, 'ended'),
    ]);
    expect(accepted).toMatchObject({ ok: true, value: { status: 'connected' } });
    expect(left).toMatchObject({ ok: true, value: { endedBy: 'customer' } });
    expect(await setup.store.find(chatId)).toMatchObject({
      status: 'ended',
      endedBy: 'customer',
      adviserId: 'alex',
    });
    expect(setup.heard.customerLeft).toMatchObject([{ chatId, how: 'ended' }]);
    // Nothing held: the adviser has room again, and nothing was abandoned.
    expect(setup.chat.router.presence('alex')).toMatchObject({ activeChats: 0 });
    expect((await setup.chat.queueStats()).abandonedToday).toBe(0);
  });

  it('the customer leaving and an accept together: the leaving, first, is an abandonment; the accept is refused', async () => {
    const setup = await setUp();
    const chatId = await offeredToAlex(setup);
    const [left, accepted] = await Promise.all([
      setup.chat.customerLeaves(chatId, 'ended'),
      setup.chat.accept('alex', chatId),
    ]);
    expect(left).toMatchObject({ ok: true, value: { endedBy: 'customer' } });
    expect(accepted).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await setup.store.find(chatId)).toMatchObject({ status: 'abandoned', adviserId: null });
    expect(setup.heard.withdrawn).toEqual([
      { adviserId: 'alex', id: chatId, reason: 'customer-left' },
    ]);
    expect(setup.heard.connected).toEqual([]);
    expect(setup.chat.router.presence('alex')).toMatchObject({ activeChats: 0 });
    expect((await setup.chat.queueStats()).abandonedToday).toBe(1);
  });

  it('an accept the time-out overtakes is refused, and the chat goes on to the next adviser, still waiting', async () => {
    const setup = await setUp();
    const chatId = await offeredToAlex(setup);
    setup.chat.deskConnected('sam');
    setup.chat.setAvailability('sam', 'available');
    const accepted = setup.chat.accept('alex', chatId);
    // The offer runs out before the accept's turn comes.
    setup.clock.advance(offerTimeoutMs);
    expect(await accepted).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(setup.heard.offers.map((heard) => heard.adviserId)).toEqual(['alex', 'sam']);
    expect(await setup.store.find(chatId)).toMatchObject({ status: 'queued', adviserId: null });
    expect(await setup.chat.accept('sam', chatId)).toMatchObject({ ok: true });
    expect(await setup.store.find(chatId)).toMatchObject({ status: 'connected', adviserId: 'sam' });
  });

  it('an accept before the time-out holds: the offer no longer runs out', async () => {
    const setup = await setUp();
    const chatId = await offeredToAlex(setup);
    expect(await setup.chat.accept('alex', chatId)).toMatchObject({ ok: true });
    setup.clock.advance(offerTimeoutMs * 2);
    expect(setup.heard.withdrawn).toEqual([]);
    expect(setup.chat.router.presence('alex')).toMatchObject({
      availability: 'available',
      activeChats: 1,
    });
  });

  it('messages sent by both sides at once reach the other side in the order of their seqs', async () => {
    const setup = await setUp();
    const chatId = await offeredToAlex(setup);
    await setup.chat.accept('alex', chatId);
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        n % 2 === 0
          ? setup.chat.customerMessage(chatId, `customer-${n}`, `c${n}`)
          : setup.chat.adviserMessage('alex', chatId, `adviser-${n}`, `a${n}`),
      ),
    );
    expect(sent.every((answer) => answer.ok)).toBe(true);
    const seqs = (messages: ChatMessage[]) => messages.map((message) => message.seq);
    const ascending = (values: number[]) => [...values].sort((a, b) => a - b);
    expect(setup.heard.toAdviser).toHaveLength(20);
    expect(setup.heard.toCustomer).toHaveLength(20);
    expect(seqs(setup.heard.toAdviser)).toEqual(ascending(seqs(setup.heard.toAdviser)));
    expect(seqs(setup.heard.toCustomer)).toEqual(ascending(seqs(setup.heard.toCustomer)));
    expect(ascending([...seqs(setup.heard.toAdviser), ...seqs(setup.heard.toCustomer)])).toEqual(
      Array.from({ length: 40 }, (_, n) => n + 1),
    );
  });

  it('a caller who hangs up while queued is recorded as abandoned before the answer', async () => {
    const setup = await setUp();
    const { callId } = setup.chat.queueCall('07700900123');
    setup.clock.advance(30_000);
    expect(await setup.chat.callerLeftQueue(callId)).toBe(true);
    expect((await setup.chat.queueStats()).abandonedToday).toBe(1);
    expect(await setup.chat.callerLeftQueue(callId)).toBe(false);
  });

  it('after a restart, waiting chats queue again in their order and held ones stay held', async () => {
    const first = await setUp();
    const held = await offeredToAlex(first);
    await first.chat.accept('alex', held);
    await first.chat.customerMessage(held, 'before-restart', 'still there?');
    const waiting = [await waitingChat(first.chat, 'Max'), await waitingChat(first.chat, 'Sam')];
    await first.chat.close();

    const second = await setUp(first.context);
    expect(second.chat.queuePosition(waiting[0] ?? '')).toMatchObject({ position: 1 });
    expect(second.chat.queuePosition(waiting[1] ?? '')).toMatchObject({ position: 2 });
    expect(second.chat.deskConnected('alex')).toMatchObject({ activeChats: 1 });
    // The desk is told of what it holds: the customer's message written before the restart.
    expect((await second.chat.deskCatchUp('alex')).unacknowledged.map((m) => m.text)).toEqual([
      'still there?',
    ]);
    // One more chat fits alongside the held one: the oldest waiting is offered.
    second.chat.setAvailability('alex', 'available');
    expect(second.heard.offers.map((heard) => heard.offer.chatId)).toEqual([waiting[0]]);
    expect(second.heard.offers[0]?.offer).toMatchObject({ customerName: 'Max' });
  });
});
