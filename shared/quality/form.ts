// Scorecard forms for quality review: versioned, sectioned, weighted items
// drawn from the inspection criteria. A form is data (it travels to desks and
// is stored by version); a published version never changes, a revision of it
// is a new draft version, so a review always names the exact form it used.
import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { channelSchema, type Channel, type InteractionRecord } from '../interaction/record';

/** Stable ids: reports compare an item across form versions by its id. */
export const formIdSchema = z
  .string()
  .min(1, 'Give it a name of lower-case letters, digits and underscores')
  .max(64, 'Keep the name to 64 characters')
  .regex(
    /^[a-z][a-z0-9_]*$/,
    'Use lower-case letters, digits and underscores, starting with a letter',
  );

/**
 * Facts about an interaction that decide whether an item is shown. Each is
 * read from the completed record (`interactionFacts`), so a condition never
 * depends on what the reviewer thinks.
 */
const basicConditionSchema = z.discriminatedUnion('when', [
  /** At least one barrier was recorded. */
  z.object({ when: z.literal('barrier_recorded') }),
  /** At least one safeguarding concern was raised. */
  z.object({ when: z.literal('safeguarding_raised') }),
  /** The adviser judged the contact within remit, so guidance was given. */
  z.object({ when: z.literal('within_remit') }),
  /** The contact came in on this channel. */
  z.object({ when: z.literal('channel'), channel: channelSchema }),
]);
export type BasicCondition = z.infer<typeof basicConditionSchema>;

/** One fact, or several that must all hold (one level deep: enough for a scorecard, easy to read). */
export const itemConditionSchema = z.union([
  basicConditionSchema,
  z.object({ when: z.literal('all'), conditions: z.array(basicConditionSchema).min(1).max(10) }),
]);
export type ItemCondition = z.infer<typeof itemConditionSchema>;

/**
 * Rules that propose an answer from the guided record (see prefill.ts). Only
 * yes/no items carry one: the record can say whether something was done,
 * never how well.
 */
export const prefillRuleIds = [
  'status_recorded',
  'skills_covered',
  'actions_agreed',
  'follow_up_offered',
  'transcript_offered',
  'service_questions_after_guidance',
  'concern_escalated',
] as const;
export type PrefillRuleId = (typeof prefillRuleIds)[number];

export const answerKindSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('yes_no'), notApplicableAllowed: z.boolean() }),
  z.object({
    kind: z.literal('scale'),
    /** Whole points from `min` to `max`; `min` is a fail and needs a comment. */
    min: z
      .number({ error: 'Give the lowest point as a whole number' })
      .int('Give the lowest point as a whole number')
      .min(0, 'The lowest point is 0 or more')
      .max(100, 'The lowest point is at most 100'),
    max: z
      .number({ error: 'Give the highest point as a whole number' })
      .int('Give the highest point as a whole number')
      .min(1, 'The highest point is 1 or more')
      .max(100, 'The highest point is at most 100'),
    notApplicableAllowed: z.boolean(),
    /** Words for some points, so reviewers read the scale the same way. */
    labels: z
      .array(
        z.object({
          value: z.number().int(),
          label: z
            .string()
            .min(1, 'Give the point its words, or leave it out')
            .max(200, 'Keep the words for a point to 200 characters'),
        }),
      )
      .max(101)
      .default([]),
  }),
]);
export type AnswerKind = z.infer<typeof answerKindSchema>;

/**
 * When a reviewer must comment on an item: on a failed answer (no, or the
 * scale's lowest point), which every item asks and is the default, or on
 * every answer, for an item whose answer means little without the reviewer's why.
 */
export const commentRules = ['when_failed', 'always'] as const;
export type CommentRule = (typeof commentRules)[number];

