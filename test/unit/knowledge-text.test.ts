// Words as the knowledge index sees them, and the edit distance behind spelling correction.
import { describe, expect, it } from 'vitest';
import { editDistance, fold, typedWords, wordsOf } from '../../knowledge-base/text';

describe('fold and wordsOf', () => {
  it('lower-case and strip accents as the index tokenizer does', () => {
    expect(fold('Café NAÏVE Résumé')).toBe('cafe naive resume');
    expect(wordsOf("Don't miss the 16-19 Bursary: café!")).toEqual([
      'don',
      'miss',
      'the',
      '16',
      '19',
      'bursary',
      'cafe',
    ]);
  });

  it('leave out one-letter pieces and runs too long to be words', () => {
    expect(wordsOf(`a b ${'x'.repeat(41)} ok`)).toEqual(['ok']);
  });
});

describe('typedWords', () => {
  it('treats the last word as still being typed unless a space or punctuation follows', () => {
    expect(typedWords('student fin', 12)).toEqual({
      words: ['student', 'fin'],
      lastIsPartial: true,
    });
    expect(typedWords('student finance ', 12)).toEqual({
      words: ['student', 'finance'],
      lastIsPartial: false,
    });
    expect(typedWords('"nursing"', 12)).toEqual({ words: ['nursing'], lastIsPartial: false });
    expect(typedWords('🎓 ', 12)).toEqual({ words: [], lastIsPartial: false });
  });

  it('keeps only the first words of a long paste', () => {
    expect(typedWords('one two three four', 2)).toEqual({
      words: ['one', 'two'],
      lastIsPartial: false,
    });
  });
});

describe('editDistance', () => {
  it('counts a letter wrong, missing, added or two swapped as one edit', () => {
    expect(editDistance('bursary', 'bursery', 2)).toBe(1);
    expect(editDistance('bursary', 'bursry', 2)).toBe(1);
    expect(editDistance('bursary', 'burssary', 2)).toBe(1);
    expect(editDistance('bursary', 'bursray', 2)).toBe(1);
    expect(editDistance('bursary', 'bursary', 2)).toBe(0);
  });

  it('gives up above the limit', () => {
    expect(editDistance('veterinary', 'vetinary', 2)).toBe(2);
    expect(editDistance('nursing', 'plumber', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });
});
