// The knowledge network between desks and the central server: the change feed
// a desk's replica pulls, the push hint that tells it to pull, and authoring
// with review. The server is the source of truth; a desk holds a replica.
//
//   GET  /api/knowledge/changes?since=<cursor>&limit=<n>   -> KnowledgeChangePage
//   GET  /api/knowledge/articles/:id                       -> PublishedArticle (current copy)
//   GET  /api/knowledge/review-due                         -> { items: ReviewDueArticle[] }
//   GET  /api/knowledge/drafts?status=awaiting-review      -> { items: KnowledgeDraft[] }
//   POST /api/knowledge/drafts            (KnowledgeEdit)  -> KnowledgeDraft (awaiting review)
//   POST /api/knowledge/drafts/:id/approve                 -> KnowledgeArticle (published)
//   POST /api/knowledge/drafts/:id/reject (DraftRejection) -> KnowledgeDraft
//   POST /api/knowledge/articles/:id/retire (RetireArticle)-> { version }
//
// An edit made on a desk (online or not) travels through the outbox as the
// `knowledge.edit` kind with the same KnowledgeEdit body; either way it becomes
// a draft, never a silent overwrite of what was published since.
import { z } from 'zod';
import {
  articleContentSchema,
  articleIdSchema,
  knowledgeArticleSchema,
  knowledgeCursorSchema,
} from '../knowledge/article';

const isoTime = z.iso.datetime({ offset: true });

/** Largest page a desk may ask for; the server's default is smaller. */
export const maxChangePageSize = 1_000;

export const changeFeedQuerySchema = z.object({
  since: z.coerce.number().int().nonnegative().pipe(knowledgeCursorSchema).default(0),
  limit: z.coerce.number().int().min(1).max(maxChangePageSize).default(500),
});
export type ChangeFeedQuery = z.infer<typeof changeFeedQuerySchema>;

/** Socket push `knowledge:changed`: the feed's newest version; a desk behind it pulls. */
export const knowledgeChangedSchema = z.object({ version: knowledgeCursorSchema });
export type KnowledgeChanged = z.infer<typeof knowledgeChangedSchema>;

/**
 * A proposed article: a new one (`baseVersion` null) or an edit of the copy the
 * author was looking at (`baseVersion` is that copy's version). `draftId` is
 * chosen by the author's desk, so a resent edit is recognised.
 */
export const knowledgeEditSchema = z
  .object({
    draftId: z.uuid(),
    articleId: articleIdSchema,
    baseVersion: z.number().int().positive().nullable(),
    content: articleContentSchema,
    /** Why the change was made, for the reviewer. */
    note: z.string().trim().max(2_000).default(''),
    editedAt: isoTime,
  })
  .refine((edit) => edit.content.id === edit.articleId, {
    message: 'content.id must be the articleId the edit is for',
    path: ['content', 'id'],
  });
export type KnowledgeEdit = z.infer<typeof knowledgeEditSchema>;

export const draftStatuses = ['awaiting-review', 'published', 'rejected'] as const;

export const knowledgeDraftSchema = z.object({
  draftId: z.uuid(),
  articleId: articleIdSchema,
  authorId: z.string().min(1),
  /** The author's display name, for the reviewer; null when the server holds no account for the id. */
  authorName: z.string().min(1).nullable().default(null),
  baseVersion: z.number().int().positive().nullable(),
  content: articleContentSchema,
  note: z.string(),
  status: z.enum(draftStatuses),
  /**
   * Set when the article was published again after the author's copy: the
   * reviewer sees what changed on the server since, beside the author's change.
   */
  conflict: z
    .object({
      currentVersion: z.number().int().positive(),
      /** The published copy the author started from, when the server still holds it. */
      base: articleContentSchema.nullable(),
      current: articleContentSchema,
    })
    .nullable(),
  submittedAt: isoTime,
  decidedBy: z.string().nullable(),
  decidedAt: isoTime.nullable(),
  rejectionReason: z.string().nullable(),
});
export type KnowledgeDraft = z.infer<typeof knowledgeDraftSchema>;

/**
 * The body of an approval. A draft in conflict is published only when the
 * reviewer says so (`acknowledgeConflict`), having seen both copies; with
 * `currentVersion` (the draft's `conflict.currentVersion`) an article that moved
 * on again since is refused once more rather than overwritten unseen.
 */
export const draftApprovalSchema = z.object({
  acknowledgeConflict: z.boolean().default(false),
  currentVersion: z.number().int().positive().optional(),
});
export type DraftApproval = z.infer<typeof draftApprovalSchema>;

export const draftRejectionSchema = z.object({ reason: z.string().trim().min(1).max(2_000) });
export const retireArticleSchema = z.object({ reason: z.string().trim().min(1).max(2_000) });

export const publishedArticleSchema = knowledgeArticleSchema;

export const reviewDueArticleSchema = z.object({
  id: articleIdSchema,
  title: z.string(),
  version: z.number().int().positive(),
  reviewBy: z.iso.date(),
  /** Whole days past the review-by date (0 on the day itself). */
  daysOverdue: z.number().int().nonnegative(),
});
export type ReviewDueArticle = z.infer<typeof reviewDueArticleSchema>;

export const draftListQuerySchema = z.object({
  status: z.enum(draftStatuses).default('awaiting-review'),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});

/**
 * GET /api/knowledge/search?q=…&limit=…: the server's full-text search (the
 * desk searches its own replica). Any words are a valid query.
 */
export const serverSearchQuerySchema = z.object({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/** An article the server's search found (the desk's own search answers with more). */
export const serverSearchHitSchema = z.object({
  id: z.string(),
  title: z.string(),
  version: z.number().int().positive(),
  /** Plain text from the body around the first match (its opening when only the title matched). */
  snippet: z.string(),
});
export const serverSearchAnswerSchema = z.object({ items: z.array(serverSearchHitSchema) });
