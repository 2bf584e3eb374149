// Who may do what on the central server: one table of rules (action, role,
// whose data), asked by every HTTP route and every socket event. Anything the
// table does not name is refused, so a forgotten rule answers "forbidden".
// docs/permissions.md shows the same table; a test keeps the two equal.
import type { Role, StaffMember } from '../../shared/domain/people';
import { fail, ok, type Result } from '../../shared/result';
import type { OutboxKind } from '../../shared/wire/outbox';

/**
 * How far a permission reaches: `own` is the staff member's own work (what
 * they took, booked or wrote), `all` is everyone's.
 */
export type Scope = 'own' | 'all';

export const actions = [
  // Live contacts: being available, being offered, taking and working chats and calls.
  'live.take',
  // Past interactions and what hangs off them.
  'interaction.read',
  'follow-up.read',
  // Making follow-up calls: the day's list, ringing, rebooking and withdrawing.
  'follow-up.call',
  // How many follow-ups each day of a window holds, when booking one.
  'follow-up.capacity',
  'transcript.read',
  'recording.listen',
  // Personal data of a customer (names, numbers, addresses, what they said) in what is read.
  'personal-data.read',
  // Seeing an interaction's original, unredacted record in the history, with a reason that is recorded.
  'personal-data.reveal',
  // The record of who saw personal data in the history, and why.
  'audit.read',
  // A caller's earlier interactions with the service, shown with the contact being taken.
  'caller.history',
  // The training library: reading cleared entries, curating entries (tags, bookmarks, notes), and clearing them for trainees.
  'training.read',
  'training.curate',
  'training.clear',
  // Quality review: reading reviews (advisers only their own, once published), writing them,
  // an adviser's acknowledgement, disputes and flags, resolving disputes, the weekly sample,
  // calibration sessions, and reports; editing and publishing scorecard forms, passing a
  // review to another team leader, and setting advisers' improvement targets.
  'quality.read',
  'quality.review',
  'quality.respond',
  'quality.flag',
  'quality.resolve',
  'quality.sample',
  'quality.calibrate',
  'quality.report',
  'quality.forms',
  'quality.reassign',
  'quality.targets',
  // The service dashboard: its figures and live board, and the improvement plan (team leaders).
  'dashboard.read',
  'dashboard.plan',
  // Delivering outbox items, one action per kind.
  'outbox.interaction.completed',
  'outbox.follow-up.booked',
  'outbox.transcript.requested',
  'outbox.knowledge.edit',
  'outbox.safeguarding.raised',
  'outbox.quality.review',
  // Safeguarding in real time.
  'safeguarding.raise',
  'safeguarding.watch',
  'safeguarding.acknowledge',
  // The knowledge network.
  'knowledge.read',
  'knowledge.draft',
  'knowledge.review',
  // Operators' view of transcript delivery: the mail sink and failing transcripts.
  'mail.read',
] as const;
export type Action = (typeof actions)[number];

export type Rules = Record<Action, Partial<Record<Role, Scope>>>;

/**
 * The rules. Trainers read every interaction, but only through the history,
 * which hides personal data on the server before anything leaves it: they hold
 * no `personal-data.read`, so no listing that carries personal data (the
 * interactions, follow-ups and transcripts lists) answers them, and no
 * `personal-data.reveal`, so they never see an original.
 */
