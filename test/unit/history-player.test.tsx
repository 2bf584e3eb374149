// The history area's pure parts: hash routes (links to a moment), the Find
// form's request, the replay player and its keyboard shortcuts.
import { describe, expect, it } from 'vitest';
import {
  blankFindForm,
  findFormProblems,
  listRequest,
} from '../../renderer/src/history/find-query';
import { shortcutAction } from '../../renderer/src/history/HistoryReplay';
import {
  initialPlayer,
  playerReducer,
  type PlayerTimeline,
} from '../../renderer/src/history/player';
import { parseRoute, replayHash, reviewHash, sessionHash } from '../../renderer/src/history/route';
import { deskRequests } from '../../shared/ipc/contract';

const id = '7c0f5a52-3d6e-4b1a-9f2c-0e8d4b6a1c35';

describe('history routes', () => {
  it('reads the area, a replay and its moment, and writes what it reads', () => {
    expect(parseRoute('')).toEqual({ area: 'desk' });
    expect(parseRoute('#/history')).toEqual({ area: 'history', view: 'find' });
    expect(parseRoute('#/history/audit')).toEqual({ area: 'history', view: 'audit' });
    expect(parseRoute(`#/history/${id}?at=12`)).toEqual({
      area: 'history',
      view: 'replay',
      id,
      at: { kind: 'moment', index: 12 },
    });
    expect(parseRoute(`#/history/${id}?at=95000ms`)).toMatchObject({
      at: { kind: 'offset', ms: 95_000 },
    });
    expect(parseRoute(`#/history/${id}?at=soon`)).toMatchObject({ at: null });
    expect(parseRoute('#/history/not-an-id')).toEqual({ area: 'history', view: 'find' });
    expect(parseRoute(replayHash(id, { kind: 'moment', index: 4 }))).toMatchObject({
      id,
      at: { kind: 'moment', index: 4 },
    });
  });
});

describe('quality routes', () => {
  it('reads the reviews, a review at a moment, the sample, calibration and reports', () => {
    expect(parseRoute('#/quality')).toEqual({ area: 'quality', view: 'reviews' });
    expect(parseRoute(reviewHash(id, { kind: 'moment', index: 6 }))).toEqual({
      area: 'quality',
      view: 'review',
      id,
      at: { kind: 'moment', index: 6 },
    });
    expect(parseRoute('#/quality/sample')).toEqual({ area: 'quality', view: 'sample' });
    expect(parseRoute('#/quality/reports')).toEqual({ area: 'quality', view: 'reports' });
    expect(parseRoute('#/quality/calibration')).toEqual({ area: 'quality', view: 'calibration' });
    expect(parseRoute(sessionHash(id))).toEqual({ area: 'quality', view: 'session', id });
    expect(parseRoute('#/quality/calibration/not-an-id')).toEqual({
      area: 'quality',
      view: 'calibration',
    });
    expect(parseRoute('#/quality/anything-else')).toEqual({ area: 'quality', view: 'reviews' });
  });
});

describe('the Find form', () => {
  it('sends only what was chosen, flags as booleans, and the contract accepts it', () => {
    const request = listRequest(
      {
        ...blankFindForm,
        channel: 'voice',
        followUpBooked: 'yes',
        notCovered: 'no',
        text: ' bus ',
      },
      'oldest',
      'cursor-2',
    );
    expect(request).toEqual({
      sort: 'oldest',
      limit: 25,
      channel: 'voice',
      followUpBooked: true,
      notCovered: false,
      text: 'bus',
      cursor: 'cursor-2',
    });
    expect(deskRequests.listHistory.input.safeParse(request).success).toBe(true);
  });

  it('says what is wrong before asking', () => {
    expect(
      findFormProblems({ ...blankFindForm, from: '2025-03-02', to: '2025-03-01' }),
    ).toHaveProperty('to');
    expect(findFormProblems({ ...blankFindForm, text: 'a' })).toHaveProperty('text');
    expect(findFormProblems(blankFindForm)).toEqual({});
  });
});

describe('the replay player', () => {
  // Moments at 0 s, 10 s, 10 s (the same instant) and 40 s.
  const offsets = [0, 10_000, 10_000, 40_000];
  const timeline: PlayerTimeline = {
    offsets,
    durationMs: 40_000,
    indexAtOffset: (ms) =>
      offsets.reduce((found, offset, index) => (offset <= ms ? index : found), 0),
  };
  const run = (...actions: Parameters<typeof playerReducer>[2][]) =>
    actions.reduce(
      (state, action) => playerReducer(timeline, state, action),
      initialPlayer(timeline, null),
    );

  it('starts where a link says, by moment or by offset', () => {
    expect(initialPlayer(timeline, { kind: 'moment', index: 2 })).toMatchObject({
      index: 2,
      positionMs: 10_000,
    });
    expect(initialPlayer(timeline, { kind: 'moment', index: 99 })).toMatchObject({ index: 3 });
    expect(initialPlayer(timeline, { kind: 'offset', ms: 25_000 })).toMatchObject({
      index: 2,
      positionMs: 25_000,
    });
  });

  it('steps through every moment, same-instant ones included, and stops playing on a step', () => {
    expect(run({ type: 'step', by: 1 }).index).toBe(1);
    expect(run({ type: 'step', by: 1 }, { type: 'step', by: 1 }).index).toBe(2);
    expect(run({ type: 'step', by: -1 }).index).toBe(0);
    expect(run({ type: 'play' }, { type: 'step', by: 1 }).playing).toBe(false);
    expect(run({ type: 'jump', index: 3 })).toMatchObject({ index: 3, positionMs: 40_000 });
  });

  it('plays at its speed, follows the audio forward, and stops at the end', () => {
    const played = run(
      { type: 'speed', change: 4 },
      { type: 'play' },
      { type: 'tick', elapsedMs: 3_000 },
    );
    expect(played).toMatchObject({ playing: true, positionMs: 12_000, index: 2 });
    expect(run({ type: 'tick', elapsedMs: 3_000 }).positionMs).toBe(0);
    const ended = run({ type: 'play' }, { type: 'tick', elapsedMs: 60_000 });
    expect(ended).toMatchObject({ playing: false, positionMs: 40_000, index: 3 });
    expect(playerReducer(timeline, ended, { type: 'play' })).toMatchObject({
      playing: true,
      positionMs: 0,
    });
    expect(run({ type: 'play' }, { type: 'follow', positionMs: 30_000 }).index).toBe(2);
  });

  it('changes speed between 0.5x and 4x', () => {
    expect(
      run({ type: 'speed', change: 'slower' }, { type: 'speed', change: 'slower' }).speed,
    ).toBe(0.5);
    expect(
      run(
        ...Array.from({ length: 6 }, () => ({ type: 'speed' as const, change: 'faster' as const })),
      ).speed,
    ).toBe(4);
  });

  it('has a key for every control', () => {
    expect(shortcutAction(' ')).toEqual({ type: 'toggle' });
    expect(shortcutAction('ArrowRight')).toEqual({ type: 'step', by: 1 });
    expect(shortcutAction('ArrowLeft')).toEqual({ type: 'step', by: -1 });
    expect(shortcutAction('Home')).toEqual({ type: 'jump', index: 0 });
    expect(shortcutAction('End')?.type).toBe('jump');
    expect(shortcutAction('-')).toEqual({ type: 'speed', change: 'slower' });
    expect(shortcutAction('+')).toEqual({ type: 'speed', change: 'faster' });
    expect(shortcutAction('x')).toBeNull();
  });
});
