// KnowledgeStore on Kysely, one set of queries for SQLite and PostgreSQL; only
// full-text search is written per engine (search() below). Built on a
// StoreContext, so an outbox item's draft is written in the transaction that
// records the item as applied.
//
// The change feed's promise: a desk's cursor is the highest version it holds,
// and nothing at or below it may ever appear later. Versions are handed out by
// the database (AUTOINCREMENT, identity), so every transaction that writes a
// version, or decides a draft, first takes one lock (see knowledgeWriteLock):
// versions then commit in the order they were numbered.
import { sql } from 'kysely';
import type {
  ArticleContent,
  KnowledgeArticle,
  KnowledgeChange,
  KnowledgeChangePage,
} from '../../shared/knowledge/article';
import type { KnowledgeDraft, KnowledgeEdit } from '../../shared/wire/knowledge';
import {
  changedRows,
  inTransaction,
  lockForTransaction,
  type Executor,
  type StoreContext,
} from '../storage/database';
import type { Row } from '../storage/schema';
import { StorageConflictError } from '../storage/types';
import type {
  Approval,
  ApproveOutcome,
  DraftListFilter,
  KnowledgeCounts,
  KnowledgeSearchHit,
  KnowledgeStore,
  RejectOutcome,
  RetireOutcome,
  ReviewDueRow,
} from './types';

/**
 * Taken by every transaction that writes a version (import, approval,
 * retirement) or decides a draft, before its first read. On PostgreSQL two
 * transactions may draw identity numbers in one order and commit in the other:
 * a desk reading the feed between the two commits would see the higher version,
 * move its cursor past the lower one, and never receive it. Holding the lock
 * from before the number is drawn until the commit makes numbering order and
 * commit order the same. It also makes each decision (is this draft still
 * awaiting review? which version is current?) the only one in flight, so two
 * reviewers cannot both publish over the same version. SQLite's IMMEDIATE
 * transactions already hold the database's one write lock.
 */
const knowledgeWriteLock = 'knowledge-versions';

type HeldStatus = Row<'knowledge_articles'>['status'];

type ArticleRow = Pick<Row<'knowledge_articles'>, 'id' | 'version' | 'status'> &
  Pick<Row<'knowledge_article_versions'>, 'content_json'>;

type DraftRow = Omit<Row<'knowledge_drafts'>, 'edited_at'>;

const draftColumns = [
  'draft_id',
  'article_id',
  'author_id',
  'base_version',
  'content_json',
  'note',
  'status',
  'submitted_at',
  'decided_by',
  'decided_at',
  'decided_against_version',
  'rejection_reason',
  'published_version',
] as const satisfies readonly (keyof DraftRow)[];

// Written by this store from content already parsed at the boundary.
const parseContent = (json: string) => JSON.parse(json) as ArticleContent;

const articleOf = (row: ArticleRow): KnowledgeArticle => ({
  ...parseContent(row.content_json),
  version: row.version,
  status: row.status,
});

/** What a draft is compared with: its article's content at some versions; and who wrote it. */
interface DraftContext {
  /** Each awaiting draft's article's current version. */
  currentVersions: Map<string, number>;
  /** Copies by version, with the article they are a copy of. */
  copies: Map<number, { articleId: string; content: ArticleContent }>;
  /** Display names of the drafts' authors, by account id. */
  authorNames: Map<string, string>;
}

/**
 * The FTS5 query for what someone typed: each word a quoted string (so no
 * character they type is FTS5 syntax: `"`, `*`, `OR`, `NEAR(` are words or
 * nothing), all of them required, each stemmed by the table's tokenizer.
 * Words are what the tokenizer keeps (letters, digits, marks); null when none.
 */
export function fts5Query(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}\p{M}]+/gu);
  if (!words) return null;
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
}

/** Words of body around a match, or its opening: plain text, never markup. */
const snippetWords = 24;

export class KyselyKnowledgeStore implements KnowledgeStore {
  constructor(private readonly context: StoreContext) {}

  async counts(): Promise<KnowledgeCounts> {
    // One statement, so the three counts are of one moment.
    const counts = await this.context.db
      .selectNoFrom((eb) => [
        eb.selectFrom('knowledge_articles').select(eb.fn.countAll<number>().as('n')).as('articles'),
        eb
          .selectFrom('knowledge_article_versions')
          .select(eb.fn.countAll<number>().as('n'))
          .as('versions'),
        eb.selectFrom('knowledge_drafts').select(eb.fn.countAll<number>().as('n')).as('drafts'),
      ])
      .executeTakeFirstOrThrow();
    return {
      articles: counts.articles ?? 0,
      versions: counts.versions ?? 0,
      drafts: counts.drafts ?? 0,
    };
  }

