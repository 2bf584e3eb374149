// The dashboard's figures from the sums the store reads: buckets laid out on
// London's calendar, hours and days folded into weeks and months, and every
// share and average worked out once, here, by the formulas the page states
// (shared/wire/dashboard.ts). Pure: the unit tests give it hand-made sums.
import type {
  ContactFigures,
  DashboardQuery,
  FigureBucket,
  Granularity,
  GuidanceFigures,
  OutcomeFigures,
} from '../../shared/wire/dashboard';

/** What the store sums over a group of interactions. */
export interface InteractionSums {
  answered: number;
  answeredInTarget: number;
  /** Seconds from offer to answer, and how many answers had both times. */
  answerSeconds: number;
  answerTimed: number;
  /** talk_seconds runs from answer to end, holds included; talk here is without them. */
  connectedSeconds: number;
  holdSeconds: number;
  wrapSeconds: number;
  /** Distinct (adviser, London hour) pairs with at least one completed contact. */
  activeAdviserHours: number;
  statusCaptured: number;
  followUpOffered: number;
  followUpTaken: number;
  transcriptOffered: number;
  transcriptSent: number;
  notCovered: number;
  serviceQuestionsSkipped: number;
}

export interface AbandonSums {
  abandoned: number;
  shortAbandoned: number;
}

export const noInteractions: InteractionSums = {
  answered: 0,
  answeredInTarget: 0,
  answerSeconds: 0,
  answerTimed: 0,
  connectedSeconds: 0,
  holdSeconds: 0,
  wrapSeconds: 0,
  activeAdviserHours: 0,
  statusCaptured: 0,
  followUpOffered: 0,
  followUpTaken: 0,
  transcriptOffered: 0,
  transcriptSent: 0,
  notCovered: 0,
  serviceQuestionsSkipped: 0,
};

export const noAbandons: AbandonSums = { abandoned: 0, shortAbandoned: 0 };

/** What the store sums over a group of follow-up interactions. */
export interface OutcomeSums {
  completed: number;
  better: number;
  same: number;
  worse: number;
  neetAtFirstContact: number;
  /** NEET at first contact and in education, employment or training at the follow-up. */
  leftNeet: number;
}

export const noOutcomes: OutcomeSums = {
  completed: 0,
  better: 0,
  same: 0,
  worse: 0,
  neetAtFirstContact: 0,
  leftNeet: 0,
};

export function addOutcomes(a: OutcomeSums, b: OutcomeSums): OutcomeSums {
  const total = { ...a };
  for (const key of Object.keys(total) as (keyof OutcomeSums)[]) total[key] += b[key];
  return total;
}

export function addInteractions(a: InteractionSums, b: InteractionSums): InteractionSums {
  const total = { ...a };
  for (const key of Object.keys(total) as (keyof InteractionSums)[]) total[key] += b[key];
  return total;
}

export function addAbandons(a: AbandonSums, b: AbandonSums): AbandonSums {
  return {
    abandoned: a.abandoned + b.abandoned,
    shortAbandoned: a.shortAbandoned + b.shortAbandoned,
  };
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** The contact-centre figures, by the formulas shared/wire/dashboard.ts states. */
export function contactFigures(sums: InteractionSums, abandons: AbandonSums): ContactFigures {
  const offered = sums.answered + abandons.abandoned;
  const handled = sums.connectedSeconds + sums.wrapSeconds;
  const talk = Math.max(0, sums.connectedSeconds - sums.holdSeconds);
  const perAnswer = (total: number) => round1(ratio(total, sums.answered));
  const occupancy = ratio(handled, sums.activeAdviserHours * 3600);
  return {
    offered,
    answered: sums.answered,
    abandoned: abandons.abandoned,
    shortAbandoned: abandons.shortAbandoned,
    answeredInTarget: sums.answeredInTarget,
    serviceLevel: ratio(sums.answeredInTarget, offered - abandons.shortAbandoned),
    averageSpeedOfAnswerSeconds: round1(ratio(sums.answerSeconds, sums.answerTimed)),
    averageTalkSeconds: perAnswer(talk),
    averageHoldSeconds: perAnswer(sums.holdSeconds),
    averageWrapSeconds: perAnswer(sums.wrapSeconds),
    averageHandleSeconds: perAnswer(handled),
    // More than an hour's handling in an hour happens only with two chats at once.
    occupancy: occupancy === null ? null : Math.min(1, occupancy),
  };
}

export function guidanceFigures(sums: InteractionSums): GuidanceFigures {
  return {
    interactions: sums.answered,
    statusCaptured: sums.statusCaptured,
    followUpOffered: sums.followUpOffered,
    followUpTaken: sums.followUpTaken,
    transcriptOffered: sums.transcriptOffered,
    transcriptSent: sums.transcriptSent,
    notCovered: sums.notCovered,
    serviceQuestionsSkipped: sums.serviceQuestionsSkipped,
  };
}

/** The outcome figures, by the formulas shared/wire/dashboard.ts states. */
export function outcomeFigures(sums: OutcomeSums): OutcomeFigures {
  return {
    completed: sums.completed,
    better: sums.better,
    same: sums.same,
    worse: sums.worse,
    changeNotRecorded: Math.max(0, sums.completed - sums.better - sums.same - sums.worse),
    positiveChange: ratio(sums.better, sums.completed),
    neetAtFirstContact: sums.neetAtFirstContact,
    leftNeet: sums.leftNeet,
    leftNeetShare: ratio(sums.leftNeet, sums.neetAtFirstContact),
  };
}

// ---------------------------------------------------------------------------
// London's calendar, as plain dates (no time zone is needed to count days)

const dayMs = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / dayMs;
const dayOf = (number: number) => new Date(number * dayMs).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return dayOf(dayNumber(day) + days);
}

