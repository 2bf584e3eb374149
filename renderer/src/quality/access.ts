// Who may do what in quality review, as the desk shows it. The central
// server's permission policy decides; these only keep the desk from offering
// what the server would refuse.
import type { Role, StaffMember } from '../../../shared/domain/people';

const has = (user: StaffMember, roles: readonly Role[]) =>
  user.roles.some((role) => roles.includes(role));

/** Advisers read reviews of their own work; team leaders write and read everyone's. */
export const mayReadQuality = (user: StaffMember) => has(user, ['adviser', 'team_leader']);

/** Team leaders review, draw the sample, calibrate, resolve disputes and read reports. */
export const mayReviewQuality = (user: StaffMember) => has(user, ['team_leader']);

/** Advisers have reviews of their own work, to acknowledge and dispute. */
export const receivesReviews = (user: StaffMember) => has(user, ['adviser']);