  importIfEmpty(articles: readonly ArticleContent[], at: string): Promise<number | null> {
    return inTransaction(this.context.db, async (trx) => {
      // Before the count: two servers starting at once on one PostgreSQL
      // database take turns, and the second sees the first's articles.
      await lockForTransaction(trx, this.context.engine, knowledgeWriteLock);
      const held = await trx
        .selectFrom('knowledge_articles')
        .select('id')
        .limit(1)
        .executeTakeFirst();
      if (held) return null;
      for (let start = 0; start < articles.length; start += importBatch) {
        await importBatchOf(trx, articles.slice(start, start + importBatch), at);
      }
      return articles.length;
    });
  }

  async changes(since: number, limit: number): Promise<KnowledgeChangePage> {
    // One more than asked for says whether another page follows.
    const rows = await this.context.db
      .selectFrom('knowledge_articles as a')
      .innerJoin('knowledge_article_versions as v', 'v.version', 'a.version')
      .select(['a.id', 'a.version', 'a.status', 'v.content_json'])
      .where('a.version', '>', since)
      .orderBy('a.version')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const changes = page.map((row): KnowledgeChange =>
      row.status === 'retired'
        ? { version: row.version, tombstone: { id: row.id } }
        : { version: row.version, article: articleOf(row) },
    );
    return {
      changes,
      nextCursor: page.at(-1)?.version ?? since,
      hasMore: rows.length > limit,
    };
  }

  async article(id: string): Promise<KnowledgeArticle | null> {
    const row = await currentRow(this.context.db, id);
    return row ? articleOf(row) : null;
  }

  reviewDue(today: string): Promise<ReviewDueRow[]> {
    return this.context.db
      .selectFrom('knowledge_articles')
      .select(['id', 'title', 'version', 'review_by as reviewBy'])
      .where('status', '=', 'published')
      .where('review_by', '<', today)
      .orderBy('review_by')
      .orderBy('id')
      .execute();
  }

  async search(query: string, limit: number): Promise<KnowledgeSearchHit[]> {
    // The two engines' own full-text search, side by side. What was typed is
    // only ever a bound parameter: FTS5 gets quoted words (fts5Query), and
    // PostgreSQL's plainto_tsquery reads plain words and no operators, so both
    // engines require every word, and no input is a syntax error.
    if (this.context.engine === 'sqlite') {
      const match = fts5Query(query);
      if (match === null) return [];
      // bm25 is lower for a better match; a word in the title weighs ten of the body's.
      const { rows } = await sql<KnowledgeSearchHit>`
        SELECT a.id, a.title, a.version,
          snippet(knowledge_search, 1, '', '', '…', ${snippetWords}) AS snippet
        FROM knowledge_search
        JOIN knowledge_articles a ON a.version = knowledge_search.rowid
        WHERE knowledge_search MATCH ${match} AND a.status = 'published'
        ORDER BY bm25(knowledge_search, 10.0, 1.0), a.id
        LIMIT ${limit}
      `.execute(this.context.db);
      return rows;
    }
    // PostgreSQL: the GIN index finds the matches; the title's words are weight
    // A (migration 010); normalisation 1 keeps a long article from outranking a
    // short one by length alone, as bm25 does. ts_headline reads the whole body,
    // so only the page of results is given a snippet.
    const { rows } = await sql<KnowledgeSearchHit>`
      WITH typed AS (SELECT plainto_tsquery('english', ${query}) AS query),
      ranked AS (
        SELECT a.id, a.title, a.version, ts_rank_cd(a.search_document, typed.query, 1) AS rank
        FROM knowledge_articles a, typed
        WHERE a.search_document @@ typed.query AND a.status = 'published'
        ORDER BY rank DESC, a.id
        LIMIT ${limit}
      )
      SELECT ranked.id, ranked.title, ranked.version,
        ts_headline('english', v.content_json::jsonb ->> 'body', typed.query,
          ${`StartSel="", StopSel="", MaxWords=${snippetWords}, MinWords=${snippetWords / 2}`}) AS snippet
      FROM ranked
      JOIN knowledge_article_versions v ON v.version = ranked.version
      CROSS JOIN typed
      ORDER BY ranked.rank DESC, ranked.id
    `.execute(this.context.db);
    return rows;
  }

