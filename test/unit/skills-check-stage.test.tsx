// The English, maths and digital stage offers each area the levels that exist
// for it: no GCSE grades for digital skills, which have no GCSE.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { initialInteractionContext } from '../../shared/interaction/machine';
import { skillLevelLabels } from '../../shared/interaction/taxonomy';
import { SkillsCheckStage } from '../../renderer/src/interaction/stages/SkillsCheckStage';

/** The options of the select labelled `label`, as their visible text. */
function optionsOf(html: string, label: string): string[] {
  const id = new RegExp(`<label for="([^"]+)">${label}</label>`).exec(html)?.[1];
  if (!id) throw new Error(`no select labelled ${label}`);
  const select = new RegExp(`<select id="${id}"[^>]*>(.*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((match) => match[1] ?? '');
}

const render = (context = initialInteractionContext()) =>
  renderToStaticMarkup(<SkillsCheckStage context={context} send={() => undefined} />);

describe('the English, maths and digital levels', () => {
  it('offers GCSE grades and Functional Skills for English and maths only', () => {
    const html = render();
    for (const area of ['English', 'Maths']) {
      const options = optionsOf(html, `${area}: current level`);
      expect(options).toContain('GCSE grade 4');
      expect(options).toContain('Functional Skills Level 2');
      expect(options).not.toContain('Digital Functional Skills Level 1');
    }
    const digital = optionsOf(html, 'Digital: current level');
    expect(digital.filter((option) => option.startsWith('GCSE'))).toEqual([]);
    expect(digital).toEqual([
      'Not recorded',
      'Digital Functional Skills Entry 3',
      'Digital Functional Skills Level 1',
      'Essential Digital Skills Entry 3',
      'Essential Digital Skills Level 1',
      'No qualification: confident with everyday digital tasks',
      'No qualification: needs support with everyday digital tasks',
      'Still studying',
      'Not known',
    ]);
  });

  it('still shows a digital level recorded as a GCSE grade before the list changed', () => {
    const context = initialInteractionContext();
    context.skillsCheck.digital.level = 'gcse_5';
    const digital = optionsOf(render(context), 'Digital: current level');
    expect(digital).toContain(skillLevelLabels.gcse_5);
    expect(digital.filter((option) => option.startsWith('GCSE'))).toHaveLength(1);
  });
});
