// The training library: interactions that trainers curate for teaching, with
// tags, and bookmarks and notes pinned to moments of the replay. An interaction
// enters the library nominated; a team leader clears it (having checked its
// redacted view) before trainees see it, and only a cleared interaction's
// recording plays in a training view. The central server answers with these
// over HTTP and the desk parses every answer with them.
import { z } from 'zod';
import { historyRowSchema, historyViewSchema } from './history';

const isoTime = z.iso.datetime({ offset: true });

/**
 * A tag as trainers write it ("good practice in barriers", "difficult
 * safeguarding call"): lower case, so one idea is one tag whatever its case,
 * and words rather than markup.
 */
export const trainingTagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'A tag needs at least 2 characters')
  .max(40, 'A tag has at most 40 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} '&-]*$/u, "A tag is words: letters, digits, spaces, - & and '");

export const maxTrainingTags = 12;

/** Where an entry stands: trainees see only `cleared` entries. */
export const clearanceStatuses = ['awaiting_clearance', 'cleared', 'refused'] as const;
export type ClearanceStatus = (typeof clearanceStatuses)[number];

/** `PUT /api/training/:id`: add an interaction to the library, or change its title, description and tags. */
export const trainingEntryInputSchema = z.object({
  title: z.string().trim().min(3, 'Give the entry a title (at least 3 characters)').max(120),
  description: z.string().trim().max(2000).default(''),
  tags: z
    .array(trainingTagSchema)
    .max(maxTrainingTags, `At most ${maxTrainingTags} tags`)
    .default([])
    // One tag once, in the order first written.
    .transform((tags) => [...new Set(tags)]),
});
export type TrainingEntryInput = z.input<typeof trainingEntryInputSchema>;
export type TrainingEntryFields = z.output<typeof trainingEntryInputSchema>;

/** `POST /api/training/:id/clearance`: a team leader's decision on an entry. */
export const clearanceDecisionSchema = z
  .object({
    decision: z.enum(['cleared', 'refused']),
    note: z.string().trim().max(1000).default(''),
  })
  .refine((value) => value.decision === 'cleared' || value.note.length >= 10, {
    path: ['note'],
    message: 'Say why it is refused (at least 10 characters), so the trainer can act on it',
  });
export type ClearanceDecision = z.input<typeof clearanceDecisionSchema>;

const staffRefSchema = z.object({ id: z.string().min(1), name: z.string() });

/** One library entry, with the history row of its interaction (which carries no personal data). */
export const trainingEntrySchema = z.object({
  interaction: historyRowSchema,
  title: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  status: z.enum(clearanceStatuses),
  addedBy: staffRefSchema,
  addedAt: isoTime,
  /** The team leader's decision; null while it awaits one. */
  decision: z
    .object({
      by: staffRefSchema,
      at: isoTime,
      note: z.string(),
    })
    .nullable(),
  marks: z.number().int().nonnegative(),
});
export type TrainingEntry = z.infer<typeof trainingEntrySchema>;

/** `GET /api/training`: the library, newest first, narrowed by tag or status. */
export const trainingQuerySchema = z.object({
  tag: trainingTagSchema.optional(),
  status: z.enum(clearanceStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type TrainingQuery = z.infer<typeof trainingQuerySchema>;
export type TrainingQueryInput = z.input<typeof trainingQuerySchema>;

export const trainingTagCountSchema = z.object({
  tag: z.string(),
  entries: z.number().int().positive(),
});
export type TrainingTagCount = z.infer<typeof trainingTagCountSchema>;

export const trainingListSchema = z.object({
  entries: z.array(trainingEntrySchema),
  /** Every tag of the entries this reader may see, most used first. */
  tags: z.array(trainingTagCountSchema),
});
export type TrainingList = z.infer<typeof trainingListSchema>;

export const markKinds = ['bookmark', 'note'] as const;
export type MarkKind = (typeof markKinds)[number];

/** `POST /api/training/:id/marks`: a bookmark (a short label) or a note, pinned to a moment of the replay. */
export const newTrainingMarkSchema = z.object({
  /** The moment of the interaction it is pinned to, as the replay's `at` names it. */
  at: isoTime,
  kind: z.enum(markKinds),
  text: z.string().trim().min(1, 'Write the bookmark or note').max(1000),
});
export type NewTrainingMark = z.input<typeof newTrainingMarkSchema>;

export const trainingMarkSchema = z.object({
  id: z.string().min(1),
  at: isoTime,
  kind: z.enum(markKinds),
  text: z.string(),
  author: staffRefSchema,
  createdAt: isoTime,
});
export type TrainingMark = z.infer<typeof trainingMarkSchema>;

/**
 * `GET /api/training/:id`: an entry opened for teaching: its interaction
 * always redacted (a training view never shows the original), its recording
 * only once cleared (or to a reader who may hear recordings anyway, so a team
 * leader can check it before clearing), and its marks in the order of the
 * moments they are pinned to.
 */
export const trainingViewSchema = z.object({
  entry: trainingEntrySchema,
  view: historyViewSchema,
  marks: z.array(trainingMarkSchema),
  /** May this reader tag, describe and mark the entry? */
  mayCurate: z.boolean(),
  /** May this reader clear or refuse it? */
  mayClear: z.boolean(),
});
export type TrainingView = z.infer<typeof trainingViewSchema>;
