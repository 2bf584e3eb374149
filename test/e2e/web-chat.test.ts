// A web chat end to end, in real Chromium with two browser contexts: a customer
// on the central server's chat page and the demo adviser on the desk (browser
// mode). The customer starts a chat, the adviser accepts it, messages go both
// ways in order, the customer asks for a transcript, the adviser completes the
// interaction, and the transcript email reaches the server's mail sink. Also:
// the desk page reloads mid-chat and the conversation comes back whole. And
// the adviser's availability tells one story: an offer left to run out says
// so, with the way back to Available one key press away; a declined chat goes
// to another adviser; the counters on the offer and in the header move.
// Last, the live desk's layout on a 1366 x 768 laptop (decision 0033): the
// conversation, the stage and an open article in view together, each column
// scrolling on its own, a one-line heading with the chat's own words, times on
// every message on both sides, and a call's stage, knowledge and Complete.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../../shared/interaction/record';
import type { Result } from '../../shared/result';
import type { ChatOffer } from '../../shared/wire/chat';
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
import { CustomerChatPage, DeskChatPage } from './pages/chat';
import { DeskPage } from './pages/desk';
import { KnowledgePage } from './pages/knowledge';
import { InteractionPage } from './pages/interaction';
import { accessibilityProblems, laptop, screenshot } from './screens';

interface MailEntry {
  id: string;
  to: string[] | string;
  subject: string;
}

let browser: Browser | null = null;
let product: Product;
/** The transcript email of the first test, for the check on its chat messages. */
let transcriptText: string | null = null;

beforeAll(async () => {
  browser = await launchBrowser();
  if (!browser) return;
  // The harness starts the server with chat open at all hours.
  product = await startProduct();
});

afterAll(async () => {
  await browser?.close();
  if (product) await product.stop();
});

async function signedInDesk(): Promise<{ page: Page; chat: DeskChatPage; call: InteractionPage }> {
  if (!browser) throw new Error('no browser');
  const page = await openSignedInDesk(browser, product, 'demo-adviser');
  const chat = new DeskChatPage(page);
  await chat.setAvailability('Offline');
  // The waiting panel says what the header's Availability says: one truth.
  const panel = page.getByRole('region', { name: 'Waiting for a call' });
  await panel.getByText('Offline', { exact: true }).waitFor();
  await chat.setAvailability('Available');
  await panel.getByText('Available', { exact: true }).waitFor();
  return { page, chat, call: new InteractionPage(page) };
}

async function customerPage(): Promise<{ page: Page; customer: CustomerChatPage }> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => product.log.push(`[customer page error] ${error.message}`));
  const customer = new CustomerChatPage(page);
  await customer.open(product.serverUrl);
  return { page, customer };
}

