// Web chat from both sides, found by role and label as a screen reader would:
// the customer's page served by the central server at /chat, and the chat
// parts of the adviser's desk (availability, the offer, the conversation).
import type { Page } from 'playwright-core';

/** The customer's chat page. */
export class CustomerChatPage {
  constructor(private readonly page: Page) {}

  async open(serverUrl: string): Promise<void> {
    await this.page.goto(`${serverUrl}/chat`);
  }

  /** `remember`: tick or untick "Remember this device"; left as the page shows it when not said. */
  async start(name: string, age: number | null, remember?: boolean): Promise<void> {
    const form = this.page.getByRole('region', { name: 'Start a chat' });
    await form.getByLabel('Your first name or a nickname').fill(name);
    if (age !== null) await form.getByLabel(/Your age/).fill(String(age));
    if (remember !== undefined) await this.rememberDevice().setChecked(remember);
    await form.getByRole('button', { name: 'Start chat' }).click();
    await this.page.getByRole('heading', { name: 'Your chat' }).waitFor();
  }

  rememberDevice() {
    return this.page.getByRole('checkbox', { name: 'Remember this device' });
  }

  status() {
    return this.page.locator('#chat-status');
  }

  async waitForAdviser(): Promise<void> {
    await this.status()
      .filter({ hasText: /chatting with/ })
      .waitFor();
  }

  log() {
    return this.page.getByRole('log', { name: 'Messages' });
  }

  /** Each message's text, in the order the page shows them. */
  async messageTexts(): Promise<string[]> {
    return this.log().locator('li .text').allInnerTexts();
  }

  /** The time shown beside each message (its `datetime`), in order; '' where none is shown. */
  async messageTimes(): Promise<string[]> {
    return this.log()
      .locator('li')
      .evaluateAll((items) =>
        items.map((item) => item.querySelector('time')?.getAttribute('datetime') ?? ''),
      );
  }

  async send(text: string): Promise<void> {
    await this.page.getByLabel('Your message').fill(text);
    await this.page.getByLabel('Your message').press('Enter');
    // Delivered once the server acknowledged it: the "Sending…" mark goes.
    await this.log().locator('li.sending').waitFor({ state: 'detached' });
  }

  async waitForMessage(text: string): Promise<void> {
    await this.log().locator('li .text', { hasText: text }).first().waitFor();
  }

  async askForTranscript(email: string): Promise<void> {
    const form = this.page.getByRole('region', { name: 'Get a copy of this chat' });
    await form.getByLabel('Email address').fill(email);
    await form.getByRole('button', { name: 'Email me a transcript' }).click();
    await form.getByText(/Thank you/).waitFor();
  }
}

/** The chat parts of the adviser's desk. */
export class DeskChatPage {
  constructor(private readonly page: Page) {}

  async setAvailability(label: 'Available' | 'Busy' | 'Wrap-up' | 'Break' | 'Offline') {
    const picker = this.page.getByLabel('Availability');
    await picker.selectOption({ label });
    // The picker shows what the server confirmed, and is enabled again once it has answered.
    await this.page
      .locator('.chat-header select:not([disabled]) option:checked')
      .filter({ hasText: label })
      // An option is never "visible" by itself; being the chosen one is enough.
      .waitFor({ state: 'attached' });
  }

  /** The interaction on screen. */
  shown() {
    return this.page.locator('article.interaction:not([hidden])');
  }

  tabs() {
    return this.page.getByRole('tablist', { name: 'Live chats' });
  }

  async switchTo(customerName: string): Promise<void> {
    await this.tabs()
      .getByRole('tab', { name: new RegExp(`^${customerName}`) })
      .click();
    await this.shown()
      .getByRole('log', { name: `Chat with ${customerName}` })
      .waitFor();
  }

  offer() {
    return this.page.getByRole('region', { name: 'Incoming chat' });
  }

  /** The availability the header's picker shows (what routing holds for the adviser). */
  async availabilityShown(): Promise<string> {
    return this.page.locator('.chat-header select option:checked').innerText();
  }

  /** The notice that routing changed the adviser's availability after an offer ran out. */
  missedOffer() {
    return this.page.getByRole('region', { name: /^You missed a (chat|call)$/ });
  }

  /** "Waited 12 seconds": the customer's wait as the offer shows it. */
  async offerWaited(): Promise<string> {
    const who = await this.offer().locator('.incoming-chat__who').innerText();
    return /\(waited ([^)]+)\)/.exec(who)?.[1] ?? '';
  }

  /** One of the header's queue figures by its term ("Chats waiting", "Longest wait"). */
  async queueFigure(term: string): Promise<string> {
    return this.page
      .getByRole('region', { name: 'Queue' })
      .locator('div', { has: this.page.locator('dt', { hasText: term }) })
      .locator('dd')
      .innerText();
  }

  /** The header's longest wait, as the adviser reads it ("none", "3 seconds"). */
  async longestWait(): Promise<string> {
    return this.queueFigure('Longest wait');
  }

  async decline(): Promise<void> {
    await this.offer().getByRole('button', { name: 'Decline' }).click();
    await this.offer().waitFor({ state: 'detached' });
  }

  async accept(): Promise<void> {
    await this.offer().getByRole('button', { name: 'Accept chat' }).click();
    await this.page.getByRole('heading', { level: 2, name: /^Web chat: Connected/ }).waitFor();
  }

  log(customerName: string) {
    return this.page.getByRole('log', { name: `Chat with ${customerName}` });
  }

  /** Each message's text, in the order the desk shows them. */
  async messageTexts(customerName: string): Promise<string[]> {
    return this.log(customerName).locator('.chat-message__text').allInnerTexts();
  }

  async waitForMessage(customerName: string, text: string): Promise<void> {
    await this.log(customerName)
      .locator('.chat-message__text', { hasText: text })
      .first()
      .waitFor();
  }

  /** Types and sends with Enter; waits until the server has acknowledged it. */
  async send(customerName: string, text: string): Promise<void> {
    // With several chats open, only the selected one's screen is shown.
    const box = this.shown().getByLabel('Message', { exact: true });
    await box.fill(text);
    await box.press('Enter');
    await this.log(customerName)
      .locator('.chat-message--adviser .chat-message__text', { hasText: text })
      .waitFor();
    await this.log(customerName).getByText('Sending…').waitFor({ state: 'detached' });
  }

  async recordTranscriptRequest(): Promise<void> {
    await this.page.getByRole('button', { name: 'Record transcript request' }).click();
    await this.page.getByText(/Recorded: the transcript will be sent/).waitFor();
  }

  async endChat(): Promise<void> {
    await this.shown().getByRole('button', { name: 'End chat' }).click();
    await this.page.getByRole('heading', { level: 2, name: /^Web chat: Wrap-up/ }).waitFor();
  }
}
