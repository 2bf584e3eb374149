// A guided voice call end to end, in real Chromium against the desk in browser
// mode and the real central server: sign in, take a call, work the stages,
// complete, and find the record, follow-up and transcript request on the server.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';
import {
  eventually,
  launchBrowser,
  offerCall,
  openDesk,
  openSignedInDesk,
  serverAccessToken,
  serverList,
  startProduct,
  type Product,
} from './harness';
import { accessibilityProblems, laptop, screenshot } from './screens';
import { DeskPage } from './pages/desk';
import { InteractionPage } from './pages/interaction';
import { KnowledgePage } from './pages/knowledge';
import { SignInPage } from './pages/sign-in';

interface MailEntry {
  id: string;
  to: string[] | string;
}

/** A message in the server's mail sink, as its text part (team leaders only). */
async function readMail(token: string, id: string): Promise<string> {
  const response = await fetch(`${product.serverUrl}/api/mail/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { ok: boolean; value?: { text: string } };
  if (!body.ok || !body.value) throw new Error(`mail ${id} could not be read`);
  return body.value.text;
}

interface QueuedTranscript {
  interactionId: string;
  via: string;
  address: string;
  subject: string;
}

let browser: Browser | null = null;
let product: Product;

beforeAll(async () => {
  browser = await launchBrowser();
  if (browser) product = await startProduct();
});

afterAll(async () => {
  await browser?.close();
  if (product) await product.stop();
});

async function signedInDesk(): Promise<{ page: Page; desk: DeskPage; call: InteractionPage }> {
  if (!browser) throw new Error('no browser');
  const page = await openSignedInDesk(browser, product, 'demo-adviser');
  return { page, desk: new DeskPage(page), call: new InteractionPage(page) };
}

describe('a guided call, end to end', () => {
  it('takes a call through every stage and the server holds the record, booking and transcript request', async (context) => {
    if (!browser) return context.skip();
    const { page, desk, call } = await signedInDesk();
    await expect(desk.status().innerText()).resolves.toMatch(/Outbox: nothing waiting/);

    const callId = await offerCall(product, 'demo-adviser', '07700900123');
    await call.answer();

    // Caller and eligibility.
    await page.getByRole('radio', { name: 'Young person' }).check();
    await page.getByLabel("Young person's age").fill('16');
    await page.getByRole('radio', { name: 'Within remit (13 to 18)' }).check();
    await page
      .getByLabel('Where the young person lives (optional)')
      .selectOption({ label: 'North East' });
    await screenshot(page, 'caller-stage', laptop);

    // Stages in the order the conversation went, not the navigator's order.
    await call.goTo('barriers');
    await page.getByLabel('No barriers identified').check();
    await call.notes('barriers').fill('Travel is fine, has a bus pass.');

    await call.goTo('startingPoint');
    await page.getByRole('radio', { name: 'College' }).check();
    await page
      .getByLabel('Goals and career ideas, in their words')
      .fill('Wants to be an electrician, maybe through an apprenticeship.');

    await call.markNotCovered('skillsCheck', 'Customer short of time');

    await call.goTo('nextSteps');
    await page.getByLabel('Main points discussed').fill('Electrical apprenticeships at level 3.');
    const addAction = page.getByRole('form', { name: 'Add an action' });
    await addAction
      .getByLabel('Action')
      .fill('Search Find an apprenticeship for electrician roles');
    await addAction.getByRole('button').first().click();
    await expect(
      page.getByRole('list', { name: 'Actions agreed' }).getByRole('listitem').count(),
    ).resolves.toBe(1);

    // The follow-up window for a 16-year-old is 12 to 14 weeks; book its first day.
    await call.goTo('followUp');
    // The service hours are the server's (this one is set open all day), as chat's are.
    await page.getByText(/from 00:00 and before 24:00 UK time, any day/).waitFor();
    await screenshot(page, 'follow-up-stage', laptop);
    const offer = await page.getByText(/Offer a call between/).innerText();
    const earliest = /between (\d{4}-\d{2}-\d{2})/.exec(offer)?.[1];
    expect(earliest).toBeDefined();
    const booking = page.getByRole('form', { name: 'Book a follow-up' });
    await booking.getByLabel('Follow-up date').fill(earliest ?? '');
    await booking.getByLabel('Follow-up time (UK)').fill('10:30');
    // The number they called from is filled in, to confirm with them.
    await expect(booking.getByLabel('Number or email address').inputValue()).resolves.toBe(
      '07700 900123',
    );
    await booking.getByLabel('Customer consents to be contacted for the follow-up').check();
    await booking.getByRole('button', { name: 'Book follow-up' }).click();
    await page.getByText(/Follow-up booked: Phone call/).waitFor();

    await call.goTo('transcript');
    const transcript = page.getByRole('form', { name: 'Send a transcript' });
    await transcript.getByLabel('Email address').fill('sam@example.org');
    await transcript.getByRole('button', { name: 'Record transcript choice' }).click();
    await page.getByText('Transcript will be sent by email to sam@example.org.').waitFor();

    await call.goTo('serviceQuestions');
    await page.getByRole('button', { name: /Customer short of time/ }).click();
    await page.getByText('Skipped: Customer short of time').waitFor();

    await expect(call.stageButton('barriers').innerText()).resolves.toMatch(/done/);
    await call.endCall();
    // Every stage is done: the outcome code is the one thing wrap-up still asks for.
    await expect(call.missing().innerText()).resolves.toBe('Wrap-up: choose an outcome code');
    await call.chooseOutcome('Follow-up booked');
    await page.setViewportSize(laptop);
    await call.outcomeCodes().scrollIntoViewIfNeeded();
    await screenshot(page, 'wrap-up-outcome');
    await expect(call.missing().getByRole('listitem').count()).resolves.toBe(0);

    // Before anything is sent, the summary says what completing will do; Escape goes back.
    await call.openSummary();
    await expect(page.locator(':focus').innerText()).resolves.toBe('Check before you complete');
    const summary = await call.summary().innerText();
    expect(summary).toContain('The skills action plan will be sent by email to sam@example.org.');
    expect(summary).toMatch(
      /A follow-up is booked for \w+day \d+ \w+ \d{4} at 10:30 \(UK time\), within the 12 to 14 week window .*, by phone call to 07700 900123\./,
    );
    expect(summary).toContain('Follow-up booked');
    expect(summary).toContain('English, maths and digital: Customer short of time');
    expect(summary).toContain('None in this interaction.');
    await expect(accessibilityProblems(page, '.wrap-up-summary')).resolves.toEqual([]);
    await screenshot(page, 'wrap-up-summary');
    await page.keyboard.press('Escape');
    await call.summary().waitFor({ state: 'detached' });
    await expect(page.locator(':focus').innerText()).resolves.toBe('Complete interaction');
    await call.openSummary();
    await call.confirmSummary();

    const token = await serverAccessToken(product, 'demo-leader');
    const records = await eventually('the record on the server', async () => {
      const items = await serverList<InteractionRecord>(product, '/api/interactions', token);
      return items.some((item) => item.contactRef === callId) ? items : null;
    });
    const record = records.find((item) => item.contactRef === callId);
    expect(record?.channel).toBe('voice');
    expect(record?.summary.transcript).toMatchObject({ decision: 'send', via: 'email' });
    expect(record?.journal.length).toBeGreaterThan(10);
    // The code's id for counting, and its label as the adviser read it.
    expect(record?.summary.outcomeCode).toMatchObject({
      id: 'follow_up_booked',
      label: 'Follow-up booked',
    });

    const bookings = await eventually('the follow-up on the server', async () => {
      const items = await serverList<FollowUpBooking>(product, '/api/follow-ups', token);
      return items.some((item) => item.interactionId === record?.id) ? items : null;
    });
    expect(bookings.find((item) => item.interactionId === record?.id)?.contactMethod).toBe('phone');

    const transcripts = await eventually('the transcript request on the server', async () => {
      const items = await serverList<QueuedTranscript>(product, '/api/transcripts', token);
      return items.some((item) => item.interactionId === record?.id) ? items : null;
    });
    expect(transcripts.find((item) => item.interactionId === record?.id)).toMatchObject({
      via: 'email',
      address: 'sam@example.org',
    });
    await desk
      .status()
      .filter({ hasText: /Outbox: nothing waiting/ })
      .waitFor();
    await page.context().close();
  });

  it('points to an article by its title and public link, on the desk, in the record and in the emailed plan', async (context) => {
    if (!browser) return context.skip();
    const { page, call } = await signedInDesk();
    const knowledge = new KnowledgePage(page);
    const callId = await offerCall(product, 'demo-adviser', '07700900789');
    await call.answer();
    await knowledge.waitUntilUpToDate();

    const title = 'Astronaut and careers in the UK space sector';
    const publicPage = 'https://nationalcareers.service.gov.uk/job-profiles/astronaut';
    await knowledge.type('astronaut');
    await knowledge.open(title);
    await knowledge.addToPlan();

    // "Pointed to" shows what the young person will get: the title and its public page.
    await call.goTo('nextSteps');
    const item = call.pointedTo().getByRole('listitem').filter({ hasText: title });
    await item.waitFor();
    await expect(item.innerText()).resolves.toContain(publicPage);
    await expect(call.pointedTo().innerText()).resolves.not.toContain(
      'astronaut-and-uk-space-sector',
    );

    await call.goTo('transcript');
    const transcript = page.getByRole('form', { name: 'Send a transcript' });
    await transcript.getByLabel('Email address').fill('space@example.org');
    await transcript.getByRole('button', { name: 'Record transcript choice' }).click();
    await page.getByText('Transcript will be sent by email to space@example.org.').waitFor();
    await call.endCall();
    await call.markEverythingElseNotCovered('Short call for the test');
    await call.complete();

    const token = await serverAccessToken(product, 'demo-leader');
    const record = await eventually('the record on the server', async () => {
      const items = await serverList<InteractionRecord>(product, '/api/interactions', token);
      return items.find((candidate) => candidate.contactRef === callId) ?? null;
    });
    // The record keeps the title and link as shown, so a later edit changes no document.
    expect(record.summary.nextSteps.articleLinks).toEqual([
      { articleId: 'astronaut-and-uk-space-sector', title, url: publicPage },
    ]);

    const mail = await eventually('the action plan in the mail sink', async () => {
      const items = await serverList<MailEntry>(product, '/api/mail', token);
      return items.find((entry) => String(entry.to).includes('space@example.org')) ?? null;
    });
    const text = await readMail(token, mail.id);
    expect(text).toContain(`* ${title} (${publicPage})`);
    expect(text).not.toContain('astronaut-and-uk-space-sector');
    await page.context().close();
  });

  it('keeps a call completed while the server is down and delivers it once the server is back', async (context) => {
    if (!browser) return context.skip();
    const { page, desk, call } = await signedInDesk();
    const callId = await offerCall(product, 'demo-adviser', '07700900456');
    await call.answer();

    await product.stopServer();
    await desk.waitForConnection('reconnecting');
    await call.notes('caller').fill('Line dropped out briefly; parent calling about their son.');
    await call.markEverythingElseNotCovered('Test of a short call');
    await call.endCall();
    await call.complete();

    // The record waits in the desk's outbox, and the status bar says so.
    await desk
      .status()
      .filter({ hasText: /Outbox: 1 waiting|1 item waiting|1 waiting/ })
      .waitFor();

    await product.startServer();
    await desk.waitForConnection('online');
    await desk
      .status()
      .filter({ hasText: /Outbox: nothing waiting/ })
      .waitFor({ timeout: 60_000 });

    const token = await serverAccessToken(product, 'demo-leader');
    const records = await serverList<InteractionRecord>(product, '/api/interactions', token);
    expect(records.filter((item) => item.contactRef === callId)).toHaveLength(1);
    await page.context().close();
  });

  it('restores the interaction exactly after the page reloads mid-call', async (context) => {
    if (!browser) return context.skip();
    const { page, desk, call } = await signedInDesk();
    await offerCall(product, 'demo-adviser', '07700900789');
    await call.answer();
    await call.goTo('barriers');
    await page.getByRole('checkbox', { name: 'Money' }).check();
    await page.getByLabel('Money: notes').fill('Cannot afford the bus to college.');
    await call.notes('barriers').fill('Asked about the bursary.');
    // A reason typed and not sent stays with its stage, not the next one on screen.
    await page.getByLabel('Reason not covered').fill('Half a reason');
    await call.goTo('skillsCheck');
    await expect(page.getByLabel('Reason not covered').inputValue()).resolves.toBe('');
    await call.goTo('barriers');

    await page.reload();
    await page.waitForSelector('html[data-desk-ready="true"]');
    await desk.waitForConnection('online');
    await page.getByRole('heading', { name: /^Barriers/ }).waitFor();
    await expect(page.getByLabel('Money: notes').inputValue()).resolves.toBe(
      'Cannot afford the bus to college.',
    );
    await expect(call.notes('barriers').inputValue()).resolves.toBe('Asked about the bursary.');
    await expect(call.heading().innerText()).resolves.toMatch(/Connected/);
    await page.context().close();
  });

  it('can be worked from the keyboard alone: answer, move between stages, wrap up, complete', async (context) => {
    if (!browser) return context.skip();
    // Focus never falls to the page body: after a refused sign-in, Answer,
    // End call and Complete it lands where the adviser reads on.
    const focusedText = (page: Page) =>
      page.evaluate<string>(
        "document.activeElement === document.body ? '(the page body)' : (document.activeElement?.textContent ?? '').trim()",
      );
    const focusLandsOn = (page: Page, text: string) =>
      eventually(`focus on "${text}"`, async () =>
        (await focusedText(page)) === text ? true : null,
      );
    const { page: signInPage } = await openDesk(browser, product);
    // The desk may still be signed in from an earlier test in this file.
    await signInPage.waitForSelector(
      'html[data-desk-screen="desk"], html[data-desk-screen="sign-in"]',
    );
    if ((await signInPage.locator('html').getAttribute('data-desk-screen')) === 'desk') {
      await signInPage.getByRole('button', { name: 'Sign out' }).click();
      await signInPage.waitForSelector('html[data-desk-screen="sign-in"]');
    }
    const signIn = new SignInPage(signInPage);
    await signIn.signIn('demo-adviser', 'not-the-password');
    await signIn.alert().waitFor();
    await expect(focusedText(signInPage)).resolves.toBe('The username or password is not right');
    await signInPage.context().close();

    const { page, call } = await signedInDesk();
    await offerCall(product, 'demo-adviser', '07700900321');
    const answer = page
      .getByRole('region', { name: 'Incoming call' })
      .getByRole('button', { name: 'Answer' });
    await answer.focus();
    await page.keyboard.press('Enter');
    await call.heading().filter({ hasText: 'Connected' }).waitFor();
    await focusLandsOn(page, 'Voice call: Connected');

    // Alt+3 jumps to Barriers from anywhere and puts focus on its heading.
    await page.keyboard.press('Alt+3');
    await page.getByRole('heading', { name: /^Barriers/ }).waitFor();
    // Focus moves once the stage has drawn, which can come after its heading shows.
    await expect
      .poll(() => page.locator(':focus').getAttribute('data-stage-heading'))
      .toBe('barriers');

    for (const [key, stage] of [
      ['1', 'Caller and eligibility'],
      ['2', 'Starting point'],
      ['3', 'Barriers'],
      ['4', 'English, maths and digital'],
      ['5', 'Next steps'],
      ['6', 'Follow-up'],
      ['7', 'Transcript'],
      ['8', 'Service questions'],
    ] as const) {
      await page.keyboard.press(`Alt+${key}`);
      await page.getByRole('heading', { name: new RegExp(`^${stage}`) }).waitFor();
      const reason = page.getByLabel('Reason not covered');
      await reason.focus();
      await page.keyboard.type('Keyboard-only test');
      // The button is enabled by the reason once the page has drawn it: until
      // then Tab would pass over it (a busy machine draws later than it types).
      await expect
        .poll(() => page.getByRole('button', { name: /^Mark .* not covered$/ }).isEnabled())
        .toBe(true);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.getByText('Not covered: Keyboard-only test').waitFor();
    }
    const end = page.getByRole('button', { name: 'End call' });
    await end.focus();
    await page.keyboard.press('Enter');
    await call.heading().filter({ hasText: 'Wrap-up' }).waitFor();
    await focusLandsOn(page, 'Voice call: Wrap-up');
    // The outcome code is a radio group: Tab reaches it, Space chooses.
    const firstCode = call.outcomeCodes().getByRole('radio').first();
    await firstCode.focus();
    await page.keyboard.press('Space');
    await expect(firstCode.isChecked()).resolves.toBe(true);
    const complete = page.getByRole('button', { name: 'Complete interaction' });
    await complete.focus();
    await page.keyboard.press('Enter');
    // The summary opens with focus on its heading; Tab reaches Confirm, Enter completes.
    await focusLandsOn(page, 'Check before you complete');
    await page.keyboard.press('Tab');
    await focusLandsOn(page, 'Confirm and complete');
    await page.keyboard.press('Enter');
    await complete.waitFor({ state: 'detached' });
    await focusLandsOn(page, 'Waiting for a call');
    await page.context().close();
  });
});
