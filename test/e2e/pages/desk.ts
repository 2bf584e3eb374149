// The desk around a live interaction: who is signed in, connection and outbox status.
import type { Page } from 'playwright-core';

export class DeskPage {
  constructor(private readonly page: Page) {}

  status() {
    return this.page.getByRole('status', { name: 'Desk status' });
  }

  async waitForConnection(
    state: 'online' | 'offline' | 'reconnecting' | 'connecting',
  ): Promise<void> {
    await this.page.waitForSelector(`[data-connection="${state}"]`);
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
  }
}
