// Interaction history on either engine: pages of completed interactions by
// the filters the history screen offers, newest or oldest first, one page after
// another by keyset (completed_at, id) so the millionth row costs what the
// first does; full-text search over each record's redacted text; and the audit
// of who saw a record's personal data, and why.
//
// The columns the filters read are copied out of the record when it is written
// (historyColumns, called by interactionRow, so a delivered interaction is still
// one INSERT) and by migration 011 for records held before it. The search text
// is not: redacting a record takes tens of milliseconds, which the outbox's
// ingest must not wait for, so rows arrive without it and the history indexer
// (server/history/indexer.ts) fills it in behind them (indexSearchText). Only
// the text search differs between the engines (FTS5 against a tsvector), and it
// is written side by side below, as the knowledge search is.
import { randomUUID } from 'node:crypto';
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import {
  interactionRecordSchema,
  stageIdSchema,
  type InteractionRecord,
} from '../../shared/interaction/record';
import { stageIds, type StageId } from '../../shared/interaction/taxonomy';
import { fail, ok, type Result } from '../../shared/result';
import { londonDayStart } from '../../shared/time/london';
import type {
  HistoryPage,
  HistoryQuery,
  HistoryRow,
  PersonalDataView,
} from '../../shared/wire/history';
import { fts5Query } from '../knowledge/store';
import { inTransaction, type StoreContext } from './database';
import type { Row, ServerSchema } from './schema';
import type { KnownValue } from '../redaction/kinds';
import type {
  EarlierContactMatch,
  HeldInteraction,
  HistoryScope,
  HistoryStore,
  NewPersonalDataView,
} from './types';

/** The history columns of an interaction row: what the filters and the search read. */
export interface HistoryColumns {
  started_at: string;
  completed_at: string;
  talk_seconds: number | null;
  starting_status: ServerSchema['interactions']['starting_status'];
  follow_up_booked: number;
  safeguarding_raised: number;
  within_remit: number | null;
  transcript_sent: number;
  not_covered_stages: string;
  /** Null until the indexer has redacted the record's text. */
  search_text: string | null;
}

/**
 * Times as the database keeps them: UTC with milliseconds, as toISOString
 * writes them. A record may carry any offset (the schema allows one), but
 * keyset paging and day ranges compare the text, which only sorts as time in
 * one form.
 */
export function utcTime(iso: string): string {
  return new Date(iso).toISOString();
}

/**
 * The text a history search reads: what the adviser typed (notes at each stage
 * and the free-text fields of the starting point, barriers and next steps) and
 * the chat, taken from the record after redaction, so a search can only ever
 * find what a redacted view shows.
 */
export function searchTextOf(redacted: InteractionRecord): string {
  const { summary } = redacted;
  const parts: string[] = [
    ...stageIds.map((stage) => summary.notes[stage] ?? ''),
    summary.startingPoint.goals,
    summary.startingPoint.alreadyKnowsOrDone,
    ...summary.barriers.identified.flatMap((barrier) => [barrier.notes, barrier.agreed]),
    summary.nextSteps.mainPoints,
    ...summary.nextSteps.actions.map((action) => action.description),
    ...summary.chat.map((line) => line.text),
  ];
  return parts
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join('\n');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** From answer (or chat accepted) to the end of the contact, in whole seconds. */
function talkSecondsOf(record: InteractionRecord): number | null {
  const { call } = record.summary;
  if (call.connectedAt === null) return null;
  const end = call.endedAt ?? call.wrapUpStartedAt ?? record.completedAt;
  const seconds = Math.round((Date.parse(end) - Date.parse(call.connectedAt)) / 1000);
  return Math.max(0, seconds);
}

const flag = (value: boolean) => (value ? 1 : 0);

/** The stages a record marked not covered, in the stages' own order. */
function notCoveredStagesOf(record: InteractionRecord): StageId[] {
  return stageIds.filter((stage) => record.summary.notCovered[stage] !== undefined);
}

/** Every history column of a record, with its search text still to be indexed. */
export function historyColumns(record: InteractionRecord): HistoryColumns {
  const { summary } = record;
  return {
    started_at: utcTime(record.startedAt),
    completed_at: utcTime(record.completedAt),
    talk_seconds: talkSecondsOf(record),
    starting_status: summary.startingPoint.status,
    follow_up_booked: flag(summary.followUp.decision === 'accepted'),
    safeguarding_raised: flag(summary.safeguarding.length > 0),
    within_remit: summary.caller.withinRemit === null ? null : flag(summary.caller.withinRemit),
    transcript_sent: flag(summary.transcript.decision === 'send'),
    not_covered_stages: JSON.stringify(notCoveredStagesOf(record)),
    search_text: null,
  };
}

/** Stored by historyColumns; parsed all the same, as the column is only text to the database. */
const notCoveredStagesSchema = z.array(stageIdSchema);

// ---------------------------------------------------------------------------
// Cursors

/**
 * Where the previous page ended: its last row's completion time and id. Opaque
 * to the desk (base64url), and checked on the way back in, because it is input.
 */
const cursorSchema = z.tuple([z.iso.datetime(), z.string().min(1).max(100)]);

export function encodeHistoryCursor(completedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([completedAt, id]), 'utf8').toString('base64url');
}