export const formItemSchema = z.object({
  id: formIdSchema,
  prompt: z
    .string()
    .trim()
    .min(1, 'Write what the item asks')
    .max(300, 'Keep what the item asks to 300 characters'),
  /** What the reviewer looks for, in the inspection's terms. */
  guidance: z.string().max(2000, 'Keep the guidance to 2,000 characters'),
  weight: z
    .number({ error: 'Give the weight as a number' })
    .positive('A weight is more than 0')
    .max(100, 'A weight is at most 100'),
  answer: answerKindSchema,
  /**
   * A critical item: scored pass or fail on its own, outside the percentage,
   * and a fail fails the whole review.
   */
  mustPass: z.boolean(),
  /** Absent: a comment is needed on a failed answer only. */
  commentRequired: z.enum(commentRules).optional(),
  /** Shown (and scored) only when this holds for the interaction. */
  condition: itemConditionSchema.optional(),
  prefill: z.enum(prefillRuleIds).optional(),
});
export type FormItem = z.infer<typeof formItemSchema>;

export const formSectionSchema = z.object({
  id: formIdSchema,
  title: z
    .string()
    .trim()
    .min(1, 'Give the section a title')
    .max(200, 'Keep the section title to 200 characters'),
  items: z
    .array(formItemSchema)
    .min(1, 'A section needs at least one item')
    .max(100, 'A section holds at most 100 items'),
});
export type FormSection = z.infer<typeof formSectionSchema>;

/**
 * Why a condition could never hold, or names a fact twice; null when it is
 * sound. An item behind such a condition would never be asked.
 */
function conditionProblem(condition: ItemCondition): string | null {
  if (condition.when !== 'all') return null;
  const facts = condition.conditions.map((part) =>
    part.when === 'channel' ? `channel:${part.channel}` : part.when,
  );
  if (new Set(facts).size < facts.length) return 'The condition names the same fact twice';
  const channels = new Set(
    condition.conditions.flatMap((part) => (part.when === 'channel' ? [part.channel] : [])),
  );
  if (channels.size > 1)
    return 'The condition can never hold: a contact comes in on one channel only';
  return null;
}

export const formStatuses = ['draft', 'published'] as const;
export type FormStatus = (typeof formStatuses)[number];

/** What a revision may change: everything but the identity, version and status. */
const formContentShape = {
  title: z
    .string()
    .trim()
    .min(1, 'Give the form a title')
    .max(200, 'Keep the title to 200 characters'),
  sections: z
    .array(formSectionSchema)
    .min(1, 'A form needs at least one section')
    .max(50, 'A form holds at most 50 sections'),
};

/** What a form editor sends: a title and sections, checked with the form's own rules once placed in a version. */
export const formContentSchema = z.object(formContentShape);

export const scorecardFormSchema = z
  .object({
    id: formIdSchema,
    version: z.number().int().positive(),
    status: z.enum(formStatuses),
    ...formContentShape,
  })
  .superRefine((form, context) => {
    const sectionIds = new Set<string>();
    const itemIds = new Set<string>();
    let counting = 0;
    form.sections.forEach((section, sectionIndex) => {
      if (sectionIds.has(section.id)) {
        context.addIssue({
          code: 'custom',
          path: ['sections', sectionIndex, 'id'],
          message: `Two sections are called "${section.id}"`,
        });
      }
      sectionIds.add(section.id);
      section.items.forEach((item, itemIndex) => {
        const path = ['sections', sectionIndex, 'items', itemIndex];
        const problem = (message: string, ...rest: (string | number)[]) =>
          context.addIssue({ code: 'custom', path: [...path, ...rest], message });
        // Answers name items by id alone, so an id must be unique in the whole form.
        if (itemIds.has(item.id)) problem(`Two items are called "${item.id}"`, 'id');
        itemIds.add(item.id);
        if (!item.mustPass) counting += 1;
        const { answer } = item;
        if (answer.kind === 'scale') {
          if (answer.min >= answer.max)
            problem('A scale must run from a lower to a higher point', 'answer', 'max');
          const labelled = new Set<number>();
          answer.labels.forEach(({ value }, labelIndex) => {
            if (value < answer.min || value > answer.max)
              problem(
                `The label for ${value} is outside the scale`,
                'answer',
                'labels',
                labelIndex,
              );
            else if (labelled.has(value))
              problem(`Point ${value} has two labels`, 'answer', 'labels', labelIndex);
            labelled.add(value);
          });
        }
        // A critical item is met or it is not; a scale would make "failed" a matter of where to cut.
        if (item.mustPass && answer.kind !== 'yes_no')
          problem('A must-pass item is answered yes or no', 'mustPass');
        if (item.prefill && answer.kind !== 'yes_no')
          problem('Only a yes/no item can be pre-filled from the record', 'prefill');
        const impossible = item.condition ? conditionProblem(item.condition) : null;
        if (impossible) problem(impossible, 'condition');
      });
    });
    // Must-pass items stay out of the percentage: a form of nothing else has no score.
    if (itemIds.size > 0 && counting === 0) {
      context.addIssue({
        code: 'custom',
        path: ['sections'],
        message: 'At least one item must count towards the score: not every item can be must-pass',
      });
    }
  });
