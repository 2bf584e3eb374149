// The starter articles: each file parses against the article schema, problems
// name the file and the field, and the folder holds the content the issue asks for.
import { describe, expect, it } from 'vitest';
import { parseArticleFile, readArticleFolder } from '../../knowledge-base/articles';
import { knowledgeRegions } from '../../shared/knowledge/article';

const validFile = `---
id: apprenticeship-levels
title: Apprenticeship levels explained
summary: Apprenticeships run from level 2 to degree level 7; this explains each level.
topics: [apprenticeships, qualifications]
audience: [young-person, parent]
region: national
kind: guide
last_reviewed: 2026-11-01
review_by: 2027-05-01
sources:
  - title: Apprenticeships - GOV.UK
    url: https://www.gov.uk/become-apprentice
---

## Levels

Intermediate apprenticeships are level 2.
`;

const withLine = (file: string, from: string, to: string) => file.replace(from, to);

describe('parseArticleFile', () => {
  it('reads front matter and body into an article', () => {
    const outcome = parseArticleFile('apprenticeship-levels.md', validFile);
    expect(outcome).toMatchObject({
      ok: true,
      article: {
        id: 'apprenticeship-levels',
        topics: ['apprenticeships', 'qualifications'],
        lastReviewed: '2026-11-01',
        reviewBy: '2027-05-01',
        body: '## Levels\n\nIntermediate apprenticeships are level 2.',
      },
    });
  });

  it('names the file and the field as written in the file when a field is missing', () => {
    const outcome = parseArticleFile(
      'apprenticeship-levels.md',
      withLine(validFile, 'review_by: 2027-05-01\n', ''),
    );
    expect(outcome).toEqual({
      ok: false,
      problems: [expect.objectContaining({ file: 'apprenticeship-levels.md', field: 'review_by' })],
    });
  });

  it('points into lists: an unknown topic is named with its position', () => {
    const outcome = parseArticleFile(
      'apprenticeship-levels.md',
      withLine(validFile, '[apprenticeships, qualifications]', '[apprenticeships, astronomy]'),
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems.map((problem) => problem.field)).toEqual(['topics.1']);
  });

  it('refuses an id that differs from the file name, an unknown field and a service without contact details', () => {
    const misnamed = parseArticleFile('levels.md', validFile);
    expect(misnamed.ok ? [] : misnamed.problems.map((problem) => problem.field)).toEqual(['id']);

    const unknown = parseArticleFile(
      'apprenticeship-levels.md',
      withLine(validFile, 'kind: guide', 'kind: guide\nauthor: me'),
    );
    expect(unknown.ok ? [] : unknown.problems.map((problem) => problem.field)).toEqual(['author']);

    const service = parseArticleFile(
      'apprenticeship-levels.md',
      withLine(validFile, 'kind: guide', 'kind: service'),
    );
    expect(service.ok ? [] : service.problems.map((problem) => problem.field)).toEqual(['contact']);
  });

  it('explains a file without front matter or with broken YAML', () => {
    expect(parseArticleFile('x.md', '# Just a heading')).toMatchObject({
      ok: false,
      problems: [{ file: 'x.md', field: '(file)' }],
    });
    expect(parseArticleFile('x.md', '---\ntitle: [unclosed\n---\nbody')).toMatchObject({
      ok: false,
      problems: [{ file: 'x.md', field: '(front matter)' }],
    });
  });

  it('refuses a review-by date that is not after the last review', () => {
    const outcome = parseArticleFile(
      'apprenticeship-levels.md',
      withLine(validFile, '2027-05-01', '2026-01-01'),
    );
    expect(outcome.ok ? [] : outcome.problems.map((problem) => problem.field)).toEqual([
      'review_by',
    ]);
  });
});

describe('the starter articles in knowledge-base/articles', () => {
  const folder = readArticleFolder();

  it('are all valid, with unique ids (every problem listed)', () => {
    expect(folder.problems).toEqual([]);
  });

  it('number at least 150, as the issue asks', () => {
    expect(folder.articles.length).toBeGreaterThanOrEqual(150);
  });

  it('include referral-directory services and local articles for every region of England', () => {
    expect(
      folder.articles.filter((article) => article.kind === 'service').length,
    ).toBeGreaterThanOrEqual(10);
    expect(new Set(folder.articles.map((article) => article.region)).size).toBe(
      knowledgeRegions.length,
    );
  });
});
