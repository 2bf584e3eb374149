// The second part of the redaction: personal data with a written shape. Each
// finder returns spans; text.ts settles overlaps. Numbers are read as young
// people type them: spaced, hyphenated, bracketed, +44, (0), run together.
import { isPlausibleNiNumber, isValidNhsNumber, isValidUln, isValidUpn } from './checksums';
import type { PersonalDataKind, PersonalSpan } from './kinds';
import { isPublicNumber } from './public-numbers';

function span(text: string, start: number, end: number, kind: PersonalDataKind): PersonalSpan {
  return { start, end, kind, value: text.slice(start, end), source: 'pattern' };
}

/** The few words before `start`, lower-cased, where a cue such as "nhs number" would sit. */
function before(text: string, start: number, width = 40): string {
  return text.slice(Math.max(0, start - width), start).toLowerCase();
}

// Email: the usual shape, and the spoken one ("jade at gmail dot com") that
// people type to dodge filters.
const emailPattern = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[\p{L}]{2,}/gu;
const spokenEmailPattern =
  /\b[\p{L}\p{N}._-]+\s*(?:@|\(at\)|\[at\]|\bat\b)\s*(?:gmail|googlemail|hotmail|outlook|icloud|yahoo|live|aol|btinternet|sky|me|mail|proton(?:mail)?)\s*(?:\.|\bdot\b)\s*(?:com|co\s*(?:\.|\bdot\b)\s*uk|net|org|uk)\b/giu;

function findEmails(text: string): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  for (const pattern of [emailPattern, spokenEmailPattern]) {
    for (const match of text.matchAll(pattern)) {
      found.push(span(text, match.index, match.index + match[0].length, 'EMAIL'));
    }
  }
  return found;
}

// Handles: @name anywhere not inside an email, and "my insta is jade.x.x".
const atHandlePattern = /(?<![\p{L}\p{N}._%+-])@[\p{L}\p{N}._]{2,30}/gu;
const cuedHandlePattern =
  /\b(?:insta|instagram|ig|snap|snapchat|tiktok|discord|twitter|threads|bereal|twitch|youtube|yt)(?:\s+(?:name|username|handle|account|acc|@))?\s*(?:is|:|-|=|\bits\b|it's)?\s*@?([\p{L}\p{N}._]{3,30})/giu;
/** Words that follow "my insta is" without being a handle. */
const notHandles = new Set([
  'private',
  'public',
  'down',
  'blocked',
  'banned',
  'deleted',
  'hacked',
  'the',
  'my',
  'not',
  'on',
  'off',
  'and',
  'but',
  'account',
  'too',
  'also',
  'just',
  'same',
  'name',
  'username',
  'handle',
  'page',
  'messages',
  'dms',
]);

function findHandles(text: string): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  for (const match of text.matchAll(atHandlePattern)) {
    // A trailing full stop ends the sentence, not the handle.
    const value = match[0].replace(/\.+$/, '');
    found.push(span(text, match.index, match.index + value.length, 'HANDLE'));
  }
  for (const match of text.matchAll(cuedHandlePattern)) {
    const handle = (match[1] ?? '').replace(/\.+$/, '');
    if (handle.length < 3 || notHandles.has(handle.toLowerCase())) continue;
    const start = match.index + match[0].length - (match[1] ?? '').length;
    found.push(span(text, start, start + handle.length, 'HANDLE'));
  }
  return found;
}

// Unique Pupil Number: letter, eleven digits, digit or letter; spaces allowed.
const upnPattern = /\b[A-Za-z](?:[ -]?\d){11}[ -]?[0-9A-Za-z]\b/g;
// National Insurance: AB 12 34 56 C, ab123456c, AB-12-34-56-C.
const niPattern = /\b[A-Za-z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}(?:[ -]?[A-Da-d])?\b/g;

function findUpnAndNi(text: string): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  for (const match of text.matchAll(upnPattern)) {
    const cued = /\bupn\b|pupil\s*(?:number|no)/.test(before(text, match.index));
    if (cued || isValidUpn(match[0])) {
      found.push(span(text, match.index, match.index + match[0].length, 'UPN'));
    }
  }
  for (const match of text.matchAll(niPattern)) {
    const cued = /\bni\b|\bnino\b|national\s*insurance/.test(before(text, match.index));
    if (cued || isPlausibleNiNumber(match[0])) {
      found.push(span(text, match.index, match.index + match[0].length, 'NI_NUMBER'));
    }
  }
  return found;
}

