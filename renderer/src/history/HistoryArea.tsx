// The history area: Find, a replay opened from it, and (for team leaders) the
// record of personal-data views. Find stays mounted under a replay, so Back
// returns to the same filters, page and place.
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
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
        <HistoryFind desk={desk} user={user} />
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
