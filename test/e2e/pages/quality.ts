// The quality area, found by role and label as a screen reader would: the
// review list, a review's scorecard beside its replay (items by their prompt),
// the adviser's acknowledgement and dispute, a resolver's form, the weekly
// sample, calibration and its agreement over time, reports with improvement
// targets, and the scorecard form editor.
import type { Locator, Page } from 'playwright-core';

export class QualityPage {
  constructor(private readonly page: Page) {}

  /** The header's link to the quality area, then one of its own links. */
  async open(
    section?: 'Reviews' | 'Weekly sample' | 'Calibration' | 'Reports' | 'Forms',
  ): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Desk areas' })
      .getByRole('link', { name: 'Quality' })
      .click();
    await this.page.getByRole('heading', { name: 'Quality', exact: true }).waitFor();
    if (section) {
      await this.page
        .getByRole('navigation', { name: 'Quality' })
        .getByRole('link', { name: section })
        .click();
    }
  }

  reviews() {
    return this.page.getByRole('table', { name: /Assigned to me|All reviews|Reviews of my work/ });
  }

  /** Opens the review of the listed interaction whose link reads `interaction`. */
  async openReview(interaction: RegExp): Promise<void> {
    await this.reviews().getByRole('link', { name: interaction }).click();
    await this.page.getByRole('region', { name: 'Replay controls' }).waitFor();
  }

  /** The column beside the replay: the scorecard, or the published review. */
  side(): Locator {
    return this.page.locator('.replay-sided__side');
  }

  /** One item of the reviewer's scorecard, by its prompt. */
  item(prompt: RegExp): Locator {
    return this.side().getByRole('group', { name: prompt });
  }

  async answer(prompt: RegExp, choice: RegExp, comment?: string): Promise<void> {
    await this.item(prompt).getByRole('radio', { name: choice }).check();
    if (comment !== undefined)
      await this.item(prompt)
        .getByLabel(/^Comment/)
        .fill(comment);
  }

  /** One item of a published review, by its prompt. */
  publishedItem(prompt: RegExp): Locator {
    return this.side()
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('heading', { name: prompt }) });
  }

  /** "Event 3 of 40: …" as a number. */
  async momentNumber(): Promise<number> {
    const text = await this.page
      .getByRole('region', { name: 'Replay controls' })
      .getByText(/^Event \d+ of \d+/)
      .innerText();
    return Number(/^Event (\d+)/.exec(text)?.[1] ?? Number.NaN);
  }

  controls() {
    return this.page.getByRole('region', { name: 'Replay controls' });
  }

  /** The form editor, by its heading ("Version 2 of the form (draft)"). */
  formEditor(): Locator {
    return this.page.getByRole('form', { name: /^Version \d+ of the form/ });
  }

  /** One item of the form editor, by its legend ("Item 1.2: …"). */
  editorItem(legend: RegExp): Locator {
    return this.formEditor().getByRole('group', { name: legend });
  }

  /** The id of the element with the keyboard's focus. */
  focusedId(): Promise<string> {
    return this.page.evaluate<string>('document.activeElement?.id ?? ""');
  }
}
