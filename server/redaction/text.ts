// Free text: find every personal span (exact known values first, then written
// shapes, then names and schools), settle overlaps, and write placeholders.
import type { KnownValue, PersonalDataKind, PersonalSpan, SpanSource } from './kinds';
import { findNamesAndSchools } from './names';
import { matchKey, PlaceholderNumbering } from './numbering';
import { findPatterns } from './patterns';
import { ambiguousNames, couldBeName, functionWords, mustStayWords } from './words';

const sourceRank: Record<SpanSource, number> = { known: 0, pattern: 1, rule: 2, library: 3 };

/** Kinds whose written forms differ only by separators: matched digit by digit. */
const compactKinds = new Set<PersonalDataKind>([
  'PHONE',
  'NHS_NUMBER',
  'ULN',
  'UPN',
  'NI_NUMBER',
  'POSTCODE',
]);

const escape = (value: string): string => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface KnownPattern {
  kind: PersonalDataKind;
  pattern: RegExp;
  /**
   * A plain substring every match contains (in lower case, and for numbers
   * with separators removed), tested before the expression: a record holds
   * dozens of texts and known values, and most pairs never meet.
   */
  probe: string;
}

function probeFor(entry: KnownValue): string {
  const key = matchKey(entry.kind, entry.value);
  if (!compactKinds.has(entry.kind)) return key.split(' ')[0] ?? key;
  return entry.kind === 'PHONE' ? key.replace(/^0/, '') : key;
}

/** A regular expression for each known value, in any spacing or case it may be written in. */
export function compileKnown(known: readonly KnownValue[]): readonly KnownPattern[] {
  const compiled: KnownPattern[] = [];
  const seen = new Set<string>();
  for (const entry of expandKnown(known)) {
    const key = `${entry.kind}:${matchKey(entry.kind, entry.value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const source = knownSource(entry);
    if (source) {
      compiled.push({
        kind: entry.kind,
        pattern: new RegExp(source, 'giu'),
        probe: probeFor(entry),
      });
    }
  }
  return compiled;
}

function knownSource(entry: KnownValue): string | null {
  const value = entry.value.trim();
  if (value.length < 2) return null;
  if (compactKinds.has(entry.kind)) {
    let characters = [...matchKey(entry.kind, value)];
    let prefix = '';
    if (entry.kind === 'PHONE' && characters[0] === '0') {
      // 07700 900123 is also written +44 7700 900123, +44 (0)7700 900123, 0044 7700...
      prefix = String.raw`(?:\+44[\s-]*(?:\(0\)[\s-]*)?|0044[\s-]*(?:\(0\)[\s-]*)?|\(?0)?`;
      characters = characters.slice(1);
    }
    if (characters.length < 5) return null;
    const body = characters.map(escape).join(String.raw`[\s\-.()]*`);
    return String.raw`(?<![\p{L}\p{N}])${prefix}${body}(?![\p{L}\p{N}])`;
  }
  if ((entry.kind === 'NAME' || entry.kind === 'SCHOOL') && !/\s/.test(value)) {
    // "will" or "may" as a name is caught by its cue each time, never everywhere.
    const lower = value.toLowerCase();
    if (ambiguousNames.has(lower) || !couldBeName(lower)) return null;
  }
  const body = value
    .split(/\s+/)
    .map(escape)
    .join(String.raw`\s+`);
  return String.raw`(?<![\p{L}\p{N}@._-])${body}(?![\p{L}\p{N}@])`;
}

/** A known full name also hides its parts said alone: "Jade Smith" covers a later "jade". */
function expandKnown(known: readonly KnownValue[]): KnownValue[] {
  const expanded: KnownValue[] = [];
  for (const entry of known) {
    expanded.push(entry);
    if (entry.kind !== 'NAME') continue;
    const parts = entry.value.trim().split(/\s+/);
    if (parts.length < 2) continue;
    for (const part of parts) {
      const lower = part.toLowerCase().replace(/\.$/, '');
      if (lower.length < 2 || functionWords.has(lower) || mustStayWords.has(lower)) continue;
      if (['mr', 'mrs', 'ms', 'miss', 'dr'].includes(lower)) continue;
      expanded.push({ kind: 'NAME', value: part });
    }
  }
  return expanded;
}

function findKnown(text: string, known: readonly KnownPattern[]): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  if (known.length === 0) return found;
  const lower = text.toLowerCase();
  const compact = lower.replace(/[\s\-.()]/g, '');
  for (const { kind, pattern, probe } of known) {
    if (!(compactKinds.has(kind) ? compact : lower).includes(probe)) continue;
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      found.push({
        start: match.index,
        end: match.index + match[0].length,
        kind,
        value: match[0],
        source: 'known',
      });
    }
  }
  return found;
}

/** Keep the best of overlapping spans: known before pattern before rule before library, then the longer. */
function settle(spans: readonly PersonalSpan[]): PersonalSpan[] {
  const ordered = [...spans].sort(
    (a, b) =>
      sourceRank[a.source] - sourceRank[b.source] ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start,
  );
  const kept: PersonalSpan[] = [];
  for (const candidate of ordered) {
    if (candidate.end <= candidate.start) continue;
    if (kept.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Every personal span in the text, without overlaps, in order. */
export function findPersonalData(text: string, known: readonly KnownValue[] = []): PersonalSpan[] {
  return findWithCompiled(text, compileKnown(known));
}

/** The same with the known values compiled once, for the many texts of one record. */
export function findWithCompiled(
  text: string,
  known: readonly KnownPattern[],
  cache?: Map<string, readonly PersonalSpan[]>,
): PersonalSpan[] {
  return settle([...findKnown(text, known), ...findUnknown(text, cache)]);
}

/**
 * Patterns, names and schools depend on the text alone, so one record's
 * repeated texts (a chat line is in the summary and in its journal event; a
 * note is typed in several journal runs) are read once with a shared cache.
 */
function findUnknown(
  text: string,
  cache?: Map<string, readonly PersonalSpan[]>,
): readonly PersonalSpan[] {
  const cached = cache?.get(text);
  if (cached) return cached;
  const found = [...findPatterns(text), ...findNamesAndSchools(text)];
  cache?.set(text, found);
  return found;
}

/**
 * The placeholder for a span. A full name and its first name are one person:
 * whichever was numbered first, the other shares its number.
 */
export function placeholderFor(
  span: Pick<PersonalSpan, 'kind' | 'value'>,
  numbering: PlaceholderNumbering,
): string {
  if (span.kind === 'NAME') {
    const parts = span.value.trim().split(/\s+/);
    const first = parts[0];
    if (parts.length > 1 && first !== undefined) {
      if (numbering.has('NAME', first) && !numbering.has('NAME', span.value)) {
        numbering.alias('NAME', span.value, first);
      } else {
        numbering.alias('NAME', first, span.value);
      }
    }
  }
  return numbering.label(span.kind, span.value);
}

export function replaceSpans(
  text: string,
  spans: readonly PersonalSpan[],
  numbering: PlaceholderNumbering,
): string {
  let result = '';
  let cursor = 0;
  for (const span of spans) {
    result += text.slice(cursor, span.start) + placeholderFor(span, numbering);
    cursor = span.end;
  }
  return result + text.slice(cursor);
}

export function redactText(
  text: string,
  options: { known?: readonly KnownValue[]; numbering?: PlaceholderNumbering } = {},
): string {
  const numbering = options.numbering ?? new PlaceholderNumbering();
  return replaceSpans(text, findPersonalData(text, options.known ?? []), numbering);
}
