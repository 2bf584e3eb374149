// Result envelopes: how every error crosses a process or network boundary.
// Codes are stable so a UI can act on them; messages are for people.
import { z } from 'zod';

export const errorCodes = [
  'invalid_input',
  'payload_too_large',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ResultError {
  code: ErrorCode;
  message: string;
  /** Where in the input the problem is, for invalid_input. */
  issues?: { path: string; message: string }[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ResultError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (
  code: ErrorCode,
  message: string,
  issues?: ResultError['issues'],
): { ok: false; error: ResultError } => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message },
});

export const resultErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: resultErrorSchema }),
  ]);

/** Parses untrusted input; a failure becomes an invalid_input envelope naming each problem. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): Result<z.output<T>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return fail(
    'invalid_input',
    `${what} is not valid`,
    parsed.error.issues.slice(0, 20).map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    })),
  );
}

/**
 * The answer a request got from the other side, parsed as an envelope of its
 * expected value before anything in it is believed. A transport failure is
 * passed on; an answer that does not parse is `internal`, in `unreadable`'s words.
 */
export function parseAnswer<T>(
  answer: Result<unknown>,
  schema: z.ZodType<Result<T>>,
  unreadable: string,
): Result<T> {
  if (!answer.ok) return answer;
  const parsed = schema.safeParse(answer.value);
  return parsed.success ? parsed.data : fail('internal', unreadable);
}
