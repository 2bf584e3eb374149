// The replay player as a pure reducer: where on the timeline the reader is
// (a moment, and a position in milliseconds for play and the audio), whether
// it is playing, and how fast. The component only feeds it ticks and keys.

export const replaySpeeds = [0.5, 1, 1.5, 2, 4] as const;
export type ReplaySpeed = (typeof replaySpeeds)[number];

/** What the player needs to know of a timeline. */
export interface PlayerTimeline {
  offsets: readonly number[];
  durationMs: number;
  indexAtOffset(offsetMs: number): number;
}

export interface PlayerState {
  index: number;
  positionMs: number;
  playing: boolean;
  speed: ReplaySpeed;
}

export type PlayerAction =
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'toggle' }
  | { type: 'step'; by: 1 | -1 }
  | { type: 'jump'; index: number }
  | { type: 'seek'; positionMs: number }
  /** Time passed while playing, in real milliseconds (the speed applies here). */
  | { type: 'tick'; elapsedMs: number }
  /** The audio's own clock, mapped to the timeline: it leads while it plays. */
  | { type: 'follow'; positionMs: number }
  | { type: 'speed'; change: 'slower' | 'faster' | ReplaySpeed };

export function initialPlayer(
  timeline: PlayerTimeline,
  at: { kind: 'moment'; index: number } | { kind: 'offset'; ms: number } | null,
): PlayerState {
  const base = { playing: false, speed: 1 as ReplaySpeed };
  if (at?.kind === 'offset') {
    const positionMs = clampMs(timeline, at.ms);
    return { ...base, positionMs, index: timeline.indexAtOffset(positionMs) };
  }
  const index = clampIndex(timeline, at?.index ?? 0);
  return { ...base, index, positionMs: timeline.offsets[index] ?? 0 };
}

const clampIndex = (timeline: PlayerTimeline, index: number) =>
  Math.min(Math.max(0, Math.trunc(index)), Math.max(0, timeline.offsets.length - 1));
const clampMs = (timeline: PlayerTimeline, ms: number) =>
  Math.min(Math.max(0, ms), timeline.durationMs);

function at(timeline: PlayerTimeline, state: PlayerState, positionMs: number): PlayerState {
  const position = clampMs(timeline, positionMs);
  const ended = position >= timeline.durationMs;
  return {
    ...state,
    positionMs: position,
    index: timeline.indexAtOffset(position),
    playing: state.playing && !ended,
  };
}

export function playerReducer(
  timeline: PlayerTimeline,
  state: PlayerState,
  action: PlayerAction,
): PlayerState {
  switch (action.type) {
    case 'play': {
      // Play at the end starts again from the beginning, as media players do.
      if (state.positionMs >= timeline.durationMs && timeline.durationMs > 0) {
        return { ...state, playing: true, index: 0, positionMs: 0 };
      }
      return { ...state, playing: timeline.durationMs > 0 };
    }
    case 'pause':
      return { ...state, playing: false };
    case 'toggle':
      return playerReducer(timeline, state, { type: state.playing ? 'pause' : 'play' });
    case 'step':
    case 'jump': {
      const index = clampIndex(
        timeline,
        action.type === 'jump' ? action.index : state.index + action.by,
      );
      // A step or a jump is the reader taking over: playing stops there.
      return { ...state, index, positionMs: timeline.offsets[index] ?? 0, playing: false };
    }
    case 'seek':
      return at(timeline, { ...state, playing: state.playing }, action.positionMs);
    case 'tick':
      if (!state.playing) return state;
      return at(timeline, state, state.positionMs + action.elapsedMs * state.speed);
    case 'follow':
      if (!state.playing) return state;
      return at(timeline, state, Math.max(state.positionMs, action.positionMs));
    case 'speed': {
      const position = replaySpeeds.indexOf(state.speed);
      const speed =
        action.change === 'slower'
          ? replaySpeeds[Math.max(0, position - 1)]
          : action.change === 'faster'
            ? replaySpeeds[Math.min(replaySpeeds.length - 1, position + 1)]
            : action.change;
      return { ...state, speed: speed ?? state.speed };
    }
  }
}
