// The chat queue's limits, on the real chat service and store (SQLite in a temp
// folder, and PostgreSQL) with a hand-moved clock: at most so many chats waiting
// in all, at most so many waiting from one address (a school's pupils share
// one), and a burst then a steady rate of starts per address; each refusal an
// honest message the page shows as it is. Starts arriving together, while the
// first are still being written, are held to the same limits. And the
// per-address buckets forget addresses gone quiet.
import { afterEach, describe, expect, it } from 'vitest';
import { KeyedTokenBuckets } from '../../server/chat/rate-limit';
import {
  ChatService,
  defaultQueueLimits,
  queueRefusals,
  type ChatPushes,
  type ChatServiceOptions,
} from '../../server/chat/service';
import { parseServiceHours } from '../../shared/time/service-hours';
import { KyselyChatStore } from '../../server/chat/store';
import { ManualClock } from '../../server/routing/clock';
import type { Result } from '../../shared/result';
import { describeEachEngine, type TestStoreContext } from '../support/storage';

const ignore = () => undefined;
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
  toCustomer: { queue: ignore, connected: ignore, message: ignore, typing: ignore, ended: ignore },
  queueStats: ignore,
};

const opened: ChatService[] = [];

/** Each test's services stop before its database closes (hooks run last-registered first). */
const closeServicesAfterEach = () =>
  afterEach(async () => {
    for (const service of opened.splice(0)) await service.close();
  });

async function chatService(
  open: () => Promise<TestStoreContext>,
  options: ChatServiceOptions = {},
): Promise<{ service: ChatService; clock: ManualClock }> {
  const context = await open();
  const serviceHours = parseServiceHours('00:00-24:00');
  if (!serviceHours) throw new Error('the all-day service hours did not parse');
  const clock = new ManualClock(Date.parse('2026-11-23T10:00:00Z'));
  const service = new ChatService(
    {
      store: new KyselyChatStore(context),
      adviserName: async () => 'Alex Adviser',
      clock,
      pushes,
      log: ignore,
    },
    { serviceHours, ...options },
  );
  await service.restore();
  opened.push(service);
  return { service, clock };
}

const school = { address: '203.0.113.7' };
const home = { address: '198.51.100.20' };

async function outcome(result: Promise<Result<unknown>>): Promise<string> {
  const answer = await result;
  return answer.ok ? 'queued' : answer.error.code;
}

