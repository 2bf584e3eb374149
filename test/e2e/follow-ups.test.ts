// Follow-up calls end to end, in real Chromium against a desk in browser mode
// and the real central server on a clock the simulator moves: a guided call
// books a follow-up (seeing how full each day of the window is); the server's
// clock moves to the booked day; the follow-up is on the adviser's list with
// what was agreed; the first call goes unanswered, the next (at another time
// of day) is answered, and both attempts are on the server. The answered call
// is guided as a follow-up interaction (the plan reviewed action by action,
// the status now beside the status then, the change), survives a reload,
// and is completed: the server holds the record, closes the follow-up, and
// the team leader's dashboard counts its outcome.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonWallToIso } from '../../shared/time/london';
import type { InteractionRecord } from '../../shared/interaction/record';
import { followUpCallSchema, followUpListSchema } from '../../shared/wire/follow-ups';
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
import { DashboardPage } from './pages/dashboard';
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
  it('books a follow-up; on its day rings it unanswered, then answered, guides it to completion and counts its outcome', async (context) => {
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
    await moveServerClock(product, londonWallToIso(day, '09:15') ?? '');
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

    // That afternoon the customer picks up, and the call becomes a follow-up interaction.
    await moveServerClock(product, londonWallToIso(day, '14:00') ?? '');
    await customerAnswers(product, customerNumber, true);
    await card.getByRole('button', { name: 'Call now' }).click();
    const call = new InteractionPage(later);
    await call
      .heading()
      .filter({ hasText: /^Follow-up call: Connected/ })
      .waitFor();
    // The list is out of the way while the call is on.
    await list.waitFor({ state: 'hidden' });

    const fresh = await serverAccessToken(product, 'demo-adviser');
    const response = await fetch(`${product.serverUrl}/api/follow-ups/today`, {
      headers: { authorization: `Bearer ${fresh}` },
    });
    const today = followUpListSchema.parse(((await response.json()) as { value: unknown }).value);
    expect(today.items[0]?.attempts.map((a) => [a.dayPart, a.answered])).toEqual([
      ['morning', false],
      ['afternoon', true],
    ]);
    const followUpId = today.items[0]?.id ?? '';
    const answeredCallId = today.items[0]?.attempts[1]?.callId;

    // Its own stages, in its own order; what is missing names each agreed action.
    await expect(call.stages().getByRole('button').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^Action plan review/),
      expect.stringMatching(/^Status now/),
      expect.stringMatching(/^Change in circumstances/),
    ]);
    await call
      .missing()
      .getByText(/Record how far “Apply to college for animal care” got/)
      .waitFor();
    const action = later.getByRole('group', { name: /Apply to college for animal care/ });
    await action.getByRole('radio', { name: 'In progress' }).check();
    await call.notes('actionReview').fill('Applied; interview next week.');

    // Alt+2 from the keyboard: the status now, beside the status at first contact.
    await later.keyboard.press('Alt+2');
    await later.getByRole('heading', { name: /^Status now/ }).waitFor();
    await later
      .getByRole('definition')
      .filter({ hasText: 'Not in education, employment or training (NEET)' })
      .waitFor();
    await later
      .getByRole('group', { name: 'Status now' })
      .getByRole('radio', { name: 'Training (not an apprenticeship)' })
      .check();

    // A reload mid-call loses nothing: the same stage, answers and notes come back.
    await later.reload();
    await later.waitForSelector('html[data-desk-ready="true"]');
    await new DeskPage(later).waitForConnection('online');
    await later.getByRole('heading', { name: /^Status now/ }).waitFor();
    await expect(
      later
        .getByRole('group', { name: 'Status now' })
        .getByRole('radio', { name: 'Training (not an apprenticeship)' })
        .isChecked(),
    ).resolves.toBe(true);
    await call.goTo('actionReview');
    await expect(
      later
        .getByRole('group', { name: /Apply to college for animal care/ })
        .getByRole('radio', { name: 'In progress' })
        .isChecked(),
    ).resolves.toBe(true);
    await expect(call.notes('actionReview').inputValue()).resolves.toBe(
      'Applied; interview next week.',
    );

    // Completing is refused, with the reason, until the change is recorded.
    await call.endCall();
    await later.getByRole('button', { name: 'Complete interaction' }).click();
    await later
      .getByRole('alert')
      .getByText(/Not yet/)
      .waitFor();
    await call.goTo('circumstances');
    await later.getByRole('radio', { name: 'Yes, for the better' }).check();
    await call.complete();

    // The server holds the record, named as a follow-up, and has closed the follow-up with it.
    const record = await eventually('the follow-up record on the server', async () => {
      const token = await serverAccessToken(product, 'demo-adviser');
      const records = await serverList<InteractionRecord>(product, '/api/interactions', token);
      return records.find((item) => item.contactRef === answeredCallId) ?? null;
    });
    expect(record.machineVariant).toBe('follow_up');
    expect(record.followUpOf).toMatchObject({
      bookingId: followUpId,
      statusAtFirstContact: 'neet',
      statusNow: 'training',
      change: 'better',
      actions: [{ description: 'Apply to college for animal care', progress: 'in_progress' }],
    });
    const closed = await eventually('the follow-up completed', async () => {
      const token = await serverAccessToken(product, 'demo-adviser');
      const answer = await fetch(`${product.serverUrl}/api/follow-ups/${followUpId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const held = followUpCallSchema.parse(((await answer.json()) as { value: unknown }).value);
      return held.status === 'completed' ? held : null;
    });
    expect(closed.completedBy).toBe(record.id);
    // Back on the desk, the day's list no longer has it.
    await list.getByText('No follow-up calls are due.').waitFor();

    // The team leader's dashboard counts it: one follow-up completed, a positive change, left NEET.
    // One desk: the adviser signs out and the team leader signs in there.
    await new DeskPage(later).signOut();
    await later.waitForSelector('html[data-desk-screen="sign-in"]');
    const leaderPage = await openSignedInDesk(browser, product, 'demo-leader');
    const dashboard = new DashboardPage(leaderPage);
    await dashboard.open();
    await leaderPage.getByTestId('follow-ups-completed').getByText('1').waitFor();
    await expect(leaderPage.getByTestId('positive-change').innerText()).resolves.toMatch(
      /^100\.0% \(1 of 1\)/,
    );
    await expect(leaderPage.getByTestId('left-neet').innerText()).resolves.toMatch(
      /^100\.0% \(1 of 1\)/,
    );
    await dashboard.table('Outcomes at follow-up by period').waitFor();
    // The number drills down to the follow-up call behind it, named as one in the history.
    await leaderPage.getByTestId('follow-ups-completed').getByRole('link', { name: '1' }).click();
    await leaderPage.getByRole('cell', { name: 'Follow-up call', exact: true }).waitFor();
    await expect(
      leaderPage.getByRole('cell', { name: 'Voice call', exact: true }).count(),
    ).resolves.toBe(0);
  });
});
