// Words as the knowledge index sees them: folded like FTS5's unicode61 tokenizer
// with remove_diacritics 2 (lower case, accents off, letters and digits only),
// and the edit distance used to correct a misspelt word against the vocabulary.

const wordPattern = /[\p{L}\p{N}]+/gu;

/** Printable ASCII and ordinary white space: the common case, folded without normalising. */
const notPlainAscii = /[^\t\n\r\x20-\x7e]/;
const isPlainAscii = (text: string): boolean => !notPlainAscii.test(text);
const asciiSeparators = /[^a-z0-9]+/;

/** Lower case without accents, as the index stores words ("Café" -> "cafe"). */
export function fold(text: string): string {
  // Most articles are plain ASCII, and normalising 3 KB costs more than indexing it.
  if (isPlainAscii(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** Longest word kept in the vocabulary: longer runs are links or codes, not words anyone types. */
export const longestWord = 40;

/** Every word in the text, in order, repeats included. */
export function wordsOf(text: string): string[] {
  // split() on ASCII text is several times faster than matchAll, and a first sync reads 250 MB.
  const pieces = isPlainAscii(text)
    ? text.toLowerCase().split(asciiSeparators)
    : fold(text).match(wordPattern);
  return (pieces ?? []).filter((word) => word.length >= 2 && word.length <= longestWord);
}

export interface TypedWords {
  /** Folded words in the order typed; one-letter words included. */
  words: string[];
  /** True when the last word is still being typed: the text does not end in a space or punctuation. */
  lastIsPartial: boolean;
}

/** Splits what an adviser typed into words. Everything that is not a letter or digit is a separator. */
export function typedWords(text: string, maxWords: number): TypedWords {
  const folded = fold(text);
  const words: string[] = [];
  let lastEnd = -1;
  for (const match of folded.matchAll(wordPattern)) {
    if (words.length === maxWords) break;
    words.push(match[0].slice(0, longestWord));
    lastEnd = match.index + match[0].length;
  }
  return { words, lastIsPartial: words.length > 0 && lastEnd === folded.length };
}

/**
 * Optimal-string-alignment distance (Damerau-Levenshtein where a swap of two
 * neighbouring letters counts as one edit), giving up above `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    let rowBest = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowBest) rowBest = value;
    }
    if (rowBest > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}
