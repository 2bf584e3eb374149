// The columns the service dashboard reads, copied out of each interaction
// record when it is stored (and by migration 016 for records held before it),
// so a year of figures is one aggregate over an index rather than a million
// JSON documents parsed.
//
// A follow-up interaction (migration 018) also gives what it found: the booking
// it made, the change the customer reported, and their status at first contact
// and now. The contact-centre and guidance figures leave follow-up calls out
// (the helpline made them; the customer did not contact it), and the outcome
// figures read only them.
//
// Buckets are hours on London's clock. The hour is worked out here, in Node,
// with the time-zone database Intl carries, and stored as text
// ('YYYY-MM-DDTHH'): both engines then group by a prefix of one text column,
// the same SQL on each, and a day the clocks change on simply has 23 or 25
// hours in it.
import type { Kysely } from 'kysely';
import type { CircumstanceChange, InteractionRecord } from '../../shared/interaction/record';
import type { CurrentStatus } from '../../shared/interaction/taxonomy';
import { londonHour } from '../../shared/time/london';
import {
  ageGroupOf,
  regionGroupOf,
  type AgeGroup,
  type RegionGroup,
} from '../../shared/wire/dashboard';
import type { ServerSchema } from './schema';

export interface DashboardColumns {
  completed_hour: string;
  answer_seconds: number | null;
  hold_seconds: number;
  wrap_seconds: number;
  follow_up_offered: number;
  transcript_offered: number;
  service_questions_skipped: number;
  follow_up_booking_id: string | null;
  follow_up_change: CircumstanceChange | null;
  follow_up_status_first: CurrentStatus | null;
  follow_up_status_now: CurrentStatus | null;
  customer_age_group: AgeGroup;
  customer_region: RegionGroup;
}

const secondsBetween = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** Every dashboard column of a record. */
export function dashboardColumns(record: InteractionRecord): DashboardColumns {
  const { summary } = record;
  const { call } = summary;
  const end = call.endedAt ?? call.wrapUpStartedAt ?? record.completedAt;
  // A hold still open when the contact ended is counted to the end.
  const hold = call.holds.reduce(
    (total, hold) => total + secondsBetween(hold.from, hold.to ?? end),
    0,
  );
  // Wrap-up runs from the end of the conversation (or the moment wrap-up was
  // chosen, if that came first) to the record's completion.
  const wrapFrom = call.wrapUpStartedAt ?? call.endedAt;
  return {
    completed_hour: londonHour(record.completedAt),
    answer_seconds:
      call.offeredAt !== null && call.connectedAt !== null
        ? secondsBetween(call.offeredAt, call.connectedAt)
        : null,
    hold_seconds: call.connectedAt === null ? 0 : hold,
    wrap_seconds: wrapFrom === null ? 0 : secondsBetween(wrapFrom, record.completedAt),
    follow_up_offered: summary.followUp.decision === 'not_offered' ? 0 : 1,
    transcript_offered: summary.transcript.decision === 'not_offered' ? 0 : 1,
    service_questions_skipped: summary.serviceQuestions.outcome === 'skipped' ? 1 : 0,
    ...followUpOutcomeColumns(record),
    ...customerColumns(record),
  };
}

/**
 * The customer's age group and region as this record's caller stage gave
 * them. A follow-up call asks neither, so on a follow-up interaction these
 * are replaced by its first contact's (firstContactColumns) before it is stored.
 */
export function customerColumns(
  record: InteractionRecord,
): Pick<DashboardColumns, 'customer_age_group' | 'customer_region'> {
  const { caller } = record.summary;
  return {
    customer_age_group: ageGroupOf(caller.age),
    customer_region: regionGroupOf(caller.region),
  };
}

/**
 * A follow-up interaction's outcomes are counted by who the customer was at
 * first contact: the columns of the interaction its booking was made in,
 * followed from the booking (the same link migration 023 follows for records
 * held before it). Not given where that interaction is not held.
 */
export async function firstContactColumns(
  db: Kysely<ServerSchema>,
  bookingId: string,
): Promise<Pick<DashboardColumns, 'customer_age_group' | 'customer_region'>> {
  const first = await db
    .selectFrom('follow_ups as b')
    .innerJoin('interactions as i', 'i.id', 'b.interaction_id')
    .select(['i.customer_age_group', 'i.customer_region'])
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
  return {
    customer_age_group: first?.customer_age_group ?? 'not_given',
    customer_region: first?.customer_region ?? 'not_given',
  };
}

/** What a follow-up interaction found, as the outcome figures read it; all null on any other record. */
export function followUpOutcomeColumns(
  record: InteractionRecord,
): Pick<
  DashboardColumns,
  'follow_up_booking_id' | 'follow_up_change' | 'follow_up_status_first' | 'follow_up_status_now'
> {
  const review = record.followUpOf;
  return {
    follow_up_booking_id: review?.bookingId ?? null,
    follow_up_change: review?.change ?? null,
    follow_up_status_first: review?.statusAtFirstContact ?? null,
    follow_up_status_now: review?.statusNow ?? null,
  };
}
