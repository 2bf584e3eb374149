// Where an entry's clearance stands, in words and a badge that does not rely on colour alone.
import type { ClearanceStatus } from '../../../shared/wire/training';

export const clearanceWords: Record<ClearanceStatus, string> = {
  awaiting_clearance: 'Awaiting clearance',
  cleared: 'Cleared for training',
  refused: 'Refused',
};

export function StatusBadge({ status }: { status: ClearanceStatus }) {
  return (
    <span className={`training-status training-status--${status}`}>{clearanceWords[status]}</span>
  );
}
