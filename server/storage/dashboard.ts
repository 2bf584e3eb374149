// The dashboard's reads: sums over interactions and queue abandonments in a
// range of London hours, grouped by a prefix of the hour column (the same SQL
// on both engines: substr and || mean the same on each), the outcomes the
// follow-up interactions found, and the improvement plan's actions. Shares and averages are worked out from these sums in
// server/dashboard/figures.ts, once, whatever engine answered.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { channelSchema, type Channel } from '../../shared/interaction/record';
import { educationEmploymentOrTraining } from '../../shared/interaction/taxonomy';
import type { ImprovementActionInput } from '../../shared/wire/dashboard';
import type { AbandonSums, InteractionSums, OutcomeSums } from '../dashboard/figures';
import type { StoreContext } from './database';
import { everyone, summaryTargetSeconds, type SummaryTable } from './dashboard-summary';

/** Which interactions a sum covers: London days (`to` included), and optionally one adviser or channel. */
export interface DashboardScope {
  from: string;
  to: string;
  adviserId?: string | undefined;
  channel?: Channel | undefined;
  targetSeconds: number;
  shortAbandonSeconds: number;
}

export type DashboardGrouping =
  { by: 'time'; keyLength: 7 | 10 | 13 } | { by: 'adviser' } | { by: 'channel' };

/** The outcome figures by period, or by who the customer was at first contact (migration 023). */
export type OutcomeGrouping =
  { by: 'time'; keyLength: 7 | 10 | 13 } | { by: 'ageGroup' } | { by: 'region' };

export interface StoredImprovementAction extends ImprovementActionInput {
  id: string;
  ownerName: string;
  createdAt: string;
}

/** A day after `day`, as text: the end of a range of hours, exclusive. */
const dayAfter = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const abandonKinds: Record<Channel, 'call' | 'chat'> = { voice: 'call', webchat: 'chat' };

const number = (value: unknown) => Number(value ?? 0);

/** A row of sums, as either engine returns it, read the one way. */
function sumsOf(row: Record<string, unknown>): InteractionSums {
  return {
    answered: number(row.answered),
    answeredInTarget: number(row.answered_in_target),
    answerSeconds: number(row.answer_seconds),
    answerTimed: number(row.answer_timed),
    connectedSeconds: number(row.connected_seconds),
    holdSeconds: number(row.hold_seconds),
    wrapSeconds: number(row.wrap_seconds),
    activeAdviserHours: number(row.active_hours),
    statusCaptured: number(row.status_captured),
    followUpOffered: number(row.follow_up_offered),
    followUpTaken: number(row.follow_up_taken),
    transcriptOffered: number(row.transcript_offered),
    transcriptSent: number(row.transcript_sent),
    notCovered: number(row.not_covered),
    serviceQuestionsSkipped: number(row.skipped),
  };
}

export class KyselyDashboard {
  constructor(private readonly context: StoreContext) {}

  /**
   * Interaction sums, one row per group. Follow-up calls are left out: the
   * helpline made them, so they are neither contacts offered nor guidance
   * given; the outcome sums below read them. At the service's standard
   * target answer time they are read from the summary the ingest keeps
   * (migration 020); a question about another target sums the interactions.
   */
  interactionSums(
    scope: DashboardScope,
    grouping: DashboardGrouping,
  ): Promise<{ key: string; sums: InteractionSums }[]> {
    return scope.targetSeconds === summaryTargetSeconds
      ? this.summarySums(scope, grouping)
      : this.interactionRowSums(scope, grouping);
  }

