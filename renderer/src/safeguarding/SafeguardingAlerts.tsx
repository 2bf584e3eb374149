// Safeguarding at the top of the desk. A team leader's desk shows every concern
// still open, most urgent first (immediate risk, then the longest waiting),
// each with its Acknowledge control in its own header so no scrolling hides
// it, and the recent concerns with what was done about each. An adviser's desk
// shows the acknowledgements of concerns they raised. Whatever arrives while
// the desk is open is announced.
import { useEffect, useRef, useState } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import { safeguardingCategoryLabels } from '../../../shared/interaction/taxonomy';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import {
  byUrgency,
  type SafeguardingAcknowledge,
  type SafeguardingAlert,
} from '../../../shared/wire/safeguarding';
import { AcknowledgeConcern } from './AcknowledgeConcern';
import { ConcernHistory } from './ConcernHistory';
import { ConcernOutcomes } from './ConcernOutcomes';
import { clockTime, describeConcern, shortInteraction, waitingFor } from './words';
import './safeguarding.css';

export function SafeguardingAlerts({ desk, user }: { desk: DeskBridge; user: StaffMember }) {
  return (
    <>
      {user.roles.includes('team_leader') && <LeaderConcerns desk={desk} />}
      {user.roles.includes('adviser') && <ConcernOutcomes desk={desk} />}
    </>
  );
}

