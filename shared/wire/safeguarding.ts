// Safeguarding concerns in real time: what a desk raises, what every online
// team leader's desk is alerted with, and how a team leader's acknowledgement
// travels back. A raise goes live over the socket and through the outbox
// (`safeguarding.raised`); the server keeps it once, by the id the desk chose.
import { z } from 'zod';
import { safeguardingCategories } from '../interaction/taxonomy';

/** The alert carries the start of what was said; the whole note stays in the interaction record. */
export const safeguardingExcerptChars = 500;

const isoTime = z.iso.datetime({ offset: true });

export const safeguardingRaiseSchema = z.object({
  /** Chosen by the desk (the concern's id in the interaction), so a repeat is recognised. */
  concernId: z.uuid(),
  interactionId: z.uuid(),
  /** The call or chat the concern arose in; the server checks it was this adviser's. */
  contactRef: z.string().min(1).max(200),
  category: z.enum(safeguardingCategories),
  immediateRisk: z.boolean(),
  whatWasSaid: z.string().max(safeguardingExcerptChars),
  raisedAt: isoTime,
});
export type SafeguardingRaise = z.infer<typeof safeguardingRaiseSchema>;

const staffNameSchema = z.object({ id: z.string().min(1), displayName: z.string().min(1) });

/** What a team leader's desk shows: the concern, who raised it, and when the server heard of it. */
export const safeguardingAlertSchema = safeguardingRaiseSchema.omit({ contactRef: true }).extend({
  adviser: staffNameSchema,
  receivedAt: isoTime,
});
export type SafeguardingAlert = z.infer<typeof safeguardingAlertSchema>;

export const safeguardingRaiseReceiptSchema = z.object({
  concernId: z.uuid(),
  status: z.enum(['raised', 'duplicate']),
});
export type SafeguardingRaiseReceipt = z.infer<typeof safeguardingRaiseReceiptSchema>;

export const safeguardingConcernRefSchema = z.object({ concernId: z.uuid() });
export type SafeguardingConcernRef = z.infer<typeof safeguardingConcernRefSchema>;

export const safeguardingAcknowledgedSchema = z.object({
  concernId: z.uuid(),
  acknowledgedBy: staffNameSchema,
  acknowledgedAt: isoTime,
});
export type SafeguardingAcknowledged = z.infer<typeof safeguardingAcknowledgedSchema>;

/** The start of a disclosure for the alert, cut at a word where one is near the limit. */
export function safeguardingExcerpt(whatWasSaid: string): string {
  const text = whatWasSaid.trim();
  if (text.length <= safeguardingExcerptChars) return text;
  const cut = text.slice(0, safeguardingExcerptChars - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > safeguardingExcerptChars * 0.8 ? cut.slice(0, lastSpace) : cut}…`;
}

/** What a team leader's desk holds: every concern still open, oldest first. */
export const safeguardingOpenListSchema = z.object({ open: z.array(safeguardingAlertSchema) });
export type SafeguardingOpenList = z.infer<typeof safeguardingOpenListSchema>;

/** The desk's answer to a raise: kept in its outbox always, and whether the server already has it. */
export const safeguardingRaisedOnDeskSchema = z.object({
  concernId: z.uuid(),
  sentLive: z.boolean(),
});
export type SafeguardingRaisedOnDesk = z.infer<typeof safeguardingRaisedOnDeskSchema>;