export function decodeHistoryCursor(cursor: string): Result<{ completedAt: string; id: string }> {
  const refusal = fail(
    'invalid_input',
    'The page cursor is not one this server gave out: start again from the first page',
  );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return refusal;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return refusal;
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) return refusal;
  const [completedAt, id] = parsed.data;
  return ok({ completedAt, id });
}

// ---------------------------------------------------------------------------
// The store

/** A snippet's length in words, around the first match; the contract allows 400 characters. */
const snippetWords = 24;
const maxSnippetChars = 400;

/**
 * Above this many matches, a search walks the page order rather than sorting
 * every match (searchPlan). Where the two plans cost the same differs: an FTS5
 * probe per row walked costs about as much as sorting a few hundred matches,
 * so SQLite sorts up to 20,000 (11 ms for 10,000 matches at 200,000 rows,
 * where walking took 85 ms), while PostgreSQL tests a row's stored tsvector
 * cheaply and walks sooner.
 */
const defaultManyMatches = { sqlite: 20_000, postgres: 2_000 } as const;

interface SearchPlan {
  words: string;
  walkInOrder: boolean;
}

const interactionsOf = (context: StoreContext) => context.db.selectFrom('interactions as i');
type InteractionsQuery = ReturnType<typeof interactionsOf>;

/** The columns of a history row, read from `interactions as i` joined to `accounts as a`. */
export const historyRowColumns = [
  'i.id',
  'i.channel',
  'i.adviser_id',
  'a.display_name',
  'i.started_at',
  'i.completed_at',
  'i.talk_seconds',
  'i.starting_status',
  'i.follow_up_booked',
  'i.safeguarding_raised',
  'i.within_remit',
  'i.transcript_sent',
  'i.not_covered_stages',
  'i.follow_up_booking_id',
] as const;

const channelSchema = interactionRecordSchema.shape.channel;

type HistoryRowColumns = Pick<
  Row<'interactions'>,
  | 'id'
  | 'channel'
  | 'adviser_id'
  | 'started_at'
  | 'completed_at'
  | 'talk_seconds'
  | 'starting_status'
  | 'follow_up_booked'
  | 'safeguarding_raised'
  | 'within_remit'
  | 'transcript_sent'
  | 'not_covered_stages'
  | 'follow_up_booking_id'
> & { display_name: string };

/** A history row as the wire carries it, without a snippet. */
export function historyRowOf(row: HistoryRowColumns): HistoryRow {
  return {
    id: row.id,
    channel: channelSchema.parse(row.channel),
    adviserId: row.adviser_id,
    adviserName: row.display_name,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    talkSeconds: row.talk_seconds,
    startingStatus: row.starting_status,
    followUpBooked: row.follow_up_booked === 1,
    safeguardingRaised: row.safeguarding_raised === 1,
    withinRemit: row.within_remit === null ? null : row.within_remit === 1,
    transcriptSent: row.transcript_sent === 1,
    notCoveredStages: notCoveredStagesSchema.parse(JSON.parse(row.not_covered_stages)),
    followUpCall: row.follow_up_booking_id !== null,
    snippet: null,
  };
}

