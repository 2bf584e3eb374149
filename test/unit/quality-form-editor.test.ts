// The form editor's working copy: a form goes into the editor's fields and
// comes back out unchanged; new items and sections take an id from their
// words; items travel between sections with the keyboard's buttons; and every
// problem, from the form's rules or from the server, lands on its own field
// with where it is in words.
import { describe, expect, it } from 'vitest';
import {
  defaultForm,
  formItems,
  publishForm,
  reviseForm,
  type ScorecardForm,
} from '../../shared/quality/form';
import {
  addItem,
  addSection,
  changeItem,
  changeSection,
  checkEditorForm,
  contentFrom,
  editorFormOf,
  idFromWords,
  moveItem,
  moveSection,
  problemAt,
  removeItem,
  type EditorForm,
} from '../../renderer/src/quality/form-editor-state';

const ids = (form: EditorForm) =>
  form.sections.map((section) => [section.id, section.items.map((item) => item.id)]);

/** The editor opened on the published default form: it will make version 2. */
const opened = () => editorFormOf(defaultForm, defaultForm);

const itemKey = (form: EditorForm, id: string) => {
  const found = form.sections.flatMap((section) => section.items).find((item) => item.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found.key;
};

describe('the editor’s copy of a form', () => {
  it('gives back exactly the content it was given, conditions, scales and pre-fill included', () => {
    const form = opened();
    expect(form).toMatchObject({ formId: defaultForm.id, basedOn: 1, version: 2 });
    const checked = checkEditorForm(form);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    expect(checked.content).toEqual({ title: defaultForm.title, sections: defaultForm.sections });
  });

  it('keeps the ids of everything already published, and lets a new item’s id follow its words', () => {
    const form = opened();
    expect(form.sections.flatMap((section) => section.items).every((item) => !item.isNew)).toBe(
      true,
    );
    const sectionKey = form.sections[0]?.key ?? '';
    const added = addItem(form, sectionKey);
    expect(added.item).toMatchObject({ isNew: true, id: 'new_item', weight: '1', kind: 'yes_no' });
    const named = changeItem(added.form, added.item.key, {
      prompt: 'Goals and career ideas were drawn out',
    });
    expect(named.sections[0]?.items.at(-1)?.id).toBe('goals_and_career_ideas_were_drawn_out');
    // Typed by hand, the id stays as typed whatever the prompt becomes.
    const typed = changeItem(named, added.item.key, { id: 'goals_drawn_out' });
    const reworded = changeItem(typed, added.item.key, { prompt: 'Goals were explored' });
    expect(reworded.sections[0]?.items.at(-1)?.id).toBe('goals_drawn_out');
  });

  it('makes ids of lower-case words that start with a letter, and never takes one in use', () => {
    expect(idFromWords('  2. Rapport & “open” questions!  ', 'x')).toBe('rapport_open_questions');
    expect(idFromWords('123', 'new_item')).toBe('new_item');
    const form = opened();
    const added = addItem(form, form.sections[0]?.key ?? '');
    const clash = changeItem(added.form, added.item.key, { prompt: 'Status captured' });
    // status_captured is taken by the published item.
    expect(clash.sections[0]?.items.at(-1)?.id).toBe('status_captured_2');
  });

  it('names a new section from its title', () => {
    const added = addSection(opened());
    const titled = changeSection(added.form, added.section.key, { title: 'Local labour market' });
    expect(titled.sections.at(-1)).toMatchObject({ id: 'local_labour_market', isNew: true });
  });
});

describe('moving and removing', () => {
  it('moves an item within its section, then over the edge into the next or previous one', () => {
    let form = opened();
    const key = itemKey(form, 'action_plan_recorded');
    form = moveItem(form, key, 1);
    expect(ids(form)[3]).toEqual(['next_steps', ['next_steps_good', 'action_plan_recorded']]);
    form = moveItem(form, key, 1);
    // Off the end of "next steps": first in "follow-up and transcript".
    expect(ids(form)[3]).toEqual(['next_steps', ['next_steps_good']]);
    expect(ids(form)[4]).toEqual([
      'follow_up_and_transcript',
      ['action_plan_recorded', 'follow_up_offered', 'transcript_offered'],
    ]);
    form = moveItem(form, key, -1);
    expect(ids(form)[3]).toEqual(['next_steps', ['next_steps_good', 'action_plan_recorded']]);
  });

  it('goes nowhere past the first or last place', () => {
    const form = opened();
    expect(moveItem(form, itemKey(form, 'status_captured'), -1)).toBe(form);
    expect(moveItem(form, itemKey(form, 'safeguarding_handled'), 1)).toBe(form);
    expect(moveSection(form, form.sections[0]?.key ?? '', -1)).toBe(form);
  });

  it('moves sections, and removes items and sections', () => {
    let form = opened();
    form = moveSection(form, form.sections[1]?.key ?? '', -1);
    expect(form.sections.map((section) => section.id).slice(0, 2)).toEqual([
      'barriers',
      'starting_point',
    ]);
    form = removeItem(form, itemKey(form, 'barriers_explored'));
    // A section left with no items is a problem the editor reports, not a silent removal.
    const checked = checkEditorForm(form);
    expect(checked.ok ? [] : checked.problems).toEqual([
      {
        field: `section:${form.sections[0]?.key}:items`,
        where: 'Section 1 (“Barriers”)',
        message: 'A section needs at least one item',
      },
    ]);
  });
});

describe('problems, each on its own field', () => {
  it('ties a blank weight, a bad id and a scale that runs backwards to their fields, in words', () => {
    const form = opened();
    const weightKey = itemKey(form, 'status_captured');
    const scaleKey = itemKey(form, 'next_steps_good');
    let edited = changeItem(form, weightKey, { weight: ' ' });
    edited = changeItem(edited, scaleKey, { min: '4', max: '2' });
    const added = addItem(edited, edited.sections[0]?.key ?? '');
    edited = changeItem(added.form, added.item.key, { id: 'Bad id', prompt: 'Goals explored' });
    const checked = checkEditorForm(edited);
    expect(checked.ok ? [] : checked.problems).toEqual([
      {
        field: `item:${weightKey}:weight`,
        where:
          "Section 1 (“Starting point”), item 1 (“The young person's starting point was established, with their current status”)",
        message: 'Give the weight as a number',
      },
      {
        field: `item:${added.item.key}:id`,
        where: 'Section 1 (“Starting point”), item 2 (“Goals explored”)',
        message: 'Use lower-case letters, digits and underscores, starting with a letter',
      },
    ]);
    // Once the shapes are right, the form's own rules speak: the scale runs backwards.
    const fixed = changeItem(changeItem(edited, weightKey, { weight: '2' }), added.item.key, {
      id: 'goals_explored',
    });
    const again = checkEditorForm(fixed);
    expect(
      again.ok ? [] : again.problems.map((problem) => [problem.field, problem.message]),
    ).toEqual([[`item:${scaleKey}:max`, 'A scale must run from a lower to a higher point']]);
  });

  it('places a problem the server names by path, and a form-wide one on the form', () => {
    const form = opened();
    expect(problemAt(form, 'sections.4.items.1.condition', 'Never holds')).toEqual({
      field: `item:${form.sections[4]?.items[1]?.key}:conditions`,
      where: 'Section 5 (“Follow-up and transcript”), item 2 (“A transcript was offered”)',
      message: 'Never holds',
    });
    expect(problemAt(form, 'sections', 'No score')).toEqual({
      field: 'sections',
      where: 'The form',
      message: 'No score',
    });
    expect(problemAt(form, 'basedOn', 'Stale').field).toBe('sections');
  });

  it('turns ticks into a condition, and a scale item loses must-pass and pre-fill', () => {
    const form = opened();
    const key = itemKey(form, 'transcript_offered');
    const ticked = changeItem(form, key, {
      conditions: {
        barrier_recorded: true,
        safeguarding_raised: false,
        within_remit: true,
        channel: 'webchat',
      },
    });
    const checked = checkEditorForm(ticked);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    const transcript = checked.content.sections[4]?.items[1];
    expect(transcript?.condition).toEqual({
      when: 'all',
      conditions: [
        { when: 'barrier_recorded' },
        { when: 'within_remit' },
        { when: 'channel', channel: 'webchat' },
      ],
    });
    // Pre-fill is dropped from a scale (only yes/no items take one), as the form's rules require.
    const scaled = changeItem(form, key, { kind: 'scale', min: '1', max: '3' });
    const scaledChecked = checkEditorForm(scaled);
    if (!scaledChecked.ok) throw new Error(JSON.stringify(scaledChecked.problems));
    expect(scaledChecked.content.sections[4]?.items[1]).toMatchObject({
      answer: { kind: 'scale', min: 1, max: 3, labels: [] },
    });
    expect(scaledChecked.content.sections[4]?.items[1]?.prefill).toBeUndefined();
  });
});

describe('a draft carried on with', () => {
  it('makes no new version, and keeps new items’ ids open until they are published', () => {
    const draft = reviseForm(defaultForm, (content) => ({
      ...content,
      sections: [
        ...content.sections,
        {
          id: 'local_knowledge',
          title: 'Local knowledge',
          items: [
            {
              id: 'local_labour_market',
              prompt: 'Local labour-market information was given',
              guidance: '',
              weight: 1,
              answer: { kind: 'yes_no', notApplicableAllowed: true },
              mustPass: false,
            },
          ],
        },
      ],
    }));
    if (!draft.ok) throw new Error(draft.error.message);
    const form = editorFormOf(draft.value, defaultForm);
    expect(form).toMatchObject({ basedOn: 2, version: 2 });
    expect(form.sections.at(-1)).toMatchObject({ isNew: true });
    expect(form.sections.at(-1)?.items[0]).toMatchObject({ isNew: true, idTouched: true });
    expect(form.sections[0]?.items[0]?.isNew).toBe(false);
    const published: ScorecardForm = (() => {
      const result = publishForm(draft.value);
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    })();
    const next = editorFormOf(published, published);
    expect(next.version).toBe(3);
    expect(next.sections.at(-1)?.items[0]?.isNew).toBe(false);
    expect(formItems(published)).toHaveLength(12);
    expect(contentFrom(next).sections).toHaveLength(8);
  });
});
