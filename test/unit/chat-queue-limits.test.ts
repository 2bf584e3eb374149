// The chat queue's limits, on the real chat service and store (SQLite in a temp
// folder) with a hand-moved clock: at most so many chats waiting in all, at most
// so many waiting from one address (a school's pupils share one), and a burst
// then a steady rate of starts per address; each refusal an honest message the
// page shows as it is. And the per-address buckets forget addresses gone quiet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyedTokenBuckets } from '../../server/chat/rate-limit';
import {
  ChatService,
  defaultQueueLimits,
  queueRefusals,
  type ChatPushes,
  type ChatServiceOptions,
} from '../../server/chat/service';
import { parseServiceHours } from '../../server/chat/service-hours';
import { ManualClock } from '../../server/routing/clock';
import { openSqliteStorage, type SqliteServerStorage } from '../../server/storage/sqlite';
import type { Result } from '../../shared/result';

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

const opened: { folder: string; storage: SqliteServerStorage; service: ChatService }[] = [];

function chatService(options: ChatServiceOptions = {}): {
  service: ChatService;
  clock: ManualClock;
} {
  const folder = mkdtempSync(join(tmpdir(), 'chat-queue-limits-'));
  const storage = openSqliteStorage(folder);
  const serviceHours = parseServiceHours('00:00-24:00');
  if (!serviceHours) throw new Error('the all-day service hours did not parse');
  const clock = new ManualClock(Date.parse('2026-11-23T10:00:00Z'));
  const service = new ChatService(
    { store: storage.chats, adviserName: () => 'Alex Adviser', clock, pushes, log: ignore },
    { serviceHours, ...options },
  );
  opened.push({ folder, storage, service });
  return { service, clock };
}

afterEach(() => {
  for (const { folder, storage, service } of opened.splice(0)) {
    service.close();
    storage.close();
    rmSync(folder, { recursive: true, force: true });
  }
});

const school = { address: '203.0.113.7' };
const home = { address: '198.51.100.20' };

function outcome(result: Result<unknown>): string {
  return result.ok ? 'queued' : result.error.code;
}

describe('the chat queue limits', () => {
  it('default to 200 waiting in all and 20 waiting from one address', () => {
    expect(defaultQueueLimits).toEqual({ maxWaitingChats: 200, maxWaitingChatsPerAddress: 20 });
    const { service } = chatService();
    const fromSchool = Array.from({ length: 21 }, (_, n) =>
      outcome(service.start({ name: `Pupil${n}` }, school)),
    );
    expect(fromSchool.filter((answer) => answer === 'queued')).toHaveLength(20);
    expect(fromSchool.at(-1)).toBe('rate_limited');
    // Another address is not held back by the school's.
    expect(outcome(service.start({ name: 'Sam' }, home))).toBe('queued');
  });

  it('refuse a start from an address with too many chats waiting, with a message to show, until one leaves the queue', () => {
    const { service } = chatService({ maxWaitingChatsPerAddress: 3 });
    const ids: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const started = service.start({ name: `Pupil${n}` }, school);
      if (!started.ok) throw new Error(started.error.message);
      ids.push(started.value.chatId);
    }
    const refused = service.start({ name: 'Pupil3' }, school);
    expect(refused).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: queueRefusals.address },
    });
    // One pupil gives up waiting: there is room for another from the school.
    service.customerLeaves(ids[0] ?? '', 'ended');
    expect(outcome(service.start({ name: 'Pupil4' }, school))).toBe('queued');
    expect(outcome(service.start({ name: 'Pupil5' }, school))).toBe('rate_limited');
  });

  it('refuse any start once the whole queue is full, saying so honestly', () => {
    const { service } = chatService({ maxWaitingChats: 5 });
    for (let n = 0; n < 5; n += 1) {
      expect(outcome(service.start({ name: `C${n}` }, { address: `192.0.2.${n}` }))).toBe('queued');
    }
    const refused = service.start({ name: 'Late' }, { address: '192.0.2.99' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'unavailable', message: queueRefusals.full },
    });
    expect(queueRefusals.full).toMatch(/very busy right now/);
    expect(queueRefusals.full).toMatch(/try again/);
    // Starts without a known address (none reach here from sockets) are still held to the total.
    expect(outcome(service.start({ name: 'Unknown' }))).toBe('unavailable');
    expect(service.queueStats().chatsWaiting).toBe(5);
  });

  it('let a burst of starts from one address through, then one every few seconds', () => {
    const { service, clock } = chatService({
      maxWaitingChatsPerAddress: 100,
      chatStartRate: { capacity: 4, refillPerSecond: 0.2 },
    });
    const burst = Array.from({ length: 5 }, (_, n) =>
      outcome(service.start({ name: `P${n}` }, school)),
    );
    expect(burst).toEqual(['queued', 'queued', 'queued', 'queued', 'rate_limited']);
    const refused = service.start({ name: 'P5' }, school);
    expect(refused).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: queueRefusals.rate },
    });
    clock.advance(4_999);
    expect(outcome(service.start({ name: 'P6' }, school))).toBe('rate_limited');
    clock.advance(1);
    expect(outcome(service.start({ name: 'P7' }, school))).toBe('queued');
    expect(outcome(service.start({ name: 'Sam' }, home))).toBe('queued');
  });

  it('the 1,000-chat flood from one client leaves 20 waiting, and the rest of the country can still start', () => {
    const { service } = chatService();
    let queued = 0;
    for (let n = 0; n < 1_000; n += 1) {
      if (service.start({ name: `Bot${n}` }, { address: '198.51.100.66' }).ok) queued += 1;
    }
    expect(queued).toBe(20);
    expect(service.queueStats().chatsWaiting).toBe(20);
    expect(outcome(service.start({ name: 'Jo' }, home))).toBe('queued');
  });

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
