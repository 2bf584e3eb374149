// Personal-data redaction for training and review views: the server redacts a
// record before it leaves, and `npm run redact` runs the same code on text.
// What each part catches and misses: docs/redaction.md.
export type { KnownValue, PersonalDataKind, PersonalSpan } from './kinds';
export { personalDataKinds } from './kinds';
export { PlaceholderNumbering } from './numbering';
export { isPublicNumber, publicNumbers } from './public-numbers';
export { placeholderForStandIn, redactRecord, redactRecordWith } from './record';
export { findPersonalData, redactText } from './text';
export { isPlausibleNiNumber, isValidNhsNumber, isValidUln, isValidUpn } from './checksums';
