// Search as you type over a real replica file: ranking, prefixes, stemming,
// snippets, filters, spelling correction, and any typed text as a valid query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  articleFixture,
  openReplica,
  pageOf,
  type OpenReplica,
} from '../../knowledge-base/testing';
import type { KnowledgeSearchAnswer, KnowledgeSearchQuery } from '../../shared/knowledge/article';

const articles = [
  articleFixture({
    id: 'bursary-fund',
    title: '16 to 19 Bursary Fund',
    summary:
      'Money from a school or college for students who need help with costs such as travel, books or meals.',
    body: 'Ask the student services office at the college. Vulnerable students can get up to 1,200 pounds a year.',
    topics: ['money'],
    audience: ['young-person', 'parent'],
  }),
  articleFixture({
    id: 'travel-costs',
    title: 'Help with travel to college',
    summary:
      'Local councils and colleges may help with transport; the bursary can also pay for travel.',
    body: 'Check the council transport policy statement for your area.',
    topics: ['money'],
    region: 'london',
  }),
  articleFixture({
    id: 'free-meals',
    title: 'Free meals in further education',
    summary: 'Students at college from low-income families can get a free meal each day.',
    body: 'Some colleges also use their bursary budget to pay for lunches on placement days.',
    topics: ['money'],
    audience: ['parent'],
  }),
  articleFixture({
    id: 'apprenticeship-levels',
    title: 'Apprenticeship levels explained',
    summary: 'An apprenticeship can be at level 2, 3, 4 and 5, or a degree at level 6 and 7.',
    body: 'Every apprenticeship includes off-the-job training. Search for vacancies on the government service.',
    topics: ['apprenticeships', 'qualifications'],
  }),
  articleFixture({
    id: 'university-finance',
    title: 'Student finance for university',
    summary: 'Tuition fee loans and maintenance loans, and how repayment works after graduation.',
    body: 'Universities also offer their own scholarships. Apply through Student Finance England.',
    topics: ['university', 'money'],
    audience: ['young-person', 'parent', 'professional'],
  }),
  articleFixture({
    id: 'young-carers-service',
    title: 'Young carers support service',
    summary: 'A national helpline for young people who look after someone at home.',
    body: 'Open in the evenings; the adviser can refer a caller with their agreement.',
    topics: ['support'],
    kind: 'service',
    contact: { phone: '0300 000 0000' },
    openingHours: 'Monday to Friday 5pm to 9pm',
    reviewBy: '2026-01-31',
    lastReviewed: '2025-06-01',
  }),
  articleFixture({
    id: 'cafe-work',
    title: 'Working in a café at 15',
    summary: 'The rules on hours for under-16s in part-time jobs during term time and holidays.',
    body: 'A child cannot work more than 12 hours a week in term time.',
    topics: ['rules'],
  }),
];

let folder: string;
let desk: OpenReplica;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'knowledge-search-'));
  desk = openReplica(join(folder, 'desk.sqlite'), { now: () => new Date('2026-11-23T10:00:00Z') });
  const applied = desk.replica.applyPage(pageOf(articles));
  if (!applied.ok) throw new Error(applied.error.message);
});

afterAll(() => {
  desk.close();
  rmSync(folder, { recursive: true, force: true });
});

function answer(query: KnowledgeSearchQuery | string): KnowledgeSearchAnswer {
  const outcome = desk.search.search(typeof query === 'string' ? { text: query } : query);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value;
}

const ids = (query: KnowledgeSearchQuery | string): string[] =>
  answer(query).results.map((hit) => hit.id);

