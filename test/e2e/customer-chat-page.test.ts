// The customer chat page in real Chromium against the real central server:
// start a chat on a phone-sized screen and see the place in the queue, pass an
// automated accessibility check, show hostile messages literally with nothing
// run, and say when the service opens when the server's clock is outside hours.
// The adviser's side here is a signed-in desk socket (socket.io-client).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/result';
import type { ChatMessage, ChatOffer } from '../../shared/wire/chat';
import { launchBrowser, serverAccessToken, startServerInProcess } from './harness';
import { accessibilityProblems } from './screens';

const pageBuilt = existsSync('dist/customer/index.html');

/** Midday in London; the out-of-hours test moves it. */
let clockAt = Date.parse('2026-11-30T12:00:00Z');
let browser: Browser | null = null;
let running: Awaited<ReturnType<typeof startServerInProcess>>;
const sockets: Socket[] = [];

beforeAll(async () => {
  if (!pageBuilt) {
    throw new Error('dist/customer is missing: run `npm run build:renderer` before this suite');
  }
  browser = await launchBrowser();
  if (browser) running = await startServerInProcess({ now: () => clockAt });
});

afterEach(() => {
  clockAt = Date.parse('2026-11-30T12:00:00Z');
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await browser?.close();
  if (running) await running.stop();
});

