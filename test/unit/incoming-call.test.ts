// The incoming-call card names the caller's number the way an adviser reads it.
import { describe, expect, it } from 'vitest';
import { callerLineWords } from '../../renderer/src/interaction/caller-line';

describe('callerLineWords', () => {
  it('shows a UK number in its national form, however it arrived', () => {
    expect(callerLineWords('+447700900123')).toBe('07700 900123');
    expect(callerLineWords('07700900123')).toBe('07700 900123');
  });

  it('shows another country’s number internationally, and says when there is none', () => {
    expect(callerLineWords('+12025550143')).toBe('+1 202 555 0143');
    expect(callerLineWords(null)).toBe('Number withheld');
    expect(callerLineWords(undefined)).toMatch(/reloaded/);
  });
});
