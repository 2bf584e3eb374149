// What the wrap-up list asks the adviser for, word for word: the English,
// maths and digital check names each subject as a sentence would, with
// English capitalised and the others not, and shows every gap at once.
import { describe, expect, it } from 'vitest';
import { contextGaps } from '../../shared/interaction/completion';
import { initialInteractionContext, stageGap, stageGaps } from '../../shared/interaction/machine';
import type { InteractionContext } from '../../shared/interaction/machine';

function withSkills(update: (skills: InteractionContext['skillsCheck']) => void) {
  const context = initialInteractionContext();
  update(context.skillsCheck);
  return context;
}

describe('the English, maths and digital check asks', () => {
  it('for every level and answer still missing at once, naming each subject as a sentence would', () => {
    expect(stageGaps(initialInteractionContext(), 'skillsCheck')).toEqual([
      'Record their current English level',
      'Record whether improving English matters for their goal',
      'Record their current maths level',
      'Record whether improving maths matters for their goal',
      'Record their current digital skills level',
      'Record whether improving digital skills matters for their goal',
      'Confirm the English, maths and digital check was discussed',
    ]);
    const mathsLevelOnly = withSkills((skills) => {
      skills.english.level = 'gcse_4';
      skills.english.improvementMatters = 'no';
      skills.maths.level = 'gcse_4';
      skills.digital.improvementMatters = 'yes';
    });
    expect(stageGaps(mathsLevelOnly, 'skillsCheck')).toEqual([
      'Record whether improving maths matters for their goal',
      'Record their current digital skills level',
      'Confirm the English, maths and digital check was discussed',
    ]);
    // The first gap is still the one a single prompt names.
    expect(stageGap(mathsLevelOnly, 'skillsCheck')).toBe(
      'Record whether improving maths matters for their goal',
    );
  });

  it('lists each gap as its own line before completion', () => {
    const lines = contextGaps(initialInteractionContext())
      .filter((item) => item.area === 'skillsCheck')
      .map((item) => item.message);
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('English, maths and digital: Record their current English level');
  });
});
