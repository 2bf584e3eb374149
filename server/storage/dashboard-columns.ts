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
import type { CircumstanceChange, InteractionRecord } from '../../shared/interaction/record';
import type { CurrentStatus } from '../../shared/interaction/taxonomy';

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
}

const londonHourParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
});

/** The hour on London's clock an instant falls in, as 'YYYY-MM-DDTHH'. */
export function londonHourOf(instant: string | number | Date): string {
  const parts = Object.fromEntries(
    londonHourParts.formatToParts(new Date(instant)).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}`;
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
    completed_hour: londonHourOf(record.completedAt),
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
