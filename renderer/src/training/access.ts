// Who may do what in the training library, as the desk shows it. The central
// server's permission policy decides; these only keep the desk from offering
// what the server would refuse.
import type { Role, StaffMember } from '../../../shared/domain/people';

const has = (user: StaffMember, roles: readonly Role[]) =>
  user.roles.some((role) => roles.includes(role));

/** Advisers are the trainees: they read cleared entries. */
export const mayReadTraining = (user: StaffMember) =>
  has(user, ['adviser', 'team_leader', 'trainer']);

export const mayCurateTraining = (user: StaffMember) => has(user, ['team_leader', 'trainer']);
