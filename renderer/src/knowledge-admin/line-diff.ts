// A line diff for the reviewer: which lines of an article's Markdown body were
// kept, removed or added between two copies. Longest common subsequence over
// the lines between a shared start and end, which is all a reviewer needs; no
// React here, so it is tested on its own.

export type DiffLine =
  | { kind: 'same'; text: string }
  | { kind: 'removed'; text: string }
  | { kind: 'added'; text: string };

/**
 * Above this many cells (lines before x lines after, once the shared start and
 * end are set aside) the middle is shown as removed then added rather than
 * aligned: an article is at most 100,000 characters, and a table this size is
 * a few megabytes, where a whole rewrite would need hundreds.
 */
export const maxAlignedCells = 4_000_000;

export function splitLines(text: string): string[] {
  return text === '' ? [] : text.replace(/\r\n?/g, '\n').split('\n');
}

export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const same = (text: string): DiffLine => ({ kind: 'same', text });
  const head = a.slice(0, start).map(same);
  const tail = a.slice(endA).map(same);
  return [...head, ...alignMiddle(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function alignMiddle(a: string[], b: string[]): DiffLine[] {
  const removed = (text: string): DiffLine => ({ kind: 'removed', text });
  const added = (text: string): DiffLine => ({ kind: 'added', text });
  if (a.length === 0 || b.length === 0 || a.length * b.length > maxAlignedCells) {
    return [...a.map(removed), ...b.map(added)];
  }
  // lengths[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lineA = a[i] ?? '';
    const lineB = b[j] ?? '';
    if (lineA === lineB) {
      lines.push({ kind: 'same', text: lineA });
      i += 1;
      j += 1;
    } else if ((lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0)) {
      // Removals before additions where either would do, as reviewers read a change.
      lines.push(removed(lineA));
      i += 1;
    } else {
      lines.push(added(lineB));
      j += 1;
    }
  }
  for (; i < a.length; i += 1) lines.push(removed(a[i] ?? ''));
  for (; j < b.length; j += 1) lines.push(added(b[j] ?? ''));
  return lines;
}

/** The text each side held, read back from a diff: what a property test checks. */
export function sidesOf(lines: readonly DiffLine[]): { before: string[]; after: string[] } {
  return {
    before: lines.filter((line) => line.kind !== 'added').map((line) => line.text),
    after: lines.filter((line) => line.kind !== 'removed').map((line) => line.text),
  };
}