export const rules: Rules = {
  'live.take': { adviser: 'own' },
  'interaction.read': { adviser: 'own', team_leader: 'all', trainer: 'all' },
  'follow-up.read': { adviser: 'own', team_leader: 'all' },
  // Own bookings; another adviser's only once it is offered to the team (the
  // booking adviser is away or the window is closing), which the service decides.
  'follow-up.call': { adviser: 'own' },
  // Counts only, no customer: every adviser booking a slot sees them.
  'follow-up.capacity': { adviser: 'all', team_leader: 'all' },
  'transcript.read': { adviser: 'own', team_leader: 'all' },
  'recording.listen': { adviser: 'own', team_leader: 'all' },
  'personal-data.read': { adviser: 'own', team_leader: 'all' },
  'personal-data.reveal': { adviser: 'own', team_leader: 'all' },
  'audit.read': { team_leader: 'all' },
  // The adviser taking the contact sees that caller's earlier interactions,
  // whoever took them: the service's continuity, not another adviser's work.
  'caller.history': { adviser: 'own', team_leader: 'all' },
  // Advisers are the trainees: they read the library, and see only what a team leader cleared.
  'training.read': { adviser: 'all', team_leader: 'all', trainer: 'all' },
  'training.curate': { team_leader: 'all', trainer: 'all' },
  'training.clear': { team_leader: 'all' },
  // Team leaders review everyone's work; an adviser reads and answers reviews of their own.
  // Trainers have no part: a review is feedback to one adviser, not teaching material.
  'quality.read': { adviser: 'own', team_leader: 'all' },
  'quality.review': { team_leader: 'all' },
  'quality.respond': { adviser: 'own' },
  'quality.flag': { adviser: 'own' },
  'quality.resolve': { team_leader: 'all' },
  'quality.sample': { team_leader: 'all' },
  'quality.calibrate': { team_leader: 'all' },
  'quality.report': { team_leader: 'all' },
  // A form changes what every later review asks: team leaders own it, as they own the reviews.
  'quality.forms': { team_leader: 'all' },
  'quality.reassign': { team_leader: 'all' },
  // Agreed at a performance review, which a team leader holds; the adviser reads their own (quality.read).
  'quality.targets': { team_leader: 'all' },
  'dashboard.read': { team_leader: 'all' },
  'dashboard.plan': { team_leader: 'all' },
  'outbox.interaction.completed': { adviser: 'own' },
  'outbox.follow-up.booked': { adviser: 'own' },
  'outbox.transcript.requested': { adviser: 'own' },
  'outbox.knowledge.edit': { adviser: 'own', team_leader: 'own', knowledge_editor: 'own' },
  'outbox.safeguarding.raised': { adviser: 'own' },
  'outbox.quality.review': { team_leader: 'own' },
  'safeguarding.raise': { adviser: 'own' },
  'safeguarding.watch': { team_leader: 'all' },
  'safeguarding.acknowledge': { team_leader: 'all' },
  'knowledge.read': { adviser: 'all', team_leader: 'all', trainer: 'all', knowledge_editor: 'all' },
  'knowledge.draft': { adviser: 'own', team_leader: 'own', knowledge_editor: 'own' },
  'knowledge.review': { team_leader: 'all', knowledge_editor: 'all' },
  'mail.read': { team_leader: 'all' },
};