/**
 * A held interaction's row: its record, its adviser, and what the server holds
 * beside it (the call's number, or the chat's name and transcript address).
 */
function heldQuery(db: StoreContext['db']) {
  return db
    .selectFrom('interactions as i')
    .innerJoin('accounts as a', 'a.id', 'i.adviser_id')
    .leftJoin('calls as c', (join) =>
      join.onRef('c.id', '=', 'i.contact_ref').on('i.channel', '=', 'voice'),
    )
    .leftJoin('chats as ch', (join) =>
      join.onRef('ch.id', '=', 'i.contact_ref').on('i.channel', '=', 'webchat'),
    )
    .select([
      'i.record_json',
      'a.display_name',
      'c.cli',
      'ch.customer_name',
      'ch.transcript_email',
    ]);
}
type HeldRow = {
  record_json: string;
  display_name: string;
  cli: string | null;
  customer_name: string | null;
  transcript_email: string | null;
};

/** The personal values held beside a record, for its redaction. */
function knownBeside(row: HeldRow): KnownValue[] {
  const known: KnownValue[] = [];
  if (row.cli !== null) known.push({ kind: 'PHONE', value: row.cli });
  if (row.customer_name !== null) known.push({ kind: 'NAME', value: row.customer_name });
  if (row.transcript_email !== null) known.push({ kind: 'EMAIL', value: row.transcript_email });
  return known;
}

function heldFromRow(row: HeldRow): HeldInteraction {
  // Parsed, not cast: records written by older desks gain the fields added
  // since (the chat log's default), which the redaction and the replay read.
  return {
    record: interactionRecordSchema.parse(JSON.parse(row.record_json)),
    adviserName: row.display_name,
    known: knownBeside(row),
  };
}

export class KyselyHistory implements HistoryStore {
  constructor(
    private readonly context: StoreContext,
    /** Where a search switches plans (searchPlan); tests lower it to walk both. */
    private readonly manyMatches: number = defaultManyMatches[context.engine],
  ) {}

  async page(query: HistoryQuery, scope: HistoryScope): Promise<Result<HistoryPage>> {
    const after = query.cursor === undefined ? null : decodeHistoryCursor(query.cursor);
    if (after && !after.ok) return after;
    let words: string | null = null;
    if (query.text !== undefined) {
      // Nothing a search can match (only punctuation): an empty page, not every row.
      words = this.context.engine === 'sqlite' ? fts5Query(query.text) : query.text;
      if (words === null) return ok({ rows: [], nextCursor: null });
    }
    const newest = query.sort === 'newest';
    const direction = newest ? 'desc' : 'asc';
    const search = words === null ? null : await this.searchPlan(words);
    let select = this.filtered(query, scope, search);
    if (after?.ok) {
      const { completedAt, id } = after.value;
      select = select.where((eb) =>
        eb(eb.refTuple('i.completed_at', 'i.id'), newest ? '<' : '>', eb.tuple(completedAt, id)),
      );
    }
    // One more than asked for says whether another page follows.
    const found = await select
      .innerJoin('accounts as a', 'a.id', 'i.adviser_id')
      .select(historyRowColumns)
      .select('i.seq')
      .orderBy('i.completed_at', direction)
      .orderBy('i.id', direction)
      .limit(query.limit + 1)
      .execute();
    const page = found.slice(0, query.limit);
    const snippets =
      words === null || page.length === 0
        ? new Map<string, string>()
        : await this.snippets(words, page);
    const rows = page.map((row) => ({
      ...historyRowOf(row),
      snippet: snippets.get(row.id)?.slice(0, maxSnippetChars) ?? null,
    }));
    const last = page.at(-1);
    return ok({
      rows,
      nextCursor:
        found.length > query.limit && last ? encodeHistoryCursor(last.completed_at, last.id) : null,
    });
  }

