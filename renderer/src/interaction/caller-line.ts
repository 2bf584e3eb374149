// The caller's number on the incoming-call card, in words.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** The caller's number as an adviser reads it aloud: UK numbers in their national form. */
export function callerLineWords(cli: string | null | undefined): string {
  if (cli === undefined) return 'Number not shown on this desk since it was reloaded';
  if (cli === null) return 'Number withheld';
  const parsed = parsePhoneNumberFromString(cli, 'GB');
  if (!parsed) return cli;
  return parsed.countryCallingCode === '44'
    ? parsed.formatNational()
    : parsed.formatInternational();
}
