// The knowledge network's shapes: an article, the server's change feed that
// desks pull into their replica, and the search query and its answer.
import { z } from 'zod';
import { limits } from '../limits';

export const knowledgeTopics = [
  'routes',
  'qualifications',
  'english-maths',
  'apprenticeships',
  'university',
  'careers',
  'money',
  'rules',
  'support',
  'labour-market',
] as const;
export const knowledgeTopicSchema = z.enum(knowledgeTopics);
export type KnowledgeTopic = z.infer<typeof knowledgeTopicSchema>;

export const knowledgeAudiences = ['young-person', 'parent', 'professional'] as const;
export const knowledgeAudienceSchema = z.enum(knowledgeAudiences);
export type KnowledgeAudience = z.infer<typeof knowledgeAudienceSchema>;

export const knowledgeRegions = [
  'national',
  'north-east',
  'north-west',
  'yorkshire-and-the-humber',
  'east-midlands',
  'west-midlands',
  'east-of-england',
  'london',
  'south-east',
  'south-west',
] as const;
export const knowledgeRegionSchema = z.enum(knowledgeRegions);
export type KnowledgeRegion = z.infer<typeof knowledgeRegionSchema>;

/** A guide explains something; a service is a referral-directory entry with contact details. */
export const knowledgeKinds = ['guide', 'service'] as const;
export const knowledgeKindSchema = z.enum(knowledgeKinds);
export type KnowledgeKind = z.infer<typeof knowledgeKindSchema>;

/** Where an article is in authoring with review. Only published articles reach the desk's search. */
export const articleStatuses = ['draft', 'awaiting-review', 'published', 'retired'] as const;
export const articleStatusSchema = z.enum(articleStatuses);
export type ArticleStatus = z.infer<typeof articleStatusSchema>;

// The messages below are what an author reads on the article form, and what the
// server answers about a refused edit: each says what to fix, in plain words.

export const articleIdSchema = z
  .string({ error: 'Give the article an id' })
  .min(2, 'Give the article an id of at least 2 characters')
  .max(120, 'Shorten the id to 120 characters or fewer')
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'Use only lower-case letters and digits, with single hyphens between words (for example hgv-driving-funding)',
  );
export type ArticleId = z.infer<typeof articleIdSchema>;

const webAddress = (what: string) =>
  z.url({
    protocol: /^https?$/,
    error: `Give ${what} as a full web address starting https:// (for example https://www.gov.uk/)`,
  });

export const articleSourceSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'Give the source a title before the bar')
    .max(300, 'Shorten the source’s title to 300 characters or fewer'),
  url: webAddress('the source’s link'),
});
export type ArticleSource = z.infer<typeof articleSourceSchema>;

export const serviceContactSchema = z
  .object({
    phone: z
      .string()
      .trim()
      .min(1, 'Give the phone number')
      .max(60, 'Shorten the phone number to 60 characters or fewer')
      .optional(),
    website: webAddress('the website').optional(),
    email: z.email({ error: 'Give an email address like help@example.org' }).optional(),
    text: z
      .string()
      .trim()
      .min(1, 'Say how to text the service')
      .max(200, 'Shorten the text details to 200 characters or fewer')
      .optional(),
  })
  .refine((contact) => Object.values(contact).some((value) => value !== undefined), {
    message: 'Give at least one way to contact the service: a phone number, website, email or text',
  });
export type ServiceContact = z.infer<typeof serviceContactSchema>;

const isoDate = (what: string) =>
  z.iso.date({ error: `Give ${what} as a date, for example 2027-05-01` });

const articleContentObject = z.object({
  id: articleIdSchema,
  title: z
    .string()
    .trim()
    .min(3, 'Give the article a title of at least 3 characters')
    .max(200, 'Shorten the title to 200 characters or fewer'),
  summary: z
    .string()
    .trim()
    .min(10, 'Write a summary of at least 10 characters: a sentence or two an adviser can read out')
    .max(400, 'Shorten the summary to 400 characters or fewer'),
  topics: z
    .array(knowledgeTopicSchema, { error: 'Choose the topics from the list' })
    .min(1, 'Choose at least one topic'),
  audience: z
    .array(knowledgeAudienceSchema, { error: 'Choose the audience from the list' })
    .min(1, 'Choose at least one audience'),
  region: z.enum(knowledgeRegions, { error: 'Choose a region from the list' }),
  kind: z.enum(knowledgeKinds, { error: 'Choose guide or service' }),
  lastReviewed: isoDate('the last-reviewed date'),
  reviewBy: isoDate('the review-by date'),
  sources: z
    .array(articleSourceSchema)
    .min(1, 'Add at least one source: its title, a bar, then its link (title | https://…)'),
  contact: serviceContactSchema.optional(),
  openingHours: z
    .string()
    .trim()
    .min(1, 'Give the opening hours')
    .max(300, 'Shorten the opening hours to 300 characters or fewer')
    .optional(),
  /** Markdown; raw HTML is never rendered. */
  body: z
    .string()
    .min(1, 'Write the article’s body')
    .max(100_000, 'Shorten the body to 100,000 characters or fewer'),
});