/**
 * Runs of digits with the separators people type between them. A run may hold
 * two numbers ("07700 900123 or 07700 900456"); it is split into groups and
 * read group by group.
 */
const digitRunPattern = /(?<![\p{L}\p{N}])(?:\+|00)?\(?\d[\d \t\-.()]*\d(?![\p{N}])/gu;

interface Group {
  start: number;
  end: number;
  digits: string;
}

function groupsOf(text: string, runStart: number, run: string): Group[] {
  const groups: Group[] = [];
  for (const match of run.matchAll(/\+?\d+/g)) {
    const start = runStart + match.index;
    groups.push({ start, end: start + match[0].length, digits: match[0] });
  }
  // A bracketed "(0)" after +44 is a trunk zero to drop, as people copy it.
  return groups.filter(
    (group, index) =>
      !(
        group.digits === '0' &&
        index > 0 &&
        text.charAt(group.start - 1) === '(' &&
        /^(?:\+44|0044)$/.test(groups[index - 1]?.digits ?? '')
      ),
  );
}

/** The national digits of groups i..j, or null if they do not start like a UK number. */
function nationalDigits(groups: readonly Group[]): string | null {
  let digits = groups.map((group) => group.digits).join('');
  if (digits.startsWith('+44')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('+')) return null;
  return digits;
}

const phoneCue =
  /\b(?:number|no|num|phone|mobile|mob|cell|call|ring|text|txt|whatsapp|contact|reach)\b/;

function identityKindFor(context: string): PersonalDataKind | null {
  if (/\bnhs\b/.test(context)) return 'NHS_NUMBER';
  if (/\buln\b|learner\s*(?:number|no)/.test(context)) return 'ULN';
  return null;
}

function findNumbers(text: string): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  for (const match of text.matchAll(digitRunPattern)) {
    const groups = groupsOf(text, match.index, match[0]);
    const context = before(text, match.index);
    let index = 0;
    while (index < groups.length) {
      const first = groups[index];
      if (!first) break;
      let taken = 0;
      let kind: PersonalDataKind | null = null;
      // Ten digits from here: an NHS number or a ULN, by checksum or by the words before it.
      for (let count = 1; index + count <= groups.length; count += 1) {
        const digits = groups
          .slice(index, index + count)
          .map((group) => group.digits)
          .join('');
        if (digits.length > 10) break;
        if (digits.length === 10 && !digits.startsWith('0')) {
          const cued = identityKindFor(context);
          if (cued) kind = cued;
          else if (isValidNhsNumber(digits)) kind = 'NHS_NUMBER';
          else if (isValidUln(digits)) kind = 'ULN';
          else if (digits.startsWith('7') && phoneCue.test(context)) kind = 'PHONE';
          if (kind) taken = count;
          break;
        }
      }
      // A UK number: 0 then 9 or 10 more digits; the longest reading wins.
      if (!kind) {
        for (let count = 1; index + count <= groups.length; count += 1) {
          const digits = nationalDigits(groups.slice(index, index + count));
          if (digits === null || digits.length > 11) break;
          if (/^0[1-9]\d{8,9}$/.test(digits)) taken = count;
        }
        if (taken > 0) kind = 'PHONE';
      }
      const last = groups[index + taken - 1];
      if (kind && last) {
        const value = text.slice(first.start, last.end);
        if (!(kind === 'PHONE' && isPublicNumber(value))) {
          // Keep a leading "(" with its number: "(01632) 960 123".
          const start = text.charAt(first.start - 1) === '(' ? first.start - 1 : first.start;
          found.push(span(text, start, last.end, kind));
        }
        index += taken;
        continue;
      }
      index += 1;
    }
    // Whatever long run is left unexplained is somebody's number all the same
    // (a typo, a number from abroad): hidden as a phone number.
    const compact = match[0].replace(/\D/g, '');
    const covered = found.some(
      (item) => item.start < match.index + match[0].length && item.end > match.index,
    );
    if (!covered && compact.length >= 9 && compact.length <= 13 && !isPublicNumber(match[0])) {
      found.push(span(text, match.index, match.index + match[0].trimEnd().length, 'PHONE'));
    }
  }
  return found;
}

// Postcodes: outward code (A9, A99, A9A, AA9, AA99, AA9A), inward 9AA whose
// letters never include C, I, K, M, O or V. Lower case and missing spaces too.
const postcodePattern =
  /\b(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)\s*[0-9][ABD-HJLNP-UW-Z]{2}\b/gi;

