// Authoring and review rendered to markup in Node: the names the end-to-end
// tests find, "Edit article" only where an edit can be sent, "Knowledge
// review" only for reviewers, and a conflicted draft shown as three copies
// field by field with the body as a line diff, article text always as text.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { StaffMember } from '../../shared/domain/people';
import type { DeskBridge } from '../../shared/ipc/contract';
import type { KnowledgeArticle } from '../../shared/knowledge/article';
import type { KnowledgeDraft } from '../../shared/wire/knowledge';
import { ArticleForm } from '../../renderer/src/knowledge-admin/ArticleForm';
import { blankArticleForm } from '../../renderer/src/knowledge-admin/article-form';
import { DraftComparison } from '../../renderer/src/knowledge-admin/DraftComparison';
import { KnowledgeAdminNav } from '../../renderer/src/knowledge-admin/KnowledgeAdminNav';
import { copiesToCompare, DraftCard } from '../../renderer/src/knowledge-admin/KnowledgeReview';
import { ArticleView, type ArticleViewProps } from '../../renderer/src/knowledge/ArticleView';

// Rendering to markup calls no desk function; any call would be a bug in the test.
const desk = new Proxy({} as DeskBridge, {
  get: (_, name) => () => {
    throw new Error(`desk.${String(name)} was called while rendering`);
  },
});

const hostile = '<script>alert("x")</script>';

const article: KnowledgeArticle = {
  id: 'nursing-routes',
  version: 7,
  status: 'published',
  title: 'Becoming a nurse',
  summary: 'Degree and apprenticeship routes into nursing, and the support while training.',
  topics: ['careers', 'university'],
  audience: ['young-person'],
  region: 'national',
  kind: 'guide',
  lastReviewed: '2026-06-01',
  reviewBy: '2027-06-01',
  sources: [{ title: 'NHS Careers', url: 'https://www.healthcareers.nhs.uk/' }],
  body: 'Nursing degrees take three years.\n\nApprenticeships take four.',
};
const { version: _version, status: _status, ...content } = article;

function person(roles: StaffMember['roles']): StaffMember {
  return { id: 'staff-1', username: 'someone', displayName: 'Some One', roles };
}

const viewProps: ArticleViewProps = {
  article,
  reviewState: 'current',
  inPlan: false,
  onAddToPlan: null,
  onOpenLink: () => undefined,
  onBack: () => undefined,
  linkProblem: null,
};

describe('authoring on the desk', () => {
  it('offers "Edit article" in the article view only with a desk to send the edit through', () => {
    expect(renderToStaticMarkup(<ArticleView {...viewProps} authoring={desk} />)).toContain(
      'Edit article',
    );
    expect(renderToStaticMarkup(<ArticleView {...viewProps} />)).not.toContain('Edit article');
  });

  it('names the new-article form and every front-matter field', () => {
    const markup = renderToStaticMarkup(
      <ArticleForm
        desk={desk}
        mode="new"
        initial={blankArticleForm('2026-11-29')}
        baseVersion={null}
        onSubmitted={() => undefined}
        onCancel={() => undefined}
      />,
    );
    expect(markup).toContain('aria-label="New article"');
    for (const label of [
      'Article id',
      'Title',
      'Summary',
      'Topics',
      'Audience',
      'Region',
      'Kind',
      'Last reviewed',
      'Review by',
      'Sources',
      'Body (Markdown)',
      'Note for the reviewer',
      'Send for review',
    ]) {
      expect(markup).toContain(label);
    }
    expect(markup).toContain('value="2027-11-29"');
  });

  it('shows "Knowledge review" to team leaders and knowledge editors only', () => {
    const forAdviser = renderToStaticMarkup(
      <KnowledgeAdminNav desk={desk} user={person(['adviser'])} />,
    );
    expect(forAdviser).toContain('New article');
    expect(forAdviser).not.toContain('Knowledge review');
    for (const role of ['team_leader', 'knowledge_editor'] as const) {
      expect(
        renderToStaticMarkup(<KnowledgeAdminNav desk={desk} user={person([role, 'adviser'])} />),
      ).toContain('Knowledge review');
    }
  });
});

