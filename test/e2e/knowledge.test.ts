// The knowledge network end to end, in real Chromium against the desk in
// browser mode and the real central server. With the server stopped the
// adviser searches as they type (a misspelling is corrected and says so),
// opens an article, adds it to the action plan and finds it in Next steps;
// an edit made then waits in the outbox, reaches the server as a draft when
// it returns, is approved by a knowledge editor, and the desk's search shows it.
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
  return openSignedInDesk(browser, product, username);
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

    await product.stopServer();
    serverRunning = false;
    await page.waitForSelector('[data-connection]:not([data-connection="online"])');

    // As the adviser types, with a word misspelled: the desk corrects it and says so.
    await knowledge.type('bursery fu');
    await knowledge.result(publishedTitle).waitFor();
    await expect(knowledge.searchedFor().innerText()).resolves.toMatch(/^Searched for bursary/);
    await knowledge.type('bursery fund');
    await knowledge.result(publishedTitle).waitFor();
    await expect(knowledge.searchedFor().innerText()).resolves.toBe('Searched for bursary fund');

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

    // An adviser has no review screen; writing is for everyone.
    await expect(authoring.reviewButton().count()).resolves.toBe(0);
    await authoring.openNewArticle();
    await authoring.send();
    // Nothing filled in: each problem is listed and shown on its field.
    await expect(authoring.problems().getByRole('listitem').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Article id: /),
        expect.stringMatching(/^Topics: /),
      ]),
    );
    await expect(
      authoring.form().getByLabel('Title', { exact: true }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');

    await authoring.fillNewArticle({
      id: 'wedding-planner-careers-e2e',
      title: 'Becoming a wedding planner',
      summary: 'Routes into wedding and event planning, from college courses to apprenticeships.',
      topic: 'Careers and jobs',
      sources:
        'National Careers Service | https://nationalcareers.service.gov.uk/job-profiles/event-manager',
      body: '## Routes\n\nA level 3 events course, or an events assistant apprenticeship.',
    });
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
    await draft.getByRole('button', { name: 'Approve and publish' }).click();
    await authoring
      .dialog()
      .getByText(/^Published “Becoming a wedding planner” as version \d+\.$/)
      .waitFor();
    await authoring.dialog().getByText('No drafts are waiting.').waitFor();

    const token = await serverAccessToken(product, 'demo-editor');
    const response = await fetch(
      `${product.serverUrl}/api/knowledge/articles/wedding-planner-careers-e2e`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    await expect(response.json()).resolves.toMatchObject({
      ok: true,
      value: { title: 'Becoming a wedding planner', status: 'published', topics: ['careers'] },
    });
  });
});