/** What each action is called in a refusal, so the person reads why. */
const described: Record<Action, string> = {
  'live.take': 'take chats and calls (advisers only)',
  'interaction.read': 'read interactions',
  'follow-up.read': 'read follow-up bookings',
  'follow-up.call': 'make follow-up calls (advisers only)',
  'follow-up.capacity': 'see how many follow-ups are booked each day',
  'transcript.read': 'read transcripts',
  'recording.listen': 'hear call recordings',
  'personal-data.read': "read customers' personal data",
  'personal-data.reveal': "see the original of an interaction with its customer's personal data",
  'audit.read': 'read the record of who saw personal data (team leaders only)',
  'caller.history': "see a caller's earlier interactions (for the contact you are taking)",
  'training.read': 'read the training library',
  'training.curate': 'add to, tag or mark the training library (trainers and team leaders)',
  'training.clear': 'clear interactions for the training library (team leaders only)',
  'quality.read': 'read quality reviews',
  'quality.review': 'write quality reviews (team leaders only)',
  'quality.respond': 'acknowledge or dispute quality reviews (advisers, of their own work)',
  'quality.flag': 'ask for an interaction to be reviewed (advisers, of their own)',
  'quality.resolve': 'resolve disputed quality reviews (team leaders only)',
  'quality.sample': 'draw the weekly review sample (team leaders only)',
  'quality.calibrate': 'run calibration sessions (team leaders only)',
  'quality.report': 'read quality reports (team leaders only)',
  'quality.forms': 'edit and publish scorecard forms (team leaders only)',
  'quality.reassign': 'pass a review to another team leader (team leaders only)',
  'quality.targets': 'set improvement targets (team leaders only)',
  'dashboard.read': 'see the service dashboard (team leaders only)',
  'dashboard.plan': 'change the improvement plan (team leaders only)',
  'outbox.interaction.completed': 'deliver interaction records (advisers only)',
  'outbox.follow-up.booked': 'deliver follow-up bookings (advisers only)',
  'outbox.transcript.requested': 'ask for transcripts (advisers only)',
  'outbox.knowledge.edit': 'suggest knowledge-network edits',
  'outbox.safeguarding.raised': 'raise safeguarding concerns (advisers only)',
  'outbox.quality.review': 'deliver quality reviews (team leaders only)',
  'safeguarding.raise': 'raise safeguarding concerns (advisers only)',
  'safeguarding.watch': 'receive safeguarding alerts (team leaders only)',
  'safeguarding.acknowledge': 'acknowledge safeguarding concerns (team leaders only)',
  'knowledge.read': 'read the knowledge network',
  'knowledge.draft': 'suggest knowledge-network edits',
  'knowledge.review': 'review, publish or retire knowledge-network articles',
  'mail.read': 'see the mail sink and failing transcripts (team leaders only)',
};

export const outboxAction: Record<OutboxKind, Action> = {
  'interaction.completed': 'outbox.interaction.completed',
  'followup.booked': 'outbox.follow-up.booked',
  'transcript.requested': 'outbox.transcript.requested',
  'knowledge.edit': 'outbox.knowledge.edit',
  'safeguarding.raised': 'outbox.safeguarding.raised',
  'quality.review.saved': 'outbox.quality.review',
};

/** The widest scope any of the staff member's roles gives for the action; null when none does. */
export function scopeOf(staff: Pick<StaffMember, 'roles'>, action: Action): Scope | null {
  let widest: Scope | null = null;
  for (const role of staff.roles) {
    const scope = rules[action][role];
    if (scope === 'all') return 'all';
    if (scope === 'own') widest = 'own';
  }
  return widest;
}

export function refusal(action: Action): Result<never> {
  return fail('forbidden', `Your role does not allow you to ${described[action]}`);
}

/**
 * May this staff member do the action at all? With `ownerId`, on that
 * person's data: an `own` scope covers only the staff member's own.
 */
export function authorize(
  staff: Pick<StaffMember, 'id' | 'roles'>,
  action: Action,
  ownerId?: string | null,
): Result<Scope> {
  const scope = scopeOf(staff, action);
  if (!scope) return refusal(action);
  if (scope === 'own' && ownerId !== undefined && ownerId !== staff.id) {
    return fail('forbidden', `You may ${described[action]} only for your own work`);
  }
  return ok(scope);
}

/**
 * The filter a listing applies, so a list never returns what its reader may
 * not see: `{ ownerId: null }` for everyone's, the reader's own id for `own`.
 * Every action named must allow it, and the narrowest scope wins (a list of
 * follow-ups needs `follow-up.read` and, for the numbers in it, `personal-data.read`).
 */
export function listingFilter(
  staff: Pick<StaffMember, 'id' | 'roles'>,
  ...required: [Action, ...Action[]]
): Result<{ ownerId: string | null }> {
  let everyone = true;
  for (const action of required) {
    const scope = authorize(staff, action);
    if (!scope.ok) return scope;
    if (scope.value === 'own') everyone = false;
  }
  return ok({ ownerId: everyone ? null : staff.id });
}
