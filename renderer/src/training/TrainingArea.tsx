// The training library area: the list, and an entry replayed from it. The
// list stays mounted under a replay, so Back returns to the same tag.
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { DeskRoute } from '../history/route';
import { TrainingLibrary } from './TrainingLibrary';
import { TrainingReplay } from './TrainingReplay';
import '../history/history.css';
import './training.css';

export type TrainingRoute = Extract<DeskRoute, { area: 'training' }>;

export function TrainingArea({
  desk,
  user,
  route,
}: {
  desk: DeskBridge;
  user: StaffMember;
  route: TrainingRoute;
}) {
  return (
    <div className="history training">
      <div className="history__header">
        <h2 className="history__title">Training library</h2>
      </div>
      <div hidden={route.view !== 'library'}>
        <TrainingLibrary desk={desk} user={user} />
      </div>
      {route.view === 'replay' && (
        <TrainingReplay key={route.id} desk={desk} id={route.id} at={route.at} />
      )}
    </div>
  );
}
