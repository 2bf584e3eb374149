// The third part of the redaction: names of people and schools in free text.
// compromise finds capitalised names in ordinary prose; young people write
// "hi im jade", "my mums called sarah", "i go to oakers", which no library
// reads well, so rules on the words around a name come first and the library
// fills in after them (docs/redaction.md says what each catches).
import nlp from 'compromise';
import type { PersonalSpan, SpanSource } from './kinds';
import {
  ambiguousNames,
  couldBeName,
  functionWords,
  isEverydayWord,
  isLexiconFirstName,
  isLexiconSurname,
  isPlaceName,
  mustStayWords,
} from './words';

interface Token {
  start: number;
  end: number;
  text: string;
  lower: string;
}

const tokenPattern = /[\p{L}][\p{L}\p{N}'’-]*|\p{N}+|[.,!?;:()"\n]/gu;

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(tokenPattern)) {
    // "jade's" is jade: the possessive stays outside the span.
    const word = match[0].replace(/['’]s$/i, '').replace(/['’-]+$/, '');
    const value = word.length > 0 ? word : match[0];
    tokens.push({
      start: match.index,
      end: match.index + value.length,
      text: value,
      lower: value.toLowerCase().replace(/’/g, "'"),
    });
  }
  return tokens;
}

const isWord = (token: Token | undefined): token is Token =>
  token !== undefined && /^\p{L}/u.test(token.text);
const isCapitalised = (token: Token): boolean => /^\p{Lu}\p{Ll}/u.test(token.text);

function nameSpan(text: string, from: Token, to: Token, source: SpanSource): PersonalSpan {
  return {
    start: from.start,
    end: to.end,
    kind: 'NAME',
    value: text.slice(from.start, to.end),
    source,
  };
}

/** After a first name, a surname: a capitalised word or a lexicon surname that is no everyday word. */
function surnameAfter(tokens: readonly Token[], index: number): Token | null {
  const next = tokens[index + 1];
  if (!isWord(next) || functionWords.has(next.lower) || mustStayWords.has(next.lower)) return null;
  if (isCapitalised(next) && !isEverydayWord(next.lower)) return next;
  if (isLexiconSurname(next.lower) && !isEverydayWord(next.lower)) return next;
  return null;
}

// Phrases (as lower-case token sequences) after which a name follows.
const strongCues = [
  ['my', 'name', 'is'],
  ['my', 'names'],
  ['my', "name's"],
  ['name', 'is'],
  ['names'],
  ["name's"],
  ['call', 'me'],
  ['called'],
  ['named'],
  ['known', 'as'],
  ['goes', 'by'],
  ['ask', 'for'],
  ['speak', 'to'],
  ['spoke', 'to'],
  ['talk', 'to'],
  ['talked', 'to'],
  ['with'],
];
const weakCues = [
  ['im'],
  ["i'm"],
  ['i', 'am'],
  ['this', 'is'],
  ['its'],
  ["it's"],
  ['hi'],
  ['hiya'],
  ['hey'],
  ['thanks'],
  ['cheers'],
  ['bye'],
  ['love'],
  ['from'],
];
const relationWords = new Set([
  'mum',
  'mom',
  'mam',
  'mother',
  'dad',
  'father',
  'stepdad',
  'stepmum',
  'sister',
  'sis',
  'brother',
  'bro',
  'friend',
  'mate',
  'bestie',
  'boyfriend',
  'girlfriend',
  'bf',
  'gf',
  'nan',
  'nana',
  'nanny',
  'gran',
  'grandma',
  'grandad',
  'granddad',
  'grandpa',
  'aunt',
  'auntie',
  'aunty',
  'uncle',
  'cousin',
  'carer',
  'worker',
  'teacher',
  'tutor',
  'son',
  'daughter',
  'child',
  'kid',
  'partner',
  'husband',
  'wife',
  'stepson',
  'stepdaughter',
  'foster',
  'guardian',
  'mentor',
  'coach',
  'boss',
  'manager',
  'counsellor',
  'senco',
  'head',
]);
/** Nouns that follow "my mum" and are not her name. */
const notNamesAfterRelation = new Set([
  'group',
  'circle',
  'number',
  'phone',
  'mobile',
  'email',
  'school',
  'college',
  'house',
  'home',
  'job',
  'work',
  'car',
  'name',
  'age',
  'birthday',
  'side',
  'family',
  'teacher',
  'friend',
  'friends',
  'boyfriend',
  'girlfriend',
  'partner',
  'mum',
  'dad',
  'says',
  'said',
  'thinks',
  'wants',
  'works',
  'goes',
  'went',
  'lives',
  'left',
  'got',
  'gets',
  'does',
  'did',
  'reckons',
  'told',
  'helps',
  'helped',
  'knows',
  'in',
  'law',
  'of',
  'year',
  'years',
  'wont',
  "won't",
  'doesnt',
  "doesn't",
  'cant',
  "can't",
  'is',
  'has',
  'was',
  'and',
  'or',
  'who',
  'says',
  'keeps',
]);
const titles = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'sir', 'prof', 'madam']);
/** Words before "miss" that make it a verb: "i miss school". */
const missAsVerb = new Set([
  'i',
  'we',
  'you',
  'u',
  'they',
  'will',
  "i'll",
  'really',
  'dont',
  "don't",
  'to',
  'gonna',
  'would',
  'do',
  'still',
  'she',
  'he',
]);

