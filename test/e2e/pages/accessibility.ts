// axe-core in the page under test: its serious and critical findings inside
// one part of the page, each with the nodes it names.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export async function accessibilityProblems(page: Page, selector: string): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate<{
    violations: {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }[];
  }>(`window.axe.run(${JSON.stringify(selector)}, { resultTypes: ["violations"] })`);
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
