// The helpline's clock, on both sides of each change of clocks, and the rule
// that nothing else in the product names the zone or reads London's clock.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  calendarDayFormat,
  londonClock,
  londonDate,
  londonDayStart,
  londonFormat,
  londonHour,
  londonInstant,
  londonWallToIso,
} from '../../shared/time/london';

describe("London's clock at an instant", () => {
  it('reads GMT in winter and BST in summer', () => {
    expect(londonClock('2026-12-01T23:30:15.000Z')).toEqual({
      year: 2026,
      month: 12,
      day: 1,
      hour: 23,
      minute: 30,
      second: 15,
      date: '2026-12-01',
      dayNumber: Date.UTC(2026, 11, 1) / 86_400_000,
      minutes: 23 * 60 + 30,
    });
    // 23:30 UTC on 1 July is 00:30 BST on 2 July.
    expect(londonDate('2026-07-01T23:30:00.000Z')).toBe('2026-07-02');
    expect(londonClock(Date.parse('2026-07-01T23:30:00.000Z')).minutes).toBe(30);
  });

  it('buckets by the hour on the clock, the repeated hour of October once', () => {
    expect(londonHour('2026-07-01T23:30:00.000Z')).toBe('2026-07-02T00');
    expect(londonHour('2026-12-01T23:30:00.000Z')).toBe('2026-12-01T23');
    // The clocks went back at 01:00 UTC on 25 October 2026: 00:30 UTC is 01:30 BST, 01:30 UTC 01:30 GMT.
    expect(londonHour('2026-10-25T00:30:00.000Z')).toBe('2026-10-25T01');
    expect(londonHour('2026-10-25T01:30:00.000Z')).toBe('2026-10-25T01');
  });

  it('formats in British English on London time, whatever the zone asked of Intl elsewhere', () => {
    const clock = londonFormat({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    expect(clock.format(new Date('2026-07-01T08:05:00.000Z'))).toBe('09:05');
    expect(clock.format(new Date('2026-01-01T08:05:00.000Z'))).toBe('08:05');
    expect(clock.resolvedOptions().timeZone).toBe('Europe/London');
  });
});

describe('wall-clock times back to instants', () => {
  it('turn an adviser’s typed date and time into the right instant in winter and summer', () => {
    expect(londonWallToIso('2025-01-10', '09:00')).toBe('2025-01-10T09:00:00.000Z');
    expect(londonWallToIso('2025-07-10', '09:00')).toBe('2025-07-10T08:00:00.000Z');
    expect(londonWallToIso('2025-03-31', '08:00')).toBe('2025-03-31T07:00:00.000Z');
    expect(londonWallToIso('2025-10-27', '21:59')).toBe('2025-10-27T21:59:00.000Z');
    expect(londonWallToIso('not a date', '09:00')).toBeNull();
    expect(londonWallToIso('2025-01-10', '9am')).toBeNull();
  });

  it('land right on both sides of each change of clocks', () => {
    // Spring: 01:00 GMT jumps to 02:00 BST on 29 March 2026.
    expect(
      new Date(londonInstant({ year: 2026, month: 3, day: 29, hour: 0, minute: 30 })).toISOString(),
    ).toBe('2026-03-29T00:30:00.000Z');
    expect(
      new Date(londonInstant({ year: 2026, month: 3, day: 29, hour: 3, minute: 0 })).toISOString(),
    ).toBe('2026-03-29T02:00:00.000Z');
    // Autumn: 02:00 BST falls back to 01:00 GMT on 25 October 2026.
    expect(
      new Date(
        londonInstant({ year: 2026, month: 10, day: 25, hour: 0, minute: 30 }),
      ).toISOString(),
    ).toBe('2026-10-24T23:30:00.000Z');
    expect(
      new Date(londonInstant({ year: 2026, month: 10, day: 25, hour: 8, minute: 0 })).toISOString(),
    ).toBe('2026-10-25T08:00:00.000Z');
  });

  it('starts each day at local midnight, a day of 23 or 25 hours included', () => {
    expect(londonDayStart('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    expect(londonDayStart('2026-03-29', 1)).toBe('2026-03-29T23:00:00.000Z');
    expect(londonDayStart('2026-10-25')).toBe('2026-10-24T23:00:00.000Z');
    expect(londonDayStart('2026-10-25', 1)).toBe('2026-10-26T00:00:00.000Z');
    // Days counted on roll over the month's end.
    expect(londonDayStart('2026-06-30', 1)).toBe('2026-06-30T23:00:00.000Z');
  });
});

describe('calendar days in words', () => {
  it('never shift a day, the machine’s own zone whatever it is', () => {
    const words = calendarDayFormat({ weekday: 'short', day: 'numeric', month: 'short' });
    expect(words('2026-03-29')).toBe('Sun 29 Mar');
    expect(words('2026-01-01')).toBe('Thu 1 Jan');
  });
});

describe('one London-time module', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const folders = ['shared', 'server', 'electron', 'renderer/src', 'customer/src'];
  const sourceFiles = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => {
      const path = join(folder, name);
      if (name === 'node_modules') return [];
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.tsx?$/.test(name) ? [path] : [];
    });

  it('is the only code that names the zone or builds a date formatter', () => {
    const offenders = folders
      .flatMap((folder) => sourceFiles(join(root, folder)))
      .filter((path) => !path.endsWith(join('shared', 'time', 'london.ts')))
      .filter((path) => {
        const code = readFileSync(path, 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
        return /['"]Europe\/London['"]|new Intl\.DateTimeFormat|toLocale(Date|Time)String\(/.test(
          code,
        );
      })
      .map((path) => relative(root, path));
    expect(offenders).toEqual([]);
  });
});
