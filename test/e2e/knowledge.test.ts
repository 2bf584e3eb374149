// The knowledge network end to end, in real Chromium against the desk in
// browser mode and the real central server. With the server stopped the
// adviser searches as they type (a misspelling is corrected and says so),
// opens an article, adds it to the action plan and finds it in Next steps;
// an edit made then waits in the outbox, reaches the server as a draft when
// it returns, is approved by a knowledge editor, and the desk's search shows it.
// Between calls the adviser searches in the desk's Knowledge area. A new
// article's id is made from its title and problems are said in plain words; the
// reviewer reads the whole draft and its author's name. axe-core checks every
// knowledge screen (serious and critical problems fail), and each is kept as a
// screenshot at 1366 x 768 in test-results/screens/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo-accounts';
import { knowledgeDraftSchema } from '../../shared/wire/knowledge';
import {
  eventually,
  launchBrowser,
  offerCall,
  openSignedInDesk,
  serverAccessToken,
  serverList,
  startProduct,
  type Product,
} from './harness';
import { DeskPage } from './pages/desk';
import { InteractionPage } from './pages/interaction';
import { KnowledgeAdminPage, KnowledgePage } from './pages/knowledge';
import { SignInPage } from './pages/sign-in';
import { accessibilityProblems, isFocused, laptop, screenshot, tallLaptop } from './screens';

const articleId = 'bursary-fund-16-to-19';
const publishedTitle = /^The 16 to 19 Bursary Fund: vulnerable and discretionary bursaries/;
const editedTitle = 'The 16 to 19 Bursary Fund: who qualifies and how to apply';

let browser: Browser | null = null;
/** Each test starts its own product (one data folder per test); all are stopped at the end. */
const products: { product: Product; serverRunning: () => boolean }[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const { product, serverRunning } of products) {
    // stop() stops the server too; start it first if a test left it stopped.
    if (!serverRunning()) await product.startServer();
    await product.stop();
  }
});

async function signedInDesk(product: Product, username: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const page = await openSignedInDesk(browser, product, username);
  await page.setViewportSize(laptop);
  return page;
}

