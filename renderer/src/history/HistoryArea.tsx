// The history area: Find, a replay opened from it, and (for team leaders) the
// record of personal-data views. Find stays mounted under a replay, so Back
// returns to the same filters, page and place.
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { useState } from 'react';
import type { DrillDown } from './drill-down';
import { HistoryFind } from './HistoryFind';
import { HistoryReplay } from './HistoryReplay';
import { PersonalDataViews } from './PersonalDataViews';
import { auditHash, findHash, type DeskRoute } from './route';
import './history.css';

export type HistoryRoute = Extract<DeskRoute, { area: 'history' }>;

export const mayReadPersonalDataViews = (user: StaffMember) => user.roles.includes('team_leader');

export function HistoryArea({
  desk,
  user,
  route,
}: {
  desk: DeskBridge;
  user: StaffMember;
  route: HistoryRoute;
}) {
  const audit = mayReadPersonalDataViews(user);
  // The drill-down Find was last opened with: kept while a replay is open over
  // it, so Back returns to the same results rather than a new search. Set
  // while rendering, as React allows for state that follows the route.
  const [find, setFind] = useState<{ key: string; drill: DrillDown | undefined }>({
    key: 'find',
    drill: undefined,
  });
  if (route.view === 'find') {
    const key = route.drill ? JSON.stringify(route.drill) : 'find';
    if (key !== find.key) setFind({ key, drill: route.drill });
  }
  return (
    <div className="history">
      <div className="history__header">
        <h2 className="history__title">Interaction history</h2>
        {audit && (
          <nav aria-label="History" className="history__nav">
            <a href={findHash} aria-current={route.view !== 'audit' ? 'page' : undefined}>
              Find interactions
            </a>
            <a href={auditHash} aria-current={route.view === 'audit' ? 'page' : undefined}>
              Personal data views
            </a>
          </nav>
        )}
      </div>
      <div hidden={route.view !== 'find'}>
        {/* A new drill-down is a new search: Find starts again with its filters. */}
        <HistoryFind key={find.key} desk={desk} user={user} drill={find.drill} />
      </div>
      {route.view === 'replay' && (
        <HistoryReplay key={route.id} desk={desk} user={user} id={route.id} at={route.at} />
      )}
      {route.view === 'audit' && audit && <PersonalDataViews desk={desk} />}
      {route.view === 'audit' && !audit && (
        <p role="alert" className="notice notice--problem">
          The record of personal data views is for team leaders.
        </p>
      )}
    </div>
  );
}
