// What a reviewer compares before deciding on a draft: the front matter field
// by field and the body as a line diff. For a draft in conflict, three copies:
// the one the author started from, the one published since, and the author's.
import type { ArticleContent } from '../../../shared/knowledge/article';
import { frontMatterWords } from './article-form';
import { diffLines, type DiffLine } from './line-diff';

export interface ComparedCopy {
  label: string;
  content: ArticleContent | null;
}

const linePrefix: Record<DiffLine['kind'], string> = { same: '  ', removed: '− ', added: '+ ' };
const lineWords: Record<DiffLine['kind'], string> = {
  same: 'unchanged',
  removed: 'removed',
  added: 'added',
};

export function BodyDiff({
  label,
  before,
  after,
}: {
  label: string;
  before: string;
  after: string;
}) {
  const lines = diffLines(before, after);
  const changed = lines.filter((line) => line.kind !== 'same').length;
  return (
    <figure className="draft-diff">
      <figcaption>
        {label}: {changed === 0 ? 'no lines changed' : `${changed} lines changed`}
      </figcaption>
      <ol className="draft-diff__lines" aria-label={label}>
        {lines.map((line, index) => (
          <li
            // Lines repeat (blank lines above all), so position is part of the key.
            key={`${index}-${line.kind}`}
            className={`draft-diff__line draft-diff__line--${line.kind}`}
          >
            <span className="visually-hidden">{lineWords[line.kind]}: </span>
            <span aria-hidden="true">{linePrefix[line.kind]}</span>
            {line.text || ' '}
          </li>
        ))}
      </ol>
    </figure>
  );
}

/**
 * The front matter of two or three copies in one table, rows that differ
 * marked, then the body: how each later copy differs from the first, and with
 * three, how the last differs from the second.
 */
export function DraftComparison({ copies }: { copies: readonly ComparedCopy[] }) {
  const present = copies.filter(
    (copy): copy is { label: string; content: ArticleContent } => copy.content !== null,
  );
  const [first, ...later] = present;
  if (!first) return null;
  const words = present.map((copy) => frontMatterWords(copy.content));
  const rows = words[0]?.map((field, index) => ({
    label: field.label,
    values: words.map((copy) => copy[index]?.value ?? ''),
  }));
  return (
    <div className="draft-comparison">
      <table className="draft-comparison__fields">
        <caption>Front matter, field by field</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            {present.map((copy) => (
              <th scope="col" key={copy.label}>
                {copy.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows?.map((row) => {
            const differs = row.values.some((value) => value !== row.values[0]);
            return (
              <tr
                key={row.label}
                className={differs ? 'draft-comparison__row--changed' : undefined}
              >
                <th scope="row">
                  {row.label}
                  {differs && <span className="draft-comparison__changed"> (changed)</span>}
                </th>
                {row.values.map((value, index) => (
                  <td key={present[index]?.label ?? index}>{value || '—'}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {later.map((copy) => (
        <BodyDiff
          key={copy.label}
          label={`Body: ${first.label.toLowerCase()} to ${copy.label.toLowerCase()}`}
          before={first.content.body}
          after={copy.content.body}
        />
      ))}
      {/* With three copies, what approving would change in what is published now. */}
      {present.length === 3 && present[1] && present[2] && (
        <BodyDiff
          label={`Body: ${present[1].label.toLowerCase()} to ${present[2].label.toLowerCase()}`}
          before={present[1].content.body}
          after={present[2].content.body}
        />
      )}
    </div>
  );
}
