// An article's id made from its title, so an author never has to invent one:
// lower case, accents off, "&" as "and", apostrophes dropped ("King's" is
// "kings"), every other run of non-letters a single hyphen, cut at a word
// boundary to fit. The result always passes articleIdSchema, or is empty for
// a title with no letters or digits.
import { articleIdSchema } from './article';

/** Long enough to say what the article is about, short enough to read in a list. */
export const madeIdMaxLength = 80;

export function articleIdFromTitle(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  let id = '';
  for (const word of words) {
    const next = id === '' ? word : `${id}-${word}`;
    if (next.length > madeIdMaxLength) break;
    id = next;
  }
  // A first word longer than the limit on its own is cut rather than lost.
  if (id === '' && words[0]) id = words[0].slice(0, madeIdMaxLength);
  return articleIdSchema.safeParse(id).success ? id : '';
}

/**
 * The made id, or the first of `<id>-2`, `<id>-3`... that `isTaken` says is
 * free; null when the title makes no id or nothing up to `-99` is free.
 */
export async function freeArticleId(
  title: string,
  isTaken: (id: string) => Promise<boolean>,
): Promise<string | null> {
  const base = articleIdFromTitle(title);
  if (base === '') return null;
  for (let suffix = 1; suffix < 100; suffix += 1) {
    const candidate =
      suffix === 1 ? base : `${base.slice(0, madeIdMaxLength - 3).replace(/-$/, '')}-${suffix}`;
    if (!(await isTaken(candidate))) return candidate;
  }
  return null;
}
