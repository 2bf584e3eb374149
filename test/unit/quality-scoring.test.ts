// Scoring a review against hand-worked examples: weights, N/A out of the
// maximum, scales, conditional items, must-pass items, and the plain-words
// problems that stop a review being scored.
import { describe, expect, it } from 'vitest';
import {
  defaultForm,
  scorecardFormSchema,
  type InteractionFacts,
  type ScorecardForm,
} from '../../shared/quality/form';
import {
  isFailingAnswer,
  reviewProblems,
  scoreReview,
  type ReviewAnswer,
  type ReviewAnswerInput,
} from '../../shared/quality/scoring';

/**
 * A small form to work by hand:
 *   section "call": a1 yes/no, weight 2; a2 scale 0-4, weight 3, N/A allowed
 *   section "care": b1 yes/no, weight 1, N/A allowed, only when a barrier was recorded;
 *                   b2 must-pass yes/no, only when a concern was raised;
 *                   b3 yes/no, weight 4, only on web chat
 */
const form: ScorecardForm = scorecardFormSchema.parse({
  id: 'worked',
  version: 1,
  status: 'published',
  title: 'Worked example',
  sections: [
    {
      id: 'call',
      title: 'The call',
      items: [
        {
          id: 'a1',
          prompt: 'Greeted the customer',
          guidance: '',
          weight: 2,
          answer: { kind: 'yes_no', notApplicableAllowed: false },
          mustPass: false,
        },
        {
          id: 'a2',
          prompt: 'Explained the options',
          guidance: '',
          weight: 3,
          answer: { kind: 'scale', min: 0, max: 4, notApplicableAllowed: true },
          mustPass: false,
        },
      ],
    },
    {
      id: 'care',
      title: 'Care',
      items: [
        {
          id: 'b1',
          prompt: 'Agreed something about each barrier',
          guidance: '',
          weight: 1,
          answer: { kind: 'yes_no', notApplicableAllowed: true },
          mustPass: false,
          condition: { when: 'barrier_recorded' },
        },
        {
          id: 'b2',
          prompt: 'Handled the concern',
          guidance: '',
          weight: 5,
          answer: { kind: 'yes_no', notApplicableAllowed: false },
          mustPass: true,
          condition: { when: 'safeguarding_raised' },
        },
        {
          id: 'b3',
          prompt: 'Wrote in plain English',
          guidance: '',
          weight: 4,
          answer: { kind: 'yes_no', notApplicableAllowed: false },
          mustPass: false,
          condition: { when: 'channel', channel: 'webchat' },
        },
      ],
    },
  ],
});

const voiceWithBarrierAndConcern: InteractionFacts = {
  channel: 'voice',
  withinRemit: true,
  barrierRecorded: true,
  safeguardingRaised: true,
};

function scored(answers: ReviewAnswerInput[], facts = voiceWithBarrierAndConcern) {
  const result = scoreReview(form, answers, facts);
  if (!result.ok) throw new Error(`${result.error.message} ${JSON.stringify(result.error.issues)}`);
  return result.value;
}

