// What the wrap-up list asks the adviser for, word for word: the English,
// maths and digital check names each subject as a sentence would, with
// English capitalised and the others not.
import { describe, expect, it } from 'vitest';
import { initialInteractionContext, stageGap } from '../../shared/interaction/machine';
import type { InteractionContext } from '../../shared/interaction/machine';

function withSkills(update: (skills: InteractionContext['skillsCheck']) => void) {
  const context = initialInteractionContext();
  update(context.skillsCheck);
  return context;
}

describe('the English, maths and digital check asks', () => {
  it('for each level in turn, naming the subject as a sentence would', () => {
    expect(stageGap(initialInteractionContext(), 'skillsCheck')).toBe(
      'Record their current English level',
    );
    const englishDone = withSkills((skills) => {
      skills.english.level = 'gcse_4';
      skills.english.improvementMatters = 'no';
    });
    expect(stageGap(englishDone, 'skillsCheck')).toBe('Record their current maths level');
    const mathsDone = withSkills((skills) => {
      skills.english.level = 'gcse_4';
      skills.english.improvementMatters = 'no';
      skills.maths.level = 'gcse_4';
    });
    expect(stageGap(mathsDone, 'skillsCheck')).toBe(
      'Record whether improving maths matters for their goal',
    );
    mathsDone.skillsCheck.maths.improvementMatters = 'yes';
    expect(stageGap(mathsDone, 'skillsCheck')).toBe('Record their current digital skills level');
  });
});
