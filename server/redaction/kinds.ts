// The kinds of personal data the redaction hides, and the shapes every part
// of it shares. Each kind is one placeholder family: [NAME 1], [PHONE 2]...
export const personalDataKinds = [
  'NAME',
  'PHONE',
  'EMAIL',
  'SCHOOL',
  'POSTCODE',
  'DATE_OF_BIRTH',
  'NI_NUMBER',
  'NHS_NUMBER',
  'ULN',
  'UPN',
  'HANDLE',
  'ADDRESS',
] as const;
export type PersonalDataKind = (typeof personalDataKinds)[number];

/** An exact value already known to be personal (from a record's fields, a call's number, a chat name). */
export interface KnownValue {
  kind: PersonalDataKind;
  value: string;
}

/** Which part of the redaction found a span; earlier sources win an overlap. */
export type SpanSource = 'known' | 'pattern' | 'rule' | 'library';

/** A stretch of text found to be personal: `text.slice(start, end)` is `value`. */
export interface PersonalSpan {
  start: number;
  end: number;
  kind: PersonalDataKind;
  value: string;
  source: SpanSource;
}