export type ScorecardForm = z.infer<typeof scorecardFormSchema>;
export type FormContent = Pick<ScorecardForm, 'title' | 'sections'>;

/** Every item of a form with the section it sits in, in form order. */
export function formItems(form: ScorecardForm): { section: FormSection; item: FormItem }[] {
  return form.sections.flatMap((section) => section.items.map((item) => ({ section, item })));
}

export function findItem(form: ScorecardForm, itemId: string): FormItem | undefined {
  return formItems(form).find(({ item }) => item.id === itemId)?.item;
}

/** Judgement items: the ones no rule can propose an answer for. */
export function judgementItems(form: ScorecardForm): FormItem[] {
  return formItems(form)
    .map(({ item }) => item)
    .filter((item) => item.prefill === undefined);
}

function invalidForm(error: z.ZodError): Result<never> {
  return fail(
    'invalid_input',
    'The form is not valid',
    error.issues.slice(0, 20).map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    })),
  );
}

/**
 * Applies a change to a form. A draft changes in place (same version). A
 * published version is never changed: the change becomes a new draft, one
 * version up, and the published one is left exactly as it was, so every
 * review scored against it still reads the same.
 */
export function reviseForm(
  form: ScorecardForm,
  change: (content: FormContent) => FormContent,
): Result<ScorecardForm> {
  // Parsing copies: the change works on its own copy and cannot reach into `form`.
  const copy = scorecardFormSchema.safeParse(form);
  if (!copy.success) return invalidForm(copy.error);
  const content = change({ title: copy.data.title, sections: copy.data.sections });
  const revised = scorecardFormSchema.safeParse({
    id: form.id,
    version: form.status === 'published' ? form.version + 1 : form.version,
    status: 'draft',
    title: content.title,
    sections: content.sections,
  });
  return revised.success ? ok(revised.data) : invalidForm(revised.error);
}

/** Publishes a draft. A published version cannot be published again (nor changed). */
export function publishForm(form: ScorecardForm): Result<ScorecardForm> {
  if (form.status === 'published') {
    return fail(
      'conflict',
      `Version ${form.version} of "${form.title}" is already published and cannot change; revise it to make version ${form.version + 1}.`,
    );
  }
  const published = scorecardFormSchema.safeParse({ ...form, status: 'published' });
  return published.success ? ok(published.data) : invalidForm(published.error);
}

/** The facts about an interaction that conditions read. */
export interface InteractionFacts {
  channel: Channel;
  /** False only when the adviser decided the contact was outside the remit. */
  withinRemit: boolean;
  barrierRecorded: boolean;
  safeguardingRaised: boolean;
}

export function interactionFacts(
  record: Pick<InteractionRecord, 'channel' | 'summary'>,
): InteractionFacts {
  const { summary } = record;
  return {
    channel: record.channel,
    // The record's own rule (stageNeeded): only an explicit "out of remit" skips the guidance.
    withinRemit: summary.caller.withinRemit !== false,
    barrierRecorded: summary.barriers.identified.length > 0,
    safeguardingRaised: summary.safeguarding.length > 0,
  };
}

