// The history area, found by role and label as a screen reader would: Find
// (filters, results, pages) and Replay (controls, timeline, the read-only
// screen, the personal-data banner and the reveal form).
import type { Page } from 'playwright-core';

export class HistoryPage {
  constructor(private readonly page: Page) {}

  /** The header's link to the history area. */
  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Desk areas' })
      .getByRole('link', { name: 'History' })
      .click();
    await this.heading().waitFor();
  }

  heading() {
    return this.page.getByRole('heading', { name: 'Interaction history' });
  }

  filters() {
    return this.page.getByRole('form', { name: 'Filters' });
  }

  async choose(filter: string, option: string): Promise<void> {
    await this.filters().getByLabel(filter, { exact: true }).selectOption({ label: option });
  }

  async find(): Promise<void> {
    await this.filters().getByRole('button', { name: 'Find', exact: true }).click();
    await this.page.locator('.history-results[aria-busy="false"]').waitFor();
  }

  results() {
    return this.page.getByRole('table', { name: /^Interactions/ });
  }

  /** Opens the replay of the results' row `index` (0 is the first). */
  async openReplay(index = 0): Promise<void> {
    await this.results()
      .getByRole('link', { name: /replay this/ })
      .nth(index)
      .click();
    await this.controls().waitFor();
  }

  controls() {
    return this.page.getByRole('region', { name: 'Replay controls' });
  }

  button(name: 'Play' | 'Pause' | 'Previous event' | 'Next event') {
    return this.controls().getByRole('button', { name, exact: true });
  }

  /** "Event 3 of 40: Went to Barriers" */
  moment() {
    return this.controls().getByText(/^Event \d+ of \d+/);
  }

  async momentNumber(): Promise<number> {
    const text = await this.moment().innerText();
    return Number(/^Event (\d+)/.exec(text)?.[1] ?? Number.NaN);
  }

  timeline() {
    return this.page.getByRole('navigation', { name: 'Timeline' });
  }

  /** The read-only interaction screen at the moment shown. */
  screen() {
    return this.page.locator('.replay-screen');
  }

  personalDataBanner() {
    return this.page.getByRole('note', { name: 'Personal data' });
  }

  async reveal(reason: string): Promise<void> {
    await this.personalDataBanner().getByRole('button', { name: 'Show personal data' }).click();
    const form = this.page.getByRole('form', { name: 'Show personal data' });
    await form.getByLabel('Why do you need to see the personal data?').fill(reason);
    await form.getByRole('button', { name: 'Show personal data' }).click();
  }

  /** Everything the replay shows: its text and the values of its (read-only) fields. */
  async replayContent(): Promise<string> {
    // Runs in the page; this project's Node types have no DOM, so the shape is written out.
    type Field = { value?: unknown };
    type Root = { innerText: string; querySelectorAll(selector: string): ArrayLike<Field> };
    return this.page.locator('.history-replay').evaluate((element) => {
      const root = element as unknown as Root;
      const values = Array.from(root.querySelectorAll('input, textarea, select'), (field) =>
        typeof field.value === 'string' ? field.value : '',
      );
      return [root.innerText, ...values].join('\n');
    });
  }
}
