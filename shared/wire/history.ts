// Interaction history for team leaders, trainers and advisers: finding past
// interactions, opening one to replay, and seeing its personal data only with
// a recorded reason. The central server answers with these over HTTP and the
// desk parses every answer with them.
//
// Personal data is hidden on the server before anything leaves it: a listing's
// snippets and an opened record are redacted unless the reader asked to see
// the original, gave a reason, and the permission policy allows it.
import { z } from 'zod';
import {
  agreedActionSchema,
  channelSchema,
  contactMethodSchema,
  interactionRecordSchema,
  stageIdSchema,
} from '../interaction/record';
import { currentStatuses } from '../interaction/taxonomy';
import { ageGroupSchema, regionGroupSchema } from './dashboard';

const isoTime = z.iso.datetime({ offset: true });
/** A calendar day, YYYY-MM-DD, in the service's own time zone (Europe/London). */
export const historyDaySchema = z.iso.date();

/** Query strings carry booleans as words. */
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const historySorts = ['newest', 'oldest'] as const;
export type HistorySort = (typeof historySorts)[number];

export const maxHistoryPage = 100;

/**
 * `GET /api/history`: one page of completed interactions, filtered. Every
 * field is optional; dates are whole days, `to` included. Pages follow one
 * another by `cursor` (from the previous page's `nextCursor`), so a page is as
 * fast at the millionth row as at the first.
 */
