// The service dashboard, found by role and label as a screen reader would:
// the live board, the figures' tables with their drill-down links, and the
// CSV export of each table.
import type { Page } from 'playwright-core';

export class DashboardPage {
  constructor(private readonly page: Page) {}

  /** The header's link to the dashboard. */
  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Desk areas' })
      .getByRole('link', { name: 'Service dashboard' })
      .click();
    await this.page.getByRole('heading', { name: 'Service dashboard' }).waitFor();
  }

  /** A live-board tile's number, by its label ("Calls waiting"). */
  async liveNumber(label: string): Promise<number> {
    const tile = this.page.getByTestId('live-board').locator('div', { hasText: label });
    return Number(await tile.locator('dd').first().innerText());
  }

  table(caption: string) {
    return this.page.getByRole('table', { name: caption });
  }

  async totalAnswered(): Promise<number> {
    return Number(await this.page.getByTestId('total-answered').innerText());
  }

  /** Exports the table with `caption` and returns the CSV's text. */
  async exportCsv(caption: string): Promise<{ name: string; text: string }> {
    const words = new RegExp(String.raw`^Export CSV\W+` + caption + '$');
    const button = this.page.getByRole('button', { name: words });
    await button.waitFor({ timeout: 10_000 });
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: 10_000 }),
      button.click({ timeout: 10_000 }),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
  }
}
