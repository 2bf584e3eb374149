// Recent safeguarding concerns, open and acknowledged, for whoever is alerted
// to them: who raised each, who acknowledged it and when, what was done, and a
// link to the interaction in the history once its record has reached the server.
import { useEffect, useState } from 'react';
import { safeguardingCategoryLabels } from '../../../shared/interaction/taxonomy';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import type { SafeguardingHistoryEntry } from '../../../shared/wire/safeguarding';
import { replayHash } from '../history/route';
import { dayAndTime, shortInteraction, whatWasDone } from './words';

export function ConcernHistory({ desk, version }: { desk: DeskBridge; version: number }) {
  const [entries, setEntries] = useState<readonly SafeguardingHistoryEntry[] | null>(null);
  const [problem, setProblem] = useState<ResultError | null>(null);

  useEffect(() => {
    let current = true;
    void desk.safeguardingHistory({ limit: 50 }).then((result) => {
      if (!current) return;
      if (result.ok) {
        setEntries(result.value.concerns);
        setProblem(null);
      } else setProblem(result.error);
    });
    return () => {
      current = false;
    };
    // `version` moves on each acknowledgement, so the list shows it at once.
  }, [desk, version]);

  if (problem) {
    return (
      <p role="alert" className="notice notice--problem">
        Could not load recent concerns: {problem.message}
      </p>
    );
  }
  if (entries === null) return <p role="status">Loading recent concerns…</p>;
  if (entries.length === 0) return <p>No safeguarding concerns have been raised yet.</p>;

  return (
    <ul aria-label="Recent safeguarding concerns" className="concern-history">
      {entries.map(({ concern, acknowledged, adviserToldAt, interactionHeld }) => (
        <li key={concern.concernId} className="concern-history__entry">
          <p className="concern-history__title">
            {concern.immediateRisk && <span className="risk-badge">Immediate risk</span>}{' '}
            {safeguardingCategoryLabels[concern.category]}, raised by {concern.adviser.displayName}{' '}
            at{' '}
            <time dateTime={concern.raisedAt}>{dayAndTime.format(new Date(concern.raisedAt))}</time>
          </p>
          {acknowledged ? (
            <p>
              Acknowledged by {acknowledged.acknowledgedBy.displayName} at{' '}
              <time dateTime={acknowledged.acknowledgedAt}>
                {dayAndTime.format(new Date(acknowledged.acknowledgedAt))}
              </time>
              . What was done: {whatWasDone(acknowledged)}{' '}
              {adviserToldAt
                ? `${concern.adviser.displayName} was told.`
                : `${concern.adviser.displayName} has not been told yet (their desk is not connected).`}
            </p>
          ) : (
            <p className="concern-history__open">Open: not acknowledged yet.</p>
          )}
          <p>
            {interactionHeld ? (
              <a href={replayHash(concern.interactionId)}>
                Open interaction {shortInteraction(concern.interactionId)} in the history
              </a>
            ) : (
              <>
                Interaction {shortInteraction(concern.interactionId)} is not in the history yet: it
                arrives when the adviser completes it.
              </>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
