// The rules of making a follow-up call: due and overdue by the UK day, times of
// day in winter and summer, three attempts each at a different time of day,
// the message after the last unanswered one only with consent, the reminder a
// day before, and when a follow-up is offered to the team.
import { describe, expect, it } from 'vitest';
import {
  checkCallAttempt,
  dayPartOf,
  daysLeftInWindow,
  dueState,
  fallbackMessageDue,
  messageChannel,
  offeredToTeam,
  reminderDue,
  type CallAttemptSoFar,
} from '../../shared/interaction/follow-up-calls';
import type { FollowUpWindow } from '../../shared/interaction/follow-up';

const window: FollowUpWindow = { earliest: '2026-12-18', latest: '2027-01-01', weeks: '4-6' };
const slot = '2026-12-22T10:00:00.000Z';
const missed = (at: string): CallAttemptSoFar => ({ at, answered: false });
const outcome = (attempts: CallAttemptSoFar[], now: string, method = 'phone' as const) => {
  const check = checkCallAttempt(method, slot, attempts, now);
  return check.ok ? check.dayPart : check.code;
};

describe('due and overdue', () => {
  it('is due on the UK day of the slot and overdue every day after it', () => {
    expect(dueState(slot, '2026-12-21T23:59:00.000Z')).toBe('upcoming');
    expect(dueState(slot, '2026-12-22T00:00:00.000Z')).toBe('due');
    expect(dueState(slot, '2026-12-22T21:00:00.000Z')).toBe('due');
    expect(dueState(slot, '2026-12-23T08:00:00.000Z')).toBe('overdue');
  });

  it('counts the day in UK time in summer: 23:30 UTC is already tomorrow in London', () => {
    const summerSlot = '2026-07-10T09:00:00.000Z';
    expect(dueState(summerSlot, '2026-07-09T22:59:00.000Z')).toBe('upcoming');
    expect(dueState(summerSlot, '2026-07-09T23:30:00.000Z')).toBe('due');
  });
});

describe('times of day', () => {
  it('divides service hours into morning, afternoon and evening, UK time', () => {
    expect(dayPartOf('2026-12-22T07:59:00.000Z')).toBeNull();
    expect(dayPartOf('2026-12-22T08:00:00.000Z')).toBe('morning');
    expect(dayPartOf('2026-12-22T11:59:00.000Z')).toBe('morning');
    expect(dayPartOf('2026-12-22T12:00:00.000Z')).toBe('afternoon');
    expect(dayPartOf('2026-12-22T17:00:00.000Z')).toBe('evening');
    expect(dayPartOf('2026-12-22T21:59:00.000Z')).toBe('evening');
    expect(dayPartOf('2026-12-22T22:00:00.000Z')).toBeNull();
    // British Summer Time: 07:30 UTC is 08:30 in London, 21:00 UTC is 22:00.
    expect(dayPartOf('2026-07-10T07:30:00.000Z')).toBe('morning');
    expect(dayPartOf('2026-07-10T21:00:00.000Z')).toBeNull();
    expect(dayPartOf('not a time')).toBeNull();
  });
});

