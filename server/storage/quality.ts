// Quality review on either engine: forms by (id, version), reviews with their
// published versions and disputes, the weekly samples, calibration sessions and
// advisers' flags. Every change to a review runs in one transaction that reads
// the review (locked on PostgreSQL; SQLite's transactions already hold the
// write lock), asks the lifecycle's pure decision (shared/quality/review.ts)
// and writes what it decided, so a save from a desk's outbox and one over HTTP
// obey the same rules and never interleave.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { interactionRecordSchema, type InteractionRecord } from '../../shared/interaction/record';
import {
  publishForm,
  reviseForm,
  scorecardFormSchema,
  type FormContent,
  type ScorecardForm,
} from '../../shared/quality/form';
import {
  decideAcknowledge,
  decideDispute,
  decideReassign,
  decideResolution,
  decideSave,
  type DisputeState,
} from '../../shared/quality/review';
import type { ImprovementTargetFields } from '../../shared/quality/targets';
import {
  sampleCandidateSchema,
  sampleReasons,
  samplingRequestSchema,
  type SampleCandidate,
  type WeeklySample,
} from '../../shared/quality/sampling';
import {
  reviewAnswerSchema,
  type ReviewAnswer,
  type ReviewScore,
} from '../../shared/quality/scoring';
import { fail, ok, type Result } from '../../shared/result';
import { londonFormat } from '../../shared/time/london';
import type { HistoryRow } from '../../shared/wire/history';
import {
  reviewScoreSchema,
  type Dispute,
  type DisputeInput,
  type Flag,
  type FormVersion,
  type FormVersionNote,
  type Reassignment,
  type ReviewSummary,
  type ReviewVersion,
  type SampleList,
} from '../../shared/wire/quality';
import {
  changedRows,
  inTransaction,
  isUniqueViolation,
  lockForTransaction,
  type Executor,
  type StoreContext,
} from './database';
import { historyRowColumns, historyRowOf, utcTime } from './history';
import { sql, type InsertObject } from 'kysely';
import type { Row, ServerSchema } from './schema';
import type {
  NewCalibration,
  NewQualityReview,
  NewSample,
  QualityStore,
  ReportReview,
  ReviewListFilter,
  StoredCalibration,
  StoredReview,
  StoredSample,
  StoredTarget,
  TargetFilter,
} from './types';

type Db = Executor;

const answersSchema = z.array(reviewAnswerSchema);
const reasonsSchema = z.array(z.enum(sampleReasons));
const weeklySampleSchema = z.custom<WeeklySample>((value) => typeof value === 'object');

/** A column written by this store, read back: parsed all the same, as the database sees only text. */
function parsedJson<T>(schema: z.ZodType<T>, text: string): T {
  return schema.parse(JSON.parse(text));
}

const londonTime = londonFormat({ dateStyle: 'long', timeStyle: 'short' });

const scoreOf = (text: string | null): ReviewScore | null =>
  text === null ? null : parsedJson(reviewScoreSchema, text);

/** A held record's facts for sampling: how the contact ended, and what was agreed. */
const endingSchema = z.object({
  summary: z.object({
    caller: z.object({ withinRemit: z.boolean().nullable() }),
    nextSteps: z.object({ actions: z.array(z.unknown()) }),
    call: z.object({ endedBy: z.enum(['adviser', 'customer', 'network']).nullable() }),
  }),
});

/**
 * Dropped: the network ended the contact. Abandoned: the customer left a
 * contact within remit before any action was agreed. Both are always
 * reviewed, since neither can show from the record alone whether the
 * adviser could have done better.
 */
function abandonedOrDropped(recordJson: string): boolean {
  let parsed: z.infer<typeof endingSchema>;
  try {
    parsed = endingSchema.parse(JSON.parse(recordJson));
  } catch {
    return false;
  }
  const { caller, nextSteps, call } = parsed.summary;
  if (call.endedBy === 'network') return true;
  return (
    call.endedBy === 'customer' && caller.withinRemit !== false && nextSteps.actions.length === 0
  );
}

function reviewRows(db: Db) {
  return db
    .selectFrom('quality_reviews as r')
    .selectAll('r')
    .select((eb) =>
      eb
        .selectFrom('quality_disputes as d')
        .whereRef('d.review_id', '=', 'r.id')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .as('dispute_count'),
    );
}

function storedReviewOf(
  row: Row<'quality_reviews'>,
  disputes: readonly DisputeState[],
): StoredReview {
  return {
    id: row.id,
    interactionId: row.interaction_id,
    adviserId: row.adviser_id,
    reviewerId: row.reviewer_id,
    formId: row.form_id,
    formVersion: row.form_version,
    purpose: row.purpose,
    calibrationSessionId: row.calibration_session_id,
    sampleId: row.sample_id,
    status: row.status,
    version: row.version,
    answers: parsedJson(answersSchema, row.answers_json),
    score: scoreOf(row.score_json),
    publishedAt: row.published_at,
    acknowledgedVersion: row.acknowledged_version,
    acknowledgedAt: row.acknowledged_at,
    acknowledgement: row.acknowledgement,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    disputes: [...disputes],
  };
}

