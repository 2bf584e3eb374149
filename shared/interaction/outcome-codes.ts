// Wrap-up outcome codes: the short list an adviser chooses from before
// completing, which team leaders count and filter by. The list is the
// operator's (a server setting, cached on each desk); a record keeps the code's
// id and its label as they stood, so renaming a code never rewrites history.
import { z } from 'zod';

/** Stable, lower-case ids (what reports count by); labels are what advisers read. */
export const outcomeCodeIdSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,39}$/,
    'An outcome code id is 1 to 40 lower-case letters, digits or underscores, starting with a letter',
  );

export const outcomeCodeSchema = z.object({
  id: outcomeCodeIdSchema,
  label: z.string().trim().min(1, 'An outcome code needs a label').max(80),
});
export type OutcomeCode = z.infer<typeof outcomeCodeSchema>;

/** At most this many: the codes are one radio group the adviser reads at a glance. */
export const maxOutcomeCodes = 20;

/** The operator's list: one or more codes, ids and labels each used once. */
export const outcomeCodeListSchema = z
  .array(outcomeCodeSchema)
  .min(1, 'Give at least one outcome code')
  .max(maxOutcomeCodes, `Give at most ${maxOutcomeCodes} outcome codes`)
  .superRefine((codes, context) => {
    const seenIds = new Set<string>();
    const seenLabels = new Set<string>();
    for (const [index, code] of codes.entries()) {
      if (seenIds.has(code.id)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'id'],
          message: `The outcome code id ${code.id} is used twice`,
        });
      }
      const label = code.label.toLowerCase();
      if (seenLabels.has(label)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'label'],
          message: `The outcome code label “${code.label}” is used twice`,
        });
      }
      seenIds.add(code.id);
      seenLabels.add(label);
    }
  });

/**
 * The codes a careers guidance helpline starts with. An operator replaces them
 * with a file of their own (README, "Wrap-up outcome codes").
 */
export const defaultOutcomeCodes: readonly OutcomeCode[] = [
  { id: 'guidance_given', label: 'Guidance given' },
  { id: 'information_only', label: 'Information only' },
  { id: 'referred_signposted', label: 'Referred or signposted to another service' },
  { id: 'follow_up_booked', label: 'Follow-up booked' },
  { id: 'caller_ended_early', label: 'Caller ended early' },
  { id: 'wrong_number_silent', label: 'Wrong number or silent' },
  { id: 'abusive_hoax', label: 'Abusive or hoax' },
];

/**
 * The list as a desk holds it: where it came from and when. `built_in` is the
 * list above, used by a desk that has never reached the server.
 */
export const outcomeCodeSettingSchema = z.object({
  codes: outcomeCodeListSchema,
  source: z.enum(['server', 'built_in']),
  /** When the desk last had the list from the server; null for the built-in list. */
  fetchedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type OutcomeCodeSetting = z.infer<typeof outcomeCodeSettingSchema>;

/** The answer of `GET /api/wrap-up/outcome-codes`. */
export const outcomeCodeAnswerSchema = z.object({ codes: outcomeCodeListSchema });

/** A zod failure as one sentence per problem, naming where in the list it is. */
export function outcomeCodeProblems(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
      return `${issue.message}${where}`;
    })
    .join('; ');
}