describe('attempts', () => {
  it('allows three attempts, each at a different time of day, on the due day or later', () => {
    expect(outcome([], '2026-12-21T10:00:00.000Z')).toBe('not_due');
    expect(outcome([], '2026-12-22T07:00:00.000Z')).toBe('outside_service_hours');
    expect(outcome([], '2026-12-22T09:00:00.000Z')).toBe('morning');
    const one = [missed('2026-12-22T09:00:00.000Z')];
    expect(outcome(one, '2026-12-22T11:00:00.000Z')).toBe('same_time_of_day');
    // A morning on another day is still a morning: the customer was not in then.
    expect(outcome(one, '2026-12-23T09:00:00.000Z')).toBe('same_time_of_day');
    expect(outcome(one, '2026-12-22T13:00:00.000Z')).toBe('afternoon');
    const two = [...one, missed('2026-12-22T13:00:00.000Z')];
    expect(outcome(two, '2026-12-23T18:00:00.000Z')).toBe('evening');
    const three = [...two, missed('2026-12-23T18:00:00.000Z')];
    expect(outcome(three, '2026-12-24T10:00:00.000Z')).toBe('attempts_used');
  });

  it('names the times of day still free when one is used', () => {
    const check = checkCallAttempt(
      'phone',
      slot,
      [missed('2026-12-22T13:00:00.000Z')],
      '2026-12-22T14:00:00.000Z',
    );
    expect(check.ok ? null : check.reason).toMatch(/try in the morning .* or evening/);
  });

  it('does not ring again once answered, nor a customer who gave only an email', () => {
    const answered = [{ at: '2026-12-22T09:00:00.000Z', answered: true }];
    expect(outcome(answered, '2026-12-22T13:00:00.000Z')).toBe('already_answered');
    expect(checkCallAttempt('email', slot, [], '2026-12-22T13:00:00.000Z')).toMatchObject({
      ok: false,
      code: 'no_number',
    });
    // A text customer gave a mobile: it can be rung.
    expect(checkCallAttempt('text', slot, [], '2026-12-22T13:00:00.000Z')).toMatchObject({
      ok: true,
    });
  });
});

describe('messages to the customer', () => {
  const three = [
    missed('2026-12-22T09:00:00.000Z'),
    missed('2026-12-22T13:00:00.000Z'),
    missed('2026-12-22T18:00:00.000Z'),
  ];

  it('goes only where the customer asked to be contacted by text or email', () => {
    expect(messageChannel('text')).toBe('text');
    expect(messageChannel('email')).toBe('email');
    expect(messageChannel('phone')).toBeNull();
  });

  it('sends the note after the third unanswered attempt, once, and only with consent', () => {
    expect(fallbackMessageDue('text', three.slice(0, 2), false)).toBe(false);
    expect(fallbackMessageDue('text', three, false)).toBe(true);
    expect(fallbackMessageDue('email', three, false)).toBe(true);
    expect(fallbackMessageDue('text', three, true)).toBe(false);
    expect(fallbackMessageDue('phone', three, false)).toBe(false);
    const answeredLast = [...three.slice(0, 2), { at: three[2]!.at, answered: true }];
    expect(fallbackMessageDue('text', answeredLast, false)).toBe(false);
  });

  it('reminds within a day before the slot, never after it, and once', () => {
    expect(reminderDue('text', slot, '2026-12-21T09:59:00.000Z', false)).toBe(false);
    expect(reminderDue('text', slot, '2026-12-21T10:00:00.000Z', false)).toBe(true);
    expect(reminderDue('email', slot, '2026-12-22T09:00:00.000Z', false)).toBe(true);
    expect(reminderDue('email', slot, '2026-12-22T09:00:00.000Z', true)).toBe(false);
    expect(reminderDue('phone', slot, '2026-12-22T09:00:00.000Z', false)).toBe(false);
    expect(reminderDue('text', slot, '2026-12-22T10:00:00.000Z', false)).toBe(false);
  });
});

describe('offered to the team', () => {
  it('when the booking adviser is away, or within two days of the window closing', () => {
    expect(offeredToTeam(window, '2026-12-22T10:00:00.000Z', false)).toBe(false);
    expect(offeredToTeam(window, '2026-12-22T10:00:00.000Z', true)).toBe(true);
    expect(daysLeftInWindow(window, '2026-12-30T10:00:00.000Z')).toBe(3);
    expect(offeredToTeam(window, '2026-12-30T10:00:00.000Z', false)).toBe(false);
    expect(offeredToTeam(window, '2026-12-31T10:00:00.000Z', false)).toBe(true);
    expect(offeredToTeam(window, '2027-01-03T10:00:00.000Z', false)).toBe(true);
    // Without the first contact's record there is no window to close.
    expect(offeredToTeam(null, '2027-01-03T10:00:00.000Z', false)).toBe(false);
  });
});
