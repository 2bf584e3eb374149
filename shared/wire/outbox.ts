// What a desk delivers to the central server through its durable outbox.
// Every item is named by the desk (a UUID) so a repeat is recognised and
// acknowledged as already done. Each domain adds its kinds to `outboxPayloads`.
import { z } from 'zod';
import { transcriptRequestSchema } from '../documents/transcript';
import { deliveredInteractionRecordSchema } from '../interaction/delivered-record';
import { followUpBookingSchema } from '../interaction/record';
import { ok, parseInput, resultSchema, type Result } from '../result';
import { knowledgeEditSchema } from './knowledge';
import { qualityReviewSaveSchema } from './quality';
import { safeguardingRaiseSchema } from './safeguarding';

export const outboxPayloads = {
  'interaction.completed': deliveredInteractionRecordSchema,
  'followup.booked': followUpBookingSchema,
  'transcript.requested': transcriptRequestSchema,
  'knowledge.edit': knowledgeEditSchema,
  'safeguarding.raised': safeguardingRaiseSchema,
  'quality.review.saved': qualityReviewSaveSchema,
} as const;

export type OutboxKind = keyof typeof outboxPayloads;
export const outboxKinds = Object.keys(outboxPayloads) as OutboxKind[];

const envelope = {
  id: z.uuid(),
  /** Items in one stream are delivered strictly in order. */
  stream: z.string().min(1).max(200),
  createdAt: z.iso.datetime({ offset: true }),
};

const outboxEnvelopeSchema = z.object({
  ...envelope,
  kind: z.enum(outboxKinds as [OutboxKind, ...OutboxKind[]]),
  payload: z.unknown(),
});

/** Parses an item as it arrives from a desk: the envelope first, then the payload for its kind. */
export function parseOutboxItem(input: unknown): Result<OutboxItem> {
  const head = parseInput(outboxEnvelopeSchema, input, 'Outbox item');
  if (!head.ok) return head;
  const payload = parseInput(
    outboxPayloads[head.value.kind],
    head.value.payload,
    `${head.value.kind} payload`,
  );
  if (!payload.ok) return payload;
  return ok({ ...head.value, payload: payload.value } as OutboxItem);
}

export type OutboxItem = {
  [K in OutboxKind]: {
    id: string;
    stream: string;
    createdAt: string;
    kind: K;
    payload: z.infer<(typeof outboxPayloads)[K]>;
  };
}[OutboxKind];

export const deliveryReceiptSchema = z.object({
  id: z.uuid(),
  status: z.enum(['applied', 'duplicate']),
});
export type DeliveryReceipt = z.infer<typeof deliveryReceiptSchema>;

/**
 * How many items one delivery may carry (protocol 4, `outbox:deliverBatch`).
 * The server applies them in one transaction, so one commit (one sync to disk
 * on each side) serves them all; the bound keeps the write lock that batch
 * holds short beside live chat writes.
 */
export const maxOutboxBatchItems = 64;

/**
 * The bytes of JSON the desk puts in one batch, well under the server's largest
 * event (shared/limits.ts), so a batch is never refused for its size. An item
 * larger than this on its own still goes, alone.
 */
export const maxOutboxBatchBytes = 256_000;

/** A batch as it arrives: the items stay `unknown` until each is parsed on its own. */
export const outboxBatchSchema = z.array(z.unknown()).min(1).max(maxOutboxBatchItems);

/** One answer per item of a batch, in the order sent. */
export const batchAnswersSchema = z.array(resultSchema(deliveryReceiptSchema));
export type BatchAnswers = Result<DeliveryReceipt>[];
