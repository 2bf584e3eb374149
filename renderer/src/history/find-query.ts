// The Find form as plain data: what each control holds, how it becomes a
// listing request, and what is wrong with it before anything is asked.
import type { Role, StaffMember } from '../../../shared/domain/people';
import type { HistoryListRequest } from '../../../shared/ipc/contract';
import type { Channel } from '../../../shared/interaction/record';
import type { CurrentStatus } from '../../../shared/interaction/taxonomy';
import type { HistorySort } from '../../../shared/wire/history';

/** A yes/no filter: "any" leaves it out of the query. */
export type YesNoAny = 'any' | 'yes' | 'no';

export interface FindForm {
  from: string;
  to: string;
  adviserId: string;
  channel: Channel | 'any';
  followUpBooked: YesNoAny;
  startingStatus: CurrentStatus | 'any';
  safeguarding: YesNoAny;
  withinRemit: YesNoAny;
  transcriptSent: YesNoAny;
  notCovered: YesNoAny;
  text: string;
}

export const blankFindForm: FindForm = {
  from: '',
  to: '',
  adviserId: '',
  channel: 'any',
  followUpBooked: 'any',
  startingStatus: 'any',
  safeguarding: 'any',
  withinRemit: 'any',
  transcriptSent: 'any',
  notCovered: 'any',
  text: '',
};

export const yesNoFilters = [
  ['followUpBooked', 'Follow-up booked'],
  ['safeguarding', 'Safeguarding raised'],
  ['withinRemit', 'Within remit'],
  ['transcriptSent', 'Transcript sent'],
  ['notCovered', 'Stages not covered'],
] as const satisfies readonly (readonly [keyof FindForm, string])[];

export const pageSize = 25;

/** Who may read history; the server applies the same policy and is the one that enforces it. */
const historyRoles: readonly Role[] = ['adviser', 'team_leader', 'trainer'];
export const mayReadHistory = (user: StaffMember) =>
  user.roles.some((role) => historyRoles.includes(role));

/** Team leaders and trainers see everyone's; an adviser only their own, so no adviser filter. */
export const mayFilterByAdviser = (user: StaffMember) =>
  user.roles.some((role) => role === 'team_leader' || role === 'trainer');

/** Only advisers take live work; anyone else lands on the history area. */
export const takesLiveWork = (user: StaffMember) => user.roles.includes('adviser');

const flag = (value: YesNoAny): boolean | undefined =>
  value === 'any' ? undefined : value === 'yes';

/** Problems to show on the form, by field; empty when it may be asked. */
export function findFormProblems(form: FindForm): Partial<Record<keyof FindForm, string>> {
  const problems: Partial<Record<keyof FindForm, string>> = {};
  if (form.from && form.to && form.from > form.to)
    problems.to = 'The end date is before the start date';
  const text = form.text.trim();
  if (text.length === 1) problems.text = 'Search for at least 2 characters';
  if (text.length > 200) problems.text = 'Search for at most 200 characters';
  return problems;
}

/** The listing request for a form, a sort and a page's cursor. */
export function listRequest(
  form: FindForm,
  sort: HistorySort,
  cursor: string | null,
): HistoryListRequest {
  const text = form.text.trim();
  const request: HistoryListRequest = {
    sort,
    limit: pageSize,
    from: form.from || undefined,
    to: form.to || undefined,
    adviserId: form.adviserId || undefined,
    channel: form.channel === 'any' ? undefined : form.channel,
    startingStatus: form.startingStatus === 'any' ? undefined : form.startingStatus,
    followUpBooked: flag(form.followUpBooked),
    safeguarding: flag(form.safeguarding),
    withinRemit: flag(form.withinRemit),
    transcriptSent: flag(form.transcriptSent),
    notCovered: flag(form.notCovered),
    text: text.length >= 2 ? text : undefined,
    cursor: cursor ?? undefined,
  };
  // Left out rather than sent as undefined: the query string then holds only what was chosen.
  return Object.fromEntries(
    Object.entries(request).filter(([, value]) => value !== undefined),
  ) as HistoryListRequest;
}