async function phonePage(options: { bypassCSP?: boolean } = {}): Promise<Page> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({
    viewport: { width: 375, height: 700 },
    isMobile: true,
    hasTouch: true,
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  return page;
}

async function signedInDesk(): Promise<Socket> {
  const token = await serverAccessToken({ serverUrl: running.server.url }, 'demo-adviser');
  const socket = io(running.server.url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token, deskId: randomUUID() },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

function ask<T>(socket: Socket, event: string, payload: unknown): Promise<Result<T>> {
  return socket.timeout(5_000).emitWithAck(event, payload) as Promise<Result<T>>;
}

/** A signed-in desk, available, keeping the chats offered to it and the messages it hears. */
async function availableDesk(): Promise<{
  desk: Socket;
  offers: ChatOffer[];
  atDesk: ChatMessage[];
}> {
  const desk = await signedInDesk();
  const offers: ChatOffer[] = [];
  const atDesk: ChatMessage[] = [];
  desk.on('chat:offered', (offer: ChatOffer) => offers.push(offer));
  desk.on('chat:message', (message: ChatMessage) => atDesk.push(message));
  expect((await ask(desk, 'adviser:availability', { availability: 'available' })).ok).toBe(true);
  return { desk, offers, atDesk };
}

async function startChat(page: Page, name: string): Promise<void> {
  await page.goto(`${running.server.url}/chat`);
  await page.waitForSelector('html[data-chat-screen="start"]');
  await page.getByLabel('Your first name or a nickname').fill(name);
  await page.getByLabel(/Your age/).fill('16');
  await page.getByRole('button', { name: 'Start chat' }).click();
  await page.waitForSelector('html[data-chat-screen="chat"]');
}

describe('the customer chat page', () => {
  it('starts a chat on a phone-sized screen, shows the place in the queue, and passes an accessibility check', async (context) => {
    if (!browser) return context.skip();
    const page = await phonePage();
    await page.goto(`${running.server.url}/chat`);
    await page.waitForSelector('html[data-chat-screen="start"]');
    expect(await accessibilityProblems(page)).toEqual([]);

    // Keyboard only: tab to each field, type, and press Enter.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate('document.activeElement.id')).toBe('name');
    await page.keyboard.type('Jo');
    await page.keyboard.press('Tab');
    await page.keyboard.type('15');
    await page.keyboard.press('Enter');
    await page.waitForSelector('html[data-chat-screen="chat"]');
    const status = page.getByRole('status').filter({ hasText: 'queue' });
    await expect.poll(() => status.textContent()).toContain('You are next in the queue.');
    expect(await status.textContent()).toContain('cannot say how long the wait will be');
    expect(await page.evaluate('document.activeElement.id')).toBe('message');
    expect(await accessibilityProblems(page)).toEqual([]);

    // The page fits the phone: nothing wider than the screen.
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    await page.getByRole('button', { name: 'End chat' }).click();
    await page.waitForSelector('html[data-chat-screen="ended"]');
    await page.context().close();
  });

  it('shows hostile messages literally, runs nothing, and sends what the customer types exactly', async (context) => {
    if (!browser) return context.skip();
    const { desk, offers, atDesk } = await availableDesk();

    // With the page's CSP switched off, what keeps the page safe is showing text as text.
    const page = await phonePage({ bypassCSP: true });
    await startChat(page, 'Sam');
    await expect.poll(() => offers.length).toBe(1);
    const chatId = offers[0]?.chatId ?? '';
    expect((await ask(desk, 'chat:accept', { chatId })).ok).toBe(true);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Alex');

    const hostile = [
      '<script>window.pwned = 1</script>',
      '<img src=x onerror="window.pwned = 2">',
      '<a href="javascript:window.pwned=3">click me</a>',
      'https://example.org/a?b=<b>bold</b>',
      'abc\u202Eexe.txt\u202C \u2066isolate\u2069',
      '<svg onload="window.pwned=4"></svg>\n  second line  ',
    ];
    for (const text of hostile) {
      const sent = await ask(desk, 'chat:send', { chatId, clientMessageId: randomUUID(), text });
      expect(sent.ok).toBe(true);
    }
    const shown = page.locator('#messages li.theirs .text');
    await expect.poll(() => shown.count()).toBe(hostile.length);
    expect(await shown.allTextContents()).toEqual(hostile);
    expect(await page.locator('#messages script, #messages img, #messages svg').count()).toBe(0);
    // The one secure public address the adviser sent is a link, to exactly the
    // part of it that is an address; the javascript: markup stays text.
    const links = page.locator('#messages a');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://example.org/a?b=');
    expect(await page.evaluate('window.pwned')).toBeUndefined();

    // Typed by the customer, sent as typed.
    const typed = '<b onmouseover="alert(1)">hi</b> javascript:void(0)';
    await page.getByLabel('Your message').fill(typed);
    await page.keyboard.press('Enter');
    await expect.poll(() => atDesk.map((message) => message.text)).toEqual([typed]);
    await expect
      .poll(() => page.locator('#messages li.mine:not(.sending) .text').allTextContents())
      .toEqual([typed]);

    // 100 KB is refused with a clear message, and the words are kept in the box.
    const huge = 'x'.repeat(100 * 1024);
    await page.getByLabel('Your message').fill(huge);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'characters' }).count())
      .toBe(1);
    expect(await page.getByLabel('Your message').inputValue()).toHaveLength(huge.length);
    expect(atDesk).toHaveLength(1);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });

  it('makes a link the adviser sends clickable only after the desk’s check, opening it in a new tab', async (context) => {
    if (!browser) return context.skip();
    const { desk, offers } = await availableDesk();
    const page = await phonePage();
    await startChat(page, 'Mo');
    await expect.poll(() => offers.length).toBe(1);
    const chatId = offers[0]?.chatId ?? '';
    expect((await ask(desk, 'chat:accept', { chatId })).ok).toBe(true);

    const article =
      'Astronaut and careers in the UK space sector: https://nationalcareers.service.gov.uk/job-profiles/astronaut';
    const risky = 'The office page is https://192.168.1.10/staff and http://insecure.example/';
    for (const text of [article, risky]) {
      const sent = await ask(desk, 'chat:send', { chatId, clientMessageId: randomUUID(), text });
      expect(sent.ok).toBe(true);
    }
    const shown = page.locator('#messages li.theirs .text');
    await expect.poll(() => shown.count()).toBe(2);
    // Shown exactly as sent, the link included.
    expect(await shown.allTextContents()).toEqual([article, risky]);

    const link = shown.nth(0).getByRole('link', {
      name: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
    });
    expect(await link.getAttribute('href')).toBe(
      'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
    );
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    // A private-network address and an insecure one fail the check: text, not links.
    expect(await shown.nth(1).locator('a').count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);

    // A tap opens the page in a new tab and leaves the chat where it was.
    await page
      .context()
      .route('https://nationalcareers.service.gov.uk/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<title>Astronaut</title>' }),
      );
    const [opened] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe('https://nationalcareers.service.gov.uk/job-profiles/astronaut');
    expect(await opened.evaluate('window.opener')).toBeNull();
    expect(page.url()).toContain('/chat');
    // Ended, so the adviser has room for the next test's chats.
    await page.getByRole('button', { name: 'End chat' }).click();
    await page.waitForSelector('html[data-chat-screen="ended"]');
    await page.context().close();
  });

  it('a reload mid-chat brings the conversation back whole, each message once', async (context) => {
    if (!browser) return context.skip();
    const { desk, offers, atDesk } = await availableDesk();
    const page = await phonePage();
    await startChat(page, 'Kai');
    await expect.poll(() => offers.length).toBe(1);
    const chatId = offers[0]?.chatId ?? '';
    expect((await ask(desk, 'chat:accept', { chatId })).ok).toBe(true);
    await page.getByLabel('Your message').fill('I like building things');
    await page.keyboard.press('Enter');
    await expect.poll(() => atDesk.length).toBe(1);
    await ask(desk, 'chat:send', { chatId, clientMessageId: randomUUID(), text: 'Engineering?' });
    const texts = () => page.locator('#messages .text').allTextContents();
    await expect.poll(texts).toEqual(['I like building things', 'Engineering?']);

    await page.reload();
    await page.waitForSelector('html[data-chat-screen="chat"]');
    await expect.poll(texts).toEqual(['I like building things', 'Engineering?']);
    await ask(desk, 'chat:send', { chatId, clientMessageId: randomUUID(), text: 'Or design?' });
    await expect.poll(texts).toEqual(['I like building things', 'Engineering?', 'Or design?']);
    await page.getByLabel('Your message').fill('design!');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => atDesk.map((message) => message.text))
      .toEqual(['I like building things', 'design!']);
    await page.context().close();
  });

  it('a message written while the connection is down waits, then is sent once, in its place after what was missed', async (context) => {
    if (!browser) return context.skip();
    const { desk, offers, atDesk } = await availableDesk();
    // The chats earlier tests left open fill the adviser's room: end them first.
    const held = await ask<{ chats: { chatId: string }[] }>(desk, 'chat:resume', {});
    for (const chat of held.ok ? held.value.chats : []) {
      await ask(desk, 'chat:end', { chatId: chat.chatId });
    }
    const page = await phonePage();
    await startChat(page, 'Ash');
    await expect.poll(() => offers.length).toBe(1);
    const chatId = offers[0]?.chatId ?? '';
    expect((await ask(desk, 'chat:accept', { chatId })).ok).toBe(true);
    await page.getByLabel('Your message').fill('hello');
    await page.keyboard.press('Enter');
    await expect.poll(() => atDesk.length).toBe(1);

    // The signal goes (the browser drops its WebSocket at once).
    await page.context().setOffline(true);
    await page.waitForSelector('html[data-chat-online="false"]');
    await page.getByLabel('Your message').fill('written while offline');
    await page.keyboard.press('Enter');
    const waiting = page.locator('#messages li.mine.sending');
    await expect
      .poll(() => waiting.locator('.state').textContent())
      .toBe('Waiting for the connection…');
    await ask(desk, 'chat:send', { chatId, clientMessageId: randomUUID(), text: 'Still there?' });

    await page.context().setOffline(false);
    await page.waitForSelector('html[data-chat-online="true"]');
    await expect
      .poll(() => atDesk.map((message) => message.text))
      .toEqual(['hello', 'written while offline']);
    const texts = () => page.locator('#messages .text').allTextContents();
    await expect.poll(texts).toEqual(['hello', 'Still there?', 'written while offline']);
    await expect.poll(() => page.locator('#messages li.sending').count()).toBe(0);
    const seqs = await page
      .locator('#messages li')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-seq')));
    expect(seqs).toEqual(['1', '2', '3']);
    await page.context().close();
  });

  it('outside service hours says when the service opens and what to do in an emergency', async (context) => {
    if (!browser) return context.skip();
    // 23:15 in London on a Monday in winter (UTC+0).
    clockAt = Date.parse('2026-11-30T23:15:00Z');
    const page = await phonePage();
    await page.goto(`${running.server.url}/chat`);
    await page.waitForSelector('html[data-chat-screen="closed"]');
    const closed = page.locator('#closed');
    expect(await closed.getByRole('heading', { level: 2 }).textContent()).toBe(
      'We are closed right now',
    );
    const text = (await closed.textContent()) ?? '';
    expect(text).toContain('open every day from 08:00 to 22:00, UK time');
    expect(text).toContain('Tuesday 1 December');
    expect(text).toContain('08:00');
    for (const help of ['999', '0800 1111', '85258']) expect(text).toContain(help);
    expect(await page.getByRole('button', { name: 'Start chat' }).isVisible()).toBe(false);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.context().close();
  });
});