/** The Monday of the week a day falls in (weeks run Monday to Sunday). */
export function mondayOf(day: string): string {
  const number = dayNumber(day);
  // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
  return dayOf(number - ((number + 3) % 7));
}

/** What the store groups by: a prefix of the London hour, and how long it is. */
export function storeKeyLength(granularity: Granularity): 13 | 10 | 7 {
  return granularity === 'hour' ? 13 : granularity === 'month' ? 7 : 10;
}

/** The bucket a store key (hour, day or month prefix) belongs to. */
export function bucketKeyOf(storeKey: string, granularity: Granularity): string {
  return granularity === 'week' ? mondayOf(storeKey.slice(0, 10)) : storeKey;
}

const monthNames = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

function labelOf(key: string, granularity: Granularity): string {
  const [year, month, date] = key.slice(0, 10).split('-');
  const monthName = monthNames[Number(month) - 1] ?? month;
  switch (granularity) {
    case 'hour':
      return `${Number(date)} ${monthName} ${key.slice(11, 13)}:00`;
    case 'day':
      return `${Number(date)} ${monthName} ${year}`;
    case 'week':
      return `w/c ${Number(date)} ${monthName} ${year}`;
    case 'month':
      return `${monthName} ${year}`;
  }
}

/** Every bucket of the question, in order, empty ones included, each with the days it covers. */
export function bucketFrame(
  query: Pick<DashboardQuery, 'from' | 'to' | 'granularity'>,
): { key: string; label: string; from: string; to: string; hour: string | null }[] {
  const { from, to, granularity } = query;
  const frame: { key: string; label: string; from: string; to: string; hour: string | null }[] = [];
  const clip = (start: string, end: string) => ({
    from: start < from ? from : start,
    to: end > to ? to : end,
  });
  if (granularity === 'hour') {
    for (let day = from; day <= to; day = addDays(day, 1)) {
      for (let hour = 0; hour < 24; hour += 1) {
        const key = `${day}T${String(hour).padStart(2, '0')}`;
        frame.push({ key, label: labelOf(key, granularity), from: day, to: day, hour: key });
      }
    }
  } else if (granularity === 'day') {
    for (let day = from; day <= to; day = addDays(day, 1)) {
      frame.push({ key: day, label: labelOf(day, granularity), from: day, to: day, hour: null });
    }
  } else if (granularity === 'week') {
    for (let monday = mondayOf(from); monday <= to; monday = addDays(monday, 7)) {
      const span = clip(monday, addDays(monday, 6));
      frame.push({ key: monday, label: labelOf(monday, granularity), ...span, hour: null });
    }
  } else {
    for (let month = from.slice(0, 7); `${month}-01` <= to; month = nextMonth(month)) {
      const span = clip(`${month}-01`, addDays(`${nextMonth(month)}-01`, -1));
      frame.push({ key: month, label: labelOf(`${month}-01`, granularity), ...span, hour: null });
    }
  }
  return frame;
}

export function nextMonth(month: string): string {
  const [year = 1970, number = 1] = month.split('-').map(Number);
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

/** Lays grouped sums onto the frame: hours the clocks skipped simply stay empty. */
export function bucketsOf(
  query: Pick<DashboardQuery, 'from' | 'to' | 'granularity'>,
  interactions: { key: string; sums: InteractionSums }[],
  abandons: { key: string; sums: AbandonSums }[],
  outcomes: { key: string; sums: OutcomeSums }[] = [],
): FigureBucket[] {
  const byKey = new Map(
    bucketFrame(query).map((bucket) => [
      bucket.key,
      { ...bucket, interactions: noInteractions, abandons: noAbandons, outcomes: noOutcomes },
    ]),
  );
  for (const group of interactions) {
    const bucket = byKey.get(bucketKeyOf(group.key, query.granularity));
    if (bucket) bucket.interactions = addInteractions(bucket.interactions, group.sums);
  }
  for (const group of abandons) {
    const bucket = byKey.get(bucketKeyOf(group.key, query.granularity));
    if (bucket) bucket.abandons = addAbandons(bucket.abandons, group.sums);
  }
  for (const group of outcomes) {
    const bucket = byKey.get(bucketKeyOf(group.key, query.granularity));
    if (bucket) bucket.outcomes = addOutcomes(bucket.outcomes, group.sums);
  }
  return [...byKey.values()].map(
    ({ interactions: sums, abandons: left, outcomes: found, ...bucket }) => ({
      ...bucket,
      contact: contactFigures(sums, left),
      guidance: guidanceFigures(sums),
      outcomes: outcomeFigures(found),
    }),
  );
}