export const historyQuerySchema = z.object({
  from: historyDaySchema.optional(),
  to: historyDaySchema.optional(),
  adviserId: z.string().min(1).max(100).optional(),
  channel: channelSchema.optional(),
  /** A follow-up call was booked. */
  followUpBooked: flag.optional(),
  /** The young person's status at first contact (starting point). */
  startingStatus: z.enum(currentStatuses).optional(),
  /** At least one safeguarding concern was raised. */
  safeguarding: flag.optional(),
  /** Within the service's remit (false: signposted elsewhere). */
  withinRemit: flag.optional(),
  /** A transcript was asked for. */
  transcriptSent: flag.optional(),
  /** At least one stage was marked not covered (with a reason). */
  notCovered: flag.optional(),
  /** One hour on London's clock, 'YYYY-MM-DDTHH': a dashboard hour's drill-down. */
  completedHour: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/, 'An hour is written YYYY-MM-DDTHH')
    .optional(),
  /** A status other than "not disclosed" was recorded at the starting point. */
  statusCaptured: flag.optional(),
  /** A follow-up call was offered (taken up or not). */
  followUpOffered: flag.optional(),
  /** A transcript was offered (sent or not). */
  transcriptOffered: flag.optional(),
  /** The service-improvement questions were skipped. */
  serviceQuestionsSkipped: flag.optional(),
  /** A follow-up call the helpline made (a follow-up interaction), or a contact the customer made. */
  followUpCall: flag.optional(),
  /**
   * The young person's age group and region at first contact (a follow-up
   * call counts by its first contact's): the dashboard's outcome breakdowns.
   */
  ageGroup: ageGroupSchema.optional(),
  region: regionGroupSchema.optional(),
  /** Answered within this many seconds of being offered (the dashboard's service level). */
  answeredWithinSeconds: z.coerce.number().int().min(0).max(3600).optional(),
  /** Words to find in notes and chat, as their redacted text reads. */
  text: z.string().trim().min(2).max(200).optional(),
  sort: z.enum(historySorts).default('newest'),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(maxHistoryPage).default(25),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;
/** The query as the desk writes it, before defaults. */
export type HistoryQueryInput = z.input<typeof historyQuerySchema>;

/** One interaction in a listing: what the filters look at, and no personal data. */
export const historyRowSchema = z.object({
  id: z.uuid(),
  channel: channelSchema,
  adviserId: z.string().min(1),
  adviserName: z.string(),
  startedAt: isoTime,
  completedAt: isoTime,
  /** From answer (or chat accepted) to end, in whole seconds; null if never connected. */
  talkSeconds: z.number().int().nonnegative().nullable(),
  startingStatus: z.enum(currentStatuses).nullable(),
  followUpBooked: z.boolean(),
  safeguardingRaised: z.boolean(),
  withinRemit: z.boolean().nullable(),
  transcriptSent: z.boolean(),
  notCoveredStages: z.array(stageIdSchema),
  /** A follow-up call the helpline made (a follow-up interaction), not a contact the customer made. */
  followUpCall: z.boolean(),
  /** For a text search: the redacted passage that matched, with the words found. */
  snippet: z.string().max(400).nullable(),
});
export type HistoryRow = z.infer<typeof historyRowSchema>;

export const historyPageSchema = z.object({
  rows: z.array(historyRowSchema),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type HistoryPage = z.infer<typeof historyPageSchema>;

/** A call recording that goes with an opened interaction. */
export const historyRecordingSchema = z.object({
  /** Path on the central server to fetch the audio with the reader's access token. */
  path: z.string().startsWith('/api/'),
  durationSeconds: z.number().nonnegative(),
  /** The moment the recording's first second was heard (the call was answered). */
  startedAt: isoTime,
});
export type HistoryRecording = z.infer<typeof historyRecordingSchema>;

/**
 * `GET /api/history/:id`: one interaction to replay, redacted unless
 * `original` is true (which only `POST /api/history/:id/original` answers).
 */
export const historyViewSchema = z.object({
  record: interactionRecordSchema,
  adviserName: z.string(),
  /** True when names, numbers and addresses are shown as placeholders. */
  redacted: z.boolean(),
  /** Null for web chats, a call with no recording, or a reader who may not hear it. */
  recording: historyRecordingSchema.nullable(),
  /** May this reader ask for the original (with a reason)? */
  mayRevealOriginal: z.boolean(),
});
export type HistoryView = z.infer<typeof historyViewSchema>;

/** `POST /api/history/:id/original`: why the reader needs the personal data. */
export const revealRequestSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(10, 'Say why you need to see the personal data (at least 10 characters)')
    .max(500),
});
export type RevealRequest = z.infer<typeof revealRequestSchema>;

/** One recorded view of personal data, for `GET /api/audit/personal-data`. */
export const personalDataViewSchema = z.object({
  id: z.string().min(1),
  interactionId: z.uuid(),
  viewerId: z.string().min(1),
  viewerName: z.string(),
  reason: z.string(),
  viewedAt: isoTime,
});
export type PersonalDataView = z.infer<typeof personalDataViewSchema>;

export const personalDataViewListSchema = z.object({
  items: z.array(personalDataViewSchema),
});

/**
 * One of a caller's earlier interactions with the service, as the adviser
 * taking their call sees it: what was found and agreed, and the follow-up, from
 * the redacted record (names and numbers in notes show as placeholders).
 */
export const earlierInteractionSchema = z.object({
  id: z.uuid(),
  channel: channelSchema,
  completedAt: isoTime,
  adviserName: z.string(),
  startingStatus: z.enum(currentStatuses).nullable(),
  withinRemit: z.boolean().nullable(),
  mainPoints: z.string().max(600),
  actions: z.array(agreedActionSchema.pick({ description: true, owner: true, due: true })).max(50),
  /** The follow-up call booked then, if one was. */
  followUp: z.object({ slotStart: isoTime, contactMethod: contactMethodSchema }).nullable(),
  safeguardingRaised: z.boolean(),
});
export type EarlierInteraction = z.infer<typeof earlierInteractionSchema>;

/**
 * `GET /api/calls/:callId/earlier` and `GET /api/chats/:chatId/earlier`: the
 * contact's earlier interactions, newest first. Not identified: a withheld
 * number, or a chat from a device its customer did not ask to be remembered.
 */
export const earlierInteractionsSchema = z.object({
  /** False when there is nothing to match by (a withheld number, a device not remembered). */
  identified: z.boolean(),
  items: z.array(earlierInteractionSchema),
});
export type EarlierInteractions = z.infer<typeof earlierInteractionsSchema>;

/** How many earlier interactions a call shows: the recent ones matter on a live call. */
export const maxEarlierInteractions = 10;
