// A whole interaction record redacted consistently: the summary, the chat and
// every journal event, with one numbering, so a replay of the redacted journal
// redraws exactly the redacted summary and [NAME 1] is one person throughout.
import { interactionRecordSchema, type InteractionRecord } from '../../shared/interaction/record';
import type { KnownValue, PersonalDataKind, PersonalSpan } from './kinds';
import { PlaceholderNumbering } from './numbering';
import { compileKnown, findWithCompiled, replaceSpans } from './text';

/**
 * Fields that hold identifiers, enumerations and times, never free text. They
 * are left exactly as they are so the record still parses and replays; every
 * other string in the summary or a journal event (including fields added
 * later, and events of types this module has never seen) is redacted.
 */
const structuralKeys = new Set([
  'type',
  'at',
  'id',
  'interactionId',
  'channel',
  'contactRef',
  'stage',
  'concernId',
  'bookingId',
  'slotStart',
  'contactMethod',
  'via',
  'decision',
  'kind',
  'area',
  'level',
  'status',
  'callerType',
  'category',
  'heardFrom',
  'improvementMatters',
  'articleId',
  'articleIds',
  'actionId',
  'by',
  'from',
  'owner',
  'due',
  'raisedAt',
  'raisedDuringStage',
  'escalatedAt',
  'resolvedAt',
  'offeredAt',
  'connectedAt',
  'endedAt',
  'endedBy',
  'endedDuringStage',
  'wrapUpStartedAt',
  'to',
  'seq',
  // A follow-up interaction's (its dial event, and its review): ids and enumerations.
  'firstInteractionId',
  'statusAtFirstContact',
  'statusNow',
  'progress',
  'change',
]);

/**
 * The two address fields the record schema and the machine check as a real
 * mailbox or UK number. A bracketed placeholder would fail both (the record
 * would not parse and the replayed booking would be refused), so there the
 * placeholder is written as a reserved stand-in that reaches nobody: Ofcom's
 * drama mobile range for [PHONE n], the reserved .invalid domain for [EMAIL n].
 * `placeholderForStandIn` turns a stand-in back into its placeholder for display.
 */
export function standInFor(kind: 'PHONE' | 'EMAIL', number: number): string {
  return kind === 'PHONE'
    ? `07700900${String(number % 1000).padStart(3, '0')}`
    : `email${number}@redacted.invalid`;
}

export function placeholderForStandIn(value: string): string | null {
  const phone = /^07700900(\d{3})$/.exec(value);
  if (phone) return `[PHONE ${Number(phone[1])}]`;
  const email = /^email(\d+)@redacted\.invalid$/.exec(value);
  return email ? `[EMAIL ${Number(email[1])}]` : null;
}

/** The contact field of an object and the kind its sibling says it is, if it has one. */
function contactField(
  node: Readonly<Record<string, unknown>>,
): { key: string; kind: 'PHONE' | 'EMAIL' } | null {
  const method = node.contactMethod ?? node.via;
  const key =
    'contactAddress' in node
      ? 'contactAddress'
      : 'address' in node && 'via' in node
        ? 'address'
        : null;
  if (key === null || typeof node[key] !== 'string') return null;
  if (method === 'email') return { key, kind: 'EMAIL' };
  if (method === 'phone' || method === 'text') return { key, kind: 'PHONE' };
  return null;
}

type Visit = (text: string) => string;
type VisitContact = (value: string, kind: 'PHONE' | 'EMAIL') => string;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy with every free-text string passed through `text` and every contact through `contact`. */
function walk(
  value: unknown,
  text: Visit,
  contact: VisitContact,
  key: string | null = null,
): unknown {
  if (typeof value === 'string')
    return key !== null && structuralKeys.has(key) ? value : text(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, text, contact, key));
  if (!isRecord(value)) return value;
  const field = contactField(value);
  const copy: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value)) {
    copy[name] =
      field && name === field.key && typeof child === 'string'
        ? contact(child.trim(), field.kind)
        : walk(child, text, contact, name);
  }
  return copy;
}

/** The journal first (it is the order things happened in), then the summary. */
function walkRecord(record: InteractionRecord, text: Visit, contact: VisitContact): unknown {
  const journal = walk(record.journal, text, contact);
  const summary = walk(record.summary, text, contact);
  // A follow-up's review repeats the agreed actions, in the adviser's words.
  if (record.followUpOf === undefined) return { ...record, summary, journal };
  const followUpOf = walk(record.followUpOf, text, contact);
  return { ...record, summary, journal, followUpOf };
}

/**
 * Redact a record, with extra values the server knows belong to it (the
 * caller's number from telephony, the name a web-chat customer gave).
 */
export function redactRecordWith(
  record: InteractionRecord,
  options: { known?: readonly KnownValue[] } = {},
): InteractionRecord {
  const numbering = new PlaceholderNumbering();
  // Pass one: every value found anywhere in the record becomes known, so a
  // name read from "my name is jade" in the chat is hidden in a note that
  // says only "jade", and every text is redacted alike in pass two.
  const known: KnownValue[] = [...(options.known ?? [])];
  const add = (kind: PersonalDataKind, value: string): void => {
    known.push({ kind, value });
    numbering.number(kind, value);
  };
  for (const entry of options.known ?? []) numbering.number(entry.kind, entry.value);
  walkRecord(
    record,
    (text) => text,
    (value, kind) => {
      add(kind, value);
      return value;
    },
  );
  const structured = compileKnown(known);
  const cache = new Map<string, readonly PersonalSpan[]>();
  walkRecord(
    record,
    (text) => {
      for (const span of findWithCompiled(text, structured, cache)) add(span.kind, span.value);
      return text;
    },
    (value) => value,
  );
  const everything = compileKnown(known);
  const redacted = walkRecord(
    record,
    (text) => replaceSpans(text, findWithCompiled(text, everything, cache), numbering),
    (value, kind) => standInFor(kind, numbering.number(kind, value)),
  );
  // Parsed, not asserted: the redacted record is checked to be a record still.
  return interactionRecordSchema.parse(redacted);
}

/** The default RecordRedaction: the record, and the values the server holds beside it. */
export function redactRecord(
  record: InteractionRecord,
  known: readonly KnownValue[] = [],
): InteractionRecord {
  return redactRecordWith(record, { known });
}
