// Follow-up calls end to end, in real Chromium against a desk in browser mode
// and the real central server on a clock the simulator moves: a guided call
// books a follow-up (seeing how full each day of the window is); the server's
// clock moves to the booked day; the follow-up is on the adviser's list with
// what was agreed; the first call goes unanswered, the next (at another time
// of day) is answered, and both attempts are on the server.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ukLocalToIso } from '../../shared/interaction/follow-up';
import { followUpListSchema } from '../../shared/wire/follow-ups';
import {
  customerAnswers,
  eventually,
  launchBrowser,
  moveServerClock,
  offerCall,
  openSignedInDesk,
  serverAccessToken,
  serverList,
  startProduct,
  type Product,
} from './harness';
import { DeskPage } from './pages/desk';
import { InteractionPage } from './pages/interaction';

let browser: Browser | null = null;
let product: Product;

beforeAll(async () => {
  browser = await launchBrowser();
  if (!browser) return;
  product = await startProduct({ simulatedClock: true });
});

afterAll(async () => {
  await browser?.close();
  if (product) await product.stop();
});

const customerNumber = '07700900321';

/** A guided call that agrees one action and books a follow-up on the window's first day; returns that day. */
async function bookFollowUp(page: Page): Promise<string> {
  const call = new InteractionPage(page);
  await offerCall(product, 'demo-adviser', customerNumber);
  await call.answer();
  await page.getByRole('radio', { name: 'Young person' }).check();
  await page.getByLabel("Young person's age").fill('15');
  await page.getByRole('radio', { name: 'Within remit (13 to 18)' }).check();

  await call.goTo('startingPoint');
  await page.getByRole('radio', { name: /NEET/ }).check();
  await page.getByLabel('Goals and career ideas, in their words').fill('Work with animals.');

  await call.goTo('nextSteps');
  await page.getByLabel('Main points discussed').fill('Animal care courses at college.');
  const action = page.getByRole('form', { name: 'Add an action' });
  await action.getByLabel('Action').fill('Apply to college for animal care');
  await action.getByRole('button', { name: 'Add action' }).click();

  await call.goTo('followUp');
  // The window's days with how many follow-ups each holds; choosing one fills in the date.
  const days = page.getByRole('list', {
    name: 'Follow-ups already booked on each day of the window',
  });
  await days.getByRole('button').first().waitFor();
  await expect(days.getByRole('button').count()).resolves.toBe(15);
  await days.getByRole('button').first().click();
  const booking = page.getByRole('form', { name: 'Book a follow-up' });
  const day = await booking.getByLabel('Follow-up date').inputValue();
  expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await booking.getByLabel('Follow-up time (UK)').fill('10:30');
  await booking.getByLabel('Number or email address').fill(customerNumber);
  await booking.getByLabel('Customer consents to be contacted for the follow-up').check();
  await booking.getByRole('button', { name: 'Book follow-up' }).click();
  await page.getByText(/Follow-up booked: Phone call/).waitFor();

  await call.markEverythingElseNotCovered('Customer short of time');
  await call.endCall();
  await call.complete();
  return day;
}

describe('follow-up calls, end to end', () => {
  it('books a follow-up, and on its day lists it, rings unanswered, then answered', async (context) => {
    if (!browser) return context.skip();
    const page = await openSignedInDesk(browser, product, 'demo-adviser');
    // Nothing is due before anything is booked.
    await page.getByText('No follow-up calls are due.').waitFor();
    const day = await bookFollowUp(page);
    const token = await serverAccessToken(product, 'demo-adviser');
    await eventually('the booking on the server', async () => {
      const items = await serverList<{ id: string }>(product, '/api/follow-ups', token);
      return items.length === 1 ? items : null;
    });

    // The adviser signs out; weeks pass: the morning of the booked day.
    await new DeskPage(page).signOut();
    await page.waitForSelector('html[data-desk-screen="sign-in"]');
    await moveServerClock(product, ukLocalToIso(day, '09:15') ?? '');
    await customerAnswers(product, customerNumber, false);
    // The adviser signs in again that morning.
    const later = await openSignedInDesk(browser, product, 'demo-adviser');
    const list = later.getByRole('region', { name: 'Follow-up calls today' });
    await list.getByRole('button', { name: 'Refresh' }).click();
    const card = list.getByRole('article');
    await card.getByText('Due today').waitFor();
    await card.getByText('Apply to college for animal care').waitFor();
    await card.getByText('Not in education, employment or training (NEET)').waitFor();

    await card.getByRole('button', { name: 'Call now' }).click();
    await card.getByText('No answer (attempt 1 of 3). Try again at another time of day.').waitFor();
    // Again this morning: refused, with the times of day still free.
    await card.getByRole('button', { name: 'Call now' }).click();
    await card
      .getByRole('alert')
      .getByText(/afternoon .* or evening/)
      .waitFor();

    // That afternoon the customer picks up.
    await moveServerClock(product, ukLocalToIso(day, '14:00') ?? '');
    await customerAnswers(product, customerNumber, true);
    await card.getByRole('button', { name: 'Call now' }).click();
    await card.getByText('The customer answered: the follow-up call is connected.').waitFor();

    const fresh = await serverAccessToken(product, 'demo-adviser');
    const response = await fetch(`${product.serverUrl}/api/follow-ups/today`, {
      headers: { authorization: `Bearer ${fresh}` },
    });
    const today = followUpListSchema.parse(((await response.json()) as { value: unknown }).value);
    expect(today.items[0]?.attempts.map((a) => [a.dayPart, a.answered])).toEqual([
      ['morning', false],
      ['afternoon', true],
    ]);
  });
});