  async submitDraft(
    edit: KnowledgeEdit,
    authorId: string,
    at: string,
  ): Promise<{ draft: KnowledgeDraft; created: boolean }> {
    return inTransaction(this.context.db, async (trx) => {
      // The draft id decides, in the insert itself: a resend racing its first
      // try on another connection waits for it, inserts nothing, and reads it.
      const inserted = await trx
        .insertInto('knowledge_drafts')
        .values({
          draft_id: edit.draftId,
          article_id: edit.articleId,
          author_id: authorId,
          base_version: edit.baseVersion,
          content_json: JSON.stringify(edit.content),
          note: edit.note,
          edited_at: edit.editedAt,
          submitted_at: at,
        })
        .onConflict((conflict) => conflict.column('draft_id').doNothing())
        .returning('draft_id')
        .executeTakeFirst();
      const row = await requireDraftRow(trx, edit.draftId);
      if (!inserted && row.author_id !== authorId) {
        throw new StorageConflictError(`A draft with id ${edit.draftId} is already held`);
      }
      // A resend by its author (the desk's outbox, or a retried request) is already done.
      return { draft: await draftOf(trx, row), created: inserted !== undefined };
    });
  }

  async draft(draftId: string): Promise<KnowledgeDraft | null> {
    const row = await draftRow(this.context.db, draftId);
    return row ? draftOf(this.context.db, row) : null;
  }

  async listDrafts(filter: DraftListFilter): Promise<KnowledgeDraft[]> {
    let query = this.context.db
      .selectFrom('knowledge_drafts')
      .select(draftColumns)
      .where('status', '=', filter.status);
    if (filter.authorId !== null) query = query.where('author_id', '=', filter.authorId);
    // The draft id breaks ties between drafts submitted or decided in the same millisecond.
    query =
      filter.status === 'awaiting-review'
        ? query.orderBy('submitted_at').orderBy('draft_id')
        : query.orderBy('decided_at', 'desc').orderBy('draft_id', 'desc');
    const rows = await query.limit(filter.limit).execute();
    const context = await draftContext(this.context.db, rows);
    return rows.map((row) => draftWith(row, context));
  }

  approveDraft(draftId: string, approval: Approval): Promise<ApproveOutcome> {
    return inTransaction(this.context.db, async (trx): Promise<ApproveOutcome> => {
      await lockForTransaction(trx, this.context.engine, knowledgeWriteLock);
      const row = await draftRow(trx, draftId);
      if (!row) return { outcome: 'not-found' };
      if (row.status === 'rejected') return { outcome: 'rejected', draft: await draftOf(trx, row) };
      if (row.status === 'published') {
        // published_version is set in the same statement as the status.
        return {
          outcome: 'already-published',
          article: await copyAt(trx, row.published_version ?? 0),
        };
      }

      const current = await currentRow(trx, row.article_id);
      const conflicted = current !== null && current.version !== row.base_version;
      if (
        conflicted &&
        (!approval.acknowledgeConflict ||
          (approval.currentVersion !== undefined && approval.currentVersion !== current.version))
      ) {
        return { outcome: 'conflict', draft: await draftOf(trx, row) };
      }
      const version = await writeVersion(trx, parseContent(row.content_json), 'published', {
        draftId,
        by: approval.reviewerId,
        at: approval.at,
      });
      const decided = await trx
        .updateTable('knowledge_drafts')
        .set({
          status: 'published',
          decided_by: approval.reviewerId,
          decided_at: approval.at,
          decided_against_version: current?.version ?? null,
          published_version: version,
        })
        .where('draft_id', '=', draftId)
        .where('status', '=', 'awaiting-review')
        .executeTakeFirst();
      assertDecided(decided, draftId);
      return { outcome: 'published', article: await copyAt(trx, version) };
    });
  }