describe('what a reviewer compares', () => {
  const draft: KnowledgeDraft = {
    draftId: '0b5c4a8e-3c1e-4d7a-9f5e-2a1b3c4d5e6f',
    articleId: article.id,
    authorId: 'adviser-1',
    authorName: 'Alex Adviser',
    baseVersion: 7,
    content: {
      ...content,
      title: `Becoming a nurse ${hostile}`,
      body: 'Nursing degrees take three years.\n\nApprenticeships take four or five.',
    },
    note: '',
    status: 'awaiting-review',
    conflict: {
      currentVersion: 9,
      base: content,
      current: {
        ...content,
        summary: 'Degree, apprenticeship and nursing associate routes, and training support.',
        body: 'Nursing degrees take three years.\n\nApprenticeships take four.\n\nBursaries help.',
      },
    },
    submittedAt: '2026-11-29T09:00:00.000Z',
    decidedBy: null,
    decidedAt: null,
    rejectionReason: null,
  };

  it('lays a conflicted draft out as three copies, changed fields marked, bodies as line diffs', () => {
    const copies = copiesToCompare(draft, null);
    expect(copies.map((copy) => copy.label)).toEqual([
      'Author’s starting copy',
      'Published now (version 9)',
      'Draft',
    ]);
    const markup = renderToStaticMarkup(<DraftComparison copies={copies} />);
    expect(markup).toMatch(/<th scope="row">Title<span[^>]*> \(changed\)<\/span><\/th>/);
    expect(markup).toMatch(/<th scope="row">Summary<span[^>]*> \(changed\)<\/span><\/th>/);
    expect(markup).toMatch(/<th scope="row">Region<\/th>/);
    expect(markup).toContain('Body: author’s starting copy to published now (version 9)');
    expect(markup).toContain('Body: author’s starting copy to draft');
    expect(markup).toContain('Body: published now (version 9) to draft');
    expect(markup).toContain('added: </span><span aria-hidden="true">+ </span>Bursaries help.');
    expect(markup).toContain(
      'removed: </span><span aria-hidden="true">− </span>Apprenticeships take four.',
    );
    // The article's text is shown as text, never as markup.
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('&lt;script&gt;');
  });

  it('shows a new article’s whole body, rendered and as written, and its author by name', () => {
    const body =
      '## Routes\n\nA nursing degree takes three years.\n\n' +
      Array.from({ length: 40 }, (_, index) => `- Point ${index + 1} of the guide.`).join('\n');
    const markup = renderToStaticMarkup(
      <DraftCard
        desk={desk}
        draft={{ ...draft, baseVersion: null, conflict: null, content: { ...draft.content, body } }}
        user={person(['knowledge_editor'])}
        onDecided={() => undefined}
      />,
    );
    expect(markup).toContain('by Alex Adviser');
    expect(markup).not.toContain('adviser-1');
    expect(markup).toContain('The draft’s body, as advisers will read it');
    expect(markup).toContain('<h6>Routes</h6>');
    expect(markup).toContain('<li>Point 40 of the guide.</li>');
    expect(markup).toContain('<pre>## Routes');
    // An author the server no longer knows is said so, never shown as an id.
    const unknown = renderToStaticMarkup(
      <DraftCard
        desk={desk}
        draft={{ ...draft, authorName: null }}
        user={person(['knowledge_editor'])}
        onDecided={() => undefined}
      />,
    );
    expect(unknown).toContain('by an author this server no longer knows');
    expect(unknown).not.toContain('adviser-1');
  });

  it('compares an edit with the desk’s copy when that is the copy it started from', () => {
    const edit = { ...draft, conflict: null };
    expect(copiesToCompare(edit, article).map((copy) => copy.label)).toEqual([
      'Published (version 7)',
      'Draft',
    ]);
    // A desk that has moved on (or not caught up) shows the draft alone rather than a wrong base.
    expect(copiesToCompare(edit, { ...article, version: 8 }).map((copy) => copy.label)).toEqual([
      'Draft',
    ]);
    expect(copiesToCompare({ ...edit, baseVersion: null }, null).map((copy) => copy.label)).toEqual(
      ['Draft'],
    );
  });
});
