// The dashboard's answers: one question (a range of London days, a bucket
// size, optionally one adviser or channel) becomes a handful of grouped sums
// from the store, laid out and worked out by figures.ts; and the improvement
// plan, each action with its figure month by month since it started.
import type { Channel } from '../../shared/interaction/record';
import {
  ageGroups,
  regionGroups,
  type ContactFigures,
  type DashboardFigures,
  type DashboardQuery,
  type GuidanceFigures,
  type ImprovementAction,
  type NextStepsGood,
  type OutcomeFigures,
  type PlanFigure,
} from '../../shared/wire/dashboard';
import { lineOf } from '../quality/reports';
import { londonDayStart } from '../../shared/time/london';
import type { QualityStore } from '../storage/types';
import type { DashboardScope, KyselyDashboard } from '../storage/dashboard';
import {
  addAbandons,
  addDays,
  addInteractions,
  addOutcomes,
  bucketsOf,
  contactFigures,
  guidanceFigures,
  noAbandons,
  noInteractions,
  noOutcomes,
  nextMonth,
  outcomeFigures,
  storeKeyLength,
  type OutcomeSums,
} from './figures';

/** Each part of a figures answer, named, so the benchmark can time them one by one. */
export const figureParts = [
  'buckets',
  'abandonments by time',
  'per adviser',
  'per channel',
  'abandonments by channel',
  'follow-ups booked',
  'outcomes at follow-up',
  'outcomes by age group',
  'outcomes by region',
  'next steps good',
] as const;
export type FigurePart = (typeof figureParts)[number];

export type PartTimer = <T>(part: FigurePart, work: () => Promise<T>) => Promise<T>;
const untimed: PartTimer = (_part, work) => work();

/** What "next steps good" is read from: the quality reviews, as Quality reports read them. */
export type QualityReviews = Pick<QualityStore, 'reportReviews' | 'forms'>;

/**
 * Next steps good for the range, by the quality reports' own count (lineOf
 * in server/quality/reports.ts): the reviews of interactions completed in
 * those London days, for the team or the one adviser asked about. Reviews
 * carry no channel, so a question about one channel still counts both.
 */
export async function nextStepsGoodIn(
  quality: QualityReviews,
  query: Pick<DashboardQuery, 'from' | 'to' | 'adviserId'>,
): Promise<NextStepsGood> {
  const reviews = await quality.reportReviews(
    londonDayStart(query.from),
    londonDayStart(query.to, 1),
    query.adviserId ?? null,
  );
  const forms = new Map(
    (await quality.forms()).map((form) => [`${form.id}@${form.version}`, form]),
  );
  return lineOf(null, reviews, forms).nextStepsGood;
}

/** Every key of a breakdown in order, the ones nobody fell in included, each with its figures. */
function outcomeGroups<Key extends string>(
  keys: readonly Key[],
  sums: { key: string; sums: OutcomeSums }[],
): { key: Key; outcomes: OutcomeFigures }[] {
  return keys.map((key) => ({
    key,
    outcomes: outcomeFigures(
      sums
        .filter((group) => group.key === key)
        .reduce((total, group) => addOutcomes(total, group.sums), noOutcomes),
    ),
  }));
}

function scopeOf(query: DashboardQuery): DashboardScope {
  return {
    from: query.from,
    to: query.to,
    adviserId: query.adviserId,
    channel: query.channel,
    targetSeconds: query.targetSeconds,
    shortAbandonSeconds: query.shortAbandonSeconds,
  };
}