function basicHolds(condition: BasicCondition, facts: InteractionFacts): boolean {
  switch (condition.when) {
    case 'barrier_recorded':
      return facts.barrierRecorded;
    case 'safeguarding_raised':
      return facts.safeguardingRaised;
    case 'within_remit':
      return facts.withinRemit;
    case 'channel':
      return facts.channel === condition.channel;
  }
}

export function conditionHolds(condition: ItemCondition, facts: InteractionFacts): boolean {
  if (condition.when === 'all') return condition.conditions.every((c) => basicHolds(c, facts));
  return basicHolds(condition, facts);
}

/** Whether an item is shown (and scored) for an interaction with these facts. */
export function itemShown(item: FormItem, facts: InteractionFacts): boolean {
  return item.condition === undefined || conditionHolds(item.condition, facts);
}

function describeBasic(condition: BasicCondition): string {
  switch (condition.when) {
    case 'barrier_recorded':
      return 'a barrier was recorded';
    case 'safeguarding_raised':
      return 'a safeguarding concern was raised';
    case 'within_remit':
      return 'the contact was within remit';
    case 'channel':
      return condition.channel === 'webchat'
        ? 'the contact was a web chat'
        : 'the contact was a call';
  }
}

/** A condition in plain words, for the form editor and for messages: "a barrier was recorded". */
export function describeCondition(condition: ItemCondition): string {
  if (condition.when !== 'all') return describeBasic(condition);
  const parts = condition.conditions.map(describeBasic);
  return parts.length === 1
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`;
}

/** Freezes a value all the way down: a published form shared by every importer must not be editable by one of them. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const withinRemit = { when: 'within_remit' } as const;
const yesNo = { kind: 'yes_no', notApplicableAllowed: false } as const;
const fivePoint = (labels: readonly [string, string, string, string, string]) => ({
  kind: 'scale' as const,
  min: 0,
  max: 4,
  notApplicableAllowed: false,
  labels: labels.map((label, value) => ({ value, label })),
});

/**
 * The default form, version 1, following the inspection criteria (product
 * brief, section 2). The record can show whether something was done, and those
 * items are pre-filled; how well the guidance went (next steps, rapport,
 * accuracy) is judged on a five-point scale with words for each point.
 * Guidance items are shown only within remit: an out-of-remit contact is
 * signposted elsewhere and gets none, as the interaction machine's own rule has it.
 */
export const defaultForm: ScorecardForm = deepFreeze(
  scorecardFormSchema.parse({
    id: 'interaction_quality',
    version: 1,
    status: 'published',
    title: 'Interaction quality',
    sections: [
      {
        id: 'starting_point',
        title: 'Starting point',
        items: [
          {
            id: 'status_captured',
            prompt: "The young person's starting point was established, with their current status",
            guidance:
              'Who is calling, the young person’s age, their current status (school year, sixth form, college, apprenticeship, employment, NEET), their goals and career ideas. Status capture is how the service sees who gains from it.',
            weight: 2,
            answer: yesNo,
            mustPass: false,
            condition: withinRemit,
            prefill: 'status_recorded',
          },
        ],
      },
      {
        id: 'barriers',
        title: 'Barriers',
        items: [
          {
            id: 'barriers_explored',
            prompt: 'Each barrier was explored with the customer, with what was agreed about it',
            guidance:
              'Money, transport, caring, health or disability, confidence, housing, qualifications, literacy or numeracy: explored with the customer, each with what was agreed and any referral to a specialist service.',
            weight: 2,
            answer: yesNo,
            mustPass: false,
            condition: { when: 'barrier_recorded' },
          },
        ],
      },
      {
        id: 'skills_check',
        title: 'English, maths and digital',
        items: [
          {
            id: 'skills_explored',
            prompt: 'English, maths and digital levels were explored, or why not was recorded',
            guidance:
              'Current levels, whether improving them matters for the goal, and that this was discussed; or a real reason it was not appropriate.',
            weight: 2,
            answer: yesNo,
            mustPass: false,
            condition: withinRemit,
            prefill: 'skills_covered',
          },
        ],
      },
      {
        id: 'next_steps',
        title: 'Next steps',
        items: [
          {
            id: 'action_plan_recorded',
            prompt: 'A skills action plan was agreed, with at least one action',
            guidance: 'The main points discussed and the actions agreed are in the plan.',
            weight: 1,
            answer: yesNo,
            mustPass: false,
            condition: withinRemit,
            prefill: 'actions_agreed',
          },
          {
            id: 'next_steps_good',
            prompt: 'The next steps were good',
            guidance:
              'Actions are specific, owned (by the customer or the adviser) and realistic for this young person, with the knowledge-network articles and outside services that help pointed to. The audit counts the share of interactions whose next steps are good (3 or 4).',
            weight: 4,
            answer: fivePoint([
              'No useful next steps',
              'Vague: nothing the customer could act on',
              'Some useful steps, but not specific, owned or realistic',
              'Good: specific, owned and realistic, with help pointed to',
              'Excellent: a plan the customer can follow alone',
            ]),
            mustPass: false,
            condition: withinRemit,
          },
        ],
      },
      {
        id: 'follow_up_and_transcript',
        title: 'Follow-up and transcript',
        items: [
          {
            id: 'follow_up_offered',
            prompt: 'A follow-up call was offered',
            guidance:
              'Every customer is offered a follow-up, 4 to 6 weeks out, or 12 to 14 weeks for a young person aged 16 or over.',
            weight: 2,
            answer: yesNo,
            mustPass: false,
            condition: withinRemit,
            prefill: 'follow_up_offered',
          },
          {
            id: 'transcript_offered',
            prompt: 'A transcript was offered',
            guidance:
              'On every channel, voice included: the customer should not have to take notes.',
            weight: 1,
            answer: yesNo,
            mustPass: false,
            prefill: 'transcript_offered',
          },
        ],
      },
      {
        id: 'conversation',
        title: 'The conversation',
        items: [
          {
            id: 'open_questions_rapport',
            prompt: 'Open questions were used and rapport was built',
            guidance:
              'The adviser drew the customer out with open questions, listened, and kept them engaged.',
            weight: 2,
            answer: fivePoint([
              'Closed questions throughout; no rapport',
              'Mostly closed questions; little rapport',
              'Some open questions; polite but flat',
              'Open questions and good rapport',
              'Open questions throughout; the customer led the conversation',
            ]),
            mustPass: false,
          },
          {
            id: 'service_questions_kept_apart',
            prompt: 'The service questions did not spoil the guidance',
            guidance:
              'A customer short of time who wants one answer gets it without first being asked where they heard of the service.',
            weight: 1,
            answer: yesNo,
            mustPass: false,
            condition: withinRemit,
            prefill: 'service_questions_after_guidance',
          },
          {
            id: 'information_accurate',
            prompt: 'The information given was accurate and current',
            guidance:
              'Routes, entry requirements, funding and local labour-market information were right, and matched the knowledge network where it covers them.',
            weight: 3,
            answer: fivePoint([
              'Wrong information that could mislead the customer',
              'Some wrong or out-of-date information',
              'Mostly right, with gaps or vagueness',
              'Accurate and current',
              'Accurate, current and tailored to where the customer lives',
            ]),
            mustPass: false,
          },
        ],
      },
      {
        id: 'safeguarding',
        title: 'Safeguarding',
        items: [
          {
            id: 'safeguarding_handled',
            prompt: 'The safeguarding concern was handled',
            guidance:
              'Raised at once, escalated, and acted on with a prompt referral. A fail here fails the review whatever the rest scores.',
            weight: 1,
            answer: yesNo,
            mustPass: true,
            condition: { when: 'safeguarding_raised' },
            prefill: 'concern_escalated',
          },
        ],
      },
    ],
  }),
);
