// The words a follow-up interaction shows for how far an action got and how
// the customer's circumstances changed; the codes are the record's.
import type { ActionProgress, CircumstanceChange } from '../../../../shared/interaction/record';

export const actionProgressLabels: Record<ActionProgress, string> = {
  done: 'Done',
  in_progress: 'In progress',
  not_started: 'Not started',
  no_longer_wanted: 'No longer wanted',
};

export const circumstanceChangeLabels: Record<CircumstanceChange, string> = {
  better: 'Yes, for the better',
  same: 'No, not changed',
  worse: 'Yes, for the worse',
};
