// A follow-up call's status stage: where the young person is now, recorded
// beside where they were at the first contact.
import {
  currentStatusLabels,
  currentStatuses,
  educationEmploymentOrTraining,
  type CurrentStatus,
} from '../../../../shared/interaction/taxonomy';
import { RadioGroup } from '../controls';
import type { StageProps } from './types';

/** What the move from the status then to the status now means, as the outcome figures count it. */
function sinceThen(then: CurrentStatus, now: CurrentStatus): string {
  if (then === now) return 'The same as at first contact';
  if (then === 'neet' && educationEmploymentOrTraining.includes(now)) {
    return 'Has left NEET: now in education, employment or training';
  }
  return 'Changed since the first contact';
}

export function StatusNowStage({ context, send }: StageProps) {
  const review = context.followUpOf;
  const then = review?.statusAtFirstContact ?? null;
  const now = review?.statusNow ?? null;
  // The status then is marked among the choices, so "the same" is one glance away.
  const labels = then
    ? { ...currentStatusLabels, [then]: `${currentStatusLabels[then]} (at first contact)` }
    : currentStatusLabels;
  return (
    <div className="status-compare">
      <dl className="status-compare__then">
        <dt>Status at first contact</dt>
        <dd>{then ? currentStatusLabels[then] : 'Not recorded at the first contact'}</dd>
        {then && now && (
          <>
            <dt>Since then</dt>
            <dd>{sinceThen(then, now)}</dd>
          </>
        )}
      </dl>
      <RadioGroup
        legend="Status now"
        options={currentStatuses}
        labels={labels}
        value={now}
        onChange={(status) => send({ type: 'RECORD_STATUS_NOW', status })}
      />
    </div>
  );
}