/** The summary columns: the review, its interaction's history row, and the names. */
function summaries(db: Db) {
  return db
    .selectFrom('quality_reviews as r')
    .innerJoin('interactions as i', 'i.id', 'r.interaction_id')
    .innerJoin('accounts as a', 'a.id', 'i.adviser_id')
    .innerJoin('accounts as rv', 'rv.id', 'r.reviewer_id')
    .leftJoin('quality_samples as s', 's.id', 'r.sample_id')
    .leftJoin('quality_sample_items as si', (join) =>
      join
        .onRef('si.sample_id', '=', 'r.sample_id')
        .onRef('si.interaction_id', '=', 'r.interaction_id'),
    )
    .select(historyRowColumns)
    .select([
      'r.id as review_id',
      'r.adviser_id as review_adviser_id',
      'r.reviewer_id',
      'rv.display_name as reviewer_name',
      'r.form_id',
      'r.form_version',
      'r.purpose',
      'r.status',
      'r.calibration_session_id',
      's.week as sample_week',
      'si.reasons_json',
      'r.version',
      'r.percentage',
      'r.passed',
      'r.created_at',
      'r.updated_at',
      'r.published_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('quality_disputes as d')
        .whereRef('d.review_id', '=', 'r.id')
        .where('d.outcome', 'is', null)
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .as('open_disputes'),
    );
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['executeTakeFirstOrThrow']>>;

function summaryOf(row: SummaryRow): ReviewSummary {
  return {
    id: row.review_id,
    interaction: historyRowOf(row),
    adviser: { id: row.adviser_id, name: row.display_name },
    reviewer: { id: row.reviewer_id, name: row.reviewer_name },
    formId: row.form_id,
    formVersion: row.form_version,
    purpose: row.purpose,
    status: row.status,
    calibrationSessionId: row.calibration_session_id,
    sampleWeek: row.sample_week ?? null,
    sampleReasons: row.reasons_json ? parsedJson(reasonsSchema, row.reasons_json) : [],
    version: row.version,
    percentage: row.percentage,
    passed: row.passed === null ? null : row.passed === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    // PostgreSQL's count is a bigint; the pool reads it as a number, SQLite gives one.
    openDisputes: Number(row.open_disputes ?? 0),
  };
}

export class KyselyQuality implements QualityStore {
  constructor(private readonly context: StoreContext) {}

  private get db(): Db {
    return this.context.db;
  }

  // -------------------------------------------------------------------------
  // Forms

  async ensureForm(form: ScorecardForm, at: string): Promise<'added' | 'held' | 'differs'> {
    const formJson = JSON.stringify(form);
    const inserted = await this.db
      .insertInto('quality_forms')
      .values({
        id: form.id,
        version: form.version,
        status: form.status,
        title: form.title,
        form_json: formJson,
        created_at: utcTime(at),
      })
      .onConflict((conflict) => conflict.columns(['id', 'version']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return 'added';
    const held = await this.form(form.id, form.version);
    return held && JSON.stringify(held) === formJson ? 'held' : 'differs';
  }

  async forms(): Promise<ScorecardForm[]> {
    const rows = await this.db
      .selectFrom('quality_forms')
      .select('form_json')
      .orderBy('id')
      .orderBy('version', 'desc')
      .execute();
    return rows.map((row) => parsedJson(scorecardFormSchema, row.form_json));
  }

  async form(id: string, version: number): Promise<ScorecardForm | null> {
    return this.formOn(this.db, id, version);
  }

  private async formOn(db: Db, id: string, version: number): Promise<ScorecardForm | null> {
    const row = await db
      .selectFrom('quality_forms')
      .select('form_json')
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? parsedJson(scorecardFormSchema, row.form_json) : null;
  }

  async latestPublishedForm(id: string): Promise<ScorecardForm | null> {
    const row = await this.db
      .selectFrom('quality_forms')
      .select('form_json')
      .where('id', '=', id)
      .where('status', '=', 'published')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? parsedJson(scorecardFormSchema, row.form_json) : null;
  }

  // -------------------------------------------------------------------------
  // People

  async teamLeaderIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('account_roles')
      .select('account_id')
      .where('role', '=', 'team_leader')
      .orderBy('account_id')
      .execute();
    return rows.map((row) => row.account_id);
  }

  async adviserIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('account_roles')
      .select('account_id')
      .where('role', '=', 'adviser')
      .orderBy('account_id')
      .execute();
    return rows.map((row) => row.account_id);
  }

  async staffNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('accounts')
      .select(['id', 'display_name'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, row.display_name]));
  }

  async interactionRows(ids: readonly string[]): Promise<Map<string, HistoryRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('interactions as i')
      .innerJoin('accounts as a', 'a.id', 'i.adviser_id')
      .select(historyRowColumns)
      .where('i.id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, historyRowOf(row)]));
  }

  // -------------------------------------------------------------------------
  // Samples

  async sampleCandidates(from: string, to: string): Promise<SampleCandidate[]> {
    const candidates: SampleCandidate[] = [];
    // A page at a time: a week is a couple of thousand records, each read
    // whole only to see how it ended.
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('interactions as i')
        .leftJoin('quality_flags as f', 'f.interaction_id', 'i.id')
        .select([
          'i.id',
          'i.adviser_id',
          'i.completed_at',
          'i.safeguarding_raised',
          'i.record_json',
          'f.interaction_id as flagged',
        ])
        .where('i.completed_at', '>=', from)
        .where('i.completed_at', '<', to)
        .where('i.id', '>', after)
        .orderBy('i.id')
        .limit(500)
        .execute();
      for (const row of rows) {
        candidates.push(
          sampleCandidateSchema.parse({
            id: row.id,
            adviserId: row.adviser_id,
            completedAt: row.completed_at,
            safeguardingRaised: row.safeguarding_raised === 1,
            abandonedOrDropped: abandonedOrDropped(row.record_json),
            flaggedForReview: row.flagged !== null,
          }),
        );
      }
      const last = rows.at(-1);
      if (!last || rows.length < 500) return candidates;
      after = last.id;
    }
  }

  async recordSample(draw: NewSample): Promise<Result<StoredSample>> {
    const { sample } = draw;
    try {
      return await inTransaction(this.db, async (db) => {
        const held = await db
          .selectFrom('quality_samples as s')
          .innerJoin('accounts as a', 'a.id', 's.drawn_by')
          .select(['s.drawn_at', 'a.display_name'])
          .where('s.week', '=', sample.week)
          .executeTakeFirst();
        if (held) return this.weekTaken(sample.week, held);
        const id = randomUUID();
        await db
          .insertInto('quality_samples')
          .values({
            id,
            week: sample.week,
            seed: sample.seed,
            per_adviser: sample.rules.perAdviser,
            rules_version: sample.rules.version,
            population_digest: sample.populationDigest,
            request_json: JSON.stringify(draw.request),
            sample_json: JSON.stringify(sample),
            drawn_by: draw.drawnBy,
            drawn_at: utcTime(draw.drawnAt),
          })
          .execute();
        const reviewed = new Set(
          sample.selections.length === 0
            ? []
            : (
                await db
                  .selectFrom('quality_reviews')
                  .select('interaction_id')
                  .where(
                    'interaction_id',
                    'in',
                    sample.selections.map((selection) => selection.interactionId),
                  )
                  .where('purpose', '<>', 'calibration')
                  .execute()
              ).map((row) => row.interaction_id),
        );
        const reviewIds = new Map<string, string>();
        for (const selection of sample.selections) {
          let reviewId: string | null = null;
          if (selection.reviewerId !== null && !reviewed.has(selection.interactionId)) {
            reviewId = randomUUID();
            await db
              .insertInto('quality_reviews')
              .values(
                this.draftRow({
                  id: reviewId,
                  interactionId: selection.interactionId,
                  adviserId: selection.adviserId,
                  reviewerId: selection.reviewerId,
                  form: draw.form,
                  purpose: selection.reasons.includes('flagged') ? 'flagged' : 'sample',
                  calibrationSessionId: null,
                  sampleId: id,
                  at: draw.drawnAt,
                }),
              )
              .execute();
            reviewIds.set(selection.interactionId, reviewId);
          }
          await db
            .insertInto('quality_sample_items')
            .values({
              sample_id: id,
              interaction_id: selection.interactionId,
              adviser_id: selection.adviserId,
              reasons_json: JSON.stringify(selection.reasons),
              reviewer_id: selection.reviewerId,
              review_id: reviewId,
            })
            .execute();
        }
        return ok({
          id,
          request: draw.request,
          sample,
          drawnBy: draw.drawnBy,
          drawnAt: utcTime(draw.drawnAt),
          reviewIds,
        });
      });
    } catch (error) {
      // Two team leaders drawing the same week at once: the second finds the first's.
      if (!isUniqueViolation(error)) throw error;
      const held = await this.db
        .selectFrom('quality_samples as s')
        .innerJoin('accounts as a', 'a.id', 's.drawn_by')
        .select(['s.drawn_at', 'a.display_name'])
        .where('s.week', '=', sample.week)
        .executeTakeFirst();
      if (held) return this.weekTaken(sample.week, held);
      return fail(
        'conflict',
        'A review of one of these interactions was started at the same time; draw again',
      );
    }
  }

  private weekTaken(week: string, held: { drawn_at: string; display_name: string }) {
    return fail(
      'conflict',
      `The sample for ${week} was already drawn by ${held.display_name} at ${held.drawn_at}; a week is drawn once`,
    );
  }

  async sample(id: string): Promise<StoredSample | null> {
    const row = await this.db
      .selectFrom('quality_samples')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    const items = await this.db
      .selectFrom('quality_sample_items')
      .select(['interaction_id', 'review_id'])
      .where('sample_id', '=', id)
      .execute();
    return {
      id: row.id,
      request: parsedJson(samplingRequestSchema, row.request_json),
      sample: parsedJson(weeklySampleSchema, row.sample_json),
      drawnBy: row.drawn_by,
      drawnAt: row.drawn_at,
      reviewIds: new Map(
        items.flatMap((item) =>
          item.review_id === null ? [] : [[item.interaction_id, item.review_id] as const],
        ),
      ),
    };
  }

  async samples(limit: number): Promise<SampleList['samples']> {
    const rows = await this.db
      .selectFrom('quality_samples as s')
      .innerJoin('accounts as a', 'a.id', 's.drawn_by')
      .select(['s.id', 's.week', 's.seed', 's.drawn_by', 'a.display_name', 's.drawn_at'])
      .select((eb) =>
        eb
          .selectFrom('quality_sample_items as si')
          .whereRef('si.sample_id', '=', 's.id')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .as('items'),
      )
      .orderBy('s.week', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      week: row.week,
      seed: Number(row.seed),
      drawnBy: { id: row.drawn_by, name: row.display_name },
      drawnAt: row.drawn_at,
      items: Number(row.items ?? 0),
    }));
  }

  // -------------------------------------------------------------------------
  // Reviews

  private draftRow(review: {
    id: string;
    interactionId: string;
    adviserId: string;
    reviewerId: string;
    form: Pick<ScorecardForm, 'id' | 'version'>;
    purpose: Row<'quality_reviews'>['purpose'];
    calibrationSessionId: string | null;
    sampleId: string | null;
    at: string;
  }): InsertObject<ServerSchema, 'quality_reviews'> {
    const at = utcTime(review.at);
    return {
      id: review.id,
      interaction_id: review.interactionId,
      // Read in the same statement, so the copy is the interaction's own (migration 024).
      interaction_completed_at: sql<string>`(select completed_at from interactions where id = ${review.interactionId})`,
      adviser_id: review.adviserId,
      reviewer_id: review.reviewerId,
      form_id: review.form.id,
      form_version: review.form.version,
      purpose: review.purpose,
      calibration_session_id: review.calibrationSessionId,
      sample_id: review.sampleId,
      status: 'draft',
      version: 0,
      answers_json: '[]',
      score_json: null,
      percentage: null,
      passed: null,
      created_at: at,
      updated_at: at,
      published_at: null,
      acknowledged_at: null,
      acknowledged_version: null,
      acknowledgement: null,
    };
  }

  async createReview(review: NewQualityReview): Promise<Result<StoredReview>> {
    try {
      return await inTransaction(this.db, async (db) => {
        const interaction = await db
          .selectFrom('interactions')
          .select(['id', 'adviser_id'])
          .where('id', '=', review.interactionId)
          .executeTakeFirst();
        if (!interaction) return fail('not_found', 'There is no such interaction');
        if (interaction.adviser_id === review.reviewerId) {
          return fail('forbidden', 'Nobody reviews their own interactions');
        }
        const held = await db
          .selectFrom('quality_reviews')
          .select('id')
          .where('interaction_id', '=', review.interactionId)
          .where('purpose', '<>', 'calibration')
          .executeTakeFirst();
        if (held) return this.alreadyReviewed(held.id);
        // An interaction its adviser asked to have reviewed says so, whoever starts the review.
        const flagged = await db
          .selectFrom('quality_flags')
          .select('interaction_id')
          .where('interaction_id', '=', review.interactionId)
          .executeTakeFirst();
        const id = randomUUID();
        await db
          .insertInto('quality_reviews')
          .values(
            this.draftRow({
              id,
              interactionId: review.interactionId,
              adviserId: interaction.adviser_id,
              reviewerId: review.reviewerId,
              form: review.form,
              purpose: flagged ? 'flagged' : review.purpose,
              calibrationSessionId: null,
              sampleId: null,
              at: review.at,
            }),
          )
          .execute();
        const created = await this.reviewOn(db, id);
        return created ? ok(created) : fail('internal', 'The review was not kept');
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const held = await this.db
        .selectFrom('quality_reviews')
        .select('id')
        .where('interaction_id', '=', review.interactionId)
        .where('purpose', '<>', 'calibration')
        .executeTakeFirst();
      return this.alreadyReviewed(held?.id ?? 'being made');
    }
  }

  private alreadyReviewed(id: string) {
    return fail('conflict', `This interaction already has a review (${id}); open that one`);
  }

  async review(id: string): Promise<StoredReview | null> {
    return this.reviewOn(this.db, id);
  }

  private async reviewOn(db: Db, id: string, lock = false): Promise<StoredReview | null> {
    let query = reviewRows(db).where('r.id', '=', id);
    // PostgreSQL: hold the row until this transaction ends, so two changes to
    // one review queue up. SQLite has no FOR UPDATE, and needs none: every
    // transaction there begins IMMEDIATE and holds the one write lock.
    if (lock && this.context.engine === 'postgres') query = query.forUpdate('r');
    const row = await query.executeTakeFirst();
    if (!row) return null;
    const disputes =
      Number(row.dispute_count ?? 0) === 0
        ? []
        : await db
            .selectFrom('quality_disputes')
            .select(['item_id', 'reason', 'raised_at', 'outcome'])
            .where('review_id', '=', id)
            .orderBy('raised_at')
            .orderBy('item_id')
            .execute();
    return storedReviewOf(
      row,
      disputes.map((dispute) => ({
        itemId: dispute.item_id,
        reason: dispute.reason,
        raisedAt: dispute.raised_at,
        outcome: dispute.outcome,
      })),
    );
  }

  async summary(id: string): Promise<ReviewSummary | null> {
    const row = await summaries(this.db).where('r.id', '=', id).executeTakeFirst();
    return row ? summaryOf(row) : null;
  }

  async listReviews(filter: ReviewListFilter): Promise<ReviewSummary[]> {
    let select = summaries(this.db);
    if (filter.reviewerId !== undefined)
      select = select.where('r.reviewer_id', '=', filter.reviewerId);
    if (filter.adviserId !== undefined)
      select = select.where('r.adviser_id', '=', filter.adviserId);
    if (filter.publishedOnly) select = select.where('r.status', '<>', 'draft');
    if (filter.withoutCalibration) select = select.where('r.purpose', '<>', 'calibration');
    if (filter.status !== undefined) select = select.where('r.status', '=', filter.status);
    if (filter.purpose !== undefined) select = select.where('r.purpose', '=', filter.purpose);
    const viewer = filter.blindFor;
    // Another reviewer's calibration review shows only once its session is
    // complete: closed, or no review of it still a draft.
    select = select.where((eb) =>
      eb.or([
        eb('r.purpose', '<>', 'calibration'),
        eb('r.reviewer_id', '=', viewer),
        eb.exists(
          eb
            .selectFrom('quality_calibration_sessions as c')
            .select('c.id')
            .whereRef('c.id', '=', 'r.calibration_session_id')
            .where((inner) =>
              inner.or([
                inner('c.closed_at', 'is not', null),
                inner.not(
                  inner.exists(
                    inner
                      .selectFrom('quality_reviews as other')
                      .select('other.id')
                      .whereRef('other.calibration_session_id', '=', 'c.id')
                      .where('other.status', '=', 'draft'),
                  ),
                ),
              ]),
            ),
        ),
      ]),
    );
    const rows = await select
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(filter.limit)
      .execute();
    return rows.map(summaryOf);
  }

  async versions(reviewId: string): Promise<ReviewVersion[]> {
    const rows = await this.db
      .selectFrom('quality_review_versions as v')
      .innerJoin('accounts as a', 'a.id', 'v.written_by')
      .select([
        'v.version',
        'v.kind',
        'v.answers_json',
        'v.score_json',
        'v.written_by',
        'a.display_name',
        'v.written_at',
        'v.reason',
      ])
      .where('v.review_id', '=', reviewId)
      .orderBy('v.version')
      .execute();
    return rows.map((row) => {
      const score = parsedJson(reviewScoreSchema, row.score_json);
      return {
        version: row.version,
        kind: row.kind,
        answers: parsedJson(answersSchema, row.answers_json),
        percentage: score.percentage,
        passed: score.passed,
        writtenBy: { id: row.written_by, name: row.display_name },
        writtenAt: row.written_at,
        reason: row.reason,
      };
    });
  }

  async disputes(reviewId: string): Promise<Dispute[]> {
    const rows = await this.db
      .selectFrom('quality_disputes as d')
      .innerJoin('accounts as raiser', 'raiser.id', 'd.raised_by')
      .leftJoin('accounts as resolver', 'resolver.id', 'd.resolved_by')
      .select([
        'd.item_id',
        'd.reason',
        'd.raised_by',
        'raiser.display_name as raised_by_name',
        'd.raised_at',
        'd.outcome',
        'd.resolution_reason',
        'd.resolved_by',
        'resolver.display_name as resolved_by_name',
        'd.resolved_at',
        'd.resolved_version',
      ])
      .where('d.review_id', '=', reviewId)
      .orderBy('d.raised_at')
      .orderBy('d.item_id')
      .execute();
    return rows.map((row) => ({
      itemId: row.item_id,
      reason: row.reason,
      raisedBy: { id: row.raised_by, name: row.raised_by_name },
      raisedAt: row.raised_at,
      resolution:
        row.outcome !== null && row.resolved_by !== null && row.resolved_at !== null
          ? {
              outcome: row.outcome,
              reason: row.resolution_reason ?? '',
              by: { id: row.resolved_by, name: row.resolved_by_name ?? '' },
              at: row.resolved_at,
              version: row.resolved_version,
            }
          : null,
    }));
  }

  /**
   * One change to a review: read it (locked), with its form and the held
   * record, decide, write. A refusal writes nothing.
   */
  private async change(
    reviewId: string,
    work: (
      db: Db,
      held: { review: StoredReview; form: ScorecardForm; record: InteractionRecord },
    ) => Promise<Result<null>>,
  ): Promise<Result<StoredReview>> {
    return inTransaction(this.db, async (db) => {
      const review = await this.reviewOn(db, reviewId, true);
      if (!review) return fail('not_found', 'There is no such review');
      const form = await this.formOn(db, review.formId, review.formVersion);
      const interaction = await db
        .selectFrom('interactions')
        .select('record_json')
        .where('id', '=', review.interactionId)
        .executeTakeFirst();
      if (!form || !interaction)
        return fail('not_found', 'The review’s form or interaction is missing');
      const record = interactionRecordSchema.parse(JSON.parse(interaction.record_json));
      const done = await work(db, { review, form, record });
      if (!done.ok) return done;
      const changed = await this.reviewOn(db, reviewId);
      return changed ? ok(changed) : fail('internal', 'The review was not kept');
    });
  }

  private async writeVersion(
    db: Db,
    review: StoredReview,
    version: {
      kind: 'published' | 'resolution';
      answers: ReviewAnswer[];
      score: ReviewScore;
      by: string;
      at: string;
      reason: string;
    },
  ): Promise<number> {
    const number = review.version + 1;
    await db
      .insertInto('quality_review_versions')
      .values({
        review_id: review.id,
        version: number,
        kind: version.kind,
        answers_json: JSON.stringify(version.answers),
        score_json: JSON.stringify(version.score),
        written_by: version.by,
        written_at: utcTime(version.at),
        reason: version.reason,
      })
      .execute();
    return number;
  }

  async saveAnswers(
    reviewId: string,
    by: string,
    save: { answers: ReviewAnswer[]; publish: boolean },
    at: string,
  ): Promise<Result<StoredReview>> {
    return this.change(reviewId, async (db, { review, form, record }) => {
      const decided = decideSave({
        review,
        form,
        record,
        by,
        answers: save.answers,
        publish: save.publish,
      });
      if (!decided.ok) {
        return decided.error.code === 'forbidden'
          ? ((await this.passedOn(db, review, by)) ?? decided)
          : decided;
      }
      const { answers, status, score } = decided.value;
      const when = utcTime(at);
      if (status === 'published' && score) {
        const version = await this.writeVersion(db, review, {
          kind: 'published',
          answers,
          score,
          by,
          at,
          reason: 'Published',
        });
        await db
          .updateTable('quality_reviews')
          .set({
            status: 'published',
            version,
            answers_json: JSON.stringify(answers),
            score_json: JSON.stringify(score),
            percentage: score.percentage,
            passed: score.passed ? 1 : 0,
            updated_at: when,
            published_at: when,
          })
          .where('id', '=', reviewId)
          .execute();
      } else {
        await db
          .updateTable('quality_reviews')
          .set({ answers_json: JSON.stringify(answers), updated_at: when })
          .where('id', '=', reviewId)
          .execute();
      }
      return ok(null);
    });
  }

  async acknowledge(
    reviewId: string,
    by: string,
    comment: string,
    at: string,
  ): Promise<Result<StoredReview>> {
    return this.change(reviewId, async (db, { review }) => {
      const decided = decideAcknowledge({ review, by });
      if (!decided.ok) return decided;
      const when = utcTime(at);
      await db
        .updateTable('quality_reviews')
        .set({
          status: decided.value.status,
          acknowledged_version: decided.value.acknowledgedVersion,
          acknowledged_at: when,
          acknowledgement: comment,
          updated_at: when,
        })
        .where('id', '=', reviewId)
        .execute();
      return ok(null);
    });
  }

  async dispute(
    reviewId: string,
    by: string,
    items: DisputeInput['items'],
    at: string,
    windowDays: number,
  ): Promise<Result<StoredReview>> {
    return this.change(reviewId, async (db, { review, form }) => {
      const decided = decideDispute({ review, form, by, items, at: utcTime(at), windowDays });
      if (!decided.ok) return decided;
      const when = utcTime(at);
      await db
        .insertInto('quality_disputes')
        .values(
          decided.value.disputes.map((dispute) => ({
            review_id: reviewId,
            item_id: dispute.itemId,
            reason: dispute.reason,
            raised_by: by,
            raised_at: when,
            outcome: null,
            resolution_reason: null,
            resolved_by: null,
            resolved_at: null,
            resolved_version: null,
          })),
        )
        .execute();
      await db
        .updateTable('quality_reviews')
        .set({ status: decided.value.status, updated_at: when })
        .where('id', '=', reviewId)
        .execute();
      return ok(null);
    });
  }

  async resolve(
    reviewId: string,
    by: string,
    itemId: string,
    resolution: {
      outcome: 'upheld' | 'partly' | 'rejected';
      reason: string;
      answer: {
        value: ReviewAnswer['value'];
        comment?: string;
        moment?: ReviewAnswer['moment'];
      } | null;
    },
    at: string,
  ): Promise<Result<StoredReview>> {
    return this.change(reviewId, async (db, { review, form, record }) => {
      const decided = decideResolution({
        review,
        form,
        record,
        by,
        itemId,
        outcome: resolution.outcome,
        answer: resolution.answer,
      });
      if (!decided.ok) return decided;
      const { answers, changed, score, status } = decided.value;
      const when = utcTime(at);
      let version: number | null = null;
      if (changed && score) {
        version = await this.writeVersion(db, review, {
          kind: 'resolution',
          answers,
          score,
          by,
          at,
          reason: resolution.reason,
        });
        await db
          .updateTable('quality_reviews')
          .set({
            version,
            answers_json: JSON.stringify(answers),
            score_json: JSON.stringify(score),
            percentage: score.percentage,
            passed: score.passed ? 1 : 0,
          })
          .where('id', '=', reviewId)
          .execute();
      }
      const resolved = await db
        .updateTable('quality_disputes')
        .set({
          outcome: resolution.outcome,
          resolution_reason: resolution.reason,
          resolved_by: by,
          resolved_at: when,
          resolved_version: version,
        })
        .where('review_id', '=', reviewId)
        .where('item_id', '=', itemId)
        .where('outcome', 'is', null)
        .executeTakeFirst();
      if (changedRows(resolved) !== 1) throw new Error('The dispute changed under the resolution');
      await db
        .updateTable('quality_reviews')
        .set({ status, updated_at: when })
        .where('id', '=', reviewId)
        .execute();
      return ok(null);
    });
  }

  // -------------------------------------------------------------------------
  // Flags

  async flag(
    interactionId: string,
    adviserId: string,
    note: string,
    at: string,
  ): Promise<Result<Flag>> {
    const interaction = await this.db
      .selectFrom('interactions')
      .select('adviser_id')
      .where('id', '=', interactionId)
      .executeTakeFirst();
    // Someone else's interaction is "not found": whether it exists is not this adviser's to know.
    if (!interaction || interaction.adviser_id !== adviserId) {
      return fail('not_found', 'There is no such interaction of yours');
    }
    const flaggedAt = utcTime(at);
    await this.db
      .insertInto('quality_flags')
      .values({ interaction_id: interactionId, adviser_id: adviserId, note, flagged_at: flaggedAt })
      .onConflict((conflict) =>
        conflict.column('interaction_id').doUpdateSet({ note, flagged_at: flaggedAt }),
      )
      .execute();
    return ok({ interactionId, note, flaggedAt });
  }

  // -------------------------------------------------------------------------
  // Calibration

  async createCalibration(session: NewCalibration): Promise<Result<StoredCalibration>> {
    return inTransaction(this.db, async (db) => {
      const interactions = await db
        .selectFrom('interactions')
        .select(['id', 'adviser_id'])
        .where('id', 'in', session.interactionIds)
        .execute();
      const adviserOf = new Map(interactions.map((row) => [row.id, row.adviser_id]));
      const leaders = new Set(
        (
          await db
            .selectFrom('account_roles')
            .select('account_id')
            .where('role', '=', 'team_leader')
            .where('account_id', 'in', session.reviewerIds)
            .execute()
        ).map((row) => row.account_id),
      );
      const issues: { path: string; message: string }[] = [];
      session.interactionIds.forEach((id, index) => {
        if (!adviserOf.has(id))
          issues.push({ path: `interactionIds.${index}`, message: `No interaction ${id} is held` });
      });
      session.reviewerIds.forEach((id, index) => {
        if (!leaders.has(id))
          issues.push({ path: `reviewerIds.${index}`, message: `${id} is not a team leader` });
        for (const [interactionId, adviserId] of adviserOf) {
          if (adviserId === id) {
            issues.push({
              path: `reviewerIds.${index}`,
              message: `${id} took interaction ${interactionId}, and nobody scores their own work`,
            });
          }
        }
      });
      if (issues.length > 0)
        return fail('invalid_input', 'The calibration session cannot be set up', issues);
      const id = randomUUID();
      await db
        .insertInto('quality_calibration_sessions')
        .values({
          id,
          title: session.title,
          form_id: session.form.id,
          form_version: session.form.version,
          created_by: session.by,
          created_at: utcTime(session.at),
          closed_by: null,
          closed_at: null,
        })
        .execute();
      for (const interactionId of session.interactionIds) {
        for (const reviewerId of session.reviewerIds) {
          await db
            .insertInto('quality_reviews')
            .values(
              this.draftRow({
                id: randomUUID(),
                interactionId,
                adviserId: adviserOf.get(interactionId) ?? '',
                reviewerId,
                form: session.form,
                purpose: 'calibration',
                calibrationSessionId: id,
                sampleId: null,
                at: session.at,
              }),
            )
            .execute();
        }
      }
      const created = await this.calibrationOn(db, id);
      return created ? ok(created) : fail('internal', 'The session was not kept');
    });
  }

  async calibration(id: string): Promise<StoredCalibration | null> {
    return this.calibrationOn(this.db, id);
  }

  private async calibrationOn(db: Db, id: string): Promise<StoredCalibration | null> {
    const [session] = await this.calibrationsOn(db, [id]);
    return session ?? null;
  }

  async calibrations(limit: number): Promise<StoredCalibration[]> {
    const ids = await this.db
      .selectFrom('quality_calibration_sessions')
      .select('id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return this.calibrationsOn(
      this.db,
      ids.map((row) => row.id),
    );
  }

  private async calibrationsOn(db: Db, ids: readonly string[]): Promise<StoredCalibration[]> {
    if (ids.length === 0) return [];
    const sessions = await db
      .selectFrom('quality_calibration_sessions as c')
      .innerJoin('accounts as a', 'a.id', 'c.created_by')
      .select([
        'c.id',
        'c.title',
        'c.form_id',
        'c.form_version',
        'c.created_by',
        'a.display_name',
        'c.created_at',
        'c.closed_at',
      ])
      .where('c.id', 'in', [...ids])
      .execute();
    const reviews = await db
      .selectFrom('quality_reviews as r')
      .innerJoin('accounts as a', 'a.id', 'r.reviewer_id')
      .select([
        'r.id',
        'r.calibration_session_id',
        'r.interaction_id',
        'r.reviewer_id',
        'a.display_name',
        'r.status',
        'r.answers_json',
        'r.score_json',
      ])
      .where('r.calibration_session_id', 'in', [...ids])
      .orderBy('r.interaction_id')
      .orderBy('a.display_name')
      .execute();
    const byId = new Map(sessions.map((session) => [session.id, session]));
    return ids.flatMap((id) => {
      const session = byId.get(id);
      if (!session) return [];
      const own = reviews.filter((review) => review.calibration_session_id === id);
      const reviewers = new Map(own.map((review) => [review.reviewer_id, review.display_name]));
      return [
        {
          id,
          title: session.title,
          formId: session.form_id,
          formVersion: session.form_version,
          createdBy: { id: session.created_by, name: session.display_name },
          createdAt: session.created_at,
          closedAt: session.closed_at,
          interactionIds: [...new Set(own.map((review) => review.interaction_id))],
          reviewers: [...reviewers].map(([reviewerId, name]) => ({ id: reviewerId, name })),
          reviews: own.map((review) => ({
            id: review.id,
            interactionId: review.interaction_id,
            reviewerId: review.reviewer_id,
            reviewerName: review.display_name,
            status: review.status,
            answers: parsedJson(answersSchema, review.answers_json),
            score: scoreOf(review.score_json),
          })),
        },
      ];
    });
  }

  async closeCalibration(id: string, by: string, at: string): Promise<StoredCalibration | null> {
    // Closing twice keeps the first closing.
    await this.db
      .updateTable('quality_calibration_sessions')
      .set({ closed_by: by, closed_at: utcTime(at) })
      .where('id', '=', id)
      .where('closed_at', 'is', null)
      .execute();
    return this.calibration(id);
  }

  // -------------------------------------------------------------------------
  // Reports

  async reportReviews(from: string, to: string, adviserId: string | null): Promise<ReportReview[]> {
    // By the review's copy of its interaction's completion time and its own
    // partial index (migration 024), not through every interaction of the range.
    let select = this.db
      .selectFrom('quality_reviews as r')
      .innerJoin('accounts as a', 'a.id', 'r.adviser_id')
      .select([
        'r.adviser_id',
        'a.display_name',
        'r.interaction_completed_at',
        'r.form_id',
        'r.form_version',
        'r.score_json',
      ])
      .where('r.purpose', '<>', 'calibration')
      .where('r.status', '<>', 'draft')
      .where('r.interaction_completed_at', '>=', from)
      .where('r.interaction_completed_at', '<', to);
    if (adviserId !== null) select = select.where('r.adviser_id', '=', adviserId);
    const rows = await select.orderBy('a.display_name').orderBy('r.id').execute();
    return rows.flatMap((row) => {
      const score = scoreOf(row.score_json);
      return score && row.interaction_completed_at !== null
        ? [
            {
              adviser: { id: row.adviser_id, name: row.display_name },
              completedAt: row.interaction_completed_at,
              formId: row.form_id,
              formVersion: row.form_version,
              score,
            },
          ]
        : [];
    });
  }

  async calibrationsStarted(from: string, to: string, limit: number): Promise<StoredCalibration[]> {
    const ids = await this.db
      .selectFrom('quality_calibration_sessions')
      .select('id')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return this.calibrationsOn(
      this.db,
      ids.map((row) => row.id),
    );
  }

  // -------------------------------------------------------------------------
  // The form editor

  private formNotesQuery(db: Db) {
    return db
      .selectFrom('quality_forms as f')
      .leftJoin('accounts as saver', 'saver.id', 'f.saved_by')
      .leftJoin('accounts as publisher', 'publisher.id', 'f.published_by')
      .select([
        'f.id',
        'f.version',
        'f.form_json',
        'f.saved_by',
        'saver.display_name as saved_by_name',
        'f.saved_at',
        'f.published_by',
        'publisher.display_name as published_by_name',
        'f.published_at',
      ]);
  }

  private static noteOf(row: {
    id: string;
    version: number;
    saved_by: string | null;
    saved_by_name: string | null;
    saved_at: string | null;
    published_by: string | null;
    published_by_name: string | null;
    published_at: string | null;
  }): FormVersionNote {
    return {
      formId: row.id,
      version: row.version,
      savedBy: row.saved_by === null ? null : { id: row.saved_by, name: row.saved_by_name ?? '' },
      savedAt: row.saved_at,
      publishedBy:
        row.published_by === null
          ? null
          : { id: row.published_by, name: row.published_by_name ?? '' },
      publishedAt: row.published_at,
    };
  }

  async formNotes(): Promise<FormVersionNote[]> {
    const rows = await this.formNotesQuery(this.db)
      .orderBy('f.id')
      .orderBy('f.version', 'desc')
      .execute();
    return rows.map((row) => KyselyQuality.noteOf(row));
  }

  private async formVersionOn(db: Db, id: string, version: number): Promise<FormVersion | null> {
    const row = await this.formNotesQuery(db)
      .where('f.id', '=', id)
      .where('f.version', '=', version)
      .executeTakeFirst();
    return row
      ? { form: parsedJson(scorecardFormSchema, row.form_json), note: KyselyQuality.noteOf(row) }
      : null;
  }

  async saveFormDraft(
    formId: string,
    draft: { basedOn: number; content: FormContent },
    by: string,
    at: string,
  ): Promise<Result<FormVersion>> {
    return inTransaction(this.db, async (db) => {
      // Two team leaders saving the same form queue up here, so the second
      // sees the first's version and is told, rather than both writing one.
      await lockForTransaction(db, this.context.engine, `quality_form:${formId}`);
      const newest = await this.formNotesQuery(db)
        .where('f.id', '=', formId)
        .orderBy('f.version', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!newest) return fail('not_found', `There is no form called “${formId}”`);
      if (newest.version !== draft.basedOn) {
        const who = newest.saved_by_name ?? newest.published_by_name;
        return fail(
          'conflict',
          `Version ${newest.version} of this form was saved${who ? ` by ${who}` : ''} after you opened version ${draft.basedOn}: open the form again to work on the newest`,
        );
      }
      const held = parsedJson(scorecardFormSchema, newest.form_json);
      const revised = reviseForm(held, () => draft.content);
      if (!revised.ok) return revised;
      const form = revised.value;
      const when = utcTime(at);
      if (held.status === 'published') {
        await db
          .insertInto('quality_forms')
          .values({
            id: form.id,
            version: form.version,
            status: 'draft',
            title: form.title,
            form_json: JSON.stringify(form),
            created_at: when,
            saved_by: by,
            saved_at: when,
          })
          .execute();
      } else {
        const changed = await db
          .updateTable('quality_forms')
          .set({ title: form.title, form_json: JSON.stringify(form), saved_by: by, saved_at: when })
          .where('id', '=', form.id)
          .where('version', '=', form.version)
          .where('status', '=', 'draft')
          .executeTakeFirst();
        if (changedRows(changed) !== 1) throw new Error('The draft changed under the save');
      }
      const saved = await this.formVersionOn(db, form.id, form.version);
      return saved ? ok(saved) : fail('internal', 'The form was not kept');
    });
  }

  async publishFormVersion(
    formId: string,
    version: number,
    by: string,
    at: string,
  ): Promise<Result<FormVersion>> {
    return inTransaction(this.db, async (db) => {
      await lockForTransaction(db, this.context.engine, `quality_form:${formId}`);
      const held = await this.formOn(db, formId, version);
      if (!held) return fail('not_found', `There is no version ${version} of “${formId}”`);
      const published = publishForm(held);
      if (!published.ok) return published;
      const when = utcTime(at);
      const changed = await db
        .updateTable('quality_forms')
        .set({
          status: 'published',
          form_json: JSON.stringify(published.value),
          published_by: by,
          published_at: when,
        })
        .where('id', '=', formId)
        .where('version', '=', version)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (changedRows(changed) !== 1) throw new Error('The draft changed under the publish');
      const saved = await this.formVersionOn(db, formId, version);
      return saved ? ok(saved) : fail('internal', 'The form was not kept');
    });
  }

  // -------------------------------------------------------------------------
  // Reassignment

  /**
   * A save by a team leader the review was passed on from: a conflict that
   * says where it went (a desk drops such a draft as out of date), rather
   * than "forbidden", which reads as if they never had it. Null when `by`
   * never had the review.
   */
  private async passedOn(db: Db, review: StoredReview, by: string) {
    const moved = await db
      .selectFrom('quality_review_reassignments')
      .select('reassigned_at')
      .where('review_id', '=', review.id)
      .where('from_reviewer', '=', by)
      .orderBy('reassigned_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!moved) return null;
    const names = await this.staffNamesOn(db, [review.reviewerId]);
    return fail(
      'conflict',
      `This review was passed on ${londonTime.format(new Date(moved.reassigned_at))} and is now ${names.get(review.reviewerId) ?? 'another team leader'}’s to finish: these answers were not saved`,
    );
  }

  private async staffNamesOn(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('accounts')
      .select(['id', 'display_name'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, row.display_name]));
  }

  async reassign(
    reviewId: string,
    by: string,
    to: string,
    reason: string,
    at: string,
  ): Promise<Result<StoredReview>> {
    return this.change(reviewId, async (db, { review }) => {
      const account = await db
        .selectFrom('accounts as a')
        .leftJoin('account_roles as role', (join) =>
          join.onRef('role.account_id', '=', 'a.id').on('role.role', '=', 'team_leader'),
        )
        .select(['a.id', 'a.display_name', 'role.role'])
        .where('a.id', '=', to)
        .executeTakeFirst();
      if (!account) {
        return fail('invalid_input', 'The review cannot go there', [
          { path: 'reviewerId', message: 'There is no such member of staff' },
        ]);
      }
      const decided = decideReassign({
        review,
        by,
        to: { id: account.id, name: account.display_name, isTeamLeader: account.role !== null },
      });
      if (!decided.ok) return decided;
      const when = utcTime(at);
      await db
        .insertInto('quality_review_reassignments')
        .values({
          id: randomUUID(),
          review_id: reviewId,
          from_reviewer: review.reviewerId,
          to_reviewer: decided.value.reviewerId,
          reassigned_by: by,
          reassigned_at: when,
          reason,
        })
        .execute();
      await db
        .updateTable('quality_reviews')
        .set({ reviewer_id: decided.value.reviewerId, updated_at: when })
        .where('id', '=', reviewId)
        .execute();
      return ok(null);
    });
  }

  async reassignments(reviewId: string): Promise<Reassignment[]> {
    const rows = await this.db
      .selectFrom('quality_review_reassignments as m')
      .innerJoin('accounts as f', 'f.id', 'm.from_reviewer')
      .innerJoin('accounts as t', 't.id', 'm.to_reviewer')
      .innerJoin('accounts as b', 'b.id', 'm.reassigned_by')
      .select([
        'm.from_reviewer',
        'f.display_name as from_name',
        'm.to_reviewer',
        't.display_name as to_name',
        'm.reassigned_by',
        'b.display_name as by_name',
        'm.reassigned_at',
        'm.reason',
      ])
      .where('m.review_id', '=', reviewId)
      .orderBy('m.reassigned_at')
      .orderBy('m.id')
      .execute();
    return rows.map((row) => ({
      from: { id: row.from_reviewer, name: row.from_name },
      to: { id: row.to_reviewer, name: row.to_name },
      by: { id: row.reassigned_by, name: row.by_name },
      at: row.reassigned_at,
      reason: row.reason,
    }));
  }

  // -------------------------------------------------------------------------
  // Improvement targets

  private targetRows(db: Db) {
    return db
      .selectFrom('quality_targets as t')
      .innerJoin('accounts as adviser', 'adviser.id', 't.adviser_id')
      .innerJoin('accounts as setter', 'setter.id', 't.set_by')
      .leftJoin('accounts as withdrawer', 'withdrawer.id', 't.withdrawn_by')
      .selectAll('t')
      .select([
        'adviser.display_name as adviser_name',
        'setter.display_name as set_by_name',
        'withdrawer.display_name as withdrawn_by_name',
      ]);
  }

  private static targetOf(
    row: Row<'quality_targets'> & {
      adviser_name: string;
      set_by_name: string;
      withdrawn_by_name: string | null;
    },
  ): StoredTarget {
    return {
      id: row.id,
      adviserId: row.adviser_id,
      adviserName: row.adviser_name,
      measure: row.measure,
      itemId: row.item_id,
      targetPercent: row.target_percent,
      startsOn: row.starts_on,
      dueOn: row.due_on,
      note: row.note,
      setBy: { id: row.set_by, name: row.set_by_name },
      setAt: row.set_at,
      withdrawal:
        row.withdrawn_by !== null && row.withdrawn_at !== null
          ? {
              by: { id: row.withdrawn_by, name: row.withdrawn_by_name ?? '' },
              at: row.withdrawn_at,
              reason: row.withdrawal_reason ?? '',
            }
          : null,
    };
  }

  async addTarget(
    target: ImprovementTargetFields,
    by: string,
    at: string,
  ): Promise<Result<StoredTarget>> {
    const adviser = await this.db
      .selectFrom('account_roles')
      .select('account_id')
      .where('account_id', '=', target.adviserId)
      .where('role', '=', 'adviser')
      .executeTakeFirst();
    if (!adviser) {
      return fail('invalid_input', 'The target cannot be set', [
        { path: 'adviserId', message: 'Targets are for advisers: choose one' },
      ]);
    }
    if (target.adviserId === by) {
      return fail('forbidden', 'Your own targets are set by another team leader');
    }
    const id = randomUUID();
    await this.db
      .insertInto('quality_targets')
      .values({
        id,
        adviser_id: target.adviserId,
        measure: target.measure,
        item_id: target.itemId,
        target_percent: target.targetPercent,
        starts_on: target.startsOn,
        due_on: target.dueOn,
        note: target.note,
        set_by: by,
        set_at: utcTime(at),
        withdrawn_by: null,
        withdrawn_at: null,
        withdrawal_reason: null,
      })
      .execute();
    const stored = await this.target(id);
    return stored ? ok(stored) : fail('internal', 'The target was not kept');
  }

  async withdrawTarget(
    id: string,
    by: string,
    reason: string,
    at: string,
  ): Promise<Result<StoredTarget>> {
    const changed = await this.db
      .updateTable('quality_targets')
      .set({ withdrawn_by: by, withdrawn_at: utcTime(at), withdrawal_reason: reason })
      .where('id', '=', id)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    const held = await this.target(id);
    if (!held) return fail('not_found', 'There is no such target');
    if (changedRows(changed) !== 1) {
      return fail('conflict', 'This target was already withdrawn');
    }
    return ok(held);
  }

  async target(id: string): Promise<StoredTarget | null> {
    const row = await this.targetRows(this.db).where('t.id', '=', id).executeTakeFirst();
    return row ? KyselyQuality.targetOf(row) : null;
  }

  async targets(filter: TargetFilter): Promise<StoredTarget[]> {
    let select = this.targetRows(this.db);
    if (filter.adviserId !== undefined)
      select = select.where('t.adviser_id', '=', filter.adviserId);
    if (filter.overlapping) {
      select = select
        .where('t.starts_on', '<=', filter.overlapping.to)
        .where('t.due_on', '>=', filter.overlapping.from);
    }
    if (!filter.includeWithdrawn) select = select.where('t.withdrawn_at', 'is', null);
    const rows = await select
      .orderBy('t.due_on', 'desc')
      .orderBy('adviser.display_name')
      .orderBy('t.id')
      .limit(filter.limit)
      .execute();
    return rows.map((row) => KyselyQuality.targetOf(row));
  }
}
