// ISO weeks in the service's calendar: the weekly sample takes Monday 00:00
// to Monday 00:00 London time, across year ends and changes of the clocks.
import { describe, expect, it } from 'vitest';
import { isoWeekMonday, isoWeekOf, isoWeekRange } from '../../server/quality/weeks';

describe('ISO weeks', () => {
  it('finds the Monday a week begins on, across year ends', () => {
    expect(isoWeekMonday('2026-W47')).toBe('2026-11-16');
    expect(isoWeekMonday('2026-W01')).toBe('2025-12-29');
    expect(isoWeekMonday('2021-W01')).toBe('2021-01-04');
    expect(isoWeekMonday('2020-W53')).toBe('2020-12-28');
  });

  it('names the week an instant falls in, in London', () => {
    expect(isoWeekOf(new Date('2026-11-16T00:30:00.000Z'))).toBe('2026-W47');
    expect(isoWeekOf(new Date('2026-11-22T23:59:00.000Z'))).toBe('2026-W47');
    expect(isoWeekOf(new Date('2021-01-03T12:00:00.000Z'))).toBe('2020-W53');
    expect(isoWeekOf(new Date('2025-12-29T09:00:00.000Z'))).toBe('2026-W01');
    // 23:30 UTC on Sunday 5 July is 00:30 on Monday in London (BST): the next week.
    expect(isoWeekOf(new Date('2026-07-05T23:30:00.000Z'))).toBe('2026-W28');
  });

  it('runs from London midnight to London midnight, 167 hours in the week the clocks go forward', () => {
    expect(isoWeekRange('2026-W47')).toEqual({
      from: '2026-11-16T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
    });
    // British Summer Time starts on 29 March 2026.
    expect(isoWeekRange('2026-W13')).toEqual({
      from: '2026-03-23T00:00:00.000Z',
      to: '2026-03-29T23:00:00.000Z',
    });
    for (let week = 1; week <= 52; week += 1) {
      const name = `2026-W${String(week).padStart(2, '0')}`;
      const { from, to } = isoWeekRange(name);
      expect(isoWeekOf(new Date(from)), name).toBe(name);
      expect(isoWeekOf(new Date(Date.parse(to) - 1)), name).toBe(name);
    }
  });
});
