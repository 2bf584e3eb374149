// The article form's rules and the reviewer's line diff, without React: every
// starter article survives the form unchanged, each problem lands on the field
// that fixes it, and the diff always reads back as both copies, aligning as
// many lines as the longest common subsequence allows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadArticleFolder } from '../../knowledge-base/articles';
import { articleIdSchema, type ArticleContent } from '../../shared/knowledge/article';
import {
  articleIdFromTitle,
  freeArticleId,
  madeIdMaxLength,
} from '../../shared/knowledge/article-id';
import {
  blankArticleForm,
  checkArticleForm,
  errorsFromResult,
  formFromArticle,
  problemsInFormOrder,
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

  it('puts each problem of a blank form on its field, in plain words that say what to fix', () => {
    const checked = checkArticleForm(blankArticleForm('2026-11-29'));
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      title: 'Give the article a title of at least 3 characters',
      id: 'Give the article an id of at least 2 characters',
      summary:
        'Write a summary of at least 10 characters: a sentence or two an adviser can read out',
      topics: 'Choose at least one topic',
      sources: 'Add at least one source: its title, a bar, then its link (title | https://…)',
      body: 'Write the article’s body',
    });
    // In the order the form shows them: focus goes to the first, the title.
    expect(problemsInFormOrder(checked.errors).map(([field]) => field)).toEqual([
      'title',
      'id',
      'summary',
      'topics',
      'sources',
      'body',
    ]);
  });

  it('never shows the schema library’s own wording', () => {
    const forms = [
      blankArticleForm('2026-11-29'),
      { ...validForm(), title: 'x'.repeat(201), summary: 'x'.repeat(401), id: '-Bad--id' },
      { ...validForm(), kind: 'service' as const, email: 'nobody', website: 'www.example' },
      {
        ...validForm(),
        lastReviewed: 'soon',
        reviewBy: 'later',
        sources: 'a | b\n | https://x.org',
      },
    ];
    for (const form of forms) {
      const checked = checkArticleForm(form);
      expect(checked.ok).toBe(false);
      if (checked.ok) continue;
      for (const message of Object.values(checked.errors)) {
        expect(message).not.toMatch(/too (small|big)|expected|invalid|must be|>=|<=/i);
        expect(message).toMatch(/^(?:[A-Z“]|On line \d+, )/);
      }
    }
  });

  it('names the line of a bad source and the field of a broken rule', () => {
    const badSource = checkArticleForm({
      ...validForm(),
      sources: 'GOV.UK | https://www.gov.uk/\nA leaflet | not a link',
    });
    expect(badSource).toMatchObject({
      ok: false,
      errors: {
        sources:
          'On line 2, give the source’s link as a full web address starting https:// (for example https://www.gov.uk/)',
      },
    });

    const serviceWithoutContact = checkArticleForm({ ...validForm(), kind: 'service' });
    expect(serviceWithoutContact).toMatchObject({
      ok: false,
      errors: {
        contact:
          'A service needs a way to contact it: give a phone number, website, email or text details',
      },
    });
    const withPhone = checkArticleForm({ ...validForm(), kind: 'service', phone: '0800 100 900' });
    expect(withPhone).toMatchObject({ ok: true, content: { contact: { phone: '0800 100 900' } } });

    const reviewBeforeWritten = checkArticleForm({ ...validForm(), reviewBy: '2026-01-01' });
    expect(reviewBeforeWritten).toMatchObject({
      ok: false,
      errors: { reviewBy: 'Choose a review-by date after the last-reviewed date' },
    });

    const badEmail = checkArticleForm({ ...validForm(), kind: 'service', email: 'nobody' });
    expect(badEmail).toMatchObject({
      ok: false,
      errors: { email: 'Give an email address like help@example.org' },
    });

    const badId = checkArticleForm({ ...validForm(), id: 'Wedding Planner' });
    expect(badId).toMatchObject({ ok: false, errors: { id: /^Use only lower-case letters/ } });
  });

  it('places problems the desk or server named on the same fields', () => {
    expect(
      errorsFromResult({
        code: 'conflict',
        message: 'The id “x” is already used by “X”',
        issues: [
          { path: 'content.id', message: 'this id is taken' },
          { path: 'content.sources.2.url', message: 'Give the source’s link as a web address' },
          { path: 'content.contact.website', message: 'Give the website as a web address' },
          { path: '(root)', message: 'not a field' },
        ],
      }),
    ).toEqual({
      id: 'this id is taken',
      sources: 'On line 3, give the source’s link as a web address',
      website: 'Give the website as a web address',
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

describe('an article id made from the title', () => {
  it.each([
    ['Becoming a wedding planner', 'becoming-a-wedding-planner'],
    ["The King's Trust: skills & confidence", 'the-kings-trust-skills-and-confidence'],
    ['Café work at 15 — hours, pay', 'cafe-work-at-15-hours-pay'],
    ['  ---  ', ''],
  ])('"%s" -> "%s"', (title, id) => {
    expect(articleIdFromTitle(title)).toBe(id);
  });

  it('is always a valid id, cut at a word boundary to fit, whatever the title', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (title) => {
        const id = articleIdFromTitle(title);
        expect(id.length).toBeLessThanOrEqual(madeIdMaxLength);
        if (id !== '') expect(articleIdSchema.safeParse(id).success).toBe(true);
      }),
    );
    const long = articleIdFromTitle('apprenticeship '.repeat(10));
    expect(long).toBe(Array.from({ length: 5 }, () => 'apprenticeship').join('-'));
  });

  it('moves on past ids already taken', async () => {
    const taken = new Set(['gap-years', 'gap-years-2']);
    await expect(freeArticleId('Gap years', async (id) => taken.has(id))).resolves.toBe(
      'gap-years-3',
    );
    await expect(freeArticleId('!!!', async () => false)).resolves.toBeNull();
  });
});