  /**
   * The same sums from the summary: hour rows for figures by the hour, day
   * rows for anything else, each the adviser's own rows or every adviser's
   * ('*'), on one channel or every channel ('*').
   */
  async summarySums(
    scope: DashboardScope,
    grouping: DashboardGrouping,
  ): Promise<{ key: string; sums: InteractionSums }[]> {
    const byHour = grouping.by === 'time' && grouping.keyLength === 13;
    const table: SummaryTable = byHour ? 'dashboard_hours' : 'dashboard_days';
    const groupKey =
      grouping.by === 'time'
        ? sql<string>`substr(s.period, 1, ${sql.lit(grouping.keyLength)})`
        : grouping.by === 'adviser'
          ? sql<string>`s.adviser_id`
          : sql<string>`s.channel`;
    const total = (column: string) => sql<number>`sum(${sql.ref(`s.${column}`)})`;
    let query = this.context.db
      .selectFrom(`${table} as s`)
      .select([
        groupKey.as('group_key'),
        total('answered').as('answered'),
        total('answered_in_target').as('answered_in_target'),
        total('answer_seconds').as('answer_seconds'),
        total('answer_timed').as('answer_timed'),
        total('connected_seconds').as('connected_seconds'),
        total('hold_seconds').as('hold_seconds'),
        total('wrap_seconds').as('wrap_seconds'),
        total('active_adviser_hours').as('active_hours'),
        total('status_captured').as('status_captured'),
        total('follow_up_offered').as('follow_up_offered'),
        total('follow_up_taken').as('follow_up_taken'),
        total('transcript_offered').as('transcript_offered'),
        total('transcript_sent').as('transcript_sent'),
        total('not_covered').as('not_covered'),
        total('service_questions_skipped').as('skipped'),
      ])
      .where('s.period', '>=', byHour ? `${scope.from}T00` : scope.from)
      .where('s.period', '<', byHour ? `${dayAfter(scope.to)}T00` : dayAfter(scope.to))
      .groupBy(groupKey);
    query =
      grouping.by === 'channel' && scope.channel === undefined
        ? // The channels by name: a range per channel, where "not every channel" would read the table.
          query.where('s.channel', 'in', channelSchema.options)
        : query.where('s.channel', '=', scope.channel ?? everyone);
    query =
      grouping.by === 'adviser' && scope.adviserId === undefined
        ? query.where('s.adviser_id', '<>', everyone)
        : query.where('s.adviser_id', '=', scope.adviserId ?? everyone);
    const rows = await query.execute();
    return rows.map((row) => ({ key: row.group_key, sums: sumsOf(row) }));
  }

  /** The sums over the interactions themselves, through the covering index (migration 016). */
  async interactionRowSums(
    scope: DashboardScope,
    grouping: DashboardGrouping,
  ): Promise<{ key: string; sums: InteractionSums }[]> {
    const groupKey =
      grouping.by === 'time'
        ? sql<string>`substr(i.completed_hour, 1, ${sql.lit(grouping.keyLength)})`
        : grouping.by === 'adviser'
          ? sql<string>`i.adviser_id`
          : sql<string>`i.channel`;
    const flagSum = (column: string) => sql<number>`sum(${sql.ref(`i.${column}`)})`;
    let query = this.context.db
      .selectFrom('interactions as i')
      .select([
        groupKey.as('group_key'),
        sql<number>`count(*)`.as('answered'),
        sql<number>`sum(case when i.answer_seconds <= ${scope.targetSeconds} then 1 else 0 end)`.as(
          'answered_in_target',
        ),
        sql<number>`sum(i.answer_seconds)`.as('answer_seconds'),
        sql<number>`count(i.answer_seconds)`.as('answer_timed'),
        sql<number>`sum(i.talk_seconds)`.as('connected_seconds'),
        flagSum('hold_seconds').as('hold_seconds'),
        flagSum('wrap_seconds').as('wrap_seconds'),
        sql<number>`count(distinct i.adviser_id || ' ' || i.completed_hour)`.as('active_hours'),
        // "Not disclosed" is a status asked about and not given: not captured.
        sql<number>`sum(case when i.starting_status is not null and i.starting_status <> 'not_disclosed' then 1 else 0 end)`.as(
          'status_captured',
        ),
        flagSum('follow_up_offered').as('follow_up_offered'),
        flagSum('follow_up_booked').as('follow_up_taken'),
        flagSum('transcript_offered').as('transcript_offered'),
        flagSum('transcript_sent').as('transcript_sent'),
        sql<number>`sum(case when i.not_covered_stages <> '[]' then 1 else 0 end)`.as(
          'not_covered',
        ),
        flagSum('service_questions_skipped').as('skipped'),
      ])
      .where('i.completed_hour', '>=', `${scope.from}T00`)
      .where('i.completed_hour', '<', `${dayAfter(scope.to)}T00`)
      .where('i.follow_up_booking_id', 'is', null)
      .groupBy(groupKey);
    if (scope.adviserId !== undefined) query = query.where('i.adviser_id', '=', scope.adviserId);
    if (scope.channel !== undefined) query = query.where('i.channel', '=', scope.channel);
    const rows = await query.execute();
    return rows.map((row) => ({ key: row.group_key, sums: sumsOf(row) }));
  }

