// Scorecard forms: the default form follows the inspection criteria, a
// published version never changes (a revision is a new version), a form that
// would confuse scoring is refused, and conditions read the record.
import { describe, expect, it } from 'vitest';
import { ContactScript } from '../../shared/interaction/script';
import { toInteractionRecord } from '../../shared/interaction/machine';
import {
  conditionHolds,
  defaultForm,
  describeCondition,
  formItems,
  interactionFacts,
  itemShown,
  judgementItems,
  prefillRuleIds,
  publishForm,
  reviseForm,
  scorecardFormSchema,
  type FormContent,
  type InteractionFacts,
  type ItemCondition,
  type ScorecardForm,
} from '../../shared/quality/form';

const itemIds = (form: ScorecardForm) => formItems(form).map(({ item }) => item.id);

describe('the default form', () => {
  it('is version 1, published, and covers the inspection criteria in order', () => {
    expect(defaultForm).toMatchObject({
      id: 'interaction_quality',
      version: 1,
      status: 'published',
    });
    expect(itemIds(defaultForm)).toEqual([
      'status_captured',
      'barriers_explored',
      'skills_explored',
      'action_plan_recorded',
      'next_steps_good',
      'follow_up_offered',
      'transcript_offered',
      'open_questions_rapport',
      'service_questions_kept_apart',
      'information_accurate',
      'safeguarding_handled',
    ]);
    expect(scorecardFormSchema.safeParse(defaultForm).success).toBe(true);
  });

  it('makes safeguarding the one must-pass item, shown only when a concern was raised', () => {
    const critical = formItems(defaultForm).filter(({ item }) => item.mustPass);
    expect(critical.map(({ item }) => item.id)).toEqual(['safeguarding_handled']);
    expect(critical[0]?.item.condition).toEqual({ when: 'safeguarding_raised' });
    const barriers = formItems(defaultForm).find(({ item }) => item.id === 'barriers_explored');
    expect(barriers?.item.condition).toEqual({ when: 'barrier_recorded' });
  });

  it('pre-fills each objective item by its own rule and leaves the judgement items', () => {
    const rules = formItems(defaultForm).flatMap(({ item }) =>
      item.prefill ? [item.prefill] : [],
    );
    expect([...rules].sort()).toEqual([...prefillRuleIds].sort());
    expect(judgementItems(defaultForm).map((item) => item.id)).toEqual([
      'barriers_explored',
      'next_steps_good',
      'open_questions_rapport',
      'information_accurate',
    ]);
    // How good the next steps were is a scale with words for every point.
    const nextSteps = formItems(defaultForm).find(({ item }) => item.id === 'next_steps_good');
    expect(nextSteps?.item.answer).toMatchObject({ kind: 'scale', min: 0, max: 4 });
    if (nextSteps?.item.answer.kind === 'scale')
      expect(nextSteps.item.answer.labels.map((label) => label.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it('cannot be changed in place by anyone who imports it', () => {
    expect(Object.isFrozen(defaultForm)).toBe(true);
    expect(Object.isFrozen(defaultForm.sections[0]?.items[0])).toBe(true);
    expect(() => {
      (defaultForm as { title: string }).title = 'Changed';
    }).toThrow(TypeError);
  });
});

describe('versions', () => {
  const retitle = (content: FormContent): FormContent => ({
    ...content,
    title: 'Interaction quality (2026)',
  });

  it('turns a change to a published form into a new draft version, leaving the published one as it was', () => {
    const before = JSON.stringify(defaultForm);
    const revised = reviseForm(defaultForm, (content) => {
      // Even a change that edits what it is given in place cannot reach the published form.
      const first = content.sections[0]?.items[0];
      if (first) first.weight = 5;
      return retitle(content);
    });
    if (!revised.ok) throw new Error(revised.error.message);
    expect(revised.value).toMatchObject({
      id: 'interaction_quality',
      version: 2,
      status: 'draft',
      title: 'Interaction quality (2026)',
    });
    expect(revised.value.sections[0]?.items[0]?.weight).toBe(5);
    expect(JSON.stringify(defaultForm)).toBe(before);
  });

  it('changes a draft in place, at the same version, until it is published', () => {
    const draft = reviseForm(defaultForm, retitle);
    if (!draft.ok) throw new Error(draft.error.message);
    const again = reviseForm(draft.value, (content) => ({ ...content, title: 'Second try' }));
    expect(again.ok && again.value).toMatchObject({
      version: 2,
      status: 'draft',
      title: 'Second try',
    });

    const published = publishForm(draft.value);
    if (!published.ok) throw new Error(published.error.message);
    expect(published.value).toMatchObject({ version: 2, status: 'published' });
    const next = reviseForm(published.value, (content) => content);
    expect(next.ok && next.value).toMatchObject({ version: 3, status: 'draft' });
  });

  it('refuses to publish a published version again', () => {
    const result = publishForm(defaultForm);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('conflict');
    expect(result.error.message).toBe(
      'Version 1 of "Interaction quality" is already published and cannot change; revise it to make version 2.',
    );
  });
});

describe('forms that would confuse scoring are refused', () => {
  const change = (edit: (content: FormContent) => void) =>
    reviseForm(defaultForm, (content) => {
      edit(content);
      return content;
    });
  const messages = (result: ReturnType<typeof change>) =>
    result.ok ? [] : (result.error.issues ?? []).map((issue) => issue.message);

  it('an item id used twice, even in different sections', () => {
    const result = change((content) => {
      const item = content.sections[1]?.items[0];
      if (item) item.id = 'status_captured';
    });
    expect(messages(result)).toEqual(['Two items are called "status_captured"']);
  });

  it('a scale that does not run upwards, or labels off its ends', () => {
    const result = change((content) => {
      const item = content.sections[3]?.items[1];
      if (item?.answer.kind === 'scale') {
        item.answer.min = 4;
        item.answer.max = 4;
      }
    });
    expect(messages(result)).toContain('A scale must run from a lower to a higher point');
    expect(messages(result)).toContain('The label for 0 is outside the scale');
  });

  it('a must-pass or pre-filled item on a scale', () => {
    const result = change((content) => {
      const item = content.sections[3]?.items[1];
      if (item) {
        item.mustPass = true;
        item.prefill = 'actions_agreed';
      }
    });
    expect(messages(result)).toEqual([
      'A must-pass item is answered yes or no',
      'Only a yes/no item can be pre-filled from the record',
    ]);
  });

  it('a weight of nothing, and a section with no items', () => {
    const weightless = change((content) => {
      const item = content.sections[0]?.items[0];
      if (item) item.weight = 0;
    });
    expect(weightless.ok).toBe(false);
    const empty = change((content) => {
      const section = content.sections[0];
      if (section) section.items = [];
    });
    expect(empty.ok).toBe(false);
  });
});

describe('forms the editor could make that would mislead', () => {
  const change = (edit: (content: FormContent) => void) =>
    reviseForm(defaultForm, (content) => {
      edit(content);
      return content;
    });
  const issues = (result: ReturnType<typeof change>) =>
    result.ok ? [] : (result.error.issues ?? []).map((issue) => [issue.path, issue.message]);

  it('a form whose every item is must-pass, which would have no score', () => {
    const result = change((content) => {
      for (const section of content.sections) {
        for (const item of section.items) {
          item.mustPass = true;
          if (item.answer.kind === 'scale')
            item.answer = { kind: 'yes_no', notApplicableAllowed: false };
        }
      }
    });
    expect(issues(result)).toEqual([
      [
        'sections',
        'At least one item must count towards the score: not every item can be must-pass',
      ],
    ]);
  });

  it('a condition that can never hold, or names a fact twice, on the item it is about', () => {
    const result = change((content) => {
      const first = content.sections[0]?.items[0];
      const second = content.sections[1]?.items[0];
      if (first)
        first.condition = {
          when: 'all',
          conditions: [
            { when: 'channel', channel: 'voice' },
            { when: 'channel', channel: 'webchat' },
          ],
        };
      if (second)
        second.condition = {
          when: 'all',
          conditions: [{ when: 'barrier_recorded' }, { when: 'barrier_recorded' }],
        };
    });
    expect(issues(result)).toEqual([
      [
        'sections.0.items.0.condition',
        'The condition can never hold: a contact comes in on one channel only',
      ],
      ['sections.1.items.0.condition', 'The condition names the same fact twice'],
    ]);
  });

  it('two labels for one point of a scale', () => {
    const result = change((content) => {
      const item = content.sections[3]?.items[1];
      if (item?.answer.kind === 'scale') item.answer.labels.push({ value: 2, label: 'Again' });
    });
    expect(issues(result)).toEqual([
      ['sections.3.items.1.answer.labels.5', 'Point 2 has two labels'],
    ]);
  });

  it('says what is wrong with a blank question, weight or title in words a team leader reads', () => {
    const result = change((content) => {
      content.title = ' ';
      const item = content.sections[0]?.items[0];
      if (item) {
        item.prompt = '';
        item.weight = Number.NaN;
        item.id = '1st';
      }
    });
    expect(issues(result)).toEqual([
      ['title', 'Give the form a title'],
      [
        'sections.0.items.0.id',
        'Use lower-case letters, digits and underscores, starting with a letter',
      ],
      ['sections.0.items.0.prompt', 'Write what the item asks'],
      ['sections.0.items.0.weight', 'Give the weight as a number'],
    ]);
  });

  it('keeps a published form as it was when a draft item asks for a comment always', () => {
    const result = change((content) => {
      const item = content.sections[3]?.items[1];
      if (item) item.commentRequired = 'always';
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.sections[3]?.items[1]?.commentRequired).toBe('always');
    // The default form says nothing of it: the field is absent, not "when failed".
    expect('commentRequired' in (defaultForm.sections[3]?.items[1] ?? {})).toBe(false);
  });
});

describe('conditions', () => {
  const facts: InteractionFacts = {
    channel: 'webchat',
    withinRemit: true,
    barrierRecorded: true,
    safeguardingRaised: false,
  };

  it('read facts, singly or all together, and say themselves in plain words', () => {
    expect(conditionHolds({ when: 'barrier_recorded' }, facts)).toBe(true);
    expect(conditionHolds({ when: 'safeguarding_raised' }, facts)).toBe(false);
    expect(conditionHolds({ when: 'channel', channel: 'voice' }, facts)).toBe(false);
    const both: ItemCondition = {
      when: 'all',
      conditions: [{ when: 'within_remit' }, { when: 'channel', channel: 'webchat' }],
    };
    expect(conditionHolds(both, facts)).toBe(true);
    expect(conditionHolds(both, { ...facts, withinRemit: false })).toBe(false);
    expect(describeCondition(both)).toBe(
      'the contact was within remit and the contact was a web chat',
    );
  });

  it('take their facts from a record made by the machine', () => {
    const script = new ContactScript('2025-03-03T10:00:00.000Z').send(
      {
        type: 'OFFERED',
        interactionId: '6f1d7a3e-2b4c-4d5e-8f90-123456789abc',
        channel: 'voice',
        contactRef: 'call-1',
      },
      { type: 'ANSWER' },
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 20, withinRemit: false },
      { type: 'SIGNPOST', to: 'National Careers Service (adults)' },
      { type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null },
      { type: 'END_CALL' },
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    const built = toInteractionRecord(script.snapshot, {
      adviserId: 'adviser-1',
      deskId: '11111111-2222-4333-8444-555555555555',
      journal: script.journal,
    });
    if (!built.ok) throw new Error(built.error.message);
    const recordFacts = interactionFacts(built.value.record);
    expect(recordFacts).toEqual({
      channel: 'voice',
      withinRemit: false,
      barrierRecorded: false,
      safeguardingRaised: false,
    });
    const shown = formItems(defaultForm)
      .filter(({ item }) => itemShown(item, recordFacts))
      .map(({ item }) => item.id);
    expect(shown).toEqual(['transcript_offered', 'open_questions_rapport', 'information_accurate']);
  });
});