  rejectDraft(
    draftId: string,
    rejection: { reviewerId: string; at: string; reason: string },
  ): Promise<RejectOutcome> {
    return inTransaction(this.context.db, async (trx): Promise<RejectOutcome> => {
      // The approvals' lock: a rejection and an approval of one draft take turns.
      await lockForTransaction(trx, this.context.engine, knowledgeWriteLock);
      const row = await draftRow(trx, draftId);
      if (!row) return { outcome: 'not-found' };
      if (row.status === 'rejected')
        return { outcome: 'already-rejected', draft: await draftOf(trx, row) };
      if (row.status === 'published')
        return { outcome: 'already-published', draft: await draftOf(trx, row) };
      const current = await currentRow(trx, row.article_id);
      const decided = await trx
        .updateTable('knowledge_drafts')
        .set({
          status: 'rejected',
          decided_by: rejection.reviewerId,
          decided_at: rejection.at,
          decided_against_version: current?.version ?? null,
          rejection_reason: rejection.reason,
        })
        .where('draft_id', '=', draftId)
        .where('status', '=', 'awaiting-review')
        .executeTakeFirst();
      assertDecided(decided, draftId);
      return {
        outcome: 'rejected',
        draft: await draftOf(trx, await requireDraftRow(trx, draftId)),
      };
    });
  }

  retire(
    articleId: string,
    retirement: { by: string; at: string; reason: string },
  ): Promise<RetireOutcome> {
    return inTransaction(this.context.db, async (trx): Promise<RetireOutcome> => {
      await lockForTransaction(trx, this.context.engine, knowledgeWriteLock);
      const current = await currentRow(trx, articleId);
      if (!current) return { outcome: 'not-found' };
      if (current.status === 'retired')
        return { outcome: 'already-retired', version: current.version };
      const version = await writeVersion(trx, parseContent(current.content_json), 'retired', {
        draftId: null,
        by: retirement.by,
        at: retirement.at,
        reason: retirement.reason,
      });
      return { outcome: 'retired', version };
    });
  }
}

/**
 * Appends a copy under the next version and makes it the article's current
 * state (the search index follows by the triggers of migration 010). Only
 * inside a transaction holding knowledgeWriteLock.
 */
async function writeVersion(
  trx: Executor,
  content: ArticleContent,
  status: HeldStatus,
  provenance: { draftId: string | null; by: string | null; at: string; reason?: string },
): Promise<number> {
  const { version } = await trx
    .insertInto('knowledge_article_versions')
    .values({
      article_id: content.id,
      status,
      content_json: JSON.stringify(content),
      draft_id: provenance.draftId,
      written_by: provenance.by,
      written_at: provenance.at,
      retire_reason: provenance.reason ?? null,
    })
    .returning('version')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('knowledge_articles')
    .values({ id: content.id, version, status, title: content.title, review_by: content.reviewBy })
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        version: eb.ref('excluded.version'),
        status: eb.ref('excluded.status'),
        title: eb.ref('excluded.title'),
        review_by: eb.ref('excluded.review_by'),
      })),
    )
    .execute();
  return version;
}

/** Articles per statement in the starter import (the benchmark's corpus has 100,000). */
const importBatch = 200;

/**
 * Publishes a batch of the starter import: what writeVersion does for each,
 * in two statements. Both engines number the rows of one multi-row insert in
 * the order of its values, so versions follow the order given. Only inside
 * the import's transaction, which holds knowledgeWriteLock and found no article.
 */
async function importBatchOf(
  trx: Executor,
  articles: readonly ArticleContent[],
  at: string,
): Promise<void> {
  if (articles.length === 0) return;
  const written = await trx
    .insertInto('knowledge_article_versions')
    .values(
      articles.map((content) => ({
        article_id: content.id,
        status: 'published' as const,
        content_json: JSON.stringify(content),
        draft_id: null,
        written_by: null,
        written_at: at,
        retire_reason: null,
      })),
    )
    .returning(['version', 'article_id'])
    .execute();
  // An id given twice is current at its later copy, as one write after another would leave it.
  const newest = new Map<string, number>();
  for (const { version, article_id } of written) {
    newest.set(article_id, Math.max(version, newest.get(article_id) ?? 0));
  }
  const byId = new Map(articles.map((content) => [content.id, content]));
  await trx
    .insertInto('knowledge_articles')
    .values(
      [...newest].map(([id, version]) => {
        const content = byId.get(id);
        if (!content) throw new Error(`Imported version ${version} is of an article not imported`);
        return {
          id,
          version,
          status: 'published' as const,
          title: content.title,
          review_by: content.reviewBy,
        };
      }),
    )
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet((eb) => ({
        version: eb.ref('excluded.version'),
        status: eb.ref('excluded.status'),
        title: eb.ref('excluded.title'),
        review_by: eb.ref('excluded.review_by'),
      })),
    )
    .execute();
}

/** Under the lock, a draft found awaiting review is still awaiting when it is decided. */
function assertDecided(result: { numUpdatedRows?: bigint }, draftId: string): void {
  if (changedRows(result) !== 1) {
    throw new Error(`Draft ${draftId} was decided by another transaction despite the lock`);
  }
}