describeEachEngine('the chat queue limits', (open) => {
  closeServicesAfterEach();

  it('default to 200 waiting in all and 20 waiting from one address', async () => {
    expect(defaultQueueLimits).toEqual({ maxWaitingChats: 200, maxWaitingChatsPerAddress: 20 });
    const { service } = await chatService(open);
    const fromSchool: string[] = [];
    for (let n = 0; n < 21; n += 1) {
      fromSchool.push(await outcome(service.start({ name: `Pupil${n}` }, school)));
    }
    expect(fromSchool.filter((answer) => answer === 'queued')).toHaveLength(20);
    expect(fromSchool.at(-1)).toBe('rate_limited');
    // Another address is not held back by the school's.
    expect(await outcome(service.start({ name: 'Sam' }, home))).toBe('queued');
  });

  it('refuse a start from an address with too many chats waiting, with a message to show, until one leaves the queue', async () => {
    const { service } = await chatService(open, { maxWaitingChatsPerAddress: 3 });
    const ids: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const started = await service.start({ name: `Pupil${n}` }, school);
      if (!started.ok) throw new Error(started.error.message);
      ids.push(started.value.chatId);
    }
    const refused = await service.start({ name: 'Pupil3' }, school);
    expect(refused).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: queueRefusals.address },
    });
    // One pupil gives up waiting: there is room for another from the school.
    await service.customerLeaves(ids[0] ?? '', 'ended');
    expect(await outcome(service.start({ name: 'Pupil4' }, school))).toBe('queued');
    expect(await outcome(service.start({ name: 'Pupil5' }, school))).toBe('rate_limited');
  });

  it('refuse any start once the whole queue is full, saying so honestly', async () => {
    const { service } = await chatService(open, { maxWaitingChats: 5 });
    for (let n = 0; n < 5; n += 1) {
      expect(await outcome(service.start({ name: `C${n}` }, { address: `192.0.2.${n}` }))).toBe(
        'queued',
      );
    }
    const refused = await service.start({ name: 'Late' }, { address: '192.0.2.99' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'unavailable', message: queueRefusals.full },
    });
    expect(queueRefusals.full).toMatch(/very busy right now/);
    expect(queueRefusals.full).toMatch(/try again/);
    // Starts without a known address (none reach here from sockets) are still held to the total.
    expect(await outcome(service.start({ name: 'Unknown' }))).toBe('unavailable');
    expect((await service.queueStats()).chatsWaiting).toBe(5);
  });

  it('hold starts arriving together to the same limits while the first are still being written', async () => {
    const { service } = await chatService(open, {
      maxWaitingChats: 8,
      maxWaitingChatsPerAddress: 5,
    });
    const together = await Promise.all([
      ...Array.from({ length: 12 }, (_, n) => outcome(service.start({ name: `P${n}` }, school))),
      ...Array.from({ length: 6 }, (_, n) => outcome(service.start({ name: `H${n}` }, home))),
    ]);
    expect(together.slice(0, 12).filter((answer) => answer === 'queued')).toHaveLength(5);
    expect(together.slice(12).filter((answer) => answer === 'queued')).toHaveLength(3);
    expect(together.slice(12).slice(3)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect((await service.queueStats()).chatsWaiting).toBe(8);
  });

  it('let a burst of starts from one address through, then one every few seconds', async () => {
    const { service, clock } = await chatService(open, {
      maxWaitingChatsPerAddress: 100,
      chatStartRate: { capacity: 4, refillPerSecond: 0.2 },
    });
    const burst: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      burst.push(await outcome(service.start({ name: `P${n}` }, school)));
    }
    expect(burst).toEqual(['queued', 'queued', 'queued', 'queued', 'rate_limited']);
    const refused = await service.start({ name: 'P5' }, school);
    expect(refused).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: queueRefusals.rate },
    });
    clock.advance(4_999);
    expect(await outcome(service.start({ name: 'P6' }, school))).toBe('rate_limited');
    clock.advance(1);
    expect(await outcome(service.start({ name: 'P7' }, school))).toBe('queued');
    expect(await outcome(service.start({ name: 'Sam' }, home))).toBe('queued');
  });

  it('the 1,000-chat flood from one client leaves 20 waiting, and the rest of the country can still start', async () => {
    const { service } = await chatService(open);
    let queued = 0;
    for (let n = 0; n < 1_000; n += 1) {
      if ((await service.start({ name: `Bot${n}` }, { address: '198.51.100.66' })).ok) queued += 1;
    }
    expect(queued).toBe(20);
    expect((await service.queueStats()).chatsWaiting).toBe(20);
    expect(await outcome(service.start({ name: 'Jo' }, home))).toBe('queued');
  });
});

describe('queue refusals', () => {
  it('every refusal is words for a young person, not a code', () => {
    for (const message of Object.values(queueRefusals)) {
      expect(message).toMatch(/^[A-Z]/);
      expect(message).toMatch(/try again/i);
      expect(message).not.toMatch(/rate|limit|429|address|IP/);
    }
  });
});

describe('start buckets per address', () => {
  it('forget addresses whose bucket has refilled, so the memory stays small', () => {
    let now = 0;
    const buckets = new KeyedTokenBuckets({ capacity: 2, refillPerSecond: 1 }, () => now);
    for (let n = 0; n < 500; n += 1) expect(buckets.take(`10.0.${n >> 8}.${n & 255}`)).toBe(true);
    expect(buckets.size).toBe(500);
    now += 3_000;
    buckets.take('10.9.9.9');
    expect(buckets.size).toBe(1);
  });

  it('keep an address still short of tokens', () => {
    let now = 0;
    const buckets = new KeyedTokenBuckets({ capacity: 2, refillPerSecond: 0.5 }, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([true, true, false]);
    now += 2_000;
    expect(buckets.take('a')).toBe(true);
    expect(buckets.take('a')).toBe(false);
  });
});
