// Anything a person can type or paste is a valid query, checked as a property
// over generated text against the real starter articles: quotes, stars,
// hyphens, FTS5 operators (AND, OR, NOT, NEAR), brackets, apostrophes, emoji,
// control characters, lone surrogates and 5,000-character pastes, with any
// filters and limit. The search never throws, always answers ok, and every
// answer is well formed: it parses with the wire schema, holds each article
// once, no more than asked for, only articles the filters allow, and marks
// text that is the article's own, never the query's.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticleFolder } from '../../knowledge-base/articles';
import { replicaHolding, type OpenReplica } from '../../knowledge-base/testing';
import {
  knowledgeAudiences,
  knowledgeKinds,
  knowledgeRegions,
  knowledgeSearchAnswerSchema,
  knowledgeTopics,
  type ArticleContent,
  type KnowledgeSearchFilters,
} from '../../shared/knowledge/article';

const starter: ArticleContent[] = loadArticleFolder();
const byId = new Map(starter.map((article) => [article.id, article]));
let desk: OpenReplica;

beforeAll(() => {
  desk = replicaHolding('knowledge-hostile', starter, {
    now: () => new Date('2026-11-29T12:00:00Z'),
  });
});

afterAll(() => {
  desk?.close();
});

/** Pieces of text that mean something to FTS5, to SQL, to a tokenizer or to UTF-16. */
const awkward = fc.constantFrom(
  '"',
  '""',
  "'",
  '’',
  '*',
  '-',
  '--',
  '+',
  '^',
  ':',
  'title:',
  'body:',
  '{title summary}:',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  'AND',
  'OR',
  'NOT',
  'NEAR',
  'NEAR(',
  'NEAR/2',
  'and',
  'near',
  ',',
  ';',
  '%',
  '_',
  '\\',
  "'; DROP TABLE knowledge_articles; --",
  '🎓',
  '👩🏽‍🎓',
  '🏳️‍🌈',
  '\u200d',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  'e\u0301',
  'İ',
  'ß',
  'ﬁ',
  '\u0000',
  '\u0007',
  '\t',
  '\n',
  '\r',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  'apprent',
  'aprenticeship',
  'bursary',
  'nurse',
  "don't",
  'A-level',
  'T levels',
  'hgv',
  'x',
);

const controlCharacter = fc
  .integer({ min: 0, max: 0x9f })
  .filter((code) => code < 0x20 || code >= 0x7f)
  .map((code) => String.fromCharCode(code));
const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((code) => String.fromCharCode(code));

const typed = fc.oneof(
  fc.array(awkward, { maxLength: 40 }).map((parts) => parts.join('')),
  fc.array(awkward, { maxLength: 40 }).map((parts) => parts.join(' ')),
  fc
    .array(fc.oneof(awkward, controlCharacter, loneSurrogate, fc.string({ maxLength: 6 })), {
      maxLength: 30,
    })
    .map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  // A paste of about 5,000 characters, of words and of noise.
  fc
    .array(awkward, { minLength: 900, maxLength: 1_400 })
    .map((parts) => parts.join(' ').slice(0, 5_000)),
  fc.string({ unit: 'binary', minLength: 4_500, maxLength: 5_500 }),
);

const filters: fc.Arbitrary<KnowledgeSearchFilters> = fc.record(
  {
    topics: fc.subarray([...knowledgeTopics]),
    audience: fc.subarray([...knowledgeAudiences]),
    regions: fc.subarray([...knowledgeRegions]),
    kinds: fc.subarray([...knowledgeKinds]),
  },
  { requiredKeys: [] },
);

function allows(filter: KnowledgeSearchFilters, article: ArticleContent): boolean {
  const within = <T>(chosen: readonly T[] | undefined, values: readonly T[]) =>
    !chosen || chosen.length === 0 || values.some((value) => chosen.includes(value));
  return (
    within(filter.topics, article.topics) &&
    within(filter.audience, article.audience) &&
    within(filter.regions, [article.region]) &&
    within(filter.kinds, [article.kind])
  );
}

describe('hostile and accidental queries', () => {
  it('never throw, always answer ok, and answer well-formed results', () => {
    fc.assert(
      fc.property(typed, filters, fc.integer({ min: 1, max: 50 }), (text, filter, limit) => {
        const outcome = desk.search.search({ text, filters: filter, limit });
        expect(outcome.ok).toBe(true);
        if (!outcome.ok) return;
        const answer = knowledgeSearchAnswerSchema.parse(outcome.value);
        expect(answer.results.length).toBeLessThanOrEqual(limit);
        expect(new Set(answer.results.map((hit) => hit.id)).size).toBe(answer.results.length);
        for (const hit of answer.results) {
          const article = byId.get(hit.id);
          expect(article).toBeDefined();
          if (!article) continue;
          expect(allows(filter, article)).toBe(true);
          expect(hit.title).toBe(article.title);
          // The highlighted title is the title, cut into runs: nothing added, nothing lost.
          expect(hit.titleHighlighted.map((run) => run.text).join('')).toBe(article.title);
          expect(Number.isFinite(hit.score)).toBe(true);
        }
        for (const correction of answer.corrections) {
          // A correction is a word from the articles' vocabulary, never a piece of syntax.
          expect(correction.searched).toMatch(/^[\p{L}\p{N}]+$/u);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers every prefix of a hostile paste as it is typed, one character at a time', () => {
    const paste = `NEAR("apprent* AND (T-level OR 'bursary') 🎓\u0000\ud800 -nurse ^title:hgv`;
    let answeredWithResults = 0;
    for (let end = 0; end <= paste.length; end += 1) {
      const outcome = desk.search.search({ text: paste.slice(0, end) });
      expect(outcome.ok).toBe(true);
      if (outcome.ok && outcome.value.results.length > 0) answeredWithResults += 1;
    }
    // The words inside the syntax are still searched for: most prefixes find something.
    expect(answeredWithResults).toBeGreaterThan(paste.length / 2);
  });
});