function checkArticleRules(
  article: z.infer<typeof articleContentObject>,
  context: z.RefinementCtx,
): void {
  if (article.kind === 'service' && !article.contact) {
    context.addIssue({
      code: 'custom',
      path: ['contact'],
      message:
        'A service needs a way to contact it: give a phone number, website, email or text details',
    });
  }
  if (article.reviewBy <= article.lastReviewed) {
    context.addIssue({
      code: 'custom',
      path: ['reviewBy'],
      message: 'Choose a review-by date after the last-reviewed date',
    });
  }
}

/** Everything an article says about itself, without its server bookkeeping. */
export const articleContentSchema = articleContentObject.superRefine(checkArticleRules);
export type ArticleContent = z.infer<typeof articleContentSchema>;

/** An article as the server publishes it: content plus its version in the server's history. */
export const knowledgeArticleSchema = articleContentObject
  .extend({
    /** The server's monotonic version at which this copy was written. */
    version: z.number().int().positive(),
    status: articleStatusSchema,
  })
  .superRefine(checkArticleRules);
export type KnowledgeArticle = z.infer<typeof knowledgeArticleSchema>;

/** A cursor is the highest server version a desk has applied; 0 before the first sync. */
export const knowledgeCursorSchema = z.number().int().nonnegative();
export type KnowledgeCursor = z.infer<typeof knowledgeCursorSchema>;

export const knowledgeChangeSchema = z.union([
  z.object({ version: z.number().int().positive(), article: knowledgeArticleSchema }),
  z.object({ version: z.number().int().positive(), tombstone: z.object({ id: articleIdSchema }) }),
]);
export type KnowledgeChange = z.infer<typeof knowledgeChangeSchema>;

/** One page of the change feed: changes after the desk's cursor, oldest first. */
export const knowledgeChangePageSchema = z.object({
  changes: z.array(knowledgeChangeSchema).max(5_000),
  nextCursor: knowledgeCursorSchema,
  hasMore: z.boolean(),
});
export type KnowledgeChangePage = z.infer<typeof knowledgeChangePageSchema>;

export const knowledgeSearchFiltersSchema = z.object({
  topics: z.array(knowledgeTopicSchema).max(knowledgeTopics.length).optional(),
  audience: z.array(knowledgeAudienceSchema).max(knowledgeAudiences.length).optional(),
  /** Exact regions; pass `national` alongside a region to include national articles. */
  regions: z.array(knowledgeRegionSchema).max(knowledgeRegions.length).optional(),
  kinds: z.array(knowledgeKindSchema).max(knowledgeKinds.length).optional(),
});
export type KnowledgeSearchFilters = z.infer<typeof knowledgeSearchFiltersSchema>;

/**
 * What the adviser typed, as typed. Any text is valid: the search tokenizes it
 * itself and never hands it to FTS5 as syntax. Longer pastes are cut, not refused.
 */
export const knowledgeSearchQuerySchema = z.object({
  text: z.string().transform((text) => text.slice(0, limits.maxQueryChars)),
  filters: knowledgeSearchFiltersSchema.default({}),
  limit: z.number().int().min(1).max(50).default(10),
});
export type KnowledgeSearchQuery = z.input<typeof knowledgeSearchQuerySchema>;

/** A run of text, marked when it matched the query. Data, never HTML. */
export const highlightedTextSchema = z.array(z.object({ text: z.string(), match: z.boolean() }));
export type HighlightedText = z.infer<typeof highlightedTextSchema>;

/** `overdue` when the review-by date has passed: the desk marks it, the server lists it for review. */
export const reviewStates = ['current', 'overdue'] as const;
export type ReviewState = (typeof reviewStates)[number];

export const knowledgeSearchHitSchema = z.object({
  id: articleIdSchema,
  title: z.string(),
  titleHighlighted: highlightedTextSchema,
  /** The summary with matched words marked, or a passage of the body when only the body matched. */
  snippet: highlightedTextSchema,
  kind: knowledgeKindSchema,
  region: knowledgeRegionSchema,
  topics: z.array(knowledgeTopicSchema),
  reviewBy: z.iso.date(),
  reviewState: z.enum(reviewStates),
  /** Higher is better; comparable only within one answer. */
  score: z.number(),
});
export type KnowledgeSearchHit = z.infer<typeof knowledgeSearchHitSchema>;

export const knowledgeSearchAnswerSchema = z.object({
  results: z.array(knowledgeSearchHitSchema),
  /** The words searched for after spelling correction, or null when nothing was corrected. */
  searchedFor: z.string().nullable(),
  corrections: z.array(z.object({ typed: z.string(), searched: z.string() })),
});
export type KnowledgeSearchAnswer = z.infer<typeof knowledgeSearchAnswerSchema>;
