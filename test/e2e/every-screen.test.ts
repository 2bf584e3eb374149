// Every screen of the desk, as each kind of user reaches it: signed out, then
// signed in as an adviser, a team leader, a trainer and a knowledge editor,
// through every area the desk offers them. axe-core checks each whole page
// (serious and critical problems fail the test), and each is kept as a
// screenshot at 1366 x 768 in test-results/screens/. Screens reached only in an
// interaction or from a record are checked by the tests of those journeys.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo-accounts';
import { openDesk, sharedProduct } from './harness';
import { DeskPage } from './pages/desk';
import { SignInPage } from './pages/sign-in';
import { accessibilityProblems, laptop, screenshot } from './screens';

const shared = sharedProduct();

/** The page once it has settled: nothing still saying it is loading. */
async function settled(page: Page): Promise<void> {
  await page
    .getByText(/^Loading|Searching…$/)
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}

/** Visits every area in the desk's area links; returns axe's findings by area. */
async function everyArea(page: Page, who: string): Promise<Record<string, string[]>> {
  const areas = page.getByRole('navigation', { name: 'Desk areas' }).getByRole('link');
  const names = await areas.allInnerTexts();
  expect(names.length).toBeGreaterThan(1);
  const found: Record<string, string[]> = {};
  for (const name of names) {
    await areas.filter({ hasText: name }).first().click();
    await page
      .getByRole('navigation', { name: 'Desk areas' })
      .locator('a[aria-current="page"]', { hasText: name.trim() })
      .waitFor();
    await settled(page);
    found[name] = await accessibilityProblems(page);
    await screenshot(page, `screen-${who}-${slug(name)}`);
    // An area with views of its own (Quality: reviews, sample, calibration...) lists them
    // in a navigation of its own; the first is the one the area opened on.
    const views = page.locator('main nav[aria-label] a');
    for (const view of (await views.allInnerTexts()).slice(1)) {
      await views.filter({ hasText: view }).first().click();
      await page
        .locator('main nav[aria-label] a[aria-current="page"]', { hasText: view })
        .waitFor();
      await settled(page);
      found[`${name}: ${view}`] = await accessibilityProblems(page);
      await screenshot(page, `screen-${who}-${slug(name)}-${slug(view)}`);
    }
  }
  return found;
}

const slug = (text: string) => text.trim().toLowerCase().replace(/\W+/g, '-');

describe('every screen of the desk', () => {
  it('has no serious or critical accessibility problem, for every kind of user', async (context) => {
    const { browser } = shared;
    if (!browser) return context.skip();
    const { product } = shared;
    const { page } = await openDesk(browser, product);
    await page.setViewportSize(laptop);
    await page.waitForSelector('html[data-desk-screen="sign-in"]');
    const problems: Record<string, string[]> = {
      'signed out': await accessibilityProblems(page),
    };
    await screenshot(page, 'screen-sign-in');

    for (const [who, username] of [
      ['adviser', 'demo-adviser'],
      ['team-leader', 'demo-leader'],
      ['trainer', 'demo-trainer'],
      ['knowledge-editor', 'demo-editor'],
    ] as const) {
      await new SignInPage(page).signIn(username, demoPassword);
      await new DeskPage(page).waitForConnection('online');
      for (const [area, found] of Object.entries(await everyArea(page, who))) {
        problems[`${who}: ${area}`] = found;
      }
      await new DeskPage(page).signOut();
      await page.waitForSelector('html[data-desk-screen="sign-in"]');
    }
    const withProblems = Object.fromEntries(
      Object.entries(problems).filter(([, found]) => found.length > 0),
    );
    expect(withProblems).toEqual({});
  });
});
