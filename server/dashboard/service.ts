// The dashboard's answers: one question (a range of London days, a bucket
// size, optionally one adviser or channel) becomes a handful of grouped sums
// from the store, laid out and worked out by figures.ts; and the improvement
// plan, each action with its figure month by month since it started.
import type { Channel } from '../../shared/interaction/record';
import type {
  ContactFigures,
  DashboardFigures,
  DashboardQuery,
  GuidanceFigures,
  ImprovementAction,
  PlanFigure,
} from '../../shared/wire/dashboard';
import { londonDayStart } from '../storage/history';
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
] as const;
export type FigurePart = (typeof figureParts)[number];

export type PartTimer = <T>(part: FigurePart, work: () => Promise<T>) => Promise<T>;
const untimed: PartTimer = (_part, work) => work();

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
  const figures = await dashboardFigures(store, {
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