/** The telephony side puts a call in the call queue, for routing to offer. */
async function queueCall(cli: string): Promise<string> {
  const key = readFileSync(join(product.dataDir, 'server', 'telephony.key'), 'utf8').trim();
  const response = await fetch(`${product.serverUrl}/api/telephony/queue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telephony-key': key },
    body: JSON.stringify({ cli }),
  });
  const body = (await response.json()) as Result<{ callId: string }>;
  if (!body.ok) throw new Error(`call not queued: ${body.error.message}`);
  return body.value.callId;
}

/** The caller hangs up, as the telephony side reports it. */
async function callerHangsUp(callId: string): Promise<void> {
  const key = readFileSync(join(product.dataDir, 'server', 'telephony.key'), 'utf8').trim();
  await fetch(`${product.serverUrl}/api/telephony/calls/${callId}/end`, {
    method: 'POST',
    headers: { 'x-telephony-key': key },
  });
}

/** A second adviser, on a signed-in desk socket of their own, available, keeping what is offered. */
async function otherAdviser(): Promise<{
  desk: Socket;
  offers: ChatOffer[];
  ask<T>(event: string, payload: unknown): Promise<Result<T>>;
}> {
  const token = await serverAccessToken(product, 'demo-adviser-2');
  const desk = io(product.serverUrl, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token, deskId: randomUUID() },
  });
  const offers: ChatOffer[] = [];
  desk.on('chat:offered', (offer: ChatOffer) => offers.push(offer));
  await new Promise<void>((resolve, reject) => {
    desk.once('connect', () => resolve());
    desk.once('connect_error', reject);
  });
  const ask = <T>(event: string, payload: unknown) =>
    desk.timeout(5_000).emitWithAck(event, payload) as Promise<Result<T>>;
  expect((await ask('adviser:availability', { availability: 'available' })).ok).toBe(true);
  return { desk, offers, ask };
}

async function readMail(token: string, id: string): Promise<string> {
  const response = await fetch(`${product.serverUrl}/api/mail/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { ok: boolean; value?: { text: string } };
  if (!body.ok || !body.value) throw new Error(`mail ${id} could not be read`);
  return body.value.text;
}

const customerSays = [
  'Hi, I am 16 and I want to work with animals',
  'Do I need A levels to become a vet? <b>not bold</b>',
];
const adviserSays = [
  'Hello Sam, thanks for getting in touch. Vets study veterinary science at university.',
  'Most courses ask for chemistry and biology A levels.',
];

describe('a web chat, end to end', () => {
  it('customer and adviser chat in order, the adviser completes, and the transcript email arrives', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat, call } = await signedInDesk();
    const { page: customerTab, customer } = await customerPage();

    await customer.start('Sam', 16);
    await chat.offer().waitFor();
    await expect(chat.offer().innerText()).resolves.toMatch(/Sam, aged 16/);
    // Never more than the 20 seconds an offer lasts, even in its first second on screen.
    await expect(chat.offer().getByRole('timer').innerText()).resolves.toMatch(
      /^Accept within ([1-9]|1\d|20) seconds?$/,
    );
    await chat.accept();
    await customer.waitForAdviser();

    // Turn by turn, each side sees the other's message before answering.
    await customer.send(customerSays[0] ?? '');
    await chat.waitForMessage('Sam', customerSays[0] ?? '');
    await chat.send('Sam', adviserSays[0] ?? '');
    await customer.waitForMessage(adviserSays[0] ?? '');
    await customer.send(customerSays[1] ?? '');
    await chat.waitForMessage('Sam', customerSays[1] ?? '');
    await chat.send('Sam', adviserSays[1] ?? '');
    await customer.waitForMessage(adviserSays[1] ?? '');

    const inOrder = [customerSays[0], adviserSays[0], customerSays[1], adviserSays[1]];
    await expect(chat.messageTexts('Sam')).resolves.toEqual(inOrder);
    await expect(customer.messageTexts()).resolves.toEqual(inOrder);
    // Every message, theirs and the adviser's, carries the time the helpline kept it.
    const times = await customer.messageTimes();
    expect(times).toHaveLength(inOrder.length);
    for (const time of times) expect(Number.isNaN(Date.parse(time))).toBe(false);
    // Markup the customer typed is text on the desk.
    await expect(deskPage.locator('.chat-message__text b').count()).resolves.toBe(0);

    // An article's public page, sent from the knowledge panel beside the chat. On
    // this 1280 px window a chat folds the panel away until the adviser asks for it.
    await chat.shown().getByRole('button', { name: 'Show knowledge' }).click();
    const knowledge = new KnowledgePage(deskPage);
    await knowledge.waitUntilUpToDate();
    await knowledge.type('veterinary');
    await knowledge.open(/^Vet, veterinary nurse/);
    await knowledge.panel().getByRole('button', { name: 'Send link in chat' }).click();
    await knowledge.panel().getByText('Link sent in the chat.').waitFor();
    await customer.waitForMessage('https://nationalcareers.service.gov.uk/job-profiles/vet');

    await customer.askForTranscript('sam@example.org');
    await chat.recordTranscriptRequest();

    await call.goTo('nextSteps');
    await deskPage
      .getByLabel('Main points discussed')
      .fill('Veterinary science needs chemistry and biology A levels.');
    const addAction = deskPage.getByRole('form', { name: 'Add an action' });
    await addAction.getByLabel('Action').fill('Look up veterinary science entry requirements');
    await addAction.getByRole('button').first().click();
    await call.markEverythingElseNotCovered('Short web chat test');

    await chat.endChat();
    await customerTab.getByRole('heading', { name: 'The chat has ended' }).waitFor();
    // Only the wrap-up's outcome code is left; complete() chooses one.
    await expect(call.missing().innerText()).resolves.toBe('Wrap-up: choose an outcome code');
    await call.complete();

    const token = await serverAccessToken(product, 'demo-leader');
    const records = await eventually('the chat record on the server', async () => {
      const items = await serverList<InteractionRecord>(product, '/api/interactions', token);
      return items.some((item) => item.channel === 'webchat') ? items : null;
    });
    const record = records.find((item) => item.channel === 'webchat');
    expect(record?.summary.transcript).toEqual({
      decision: 'send',
      via: 'email',
      address: 'sam@example.org',
    });

    const mail = await eventually('the transcript email in the mail sink', async () => {
      const items = await serverList<MailEntry>(product, '/api/mail', token);
      return items.find((item) => String(item.to).includes('sam@example.org')) ?? null;
    });
    const text = await readMail(token, mail.id);
    expect(text).toContain('Veterinary science needs chemistry and biology A levels.');
    expect(text).toContain('Look up veterinary science entry requirements');
    transcriptText = text;
    await customerTab.context().close();
    await deskPage.context().close();
  });

  // The desk composes the transcript from the interaction record, which
  // carries the chat log (CHAT_MESSAGE events in its journal).
  it('the transcript email carries the chat messages', (context) => {
    if (!browser) return context.skip();
    expect(transcriptText, 'the first test did not get as far as the email').not.toBeNull();
    for (const line of [...customerSays, ...adviserSays]) expect(transcriptText).toContain(line);
  });

  it('brings the conversation back whole after the desk page reloads mid-chat', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat } = await signedInDesk();
    const { page: customerTab, customer } = await customerPage();
    await customer.start('Jo', null);
    await chat.accept();
    await customer.waitForAdviser();
    await customer.send('Before the reload, one');
    await chat.waitForMessage('Jo', 'Before the reload, one');
    await chat.send('Jo', 'Before the reload, two');
    await customer.waitForMessage('Before the reload, two');

    await deskPage.reload();
    await deskPage.waitForSelector('html[data-desk-ready="true"]');
    await new DeskPage(deskPage).waitForConnection('online');
    await chat.log('Jo').waitFor();
    await expect(chat.messageTexts('Jo')).resolves.toEqual([
      'Before the reload, one',
      'Before the reload, two',
    ]);

    // And it carries on: both ways, nothing twice.
    await customer.send('After the reload, three');
    await chat.waitForMessage('Jo', 'After the reload, three');
    await chat.send('Jo', 'After the reload, four');
    await customer.waitForMessage('After the reload, four');
    const expected = [
      'Before the reload, one',
      'Before the reload, two',
      'After the reload, three',
      'After the reload, four',
    ];
    await expect(chat.messageTexts('Jo')).resolves.toEqual(expected);
    await expect(customer.messageTexts()).resolves.toEqual(expected);

    // The customer leaves: the desk says so and the interaction moves to wrap-up.
    await customerTab.getByRole('button', { name: 'End chat' }).click();
    await deskPage.getByText('Customer left.').waitFor();
    await deskPage.getByRole('heading', { level: 2, name: /^Web chat: Wrap-up/ }).waitFor();
    await customerTab.context().close();
    await deskPage.context().close();
  });

  it('sends a message written while the server is away once it is back, and nothing twice', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat } = await signedInDesk();
    const { page: customerTab, customer } = await customerPage();
    await customer.start('Kai', 15);
    await chat.accept();
    await customer.waitForAdviser();
    await customer.send('Hello before the outage');
    await chat.waitForMessage('Kai', 'Hello before the outage');

    await product.stopServer();
    await new DeskPage(deskPage).waitForConnection('reconnecting');
    const box = chat.shown().getByLabel('Message', { exact: true });
    await box.fill('Written while the server was away');
    await box.press('Enter');
    await chat.log('Kai').getByText('Sending…').waitFor();

    await product.startServer();
    await new DeskPage(deskPage).waitForConnection('online');
    await chat.log('Kai').getByText('Sending…').waitFor({ state: 'detached', timeout: 60_000 });
    await customer.waitForMessage('Written while the server was away');
    const expected = ['Hello before the outage', 'Written while the server was away'];
    await expect(chat.messageTexts('Kai')).resolves.toEqual(expected);
    await expect(customer.messageTexts()).resolves.toEqual(expected);
    // Ended, so the adviser has room for the next test's two chats.
    await customerTab.getByRole('button', { name: 'End chat' }).click();
    await deskPage.getByText('Customer left.').waitFor();
    await customerTab.context().close();
    await deskPage.context().close();
  });

  it('an offer left to run out: the counters move, then the desk says it was missed and the adviser is Busy, and one key press makes them available', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat } = await signedInDesk();
    const { page: customerTab, customer } = await customerPage();
    await customer.start('Mo', 15);
    await chat.offer().waitFor();

    // Never longer than the 20 seconds an offer lasts; and the counters move while it is open.
    await expect(chat.offer().getByRole('timer').innerText()).resolves.toMatch(
      /^Accept within ([1-9]|1\d|20) seconds?$/,
    );
    const waitedFirst = await chat.offerWaited();
    expect(waitedFirst).toMatch(/^\d+ seconds?$/);
    await eventually('the offer counting the wait on', async () =>
      (await chat.offerWaited()) !== waitedFirst ? true : null,
    );
    // The header knows someone waits: a wait in seconds, never "none", and it grows.
    const longestFirst = await chat.longestWait();
    expect(longestFirst).toMatch(/^\d+ seconds?$/);
    await eventually('the header counting the longest wait on', async () => {
      const longest = await chat.longestWait();
      expect(longest).not.toBe('none');
      return longest !== longestFirst ? true : null;
    });

    // Nobody accepts. Routing moves the chat on and sets the adviser Busy: the desk says so.
    await chat.missedOffer().waitFor({ timeout: 40_000 });
    await chat.offer().waitFor({ state: 'detached' });
    const notice = await chat.missedOffer().innerText();
    expect(notice).toContain('You missed a chat');
    expect(notice).toContain('Your availability is now Busy');
    await expect(chat.availabilityShown()).resolves.toBe('Busy');
    await deskPage
      .getByRole('region', { name: 'Waiting for a call' })
      .getByText('Busy', { exact: true })
      .waitFor();
    expect(await accessibilityProblems(deskPage, '.missed-offer')).toEqual([]);

    // From the main area's start, the first key press reaches the way back.
    await deskPage.locator('#main').focus();
    await deskPage.keyboard.press('Tab');
    await expect(
      deskPage.evaluate<string>("(document.activeElement?.textContent ?? '').trim()"),
    ).resolves.toBe('Make me available');
    await deskPage.keyboard.press('Enter');
    await chat.missedOffer().waitFor({ state: 'detached' });
    await eventually('the header showing Available', async () =>
      (await chat.availabilityShown()) === 'Available' ? true : null,
    );
    // Mo still waits, and is offered again at once.
    await chat.offer().waitFor();
    await chat.accept();
    await customer.waitForAdviser();
    await customerTab.getByRole('button', { name: 'End chat' }).click();
    await deskPage.getByText('Customer left.').waitFor();
    await customerTab.context().close();
    await deskPage.context().close();
  });

  it('a routed call left to ring out stops ringing and the desk says it was missed', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat } = await signedInDesk();
    const ringing = deskPage.getByRole('region', { name: 'Incoming call' });
    const callId = await queueCall('07700900999');
    await ringing.waitFor();

    await chat.missedOffer().waitFor({ timeout: 40_000 });
    // Not left ringing with an Answer that could only fail.
    await ringing.waitFor({ state: 'detached' });
    await expect(chat.missedOffer().innerText()).resolves.toContain('You missed a call');
    // Staying Busy is a choice too: the notice goes, and nothing rings.
    await chat.missedOffer().getByRole('button', { name: 'Stay Busy' }).click();
    await chat.missedOffer().waitFor({ state: 'detached' });
    await expect(chat.availabilityShown()).resolves.toBe('Busy');

    // Available again: the caller, still queued, rings again; hanging up stops it.
    await chat.setAvailability('Available');
    await ringing.waitFor();
    await callerHangsUp(callId);
    await ringing.waitFor({ state: 'detached' });
    await deskPage.context().close();
  });

  it('a declined chat is offered to another available adviser, or with nobody else, back to the decliner after a pause', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat } = await signedInDesk();
    // Available after the desk, so the desk's adviser is the one idle longest and offered first.
    const other = await otherAdviser();
    const { page: customerTab, customer } = await customerPage();
    await customer.start('Lee', 17);
    await chat.offer().waitFor();
    await chat.decline();
    const offered = await eventually(
      'the offer at the other adviser',
      async () => other.offers.find((offer) => offer.customerName === 'Lee') ?? null,
    );
    expect((await other.ask('chat:accept', { chatId: offered.chatId })).ok).toBe(true);
    await customer.waitForAdviser();
    await expect(customer.status().innerText()).resolves.toContain('Sam');
    // Declining is not missing: the desk's adviser stays Available, told of nothing.
    await expect(chat.availabilityShown()).resolves.toBe('Available');
    await expect(chat.missedOffer().count()).resolves.toBe(0);
    await customerTab.getByRole('button', { name: 'End chat' }).click();
    other.desk.close();
    await customerTab.context().close();

    // Alone now: declining is not answered by the same offer at once (which the desk used
    // to drop, leaving the adviser to be set Busy for an offer never seen), and the chat
    // is not lost either: it comes back once the pause after a decline is over.
    const second = await customerPage();
    await second.customer.start('Kim', 14);
    await chat.offer().waitFor();
    await chat.decline();
    // The header still counts Kim as waiting; the offer has not come straight back.
    await eventually('the header counting Kim as waiting', async () =>
      (await chat.queueFigure('Chats waiting')) === '1' ? true : null,
    );
    await expect(chat.offer().count()).resolves.toBe(0);
    await chat.offer().waitFor({ timeout: 45_000 });
    await expect(chat.offer().innerText()).resolves.toMatch(/Kim, aged 14/);
    await chat.accept();
    await second.customer.waitForAdviser();
    await expect(chat.missedOffer().count()).resolves.toBe(0);
    await second.page.getByRole('button', { name: 'End chat' }).click();
    await deskPage.getByText('Customer left.').waitFor();
    await second.page.context().close();
    await deskPage.context().close();
  });

  it('holds two chats at once, switched with a tab list', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat } = await signedInDesk();
    const first = await customerPage();
    await first.customer.start('Ava', 14);
    await chat.accept();
    await first.customer.waitForAdviser();
    const second = await customerPage();
    await second.customer.start('Ben', 17);
    await chat.accept();
    await second.customer.waitForAdviser();

    await chat.tabs().waitFor();
    await expect(chat.tabs().getByRole('tab').allInnerTexts()).resolves.toEqual(['Ava', 'Ben']);
    // The chat just accepted is the one on screen.
    await chat.shown().getByRole('log', { name: 'Chat with Ben' }).waitFor();
    await chat.send('Ben', 'Hello Ben');
    await second.customer.waitForMessage('Hello Ben');

    await first.customer.send('Is anyone there?');
    await chat
      .tabs()
      .getByRole('tab', { name: /Ava \(new message\)/ })
      .waitFor();
    await chat.switchTo('Ava');
    await chat.waitForMessage('Ava', 'Is anyone there?');
    await chat.send('Ava', 'Yes, hello Ava');
    await first.customer.waitForMessage('Yes, hello Ava');
    await expect(first.customer.messageTexts()).resolves.toEqual([
      'Is anyone there?',
      'Yes, hello Ava',
    ]);
    await expect(second.customer.messageTexts()).resolves.toEqual(['Hello Ben']);
    // Each chat has its own screen; labels point at one element each only if ids never repeat.
    const ids = await deskPage
      .locator('[id]')
      .evaluateAll((elements) => elements.map((element) => element.id));
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    // Both customers end their chats, so the adviser's room is free for the next test.
    for (const customer of [first, second]) {
      await customer.page.getByRole('button', { name: 'End chat' }).click();
      await customer.page.getByRole('heading', { name: 'The chat has ended' }).waitFor();
    }
    await first.page.context().close();
    await second.page.context().close();
    await deskPage.context().close();
  });

  it('a customer who asks their own device to be remembered: their next chat shows the adviser the first, redacted', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat, call } = await signedInDesk();
    const { page: customerTab, customer } = await customerPage();
    // Never remembered by default.
    await expect(customer.rememberDevice().isChecked()).resolves.toBe(false);
    await customer.start('Jade', 15, true);
    await chat.accept();
    await customer.waitForAdviser();
    const side = deskPage.getByRole('complementary', { name: 'Interaction checks' });
    await side.getByText('No earlier chats from this device.').waitFor();

    await call.goTo('nextSteps');
    await deskPage.getByLabel('Main points discussed').fill('jade wants to design games');
    await call.markEverythingElseNotCovered('Short web chat test');
    await chat.endChat();
    await call.complete();
    const token = await serverAccessToken(product, 'demo-leader');
    await eventually('the first chat record on the server', async () => {
      const items = await serverList<InteractionRecord>(product, '/api/interactions', token);
      return items.some((item) => item.summary.nextSteps.mainPoints.includes('design games'))
        ? true
        : null;
    });

    // Back on the same device another day (a new tab in the same browser): still
    // ticked, and the adviser sees the first chat.
    const againTab = await customerTab.context().newPage();
    const again = new CustomerChatPage(againTab);
    await again.open(product.serverUrl);
    await expect(again.rememberDevice().isChecked()).resolves.toBe(true);
    await again.start('Jade', 15);
    await chat.accept();
    await again.waitForAdviser();
    const earlier = side.getByRole('region', { name: 'Earlier contact' });
    const first = earlier.getByRole('listitem').first();
    await first.waitFor();
    await expect(first.innerText()).resolves.toMatch(/web chat with Alex Adviser/);
    await first.getByText(/web chat with/).click();
    // The chat's own name hides "jade" though nothing in the sentence says it is a name.
    await first.getByText('[NAME 1] wants to design games').waitFor();

    // Unticked: forgotten.
    await againTab.getByRole('button', { name: 'End chat' }).click();
    await deskPage.getByText('Customer left.').waitFor();
    const lastTab = await customerTab.context().newPage();
    const last = new CustomerChatPage(lastTab);
    await last.open(product.serverUrl);
    await last.start('Jade', 15, false);
    await expect(
      lastTab.evaluate("localStorage.getItem('helpline-remembered-device')"),
    ).resolves.toBeNull();
    await customerTab.context().close();
    await deskPage.context().close();
  });
});