  /**
   * What the follow-up interactions completed in the range found, grouped by a
   * prefix of the hour each was completed in, or by the customer's age group
   * or region at first contact: the change reported, and who was NEET at
   * first contact and has left NEET. Read from the partial index of
   * follow-up interactions (migrations 018 and 023).
   */
  async outcomeSums(
    scope: DashboardScope,
    grouping: OutcomeGrouping,
  ): Promise<{ key: string; sums: OutcomeSums }[]> {
    // The age group and region are grouped as expressions, not bare columns:
    // SQLite's planner, judging some years' ranges from its samples, otherwise
    // chose to walk the history's age-group or region index for its order and
    // read every follow-up call of ten years (the dashboard benchmark's
    // slowest year at a million interactions: 2,268 ms by age group and
    // 3,166 ms by region, medians 61 ms), where the covering index below
    // answers the range itself.
    const groupKey =
      grouping.by === 'time'
        ? sql<string>`substr(i.completed_hour, 1, ${sql.lit(grouping.keyLength)})`
        : grouping.by === 'ageGroup'
          ? sql<string>`i.customer_age_group || ''`
          : sql<string>`i.customer_region || ''`;
    const changeCount = (change: 'better' | 'same' | 'worse') =>
      sql<number>`sum(case when i.follow_up_change = ${change} then 1 else 0 end)`;
    const left = sql.join(educationEmploymentOrTraining.map((status) => sql.lit(status)));
    let query = this.context.db
      .selectFrom('interactions as i')
      .select([
        groupKey.as('group_key'),
        sql<number>`count(*)`.as('completed'),
        changeCount('better').as('better'),
        changeCount('same').as('same'),
        changeCount('worse').as('worse'),
        sql<number>`sum(case when i.follow_up_status_first = 'neet' then 1 else 0 end)`.as(
          'neet_first',
        ),
        sql<number>`sum(case when i.follow_up_status_first = 'neet' and i.follow_up_status_now in (${left}) then 1 else 0 end)`.as(
          'left_neet',
        ),
      ])
      .where('i.follow_up_booking_id', 'is not', null)
      .where('i.completed_hour', '>=', `${scope.from}T00`)
      .where('i.completed_hour', '<', `${dayAfter(scope.to)}T00`)
      .groupBy(groupKey);
    if (scope.adviserId !== undefined) query = query.where('i.adviser_id', '=', scope.adviserId);
    if (scope.channel !== undefined) query = query.where('i.channel', '=', scope.channel);
    const rows = await query.execute();
    return rows.map((row) => ({
      key: row.group_key,
      sums: {
        completed: number(row.completed),
        better: number(row.better),
        same: number(row.same),
        worse: number(row.worse),
        neetAtFirstContact: number(row.neet_first),
        leftNeet: number(row.left_neet),
      },
    }));
  }

