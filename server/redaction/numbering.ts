// Numbered placeholders, shared across every text of one interaction so the
// same person is [NAME 1] in the notes, the chat, the summary and the journal.
import type { PersonalDataKind } from './kinds';

/**
 * How two written forms of one value are recognised as the same: case and
 * spacing never matter; a phone number is its digits in national form
 * (+44 7700 900123, 07700-900-123 and (0)7700 900123 are one number); an
 * identity number or postcode ignores separators.
 */
export function matchKey(kind: PersonalDataKind, value: string): string {
  const lower = value.toLowerCase().replace(/\s+/g, ' ').trim();
  switch (kind) {
    case 'PHONE': {
      let digits = lower.replace(/\(0\)/g, '').replace(/\D/g, '');
      if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`;
      else if (digits.startsWith('44') && lower.startsWith('+')) digits = `0${digits.slice(2)}`;
      // A mobile written without its trunk zero (7700 900123) is the same number.
      return /^7\d{9}$/.test(digits) ? `0${digits}` : digits;
    }
    case 'NHS_NUMBER':
    case 'ULN':
    case 'UPN':
    case 'NI_NUMBER':
    case 'POSTCODE':
      return lower.replace(/[\s\-.]/g, '');
    case 'NAME':
    case 'SCHOOL':
      // "Jade's" and "jade" are one person; a trailing full stop is punctuation.
      return lower.replace(/['’]s$/, '').replace(/\.$/, '');
    case 'HANDLE':
      return lower.replace(/^@/, '');
    default:
      return lower;
  }
}

export class PlaceholderNumbering {
  readonly #numbers = new Map<PersonalDataKind, Map<string, number>>();

  /** The placeholder for this value, numbering it if it is new for its kind. */
  label(kind: PersonalDataKind, value: string): string {
    return `[${kind.replaceAll('_', ' ')} ${this.number(kind, value)}]`;
  }

  /** The value's number within its kind (1, 2, ...), assigning the next one if it is new. */
  number(kind: PersonalDataKind, value: string): number {
    let forKind = this.#numbers.get(kind);
    if (!forKind) {
      forKind = new Map();
      this.#numbers.set(kind, forKind);
    }
    const key = matchKey(kind, value);
    const existing = forKind.get(key);
    if (existing !== undefined) return existing;
    // Numbers count distinct people, not keys: an alias shares its person's number.
    const next = new Set(forKind.values()).size + 1;
    forKind.set(key, next);
    return next;
  }

  /** Has this value been numbered already? */
  has(kind: PersonalDataKind, value: string): boolean {
    return this.#numbers.get(kind)?.has(matchKey(kind, value)) ?? false;
  }

  /**
   * Make `alias` share `of`'s number, when the alias is not numbered yet: a
   * first name said alone is the same person as the full name said before.
   */
  alias(kind: PersonalDataKind, alias: string, of: string): void {
    if (this.has(kind, alias)) return;
    const number = this.number(kind, of);
    this.#numbers.get(kind)?.set(matchKey(kind, alias), number);
  }
}