const smallerLaptop = { width: 1280, height: 720 };

/**
 * Whether the whole of an element is on screen: inside the window and inside
 * every scrolling box around it (a column that scrolled it away hides it as
 * surely as the window's edge).
 */
async function wholeInView(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    // Runs in the page; the test's own types know no DOM.
    interface Box {
      top: number;
      bottom: number;
      left: number;
      right: number;
      width: number;
      height: number;
    }
    interface Node {
      parentElement: Node | null;
      getBoundingClientRect(): Box;
    }
    const page = globalThis as unknown as {
      innerHeight: number;
      innerWidth: number;
      getComputedStyle(node: Node): { overflowX: string; overflowY: string };
    };
    const start = node as unknown as Node;
    const box = start.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const within = (frame: Pick<Box, 'top' | 'bottom' | 'left' | 'right'>) =>
      box.top >= frame.top - 1 &&
      box.bottom <= frame.bottom + 1 &&
      box.left >= frame.left - 1 &&
      box.right <= frame.right + 1;
    if (!within({ top: 0, left: 0, bottom: page.innerHeight, right: page.innerWidth }))
      return false;
    for (let parent = start.parentElement; parent; parent = parent.parentElement) {
      const style = page.getComputedStyle(parent);
      if (!/(auto|scroll|hidden)/.test(`${style.overflowX} ${style.overflowY}`)) continue;
      if (!within(parent.getBoundingClientRect())) return false;
    }
    return true;
  });
}

