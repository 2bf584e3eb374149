// Answers of the operators' view of transcript delivery: queued and failing
// transcripts, and the mail sink's messages (the text part only, never the
// HTML). Team leaders read them on the /mail page.
import { z } from 'zod';
import { contactViaSchema } from '../domain/contact-address';

const isoTime = z.iso.datetime({ offset: true });

/** A transcript the server has queued for a customer, as `GET /api/transcripts` lists it. */
export const queuedTranscriptSchema = z.object({
  interactionId: z.uuid(),
  adviserId: z.uuid(),
  via: contactViaSchema,
  address: z.string(),
  subject: z.string(),
  requestedAt: isoTime,
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number().int().nonnegative(),
  sentAt: isoTime.nullable(),
  lastError: z.string().nullable(),
});
export const queuedTranscriptListSchema = z.object({ items: z.array(queuedTranscriptSchema) });

/** A transcript that is failing or has failed; `nextAttemptAt` is null once it has failed for good. */
export const failingTranscriptSchema = queuedTranscriptSchema.extend({
  nextAttemptAt: isoTime.nullable(),
});
export const failingTranscriptListSchema = z.object({ items: z.array(failingTranscriptSchema) });

/** One message the mail sink kept, as its listing shows it. */
export const mailSummarySchema = z.object({
  id: z.uuid(),
  channel: z.enum(['email', 'text']),
  to: z.array(z.string()),
  subject: z.string(),
  date: z.iso.datetime(),
  size: z.number().int().min(0),
  messageId: z.string().nullable(),
});
export const mailListSchema = z.object({ items: z.array(mailSummarySchema) });

/** One kept message with its sender and its plain text. */
export const mailMessageSchema = mailSummarySchema.extend({
  from: z.string().nullable(),
  text: z.string(),
});

export const mailPathSchema = z.object({ id: z.uuid() });
