// KnowledgeStore on SQLite, sharing the server's database handle (so an outbox
// item's draft is written in the transaction that records the item as applied).
// Writes that decide something take the write lock before their first read
// (IMMEDIATE), so two requests cannot both see the same "current version".
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type {
  ArticleContent,
  KnowledgeArticle,
  KnowledgeChange,
  KnowledgeChangePage,
} from '../../shared/knowledge/article';
import type { KnowledgeDraft, KnowledgeEdit } from '../../shared/wire/knowledge';
import { StorageConflictError } from '../storage/types';
import type {
  Approval,
  ApproveOutcome,
  DraftListFilter,
  KnowledgeCounts,
  KnowledgeStore,
  RejectOutcome,
  RetireOutcome,
  ReviewDueRow,
} from './types';

type HeldStatus = 'published' | 'retired';

interface ArticleRow {
  id: string;
  version: number;
  status: HeldStatus;
  content_json: string;
}

interface DraftRow {
  draft_id: string;
  article_id: string;
  author_id: string;
  base_version: number | null;
  content_json: string;
  note: string;
  status: KnowledgeDraft['status'];
  submitted_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decided_against_version: number | null;
  rejection_reason: string | null;
  published_version: number | null;
}

const articleColumns = `a.id, a.version, a.status, v.content_json
  FROM knowledge_articles a JOIN knowledge_article_versions v ON v.version = a.version`;

const draftColumns = `draft_id, article_id, author_id, base_version, content_json, note, status,
  submitted_at, decided_by, decided_at, decided_against_version, rejection_reason, published_version`;

const parseContent = (json: string) => JSON.parse(json) as ArticleContent;

const articleOf = (row: ArticleRow): KnowledgeArticle => ({
  ...parseContent(row.content_json),
  version: row.version,
  status: row.status,
});

export class SqliteKnowledgeStore implements KnowledgeStore {
  constructor(private readonly db: SqliteDatabase) {}

  counts(): KnowledgeCounts {
    return this.db
      .prepare(
        `SELECT (SELECT count(*) FROM knowledge_articles) AS articles,
                (SELECT count(*) FROM knowledge_article_versions) AS versions,
                (SELECT count(*) FROM knowledge_drafts) AS drafts`,
      )
      .get() as KnowledgeCounts;
  }

  importIfEmpty(articles: readonly ArticleContent[], at: string): number | null {
    return this.db
      .transaction((): number | null => {
        if (this.counts().articles > 0) return null;
        for (const content of articles) {
          this.writeVersion(content, 'published', { draftId: null, by: null, at });
        }
        return articles.length;
      })
      .immediate();
  }

