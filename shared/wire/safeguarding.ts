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

/**
 * What a team leader did on acknowledging a concern. "Other" is there because
 * the list can never be complete; the note then says what.
 */
export const safeguardingAcknowledgementActions = [
  'spoke_to_adviser',
  'took_over_contact',
  'referred_to_local_authority',
  'emergency_services_called',
  'police_informed',
  'no_further_action',
  'other',
] as const;
export type SafeguardingAcknowledgementAction = (typeof safeguardingAcknowledgementActions)[number];

export const safeguardingAcknowledgementActionLabels: Record<
  SafeguardingAcknowledgementAction,
  string
> = {
  spoke_to_adviser: 'Spoke to the adviser',
  took_over_contact: 'Took over the call or chat',
  referred_to_local_authority: 'Referred to the local authority',
  emergency_services_called: 'Emergency services called',
  police_informed: 'Police informed',
  no_further_action: 'No further action needed',
  other: 'Something else (see the note)',
};

/** Long enough for a sentence or two; the full account belongs in the service's own case system. */
export const safeguardingNoteChars = 1000;

/** A team leader's acknowledgement: always a note of what was done, optionally the kind of action. */
export const safeguardingAcknowledgeSchema = z.object({
  concernId: z.uuid(),
  note: z
    .string()
    .trim()
    .min(1, 'Say what was done')
    .max(safeguardingNoteChars, `Keep the note to ${safeguardingNoteChars} characters`),
  action: z.enum(safeguardingAcknowledgementActions).nullable(),
});
export type SafeguardingAcknowledge = z.infer<typeof safeguardingAcknowledgeSchema>;

/**
 * An acknowledgement as the desks hear of it: who, when and what was done.
 * The note is null only for concerns acknowledged before notes were kept
 * (migration 021).
 */
export const safeguardingAcknowledgedSchema = z.object({
  concernId: z.uuid(),
  acknowledgedBy: staffNameSchema,
  acknowledgedAt: isoTime,
  note: z.string().nullable(),
  action: z.enum(safeguardingAcknowledgementActions).nullable(),
});
export type SafeguardingAcknowledged = z.infer<typeof safeguardingAcknowledgedSchema>;

/**
 * Most urgent first: a concern with immediate risk before any without, then
 * the one that has waited longest. The server's open list is ordered the same
 * way in SQL; the desk sorts what it holds with this as concerns arrive live.
 */
export function byUrgency(a: SafeguardingAlert, b: SafeguardingAlert): number {
  if (a.immediateRisk !== b.immediateRisk) return a.immediateRisk ? -1 : 1;
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? -1 : 1;
  return a.concernId < b.concernId ? -1 : a.concernId > b.concernId ? 1 : 0;
}

/** What the raising adviser's desk is told: their concern, and the team leader's acknowledgement. */
export const safeguardingOutcomeSchema = z.object({
  concern: safeguardingAlertSchema,
  acknowledged: safeguardingAcknowledgedSchema,
});
export type SafeguardingOutcome = z.infer<typeof safeguardingOutcomeSchema>;

/** The adviser's desk says it has shown an outcome, so it is not sent again on reconnect. */
export const safeguardingToldSchema = z.object({ concernId: z.uuid() });

/** The adviser's outcomes not yet dismissed on this desk, newest last. */
export const safeguardingOutcomeListSchema = z.object({
  outcomes: z.array(safeguardingOutcomeSchema),
});
export type SafeguardingOutcomeList = z.infer<typeof safeguardingOutcomeListSchema>;

/** One concern in the history: open or acknowledged, and whether its interaction has reached the server. */
export const safeguardingHistoryEntrySchema = z.object({
  concern: safeguardingAlertSchema,
  acknowledged: safeguardingAcknowledgedSchema.nullable(),
  /** When the raising adviser's desk showed them the acknowledgement; null until then. */
  adviserToldAt: isoTime.nullable(),
  /** The interaction record arrives when the adviser completes it; until then there is nothing to open. */
  interactionHeld: z.boolean(),
});
export type SafeguardingHistoryEntry = z.infer<typeof safeguardingHistoryEntrySchema>;

export const maxSafeguardingHistory = 200;

/** Coerced: it arrives in a query string over HTTP. */
export const safeguardingHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(maxSafeguardingHistory).default(50),
});
export type SafeguardingHistoryQuery = z.input<typeof safeguardingHistoryQuerySchema>;

export const safeguardingHistorySchema = z.object({
  concerns: z.array(safeguardingHistoryEntrySchema),
});
export type SafeguardingHistory = z.infer<typeof safeguardingHistorySchema>;

/**
 * The service's immediate-risk protocol, shown to the adviser the moment they
 * say a young person is at immediate risk. The operator may replace it with a
 * file (the server's SAFEGUARDING_PROTOCOL_FILE setting); the desk keeps the
 * last one it was sent, so it shows with no network too.
 */
export const safeguardingProtocolSchema = z.strictObject({
  heading: z.string().trim().min(1).max(120),
  /** What to do now, in order. */
  steps: z.array(z.string().trim().min(1).max(300)).min(1).max(10),
  /** Whom to call, each with a number and when. */
  contacts: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(120),
        number: z
          .string()
          .trim()
          .regex(/^[0-9+][0-9 ]{1,24}$/, 'A telephone number of digits and spaces')
          // Null for someone reached in person, such as the team leader on the floor.
          .nullable()
          .default(null),
        when: z.string().trim().min(1).max(200),
      }),
    )
    .min(1)
    .max(10),
  /** A closing line, e.g. that this is the service's protocol and not legal advice. */
  footnote: z.string().trim().max(300).default(''),
});
export type SafeguardingProtocol = z.output<typeof safeguardingProtocolSchema>;

/**
 * The protocol a desk shows until an operator sets the service's own. Short
 * and plain on purpose: it says what to do in the next minutes, not the law.
 */
export const defaultSafeguardingProtocol: SafeguardingProtocol = {
  heading: 'Immediate risk: what to do now',
  steps: [
    'Stay with the young person. Keep the call or chat open and keep talking calmly.',
    'If they are in danger right now, call 999 or ask them to, and tell a team leader at once.',
    'Tell the team leader on duty: this concern has alerted them, but speak to them too.',
    'Find out where they are, if they will say, and write down what they tell you.',
    'Do not promise to keep it secret; explain that you need to get them help.',
  ],
  contacts: [
    {
      name: 'Emergency services',
      number: '999',
      when: 'A young person is in immediate danger',
    },
    {
      name: 'Team leader on duty (designated safeguarding lead)',
      number: null,
      when: 'Every immediate-risk concern, straight away',
    },
    {
      name: 'Childline',
      number: '0800 1111',
      when: 'For the young person, free and confidential, any time',
    },
  ],
  footnote:
    "This is the service's own safeguarding protocol, not legal advice. If in doubt, ask the team leader on duty.",
};
