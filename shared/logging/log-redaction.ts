// What may never appear in a log line: personal data about the young people
// and callers. The loggers of the server and of the desk services both apply
// this, through their configuration, so no caller has to remember to.
// Log lines are short and written often, so this is the fast, pattern-only
// part of redaction (addresses and numbers); the full redaction of notes, with
// names and schools (server/redaction), is for records, not for logs, which
// must not carry notes at all.

/** Field names whose values are personal whatever they hold: logged as "[redacted]". */
export const personalLogFields = [
  'phone',
  'phoneNumber',
  'callerNumber',
  'callerId',
  'from',
  'to',
  'email',
  'emailAddress',
  'address',
  'name',
  'firstName',
  'lastName',
  'fullName',
  'displayName',
  'nickname',
  'dateOfBirth',
  'postcode',
  'notes',
  'summary',
  'text',
  'password',
  'token',
  'accessToken',
  'refreshToken',
] as const;

/** pino `redact.paths`: each field at the top of a line and one object down. */
export const personalLogPaths: string[] = personalLogFields.flatMap((field) => [
  field,
  `*.${field}`,
]);

export const redactionCensor = '[redacted]';

const emailPattern = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/**
 * A run of digits with the separators people write in phone numbers. Runs
 * joined to letters or hyphenated hex (ids, UUIDs, timestamps) are left alone
 * by the surrounding checks and the digit count.
 */
const phonePattern = /(?<![\p{L}\p{N}_-])(?:\+|00)?\(?\d[\d ().-]{7,}\d(?![\p{L}\p{N}_-])/gu;

function isPhoneLike(run: string): boolean {
  const digits = run.replace(/\D/g, '').length;
  // UK numbers are 10 or 11 digits nationally, up to 15 internationally (E.164).
  if (digits < 10 || digits > 15) return false;
  // Dotted runs are IP addresses and versions, not how numbers are written here.
  return !/\d\.\d/.test(run);
}

/** Replaces email addresses and phone numbers in free text. */
export function redactLogText(text: string): string {
  return text
    .replace(emailPattern, '[email]')
    .replace(phonePattern, (run) => (isPhoneLike(run) ? '[phone]' : run));
}

function redactError(error: Error): { type: string; message: string; stack?: string } {
  return {
    type: error.name,
    message: redactLogText(error.message),
    ...(error.stack ? { stack: redactLogText(error.stack) } : {}),
  };
}

/** Free text in a field's value: strings and errors, looked into two levels deep. */
function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactLogText(value);
  if (value instanceof Error) return redactError(value);
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((entry) => redactValue(entry, depth - 1));
  // Dates, buffers and other classes are left to pino's own serialisation.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) copy[key] = redactValue(entry, depth - 1);
  return copy;
}

/**
 * The arguments of one logging call with their free text redacted: messages,
 * the string fields beside them (a reason often quotes what failed), and errors
 * (whose messages often quote what they failed on). Known personal fields are
 * blanked whole by the logger's `redact` paths.
 */
export function redactLogArguments(args: readonly unknown[]): unknown[] {
  return args.map((arg) => {
    if (arg instanceof Error) return { err: redactError(arg) };
    return redactValue(arg, 2);
  });
}