export async function dashboardFigures(
  store: KyselyDashboard,
  quality: QualityReviews,
  query: DashboardQuery,
  time: PartTimer = untimed,
): Promise<DashboardFigures> {
  const scope = scopeOf(query);
  const keyLength = storeKeyLength(query.granularity);
  const timeSums = await time('buckets', () =>
    store.interactionSums(scope, { by: 'time', keyLength }),
  );
  const timeAbandons = await time('abandonments by time', () =>
    store.abandonSums(scope, { by: 'time', keyLength }),
  );
  const adviserSums = await time('per adviser', () =>
    store.interactionSums(scope, { by: 'adviser' }),
  );
  const channelSums = await time('per channel', () =>
    store.interactionSums(scope, { by: 'channel' }),
  );
  const channelAbandons = await time('abandonments by channel', () =>
    store.abandonSums(scope, { by: 'channel' }),
  );
  const booked = await time('follow-ups booked', () =>
    store.followUpsBooked(scope, londonDayStart(query.from), londonDayStart(query.to, 1)),
  );
  const outcomeSums = await time('outcomes at follow-up', () =>
    store.outcomeSums(scope, { by: 'time', keyLength }),
  );
  const byAgeGroup = await time('outcomes by age group', () =>
    store.outcomeSums(scope, { by: 'ageGroup' }),
  );
  const byRegion = await time('outcomes by region', () =>
    store.outcomeSums(scope, { by: 'region' }),
  );
  const nextStepsGood = await time('next steps good', () => nextStepsGoodIn(quality, query));
  const totalOutcomes = outcomeFigures(
    outcomeSums.reduce((total, group) => addOutcomes(total, group.sums), noOutcomes),
  );

  const totalSums = timeSums.reduce(
    (total, group) => addInteractions(total, group.sums),
    noInteractions,
  );
  const totalAbandons = timeAbandons.reduce(
    (total, group) => addAbandons(total, group.sums),
    noAbandons,
  );
  const names = await store.names(adviserSums.map((group) => group.key));
  const channels: Channel[] = query.channel ? [query.channel] : ['voice', 'webchat'];
  return {
    query: {
      from: query.from,
      to: query.to,
      granularity: query.granularity,
      adviserId: query.adviserId ?? null,
      channel: query.channel ?? null,
      targetSeconds: query.targetSeconds,
      shortAbandonSeconds: query.shortAbandonSeconds,
    },
    buckets: bucketsOf(query, timeSums, timeAbandons, outcomeSums),
    total: {
      contact: contactFigures(totalSums, totalAbandons),
      guidance: guidanceFigures(totalSums),
      outcomes: totalOutcomes,
    },
    advisers: adviserSums
      .map((group) => ({
        adviserId: group.key,
        adviserName: names.get(group.key) ?? group.key,
        // Abandoned contacts were nobody's: an adviser's offered is what they answered.
        contact: contactFigures(group.sums, noAbandons),
        guidance: guidanceFigures(group.sums),
      }))
      .sort((a, b) => a.adviserName.localeCompare(b.adviserName, 'en-GB')),
    channels: channels.map((channel) => {
      const sums = channelSums.find((group) => group.key === channel)?.sums ?? noInteractions;
      const left = channelAbandons.find((group) => group.key === channel)?.sums ?? noAbandons;
      return { channel, contact: contactFigures(sums, left), guidance: guidanceFigures(sums) };
    }),
    outcomesByAgeGroup: outcomeGroups(ageGroups, byAgeGroup),
    outcomesByRegion: outcomeGroups(regionGroups, byRegion),
    nextStepsGood,
    followUps: { bookedInRange: booked, completed: totalOutcomes.completed },
  };
}

// ---------------------------------------------------------------------------
// The improvement plan

/** One figure of the plan, as a number from a month's contact and guidance figures. */
export function planFigureValue(
  figure: PlanFigure,
  contact: ContactFigures,
  guidance: GuidanceFigures,
): number | null {
  const shareOf = (count: number) =>
    guidance.interactions > 0 ? count / guidance.interactions : null;
  switch (figure) {
    case 'serviceLevel':
      return contact.serviceLevel;
    case 'abandonRate':
      return contact.offered > 0 ? contact.abandoned / contact.offered : null;
    case 'averageSpeedOfAnswerSeconds':
      return contact.averageSpeedOfAnswerSeconds;
    case 'averageHandleSeconds':
      return contact.averageHandleSeconds;
    case 'statusCaptured':
      return shareOf(guidance.statusCaptured);
    case 'followUpOffered':
      return shareOf(guidance.followUpOffered);
    case 'followUpTaken':
      return guidance.followUpOffered > 0
        ? guidance.followUpTaken / guidance.followUpOffered
        : null;
    case 'transcriptSent':
      return shareOf(guidance.transcriptSent);
    case 'notCovered':
      return shareOf(guidance.notCovered);
    case 'serviceQuestionsSkipped':
      return shareOf(guidance.serviceQuestionsSkipped);
  }
}

/**
 * Every action with its figure by month, from the month before it started (the
 * baseline) to this month. The months are asked for once, across every action,
 * so a plan of many actions costs one figures question, not one each.
 */
export async function improvementPlan(
  store: KyselyDashboard,
  quality: QualityReviews,
  today: string,
): Promise<ImprovementAction[]> {
  const actions = await store.actions();
  if (actions.length === 0) return [];
  const firstStart = actions.reduce(
    (earliest, action) => (action.startedOn < earliest ? action.startedOn : earliest),
    today,
  );
  // The baseline month before the earliest start, and at most a year and a month in all.
  const baselineMonth = addDays(`${firstStart.slice(0, 7)}-01`, -1).slice(0, 7);
  const yearAgo = addDays(today, -395).slice(0, 7);
  const from = `${baselineMonth < yearAgo ? yearAgo : baselineMonth}-01`;
  const figures = await dashboardFigures(store, quality, {
    from,
    to: today,
    granularity: 'month',
    targetSeconds: 20,
    shortAbandonSeconds: 5,
  });
  return actions.map((action) => {
    const startMonth = addDays(`${action.startedOn.slice(0, 7)}-01`, -1).slice(0, 7);
    const trend: { month: string; value: number | null }[] = [];
    for (let month = startMonth; month <= today.slice(0, 7); month = nextMonth(month)) {
      const bucket = figures.buckets.find((candidate) => candidate.key === month);
      trend.push({
        month,
        value: bucket ? planFigureValue(action.figure, bucket.contact, bucket.guidance) : null,
      });
    }
    return { ...action, trend };
  });
}
