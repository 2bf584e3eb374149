// The training library, found by role and label as a screen reader would:
// the list with its filters, an entry's replay with the entry beside it, its
// clearance form and its bookmarks and notes.
import type { Page } from 'playwright-core';

export class TrainingPage {
  constructor(private readonly page: Page) {}

  /** The header's link to the library. */
  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Desk areas' })
      .getByRole('link', { name: 'Training library' })
      .click();
    await this.heading().waitFor();
  }

  heading() {
    return this.page.getByRole('heading', { name: 'Training library', exact: true });
  }

  entries() {
    return this.page.locator('.training-entry');
  }

  /** Waits for the list to have loaded, and answers what it says. */
  async listText(): Promise<string> {
    await this.page.locator('.training-library').getByRole('status').waitFor({ state: 'detached' });
    return this.page.locator('.training-library').innerText();
  }

  async openEntry(title: string): Promise<void> {
    await this.page.getByRole('link', { name: title }).click();
    await this.page.getByRole('region', { name: 'Replay controls' }).waitFor();
  }

  entryPanel() {
    return this.page.getByRole('region', { name: 'Library entry' });
  }

  marks() {
    return this.page.locator('.training-marks');
  }

  async pin(kind: 'Bookmark' | 'Note', text: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Pin a bookmark or note' });
    await form.getByLabel('Kind').selectOption({ label: kind });
    await form.getByRole('textbox').fill(text);
    await form.getByRole('button', { name: 'Pin to this moment' }).click();
    await this.marks().getByText(text).waitFor();
  }

  async decide(decision: 'Clear for training' | 'Refuse', note = ''): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Clearance' });
    await form.getByRole('radio', { name: decision }).check();
    if (note) await form.getByRole('textbox').fill(note);
    await form.getByRole('button', { name: 'Record the decision' }).click();
  }

  /** The replay's audio duration in seconds, once its metadata has loaded. */
  async audioSeconds(): Promise<number> {
    await this.page.locator('audio').waitFor({ state: 'attached' });
    return this.page.evaluate<number>(
      `new Promise((resolve) => {
        const audio = document.querySelector('audio');
        if (audio.readyState >= 1) resolve(audio.duration);
        else audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
      })`,
    );
  }
}
