// What waiting customers are told of their place in the chat queue, on the
// real chat service and store (SQLite in a temp folder, and PostgreSQL) with a
// hand-moved clock: each customer hears their place once when they join, and
// again only when it changes, so a burst of joins costs one push each; places
// go out at most every half second, changes in between told together.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ChatService, type ChatPushes } from '../../server/chat/service';
import { parseServiceHours } from '../../shared/time/service-hours';
import { KyselyChatStore } from '../../server/chat/store';
import { ManualClock } from '../../server/routing/clock';
import type { QueuePosition } from '../../shared/wire/chat';
import { describeEachEngine } from '../support/storage';

let service: ChatService;
let clock: ManualClock;
let told: QueuePosition[];

const ignore = () => undefined;

/** Lets the coalesced queue push (a microtask) run. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Half a second on: the places held back since the last push go out. */
async function nextPush(): Promise<void> {
  clock.advance(500);
  await settled();
}

async function joinQueue(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = await service.start({ name: `Customer ${index + 1}` });
    if (!started.ok) throw new Error(started.error.message);
    ids.push(started.value.chatId);
    // Each join arrives on its own socket event, as in a burst of real customers.
    await settled();
  }
  return ids;
}

const lastToldOf = (chatId: string) => told.filter((place) => place.chatId === chatId).at(-1);

describeEachEngine('places in the chat queue', (open) => {
  beforeEach(async () => {
    told = [];
    const pushes: ChatPushes = {
      toAdviser: {
        chatOffered: ignore,
        callOffered: ignore,
        offerWithdrawn: ignore,
        message: ignore,
        typing: ignore,
        customerLeft: ignore,
        transcriptRequested: ignore,
        presence: ignore,
      },
      toCustomer: {
        queue: (_chatId, position) => told.push(position),
        connected: ignore,
        message: ignore,
        typing: ignore,
        ended: ignore,
      },
      queueStats: ignore,
    };
    clock = new ManualClock(Date.parse('2026-11-23T10:00:00Z'));
    const serviceHours = parseServiceHours('00:00-24:00');
    if (!serviceHours) throw new Error('the all-day service hours did not parse');
    service = new ChatService(
      {
        store: new KyselyChatStore(await open()),
        adviserName: async () => 'Alex Adviser',
        clock,
        pushes,
        log: ignore,
      },
      { serviceHours },
    );
    await service.restore();
  });

  // Before the database closes: hooks run last-registered first.
  afterEach(() => service.close());

  it('tells each customer in a burst of joins their place once, not once per join after them', async () => {
    const ids = await joinQueue(200);
    // The first join is told at once; the other 199 came within the half second.
    expect(told).toHaveLength(1);
    await nextPush();

    expect(told).toHaveLength(200);
    ids.forEach((chatId, index) => expect(lastToldOf(chatId)?.position).toBe(index + 1));
  });

  it('tells only the customers behind one who leaves, each their new place', async () => {
    const ids = await joinQueue(5);
    await nextPush();
    told = [];

    await service.customerLeaves(ids[1]!, 'ended');
    await nextPush();

    expect(told.map((place) => place.chatId)).toEqual(ids.slice(2));
    expect(told.map((place) => place.position)).toEqual([2, 3, 4]);
  });
});
