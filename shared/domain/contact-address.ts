// Where the helpline may send a customer something: exactly one email mailbox,
// or exactly one UK mobile number. Every boundary that takes a transcript
// address (the adviser's form, the interaction record, the outbox item, the
// server's sender) checks it here, so a list, a header or a landline never
// passes one check and fails another.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { fail, ok, type Result } from '../result';

export const contactViaSchema = z.enum(['email', 'text']);
export type ContactVia = z.infer<typeof contactViaSchema>;

/** An address as the server sends to it: a mailbox as typed (domain in lower case), or a mobile in E.164. */
export interface ContactAddress {
  via: ContactVia;
  address: string;
}

/** The longest address SMTP carries (RFC 5321's path limit less its angle brackets). */
export const maxEmailAddressLength = 254;
/** Room for "0044 7700 900 123" with generous spacing; anything longer is not one number. */
const maxPhoneInputLength = 30;

export const emailAddressExample = 'name@example.com';
export const ukMobileExample = '07700 900123';

/**
 * zod's email check is a deliberately plain subset of RFC 5322: one local part,
 * one @, a dotted domain. It refuses what mail headers would read as more than
 * one recipient or as another header (commas, semicolons, spaces, CR/LF, angle
 * brackets, display names, quoted local parts), which is the point here.
 */
const mailboxSchema = z.email().max(maxEmailAddressLength);

/** One mailbox, exactly as given (surrounding spaces are refused, not trimmed, so nothing stored differs from what was checked). */
export function parseEmailAddress(input: string): Result<string> {
  if (!mailboxSchema.safeParse(input).success) {
    return fail(
      'invalid_input',
      `Enter one email address, like ${emailAddressExample}, with nothing before or after it`,
    );
  }
  const at = input.lastIndexOf('@');
  // Domains are case-insensitive; the local part is the receiving system's business.
  return ok(`${input.slice(0, at)}@${input.slice(at + 1).toLowerCase()}`);
}

/**
 * Digits and spaces, and a + at the start. libphonenumber finds a number
 * inside any text ("07911 123456\r\nBcc: …" parses), so anything else is
 * refused before it is asked. Brackets and dashes are left out too, as the
 * interaction machine's own check has always refused them.
 */
const phoneCharacters = /^\+?[0-9 ]+$/;

/**
 * Ofcom keeps 07700 900000 to 07700 900999 for drama and training: never given
 * to anyone, so a message to one reaches nobody. Training calls and tests use
 * them; libphonenumber (rightly) does not count them as mobiles.
 */
const ofcomDramaMobile = /^7700900\d{3}$/;

type PhoneCheck = { ok: true; e164: string; mobile: boolean } | { ok: false; reason: string };

/** A number in the UK's +44 plan (Crown Dependencies included, which share it), and whether it is a mobile. */
function checkUkNumber(input: string): PhoneCheck {
  if (input.length > maxPhoneInputLength || !phoneCharacters.test(input)) {
    return { ok: false, reason: 'Use only digits and spaces, and a + at the start' };
  }
  // 07… as dialled in the UK, or +44 7… (00 44 7… too) from abroad; never bare digits.
  if (!input.startsWith('0') && !input.startsWith('+44')) {
    return { ok: false, reason: 'Start with 07, or +44 7' };
  }
  const parsed = parsePhoneNumberFromString(input, 'GB');
  if (!parsed || parsed.countryCallingCode !== '44') {
    return { ok: false, reason: 'Only UK numbers can be used' };
  }
  if (ofcomDramaMobile.test(parsed.nationalNumber)) {
    return { ok: true, e164: parsed.number, mobile: true };
  }
  if (!parsed.isValid()) return { ok: false, reason: 'That is not a whole UK number' };
  return { ok: true, e164: parsed.number, mobile: parsed.getType() === 'MOBILE' };
}

/** One UK mobile number, as E.164 (+447…). Landlines, pagers, 070 "personal" numbers and other countries are refused. */
export function parseUkMobileNumber(input: string): Result<string> {
  const checked = checkUkNumber(input);
  if (!checked.ok) {
    return fail(
      'invalid_input',
      `Enter one UK mobile number, like ${ukMobileExample}: ${checked.reason.toLowerCase()}`,
    );
  }
  if (!checked.mobile) {
    return fail(
      'invalid_input',
      `Text messages go to UK mobile numbers only (07…, like ${ukMobileExample}); that is not a mobile`,
    );
  }
  return ok(checked.e164);
}

/** One UK phone number of any kind (a follow-up call may go to a landline), as E.164. */
export function parseUkPhoneNumber(input: string): Result<string> {
  const checked = checkUkNumber(input);
  return checked.ok
    ? ok(checked.e164)
    : fail(
        'invalid_input',
        `Enter one UK phone number, like ${ukMobileExample}: ${checked.reason.toLowerCase()}`,
      );
}

/** The address normalised for sending, or why it cannot be sent to. */
export function parseContactAddress(via: ContactVia, input: string): Result<ContactAddress> {
  const parsed = via === 'email' ? parseEmailAddress(input) : parseUkMobileNumber(input);
  return parsed.ok ? ok({ via, address: parsed.value }) : parsed;
}

/** Why the screen cannot take this address, or null when it can. */
export function contactAddressProblem(via: ContactVia, input: string): string | null {
  const parsed = parseContactAddress(via, input);
  return parsed.ok ? null : parsed.error.message;
}

/** The same for a follow-up booking's contact, where a call may go to any UK number. */
export function followUpContactProblem(method: 'phone' | ContactVia, input: string): string | null {
  if (method !== 'phone') return contactAddressProblem(method, input);
  const parsed = parseUkPhoneNumber(input);
  return parsed.ok ? null : parsed.error.message;
}

/**
 * For a schema's `.superRefine` on any object with `via` and `address`: the
 * address must parse for its channel. It checks and never rewrites, so a
 * parsed record still matches its journal; senders normalise with parseContactAddress.
 */
export function checkContactAddress(
  value: { via: ContactVia; address: string },
  context: z.RefinementCtx,
): void {
  const parsed = parseContactAddress(value.via, value.address);
  if (!parsed.ok) {
    context.addIssue({ code: 'custom', path: ['address'], message: parsed.error.message });
  }
}

/** The same for a follow-up booking's `contactMethod` and `contactAddress`. */
export function checkFollowUpContact(
  value: { contactMethod: 'phone' | ContactVia; contactAddress: string },
  context: z.RefinementCtx,
): void {
  const problem = followUpContactProblem(value.contactMethod, value.contactAddress);
  if (problem) context.addIssue({ code: 'custom', path: ['contactAddress'], message: problem });
}
