// The transcript request the desk queues through its outbox when a customer
// accepted a transcript: which interaction, and the address it goes to. The
// server composes the document itself from the record it holds (see
// transcriptDocumentFor), so a desk can never put its own words or links in
// mail sent from the helpline's address.
import { z } from 'zod';
import { contactViaSchema, parseContactAddress } from '../domain/contact-address';
import type { InteractionRecord } from '../interaction/record';
import { composeActionPlan, type ActionPlanOptions, type ComposedDocument } from './action-plan';

/**
 * Items queued by desks before the server composed transcripts also carry a
 * `document`. They are still taken: z.object drops keys it does not name, so
 * that document is never read, and the server composes from its held record as
 * for any other request. Refusing them would lose transcripts customers asked
 * for; reading them is what let a desk send anything.
 */
export const transcriptRequestSchema = z
  .object({
    interactionId: z.uuid(),
    via: contactViaSchema,
    address: z.string().min(3).max(254),
  })
  // Parsed, not just checked: the address comes out normalised (a mobile in
  // E.164), so what the server queues and lists is what it will send to.
  .transform((request, context) => {
    const parsed = parseContactAddress(request.via, request.address);
    if (!parsed.ok) {
      context.addIssue({ code: 'custom', path: ['address'], message: parsed.error.message });
      return z.NEVER;
    }
    return { interactionId: request.interactionId, ...parsed.value };
  });
export type TranscriptRequest = z.infer<typeof transcriptRequestSchema>;

/** The request to queue with the record, or null when the customer declined (or was never offered) one. */
export function transcriptRequestFor(record: InteractionRecord): TranscriptRequest | null {
  const choice = record.summary.transcript;
  if (choice.decision !== 'send') return null;
  return { interactionId: record.id, via: choice.via, address: choice.address };
}

/** The transcript of a completed interaction: its skills action plan, and for a web chat the chat itself. */
export function transcriptDocumentFor(
  record: InteractionRecord,
  options: ActionPlanOptions = {},
): ComposedDocument {
  return composeActionPlan(record, {
    // A web chat's transcript carries the chat as both parties saw it.
    chatMessages: record.summary.chat.map(({ from, text, at }) => ({ from, text, at })),
    ...options,
  });
}
