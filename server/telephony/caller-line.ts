// One caller line, one key: the telephony side hands over the caller's number
// as it arrived ("07700 900123", "+447700900123", "00447700900123"), and the
// same person must be found whichever way it came. The key is the number in
// E.164 when it parses (any country), else its digits as given; a withheld
// number has none, so it never matches another withheld call.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export function callerLineKey(cli: string | null): string | null {
  if (cli === null) return null;
  const trimmed = cli.trim();
  if (trimmed === '') return null;
  const parsed = parsePhoneNumberFromString(trimmed, 'GB');
  if (parsed) return parsed.number;
  const digits = trimmed.replace(/[^\d+]/g, '');
  return /\d{3,}/.test(digits) ? digits : null;
}
