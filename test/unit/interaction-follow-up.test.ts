// The follow-up rule at every edge: age 15 vs 16, unknown age, week 4 and week 6
// (and 12/14), 08:00 and 22:00 UK time in winter and in summer, and the clock change.
import { describe, expect, it } from 'vitest';
import { checkFollowUpSlot, followUpWindow } from '../../shared/interaction/follow-up';

// Monday 3 March 2025, 10:00 GMT.
const contactAt = '2025-03-03T10:00:00.000Z';

const outcome = (age: Parameters<typeof checkFollowUpSlot>[1], slot: string) => {
  const check = checkFollowUpSlot(contactAt, age, slot);
  return check.ok ? 'ok' : check.code;
};

describe('the window by age', () => {
  it('gives a 15-year-old 4-6 weeks and a 16-year-old 12-14 weeks', () => {
    expect(followUpWindow(contactAt, 15)).toEqual({
      earliest: '2025-03-31',
      latest: '2025-04-14',
      weeks: '4-6',
    });
    expect(followUpWindow(contactAt, 16)).toEqual({
      earliest: '2025-05-26',
      latest: '2025-06-09',
      weeks: '12-14',
    });
  });

  it('gives an unknown age (not given, or not yet asked) the 4-6 week window', () => {
    expect(followUpWindow(contactAt, 'not_given')?.weeks).toBe('4-6');
    expect(followUpWindow(contactAt, null)?.weeks).toBe('4-6');
  });

  it('refuses a 16-year-old a slot that a 15-year-old may have', () => {
    expect(outcome(15, '2025-04-07T12:00:00.000Z')).toBe('ok');
    expect(outcome(16, '2025-04-07T12:00:00.000Z')).toBe('before_window');
  });
});

describe('the week edges', () => {
  it('accepts the first day of week 4 and refuses the day before', () => {
    expect(outcome(15, '2025-03-30T12:00:00.000Z')).toBe('before_window');
    expect(outcome(15, '2025-03-31T12:00:00.000Z')).toBe('ok');
  });

  it('accepts the last day of week 6 and refuses the day after', () => {
    expect(outcome(15, '2025-04-14T20:00:00.000Z')).toBe('ok');
    expect(outcome(15, '2025-04-15T08:00:00.000Z')).toBe('after_window');
  });

  it('applies the same edges at 12 and 14 weeks', () => {
    expect(outcome(17, '2025-05-25T12:00:00.000Z')).toBe('before_window');
    expect(outcome(17, '2025-05-26T12:00:00.000Z')).toBe('ok');
    expect(outcome(17, '2025-06-09T12:00:00.000Z')).toBe('ok');
    expect(outcome(17, '2025-06-10T12:00:00.000Z')).toBe('after_window');
  });

  it('counts UK calendar days, so a contact just after midnight BST belongs to the new day', () => {
    // 23:30 UTC on 1 June is 00:30 BST on 2 June.
    expect(followUpWindow('2025-06-01T23:30:00.000Z', 14)?.earliest).toBe('2025-06-30');
  });
});

describe('service hours, 08:00 to 22:00 UK time', () => {
  it('holds in GMT: 08:00 and 21:59 in, 07:59 and 22:00 out', () => {
    expect(checkFollowUpSlot('2025-10-27T12:00:00.000Z', 15, '2025-11-25T08:00:00.000Z').ok).toBe(
      true,
    );
    expect(checkFollowUpSlot('2025-10-27T12:00:00.000Z', 15, '2025-11-25T07:59:00.000Z').ok).toBe(
      false,
    );
    expect(checkFollowUpSlot('2025-10-27T12:00:00.000Z', 15, '2025-11-25T21:59:00.000Z').ok).toBe(
      true,
    );
    const closing = checkFollowUpSlot('2025-10-27T12:00:00.000Z', 15, '2025-11-25T22:00:00.000Z');
    expect(closing).toMatchObject({ ok: false, code: 'outside_service_hours' });
    expect(closing.ok ? '' : closing.reason).toContain('22:00 UK time');
  });

  it('holds in BST, where UK 08:00 is 07:00 UTC and UK 22:00 is 21:00 UTC', () => {
    expect(outcome(15, '2025-04-08T06:59:00.000Z')).toBe('outside_service_hours');
    expect(outcome(15, '2025-04-08T07:00:00.000Z')).toBe('ok');
    expect(outcome(15, '2025-04-08T20:59:00.000Z')).toBe('ok');
    expect(outcome(15, '2025-04-08T21:00:00.000Z')).toBe('outside_service_hours');
  });

  it('follows the clock change inside a window: a GMT contact booked into BST', () => {
    // The clocks go forward on 30 March 2025; the window opens on 31 March.
    expect(outcome(15, '2025-03-31T07:30:00.000Z')).toBe('ok'); // 08:30 BST
    expect(outcome(15, '2025-03-31T21:30:00.000Z')).toBe('outside_service_hours'); // 22:30 BST
  });

  it('accepts any day of the week, weekends included', () => {
    expect(outcome(15, '2025-04-05T10:00:00.000Z')).toBe('ok'); // Saturday
    expect(outcome(15, '2025-04-06T10:00:00.000Z')).toBe('ok'); // Sunday
  });
});

describe('service hours the operator set', () => {
  const hours = { opensAt: { hour: 9, minute: 30 }, closesAt: { hour: 17, minute: 0 } };

  it('replace the built-in hours, at both edges, in BST', () => {
    const check = (slot: string) => {
      const result = checkFollowUpSlot(contactAt, 15, slot, hours);
      return result.ok ? 'ok' : result.code;
    };
    expect(check('2025-04-08T08:29:00.000Z')).toBe('outside_service_hours'); // 09:29 BST
    expect(check('2025-04-08T08:30:00.000Z')).toBe('ok'); // 09:30 BST
    expect(check('2025-04-08T15:59:00.000Z')).toBe('ok'); // 16:59 BST
    expect(check('2025-04-08T16:00:00.000Z')).toBe('outside_service_hours'); // 17:00 BST
    // 08:00 BST is open by the built-in hours.
    expect(outcome(15, '2025-04-08T07:00:00.000Z')).toBe('ok');
  });

  it('say which hours in the reason', () => {
    const result = checkFollowUpSlot(contactAt, 15, '2025-04-08T17:30:00.000Z', hours);
    expect(result.ok ? '' : result.reason).toBe(
      'Outside service hours: 18:30 UK time; follow-ups start from 09:30 and before 17:00.',
    );
  });
});

describe('bad times', () => {
  it('refuses a slot that is not a time', () => {
    expect(outcome(15, 'next Tuesday')).toBe('invalid_time');
  });
});