function cueEndsAt(
  tokens: readonly Token[],
  index: number,
  cues: readonly (readonly string[])[],
): boolean {
  return cues.some((cue) =>
    cue.every((word, offset) => tokens[index - cue.length + 1 + offset]?.lower === word),
  );
}

/** After a weak cue ("hi im jade"), the name must close its clause: punctuation, "and", a number, the end. */
function closesClause(token: Token | undefined): boolean {
  if (!token) return true;
  if (!isWord(token)) return true;
  return [
    'and',
    'from',
    'here',
    'i',
    'im',
    "i'm",
    'my',
    'aged',
    'age',
    'btw',
    'lol',
    'but',
    'its',
    'the',
    'in',
    'at',
    'again',
  ].includes(token.lower);
}

function ruleNames(text: string, tokens: readonly Token[]): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  const add = (index: number, source: SpanSource = 'rule'): void => {
    const token = tokens[index];
    if (!token) return;
    const surname = surnameAfter(tokens, index);
    found.push(nameSpan(text, token, surname ?? token, source));
  };
  tokens.forEach((token, index) => {
    if (!isWord(token) || functionWords.has(token.lower) || mustStayWords.has(token.lower)) return;
    const previous = tokens[index - 1];
    // Mr Patel, miss jones (but not "i miss school").
    if (previous && titles.has(previous.lower.replace(/\.$/, ''))) {
      const beforeTitle = tokens[index - 2];
      if (previous.lower !== 'miss' || !beforeTitle || !missAsVerb.has(beforeTitle.lower)) {
        if (!isEverydayWord(token.lower) || isCapitalised(token)) {
          add(index);
          return;
        }
      }
    }
    if (cueEndsAt(tokens, index - 1, strongCues)) {
      // "with" is too common a word to trust alone: only before a known or capitalised name.
      const cueWord = tokens[index - 1]?.lower;
      const trusted = cueWord !== 'with' && cueWord !== 'from';
      const named = trusted
        ? couldBeName(token.lower)
        : isLexiconFirstName(token.lower) || (isCapitalised(token) && couldBeName(token.lower));
      if (named) {
        add(index);
        return;
      }
    }
    if (cueEndsAt(tokens, index - 1, weakCues) && closesClause(tokens[index + 1])) {
      if (couldBeName(token.lower) && !/^\p{N}/u.test(token.text)) {
        add(index);
        return;
      }
    }
    // my mum sarah, my mums called sarah (the "called" cue handles that), my son tyler.
    if (
      previous &&
      relationWords.has(previous.lower.replace(/s$/, '')) &&
      tokens[index - 2]?.lower !== 'a'
    ) {
      if (!notNamesAfterRelation.has(token.lower) && couldBeName(token.lower)) {
        add(index);
        return;
      }
    }
    // "YP (jade) 15", "mum (Sarah Khan)": a name in brackets after who it is.
    const opener = tokens[index - 2];
    if (
      previous?.text === '(' &&
      opener &&
      (relationWords.has(opener.lower) ||
        ['yp', 'caller', 'customer', 'cyp'].includes(opener.lower)) &&
      couldBeName(token.lower)
    ) {
      add(index);
      return;
    }
    // A first name from the lexicon, said anywhere.
    if (isLexiconFirstName(token.lower)) add(index, 'library');
  });
  return found;
}

