// What the central server keeps of the knowledge network, behind one interface
// (on Kysely, for SQLite and PostgreSQL, in store.ts). Each method that decides something does so in
// one transaction with the write it leads to: whether a draft is in conflict is
// judged against the very version it is published over.
import type {
  ArticleContent,
  KnowledgeArticle,
  KnowledgeChangePage,
} from '../../shared/knowledge/article';
import type { KnowledgeDraft, KnowledgeEdit } from '../../shared/wire/knowledge';

export interface KnowledgeCounts {
  articles: number;
  /** Every published or retired copy ever written. */
  versions: number;
  drafts: number;
}

/** A published article whose review-by date has passed; the service adds the days. */
export interface ReviewDueRow {
  id: string;
  title: string;
  version: number;
  reviewBy: string;
}

/** An article found by the server's full-text search. */
export interface KnowledgeSearchHit {
  id: string;
  title: string;
  version: number;
  /** Plain text from the body around the first match (its opening when only the title matched). */
  snippet: string;
}

export interface DraftListFilter {
  status: KnowledgeDraft['status'];
  /** Only this author's; null for everyone's. */
  authorId: string | null;
  limit: number;
}

export interface Approval {
  reviewerId: string;
  at: string;
  acknowledgeConflict: boolean;
  /** When given, the version the reviewer compared against; anything else is refused. */
  currentVersion?: number;
}

export type ApproveOutcome =
  | { outcome: 'published'; article: KnowledgeArticle }
  /** Approved before: the copy that approval published (it may have been superseded since). */
  | { outcome: 'already-published'; article: KnowledgeArticle }
  | { outcome: 'not-found' }
  | { outcome: 'rejected'; draft: KnowledgeDraft }
  /** In conflict and not acknowledged, or acknowledged against a version that is no longer current. */
  | { outcome: 'conflict'; draft: KnowledgeDraft };

export type RejectOutcome =
  | { outcome: 'rejected'; draft: KnowledgeDraft }
  | { outcome: 'already-rejected'; draft: KnowledgeDraft }
  | { outcome: 'already-published'; draft: KnowledgeDraft }
  | { outcome: 'not-found' };

export type RetireOutcome =
  | { outcome: 'retired'; version: number }
  | { outcome: 'already-retired'; version: number }
  | { outcome: 'not-found' };

export interface KnowledgeStore {
  counts(): Promise<KnowledgeCounts>;
  /**
   * The starter import: when no article is held, publishes each article (one
   * version each, in the order given) and answers how many; otherwise writes
   * nothing and answers null. One transaction, so a crash imports all or none.
   */
  importIfEmpty(articles: readonly ArticleContent[], at: string): Promise<number | null>;
  /**
   * Changes after the cursor, oldest first: each article's current copy once
   * (a tombstone when retired), at most `limit` of them.
   */
  changes(since: number, limit: number): Promise<KnowledgeChangePage>;
  /** The current copy, published or retired; null when no such article was ever published. */
  article(id: string): Promise<KnowledgeArticle | null>;
  /** Published articles with a review-by date before `today` (YYYY-MM-DD), most overdue first. */
  reviewDue(today: string): Promise<ReviewDueRow[]>;
  /**
   * Current published articles whose title or body holds every word of `query`
   * (stemmed: "apprenticeships" finds "apprenticeship"), best match first, at
   * most `limit`. Any text is a valid query: none is ever a syntax error.
   */
  search(query: string, limit: number): Promise<KnowledgeSearchHit[]>;
  /**
   * Records an edit as a draft awaiting review. A draft id already held from the
   * same author is answered with the held draft (`created: false`); from anyone
   * else it throws StorageConflictError.
   */
  submitDraft(
    edit: KnowledgeEdit,
    authorId: string,
    at: string,
  ): Promise<{ draft: KnowledgeDraft; created: boolean }>;
  draft(draftId: string): Promise<KnowledgeDraft | null>;
  /** Awaiting review: oldest first (a queue); decided: newest decision first. */
  listDrafts(filter: DraftListFilter): Promise<KnowledgeDraft[]>;
  /** Publishes the draft as a new version, unless it was decided already or is in unacknowledged conflict. */
  approveDraft(draftId: string, approval: Approval): Promise<ApproveOutcome>;
  rejectDraft(
    draftId: string,
    rejection: { reviewerId: string; at: string; reason: string },
  ): Promise<RejectOutcome>;
  /** Writes a retirement as a new version: the feed then carries a tombstone. */
  retire(
    articleId: string,
    retirement: { by: string; at: string; reason: string },
  ): Promise<RetireOutcome>;
}