describe('ranking', () => {
  it('puts a title match above a summary match above a body match', () => {
    expect(ids('bursary ')).toEqual(['bursary-fund', 'travel-costs', 'free-meals']);
  });

  it('scores higher-is-better, in order', () => {
    const scores = answer('bursary ').results.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});

describe('typing', () => {
  it('matches the word still being typed as a prefix, from two letters', () => {
    expect(ids('ap')).toContain('apprenticeship-levels');
    expect(ids('appren')[0]).toBe('apprenticeship-levels');
    expect(ids('student fin')[0]).toBe('university-finance');
  });

  it('treats a finished word as whole: "bursary " does not match "bursaries" by prefix alone', () => {
    expect(ids('meal ')).toEqual(['free-meals', 'bursary-fund']);
  });

  it('finds a word whose stem is shorter than what has been typed ("universi" -> university)', () => {
    expect(ids('universi')).toContain('university-finance');
  });

  it('stems: "apprenticeships" finds "apprenticeship", "loan" finds "loans"', () => {
    expect(ids('apprenticeships ')).toEqual(['apprenticeship-levels']);
    expect(ids('loan ')).toEqual(['university-finance']);
  });

  it('ignores accents as the index does: "cafe" finds "café"', () => {
    expect(ids('cafe ')).toEqual(['cafe-work']);
  });

  it('keeps stop words out of the search but counts them towards a title match', () => {
    expect(ids('help with travel')[0]).toBe('travel-costs');
    expect(answer('help with travel').searchedFor).toBeNull();
  });

  it('falls back to articles with any of the words when none has them all', () => {
    expect(ids('bursary astronaut ')).toEqual(['bursary-fund', 'travel-costs', 'free-meals']);
  });
});

describe('a word being typed that most articles contain', () => {
  let other: OpenReplica;
  beforeAll(() => {
    other = openReplica(join(folder, 'common-words.sqlite'));
    const filler = ['one', 'two', 'three'].map((name) =>
      articleFixture({
        id: `filler-${name}`,
        title: `Filler ${name}`,
        body: 'Then there is the rest.',
      }),
    );
    other.replica.applyPage(
      pageOf([
        articleFixture({
          id: 'zebra-care',
          title: 'Zebra care',
          body: 'The zoo keeps the zebras.',
        }),
        articleFixture({
          id: 'zebra-crossing',
          title: 'Zebra crossing',
          summary: 'Black and white stripes.',
          body: 'Stripes on roads.',
        }),
        ...filler,
      ]),
    );
  });
  afterAll(() => other.close());

  const found = (text: string) => {
    const outcome = other.search.search({ text });
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value.results.map((hit) => hit.id).sort();
  };

  it('does not narrow the body match beside other words', () => {
    // "th" stands for "the", in four articles of five: "zebra th" is still about zebras.
    expect(found('zebra th')).toEqual(['zebra-care', 'zebra-crossing']);
  });

  it('narrows it once its completions are no longer common', () => {
    expect(found('zebra zo')).toEqual(['zebra-care']);
  });
});

describe('snippets', () => {
  it('mark the matched words in the summary, as data', () => {
    const [hit] = answer('travel ').results.filter((found) => found.id === 'bursary-fund');
    expect(hit?.snippet.map((segment) => segment.text).join('')).toBe(articles[0]!.summary);
    expect(hit?.snippet.filter((segment) => segment.match).map((segment) => segment.text)).toEqual([
      'travel',
    ]);
    expect(hit?.titleHighlighted).toEqual([{ text: '16 to 19 Bursary Fund', match: false }]);
  });

  it('mark the typed prefix and stemmed forms', () => {
    const [hit] = answer('apprenticeships ').results;
    expect(hit?.titleHighlighted).toEqual([
      { text: 'Apprenticeship', match: true },
      { text: ' levels explained', match: false },
    ]);
  });

  it('show a passage of the body when only the body matched', () => {
    const [hit] = answer('vacancies ').results;
    expect(hit?.id).toBe('apprenticeship-levels');
    expect(hit?.snippet.filter((segment) => segment.match).map((segment) => segment.text)).toEqual([
      'vacancies',
    ]);
  });
});

describe('filters', () => {
  it('narrow by topic, audience, region and kind', () => {
    expect(ids({ text: 'college', filters: { topics: ['rules'] } })).toEqual([]);
    expect(ids({ text: 'students', filters: { audience: ['professional'] } })).toEqual([
      'university-finance',
    ]);
    expect(ids({ text: 'bursary ', filters: { regions: ['london'] } })).toEqual(['travel-costs']);
    expect(ids({ text: 'young', filters: { kinds: ['service'] } })).toEqual([
      'young-carers-service',
    ]);
  });

  it('report each hit with its kind, region, topics and review state', () => {
    const [hit] = answer('carers').results;
    expect(hit).toMatchObject({
      id: 'young-carers-service',
      kind: 'service',
      region: 'national',
      topics: ['support'],
      reviewBy: '2026-01-31',
      reviewState: 'overdue',
    });
    expect(answer('bursary').results[0]?.reviewState).toBe('current');
  });
});

describe('misspellings', () => {
  it.each([
    ['burasry ', 'bursary', 'bursary-fund'],
    ['aprenticeship ', 'apprenticeship', 'apprenticeship-levels'],
    ['universty ', 'university', 'university-finance'],
    ['bursray fund ', 'bursary fund', 'bursary-fund'],
  ])('"%s" searches for "%s" instead', (typed, searchedFor, expected) => {
    const found = answer(typed);
    expect(found.searchedFor).toBe(searchedFor);
    expect(found.results[0]?.id).toBe(expected);
  });

  it('corrects the word still being typed against the starts of known words', () => {
    const found = answer('aprent');
    expect(found.corrections).toEqual([{ typed: 'aprent', searched: 'apprent' }]);
    expect(found.results[0]?.id).toBe('apprenticeship-levels');
  });

  it('leaves correct words and numbers alone', () => {
    expect(answer('bursary 16').searchedFor).toBeNull();
    expect(answer('1200').corrections).toEqual([]);
  });

  it('does not invent a correction for a word nowhere near the vocabulary', () => {
    expect(answer('xylophone ')).toEqual({ results: [], searchedFor: null, corrections: [] });
  });
});

describe('any typed text is a valid query', () => {
  it.each([
    '"bursary',
    'bursary*',
    '-travel',
    'bursary AND OR NOT',
    'NEAR(bursary travel, 2)',
    '(((travel',
    "don't",
    'title:bursary',
    '{title} : bursary',
    '^bursary',
    'bursary + travel',
    '🎓 bursary 🚌',
    '   ',
    '',
    'x'.repeat(5_000),
    'bursary '.repeat(700),
  ])('%j answers without an error', (text) => {
    const outcome = desk.search.search({ text });
    expect(outcome.ok).toBe(true);
  });

  it('still finds the words inside operators and punctuation', () => {
    expect(ids('NEAR("bursary" AND fund*)')[0]).toBe('bursary-fund');
    expect(ids('"travel"')).toContain('travel-costs');
  });

  it('answers an invalid request with an envelope, not an exception', () => {
    expect(desk.search.search('bursary')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(desk.search.search({ text: 'bursary', limit: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('never throws and always returns a list, for generated text of every kind', () => {
    const syntax = fc.constantFrom(
      'AND',
      'OR',
      'NOT',
      'NEAR',
      'NEAR(',
      '(',
      ')',
      '"',
      "'",
      '*',
      '-',
      '+',
      '^',
      ':',
      '{',
      '}',
      '[',
      ']',
      '\\',
      '/',
      ',',
      '.',
      '🎓',
      '👩🏽‍🎓',
      '\u0000',
      '\uE000',
      '\uE001',
      'é',
      'İ',
      'ß',
      'bursary',
      'appren',
      'tr',
    );
    const typed = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(syntax, { maxLength: 30 }).map((parts) => parts.join('')),
      fc
        .array(fc.oneof(syntax, fc.string({ maxLength: 8 })), { maxLength: 30 })
        .map((parts) => parts.join(' ')),
      fc.string({ minLength: 4_000, maxLength: 6_000 }),
    );
    fc.assert(
      fc.property(typed, (text) => {
        const outcome = desk.search.search({ text });
        return outcome.ok && Array.isArray(outcome.value.results);
      }),
      { numRuns: 400 },
    );
  });
});

describe('a query that matches more articles than are worth ranking by body', () => {
  let crowd: OpenReplica;
  let crowdFolder: string;

  beforeAll(() => {
    crowdFolder = mkdtempSync(join(tmpdir(), 'knowledge-crowd-'));
    crowd = openReplica(join(crowdFolder, 'desk.sqlite'));
    // 1,700 articles mention careers in the body; three have it in the title.
    const many = Array.from({ length: 1_700 }, (_, index) =>
      articleFixture({
        id: `local-news-${index + 1}`,
        title: `Local news ${index + 1}`,
        body: `Careers events this term, number ${index + 1}.`,
        topics: ['routes'],
        region: index % 2 === 0 ? 'london' : 'north-east',
      }),
    );
    const titled = ['careers-fairs', 'careers-in-space', 'careers-advice-at-school'].map((id) =>
      articleFixture({
        id,
        title: id.replace(/-/g, ' '),
        body: 'Careers guidance.',
        region: 'london',
      }),
    );
    const applied = crowd.replica.applyPage(pageOf([...titled, ...many]));
    if (!applied.ok) throw new Error(applied.error.message);
  });

  afterAll(() => {
    crowd.close();
    rmSync(crowdFolder, { recursive: true, force: true });
  });

  const crowdIds = (query: KnowledgeSearchQuery) => {
    const outcome = crowd.search.search(query);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value.results.map((hit) => hit.id);
  };

  it('answers from titles first, then fills with the most recent body matches', () => {
    const found = crowdIds({ text: 'ca', limit: 5 });
    expect(found.slice(0, 3).sort()).toEqual([
      'careers-advice-at-school',
      'careers-fairs',
      'careers-in-space',
    ]);
    expect(found.slice(3)).toEqual(['local-news-1700', 'local-news-1699']);
  });

  it('applies filters on that path too', () => {
    const found = crowdIds({ text: 'careers ', limit: 5, filters: { regions: ['north-east'] } });
    expect(found).toHaveLength(5);
    expect(
      found.every((id) => id.startsWith('local-news-') && Number(id.split('-')[2]) % 2 === 0),
    ).toBe(true);
  });

  it('answers a single letter from titles alone', () => {
    expect(crowdIds({ text: 'c', limit: 10 }).sort()).toEqual([
      'careers-advice-at-school',
      'careers-fairs',
      'careers-in-space',
    ]);
  });
});