  /**
   * Every filter as a WHERE clause. Each one compares a column with a value as
   * the migration's indexes (and their partial predicates) spell it, so the
   * planner of either engine can walk an index in (completed_at, id) order and
   * stop after one page.
   */
  private filtered(query: HistoryQuery, scope: HistoryScope, search: SearchPlan | null) {
    let select: InteractionsQuery = interactionsOf(this.context);
    if (scope.adviserId !== null) select = select.where('i.adviser_id', '=', scope.adviserId);
    if (query.adviserId !== undefined) select = select.where('i.adviser_id', '=', query.adviserId);
    if (query.from !== undefined)
      select = select.where('i.completed_at', '>=', londonDayStart(query.from));
    if (query.to !== undefined)
      select = select.where('i.completed_at', '<', londonDayStart(query.to, 1));
    if (query.channel !== undefined) select = select.where('i.channel', '=', query.channel);
    if (query.startingStatus !== undefined)
      select = select.where('i.starting_status', '=', query.startingStatus);
    if (query.followUpBooked !== undefined)
      select = select.where('i.follow_up_booked', '=', flag(query.followUpBooked));
    if (query.safeguarding !== undefined)
      select = select.where('i.safeguarding_raised', '=', flag(query.safeguarding));
    if (query.withinRemit !== undefined)
      select = select.where('i.within_remit', '=', flag(query.withinRemit));
    if (query.transcriptSent !== undefined)
      select = select.where('i.transcript_sent', '=', flag(query.transcriptSent));
    if (query.notCovered !== undefined)
      select = select.where('i.not_covered_stages', query.notCovered ? '<>' : '=', '[]');
    // The dashboard's drill-downs: each reads a column migration 016 added.
    if (query.completedHour !== undefined)
      select = select.where('i.completed_hour', '=', query.completedHour);
    if (query.statusCaptured !== undefined) {
      select = query.statusCaptured
        ? select
            .where('i.starting_status', 'is not', null)
            .where('i.starting_status', '<>', 'not_disclosed')
        : select.where((eb) =>
            eb.or([
              eb('i.starting_status', 'is', null),
              eb('i.starting_status', '=', 'not_disclosed'),
            ]),
          );
    }
    if (query.followUpOffered !== undefined)
      select = select.where('i.follow_up_offered', '=', flag(query.followUpOffered));
    if (query.transcriptOffered !== undefined)
      select = select.where('i.transcript_offered', '=', flag(query.transcriptOffered));
    if (query.serviceQuestionsSkipped !== undefined)
      select = select.where(
        'i.service_questions_skipped',
        '=',
        flag(query.serviceQuestionsSkipped),
      );
    if (query.answeredWithinSeconds !== undefined)
      select = select.where('i.answer_seconds', '<=', query.answeredWithinSeconds);
    // Migration 018: a follow-up interaction names the booking it made.
    if (query.followUpCall !== undefined)
      select = select.where('i.follow_up_booking_id', query.followUpCall ? 'is not' : 'is', null);
    // Migration 023: who the customer was at first contact.
    if (query.ageGroup !== undefined)
      select = select.where('i.customer_age_group', '=', query.ageGroup);
    if (query.region !== undefined) select = select.where('i.customer_region', '=', query.region);
    if (search !== null) select = select.where(this.matches(search));
    return select;
  }

  /**
   * How to meet a search with the page order. Each engine's full-text index
   * hands back matches in its own order, not by completion time, so there are
   * two ways: collect every match and sort them (quick when few rows match),
   * or walk the (completed_at, id) index and test each row until the page is
   * full (quick when many do, hopeless when few or none do). Counting up to
   * `manyMatches` of them first costs little either way and says which.
   *
   * PostgreSQL's planner makes the same choice from its statistics, and for a
   * word nobody wrote it guesses wrong: it walks the whole table looking for
   * a page of rows that are not there (1.7 s at a million rows). Its guess is
   * good enough to count with, though: under a LIMIT it reads a rare word's
   * few matches from the GIN index and stops early on a common word.
   */
  private async searchPlan(words: string): Promise<SearchPlan> {
    const { rows } =
      this.context.engine === 'sqlite'
        ? await sql<{ matches: number }>`
            SELECT count(*) AS matches FROM (
              SELECT rowid FROM interaction_search WHERE interaction_search MATCH ${words}
              LIMIT ${this.manyMatches}
            )
          `.execute(this.context.db)
        : await sql<{ matches: number }>`
            SELECT count(*)::int AS matches FROM (
              SELECT 1 FROM interactions
              WHERE search_document @@ plainto_tsquery('english', ${words})
              LIMIT ${this.manyMatches}
            ) AS found
          `.execute(this.context.db);
    return { words, walkInOrder: Number(rows[0]?.matches ?? 0) >= this.manyMatches };
  }

