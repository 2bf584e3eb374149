// Replay of one completed interaction: the timeline of every journal event,
// the adviser's screen redrawn read-only at the moment chosen, the player
// (play, pause, step, speed, jump, all on the keyboard too), the call recording
// kept in step, and personal data hidden unless a permitted reader gives a reason.
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useReducer,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { momentKindLabels, type ReplayTimeline } from '../../../shared/interaction/replay-timeline';
import { revealRequestSchema, type HistoryView } from '../../../shared/wire/history';
import { duration, ukDateTime } from '../interaction/time-words';
import {
  initialPlayer,
  playerReducer,
  replaySpeeds,
  type PlayerAction,
  type PlayerState,
  type PlayerTimeline,
} from './player';
import { useRecording } from './recording';
import { ReplayScreen } from './ReplayScreen';
import type { StaffMember } from '../../../shared/domain/people';
import { ReviewActions } from '../quality/ReviewActions';
import { mayCurateTraining } from '../training/access';
import { blankEntryForm } from '../training/entry-form';
import { EntryEditor } from '../training/EntryEditor';
import { OpenedNotices, useOpened, useReplayTimeline } from './opened-replay';
import { findHash, goTo, replayHash, routeAddress, trainingHash, type ReplayAt } from './route';

const channelWords = { voice: 'Voice call', webchat: 'Web chat' } as const;

/** Keys the replay answers to, as shown on screen and given to assistive technology. */
export const replayShortcuts = [
  ['Space or K', 'Play or pause'],
  ['← or J', 'Previous event'],
  ['→ or L', 'Next event'],
  ['Home', 'First event'],
  ['End', 'Last event'],
  ['- or <', 'Slower'],
  ['+ or >', 'Faster'],
] as const;

