// Who saw personal data in the history, when and why: every reveal the
// server recorded, for team leaders to check.
import { useEffect, useRef, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import type { PersonalDataView } from '../../../shared/wire/history';
import { ukDateTime } from '../interaction/time-words';
import { replayHash } from './route';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; error: ResultError }
  | { state: 'shown'; items: PersonalDataView[] };

export function PersonalDataViews({ desk }: { desk: DeskBridge }) {
  const [attempt, setAttempt] = useState(0);
  // Each answer is kept with the attempt it answers; a newer attempt shows as loading.
  const [answered, setAnswered] = useState<{ attempt: number; loaded: Loaded } | null>(null);
  const loaded: Loaded = answered?.attempt === attempt ? answered.loaded : { state: 'loading' };
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    void desk.personalDataViews(null).then((answer) => {
      if (!current) return;
      setAnswered({
        attempt,
        loaded: answer.ok
          ? { state: 'shown', items: answer.value.items }
          : { state: 'failed', error: answer.error },
      });
    });
    return () => {
      current = false;
    };
  }, [desk, attempt]);

  useEffect(() => heading.current?.focus(), []);

  return (
    <section
      className="history-audit"
      aria-labelledby="history-audit-heading"
      aria-busy={loaded.state === 'loading'}
    >
      <h2 id="history-audit-heading" ref={heading} tabIndex={-1}>
        Personal data views
      </h2>
      <p className="replay-quiet">
        Every time someone asked to see an interaction’s personal data, with their reason.
      </p>
      {loaded.state === 'loading' && <p role="status">Loading the record of views…</p>}
      {loaded.state === 'failed' && (
        <div role="alert" className="notice notice--problem">
          <p>Could not load the record of views: {loaded.error.message}</p>
          <button type="button" className="button" onClick={() => setAttempt((count) => count + 1)}>
            Try again
          </button>
        </div>
      )}
      {loaded.state === 'shown' &&
        (loaded.items.length === 0 ? (
          <p role="status">Nobody has asked to see personal data yet.</p>
        ) : (
          <div className="history-table__scroll">
            <table className="history-table" aria-labelledby="history-audit-heading">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Interaction</th>
                </tr>
              </thead>
              <tbody>
                {loaded.items.map((item) => (
                  <tr key={item.id}>
                    <td>{ukDateTime(item.viewedAt)}</td>
                    <td>{item.viewerName || item.viewerId}</td>
                    <td className="history-table__reason">{item.reason}</td>
                    <td>
                      <a href={replayHash(item.interactionId)}>
                        Replay<span className="visually-hidden"> the interaction viewed</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
