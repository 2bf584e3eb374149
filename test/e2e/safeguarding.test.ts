// Safeguarding followed through, end to end in real Chromium at 1366 x 768: the
// demo adviser and the demo team leader each on their own desk (two desk
// processes, one central server). The adviser opens the concern form (focus on
// its first field), leaves it with Escape (focus back on its opener), raises a
// concern with immediate risk and sees the service's protocol at once. The
// team leader's desk lists it first and marked as immediate risk, above an
// older concern without, with its Acknowledge control in view; the team leader
// acknowledges it with a note of what was done; the adviser is told, on
// screen and to screen readers; the history lists it with what was done and,
// once the adviser completes the interaction, a link to its replay. axe-core
// finds nothing serious or critical on the screens visited.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  offerCall,
  openSignedInDesk,
  startExtraDesk,
  startProduct,
  type ExtraDesk,
  type Product,
} from './harness';
import { InteractionPage } from './pages/interaction';
import { accessibilityProblems, laptop, screenshot } from './screens';

let browser: Browser | null = null;
let product: Product;
let leaderDesk: ExtraDesk;

beforeAll(async () => {
  browser = await launchBrowser();
  if (!browser) return;
  product = await startProduct();
  leaderDesk = await startExtraDesk(product);
});

afterAll(async () => {
  await browser?.close();
  await leaderDesk?.stop();
  if (product) await product.stop();
});

async function signedIn(view: Product, username: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const page = await openSignedInDesk(browser, view, username);
  await page.setViewportSize(laptop);
  return page;
}

/** Whether keyboard focus is on this element now. */
const isFocused = (element: Locator): Promise<boolean> =>
  element.evaluate((node) => {
    // Runs in the page; the test's own types know no DOM.
    const inPage = node as unknown as { ownerDocument: { activeElement: unknown } };
    return inPage === inPage.ownerDocument.activeElement;
  });

/**
 * Whether a control can be seen and clicked where it is once scrolled to:
 * wholly inside the window, and nothing covering it (Playwright's trial click
 * checks that the control itself would receive the click).
 */
async function reachable(page: Page, control: Locator): Promise<boolean> {
  await control.scrollIntoViewIfNeeded();
  const box = await control.boundingBox();
  const window = page.viewportSize();
  if (!box || !window) return false;
  const inWindow =
    box.y >= 0 &&
    box.x >= 0 &&
    box.y + box.height <= window.height &&
    box.x + box.width <= window.width &&
    box.height > 0;
  await control.click({ trial: true, timeout: 2_000 });
  return inWindow;
}

/** Whether the team leader's concerns scroll inside their own box (which is what hid Acknowledge). */
const scrollsInside = (page: Page): Promise<boolean> =>
  page.evaluate<boolean>(
    `(() => { const panel = document.querySelector('.safeguarding-alerts'); return panel !== null && panel.scrollHeight > panel.clientHeight + 1; })()`,
  );

/** Raises a concern on the adviser's open call with the form. */
async function raise(
  adviser: Page,
  category: string,
  said: string,
  immediateRisk: boolean,
): Promise<void> {
  await adviser.getByRole('button', { name: 'Raise safeguarding concern' }).click();
  const form = adviser.getByRole('form', { name: 'Raise a safeguarding concern' });
  await form.getByRole('radio', { name: category }).check();
  await form.getByLabel('What was said').fill(said);
  await form.getByRole('radio', { name: immediateRisk ? 'Yes' : 'No' }).check();
  await form.getByRole('button', { name: 'Raise concern' }).click();
}