/** compromise's own reading of people's names, for capitalised prose the rules do not cover. */
function libraryNames(text: string, tokens: readonly Token[]): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  // The library reads names from capitals. Text with no capitalised word
  // except at the start of a sentence (most teenage chat, most adviser
  // messages) is left to the rules and the lexicon, saving the library's
  // several milliseconds a call.
  if (!tokens.some((token, index) => mayBeCapitalisedName(tokens, index))) return found;
  const people: unknown = nlp(text).people().json({ offset: true });
  if (!Array.isArray(people)) return found;
  for (const person of people) {
    const offset = offsetOf(person);
    if (!offset) continue;
    const value = text.slice(offset.start, offset.start + offset.length).replace(/['’]s$/i, '');
    const words = value.toLowerCase().split(/\s+/);
    // Titles alone, months, the town of Reading: never a person by themselves.
    const meaningful = words.filter(
      (word) =>
        !titles.has(word.replace(/\.$/, '')) &&
        !mustStayWords.has(word) &&
        !ambiguousNames.has(word) &&
        !functionWords.has(word),
    );
    if (meaningful.length === 0) continue;
    found.push({
      start: offset.start,
      end: offset.start + value.length,
      kind: 'NAME',
      value,
      source: 'library',
    });
  }
  return found;
}

function mayBeCapitalisedName(tokens: readonly Token[], index: number): boolean {
  const token = tokens[index];
  if (!token || !isCapitalised(token)) return false;
  if (functionWords.has(token.lower) || mustStayWords.has(token.lower)) return false;
  const previous = tokens[index - 1];
  const sentenceStart = !previous || ['.', '!', '?', '\n', ':', '"'].includes(previous.text);
  return !sentenceStart || !isEverydayWord(token.lower);
}

function offsetOf(value: unknown): { start: number; length: number } | null {
  if (typeof value !== 'object' || value === null || !('offset' in value)) return null;
  const offset: unknown = value.offset;
  if (typeof offset !== 'object' || offset === null) return null;
  if (!('start' in offset) || !('length' in offset)) return null;
  const { start, length } = offset;
  return typeof start === 'number' && typeof length === 'number' ? { start, length } : null;
}

// Schools: "Oakwood Academy", "st marys", "i go to kingsy".
const schoolSuffixes = [
  ['sixth', 'form', 'college'],
  ['high', 'school'],
  ['grammar', 'school'],
  ['primary', 'school'],
  ['secondary', 'school'],
  ['community', 'college'],
  ['community', 'school'],
  ['free', 'school'],
  ['sixth', 'form'],
  ['academy'],
  ['school'],
  ['college'],
  ['high'],
  ['grammar'],
  ['primary'],
  ['comprehensive'],
  ['utc'],
];
/** Words before "school" or "college" that make it generic: "my old school", "secondary school". */
const genericSchoolWords = new Set([
  'old',
  'new',
  'secondary',
  'primary',
  'high',
  'grammar',
  'private',
  'state',
  'local',
  'boarding',
  'summer',
  'driving',
  'drama',
  'art',
  'dance',
  'medical',
  'law',
  'nursing',
  'film',
  'music',
  'sixth',
  'form',
  'further',
  'education',
  'another',
  'other',
  'different',
  'same',
  'good',
  'bad',
  'best',
  'big',
  'small',
  'current',
  'previous',
  'next',
  'nearest',
  'special',
  'catholic',
  'girls',
  'boys',
  'whole',
  'every',
  'year',
  'no',
  'mainstream',
  'alternative',
  'online',
  'home',
  'night',
  'evening',
  'weekend',
  'football',
  'sports',
  'language',
  'business',
  'beauty',
  'hair',
  'performing',
  'arts',
  'technical',
  'vocational',
  'independent',
  'free',
  'community',
  'local',
  'senior',
  'junior',
  'infant',
  'infants',
  'middle',
  'faith',
  'comprehensive',
  'specialist',
  'pupil',
  'referral',
  'unit',
  'pru',
  'ap',
  'college',
  'school',
  'uni',
  'university',
  'academy',
  'nice',
  'strict',
  'rubbish',
  'crap',
  'great',
  'top',
  'massive',
  'tiny',
  'first',
  'last',
  'open',
  'day',
  'fe',
  'sfc',
  'this',
  'that',
  'which',
  'what',
  'whose',
  'their',
  'his',
  'her',
  'our',
  'your',
  'my',
  'a',
  'an',
  'the',
  'at',
  'to',
  'in',
  'of',
  'from',
  'for',
  'and',
  'or',
  'go',
  'went',
  'going',
  'leave',
  'leaving',
  'left',
  'start',
  'starting',
  'change',
  'changing',
  'hate',
  'love',
  'like',
  'after',
  'before',
  'is',
  'was',
  'its',
  "it's",
  'in',
  'out',
  'stay',
  'staying',
  'apply',
  'applying',
  'applied',
  'miss',
  'call',
  'ring',
  'phone',
  'email',
  'contact',
  'visit',
  'tell',
  'mr',
  'mrs',
  'ms',
  'skip',
  'skipping',
  'bunk',
  'bunking',
  'hated',
  'loved',
  'mine',
  'ur',
  'mums',
  'dads',
  'brothers',
  'sisters',
]);
const schoolCues = [
  ['i', 'go', 'to'],
  ['goes', 'to'],
  ['i', 'went', 'to'],
  ['im', 'at'],
  ["i'm", 'at'],
  ['i', 'am', 'at'],
  ['attend'],
  ['attends'],
  ['attending'],
  ['school', 'is'],
  ['college', 'is'],
  ['form', 'is'],
  ['school', 'called'],
  ['college', 'called'],
  ['school', 'is', 'called'],
  ['transfer', 'to'],
  ['move', 'to'],
];
/** Places one "is at" without it being a school. */
const notSchools = new Set([
  'home',
  'work',
  'school',
  'college',
  'uni',
  'university',
  'sixth',
  'the',
  'a',
  'my',
  'an',
  'bed',
  'church',
  'mosque',
  'the',
  'gym',
  'tesco',
  'asda',
  'mcdonalds',
  'town',
  'hospital',
  'nans',
  'dads',
  'mums',
  'friends',
  'least',
  'all',
  'moment',
  'it',
  'that',
  'this',
  'risk',
  'times',
  'breaking',
  'point',
  'lunch',
  'break',
  'see',
  'be',
  'get',
  'do',
  'study',
  'apply',
  'an',
  'year',
  'work',
  'parties',
  'night',
  'weekends',
  'clubs',
  'training',
  'football',
  'practice',
  'cadets',
  'scouts',
  'youth',
  'end',
  'loss',
  'odds',
  'peace',
  'a',
]);

function schoolNames(text: string, tokens: readonly Token[]): PersonalSpan[] {
  const found: PersonalSpan[] = [];
  const push = (from: Token, to: Token): void => {
    found.push({
      start: from.start,
      end: to.end,
      kind: 'SCHOOL',
      value: text.slice(from.start, to.end),
      source: 'rule',
    });
  };
  tokens.forEach((token, index) => {
    // St Mary's, st marys, Saint Joseph's.
    if (
      (token.lower === 'st' || token.lower === 'st.' || token.lower === 'saint') &&
      isWord(tokens[index + 1])
    ) {
      const saint = tokens[index + 1];
      const raw = saint ? text.slice(saint.start, saint.end + 2) : '';
      const possessive =
        /^\p{L}+(?:['’]s)/u.test(raw) ||
        (saint !== undefined &&
          /s$/.test(saint.lower) &&
          isLexiconFirstName(saint.lower.slice(0, -1)));
      if (saint && possessive && !functionWords.has(saint.lower)) {
        const end = /['’]s/.test(text.slice(saint.end, saint.end + 2)) ? saint.end + 2 : saint.end;
        found.push({
          start: token.start,
          end,
          kind: 'SCHOOL',
          value: text.slice(token.start, end),
          source: 'rule',
        });
        return;
      }
    }
    // A name before a school word: Oakwood Academy, hillside high, Kings College.
    for (const suffix of schoolSuffixes) {
      if (!suffix.every((word, offset) => tokens[index + offset]?.lower === word)) continue;
      const last = tokens[index + suffix.length - 1];
      let first = index;
      while (first > 0 && index - first < 4) {
        const candidate = tokens[first - 1];
        if (
          !isWord(candidate) ||
          genericSchoolWords.has(candidate.lower) ||
          (mustStayWords.has(candidate.lower) && candidate.lower !== 'reading')
        )
          break;
        // In running lower-case text stop at words that read as verbs or adjectives.
        if (!isCapitalised(candidate) && !couldBeName(candidate.lower, { plural: true })) break;
        first -= 1;
      }
      const from = tokens[first];
      if (first < index && from && last) push(from, last);
      break;
    }
    // i go to kingsy, im at oakers, my school is st b's.
    if (cueEndsAt(tokens, index - 1, schoolCues) && isWord(token)) {
      if (
        notSchools.has(token.lower) ||
        genericSchoolWords.has(token.lower) ||
        mustStayWords.has(token.lower)
      )
        return;
      if (isPlaceName(token.lower) || (!couldBeName(token.lower) && !isCapitalised(token))) return;
      let last = token;
      for (let next = index + 1; next < index + 3; next += 1) {
        const candidate = tokens[next];
        if (
          !isWord(candidate) ||
          genericSchoolWords.has(candidate.lower) ||
          !couldBeName(candidate.lower)
        )
          break;
        last = candidate;
      }
      push(token, last);
    }
  });
  return found;
}

/** Names of people and schools in free text, from the rules and the library. */
export function findNamesAndSchools(text: string): PersonalSpan[] {
  const tokens = tokenise(text);
  return [...schoolNames(text, tokens), ...ruleNames(text, tokens), ...libraryNames(text, tokens)];
}
