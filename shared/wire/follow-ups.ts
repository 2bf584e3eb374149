// Follow-up calls over HTTP: the day's list on an adviser's desk, each call
// attempt through the telephony platform, rebooking within the window,
// withdrawal, and how many follow-ups each day of a window already holds. The
// central server answers with these and the desk parses every answer with them.
import { z } from 'zod';
import { dayParts } from '../interaction/follow-up-calls';
import {
  agreedActionSchema,
  contactMethodSchema,
  startingPointSchema,
} from '../interaction/record';

const isoTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

export const followUpStatuses = ['open', 'completed', 'withdrawn', 'unreached'] as const;
export type FollowUpStatus = (typeof followUpStatuses)[number];

export const followUpAttemptSchema = z.object({
  id: z.uuid(),
  at: isoTime,
  dayPart: z.enum(dayParts),
  adviserId: z.string().min(1),
  callId: z.string().min(1),
  answered: z.boolean(),
});
export type FollowUpAttempt = z.infer<typeof followUpAttemptSchema>;

export const followUpMessageSchema = z.object({
  kind: z.enum(['reminder', 'no_answer']),
  via: z.enum(['text', 'email']),
  sentAt: isoTime,
});
export type FollowUpMessage = z.infer<typeof followUpMessageSchema>;

/** One follow-up on a desk's list, with what the adviser needs before ringing. */
export const followUpCallSchema = z.object({
  id: z.uuid(),
  interactionId: z.uuid(),
  bookedBy: z.object({ id: z.string().min(1), name: z.string() }),
  slotStart: isoTime,
  contactMethod: contactMethodSchema,
  contactAddress: z.string(),
  status: z.enum(followUpStatuses),
  due: z.enum(['upcoming', 'due', 'overdue']),
  /** From the first contact's record; null when that record is not held yet. */
  window: z
    .object({ earliest: isoDate, latest: isoDate, weeks: z.enum(['4-6', '12-14']) })
    .nullable(),
  /** Offered to the team: the booking adviser is away, or the window is closing. */
  offeredToTeam: z.boolean(),
  /** What was agreed last time: the skills action plan of the first contact. */
  agreed: z
    .object({
      mainPoints: z.string(),
      actions: z.array(agreedActionSchema),
      startingPoint: startingPointSchema,
    })
    .nullable(),
  attempts: z.array(followUpAttemptSchema),
  messages: z.array(followUpMessageSchema),
  withdrawnReason: z.string().nullable(),
  completedBy: z.uuid().nullable(),
});
export type FollowUpCall = z.infer<typeof followUpCallSchema>;

export const followUpListSchema = z.object({
  /** The reader's own, then the team's offered ones; due and overdue only, oldest slot first. */
  items: z.array(followUpCallSchema),
  /** The server's time the list was made at, so a desk shows "today" as the server counts it. */
  at: isoTime,
});
export type FollowUpList = z.infer<typeof followUpListSchema>;

/** `POST /api/follow-ups/:id/attempts`: the outcome of ringing the customer once. */
export const followUpAttemptResultSchema = z.object({
  attempt: followUpAttemptSchema,
  followUp: followUpCallSchema,
});
export type FollowUpAttemptResult = z.infer<typeof followUpAttemptResultSchema>;

/** `POST /api/follow-ups/:id/rebook`: a new slot in the same window, with the customer's consent. */
export const followUpRebookSchema = z.object({
  slotStart: isoTime,
  consentRecorded: z.literal(true, {
    error: 'Rebook only when the customer consents to the new time',
  }),
});

/** `POST /api/follow-ups/:id/withdraw`: the customer no longer wants the follow-up. */
export const followUpWithdrawSchema = z.object({
  reason: z.string().trim().min(3, 'Say why the follow-up is withdrawn').max(500),
});

/** `GET /api/follow-ups/capacity?from&to`: how many follow-ups each day holds. */
export const followUpCapacityQuerySchema = z
  .object({ from: isoDate, to: isoDate })
  .refine((query) => query.from <= query.to, 'from must not be after to')
  .refine(
    (query) => Date.parse(query.to) - Date.parse(query.from) <= 31 * 86_400_000,
    'At most 31 days at once',
  );

export const followUpCapacitySchema = z.object({
  days: z.array(z.object({ date: isoDate, booked: z.number().int().nonnegative() })),
});
export type FollowUpCapacity = z.infer<typeof followUpCapacitySchema>;

export const followUpPathSchema = z.object({ id: z.uuid() });