describe('safeguarding followed through, end to end', () => {
  it('guides the adviser at immediate risk, puts it first for the team leader, records what was done and tells the adviser', async (context) => {
    if (!browser) return context.skip();
    const adviser = await signedIn(product, 'demo-adviser');
    const leader = await signedIn(leaderDesk.view, 'demo-leader');
    const openConcerns = leader.getByRole('list', {
      name: 'Open safeguarding concerns, most urgent first',
    });
    await leader.getByRole('heading', { name: 'No open safeguarding concerns' }).waitFor();

    // An older concern without immediate risk, raised and resolved on an earlier call.
    const call = new InteractionPage(adviser);
    await offerCall(product, 'demo-adviser', '07700900123');
    await call.answer();
    await raise(adviser, 'Bullying', 'Picked on at college every day.', false);
    await adviser.getByText('Team leaders have been alerted.').waitFor();
    await openConcerns.getByRole('listitem').first().waitFor();

    // The form: focus on its first field as it opens; Cancel and Escape close it,
    // focus back on the control that opened it. (A second concern waits for the
    // first to be resolved, so this is on the same call, after resolving it.)
    await adviser.getByLabel('Escalated to').fill('Taylor Leader');
    await adviser.getByRole('button', { name: 'Escalate concern' }).click();
    await adviser.getByLabel('Action taken').fill('Agreed to speak to a tutor');
    await adviser.getByRole('button', { name: 'Record action' }).click();
    await adviser.getByRole('button', { name: 'Resolve concern' }).click();
    const opener = adviser.getByRole('button', { name: 'Raise safeguarding concern' });
    await opener.click();
    const form = adviser.getByRole('form', { name: 'Raise a safeguarding concern' });
    expect(await isFocused(form.getByRole('radio').first())).toBe(true);
    await adviser.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(await isFocused(opener)).toBe(true);
    await opener.press('Enter');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
    expect(await isFocused(opener)).toBe(true);

    // Immediate risk: the protocol appears the moment "Yes" is chosen.
    await opener.click();
    await form.getByRole('radio', { name: 'Abuse or neglect' }).check();
    await form.getByLabel('What was said').fill('Said an adult at home hurts them.');
    await form.getByRole('radio', { name: 'Yes' }).check();
    const guidance = form.getByRole('region', { name: 'Immediate risk: what to do now' });
    await guidance.waitFor();
    const protocol = await guidance.innerText();
    expect(protocol).toMatch(/Emergency services\s+999/);
    expect(protocol).toMatch(/Childline\s+0800 1111/);
    expect(protocol).toMatch(/Team leader on duty/);
    expect(protocol).toMatch(/not legal advice/);
    await adviser
      .getByRole('alert')
      .filter({ hasText: 'Immediate risk: what to do now' })
      .waitFor({ state: 'attached' });
    await screenshot(adviser, 'safeguarding-adviser-immediate-risk');
    expect(await accessibilityProblems(adviser)).toEqual([]);
    await form.getByRole('button', { name: 'Raise concern' }).click();
    // And again beside the open concern, for as long as it is open.
    const openConcern = adviser.getByRole('group', { name: 'Open safeguarding concern' });
    await openConcern.getByRole('region', { name: 'Immediate risk: what to do now' }).waitFor();
    await adviser.getByText('Team leaders have been alerted.').waitFor();

    // The team leader: the immediate-risk concern first, marked in words, its
    // Acknowledge control in view and uncovered at 1366 x 768.
    await leader
      .getByRole('alert')
      .filter({
        hasText: 'Safeguarding concern: Abuse or neglect, immediate risk, raised by Alex Adviser',
      })
      .waitFor();
    const concerns = openConcerns.getByRole('listitem');
    await expect.poll(() => concerns.count()).toBe(2);
    const first = concerns.first();
    expect(await first.innerText()).toMatch(/^IMMEDIATE RISK/i);
    expect(await first.innerText()).toMatch(/Abuse or neglect/);
    expect(await first.innerText()).toMatch(/Said an adult at home hurts them\./);
    expect(await concerns.nth(1).innerText()).toMatch(/Bullying/);
    expect(await concerns.nth(1).innerText()).not.toMatch(/^IMMEDIATE RISK/i);
    expect(await concerns.nth(1).innerText()).toMatch(/Immediate risk\s+No/);
    await leader
      .getByRole('heading', { name: 'Open safeguarding concerns: 2, 1 with immediate risk' })
      .waitFor();
    expect(await scrollsInside(leader)).toBe(false);
    for (const item of await concerns.all()) {
      expect(await reachable(leader, item.getByRole('button', { name: /^Acknowledge/ }))).toBe(
        true,
      );
    }
    await leader.evaluate('window.scrollTo(0, 0)');
    await screenshot(leader, 'safeguarding-leader-open-concerns');
    expect(await accessibilityProblems(leader)).toEqual([]);

    // Acknowledging asks what was done; without a note it says so and keeps the concern.
    await first.getByRole('button', { name: /^Acknowledge/ }).click();
    const acknowledge = first.getByRole('form', { name: 'Acknowledge the concern' });
    expect(await isFocused(acknowledge.getByLabel('What was done (optional)'))).toBe(true);
    await acknowledge.getByRole('button', { name: 'Record acknowledgement' }).click();
    await acknowledge.getByText('Say what was done, in a few words.').waitFor();
    await acknowledge
      .getByLabel('What was done (optional)')
      .selectOption({ label: 'Emergency services called' });
    await acknowledge
      .getByLabel('Note of what was done (required)')
      .fill('Called 999 with the address the young person gave; police attending.');
    expect(await accessibilityProblems(leader)).toEqual([]);
    await acknowledge.getByRole('button', { name: 'Record acknowledgement' }).click();
    await expect.poll(() => concerns.count()).toBe(1);
    expect(await concerns.first().innerText()).toMatch(/Bullying/);

    // The adviser is told, on screen and to screen readers.
    const told = adviser.getByRole('region', { name: 'Your safeguarding concerns acknowledged' });
    await told.waitFor();
    await adviser.evaluate('window.scrollTo(0, 0)');
    await screenshot(adviser, 'safeguarding-adviser-told');
    expect(await told.innerText()).toMatch(
      /Taylor Leader acknowledged your concern \(Abuse or neglect, immediate risk/,
    );
    expect(await told.innerText()).toMatch(
      /Emergency services called: Called 999 with the address the young person gave; police attending\./,
    );
    await adviser
      .getByRole('status')
      .filter({ hasText: 'Taylor Leader acknowledged your safeguarding concern' })
      .waitFor({ state: 'attached' });
    expect(await accessibilityProblems(adviser)).toEqual([]);

    // The history: who raised, who acknowledged, what was done; the interaction
    // is not there yet, and says so.
    await leader.getByRole('button', { name: 'Recent concerns' }).click();
    const history = leader.getByRole('list', { name: 'Recent safeguarding concerns' });
    const entry = history.getByRole('listitem').filter({ hasText: 'Abuse or neglect' });
    await entry.waitFor();
    const recorded = await entry.innerText();
    expect(recorded).toMatch(/Immediate risk/i);
    expect(recorded).toMatch(/raised by Alex Adviser/);
    expect(recorded).toMatch(/Acknowledged by Taylor Leader/);
    expect(recorded).toMatch(/Emergency services called: Called 999/);
    expect(recorded).toMatch(/not in the history yet: it arrives when the adviser completes it/);
    await entry.scrollIntoViewIfNeeded();
    await screenshot(leader, 'safeguarding-leader-recent-concerns');
    expect(await accessibilityProblems(leader)).toEqual([]);

    // The adviser finishes the call; then the history links to its replay.
    await told.getByRole('button', { name: 'Dismiss' }).click();
    await told.waitFor({ state: 'detached' });
    await adviser.getByLabel('Escalated to').fill('Taylor Leader');
    await adviser.getByRole('button', { name: 'Escalate concern' }).click();
    await adviser.getByLabel('Action taken').fill('Team leader called 999');
    await adviser.getByRole('button', { name: 'Record action' }).click();
    await adviser.getByRole('button', { name: 'Resolve concern' }).click();
    await adviser.getByRole('radio', { name: 'Young person' }).check();
    await adviser.getByLabel("Young person's age").fill('15');
    await adviser.getByRole('radio', { name: 'Within remit (13 to 18)' }).check();
    await call.markEverythingElseNotCovered('Safeguarding took the call');
    await call.endCall();
    await call.complete();

    const link = history.getByRole('link', { name: /^Open interaction .* in the history$/ });
    await expect
      .poll(
        async () => {
          // Reopening the list asks the server again.
          await leader.getByRole('button', { name: 'Hide recent concerns' }).click();
          await leader.getByRole('button', { name: 'Recent concerns' }).click();
          await history.waitFor();
          return link.count();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBeGreaterThanOrEqual(1);
    await link.first().click();
    await leader.waitForURL(/#\/history\/[0-9a-f-]{36}$/);
  });
});
