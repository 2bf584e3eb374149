// The committed machine diagram is generated from the definition: this fails
// when someone changes the machine and forgets `npx tsx scripts/machine-diagram.ts`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docPath, renderMermaid, withGeneratedDiagram } from '../../scripts/machine-diagram';
import { interactionMachine } from '../../shared/interaction/machine';
import { allTransitions } from '../../shared/interaction/machine-graph';

describe('docs/interaction-machine.md', () => {
  it('carries the diagram of the current definition', () => {
    const committed = readFileSync(docPath, 'utf8');
    expect(withGeneratedDiagram(committed)).toBe(committed);
  });

  it('draws every transition that changes state', () => {
    const diagram = renderMermaid();
    const drawn = allTransitions(interactionMachine).filter(
      (t) => t.targets.length > 0 && !t.targets.some((target) => target.startsWith(`${t.source}.`)),
    );
    for (const transition of drawn) {
      expect(diagram).toContain(
        `: ${transition.event === 'always' ? '(at once)' : transition.event}`,
      );
    }
    expect(diagram).toContain(
      'contact_engaged_phase_wrapUp --> contact_completed: COMPLETE [canComplete]',
    );
  });
});