async function currentRow(db: Executor, id: string): Promise<ArticleRow | null> {
  const row = await db
    .selectFrom('knowledge_articles as a')
    .innerJoin('knowledge_article_versions as v', 'v.version', 'a.version')
    .select(['a.id', 'a.version', 'a.status', 'v.content_json'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

/** The copy written at a version, as it was published or retired then. */
async function copyAt(db: Executor, version: number): Promise<KnowledgeArticle> {
  const row = await db
    .selectFrom('knowledge_article_versions')
    .select(['article_id as id', 'version', 'status', 'content_json'])
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new Error(`Knowledge version ${version} is missing from its own history`);
  return articleOf(row);
}

async function draftRow(db: Executor, draftId: string): Promise<DraftRow | null> {
  const row = await db
    .selectFrom('knowledge_drafts')
    .select(draftColumns)
    .where('draft_id', '=', draftId)
    .executeTakeFirst();
  return row ?? null;
}

async function requireDraftRow(db: Executor, draftId: string): Promise<DraftRow> {
  const row = await draftRow(db, draftId);
  if (!row) throw new Error(`Draft ${draftId} vanished inside its own transaction`);
  return row;
}

async function draftOf(db: Executor, row: DraftRow): Promise<KnowledgeDraft> {
  return draftWith(row, await draftContext(db, [row]));
}

/**
 * Everything the drafts are compared with, and their authors' names, in three
 * queries however many drafts:
 * a draft still waiting is compared with what is published now, a decided one
 * with what was current when it was decided.
 */
async function draftContext(db: Executor, rows: readonly DraftRow[]): Promise<DraftContext> {
  const awaiting = [
    ...new Set(rows.filter((row) => row.status === 'awaiting-review').map((row) => row.article_id)),
  ];
  const currentVersions = new Map<string, number>();
  if (awaiting.length > 0) {
    const current = await db
      .selectFrom('knowledge_articles')
      .select(['id', 'version'])
      .where('id', 'in', awaiting)
      .execute();
    for (const { id, version } of current) currentVersions.set(id, version);
  }
  const wanted = new Set<number>();
  for (const row of rows) {
    const against = againstVersion(row, currentVersions);
    if (against === null || against === row.base_version) continue;
    wanted.add(against);
    if (row.base_version !== null) wanted.add(row.base_version);
  }
  const copies = new Map<number, { articleId: string; content: ArticleContent }>();
  if (wanted.size > 0) {
    const held = await db
      .selectFrom('knowledge_article_versions')
      .select(['version', 'article_id', 'content_json'])
      .where('version', 'in', [...wanted])
      .execute();
    for (const copy of held) {
      copies.set(copy.version, {
        articleId: copy.article_id,
        content: parseContent(copy.content_json),
      });
    }
  }
  const authors = [...new Set(rows.map((row) => row.author_id))];
  const authorNames = new Map<string, string>();
  if (authors.length > 0) {
    const accounts = await db
      .selectFrom('accounts')
      .select(['id', 'display_name'])
      .where('id', 'in', authors)
      .execute();
    for (const account of accounts) authorNames.set(account.id, account.display_name);
  }
  return { currentVersions, copies, authorNames };
}

function againstVersion(row: DraftRow, currentVersions: Map<string, number>): number | null {
  return row.status === 'awaiting-review'
    ? (currentVersions.get(row.article_id) ?? null)
    : row.decided_against_version;
}

function draftWith(row: DraftRow, context: DraftContext): KnowledgeDraft {
  /** The content of the draft's article at a version, when that version is a copy of it. */
  const contentAt = (version: number): ArticleContent | null => {
    const copy = context.copies.get(version);
    return copy && copy.articleId === row.article_id ? copy.content : null;
  };
  const against = againstVersion(row, context.currentVersions);
  const current = against === null ? null : contentAt(against);
  return {
    draftId: row.draft_id,
    articleId: row.article_id,
    authorId: row.author_id,
    authorName: context.authorNames.get(row.author_id) ?? null,
    baseVersion: row.base_version,
    content: parseContent(row.content_json),
    note: row.note,
    status: row.status,
    conflict:
      against === null || current === null || against === row.base_version
        ? null
        : {
            currentVersion: against,
            base: row.base_version === null ? null : contentAt(row.base_version),
            current,
          },
    submittedAt: row.submitted_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    rejectionReason: row.rejection_reason,
  };
}