  /**
   * The full-text match, in each engine's own search. What was typed is only
   * ever a bound parameter: FTS5 gets quoted words (fts5Query) and PostgreSQL's
   * plainto_tsquery reads plain words and no operators, so both require every
   * word, stemmed, and no input is a syntax error.
   */
  private matches({ words, walkInOrder }: SearchPlan) {
    if (this.context.engine === 'sqlite') {
      // The FTS5 table's rowid is the row's seq (migration 011); a MATCH with
      // a rowid constraint seeks straight to that row's entries.
      return walkInOrder
        ? sql<SqlBool>`EXISTS (SELECT 1 FROM interaction_search WHERE interaction_search MATCH ${words} AND rowid = i.seq)`
        : sql<SqlBool>`i.seq IN (SELECT rowid FROM interaction_search WHERE interaction_search MATCH ${words})`;
    }
    // The stored tsvector column, GIN-indexed (migration 011). Walking, each
    // row is tested as it comes; otherwise the matches are gathered first (an
    // ARRAY subquery runs once, from the GIN index) and the page is sorted from
    // them by their ids.
    return walkInOrder
      ? sql<SqlBool>`i.search_document @@ plainto_tsquery('english', ${words})`
      : sql<SqlBool>`i.id = ANY (ARRAY(
          SELECT m.id FROM interactions m
          WHERE m.search_document @@ plainto_tsquery('english', ${words})
        ))`;
  }

  /** The matching passage of each row on the page: only the page, as making one reads the whole text. */
  private async snippets(
    words: string,
    page: readonly { id: string; seq: number | string }[],
  ): Promise<Map<string, string>> {
    const ids = page.map((row) => row.id);
    if (this.context.engine === 'sqlite') {
      // Asked by rowid, so FTS5 seeks to each of the page's rows. Joined to
      // interactions by id instead, SQLite walks every match of the words
      // first: 171 ms against 1.8 ms for a common word at 200,000 rows.
      const idOfSeq = new Map(page.map((row) => [Number(row.seq), row.id]));
      const { rows } = await sql<{ seq: number; snippet: string }>`
        SELECT rowid AS seq, snippet(interaction_search, 0, '', '', '…', ${snippetWords}) AS snippet
        FROM interaction_search
        WHERE interaction_search MATCH ${words}
          AND rowid IN (${sql.join([...idOfSeq.keys()])})
      `.execute(this.context.db);
      return new Map(rows.map((row) => [idOfSeq.get(Number(row.seq)) ?? '', row.snippet]));
    }
    const { rows } = await sql<{ id: string; snippet: string }>`
      SELECT i.id,
        ts_headline('english', i.search_text, plainto_tsquery('english', ${words}),
          ${`StartSel="", StopSel="", MaxWords=${snippetWords}, MinWords=${snippetWords / 2}`}) AS snippet
      FROM interactions i
      WHERE i.id IN (${sql.join(ids)})
    `.execute(this.context.db);
    return new Map(rows.map((row) => [row.id, row.snippet]));
  }

  async find(id: string): Promise<HeldInteraction | null> {
    const row = await heldQuery(this.context.db).where('i.id', '=', id).executeTakeFirst();
    return row ? heldFromRow(row) : null;
  }