/** An element's height in CSS pixels. */
async function heightOf(element: Locator): Promise<number> {
  const box = await element.boundingBox();
  if (!box) throw new Error('not on screen');
  return box.height;
}

/** Whether these elements sit on one line: their vertical middles agree. */
async function onOneLine(elements: Locator[]): Promise<boolean> {
  const middles: number[] = [];
  for (const element of elements) {
    const box = await element.boundingBox();
    if (!box) return false;
    middles.push(box.y + box.height / 2);
  }
  return Math.max(...middles) - Math.min(...middles) < 12;
}

/** The desk's header keeps each of its rows on one line: the first row's parts share a line. */
async function deskHeaderUnwrapped(page: Page): Promise<boolean> {
  const header = page.locator('header.desk__header');
  return onOneLine([
    header.getByText('Careers helpline desk'),
    header.getByLabel('Availability'),
    header.getByRole('region', { name: 'Queue' }),
    header.getByRole('button', { name: 'Sign out' }),
  ]);
}

/** "14:05" in London, as the desk shows a message's time. */
const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
});

/** "2:05pm" in London, as the customer's page and their emailed transcript show it. */
function londonTwelveHour(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: 'h12',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('hour')}:${part('minute')}${part('dayPeriod').toLowerCase()}`;
}

describe('the live desk on a 1366 x 768 laptop', () => {
  // A product of its own: a chat the tests above left in the queue would be
  // offered here, and an offer on screen takes height from the columns measured.
  beforeAll(async () => {
    if (!browser) return;
    await product.stop();
    product = await startProduct();
  });

  it('a chat: conversation, stage and an open article in view together, in the chat’s own words, with times on every message', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, chat } = await signedInDesk();
    await deskPage.setViewportSize(laptop);
    const { page: customerTab, customer } = await customerPage();
    await customer.start('Rowan', 15);
    await chat.accept();
    await customer.waitForAdviser();
    const screen = chat.shown();

    // Enough of a conversation to fill the column: it must scroll, and keep the newest in view.
    for (let turn = 1; turn <= 4; turn += 1) {
      await customer.send(
        `Question ${turn}: what do I need to become a vet nurse, and how long does it take?`,
      );
      await chat.waitForMessage('Rowan', `Question ${turn}:`);
      await chat.send(
        'Rowan',
        `Answer ${turn}: there is a college route and an apprenticeship route.`,
      );
      await customer.waitForMessage(`Answer ${turn}:`);
    }

    const knowledge = new KnowledgePage(deskPage);
    await knowledge.waitUntilUpToDate();
    await knowledge.type('veterinary');
    await knowledge.open(/^Vet, veterinary nurse/);
    await customer.send('Thanks, that helps a lot');
    await chat.waitForMessage('Rowan', 'Thanks, that helps a lot');

    const log = chat.log('Rowan');
    const lastMessage = log.locator('.chat-message').last();
    const stage = screen.locator('section.stage-panel');
    await expect(lastMessage.innerText()).resolves.toContain('Thanks, that helps a lot');
    // All at once, nothing scrolled: the newest message, the stage's heading and
    // first question, the article, and the box to answer in.
    await expect(wholeInView(lastMessage)).resolves.toBe(true);
    await expect(wholeInView(stage.getByRole('heading', { level: 2 }))).resolves.toBe(true);
    await expect(wholeInView(stage.getByRole('group', { name: 'Who is calling' }))).resolves.toBe(
      true,
    );
    await expect(wholeInView(knowledge.articleHeading(/^Vet, veterinary nurse/))).resolves.toBe(
      true,
    );
    await expect(wholeInView(screen.getByLabel('Message', { exact: true }))).resolves.toBe(true);
    await expect(
      wholeInView(screen.getByRole('button', { name: 'Send', exact: true })),
    ).resolves.toBe(true);
    // The stages and the safeguarding button, in the column beside them.
    await expect(wholeInView(screen.getByRole('navigation', { name: 'Stages' }))).resolves.toBe(
      true,
    );
    await expect(
      wholeInView(screen.getByRole('button', { name: 'Raise safeguarding concern' })),
    ).resolves.toBe(true);
    // The window itself never scrolls: the columns do.
    await expect(
      deskPage.evaluate(() => {
        const root = (
          globalThis as unknown as {
            document: { scrollingElement: { scrollHeight: number; clientHeight: number } };
          }
        ).document.scrollingElement;
        return root.scrollHeight <= root.clientHeight;
      }),
    ).resolves.toBe(true);

    // The chat's own words: its clock, no Hold, End chat; and the heading on one line.
    const bar = screen.locator('.interaction__bar');
    await expect(bar.getByText(/^Chat time \d+:\d\d$/).count()).resolves.toBe(1);
    await expect(screen.getByText('Call time').count()).resolves.toBe(0);
    await expect(screen.getByRole('button', { name: 'Hold' }).count()).resolves.toBe(0);
    await expect(screen.getByRole('button', { name: 'Show knowledge' }).isVisible()).resolves.toBe(
      false,
    );
    const endChat = screen.getByRole('button', { name: 'End chat' });
    await expect(heightOf(bar)).resolves.toBeLessThanOrEqual((await heightOf(endChat)) + 4);
    await expect(
      onOneLine([screen.getByRole('heading', { level: 2, name: /^Web chat:/ }), endChat]),
    ).resolves.toBe(true);
    await expect(deskHeaderUnwrapped(deskPage)).resolves.toBe(true);

    // Times on every message, London's clock, in a <time> with the instant, read after the name.
    const deskTimes = await log.locator('.chat-message').evaluateAll((items) =>
      items.map((item) => {
        const inPage = item as unknown as {
          querySelector(
            selector: string,
          ): { textContent: string | null; getAttribute(name: string): string | null } | null;
        };
        const time = inPage.querySelector('.chat-message__meta time');
        return { at: time?.getAttribute('datetime') ?? '', shown: time?.textContent ?? '' };
      }),
    );
    expect(deskTimes).toHaveLength(9);
    for (const { at, shown } of deskTimes) expect(shown).toBe(londonClock.format(new Date(at)));
    await expect(
      log.locator('.chat-message').first().locator('.chat-message__meta').textContent(),
    ).resolves.toMatch(/^Rowan, at \d\d:\d\d$/);
    const customerTimes = await customer
      .log()
      .locator('li.message')
      .evaluateAll((items) =>
        items.map((item) => {
          const inPage = item as unknown as {
            querySelector(
              selector: string,
            ): { textContent: string | null; getAttribute(name: string): string | null } | null;
          };
          const time = inPage.querySelector('.author time');
          return { at: time?.getAttribute('datetime') ?? '', shown: time?.textContent ?? '' };
        }),
      );
    expect(customerTimes).toHaveLength(9);
    for (const { at, shown } of customerTimes) expect(shown).toBe(londonTwelveHour(at));

    await expect(
      accessibilityProblems(deskPage, 'article.interaction:not([hidden])'),
    ).resolves.toEqual([]);
    await expect(accessibilityProblems(deskPage, 'header.desk__header')).resolves.toEqual([]);
    await screenshot(deskPage, 'chat-layout-chat-article');

    // Scrolled up to read back, the adviser stays where they are when a message comes...
    await log.evaluate((node) => {
      (node as unknown as { scrollTop: number }).scrollTop = 0;
    });
    await customer.send('One more thing: is there funding?');
    await chat.waitForMessage('Rowan', 'One more thing');
    await expect(wholeInView(log.locator('.chat-message').first())).resolves.toBe(true);
    await expect(wholeInView(log.locator('.chat-message').last())).resolves.toBe(false);
    // ...and back at the bottom, the next one comes into view.
    await log.evaluate((node) => {
      const box = node as unknown as { scrollTop: number; scrollHeight: number };
      box.scrollTop = box.scrollHeight;
    });
    await customer.send('And is it full time?');
    await chat.waitForMessage('Rowan', 'And is it full time?');
    await expect(wholeInView(log.locator('.chat-message').last())).resolves.toBe(true);

    // Narrower, the knowledge panel folds behind a button; shown, it takes the stage's column.
    await deskPage.setViewportSize(smallerLaptop);
    await expect(deskHeaderUnwrapped(deskPage)).resolves.toBe(true);
    const toggle = screen.getByRole('button', { name: 'Show knowledge' });
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(knowledge.panel().isVisible()).resolves.toBe(false);
    await expect(wholeInView(stage.getByRole('heading', { level: 2 }))).resolves.toBe(true);
    await screenshot(deskPage, 'chat-layout-chat');
    await expect(wholeInView(log.locator('.chat-message').last())).resolves.toBe(true);
    await toggle.click();
    const hide = screen.getByRole('button', { name: 'Hide knowledge' });
    await expect(hide.getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(wholeInView(knowledge.articleHeading(/^Vet, veterinary nurse/))).resolves.toBe(
      true,
    );
    await expect(wholeInView(log.locator('.chat-message').last())).resolves.toBe(true);
    // Straight into the search box, for the next search.
    await deskPage.waitForFunction(() => {
      const active = (
        globalThis as unknown as {
          document: { activeElement: { getAttribute(name: string): string | null } | null };
        }
      ).document.activeElement;
      return active?.getAttribute('aria-label') === 'Search knowledge';
    });
    await screenshot(deskPage, 'chat-layout-chat-knowledge-shown');
    // Picking a stage gives the stage its column back.
    await deskPage.keyboard.press('Alt+2');
    await screen.getByRole('heading', { level: 2, name: /^Starting point/ }).waitFor();
    await expect(knowledge.panel().isVisible()).resolves.toBe(false);

    await customerTab.getByRole('button', { name: 'End chat' }).click();
    await deskPage.getByText('Customer left.').waitFor();
    await customerTab.context().close();
    await deskPage.context().close();
  });

  it('a call: the stage and the knowledge panel side by side, and Complete in view at wrap-up', async (context) => {
    if (!browser) return context.skip();
    const { page: deskPage, call } = await signedInDesk();
    await deskPage.setViewportSize(laptop);
    await offerCall(product, 'demo-adviser', '07700900461');
    await call.answer();
    const screen = deskPage.locator('article.interaction:not([hidden])');
    const knowledge = new KnowledgePage(deskPage);
    await knowledge.waitUntilUpToDate();
    await knowledge.type('veterinary');
    await knowledge.open(/^Vet, veterinary nurse/);

    const stage = screen.locator('section.stage-panel');
    await expect(wholeInView(stage.getByRole('heading', { level: 2 }))).resolves.toBe(true);
    await expect(wholeInView(stage.getByRole('group', { name: 'Who is calling' }))).resolves.toBe(
      true,
    );
    await expect(wholeInView(knowledge.articleHeading(/^Vet, veterinary nurse/))).resolves.toBe(
      true,
    );
    await expect(wholeInView(screen.getByRole('navigation', { name: 'Stages' }))).resolves.toBe(
      true,
    );
    // A call's own words: its clock and Hold; the knowledge panel never folds in a call.
    await expect(screen.getByText(/^Call time \d+:\d\d$/).count()).resolves.toBe(1);
    await expect(screen.getByRole('button', { name: 'Hold' }).isVisible()).resolves.toBe(true);
    await expect(screen.getByRole('button', { name: /knowledge$/ }).count()).resolves.toBe(0);
    await expect(heightOf(screen.locator('.interaction__bar'))).resolves.toBeLessThanOrEqual(
      (await heightOf(screen.getByRole('button', { name: 'Hold' }))) + 4,
    );
    await screenshot(deskPage, 'chat-layout-call-article');
    await deskPage.setViewportSize(smallerLaptop);
    await expect(wholeInView(knowledge.articleHeading(/^Vet, veterinary nurse/))).resolves.toBe(
      true,
    );
    await screenshot(deskPage, 'chat-layout-call-article');
    await deskPage.setViewportSize(laptop);

    // At wrap-up, on the longest stage, Complete is on screen without scrolling.
    await call.endCall();
    await call.goTo('nextSteps');
    await expect(
      wholeInView(screen.getByRole('button', { name: 'Complete interaction' })),
    ).resolves.toBe(true);
    await expect(
      accessibilityProblems(deskPage, 'article.interaction:not([hidden])'),
    ).resolves.toEqual([]);
    await screenshot(deskPage, 'chat-layout-call-wrap-up');
    await call.markEverythingElseNotCovered('Layout test');
    await call.complete();
    await deskPage.context().close();
  });
});
