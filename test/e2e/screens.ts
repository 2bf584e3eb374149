// What every end-to-end test checks of a screen it visits: axe-core's serious
// and critical findings, and a screenshot at a laptop's size kept as a test
// artifact (test-results/screens/, not committed) for people to look at.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/**
 * axe-core's serious and critical findings in the page, or in one part of it
 * (a CSS selector), each with up to three of the nodes it names.
 */
export async function accessibilityProblems(page: Page, selector?: string): Promise<string[]> {
  // Evaluated rather than added as a script tag: the pages' CSP rightly refuses inline scripts.
  await page.evaluate(axeSource);
  const context = selector === undefined ? 'document' : JSON.stringify(selector);
  const result = await page.evaluate<AxeResult>(
    `window.axe.run(${context}, { resultTypes: ["violations"] })`,
  );
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}

/** The screen sizes the desk is laid out for: a 1366 x 768 laptop, and a taller one. */
export const laptop = { width: 1366, height: 768 };
export const tallLaptop = { width: 1366, height: 900 };

const screensFolder = 'test-results/screens';

/**
 * Keeps what the screen looks like now as a test artifact, named with the
 * window's size; given a size, the window takes it first.
 */
export async function screenshot(
  page: Page,
  name: string,
  size?: { width: number; height: number },
): Promise<void> {
  mkdirSync(screensFolder, { recursive: true });
  if (size) await page.setViewportSize(size);
  const shown = page.viewportSize();
  await page.screenshot({
    path: `${screensFolder}/${name}-${shown?.width ?? 0}x${shown?.height ?? 0}.png`,
  });
}

/** Whether keyboard focus is on this element now. */
export const isFocused = (element: Locator): Promise<boolean> =>
  element.evaluate((node) => {
    // Runs in the page; the test's own types know no DOM.
    const inPage = node as unknown as { ownerDocument: { activeElement: unknown } };
    return inPage === inPage.ownerDocument.activeElement;
  });
