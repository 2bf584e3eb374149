// The spelling corrector corrects only words that are not words of the index,
// and only as far as a typo reaches: a real word the index lacks ("liable") is
// searched as typed, never turned into a different word ("little").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctionEditLimit } from '../../knowledge-base/search';
import { articleFixture, replicaHolding, type OpenReplica } from '../../knowledge-base/testing';
import type { KnowledgeSearchAnswer } from '../../shared/knowledge/article';

const articles = [
  articleFixture({
    id: 'little-and-often',
    title: 'A little and often: revision habits',
    summary: 'Short revision sessions, a little every day, work better than cramming.',
    body: 'Set a timer and take a break between subjects.',
  }),
  articleFixture({
    id: 'domestic-abuse-helpline',
    title: 'Domestic abuse helpline',
    summary: 'Support for anyone experiencing abuse at home, and for people worried about them.',
    body: 'The helpline can talk through safety planning.',
    kind: 'service',
    contact: { phone: '0808 000 0000' },
  }),
  articleFixture({
    id: 'veterinary-careers',
    title: 'Veterinary careers',
    summary:
      'Becoming a vet or a veterinary nurse, and the solicitor-style paperwork of a practice.',
    body: 'Vet schools look for animal experience.',
  }),
  articleFixture({
    id: 'set-up-a-bank-account',
    title: 'Set up a bank account',
    summary: 'What a young person needs to open a bank account at 16.',
    body: 'Bring proof of identity and address.',
  }),
];

let desk: OpenReplica;

beforeAll(() => {
  desk = replicaHolding('knowledge-corrections', articles);
});

afterAll(() => {
  desk.close();
});

function answer(text: string): KnowledgeSearchAnswer {
  const outcome = desk.search.search({ text });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value;
}

describe('how far a correction may reach', () => {
  it.each([
    ['sen', 0],
    ['nhs', 0],
    ['debt', 1],
    ['liable', 1],
    ['plumer', 1],
    ['vetinary', 2],
    ['solicter', 2],
  ])('"%s": %i edits', (word, edits) => {
    expect(correctionEditLimit(word)).toBe(edits);
  });
});

describe('a real word the index does not hold', () => {
  it('is searched as typed, not turned into another word two letters away ("liable" is not "little")', () => {
    for (const typed of ['liable', 'liable ', 'is a parent liable ']) {
      const found = answer(typed);
      expect(found.corrections).toEqual([]);
      expect(found.searchedFor).toBeNull();
    }
  });

  it('of three letters is never corrected ("sen" is not "set")', () => {
    expect(answer('sen ').corrections).toEqual([]);
    expect(answer('sen').corrections).toEqual([]);
  });
});

describe('a typo', () => {
  it.each([
    ['abuce ', 'abuse'],
    ['veterinery ', 'veterinary'],
    ['vetinary ', 'veterinary'],
    ['helpine ', 'helpline'],
  ])('"%s" is corrected to "%s"', (typed, searched) => {
    expect(answer(typed).corrections).toEqual([{ typed: typed.trim(), searched }]);
  });
});

describe('a word of the index', () => {
  it('is never corrected, finished or being typed, as it is held or by its stem', () => {
    // "abusers" and "experienced" are not in any article as typed, but the index holds them by
    // their stems ("abus", "experienc"): before, the word being typed counted only as a start of a
    // held word, so "abusers" became "abuse" at best and another word at worst.
    for (const typed of ['abuse', 'abusers', 'experienced', 'helplines', 'little', 'revision']) {
      expect(answer(typed).corrections).toEqual([]);
      expect(answer(`${typed} `).corrections).toEqual([]);
    }
    expect(answer('abusers').results.map((hit) => hit.id)).toEqual(['domestic-abuse-helpline']);
  });
});
