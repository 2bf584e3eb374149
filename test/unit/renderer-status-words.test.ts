// The words the status bar and the idle panel use for the desk's state.
import { describe, expect, it } from 'vitest';
import { adviserAvailabilities } from '../../shared/wire/chat';
import { availabilityWords } from '../../renderer/src/chat/chat-words';
import type { OutboxStatus } from '../../shared/ipc/contract';
import { connectionStates } from '../../shared/ipc/contract';
import {
  availability,
  clockTime,
  connectionWords,
  describeOutbox,
} from '../../renderer/src/shell/status-words';

const now = new Date('2026-11-23T15:00:00Z');
const quietOutbox: OutboxStatus = {
  waiting: 0,
  failed: 0,
  lastDeliveredAt: null,
  lastError: null,
  nextAttemptAt: null,
};

describe('status words', () => {
  it('names every connection state in words', () => {
    expect(connectionStates.map((state) => connectionWords[state])).toEqual([
      'Signed out',
      'Connecting',
      'Online',
      'Reconnecting',
      'Offline',
    ]);
  });

  it('says an adviser is available only while the desk is online and routing has them available', () => {
    const available = connectionStates.filter(
      (state) => availability(state, 'available').available,
    );
    expect(available).toEqual(['online']);
    expect(availability('offline', 'available').explanation).toMatch(/outbox/);
    // Online, the panel says what the header's Availability says: one truth.
    for (const routing of adviserAvailabilities) {
      const said = availability('online', routing);
      expect(said.available).toBe(routing === 'available');
      expect(said.label.toLowerCase()).toContain(
        routing === 'break' ? 'break' : availabilityWords[routing].toLowerCase(),
      );
    }
    expect(availability('online', 'offline').explanation).toMatch(/Choose Available/);
    // Before routing has answered, the desk does not guess.
    expect(availability('online', null)).toMatchObject({
      label: 'Not yet available',
      available: false,
    });
  });

  it('shows delivery times as a clock time today and with the date on another day', () => {
    expect(clockTime('2026-11-23T10:42:00Z', now)).toBe('10:42');
    expect(clockTime('2026-11-21T21:05:00Z', now)).toBe('21 Nov 21:05');
    // Summer time: the adviser reads local time, not UTC.
    expect(clockTime('2026-07-01T09:30:00Z', new Date('2026-07-01T12:00:00Z'))).toBe('10:30');
  });

  it('describes a quiet outbox without failures or retries', () => {
    expect(describeOutbox(quietOutbox, now)).toEqual({
      waiting: 'Outbox: nothing waiting',
      lastDelivered: null,
      failed: null,
      retry: null,
    });
  });

  it('describes items waiting, the last delivery, failures and the next try', () => {
    const words = describeOutbox(
      {
        waiting: 2,
        failed: 1,
        lastDeliveredAt: '2026-11-23T10:42:00Z',
        lastError: 'server unreachable',
        nextAttemptAt: '2026-11-23T15:01:30Z',
      },
      now,
    );
    expect(words).toEqual({
      waiting: 'Outbox: 2 waiting',
      lastDelivered: 'Last delivered 10:42',
      failed: '1 failed',
      retry: 'Next try 15:01; last problem: server unreachable',
    });
  });

  it('does not mention retries once nothing is waiting', () => {
    const words = describeOutbox(
      { ...quietOutbox, lastError: 'old problem', nextAttemptAt: '2026-11-23T15:01:30Z' },
      now,
    );
    expect(words.retry).toBeNull();
  });
});