  async earlierContacts(match: EarlierContactMatch, limit: number): Promise<HeldInteraction[]> {
    const query = heldQuery(this.context.db);
    const matched =
      match.channel === 'voice'
        ? query.where('c.cli_key', '=', match.lineKey).where('c.id', '<>', match.exceptCallId)
        : query
            .where('ch.device_key', '=', match.deviceKeyHash)
            .where('ch.id', '<>', match.exceptChatId);
    const rows = await matched
      .orderBy('i.completed_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(heldFromRow);
  }

  async indexSearchText(
    searchTextFor: (record: InteractionRecord, known: readonly KnownValue[]) => string,
    limit: number,
  ): Promise<number> {
    const pending = (db: StoreContext['db']) =>
      heldQuery(db).select('i.id').where('i.search_text', 'is', null).orderBy('i.seq').limit(limit);
    const textOf = (row: HeldRow) => {
      // A row whose record no longer parses keeps its filters and indexes no
      // words: nothing unredacted is ever indexed, and one bad row must not
      // stop the rest.
      const parsed = interactionRecordSchema.safeParse(safeJson(row.record_json));
      return parsed.success ? searchTextFor(parsed.data, knownBeside(row)) : '';
    };
    if (this.context.engine === 'sqlite') {
      // One server process on SQLite: no other indexer to race, and the
      // redaction runs outside a transaction so it never holds the write lock.
      const rows = await pending(this.context.db).execute();
      for (const row of rows) {
        await this.context.db
          .updateTable('interactions')
          .set({ search_text: textOf(row) })
          .where('id', '=', row.id)
          .where('search_text', 'is', null)
          .execute();
      }
      return rows.length;
    }
    // Several processes: each takes rows no other holds (SKIP LOCKED) and
    // keeps them locked while it redacts, so no record is redacted twice.
    return inTransaction(this.context.db, async (trx) => {
      // The search text is made from the record: a commit lost in a crash
      // leaves its rows pending, and the indexer makes them again. So the
      // commit does not wait for the disk, as SQLite's NORMAL does not; the
      // flushes are kept for the ingest that answers desks (decision 0015).
      await sql`set local synchronous_commit = off`.execute(trx);
      const rows = await pending(trx).forUpdate(['i']).skipLocked().execute();
      for (const row of rows) {
        await trx
          .updateTable('interactions')
          .set({ search_text: textOf(row) })
          .where('id', '=', row.id)
          .execute();
      }
      return rows.length;
    });
  }

  async tidySearchIndex(pages: number): Promise<boolean> {
    if (this.context.engine !== 'sqlite') return false;
    // A negative size merges segments whatever their level (an optimize done
    // a little at a time). SQLite's documented way to tell whether it found
    // work: the total change count moves by less than two when it did none.
    return inTransaction(this.context.db, async (trx) => {
      const changes = async () =>
        Number(
          (await sql<{ changes: number }>`SELECT total_changes() AS changes`.execute(trx)).rows[0]
            ?.changes ?? 0,
        );
      const before = await changes();
      await sql`INSERT INTO interaction_search (interaction_search, rank) VALUES ('merge', ${-Math.max(1, pages)})`.execute(
        trx,
      );
      return (await changes()) - before >= 2;
    });
  }

  async recordView(view: NewPersonalDataView): Promise<PersonalDataView> {
    const id = randomUUID();
    await this.context.db
      .insertInto('personal_data_views')
      .values({
        id,
        interaction_id: view.interactionId,
        viewer_id: view.viewerId,
        reason: view.reason,
        viewed_at: utcTime(view.viewedAt),
      })
      .execute();
    const viewer = await this.context.db
      .selectFrom('accounts')
      .select('display_name')
      .where('id', '=', view.viewerId)
      .executeTakeFirstOrThrow();
    return {
      id,
      interactionId: view.interactionId,
      viewerId: view.viewerId,
      viewerName: viewer.display_name,
      reason: view.reason,
      viewedAt: utcTime(view.viewedAt),
    };
  }

  async listViews(limit: number): Promise<PersonalDataView[]> {
    const rows = await this.context.db
      .selectFrom('personal_data_views as v')
      .innerJoin('accounts as a', 'a.id', 'v.viewer_id')
      .select([
        'v.id',
        'v.interaction_id',
        'v.viewer_id',
        'a.display_name',
        'v.reason',
        'v.viewed_at',
      ])
      .orderBy('v.viewed_at', 'desc')
      .orderBy('v.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      interactionId: row.interaction_id,
      viewerId: row.viewer_id,
      viewerName: row.display_name,
      reason: row.reason,
      viewedAt: row.viewed_at,
    }));
  }
}
