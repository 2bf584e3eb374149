// The immediate-risk protocol desks show an adviser: the service's own, from a
// JSON file an operator names (SAFEGUARDING_PROTOCOL_FILE), or the default.
// Read and checked once at start-up, so a mistake in the file stops the server
// with a message naming the file and the field rather than showing an adviser
// half a protocol during a call.
import { readFileSync } from 'node:fs';
import {
  defaultSafeguardingProtocol,
  safeguardingProtocolSchema,
  type SafeguardingProtocol,
} from '../../shared/wire/safeguarding';
import { fail, ok, type Result } from '../../shared/result';

export function loadSafeguardingProtocol(path: string | undefined): Result<SafeguardingProtocol> {
  if (path === undefined || path === '') return ok(defaultSafeguardingProtocol);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(
      'invalid_input',
      `The safeguarding protocol file ${path} cannot be read: ${reason}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('invalid_input', `The safeguarding protocol file ${path} is not JSON: ${reason}`);
  }
  const parsed = safeguardingProtocolSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(the whole file)'}: ${issue.message}`)
      .join('; ');
    return fail(
      'invalid_input',
      `The safeguarding protocol file ${path} is not valid: ${problems}`,
    );
  }
  return ok(parsed.data);
}
