// The call card on the adviser's desk, in real Chromium against the desk in
// browser mode and the real central server: a call rung to the adviser shows
// who is calling with Answer and Decline; declined by keyboard, the card goes,
// focus lands on the desk rather than the page body, and the caller is not
// turned away but waits in the call queue for the next adviser.
import { describe, expect, it } from 'vitest';
import { offerCall, openSignedInDesk, sharedProduct } from './harness';
import { accessibilityProblems, isFocused, laptop, screenshot } from './screens';

const shared = sharedProduct();

describe('a call offered to the adviser', () => {
  it('shows who is calling, and Decline passes the call to the queue', async (context) => {
    const { browser } = shared;
    if (!browser) return context.skip();
    const { product } = shared;
    const page = await openSignedInDesk(browser, product, 'demo-adviser');
    await page.setViewportSize(laptop);
    const queue = page.getByRole('region', { name: 'Queue' });

    await offerCall(product, 'demo-adviser', '07700900777');
    const card = page.getByRole('region', { name: 'Incoming call' });
    await card.waitFor();
    await expect(card.innerText()).resolves.toContain('07700 900777');
    const answer = card.getByRole('button', { name: 'Answer' });
    const decline = card.getByRole('button', { name: 'Decline' });
    // Answer has focus as the call arrives; Decline is the next stop by keyboard.
    await expect(isFocused(answer)).resolves.toBe(true);
    await expect(accessibilityProblems(page, '.incoming-call')).resolves.toEqual([]);
    await screenshot(page, 'incoming-call');

    await page.keyboard.press('Tab');
    await expect(isFocused(decline)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await card.waitFor({ state: 'detached' });
    // The card's button vanished: focus goes to what replaced it, not the page body.
    await expect(isFocused(page.locator('#waiting-heading'))).resolves.toBe(true);
    // Nobody else has room, so the caller waits in the queue (this adviser is passed over
    // for a while, as for any declined offer) rather than being cut off.
    await queue.getByText('Calls waiting').waitFor();
    await expect(
      queue.locator('div', { hasText: 'Calls waiting' }).locator('dd').innerText(),
    ).resolves.toBe('1');
  });
});
