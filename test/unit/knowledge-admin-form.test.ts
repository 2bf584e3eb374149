// The article form's rules and the reviewer's line diff, without React: every
// starter article survives the form unchanged, each problem lands on the field
// that fixes it, and the diff always reads back as both copies, aligning as
// many lines as the longest common subsequence allows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadArticleFolder } from '../../knowledge-base/articles';
import type { ArticleContent } from '../../shared/knowledge/article';
import {
  blankArticleForm,
  checkArticleForm,
  errorsFromResult,
  formFromArticle,
  yearsAfter,
} from '../../renderer/src/knowledge-admin/article-form';
import { diffLines, maxAlignedCells, sidesOf } from '../../renderer/src/knowledge-admin/line-diff';

const starter: ArticleContent[] = loadArticleFolder();

function validForm() {
  return {
    ...blankArticleForm('2026-11-29'),
    id: 'wedding-planner-routes',
    title: 'Becoming a wedding planner',
    summary: 'Routes into event and wedding planning, from college to running your own business.',
    topics: ['careers' as const],
    sources:
      'National Careers Service | https://nationalcareers.service.gov.uk/job-profiles/event-manager',
    body: '## Routes\n\nA level 3 events course or an apprenticeship in events.',
  };
}

describe('the article form', () => {
  it('gives back every starter article exactly as it was', () => {
    expect(starter.length).toBeGreaterThan(100);
    for (const article of starter) {
      const checked = checkArticleForm(formFromArticle(article));
      expect(checked).toEqual({ ok: true, content: article });
    }
  });

  it('accepts a complete new article and starts it due for review a year on', () => {
    const blank = blankArticleForm('2026-11-29');
    expect(blank.reviewBy).toBe('2027-11-29');
    expect(yearsAfter('2028-02-29', 1)).toBe('2029-03-01');
    const checked = checkArticleForm(validForm());
    expect(checked).toMatchObject({
      ok: true,
      content: { id: 'wedding-planner-routes', region: 'national', kind: 'guide' },
    });
    // Blank optional fields are left out, not sent empty.
    if (checked.ok) expect(Object.keys(checked.content)).not.toContain('contact');
  });

  it('puts each problem of a blank form on its field', () => {
    const checked = checkArticleForm(blankArticleForm('2026-11-29'));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(Object.keys(checked.errors).sort()).toEqual(
      ['body', 'id', 'sources', 'summary', 'title', 'topics'].sort(),
    );
  });

  it('names the line of a bad source and the field of a broken rule', () => {
    const badSource = checkArticleForm({
      ...validForm(),
      sources: 'GOV.UK | https://www.gov.uk/\nA leaflet | not a link',
    });
    expect(badSource).toMatchObject({ ok: false, errors: { sources: /^line 2: the link / } });

    const serviceWithoutContact = checkArticleForm({ ...validForm(), kind: 'service' });
    expect(serviceWithoutContact).toMatchObject({
      ok: false,
      errors: { contact: 'a service needs contact details' },
    });
    const withPhone = checkArticleForm({ ...validForm(), kind: 'service', phone: '0800 100 900' });
    expect(withPhone).toMatchObject({ ok: true, content: { contact: { phone: '0800 100 900' } } });

    const reviewBeforeWritten = checkArticleForm({ ...validForm(), reviewBy: '2026-01-01' });
    expect(reviewBeforeWritten).toMatchObject({ ok: false, errors: { reviewBy: /after/ } });

    const badEmail = checkArticleForm({ ...validForm(), kind: 'service', email: 'nobody' });
    expect(badEmail).toMatchObject({ ok: false, errors: { email: expect.any(String) } });

    const badId = checkArticleForm({ ...validForm(), id: 'Wedding Planner' });
    expect(badId).toMatchObject({ ok: false, errors: { id: /slug/ } });
  });

  it('places problems the desk or server named on the same fields', () => {
    expect(
      errorsFromResult({
        code: 'conflict',
        message: 'An article with this id is already published',
        issues: [
          { path: 'content.id', message: 'this id is taken' },
          { path: 'content.sources.2.url', message: 'Invalid URL' },
          { path: 'content.contact.website', message: 'Invalid URL' },
          { path: '(root)', message: 'not a field' },
        ],
      }),
    ).toEqual({
      id: 'this id is taken',
      sources: 'line 3: the link Invalid URL',
      website: 'Invalid URL',
    });
  });
});

/** The longest common subsequence's length, by the textbook recursion (small inputs only). */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const value = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
    memo.set(key, value);
    return value;
  };
  return go(0, 0);
}

const lines = fc.array(fc.constantFrom('', 'Funding', 'Routes', '- a bullet', '## Heading', 'x'), {
  maxLength: 14,
});

describe('the line diff', () => {
  it('reads back as both copies and keeps as many lines as can be kept', () => {
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        const diff = diffLines(before.join('\n'), after.join('\n'));
        const sides = sidesOf(diff);
        // An empty body has no lines; [''] and [] both join to it.
        const split = (text: string[]) => {
          const joined = text.join('\n');
          return joined === '' ? [] : joined.split('\n');
        };
        expect(sides.before).toEqual(split(before));
        expect(sides.after).toEqual(split(after));
        const kept = diff.filter((line) => line.kind === 'same').length;
        expect(kept).toBe(lcsLength(split(before), split(after)));
      }),
      { numRuns: 400 },
    );
  });

  it('shows an edit in the middle of a long body as that edit alone', () => {
    const body = Array.from({ length: 300 }, (_, index) => `Line ${index}`);
    const edited = [...body];
    edited[150] = 'Line 150, corrected';
    const diff = diffLines(body.join('\n'), edited.join('\n'));
    expect(diff.filter((line) => line.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'Line 150' },
      { kind: 'added', text: 'Line 150, corrected' },
    ]);
  });

  it('still reads back as both copies when a rewrite is too large to align', () => {
    const size = Math.ceil(Math.sqrt(maxAlignedCells)) + 2;
    const before = Array.from({ length: size }, (_, index) => `old ${index}`).join('\n');
    const after = Array.from({ length: size }, (_, index) => `new ${index}`).join('\r\n');
    const sides = sidesOf(diffLines(`same\n${before}\nend`, `same\n${after}\nend`));
    expect(sides.before).toEqual(`same\n${before}\nend`.split('\n'));
    expect(sides.after).toEqual(`same\n${after.replace(/\r\n/g, '\n')}\nend`.split('\n'));
  });
});