describe('the knowledge network on the desk, end to end', () => {
  it('searches, opens and plans an article with the server stopped, and an offline edit is reviewed and reaches search', async (context) => {
    if (!browser) return context.skip();
    const product = await startProduct();
    let serverRunning = true;
    products.push({ product, serverRunning: () => serverRunning });
    const page = await signedInDesk(product, 'demo-adviser');
    const call = new InteractionPage(page);
    const knowledge = new KnowledgePage(page);

    await offerCall(product, 'demo-adviser', '07700900456');
    await call.answer();
    await knowledge.waitUntilUpToDate();

    // Nothing typed, so no results: the search box controls no list that is not there.
    await expect(knowledge.searchBox().getAttribute('aria-controls')).resolves.toBeNull();
    await expect(accessibilityProblems(page, '.knowledge')).resolves.toEqual([]);

    await product.stopServer();
    serverRunning = false;
    await page.waitForSelector('[data-connection]:not([data-connection="online"])');

    // As the adviser types, with a word misspelled: the desk corrects it and says so.
    await knowledge.type('bursery fu');
    await knowledge.result(publishedTitle).waitFor();
    await expect(knowledge.searchedFor().innerText()).resolves.toMatch(/^Searched for bursary/);
    await knowledge.type('bursery fund');
    // The result is on screen from the last query already: wait for the new correction itself.
    await knowledge.panel().getByText('Searched for bursary fund', { exact: true }).waitFor();
    await knowledge.result(publishedTitle).waitFor();

    // With results: the box controls the list, and each result is named by what it shows.
    const listId = await knowledge.searchBox().getAttribute('aria-controls');
    await expect(knowledge.results().getAttribute('id')).resolves.toBe(listId);
    await expect(accessibilityProblems(page, '.knowledge')).resolves.toEqual([]);
    // The filters are folded away beside a call, so the results keep the room.
    await expect(knowledge.filtersButton().getAttribute('aria-expanded')).resolves.toBe('false');
    await screenshot(page, 'knowledge-panel-in-a-call', laptop);
    await screenshot(page, 'knowledge-panel-in-a-call', tallLaptop);
    expect(await knowledge.resultsInView()).toBeGreaterThanOrEqual(3);
    await knowledge.filtersButton().click();
    await knowledge.filter('Region').selectOption({ label: 'London' });
    await expect(knowledge.filtersButton().innerText()).resolves.toBe('Filters (1 chosen)');
    await expect(accessibilityProblems(page, '.knowledge')).resolves.toEqual([]);
    await screenshot(page, 'knowledge-panel-filters-open', laptop);
    await knowledge.panel().getByRole('button', { name: 'Clear filters' }).click();
    await knowledge.filtersButton().click();

    await knowledge.open(publishedTitle);
    await knowledge.addToPlan();
    await call.goTo('nextSteps');
    await page
      .getByRole('list', { name: 'Articles and services pointed to' })
      .getByRole('listitem')
      // Listed by its title, as the young person will see it in the plan; never by its id.
      .filter({ hasText: publishedTitle })
      .waitFor();

    // An edit written with the server still stopped waits in the desk's outbox.
    await knowledge.editTitle(editedTitle, 'Clearer title for advisers mid-call.');
    await expect(new DeskPage(page).status().innerText()).resolves.toMatch(/Outbox: 1 waiting/);
    await knowledge.backToArticle();
    await knowledge.articleHeading(publishedTitle).waitFor();

    await product.startServer();
    serverRunning = true;
    await new DeskPage(page).waitForConnection('online');
    await page.getByText('Outbox: nothing waiting').waitFor();

    // On the server it is a draft awaiting review, made from the copy the adviser edited.
    const editorToken = await serverAccessToken(product, 'demo-editor');
    const draft = await eventually('the draft on the server', async () => {
      const drafts = await serverList<unknown>(
        product,
        '/api/knowledge/drafts?status=awaiting-review',
        editorToken,
      );
      const found = drafts
        .map((item) => knowledgeDraftSchema.parse(item))
        .find((item) => item.articleId === articleId);
      return found ?? null;
    });
    expect(draft).toMatchObject({
      content: { title: editedTitle },
      conflict: null,
      note: 'Clearer title for advisers mid-call.',
    });
    expect(draft.baseVersion).not.toBeNull();

    // Until a reviewer approves it, the desk still shows the published title.
    await knowledge.type('bursary fund');
    await knowledge.result(publishedTitle).waitFor();
    await expect(knowledge.result(editedTitle).count()).resolves.toBe(0);

    const approval = await fetch(
      `${product.serverUrl}/api/knowledge/drafts/${draft.draftId}/approve`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${editorToken}`, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    const approved = (await approval.json()) as { ok: boolean; value?: { title: string } };
    expect(approved).toMatchObject({ ok: true, value: { title: editedTitle } });

    // The push hint brings the new version; the panel searches again when its copy moves on.
    await knowledge.result(editedTitle).waitFor();
  });

  it('takes a new article from an adviser through the form and a knowledge editor publishes it from the review screen', async (context) => {
    if (!browser) return context.skip();
    const product = await startProduct();
    products.push({ product, serverRunning: () => true });
    const page = await signedInDesk(product, 'demo-adviser');
    const authoring = new KnowledgeAdminPage(page);

    // The desk's copy of the network is there (the form checks new ids against it).
    const knowledge = new KnowledgePage(page);
    await knowledge.openAreaByKeyboard();
    await knowledge.waitUntilUpToDate();

    // An adviser has no review screen; writing is for everyone.
    await expect(authoring.reviewButton().count()).resolves.toBe(0);
    await authoring.openNewArticle();
    await authoring.send();
    // Nothing filled in: each problem is listed in plain words, shown on its field, and the
    // adviser is put in the first field to fix.
    const problems = await authoring.problems().getByRole('listitem').allInnerTexts();
    expect(problems).toEqual(
      expect.arrayContaining([
        'Title: Give the article a title of at least 3 characters',
        'Topics: Choose at least one topic',
      ]),
    );
    expect(problems.join('\n')).not.toMatch(/Too small|expected|>=/);
    const titleField = authoring.form().getByLabel('Title', { exact: true });
    await expect(titleField.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(isFocused(titleField)).resolves.toBe(true);
    await expect(accessibilityProblems(page, '[role="dialog"]')).resolves.toEqual([]);
    await screenshot(page, 'knowledge-new-article-problems', laptop);

    // The id is made from the title; one the desk already holds moves on to a free one, and
    // typing a taken id says whose it is, on the field.
    await titleField.fill('Gap years');
    const idField = authoring.form().getByLabel('Article id');
    await expect.poll(() => idField.inputValue(), { timeout: 10_000 }).toBe('gap-years-2');
    await idField.fill('gap-years');
    await authoring
      .form()
      .getByText(/“gap-years” is already the id of the published article “Taking a gap year”/)
      .waitFor();
    await expect(idField.getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, 'knowledge-new-article-id-taken', laptop);
    await idField.fill('');

    await authoring.fillNewArticle({
      title: 'Becoming a wedding planner',
      summary: 'Routes into wedding and event planning, from college courses to apprenticeships.',
      topic: 'Careers and jobs',
      sources:
        'National Careers Service | https://nationalcareers.service.gov.uk/job-profiles/event-manager',
      body: '## Routes\n\nA level 3 events course, or an events assistant apprenticeship.\n\n## Pay\n\nAssistants start near the minimum wage.',
    });
    // Emptied, the id is made from the title again.
    await expect.poll(() => idField.inputValue()).toBe('becoming-a-wedding-planner');
    await authoring.send();
    await authoring
      .dialog()
      .getByText(/is saved on this desk and queued for review/)
      .waitFor();
    await authoring.close();
    await page.getByText('Outbox: nothing waiting').waitFor();

    await new DeskPage(page).signOut();
    await new SignInPage(page).signIn('demo-editor', demoPassword);
    await new DeskPage(page).waitForConnection('online');

    await authoring.openReview();
    const draft = authoring.draft('Becoming a wedding planner');
    await draft.getByText('New article').waitFor();
    // The author by name, and the whole body as advisers will read it.
    await draft.getByText(/by Alex Adviser/).waitFor();
    const body = draft.getByRole('region', { name: 'The draft’s body, as advisers will read it' });
    await body.getByRole('heading', { name: 'Pay' }).waitFor();
    await body
      .getByRole('paragraph')
      .filter({ hasText: 'Assistants start near the minimum wage.' })
      .waitFor();
    await expect(accessibilityProblems(page, '[role="dialog"]')).resolves.toEqual([]);
    await screenshot(page, 'knowledge-review-draft', laptop);
    await screenshot(page, 'knowledge-review-draft', tallLaptop);
    await draft.getByRole('button', { name: 'Approve and publish' }).click();
    await authoring
      .dialog()
      .getByText(/^Published “Becoming a wedding planner” as version \d+\.$/)
      .waitFor();
    await authoring.dialog().getByText('No drafts are waiting.').waitFor();

    const token = await serverAccessToken(product, 'demo-editor');
    const response = await fetch(
      `${product.serverUrl}/api/knowledge/articles/becoming-a-wedding-planner`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    await expect(response.json()).resolves.toMatchObject({
      ok: true,
      value: { title: 'Becoming a wedding planner', status: 'published', topics: ['careers'] },
    });
  });

  it('searches between calls in the desk’s Knowledge area, reached by keyboard, with filters beside the results', async (context) => {
    if (!browser) return context.skip();
    const product = await startProduct();
    products.push({ product, serverRunning: () => true });
    const page = await signedInDesk(product, 'demo-adviser');
    const knowledge = new KnowledgePage(page);

    // No call on the desk: the adviser goes to Knowledge from the desk's navigation.
    await knowledge.openAreaByKeyboard();
    await expect(isFocused(knowledge.searchBox())).resolves.toBe(true);
    await knowledge.waitUntilUpToDate();
    await expect(knowledge.searchBox().getAttribute('aria-controls')).resolves.toBeNull();
    await expect(accessibilityProblems(page, '#main')).resolves.toEqual([]);
    await screenshot(page, 'knowledge-area-empty', laptop);

    // A topic: the referral entries about it come first, by titles that say what they help with.
    await knowledge.type('mental health');
    await knowledge.result(/^Mind: mental health information and support/).waitFor();
    const topThree = (await knowledge.resultNames()).slice(0, 3).join('\n');
    expect(topThree).toMatch(/YoungMinds: mental health support/);
    expect(topThree).toMatch(/Mind: mental health information and support/);
    // The filters stand beside the results, so a 900 px screen still shows a long list.
    await knowledge.filter('Region').waitFor();
    await screenshot(page, 'knowledge-area-results', laptop);
    await screenshot(page, 'knowledge-area-results', tallLaptop);
    expect(await knowledge.resultsInView()).toBeGreaterThanOrEqual(4);
    await expect(accessibilityProblems(page, '#main')).resolves.toEqual([]);

    // Enter opens the first result beside the list, which stays; Escape closes it again.
    await knowledge.searchBox().press('ArrowDown');
    await knowledge.searchBox().press('Enter');
    const heading = knowledge.panel().getByRole('heading', { level: 3 });
    await heading.waitFor();
    await expect(isFocused(heading)).resolves.toBe(true);
    await expect(knowledge.results().isVisible()).resolves.toBe(true);
    await expect(accessibilityProblems(page, '#main')).resolves.toEqual([]);
    await screenshot(page, 'knowledge-area-article', laptop);
    await screenshot(page, 'knowledge-area-article', tallLaptop);
    await page.keyboard.press('Escape');
    await expect(isFocused(knowledge.searchBox())).resolves.toBe(true);

    // A real word the network lacks is searched as typed, never turned into another word.
    await knowledge.type('is a parent liable ');
    await knowledge
      .result(/^Who is responsible when a 16 or 17 year old stops going to college/)
      .waitFor();
    await expect(knowledge.searchedFor().count()).resolves.toBe(0);

    // A filter narrows the list in place.
    await knowledge.type('advice');
    await knowledge.filter('Kind').selectOption({ label: 'Service to refer to' });
    await knowledge.result(/^Citizens Advice: free advice/).waitFor();
    await expect(knowledge.result(/^Apprenticeship/).count()).resolves.toBe(0);
    await expect(accessibilityProblems(page, '#main')).resolves.toEqual([]);

    // A call offered meanwhile brings the adviser back to the live desk.
    await offerCall(product, 'demo-adviser', '07700900789');
    await page.getByRole('region', { name: 'Incoming call' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Knowledge network' }).count()).resolves.toBe(0);
  });
});
