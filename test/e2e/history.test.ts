// Interaction history end to end, in real Chromium against desks in browser
// mode and the real central server: an adviser completes a guided call; a
// trainer finds it with a filter, replays it (steps, jumps, plays) and sees
// none of the personal data typed during the call, with no way to reveal it;
// a team leader reveals it with a reason, and the audit record shows the view.
// Then the trainer adds it to the training library with a bookmark; the
// trainee (an adviser) cannot see it until a team leader clears it, and then
// replays it with its recording and goes to the bookmark.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../../shared/interaction/record';
import {
  eventually,
  launchBrowser,
  offerCall,
  openSignedInDesk,
  serverAccessToken,
  serverList,
  startExtraDesk,
  startProduct,
  type ExtraDesk,
  type Product,
} from './harness';
import { DeskPage } from './pages/desk';
import { HistoryPage } from './pages/history';
import { InteractionPage } from './pages/interaction';
import { TrainingPage } from './pages/training';

let browser: Browser | null = null;
let product: Product;
let readerDesk: ExtraDesk;
/** The adviser's desk, signed in, and the record of the call completed on it (the first test). */
let adviser: Page | null = null;
let completed: InteractionRecord | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
  if (!browser) return;
  product = await startProduct();
  readerDesk = await startExtraDesk(product);
});

afterAll(async () => {
  await browser?.close();
  await readerDesk?.stop();
  if (product) await product.stop();
});

const callerName = 'Priya Sharma';
const callerNumber = '07700900123';
const callerEmail = 'priya.sharma@example.org';

/** Personal data typed in the call, in the forms it might be shown. */
const personalData = [/Priya/i, /Sharma/i, /07700\s?900\s?123/, /priya\.sharma@/i];

async function completeGuidedCall(page: Page): Promise<string> {
  const call = new InteractionPage(page);
  const callId = await offerCall(product, 'demo-adviser', callerNumber);
  await call.answer();
  await page.getByRole('radio', { name: 'Young person' }).check();
  await page.getByLabel("Young person's age").fill('16');
  await page.getByRole('radio', { name: 'Within remit (13 to 18)' }).check();
  await call.notes('caller').fill(`${callerName} called; her number is 07700 900123.`);

  await call.goTo('startingPoint');
  await page.getByRole('radio', { name: 'College' }).check();
  await page
    .getByLabel('Goals and career ideas, in their words')
    .fill('Wants to be an electrician.');

  await call.goTo('followUp');
  const offer = await page.getByText(/Offer a call between/).innerText();
  const earliest = /between (\d{4}-\d{2}-\d{2})/.exec(offer)?.[1] ?? '';
  const booking = page.getByRole('form', { name: 'Book a follow-up' });
  await booking.getByLabel('Follow-up date').fill(earliest);
  await booking.getByLabel('Follow-up time (UK)').fill('10:30');
  await booking.getByLabel('Number or email address').fill(callerNumber);
  await booking.getByLabel('Customer consents to be contacted for the follow-up').check();
  await booking.getByRole('button', { name: 'Book follow-up' }).click();
  await page.getByText(/Follow-up booked: Phone call/).waitFor();

  await call.goTo('transcript');
  const transcript = page.getByRole('form', { name: 'Send a transcript' });
  await transcript.getByLabel('Email address').fill(callerEmail);
  await transcript.getByRole('button', { name: 'Record transcript choice' }).click();
  await page.getByText(`Transcript will be sent by email to ${callerEmail}.`).waitFor();

  await call.markEverythingElseNotCovered('Customer short of time');
  await call.endCall();
  await call.complete();
  return callId;
}

async function signInOnReaderDesk(username: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  return openSignedInDesk(browser, readerDesk.view, username);
}