function findPostcodes(text: string): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  for (const match of text.matchAll(postcodePattern)) {
    found.push(span(text, match.index, match.index + match[0].length, 'POSTCODE'));
  }
  return found;
}

const month =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const datePatterns = [
  /\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:\d{4}|\d{2})\b/gi,
  new RegExp(
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${month}\\.?,?(?:\\s+(?:\\d{4}|'?\\d{2}))?\\b`,
    'gi',
  ),
  new RegExp(`\\b${month}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?(?:\\s+(?:\\d{4}|'?\\d{2}))?\\b`, 'gi'),
];
const birthCue = /\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|born|birthday|bday|b-day|birth\s*date)\b/;
/**
 * A full date whose year is at least nine years past is read as a birth date
 * even without a cue: appointments, open days and results days in these notes
 * are recent or ahead, while the people they are about were born 13-18 (or,
 * for a parent, 25-60) years before.
 */
const latestBirthYear = new Date().getUTCFullYear() - 9;

function yearOf(date: string): number | null {
  const four = /\b(19|20)\d{2}\b/.exec(date);
  if (four) return Number(four[0]);
  const two = /(?:[/.-]\s*|')(\d{2})\s*$/.exec(date);
  if (!two) return null;
  const value = Number(two[1]);
  return value > (latestBirthYear % 100) + 9 ? 1900 + value : 2000 + value;
}

function findDatesOfBirth(text: string): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  for (const pattern of datePatterns) {
    for (const match of text.matchAll(pattern)) {
      const cued = birthCue.test(before(text, match.index, 30));
      const year = yearOf(match[0]);
      if (cued || (year !== null && year >= 1930 && year <= latestBirthYear)) {
        found.push(span(text, match.index, match.index + match[0].length, 'DATE_OF_BIRTH'));
      }
    }
  }
  return found;
}

const streetWords =
  'street|st|road|rd|avenue|ave|lane|ln|close|cl|drive|dr|way|crescent|cres|court|ct|place|pl|gardens|gdns|grove|gr|terrace|tce|hill|park|square|sq|walk|mews|row|view|rise|green|parade|boulevard|gate|fields|meadows?|vale|wharf|yard|estate|croft|chase|heights';
const addressPattern = new RegExp(
  `\\b(?:(?:flat|apartment|apt|unit)\\s+\\d+[a-z]?,?\\s+)?\\d{1,4}[a-z]?,?\\s+((?:[\\p{L}'’-]+\\s+){1,3})(?:${streetWords})\\b\\.?`,
  'giu',
);
const cuedStreetPattern = new RegExp(
  `\\b(?:live|living|lives|stay|staying|moved)\\s+(?:on|at|in|to)\\s+((?:[\\p{L}'’-]+\\s+){1,3}(?:${streetWords}))\\b`,
  'giu',
);
/** Words that sit between a number and "way", "walk", "park"... in sentences that are not addresses. */
const notStreetNames = new Set([
  'the',
  'a',
  'an',
  'my',
  'of',
  'to',
  'in',
  'and',
  'or',
  'for',
  'at',
  'on',
  'with',
  'is',
  'it',
  'mile',
  'miles',
  'minute',
  'minutes',
  'min',
  'mins',
  'hour',
  'hours',
  'km',
  'year',
  'years',
  'day',
  'days',
  'week',
  'weeks',
  'times',
  'other',
  'different',
  'same',
  'no',
  'grade',
  'grades',
  'gcses',
  'gcse',
  'subjects',
  'people',
  'buses',
  'bus',
]);

function findAddresses(text: string): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  for (const match of text.matchAll(addressPattern)) {
    const words = (match[1] ?? '').trim().toLowerCase().split(/\s+/);
    if (words.some((word) => notStreetNames.has(word))) continue;
    found.push(span(text, match.index, match.index + match[0].length, 'ADDRESS'));
  }
  for (const match of text.matchAll(cuedStreetPattern)) {
    const street = match[1] ?? '';
    const words = street.toLowerCase().split(/\s+/).slice(0, -1);
    if (words.some((word) => notStreetNames.has(word))) continue;
    const start = match.index + match[0].length - street.length;
    found.push(span(text, start, start + street.length, 'ADDRESS'));
  }
  return found;
}

/** Every personal value with a written shape, in no particular order; overlaps are left to the caller. */
export function findPatterns(text: string): PersonalSpan[] {
  return [
    ...findEmails(text),
    ...findHandles(text),
    ...findUpnAndNi(text),
    ...findNumbers(text),
    ...findPostcodes(text),
    ...findDatesOfBirth(text),
    ...findAddresses(text),
  ];
}
