// The transcript request the desk queues through its outbox when a customer
// accepted a transcript: where to send it, and the document itself.
import { z } from 'zod';
import type { InteractionRecord } from '../interaction/record';
import { composeActionPlan, type ActionPlanOptions } from './action-plan';

export const transcriptRequestSchema = z.object({
  interactionId: z.uuid(),
  via: z.enum(['email', 'text']),
  address: z.string().min(3).max(254),
  document: z.object({
    subject: z.string().min(1).max(200),
    text: z.string().min(1).max(200_000),
    html: z.string().min(1).max(400_000),
  }),
});
export type TranscriptRequest = z.infer<typeof transcriptRequestSchema>;

/** The request to queue with the record, or null when the customer declined (or was never offered) one. */
export function transcriptRequestFor(
  record: InteractionRecord,
  options: ActionPlanOptions = {},
): TranscriptRequest | null {
  const choice = record.summary.transcript;
  if (choice.decision !== 'send') return null;
  return {
    interactionId: record.id,
    via: choice.via,
    address: choice.address,
    // A web chat's transcript carries the chat as both parties saw it.
    document: composeActionPlan(record, {
      chatMessages: record.summary.chat.map(({ from, text, at }) => ({ from, text, at })),
      ...options,
    }),
  };
}
