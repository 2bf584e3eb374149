// An operator's JSON settings file (the safeguarding protocol, the wrap-up
// outcome codes): read and checked once at start-up, so a mistake stops the
// server with a message naming the file and each field that is wrong, rather
// than showing an adviser half a list during a call.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { fail, ok, type Result } from '../shared/result';

/** Each problem as "where: what", the whole file's own as "(the whole file)". */
export function settingProblems(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || '(the whole file)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Reads `path` as JSON and checks it with `schema`. `what` names the setting in
 * the messages ("The safeguarding protocol file … is not valid: …").
 */
export function readSettingsFile<T>(
  path: string,
  what: string,
  schema: z.ZodType<T>,
  problems: (error: z.ZodError) => string = settingProblems,
): Result<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('invalid_input', `The ${what} file ${path} cannot be read: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('invalid_input', `The ${what} file ${path} is not JSON: ${reason}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return fail(
      'invalid_input',
      `The ${what} file ${path} is not valid: ${problems(parsed.error)}`,
    );
  }
  return ok(parsed.data);
}
