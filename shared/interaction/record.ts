// The completed interaction record: what the desk sends to the central server
// when an interaction is completed. It carries the event journal so the server
// (and trainers, and team leaders) can replay the interaction exactly.
import { z } from 'zod';
import { limits } from '../limits';

export const channelSchema = z.enum(['voice', 'webchat']);
export type Channel = z.infer<typeof channelSchema>;

const isoTime = z.iso.datetime({ offset: true });

/** One entry of an interaction's journal: an event that reached the machine, and when. */
export const journalEntrySchema = z.object({
  at: isoTime,
  event: z.looseObject({ type: z.string().min(1).max(100) }),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const interactionRecordSchema = z.object({
  id: z.uuid(),
  /** Version of the machine definition the journal replays through. */
  machineVersion: z.number().int().positive(),
  channel: channelSchema,
  adviserId: z.string().min(1),
  deskId: z.uuid(),
  /** The telephony call id or chat id this interaction handled. */
  contactRef: z.string().min(1).max(200),
  startedAt: isoTime,
  completedAt: isoTime,
  /** Summary of what was captured, derived from the final snapshot (see the machine). */
  summary: z.looseObject({}),
  journal: z.array(journalEntrySchema).max(limits.maxJournalEvents),
});
export type InteractionRecord = z.infer<typeof interactionRecordSchema>;

export const contactMethodSchema = z.enum(['phone', 'text', 'email']);

export const followUpBookingSchema = z.object({
  id: z.uuid(),
  interactionId: z.uuid(),
  adviserId: z.string().min(1),
  /** Start of the booked slot. */
  slotStart: isoTime,
  contactMethod: contactMethodSchema,
  /** Phone number or email address the customer asked to be contacted on. */
  contactAddress: z.string().min(3).max(254),
  consentRecorded: z.literal(true),
  createdAt: isoTime,
});
export type FollowUpBooking = z.infer<typeof followUpBookingSchema>;