describe('scoring against the worked form', () => {
  const answers: ReviewAnswerInput[] = [
    { itemId: 'a1', value: 'yes' },
    { itemId: 'a2', value: 3 },
    { itemId: 'b1', value: 'not_applicable' },
    { itemId: 'b2', value: 'yes' },
  ];

  it('weights items, gives a scale its share, and takes N/A out of the maximum', () => {
    // a1 yes: 2 of 2. a2 3 on 0-4: 3/4 of 3 = 2.25 of 3. b1 N/A: 0 of 0.
    // b2 is must-pass: critical result only, 0 of 0. b3 is not shown on a call.
    // Total 4.25 of 5 = 85%.
    const score = scored(answers);
    expect(score.points).toBeCloseTo(4.25, 12);
    expect(score.maxPoints).toBe(5);
    expect(score.percentage).toBeCloseTo(85, 12);
    expect(
      score.items.map((item) => [item.itemId, item.outcome, item.points, item.maxPoints]),
    ).toEqual([
      ['a1', 'met', 2, 2],
      ['a2', 'partly', 2.25, 3],
      ['b1', 'not_applicable', 0, 0],
      ['b2', 'met', 0, 0],
      ['b3', 'not_shown', 0, 0],
    ]);
    expect(score.critical).toEqual({ result: 'pass', failedItemIds: [] });
    expect(score.passed).toBe(true);
  });

  it('gives each section its own figures; a section where nothing counts has none', () => {
    // "call": 4.25 of 5 = 85%. "care": b1 N/A, b2 must-pass, b3 hidden: 0 of 0, no percentage.
    const score = scored(answers);
    expect(score.sections).toEqual([
      { sectionId: 'call', title: 'The call', points: 4.25, maxPoints: 5, percentage: 85 },
      { sectionId: 'care', title: 'Care', points: 0, maxPoints: 0, percentage: null },
    ]);
  });

  it('fails the review on a failed must-pass item, whatever the percentage', () => {
    const score = scored([
      ...answers.filter((answer) => answer.itemId !== 'b2'),
      { itemId: 'b2', value: 'no', comment: 'Not escalated for ten minutes' },
    ]);
    expect(score.percentage).toBeCloseTo(85, 12);
    expect(score.critical).toEqual({ result: 'fail', failedItemIds: ['b2'] });
    expect(score.passed).toBe(false);
    expect(score.items.find((item) => item.itemId === 'b2')?.outcome).toBe('not_met');
  });

  it('shows conditional items only when their condition holds', () => {
    // On a web chat with no barrier and no concern: b1 and b2 hidden, b3 shown.
    // a1 no (0 of 2), a2 4 (3 of 3), b3 yes (4 of 4): 7 of 9 = 77.78%.
    const webchat: InteractionFacts = {
      channel: 'webchat',
      withinRemit: true,
      barrierRecorded: false,
      safeguardingRaised: false,
    };
    const score = scored(
      [
        { itemId: 'a1', value: 'no', comment: 'Went straight into questions' },
        { itemId: 'a2', value: 4 },
        { itemId: 'b3', value: 'yes' },
      ],
      webchat,
    );
    expect(score.points).toBe(7);
    expect(score.maxPoints).toBe(9);
    expect(score.percentage).toBeCloseTo((7 / 9) * 100, 12);
    expect(score.critical.result).toBe('not_applicable');
    expect(score.passed).toBe(true);
    expect(
      score.items.filter((item) => item.outcome === 'not_shown').map((item) => item.itemId),
    ).toEqual(['b1', 'b2']);
  });

  it('has no percentage when every counted item is N/A', () => {
    // Only a2 (N/A allowed) and b2 (must-pass, outside the percentage): 0 of 0.
    const call = form.sections[0];
    const care = form.sections[1];
    const narrow = scorecardFormSchema.parse({
      ...form,
      sections: [
        { ...call, items: call?.items.filter((item) => item.id === 'a2') },
        { ...care, items: care?.items.filter((item) => item.id === 'b2') },
      ],
    });
    const result = scoreReview(
      narrow,
      [
        { itemId: 'a2', value: 'not_applicable' },
        { itemId: 'b2', value: 'yes' },
      ],
      voiceWithBarrierAndConcern,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.maxPoints).toBe(0);
    expect(result.value.percentage).toBeNull();
    expect(result.value.critical.result).toBe('pass');
  });

  it('treats the lowest point of a scale as a fail, and anything above as partly or met', () => {
    const a2 = form.sections[0]?.items[1];
    if (!a2) throw new Error('no a2');
    expect(isFailingAnswer(a2, 0)).toBe(true);
    expect(isFailingAnswer(a2, 1)).toBe(false);
    expect(isFailingAnswer(a2, 'not_applicable')).toBe(false);
    const score = scored([
      { itemId: 'a1', value: 'yes' },
      { itemId: 'a2', value: 0, comment: 'No options given' },
      { itemId: 'b1', value: 'yes' },
      { itemId: 'b2', value: 'yes' },
    ]);
    // a1 2 of 2, a2 0 of 3, b1 1 of 1: 3 of 6 = 50%.
    expect(score.percentage).toBeCloseTo(50, 12);
    expect(score.items.find((item) => item.itemId === 'a2')?.outcome).toBe('not_met');
  });
});

