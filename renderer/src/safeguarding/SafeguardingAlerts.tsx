// A team leader's safeguarding alerts: every concern still open, whichever
// adviser raised it, above whatever else is on the desk until a team leader
// acknowledges it. A concern arriving while the desk is open is announced.
import { useEffect, useRef, useState } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import { SERVICE_TIME_ZONE } from '../../../shared/interaction/follow-up';
import { safeguardingCategoryLabels } from '../../../shared/interaction/taxonomy';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import type { SafeguardingAlert } from '../../../shared/wire/safeguarding';
import './safeguarding.css';

const time = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
});

/** Interaction ids are UUIDs; the first block is enough to tell them apart on screen. */
const shortInteraction = (interactionId: string) => interactionId.slice(0, 8);

function describe(alert: SafeguardingAlert): string {
  return `${safeguardingCategoryLabels[alert.category]}${alert.immediateRisk ? ', immediate risk' : ''}, raised by ${alert.adviser.displayName}`;
}

export function SafeguardingAlerts({ desk, user }: { desk: DeskBridge; user: StaffMember }) {
  const leader = user.roles.includes('team_leader');
  const [open, setOpen] = useState<readonly SafeguardingAlert[]>([]);
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const [problem, setProblem] = useState<ResultError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /** Concerns already shown: a reconnect sends the open ones again, which are not news. */
  const seen = useRef<Set<string> | null>(null);

  useEffect(() => {
    if (!leader) return;
    let current = true;
    const take = (list: readonly SafeguardingAlert[]) => {
      if (!current) return;
      setOpen(list);
      const known = seen.current;
      const fresh = known ? list.filter((alert) => !known.has(alert.concernId)) : list;
      seen.current = new Set([...(known ?? []), ...list.map((alert) => alert.concernId)]);
      const newest = fresh.at(-1);
      if (!newest) return;
      setAnnouncement(
        fresh.length === 1
          ? `Safeguarding concern: ${describe(newest)}.`
          : `${fresh.length} safeguarding concerns need acknowledging. Newest: ${describe(newest)}.`,
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
  }, [desk, leader]);

  if (!leader || open.length === 0) return null;

  const acknowledge = async (concernId: string) => {
    setBusy(concernId);
    setProblem(null);
    const result = await desk.acknowledgeSafeguardingConcern({ concernId });
    setBusy(null);
    if (!result.ok) setProblem(result.error);
    else {
      setAnnouncement(null);
      setOpen((list) => list.filter((alert) => alert.concernId !== concernId));
    }
  };

  return (
    <section className="safeguarding-alerts" aria-labelledby="safeguarding-alerts-heading">
      <h2 id="safeguarding-alerts-heading">Open safeguarding concerns</h2>
      {announcement && (
        <p role="alert" className="safeguarding-alerts__new">
          {announcement}
        </p>
      )}
      {problem && (
        <p role="alert" className="notice notice--problem">
          Could not acknowledge: {problem.message}
        </p>
      )}
      <ul aria-label="Open safeguarding concerns" className="safeguarding-alerts__list">
        {open.map((alert) => (
          <li key={alert.concernId} className="safeguarding-alerts__concern">
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
                <dt>Category</dt>
                <dd>{safeguardingCategoryLabels[alert.category]}</dd>
              </div>
              <div>
                <dt>Immediate risk</dt>
                <dd>{alert.immediateRisk ? 'Yes' : 'No'}</dd>
              </div>
              <div>
                <dt>Raised</dt>
                <dd>
                  <time dateTime={alert.raisedAt}>{time.format(new Date(alert.raisedAt))}</time>
                </dd>
              </div>
            </dl>
            {alert.whatWasSaid && (
              <p className="safeguarding-alerts__said">What was said: {alert.whatWasSaid}</p>
            )}
            <button
              type="button"
              className="button button--primary"
              disabled={busy !== null}
              onClick={() => void acknowledge(alert.concernId)}
            >
              Acknowledge
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