describe('interaction history, end to end', () => {
  it('a trainer finds and replays a call without personal data; a team leader reveals it with a reason', async (context) => {
    if (!browser) return context.skip();
    adviser = await openSignedInDesk(browser, product, 'demo-adviser');
    const callId = await completeGuidedCall(adviser);
    const token = await serverAccessToken(product, 'demo-leader');
    const record = await eventually('the record on the server', async () => {
      const items = await serverList<InteractionRecord>(product, '/api/interactions', token);
      return items.find((item) => item.contactRef === callId) ?? null;
    });
    completed = record;

    // A trainer lands on the history area, not on "Waiting for a call".
    const trainer = await signInOnReaderDesk('demo-trainer');
    const history = new HistoryPage(trainer);
    await history.heading().waitFor();
    await expect(
      trainer.getByRole('heading', { name: 'Waiting for a call' }).isVisible(),
    ).resolves.toBe(false);

    await history.choose('Channel', 'Voice call');
    await history.choose('Follow-up booked', 'Yes');
    await history.choose('Stages not covered', 'Yes');
    await history.find();
    await expect(history.results().getByRole('row').count()).resolves.toBe(2);
    await history.choose('Follow-up booked', 'No');
    await history.find();
    await trainer.getByText('No interactions match these filters.').waitFor();
    await history.choose('Follow-up booked', 'Yes');
    await history.find();
    await history.openReplay(0);
    await expect(trainer.url()).toContain(`#/history/${record.id}`);

    // Step and jump, by button, by key and by the timeline.
    await expect(history.momentNumber()).resolves.toBe(1);
    await history.button('Next event').click();
    await expect(history.momentNumber()).resolves.toBe(2);
    await trainer.keyboard.press('ArrowRight');
    await expect(history.momentNumber()).resolves.toBe(3);
    await trainer.keyboard.press('ArrowLeft');
    await expect(history.momentNumber()).resolves.toBe(2);
    await history
      .timeline()
      .getByRole('button', { name: /Went to Follow-up/ })
      .first()
      .click();
    await history
      .screen()
      .getByRole('heading', { name: /^Follow-up/ })
      .waitFor();
    const jumped = await history.momentNumber();
    await trainer.keyboard.press('End');
    await expect(history.momentNumber()).resolves.toBe(record.journal.length);
    await history
      .screen()
      .getByRole('heading', { name: /Completed/ })
      .waitFor();
    await trainer.keyboard.press('Home');
    await expect(history.momentNumber()).resolves.toBe(1);

    // Play at 4x: the moments advance on their own, then pause stops them.
    await history.controls().getByLabel('Speed').selectOption('4');
    await history.button('Play').click();
    await eventually('the replay to move on', async () =>
      (await history.momentNumber()) > 2 ? true : null,
    );
    await history.button('Pause').click();
    const paused = await history.momentNumber();
    await trainer.waitForTimeout(600);
    await expect(history.momentNumber()).resolves.toBe(paused);

    // A link to a moment opens the replay there.
    await trainer.goto(
      `${readerDesk.deskUrl.split('#')[0]}#/history/${record.id}?at=${jumped - 1}`,
    );
    await history.controls().waitFor();
    await expect(history.momentNumber()).resolves.toBe(jumped);

    // No personal data at any moment, and no way to reveal it.
    await expect(history.personalDataBanner().innerText()).resolves.toMatch(
      /Personal data is hidden/,
    );
    await expect(
      history.personalDataBanner().getByRole('button', { name: 'Show personal data' }).count(),
    ).resolves.toBe(0);
    for (let index = 1; index <= record.journal.length; index += 1) {
      const content = await history.replayContent();
      for (const pattern of personalData) expect(content, `moment ${index}`).not.toMatch(pattern);
      if (index < record.journal.length) await trainer.keyboard.press('ArrowRight');
    }
    await new DeskPage(trainer).signOut();
    await trainer.context().close();

    // A team leader reveals the original, with a reason, and the view is recorded.
    const leader = await signInOnReaderDesk('demo-leader');
    const leaderHistory = new HistoryPage(leader);
    await leaderHistory.open();
    await leaderHistory.choose('Channel', 'Voice call');
    await leaderHistory.find();
    await leaderHistory.openReplay(0);
    // The call's recording plays beside the timeline: the player has loaded it.
    await leader.locator('audio').waitFor({ state: 'attached' });
    const seconds = await leader.evaluate<number>(
      `new Promise((resolve) => {
        const audio = document.querySelector('audio');
        if (audio.readyState >= 1) resolve(audio.duration);
        else audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
      })`,
    );
    expect(seconds).toBeGreaterThan(0);
    await leader.keyboard.press('End');
    await expect(leaderHistory.replayContent()).resolves.not.toMatch(/Priya/);
    await leaderHistory.reveal('too short');
    await leader
      .getByText(/at least 10 characters/)
      .first()
      .waitFor();
    await leader
      .getByRole('form', { name: 'Show personal data' })
      .getByLabel('Why do you need to see the personal data?')
      .fill('Checking the follow-up number with the adviser');
    await leader
      .getByRole('form', { name: 'Show personal data' })
      .getByRole('button', { name: 'Show personal data' })
      .click();
    await leaderHistory
      .personalDataBanner()
      .filter({ hasText: 'Personal data is shown' })
      .waitFor();
    await expect(leaderHistory.replayContent()).resolves.toMatch(/Priya Sharma/);

    await leader.getByRole('link', { name: 'Personal data views' }).click();
    const views = leader.getByRole('table', { name: 'Personal data views' });
    await views
      .getByRole('cell', { name: 'Checking the follow-up number with the adviser' })
      .waitFor();
    await expect(
      views.getByRole('cell', { name: 'Taylor Leader' }).count(),
    ).resolves.toBeGreaterThan(0);
    await new DeskPage(leader).signOut();
    await leader.context().close();
  });

  it('an adviser taking a call from the same number sees that earlier contact, before and after answering', async (context) => {
    if (!browser || !adviser || !completed) return context.skip();
    const call = new InteractionPage(adviser);
    // The same line, written as the telephony side might send it from abroad.
    await offerCall(product, 'demo-adviser', '+44 7700 900123');
    const card = adviser.getByRole('region', { name: 'Incoming call' });
    await card.getByText('From 07700 900123').waitFor();
    await card
      .getByText(/^Once before, last on .+ with Alex Adviser; follow-up booked for/)
      .waitFor();
    await call.answer();
    const earlier = adviser.getByRole('region', { name: 'Earlier contact' });
    await earlier.getByText(/with Alex Adviser · College/).click();
    await earlier.getByText(/^Follow-up booked for .+ by phone call\.$/).waitFor();
    // Redacted: the number and name typed in the earlier call's notes are not shown.
    const text = await earlier.innerText();
    for (const pattern of personalData) expect(text).not.toMatch(pattern);
    await call.markEverythingElseNotCovered('Checking earlier contact only');
    await call.endCall();
    await call.complete();
  });

  it('a trainer adds the call to the training library; trainees see it only once a team leader clears it', async (context) => {
    if (!browser || !adviser || !completed) return context.skip();
    const record = completed;
    const title = 'Electrician goals, follow-up booked';

    // The trainer adds it from its replay, with tags, and pins a bookmark to a moment.
    const trainer = await signInOnReaderDesk('demo-trainer');
    await trainer.goto(`${readerDesk.deskUrl.split('#')[0]}#/history/${record.id}`);
    await trainer.getByRole('button', { name: 'Add to the training library' }).click();
    const editor = trainer.getByRole('form', { name: 'Training library entry' });
    await editor.getByRole('button', { name: 'Add to the library' }).click();
    await editor.getByText(/at least 3 characters/).waitFor();
    await editor.getByLabel('Title').fill(title);
    await editor.getByLabel('Tags').fill('Good practice in next steps, follow-up');
    await editor.getByLabel('What to learn from it').fill('How the follow-up was offered.');
    await editor.getByRole('button', { name: 'Add to the library' }).click();
    await trainer.waitForURL(new RegExp(`#/training/${record.id}$`));
    const library = new TrainingPage(trainer);
    const history = new HistoryPage(trainer);
    await library.entryPanel().getByText('Awaiting clearance').waitFor();
    // Before clearance the trainer hears no recording.
    await expect(trainer.locator('audio').count()).resolves.toBe(0);
    await history.controls().getByRole('button', { name: 'Next event' }).click();
    await history.controls().getByRole('button', { name: 'Next event' }).click();
    await expect(history.momentNumber()).resolves.toBe(3);
    await library.pin('Bookmark', 'Listen to the opening question');
    await new DeskPage(trainer).signOut();
    await trainer.context().close();

    // The trainee sees nothing yet.
    const trainee = new TrainingPage(adviser);
    await trainee.open();
    await expect(trainee.listText()).resolves.toMatch(/No interactions have been cleared/);

    // A team leader checks it (hearing the recording) and clears it.
    const leader = await signInOnReaderDesk('demo-leader');
    const leaderLibrary = new TrainingPage(leader);
    await leaderLibrary.open();
    await expect(leaderLibrary.listText()).resolves.toMatch(/Awaiting clearance/);
    await leaderLibrary.openEntry(title);
    expect(await leaderLibrary.audioSeconds()).toBeGreaterThan(0);
    await leaderLibrary.decide('Refuse');
    await leader.getByText(/Say why it is refused/).waitFor();
    await leaderLibrary.decide('Clear for training', 'Redacted view checked');
    await leaderLibrary
      .entryPanel()
      .getByText(/Cleared by Taylor Leader/)
      .waitFor();
    await new DeskPage(leader).signOut();
    await leader.context().close();

    // Now the trainee finds it by tag, replays it with its recording, and goes to the bookmark.
    await adviser.getByRole('link', { name: 'Live desk' }).click();
    await trainee.open();
    await adviser.getByLabel('Tag', { exact: true }).selectOption({ label: 'follow-up (1)' });
    await expect(trainee.listText()).resolves.toContain(title);
    await trainee.openEntry(title);
    expect(await trainee.audioSeconds()).toBeGreaterThan(0);
    await expect(
      adviser.getByRole('form', { name: 'Pin a bookmark or note' }).count(),
    ).resolves.toBe(0);
    const traineeHistory = new HistoryPage(adviser);
    await adviser.keyboard.press('End');
    await trainee
      .marks()
      .getByRole('button', { name: /Bookmark/ })
      .click();
    await expect(traineeHistory.momentNumber()).resolves.toBe(3);
    const content = await traineeHistory.replayContent();
    for (const pattern of personalData) expect(content).not.toMatch(pattern);
    await adviser.context().close();
  });
});
