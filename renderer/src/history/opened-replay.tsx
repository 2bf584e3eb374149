// Opening something to replay (a past interaction, a training-library entry,
// a quality review): asked of the desk services once per attempt, shown as
// loading, failed with Try again, or shown; and the notices for each state.
// The history, the training library and quality review all open this way.
import { useCallback, useEffect, useMemo, useState, type RefObject } from 'react';
import {
  buildReplayTimeline,
  type ReplayTimeline,
} from '../../../shared/interaction/replay-timeline';
import type { InteractionRecord } from '../../../shared/interaction/record';
import type { Result, ResultError } from '../../../shared/result';

export type Opened<T> =
  { state: 'loading' } | { state: 'failed'; error: ResultError } | { state: 'shown'; value: T };

/**
 * The answer to `open` (keep it stable with useCallback), asked again on
 * `retry`. `show` replaces the shown value (after a reveal or an edit); given
 * the attempt a later look belongs to, it never overwrites a newer attempt.
 * Once the answer is in, focus moves to `heading`, where reading starts.
 */
export function useOpened<T>(
  open: () => Promise<Result<T>>,
  heading: RefObject<HTMLElement | null>,
) {
  const [attempt, setAttempt] = useState(0);
  // Each answer is kept with the attempt it answers; a newer attempt shows as loading.
  const [answered, setAnswered] = useState<{ attempt: number; opened: Opened<T> } | null>(null);
  const opened: Opened<T> = answered?.attempt === attempt ? answered.opened : { state: 'loading' };

  useEffect(() => {
    let current = true;
    void open().then((answer) => {
      if (!current) return;
      setAnswered({
        attempt,
        opened: answer.ok
          ? { state: 'shown', value: answer.value }
          : { state: 'failed', error: answer.error },
      });
    });
    return () => {
      current = false;
    };
  }, [open, attempt]);

  useEffect(() => {
    if (opened.state !== 'loading') heading.current?.focus();
  }, [opened.state, heading]);

  const show = useCallback(
    (value: T, forAttempt: number = attempt) =>
      setAnswered((held) =>
        held && held.attempt > forAttempt
          ? held
          : { attempt: forAttempt, opened: { state: 'shown', value } },
      ),
    [attempt],
  );
  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  const value = opened.state === 'shown' ? opened.value : null;
  return { opened, value, attempt, show, retry };
}

/** The replay timeline of a shown record, built once per record. */
export function useReplayTimeline(
  record: InteractionRecord | undefined,
): Result<ReplayTimeline> | null {
  return useMemo(() => (record ? buildReplayTimeline(record) : null), [record]);
}

/** Loading, failed with Try again, or a record that cannot be replayed. */
export function OpenedNotices({
  opened,
  what,
  timeline,
  onRetry,
}: {
  opened: Opened<unknown>;
  /** "interaction", "entry", "review": what the words call it. */
  what: string;
  timeline: Result<ReplayTimeline> | null;
  onRetry: () => void;
}) {
  return (
    <>
      {opened.state === 'loading' && <p role="status">Opening the {what}…</p>}
      {opened.state === 'failed' && (
        <div role="alert" className="notice notice--problem">
          <p>
            Could not open this {what}: {opened.error.message}
          </p>
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
      {opened.state === 'shown' && timeline && !timeline.ok && (
        <div role="alert" className="notice notice--problem">
          <p>This interaction cannot be replayed: {timeline.error.message}</p>
        </div>
      )}
    </>
  );
}
