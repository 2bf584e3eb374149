// Safeguarding in real time, end to end in real Chromium: the demo adviser and
// the demo team leader each on their own desk (two desk processes, one central
// server). The adviser raises a concern on a call; the team leader's desk
// alerts and lists it; the team leader acknowledges it and it goes.
import type { Browser, Page } from 'playwright-core';
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
  return openSignedInDesk(browser, view, username);
}

describe('safeguarding in real time, end to end', () => {
  it('an adviser’s concern reaches the team leader’s desk and stays until acknowledged', async (context) => {
    if (!browser) return context.skip();
    const adviser = await signedIn(product, 'demo-adviser');
    const leader = await signedIn(leaderDesk.view, 'demo-leader');
    const openConcerns = leader.getByRole('list', { name: 'Open safeguarding concerns' });
    await expect(openConcerns.count()).resolves.toBe(0);

    await offerCall(product, 'demo-adviser', '07700900123');
    await new InteractionPage(adviser).answer();
    await adviser.getByRole('button', { name: 'Raise safeguarding concern' }).click();
    const form = adviser.getByRole('form', { name: 'Raise a safeguarding concern' });
    await form.getByRole('radio', { name: 'Abuse or neglect' }).check();
    await form.getByLabel('What was said').fill('Said an adult at home hurts them.');
    await form.getByRole('radio', { name: 'Yes' }).check();
    await form.getByRole('button', { name: 'Raise concern' }).click();
    await adviser.getByText('Team leaders have been alerted.').waitFor();

    // The leader is told, and the concern is listed with who raised it and what it is.
    await leader
      .getByRole('alert')
      .filter({
        hasText: 'Safeguarding concern: Abuse or neglect, immediate risk, raised by Alex Adviser',
      })
      .waitFor();
    const concern = openConcerns.getByRole('listitem');
    await expect(concern.count()).resolves.toBe(1);
    const shown = await concern.innerText();
    expect(shown).toMatch(/Alex Adviser/);
    expect(shown).toMatch(/Abuse or neglect/);
    expect(shown).toMatch(/Immediate risk\s+Yes/);
    expect(shown).toMatch(/Said an adult at home hurts them\./);

    // Still there after the leader's page reloads: it stays until acknowledged.
    await leader.reload();
    await leader.waitForSelector('html[data-desk-screen="desk"]');
    await openConcerns.getByRole('listitem').first().waitFor();

    await openConcerns
      .getByRole('listitem')
      .first()
      .getByRole('button', { name: 'Acknowledge' })
      .click();
    // The desk drops it when the server confirms, and the list goes with the last one.
    await openConcerns.waitFor({ state: 'detached' });
  });
});