  /**
   * Queue abandonments, grouped by a prefix of the hour they left in, or by
   * channel. A contact that left the queue was never any adviser's, so a
   * question about one adviser has none.
   */
  async abandonSums(
    scope: DashboardScope,
    grouping: { by: 'time'; keyLength: 7 | 10 | 13 } | { by: 'channel' },
  ): Promise<{ key: string; sums: AbandonSums }[]> {
    if (scope.adviserId !== undefined) return [];
    const groupKey =
      grouping.by === 'time'
        ? sql<string>`substr(q.left_hour, 1, ${sql.lit(grouping.keyLength)})`
        : sql<string>`q.kind`;
    let query = this.context.db
      .selectFrom('queue_abandonments as q')
      .select([
        groupKey.as('group_key'),
        sql<number>`count(*)`.as('abandoned'),
        sql<number>`sum(case when q.waited_ms < ${scope.shortAbandonSeconds * 1000} then 1 else 0 end)`.as(
          'short_abandoned',
        ),
      ])
      .where('q.left_hour', '>=', `${scope.from}T00`)
      .where('q.left_hour', '<', `${dayAfter(scope.to)}T00`)
      .groupBy(groupKey);
    if (scope.channel !== undefined)
      query = query.where('q.kind', '=', abandonKinds[scope.channel]);
    const rows = await query.execute();
    return rows.map((row) => ({
      key:
        grouping.by === 'channel'
          ? row.group_key === 'call'
            ? 'voice'
            : 'webchat'
          : row.group_key,
      sums: { abandoned: number(row.abandoned), shortAbandoned: number(row.short_abandoned) },
    }));
  }

  /** Follow-up calls booked with a slot in the range (London days; the slot is stored in UTC). */
  async followUpsBooked(
    scope: DashboardScope,
    fromInstant: string,
    toInstant: string,
  ): Promise<number> {
    let query = this.context.db
      .selectFrom('follow_ups')
      .select(sql<number>`count(*)`.as('booked'))
      .where('slot_start', '>=', fromInstant)
      .where('slot_start', '<', toInstant);
    if (scope.adviserId !== undefined) query = query.where('adviser_id', '=', scope.adviserId);
    const row = await query.executeTakeFirst();
    return number(row?.booked);
  }

  /** Display names for the advisers a question turned up. */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.context.db
      .selectFrom('accounts')
      .select(['id', 'display_name'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((row) => [row.id, row.display_name]));
  }

  // ------------------------------------------------------------- the plan

  /** Advisers and team leaders, by name: who an action may be given to. */
  async owners(): Promise<{ id: string; name: string }[]> {
    const rows = await this.context.db
      .selectFrom('accounts as a')
      .innerJoin('account_roles as r', 'r.account_id', 'a.id')
      .select(['a.id', 'a.display_name'])
      .where('r.role', 'in', ['adviser', 'team_leader'])
      .distinct()
      .orderBy('a.display_name')
      .orderBy('a.id')
      .execute();
    return rows.map((row) => ({ id: row.id, name: row.display_name }));
  }

  async addAction(
    input: ImprovementActionInput,
    by: string,
    at: string,
  ): Promise<StoredImprovementAction | null> {
    const owner = await this.context.db
      .selectFrom('accounts')
      .select('display_name')
      .where('id', '=', input.ownerId)
      .executeTakeFirst();
    if (!owner) return null;
    const id = randomUUID();
    await this.context.db
      .insertInto('improvement_actions')
      .values({
        id,
        title: input.title,
        owner_id: input.ownerId,
        figure: input.figure,
        started_on: input.startedOn,
        target_date: input.targetDate,
        created_by: by,
        created_at: at,
      })
      .execute();
    return { ...input, id, ownerName: owner.display_name, createdAt: at };
  }

  async actions(): Promise<StoredImprovementAction[]> {
    const rows = await this.context.db
      .selectFrom('improvement_actions as p')
      .innerJoin('accounts as a', 'a.id', 'p.owner_id')
      .select([
        'p.id',
        'p.title',
        'p.owner_id',
        'a.display_name',
        'p.figure',
        'p.started_on',
        'p.target_date',
        'p.created_at',
      ])
      .orderBy('p.started_on')
      .orderBy('p.id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      ownerId: row.owner_id,
      ownerName: row.display_name,
      figure: row.figure as ImprovementActionInput['figure'],
      startedOn: row.started_on,
      targetDate: row.target_date,
      createdAt: row.created_at,
    }));
  }
}