/** The waiting times move on once a minute; nothing on this list needs finer. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function LeaderConcerns({ desk }: { desk: DeskBridge }) {
  const [open, setOpen] = useState<readonly SafeguardingAlert[]>([]);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [problem, setProblem] = useState<ResultError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /** The concern whose acknowledgement form is open. */
  const [acknowledging, setAcknowledging] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  /** Moves on with each acknowledgement, so the history reloads. */
  const [historyVersion, setHistoryVersion] = useState(0);
  /** The concern whose form just closed: focus goes back to it after that render. */
  const focusAfter = useRef<string | null>(null);
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const heading = useRef<HTMLHeadingElement>(null);
  /** Concerns already shown: a reconnect sends the open ones again, which are not news. */
  const seen = useRef<Set<string> | null>(null);
  const now = useMinuteClock();

  useEffect(() => {
    let current = true;
    const take = (list: readonly SafeguardingAlert[]) => {
      if (!current) return;
      setOpen([...list].sort(byUrgency));
      const known = seen.current;
      const fresh = known ? list.filter((alert) => !known.has(alert.concernId)) : list;
      seen.current = new Set([...(known ?? []), ...list.map((alert) => alert.concernId)]);
      if (fresh.length === 0) return;
      // The most urgent of what is new is the one to hear first.
      const mostUrgent = [...fresh].sort(byUrgency)[0];
      if (!mostUrgent) return;
      setAnnouncement(
        fresh.length === 1
          ? `Safeguarding concern: ${describeConcern(mostUrgent)}.`
          : `${fresh.length} safeguarding concerns need acknowledging. Most urgent: ${describeConcern(mostUrgent)}.`,
      );
    };
    const unsubscribe = desk.onSafeguardingAlerts(({ open: list }) => take(list));
    void desk.openSafeguardingConcerns(null).then((result) => {
      if (result.ok) take(result.value.open);
    });
    return () => {
      current = false;
      unsubscribe();
    };
  }, [desk]);

  useEffect(() => {
    const concernId = focusAfter.current;
    if (concernId === null) return;
    focusAfter.current = null;
    // Back to the concern's own Acknowledge button, or, once it is gone, the heading.
    (openers.current.get(concernId) ?? heading.current)?.focus();
  });

  const acknowledge = async (acknowledgement: SafeguardingAcknowledge) => {
    setBusy(acknowledgement.concernId);
    setProblem(null);
    const result = await desk.acknowledgeSafeguardingConcern(acknowledgement);
    setBusy(null);
    if (!result.ok) {
      setProblem(result.error);
      return;
    }
    focusAfter.current = acknowledgement.concernId;
    setAnnouncement(null);
    setAcknowledging(null);
    setOpen((list) => list.filter((alert) => alert.concernId !== acknowledgement.concernId));
    setHistoryVersion((version) => version + 1);
  };

  const urgent = open.filter((alert) => alert.immediateRisk).length;

  return (
    <section
      className={`safeguarding-alerts${open.length === 0 ? ' safeguarding-alerts--quiet' : ''}`}
      aria-labelledby="safeguarding-alerts-heading"
    >
      <div className="safeguarding-alerts__bar">
        <h2 id="safeguarding-alerts-heading" ref={heading} tabIndex={-1}>
          {open.length === 0
            ? 'No open safeguarding concerns'
            : `Open safeguarding concerns: ${open.length}${urgent > 0 ? `, ${urgent} with immediate risk` : ''}`}
        </h2>
        <button
          type="button"
          className="button"
          aria-expanded={showHistory}
          aria-controls="safeguarding-history"
          onClick={() => setShowHistory((shown) => !shown)}
        >
          {showHistory ? 'Hide recent concerns' : 'Recent concerns'}
        </button>
      </div>
      {/* Always in the page, so what is put into it is announced. */}
      <p role="alert" className="safeguarding-alerts__new">
        {announcement}
      </p>
      {problem && (
        <p role="alert" className="notice notice--problem">
          Could not acknowledge: {problem.message}
        </p>
      )}
      {open.length > 0 && (
        <ol
          aria-label="Open safeguarding concerns, most urgent first"
          className="safeguarding-alerts__list"
        >
          {open.map((alert) => (
            <li
              key={alert.concernId}
              className={`safeguarding-alerts__concern${alert.immediateRisk ? ' safeguarding-alerts__concern--urgent' : ''}`}
            >
              <div className="safeguarding-alerts__head">
                {alert.immediateRisk && <span className="risk-badge">Immediate risk</span>}
                <span className="safeguarding-alerts__category">
                  {safeguardingCategoryLabels[alert.category]}
                </span>
                <span className="safeguarding-alerts__waiting">
                  {waitingFor(alert.receivedAt, now)}
                </span>
                {acknowledging !== alert.concernId && (
                  <button
                    type="button"
                    className="button button--primary safeguarding-alerts__acknowledge-button"
                    ref={(button) => {
                      if (button) openers.current.set(alert.concernId, button);
                      else openers.current.delete(alert.concernId);
                    }}
                    disabled={busy !== null}
                    aria-label={`Acknowledge: ${describeConcern(alert)}`}
                    onClick={() => {
                      setProblem(null);
                      setAcknowledging(alert.concernId);
                    }}
                  >
                    Acknowledge
                  </button>
                )}
              </div>
              <dl>
                <div>
                  <dt>Adviser</dt>
                  <dd>{alert.adviser.displayName}</dd>
                </div>
                <div>
                  <dt>Interaction</dt>
                  <dd title={alert.interactionId}>{shortInteraction(alert.interactionId)}</dd>
                </div>
                <div>
                  <dt>Immediate risk</dt>
                  <dd>{alert.immediateRisk ? 'Yes' : 'No'}</dd>
                </div>
                <div>
                  <dt>Raised</dt>
                  <dd>
                    <time dateTime={alert.raisedAt}>
                      {clockTime.format(new Date(alert.raisedAt))}
                    </time>
                  </dd>
                </div>
              </dl>
              {alert.whatWasSaid && (
                <p className="safeguarding-alerts__said">What was said: {alert.whatWasSaid}</p>
              )}
              {acknowledging === alert.concernId && (
                <AcknowledgeConcern
                  concernId={alert.concernId}
                  busy={busy !== null}
                  onAcknowledge={(acknowledgement) => void acknowledge(acknowledgement)}
                  onCancel={() => {
                    focusAfter.current = alert.concernId;
                    setAcknowledging(null);
                  }}
                />
              )}
            </li>
          ))}
        </ol>
      )}
      <div id="safeguarding-history" hidden={!showHistory}>
        {showHistory && (
          <>
            <h3>Recent concerns</h3>
            <ConcernHistory desk={desk} version={historyVersion} />
          </>
        )}
      </div>
    </section>
  );
}
