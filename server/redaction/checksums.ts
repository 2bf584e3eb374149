// Check digits of the identity numbers young people and parents quote. A
// number that passes its checksum is redacted on sight; one that fails is
// redacted only where words around it say what it is (see patterns.ts), since
// a mistyped NHS number is still somebody's.

function digitsOf(value: string): number[] | null {
  const compact = value.replace(/[\s-]/g, '');
  return /^\d+$/.test(compact) ? [...compact].map(Number) : null;
}

/** NHS number: ten digits, weights 10..2 on the first nine, modulus 11; a check of 10 is never issued. */
export function isValidNhsNumber(value: string): boolean {
  const digits = digitsOf(value);
  if (!digits || digits.length !== 10) return false;
  let sum = 0;
  for (let index = 0; index < 9; index += 1) sum += (digits[index] ?? 0) * (10 - index);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits[9];
}

/** Unique Learner Number: ten digits, weights 10..2 on the first nine, check = 10 - (sum mod 11); a remainder of 0 is never issued. */
export function isValidUln(value: string): boolean {
  const digits = digitsOf(value);
  if (!digits || digits.length !== 10 || digits[0] === 0) return false;
  let sum = 0;
  for (let index = 0; index < 9; index += 1) sum += (digits[index] ?? 0) * (10 - index);
  const check = 10 - (sum % 11);
  return check !== 10 && check === digits[9];
}

/** The DfE's 23 check letters (no I, O or S), also the values of a temporary UPN's last letter. */
const upnLetters = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * Unique Pupil Number: a check letter, then twelve characters (the last may be
 * a letter for a temporary UPN). Characters 2..13 are weighted 2..13, a letter
 * counting as its place in `upnLetters`; the sum modulo 23 picks the check letter.
 */
export function isValidUpn(value: string): boolean {
  const compact = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(compact)) return false;
  let sum = 0;
  for (let index = 1; index < 13; index += 1) {
    const character = compact.charAt(index);
    const digit = Number.parseInt(character, 10);
    const amount = Number.isNaN(digit) ? upnLetters.indexOf(character) : digit;
    sum += amount * (index + 1);
  }
  return upnLetters.charAt(sum % 23) === compact.charAt(0);
}

/** The check letter for a UPN's last twelve characters (used to make test numbers, and by tests). */
export function upnCheckLetter(rest: string): string {
  let sum = 0;
  for (let index = 0; index < 12; index += 1) {
    const character = rest.charAt(index).toUpperCase();
    const digit = Number.parseInt(character, 10);
    sum += (Number.isNaN(digit) ? upnLetters.indexOf(character) : digit) * (index + 2);
  }
  return upnLetters.charAt(sum % 23);
}

/**
 * National Insurance number: two prefix letters, six digits, a suffix A-D.
 * HMRC never issues D, F, I, Q, U or V as either prefix letter, nor O second,
 * nor the prefixes BG, GB, NK, KN, TN, NT and ZZ. The suffix may be left off.
 */
export function isPlausibleNiNumber(value: string): boolean {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  const match = /^([A-Z])([A-Z])(\d{6})([A-D]?)$/.exec(compact);
  if (!match) return false;
  const [, first = '', second = ''] = match;
  if ('DFIQUV'.includes(first) || 'DFIQUVO'.includes(second)) return false;
  return !['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ'].includes(first + second);
}