/** The player's action for a key, or null; never while typing in a field. */
export function shortcutAction(key: string): PlayerAction | null {
  switch (key) {
    case ' ':
    case 'k':
    case 'K':
      return { type: 'toggle' };
    case 'ArrowLeft':
    case 'j':
    case 'J':
      return { type: 'step', by: -1 };
    case 'ArrowRight':
    case 'l':
    case 'L':
      return { type: 'step', by: 1 };
    case 'Home':
      return { type: 'jump', index: 0 };
    case 'End':
      return { type: 'jump', index: Number.MAX_SAFE_INTEGER };
    case '-':
    case '<':
      return { type: 'speed', change: 'slower' };
    case '+':
    case '=':
    case '>':
      return { type: 'speed', change: 'faster' };
    default:
      return null;
  }
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function RevealForm({
  desk,
  id,
  onRevealed,
  onCancel,
}: {
  desk: DeskBridge;
  id: string;
  onRevealed: (view: HistoryView) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = revealRequestSchema.safeParse({ reason });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Say why you need to see the personal data');
      field.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    const answer = await desk.revealHistory({ id, reason: checked.data.reason });
    setBusy(false);
    if (answer.ok) onRevealed(answer.value);
    else setProblem(answer.error.message);
  };

  return (
    <form
      className="replay-reveal"
      aria-label="Show personal data"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <div className="field">
        <label htmlFor={fieldId}>Why do you need to see the personal data?</label>
        <textarea
          id={fieldId}
          ref={field}
          rows={2}
          maxLength={500}
          value={reason}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${fieldId}-hint${problem ? ` ${fieldId}-problem` : ''}`}
          onChange={(event) => setReason(event.target.value)}
        />
        <p id={`${fieldId}-hint`} className="field__hint">
          At least 10 characters. Your name, the time and this reason are recorded, and team leaders
          can read them.
        </p>
        {problem && (
          <p id={`${fieldId}-problem`} role="alert" className="field__problem">
            {problem}
          </p>
        )}
      </div>
      <div className="replay-reveal__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Show personal data
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function playerTimelineOf(timeline: ReplayTimeline): PlayerTimeline {
  return {
    offsets: timeline.moments.map((moment) => moment.offsetMs),
    durationMs: timeline.durationMs,
    indexAtOffset: (ms) => timeline.indexAtOffset(ms),
  };
}

/** Where the replay stands, for what a caller shows beside it (the training library's marks). */
export interface ReplayPosition {
  /** The moment of the interaction the position is at, as an ISO time. */
  at: string;
  positionMs: number;
  /** The journal event the position is at: the replay address's `?at=` index. */
  index: number;
  /** Moves the player to a moment of the interaction (an ISO time). */
  seekTo: (at: string) => void;
}

/**
 * The replay itself: controls, recording, timeline and the screen at each
 * moment. `linkFor` makes the address of a moment (the history's or the
 * training library's); `beside` adds a section that follows the position,
 * above the timeline, or (`besidePlacement: 'side'`) in a column of its own
 * beside the whole replay, for work done while watching (a review's scorecard).
 */
export function ReplayPlayer({
  desk,
  view,
  timeline,
  at,
  linkFor,
  onRevealed,
  beside,
  besidePlacement = 'above',
}: {
  desk: DeskBridge;
  view: HistoryView;
  timeline: ReplayTimeline;
  at: ReplayAt | null;
  linkFor: (at: ReplayAt) => string;
  onRevealed?: (view: HistoryView) => void;
  beside?: (position: ReplayPosition) => ReactNode;
  besidePlacement?: 'above' | 'side';
}) {
  const { record } = view;
  const player = useMemo(() => playerTimelineOf(timeline), [timeline]);
  const [state, dispatch] = useReducer(
    (current: PlayerState, action: PlayerAction) => playerReducer(player, current, action),
    at,
    (start) => initialPlayer(player, start),
  );
  const moment = timeline.moments[state.index] ?? timeline.moments[0];
  const snapshot = timeline.snapshotAt(state.index);
  const list = useRef<HTMLOListElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const [revealing, setRevealing] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const banner = useRef<HTMLDivElement>(null);
  const recording = useRecording(desk, record.id, view.recording);
  const [audioProblem, setAudioProblem] = useState<string | null>(null);
  const positionId = useId();
  const speedId = useId();

  // A link followed while the replay is open (or "Link to this moment") moves the player there.
  const atKey = at ? `${at.kind}:${at.kind === 'moment' ? at.index : at.ms}` : '';
  const firstAt = useRef(atKey);
  useEffect(() => {
    if (atKey === firstAt.current || !at) return;
    firstAt.current = atKey;
    if (at.kind === 'moment') dispatch({ type: 'jump', index: at.index });
    else dispatch({ type: 'seek', positionMs: at.ms });
  }, [at, atKey]);

  // The current moment stays in view in the timeline list. Only the list
  // scrolls: scrollIntoView would also move the page, taking the controls away.
  useEffect(() => {
    const box = list.current;
    const item = box?.querySelector<HTMLElement>(`[data-moment="${state.index}"]`);
    if (!box || !item) return;
    if (item.offsetTop < box.scrollTop) box.scrollTop = item.offsetTop;
    else if (item.offsetTop + item.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = item.offsetTop + item.offsetHeight - box.clientHeight;
  }, [state.index]);

  // Playing: the audio's clock leads while it plays; otherwise a timer moves the position on.
  const recordingStartMs = view.recording
    ? Date.parse(view.recording.startedAt) - Date.parse(timeline.startedAt)
    : 0;
  useEffect(() => {
    if (!state.playing) return;
    let last = performance.now();
    const timer = window.setInterval(() => {
      const now = performance.now();
      const element = audio.current;
      if (element && !element.paused && !element.ended) {
        dispatch({ type: 'follow', positionMs: recordingStartMs + element.currentTime * 1000 });
      } else {
        dispatch({ type: 'tick', elapsedMs: now - last });
      }
      last = now;
    }, 100);
    return () => window.clearInterval(timer);
  }, [state.playing, recordingStartMs]);

  // The audio follows the player: it plays while the position is within the recording.
  const ready = recording.state === 'ready' && audioProblem === null;
  useEffect(() => {
    const element = audio.current;
    if (!element || !ready) return;
    element.playbackRate = state.speed;
    const wanted = (state.positionMs - recordingStartMs) / 1000;
    const length = Number.isFinite(element.duration)
      ? element.duration
      : (view.recording?.durationSeconds ?? 0);
    const inside = wanted >= 0 && wanted < length;
    if (state.playing && inside) {
      if (Math.abs(element.currentTime - wanted) > 0.5) element.currentTime = wanted;
      if (element.paused) {
        element.play().catch((error: unknown) => {
          setAudioProblem(error instanceof Error ? error.message : 'The recording could not play');
        });
      }
    } else {
      if (!element.paused) element.pause();
      const resting = Math.min(Math.max(0, wanted), length);
      if (Math.abs(element.currentTime - resting) > 0.25) element.currentTime = resting;
    }
  }, [state.playing, state.positionMs, state.speed, ready, recordingStartMs, view.recording]);

  // Shortcuts work from anywhere in the replay except while typing in a field;
  // Space and Enter on a focused button or link keep their own meaning.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || typingInto(event.target)) return;
      if (revealing && event.key !== 'Escape') return;
      if (
        event.key === ' ' &&
        event.target instanceof HTMLElement &&
        ['BUTTON', 'A', 'SUMMARY'].includes(event.target.tagName)
      )
        return;
      const action = shortcutAction(event.key);
      if (!action) return;
      event.preventDefault();
      dispatch(action);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [revealing]);

  const link = linkFor({ kind: 'moment', index: state.index });
  const startedMs = Date.parse(timeline.startedAt);
  const position: ReplayPosition = {
    at: new Date(startedMs + state.positionMs).toISOString(),
    positionMs: state.positionMs,
    index: state.index,
    seekTo: (moment) => dispatch({ type: 'seek', positionMs: Date.parse(moment) - startedMs }),
  };
  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(routeAddress(link, window.location));
      setCopied('Link copied.');
    } catch {
      setCopied('The link could not be copied; use “Link to this moment” instead.');
    }
  };

  const revealed = (next: HistoryView) => {
    setRevealing(false);
    onRevealed?.(next);
    requestAnimationFrame(() => banner.current?.focus());
  };

  const last = timeline.moments.length - 1;
  const replay = (
    <div className="replay">
      <div
        ref={banner}
        tabIndex={-1}
        className={`replay-banner ${view.redacted ? 'replay-banner--hidden' : 'replay-banner--shown'}`}
        role="note"
        aria-label="Personal data"
      >
        {view.redacted ? (
          <p>
            <strong>Personal data is hidden.</strong> Names, numbers, addresses and schools show as
            placeholders such as [NAME 1].
          </p>
        ) : (
          <p>
            <strong>Personal data is shown.</strong> Your view was recorded with your reason.
          </p>
        )}
        {view.redacted && view.mayRevealOriginal && onRevealed && !revealing && (
          <button type="button" className="button" onClick={() => setRevealing(true)}>
            Show personal data
          </button>
        )}
      </div>
      {revealing && (
        <RevealForm
          desk={desk}
          id={record.id}
          onRevealed={revealed}
          onCancel={() => setRevealing(false)}
        />
      )}

      <section className="replay-controls" aria-label="Replay controls">
        <div className="replay-controls__buttons">
          <button
            type="button"
            className="button"
            aria-keyshortcuts="ArrowLeft J"
            disabled={state.index <= 0}
            onClick={() => dispatch({ type: 'step', by: -1 })}
          >
            Previous event
          </button>
          <button
            type="button"
            className="button button--primary replay-controls__play"
            aria-keyshortcuts="Space K"
            onClick={() => dispatch({ type: 'toggle' })}
          >
            {state.playing ? 'Pause' : 'Play'}
          </button>
          <button
            type="button"
            className="button"
            aria-keyshortcuts="ArrowRight L"
            disabled={state.index >= last}
            onClick={() => dispatch({ type: 'step', by: 1 })}
          >
            Next event
          </button>
          <div className="replay-controls__speed">
            <label htmlFor={speedId}>Speed</label>
            <select
              id={speedId}
              aria-keyshortcuts="- +"
              value={state.speed}
              onChange={(event) =>
                dispatch({
                  type: 'speed',
                  change: Number(event.target.value) as PlayerState['speed'],
                })
              }
            >
              {replaySpeeds.map((speed) => (
                <option key={speed} value={speed}>
                  {speed}x
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="replay-controls__position">
          <label htmlFor={positionId}>Position</label>
          <input
            id={positionId}
            type="range"
            min={0}
            max={Math.max(1, timeline.durationMs)}
            step="any"
            value={state.positionMs}
            aria-valuetext={`${duration(state.positionMs)} of ${duration(timeline.durationMs)}`}
            onChange={(event) => dispatch({ type: 'seek', positionMs: Number(event.target.value) })}
          />
          <span className="replay-controls__clock" aria-hidden="true">
            {duration(state.positionMs)} / {duration(timeline.durationMs)}
          </span>
        </div>
        <p className="replay-controls__moment" aria-live="polite">
          Event {state.index + 1} of {timeline.moments.length}: {moment?.label}
        </p>
        <div className="replay-controls__link">
          <a href={link}>Link to this moment</a>
          <button type="button" className="button button--small" onClick={() => void copyLink()}>
            Copy link
          </button>
          {copied && <span role="status">{copied}</span>}
          <details className="replay-shortcuts">
            <summary>Keyboard shortcuts</summary>
            <dl>
              {replayShortcuts.map(([keys, what]) => (
                <div key={keys}>
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </details>
        </div>
        {view.recording && (
          <div className="replay-recording">
            <audio
              ref={audio}
              src={recording.state === 'ready' ? recording.url : undefined}
              preload="auto"
              aria-label="Call recording"
              onError={() => setAudioProblem('This desk cannot play the recording')}
            />
            <p role="status">
              {recording.state === 'loading'
                ? 'Loading the call recording…'
                : recording.state === 'failed'
                  ? `No recording: ${recording.message}`
                  : audioProblem
                    ? `No recording: ${audioProblem}`
                    : recording.state === 'ready'
                      ? `Call recording (${duration(view.recording.durationSeconds * 1000)}) plays in step from the answer.`
                      : ''}
            </p>
          </div>
        )}
      </section>

      {besidePlacement === 'above' && beside?.(position)}

      <div className="replay__body">
        <nav className="replay-timeline" aria-label="Timeline">
          <h3 className="replay-timeline__heading">Timeline</h3>
          <ol ref={list}>
            {timeline.moments.map((item) => (
              <li key={item.index}>
                <button
                  type="button"
                  data-moment={item.index}
                  className={`replay-timeline__moment replay-timeline__moment--${item.kind}`}
                  aria-current={item.index === state.index ? 'step' : undefined}
                  onClick={() => dispatch({ type: 'jump', index: item.index })}
                >
                  <span className="replay-timeline__time">{duration(item.offsetMs)}</span>
                  <span className={`replay-marker replay-marker--${item.kind}`}>
                    {momentKindLabels[item.kind]}
                  </span>
                  <span className="replay-timeline__label">{item.label}</span>
                </button>
              </li>
            ))}
          </ol>
        </nav>
        {moment && <ReplayScreen snapshot={snapshot} offsetMs={moment.offsetMs} at={moment.at} />}
      </div>
    </div>
  );
  if (besidePlacement === 'above' || !beside) return replay;
  return (
    <div className="replay-sided">
      {replay}
      <div className="replay-sided__side">{beside(position)}</div>
    </div>
  );
}

/** For those who curate the training library: put this interaction in it. */
function AddToLibrary({ desk, id }: { desk: DeskBridge; id: string }) {
  const [adding, setAdding] = useState(false);
  if (!adding) {
    return (
      <button type="button" className="button" onClick={() => setAdding(true)}>
        Add to the training library
      </button>
    );
  }
  return (
    <div className="history-replay__library">
      <EntryEditor
        desk={desk}
        id={id}
        initial={blankEntryForm}
        submitLabel="Add to the library"
        onSaved={() => goTo(trainingHash(id))}
        onCancel={() => setAdding(false)}
      />
    </div>
  );
}

export function HistoryReplay({
  desk,
  user,
  id,
  at,
}: {
  desk: DeskBridge;
  user: StaffMember;
  id: string;
  at: ReplayAt | null;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const open = useCallback(() => desk.openHistory({ id }), [desk, id]);
  const { opened, value: view, show, retry } = useOpened(open, heading);
  const timeline = useReplayTimeline(view?.record);

  return (
    <section className="history-replay" aria-labelledby="history-replay-heading">
      <div className="history-replay__header">
        <a href={findHash} className="history-replay__back">
          Back to interactions
        </a>
        <h2 id="history-replay-heading" ref={heading} tabIndex={-1}>
          {view
            ? `Replay: ${view.record.machineVariant === 'follow_up' ? 'Follow-up call' : channelWords[view.record.channel]} on ${ukDateTime(view.record.startedAt)} with ${view.adviserName}`
            : 'Replay'}
        </h2>
        {view && mayCurateTraining(user) && <AddToLibrary desk={desk} id={id} />}
        {view && (
          <ReviewActions
            desk={desk}
            user={user}
            interactionId={id}
            adviserId={view.record.adviserId}
          />
        )}
      </div>
      <OpenedNotices opened={opened} what="interaction" timeline={timeline} onRetry={retry} />
      {view && timeline?.ok && (
        <ReplayPlayer
          key={view.record.id}
          desk={desk}
          view={view}
          timeline={timeline.value}
          at={at}
          linkFor={(moment) => replayHash(view.record.id, moment)}
          onRevealed={(next) => show(next)}
        />
      )}
    </section>
  );
}