  changes(since: number, limit: number): KnowledgeChangePage {
    // One more than asked for says whether another page follows.
    const rows = this.db
      .prepare(`SELECT ${articleColumns} WHERE a.version > ? ORDER BY a.version LIMIT ?`)
      .all(since, limit + 1) as ArticleRow[];
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

  article(id: string): KnowledgeArticle | null {
    const row = this.currentRow(id);
    return row ? articleOf(row) : null;
  }

  reviewDue(today: string): ReviewDueRow[] {
    return this.db
      .prepare(
        `SELECT id, title, version, review_by AS reviewBy FROM knowledge_articles
         WHERE status = 'published' AND review_by < ? ORDER BY review_by, id`,
      )
      .all(today) as ReviewDueRow[];
  }

  submitDraft(
    edit: KnowledgeEdit,
    authorId: string,
    at: string,
  ): { draft: KnowledgeDraft; created: boolean } {
    return this.db
      .transaction(() => {
        const held = this.draftRow(edit.draftId);
        if (held) {
          // A resend (the desk's outbox, or a retried request) is already done.
          if (held.author_id === authorId) return { draft: this.draftOf(held), created: false };
          throw new StorageConflictError(`A draft with id ${edit.draftId} is already held`);
        }
        this.db
          .prepare(
            `INSERT INTO knowledge_drafts (draft_id, article_id, author_id, base_version, content_json, note, edited_at, submitted_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            edit.draftId,
            edit.articleId,
            authorId,
            edit.baseVersion,
            JSON.stringify(edit.content),
            edit.note,
            edit.editedAt,
            at,
          );
        return { draft: this.draftOf(this.requireDraftRow(edit.draftId)), created: true };
      })
      .immediate();
  }

  draft(draftId: string): KnowledgeDraft | null {
    const row = this.draftRow(draftId);
    return row ? this.draftOf(row) : null;
  }

  listDrafts(filter: DraftListFilter): KnowledgeDraft[] {
    const order =
      filter.status === 'awaiting-review' ? 'submitted_at, rowid' : 'decided_at DESC, rowid DESC';
    const rows = (
      filter.authorId === null
        ? this.db
            .prepare(
              `SELECT ${draftColumns} FROM knowledge_drafts WHERE status = ? ORDER BY ${order} LIMIT ?`,
            )
            .all(filter.status, filter.limit)
        : this.db
            .prepare(
              `SELECT ${draftColumns} FROM knowledge_drafts WHERE status = ? AND author_id = ? ORDER BY ${order} LIMIT ?`,
            )
            .all(filter.status, filter.authorId, filter.limit)
    ) as DraftRow[];
    return rows.map((row) => this.draftOf(row));
  }

  approveDraft(draftId: string, approval: Approval): ApproveOutcome {
    return this.db
      .transaction((): ApproveOutcome => {
        const row = this.draftRow(draftId);
        if (!row) return { outcome: 'not-found' };
        if (row.status === 'rejected') return { outcome: 'rejected', draft: this.draftOf(row) };
        if (row.status === 'published') {
          // published_version is set in the same statement as the status.
          return { outcome: 'already-published', article: this.copyAt(row.published_version ?? 0) };
        }

        const current = this.currentRow(row.article_id);
        const conflicted = current !== null && current.version !== row.base_version;
        if (
          conflicted &&
          (!approval.acknowledgeConflict ||
            (approval.currentVersion !== undefined && approval.currentVersion !== current.version))
        ) {
          return { outcome: 'conflict', draft: this.draftOf(row) };
        }
        const version = this.writeVersion(parseContent(row.content_json), 'published', {
          draftId,
          by: approval.reviewerId,
          at: approval.at,
        });
        this.db
          .prepare(
            `UPDATE knowledge_drafts SET status = 'published', decided_by = ?, decided_at = ?,
               decided_against_version = ?, published_version = ? WHERE draft_id = ?`,
          )
          .run(approval.reviewerId, approval.at, current?.version ?? null, version, draftId);
        return { outcome: 'published', article: this.copyAt(version) };
      })
      .immediate();
  }

  rejectDraft(
    draftId: string,
    rejection: { reviewerId: string; at: string; reason: string },
  ): RejectOutcome {
    return this.db
      .transaction((): RejectOutcome => {
        const row = this.draftRow(draftId);
        if (!row) return { outcome: 'not-found' };
        if (row.status === 'rejected')
          return { outcome: 'already-rejected', draft: this.draftOf(row) };
        if (row.status === 'published')
          return { outcome: 'already-published', draft: this.draftOf(row) };
        this.db
          .prepare(
            `UPDATE knowledge_drafts SET status = 'rejected', decided_by = ?, decided_at = ?,
               decided_against_version = ?, rejection_reason = ? WHERE draft_id = ?`,
          )
          .run(
            rejection.reviewerId,
            rejection.at,
            this.currentRow(row.article_id)?.version ?? null,
            rejection.reason,
            draftId,
          );
        return { outcome: 'rejected', draft: this.draftOf(this.requireDraftRow(draftId)) };
      })
      .immediate();
  }

  retire(articleId: string, retirement: { by: string; at: string; reason: string }): RetireOutcome {
    return this.db
      .transaction((): RetireOutcome => {
        const current = this.currentRow(articleId);
        if (!current) return { outcome: 'not-found' };
        if (current.status === 'retired')
          return { outcome: 'already-retired', version: current.version };
        const version = this.writeVersion(parseContent(current.content_json), 'retired', {
          draftId: null,
          by: retirement.by,
          at: retirement.at,
          reason: retirement.reason,
        });
        return { outcome: 'retired', version };
      })
      .immediate();
  }

  /** Appends a copy under the next version and makes it the article's current state. */
  private writeVersion(
    content: ArticleContent,
    status: HeldStatus,
    provenance: { draftId: string | null; by: string | null; at: string; reason?: string },
  ): number {
    const version = Number(
      this.db
        .prepare(
          `INSERT INTO knowledge_article_versions (article_id, status, content_json, draft_id, written_by, written_at, retire_reason)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          content.id,
          status,
          JSON.stringify(content),
          provenance.draftId,
          provenance.by,
          provenance.at,
          provenance.reason ?? null,
        ).lastInsertRowid,
    );
    this.db
      .prepare(
        `INSERT INTO knowledge_articles (id, version, status, title, review_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, status = excluded.status,
           title = excluded.title, review_by = excluded.review_by`,
      )
      .run(content.id, version, status, content.title, content.reviewBy);
    return version;
  }

  private currentRow(id: string): ArticleRow | null {
    return (
      (this.db.prepare(`SELECT ${articleColumns} WHERE a.id = ?`).get(id) as
        ArticleRow | undefined) ?? null
    );
  }

  /** The copy written at a version, as it was published or retired then. */
  private copyAt(version: number): KnowledgeArticle {
    const row = this.db
      .prepare(
        'SELECT article_id AS id, version, status, content_json FROM knowledge_article_versions WHERE version = ?',
      )
      .get(version) as ArticleRow | undefined;
    if (!row) throw new Error(`Knowledge version ${version} is missing from its own history`);
    return articleOf(row);
  }

  /** The content of an article at a version, when that version is a copy of this article. */
  private contentOf(articleId: string, version: number): ArticleContent | null {
    const row = this.db
      .prepare(
        'SELECT content_json FROM knowledge_article_versions WHERE version = ? AND article_id = ?',
      )
      .get(version, articleId) as { content_json: string } | undefined;
    return row ? parseContent(row.content_json) : null;
  }

  private draftRow(draftId: string): DraftRow | null {
    return (
      (this.db
        .prepare(`SELECT ${draftColumns} FROM knowledge_drafts WHERE draft_id = ?`)
        .get(draftId) as DraftRow | undefined) ?? null
    );
  }

  private requireDraftRow(draftId: string): DraftRow {
    const row = this.draftRow(draftId);
    if (!row) throw new Error(`Draft ${draftId} vanished inside its own transaction`);
    return row;
  }

  private draftOf(row: DraftRow): KnowledgeDraft {
    // A draft still waiting is compared with what is published now; a decided
    // one with what was current when it was decided.
    const against =
      row.status === 'awaiting-review'
        ? (this.currentRow(row.article_id)?.version ?? null)
        : row.decided_against_version;
    const current = against === null ? null : this.contentOf(row.article_id, against);
    return {
      draftId: row.draft_id,
      articleId: row.article_id,
      authorId: row.author_id,
      baseVersion: row.base_version,
      content: parseContent(row.content_json),
      note: row.note,
      status: row.status,
      conflict:
        against === null || current === null || against === row.base_version
          ? null
          : {
              currentVersion: against,
              base:
                row.base_version === null ? null : this.contentOf(row.article_id, row.base_version),
              current,
            },
      submittedAt: row.submitted_at,
      decidedBy: row.decided_by,
      decidedAt: row.decided_at,
      rejectionReason: row.rejection_reason,
    };
  }
}