describe('what stops a review being scored', () => {
  it('names every problem at once, in plain words, by item', () => {
    const result = scoreReview(
      form,
      [
        { itemId: 'a1', value: 'no' },
        { itemId: 'a2', value: 5 },
        { itemId: 'b3', value: 'yes' },
        { itemId: 'zz', value: 'yes' },
        { itemId: 'b1', value: 'yes' },
        { itemId: 'b1', value: 'no', comment: 'Changed my mind' },
      ],
      voiceWithBarrierAndConcern,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.message).toBe('The review cannot be scored yet: 6 things to put right.');
    expect(result.error.issues).toEqual([
      {
        path: 'answers.a1',
        message:
          '“Greeted the customer” was not met: say why in a comment, so the adviser knows what to change.',
      },
      {
        path: 'answers.a2',
        message: '“Explained the options” is scored from 0 to 4; 5 is outside that.',
      },
      {
        path: 'answers.b3',
        message:
          '“Wrote in plain English” is asked only when the contact was a web chat, which is not so for this interaction; remove the answer.',
      },
      { path: 'answers.zz', message: 'Version 1 of this form has no item called “zz”.' },
      {
        path: 'answers.b1',
        message: '“Agreed something about each barrier” is answered twice; keep one answer.',
      },
      { path: 'answers.b2', message: 'Answer “Handled the concern”.' },
    ]);
  });

  it('refuses N/A where an item does not take it, and the wrong kind of answer', () => {
    const problems = reviewProblems(
      form,
      [
        { itemId: 'a1', value: 'not_applicable', comment: '', moment: null },
        { itemId: 'a2', value: 'yes', comment: '', moment: null },
        { itemId: 'b1', value: 3, comment: '', moment: null },
        { itemId: 'b2', value: 'yes', comment: '', moment: null },
      ],
      voiceWithBarrierAndConcern,
    );
    expect(problems.map((problem) => problem.message)).toEqual([
      '“Greeted the customer” cannot be answered N/A.',
      '“Explained the options” is answered with a point on its scale.',
      '“Agreed something about each barrier” is answered yes or no, not a number.',
    ]);
  });

  it('does not count a comment of only spaces', () => {
    const problems = reviewProblems(
      form,
      [
        { itemId: 'a1', value: 'no', comment: '   ', moment: null },
        { itemId: 'a2', value: 2, comment: '', moment: null },
        { itemId: 'b1', value: 'yes', comment: '', moment: null },
        { itemId: 'b2', value: 'no', comment: 'Escalated after the call', moment: null },
      ],
      voiceWithBarrierAndConcern,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('answers.a1');
  });

  it('refuses answers that are not answers at all', () => {
    const result = scoreReview(
      form,
      [{ itemId: 'a1', value: 'maybe' } as unknown as ReviewAnswerInput],
      voiceWithBarrierAndConcern,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues?.[0]?.path).toBe('answers.0.value');
  });
});

describe('an item that takes a comment whatever the answer', () => {
  const always = scorecardFormSchema.parse({
    ...form,
    sections: form.sections.map((section) => ({
      ...section,
      items: section.items.map((item) =>
        item.id === 'a2' ? { ...item, commentRequired: 'always' } : item,
      ),
    })),
  });
  const answers: ReviewAnswer[] = [
    { itemId: 'a1', value: 'yes', comment: '', moment: null },
    { itemId: 'a2', value: 4, comment: '', moment: null },
    { itemId: 'b1', value: 'yes', comment: '', moment: null },
    { itemId: 'b2', value: 'yes', comment: '', moment: null },
  ];

  it('asks for the comment even on a top answer, and scores once it is there', () => {
    expect(reviewProblems(always, answers, voiceWithBarrierAndConcern)).toEqual([
      {
        path: 'answers.a2',
        message: '“Explained the options” takes a comment whatever the answer: say what you saw.',
      },
    ]);
    // The same answers on the form that asks only on a fail: nothing to put right.
    expect(reviewProblems(form, answers, voiceWithBarrierAndConcern)).toEqual([]);
    const withComment = answers.map((answer) =>
      answer.itemId === 'a2' ? { ...answer, comment: 'Laid out both routes clearly.' } : answer,
    );
    const score = scoreReview(always, withComment, voiceWithBarrierAndConcern);
    // a1 2 of 2, a2 4 of 4 on a weight of 3: 3 of 3, b1 1 of 1: 6 of 6.
    expect(score.ok && score.value.percentage).toBe(100);
  });

  it('asks for it once on a failed answer, not twice', () => {
    const failing = answers.map((answer) =>
      answer.itemId === 'a2' ? { ...answer, value: 0 } : answer,
    );
    expect(reviewProblems(always, failing, voiceWithBarrierAndConcern)).toEqual([
      {
        path: 'answers.a2',
        message:
          '“Explained the options” was not met: say why in a comment, so the adviser knows what to change.',
      },
    ]);
  });
});

describe('the default form, scored by hand', () => {
  it('scores a web chat with a barrier and a concern handled', () => {
    // Shown: every item (within remit, a barrier, a concern). Counted weights:
    // status 2, barriers 2, skills 2, action plan 1, next steps good 4,
    // follow-up 2, transcript 1, rapport 2, service questions 1, accuracy 3 = 20.
    // Earned: status 2, barriers 2, skills 0 (no), action plan 1,
    // next steps 3 of 4 on 0-4 = 3, follow-up 2, transcript 1, rapport 2 of 4 on 0-4 = 1,
    // service questions 1, accuracy 4 of 4 = 3: 16 of 20 = 80%.
    const result = scoreReview(
      defaultForm,
      [
        { itemId: 'status_captured', value: 'yes' },
        { itemId: 'barriers_explored', value: 'yes' },
        { itemId: 'skills_explored', value: 'no', comment: '“Ran out of time” is no reason' },
        { itemId: 'action_plan_recorded', value: 'yes' },
        { itemId: 'next_steps_good', value: 3 },
        { itemId: 'follow_up_offered', value: 'yes' },
        { itemId: 'transcript_offered', value: 'yes' },
        { itemId: 'open_questions_rapport', value: 2 },
        { itemId: 'service_questions_kept_apart', value: 'yes' },
        { itemId: 'information_accurate', value: 4 },
        { itemId: 'safeguarding_handled', value: 'yes' },
      ],
      { channel: 'webchat', withinRemit: true, barrierRecorded: true, safeguardingRaised: true },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.points).toBe(16);
    expect(result.value.maxPoints).toBe(20);
    expect(result.value.percentage).toBe(80);
    expect(result.value.critical.result).toBe('pass');
    const nextSteps = result.value.sections.find((section) => section.sectionId === 'next_steps');
    // Action plan 1 of 1, next steps good 3 of 4: 4 of 5 = 80%.
    expect(nextSteps).toMatchObject({ points: 4, maxPoints: 5, percentage: 80 });
  });

  it('asks only the transcript, rapport and accuracy of an out-of-remit contact', () => {
    const result = scoreReview(
      defaultForm,
      [
        { itemId: 'transcript_offered', value: 'yes' },
        { itemId: 'open_questions_rapport', value: 4 },
        { itemId: 'information_accurate', value: 1 },
      ],
      { channel: 'voice', withinRemit: false, barrierRecorded: false, safeguardingRaised: false },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    // transcript 1 of 1, rapport 2 of 2, accuracy 1/4 of 3 = 0.75: 3.75 of 6 = 62.5%.
    expect(result.value.percentage).toBeCloseTo(62.5, 12);
  });
});
