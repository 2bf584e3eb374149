// The scorecard form editor's working copy: a form as the fields hold it
// (numbers as typed, conditions as ticks), turned back into a form with the
// same rules the server applies, and every problem tied to the field it is
// about, so the editor can say what is wrong and take the reader there.
import {
  formItems,
  scorecardFormSchema,
  type BasicCondition,
  type CommentRule,
  type FormContent,
  type FormItem,
  type ItemCondition,
  type PrefillRuleId,
  type ScorecardForm,
} from '../../../shared/quality/form';
import type { Channel } from '../../../shared/interaction/record';

/** Facts an item may be shown for, as the editor ticks them. */
export interface EditorConditions {
  barrier_recorded: boolean;
  safeguarding_raised: boolean;
  within_remit: boolean;
  /** '' for any channel. */
  channel: '' | Channel;
}

export interface EditorItem {
  /** Stable while the item is edited and moved: React's key and the fields' ids. */
  key: string;
  /** Not in the published version this draft grew from, so its id may still be chosen. */
  isNew: boolean;
  /** True once the reviewer typed an id: the prompt no longer suggests one. */
  idTouched: boolean;
  id: string;
  prompt: string;
  guidance: string;
  /** As typed: turned into a number (or refused) when the form is checked. */
  weight: string;
  kind: 'yes_no' | 'scale';
  min: string;
  max: string;
  /** Words per point of the scale; kept while the item is yes/no, in case it goes back. */
  labels: Record<number, string>;
  notApplicableAllowed: boolean;
  mustPass: boolean;
  commentRequired: CommentRule;
  conditions: EditorConditions;
  prefill: PrefillRuleId | '';
}

export interface EditorSection {
  key: string;
  isNew: boolean;
  idTouched: boolean;
  id: string;
  title: string;
  items: EditorItem[];
}

export interface EditorForm {
  formId: string;
  /** The version the editor opened: the server refuses a save if a newer one was saved meanwhile. */
  basedOn: number;
  /** The version a save makes or changes: one up from a published version, or the draft itself. */
  version: number;
  title: string;
  sections: EditorSection[];
}

let keys = 0;
const nextKey = (prefix: string) => `${prefix}${(keys += 1)}`;

const noConditions = (): EditorConditions => ({
  barrier_recorded: false,
  safeguarding_raised: false,
  within_remit: false,
  channel: '',
});

function conditionsOf(condition: ItemCondition | undefined): EditorConditions {
  const ticked = noConditions();
  if (!condition) return ticked;
  const parts = condition.when === 'all' ? condition.conditions : [condition];
  for (const part of parts) {
    if (part.when === 'channel') ticked.channel = part.channel;
    else ticked[part.when] = true;
  }
  return ticked;
}

function conditionFrom(ticked: EditorConditions): ItemCondition | undefined {
  const parts: BasicCondition[] = [];
  if (ticked.barrier_recorded) parts.push({ when: 'barrier_recorded' });
  if (ticked.safeguarding_raised) parts.push({ when: 'safeguarding_raised' });
  if (ticked.within_remit) parts.push({ when: 'within_remit' });
  if (ticked.channel) parts.push({ when: 'channel', channel: ticked.channel });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { when: 'all', conditions: parts };
}

function itemOf(item: FormItem, kept: ReadonlySet<string>): EditorItem {
  const { answer } = item;
  return {
    key: nextKey('i'),
    isNew: !kept.has(item.id),
    idTouched: true,
    id: item.id,
    prompt: item.prompt,
    guidance: item.guidance,
    weight: String(item.weight),
    kind: answer.kind,
    min: answer.kind === 'scale' ? String(answer.min) : '0',
    max: answer.kind === 'scale' ? String(answer.max) : '4',
    labels:
      answer.kind === 'scale'
        ? Object.fromEntries(answer.labels.map(({ value, label }) => [value, label]))
        : {},
    notApplicableAllowed: answer.notApplicableAllowed,
    mustPass: item.mustPass,
    commentRequired: item.commentRequired ?? 'when_failed',
    conditions: conditionsOf(item.condition),
    prefill: item.prefill ?? '',
  };
}

/**
 * The editor's copy of a form. `published` is the newest published version:
 * its section and item ids are fixed (reports follow an item across versions
 * by its id), and anything else is new in this draft.
 */
export function editorFormOf(form: ScorecardForm, published: ScorecardForm | null): EditorForm {
  const keptItems = new Set(published ? formItems(published).map(({ item }) => item.id) : []);
  const keptSections = new Set(published?.sections.map((section) => section.id) ?? []);
  return {
    formId: form.id,
    basedOn: form.version,
    version: form.status === 'published' ? form.version + 1 : form.version,
    title: form.title,
    sections: form.sections.map((section) => ({
      key: nextKey('s'),
      isNew: !keptSections.has(section.id),
      idTouched: true,
      id: section.id,
      title: section.title,
      items: section.items.map((item) => itemOf(item, keptItems)),
    })),
  };
}

/** An id made from words: lower case, underscores, starting with a letter. */
export function idFromWords(words: string, fallback: string): string {
  const slug = words
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return slug || fallback;
}

/** An id not yet used among `taken`: the wanted one, or it with _2, _3… */
export function unusedId(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n += 1) {
    const candidate = `${wanted}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

const itemIdsOf = (form: EditorForm, except?: string) =>
  new Set(
    form.sections.flatMap((section) =>
      section.items.filter((item) => item.key !== except).map((item) => item.id),
    ),
  );

export function newItem(form: EditorForm): EditorItem {
  return {
    key: nextKey('i'),
    isNew: true,
    idTouched: false,
    id: unusedId('new_item', itemIdsOf(form)),
    prompt: '',
    guidance: '',
    weight: '1',
    kind: 'yes_no',
    min: '0',
    max: '4',
    labels: {},
    notApplicableAllowed: false,
    mustPass: false,
    commentRequired: 'when_failed',
    conditions: noConditions(),
    prefill: '',
  };
}

export function newSection(form: EditorForm): EditorSection {
  const taken = new Set(form.sections.map((section) => section.id));
  return {
    key: nextKey('s'),
    isNew: true,
    idTouched: false,
    id: unusedId('new_section', taken),
    title: '',
    items: [newItem(form)],
  };
}

/**
 * A change to one item's fields. A new item whose id nobody typed follows its
 * prompt, so a reviewer who writes the question gets a sensible id for free.
 */
export function changeItem(
  form: EditorForm,
  itemKey: string,
  change: Partial<EditorItem>,
): EditorForm {
  return {
    ...form,
    sections: form.sections.map((section) => ({
      ...section,
      items: section.items.map((item) => {
        if (item.key !== itemKey) return item;
        const next = { ...item, ...change };
        if (change.id !== undefined) next.idTouched = true;
        else if (change.prompt !== undefined && next.isNew && !next.idTouched) {
          next.id = unusedId(idFromWords(change.prompt, 'new_item'), itemIdsOf(form, itemKey));
        }
        return next;
      }),
    })),
  };
}

export function changeSection(
  form: EditorForm,
  sectionKey: string,
  change: Partial<Pick<EditorSection, 'id' | 'title'>>,
): EditorForm {
  return {
    ...form,
    sections: form.sections.map((section) => {
      if (section.key !== sectionKey) return section;
      const next = { ...section, ...change };
      if (change.id !== undefined) next.idTouched = true;
      else if (change.title !== undefined && next.isNew && !next.idTouched) {
        const taken = new Set(
          form.sections.filter((held) => held.key !== sectionKey).map((held) => held.id),
        );
        next.id = unusedId(idFromWords(change.title, 'new_section'), taken);
      }
      return next;
    }),
  };
}

/**
 * Moves an item up or down one place. At the top (or bottom) of its section
 * it goes to the end of the section before (or the start of the one after),
 * so an item can travel anywhere with the keyboard alone.
 */
export function moveItem(form: EditorForm, itemKey: string, step: -1 | 1): EditorForm {
  const sections = form.sections.map((section) => ({ ...section, items: [...section.items] }));
  const from = sections.findIndex((section) => section.items.some((item) => item.key === itemKey));
  const section = sections[from];
  if (!section) return form;
  const index = section.items.findIndex((item) => item.key === itemKey);
  const [item] = section.items.splice(index, 1);
  if (!item) return form;
  const target = index + step;
  if (target >= 0 && target <= section.items.length) {
    section.items.splice(target, 0, item);
  } else {
    const neighbour = sections[from + step];
    // Nowhere further to go: put it back.
    if (!neighbour) return form;
    if (step < 0) neighbour.items.push(item);
    else neighbour.items.unshift(item);
  }
  return { ...form, sections };
}

export function moveSection(form: EditorForm, sectionKey: string, step: -1 | 1): EditorForm {
  const index = form.sections.findIndex((section) => section.key === sectionKey);
  const target = index + step;
  if (index < 0 || target < 0 || target >= form.sections.length) return form;
  const sections = [...form.sections];
  const [section] = sections.splice(index, 1);
  if (section) sections.splice(target, 0, section);
  return { ...form, sections };
}

export function removeItem(form: EditorForm, itemKey: string): EditorForm {
  return {
    ...form,
    sections: form.sections.map((section) => ({
      ...section,
      items: section.items.filter((item) => item.key !== itemKey),
    })),
  };
}

export function removeSection(form: EditorForm, sectionKey: string): EditorForm {
  return { ...form, sections: form.sections.filter((section) => section.key !== sectionKey) };
}

export function addItem(
  form: EditorForm,
  sectionKey: string,
): { form: EditorForm; item: EditorItem } {
  const item = newItem(form);
  return {
    item,
    form: {
      ...form,
      sections: form.sections.map((section) =>
        section.key === sectionKey ? { ...section, items: [...section.items, item] } : section,
      ),
    },
  };
}

export function addSection(form: EditorForm): { form: EditorForm; section: EditorSection } {
  const section = newSection(form);
  return { section, form: { ...form, sections: [...form.sections, section] } };
}

/** A number as typed; a blank is not 0. */
const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function itemFrom(item: EditorItem): unknown {
  const min = numberOf(item.min);
  const max = numberOf(item.max);
  const points =
    Number.isInteger(min) && Number.isInteger(max) && max >= min && max - min <= 100
      ? Array.from({ length: max - min + 1 }, (_, offset) => min + offset)
      : [];
  return {
    id: item.id.trim(),
    prompt: item.prompt,
    guidance: item.guidance,
    weight: numberOf(item.weight),
    answer:
      item.kind === 'yes_no'
        ? { kind: 'yes_no', notApplicableAllowed: item.notApplicableAllowed }
        : {
            kind: 'scale',
            min,
            max,
            notApplicableAllowed: item.notApplicableAllowed,
            labels: points.flatMap((value) => {
              const label = item.labels[value]?.trim() ?? '';
              return label ? [{ value, label }] : [];
            }),
          },
    mustPass: item.mustPass,
    ...(item.commentRequired === 'always' ? { commentRequired: 'always' } : {}),
    ...(conditionFrom(item.conditions) ? { condition: conditionFrom(item.conditions) } : {}),
    ...(item.prefill && item.kind === 'yes_no' ? { prefill: item.prefill } : {}),
  };
}

/** The form content the editor holds, as the server takes it (still to be checked). */
export function contentFrom(form: EditorForm): { title: string; sections: unknown[] } {
  return {
    title: form.title,
    sections: form.sections.map((section) => ({
      id: section.id.trim(),
      title: section.title,
      items: section.items.map(itemFrom),
    })),
  };
}

/** Which field of the editor a problem is about. */
export type EditorField =
  | 'title'
  | 'sections'
  | `section:${string}:${'id' | 'title' | 'items'}`
  | `item:${string}:${ItemField}`;
export type ItemField =
  | 'id'
  | 'prompt'
  | 'guidance'
  | 'weight'
  | 'kind'
  | 'min'
  | 'max'
  | 'labels'
  | 'mustPass'
  | 'commentRequired'
  | 'conditions'
  | 'prefill';

export interface EditorProblem {
  field: EditorField;
  /** Where it is, in words: "Section 2, item 3 (“A follow-up call was offered”)". */
  where: string;
  message: string;
}

const itemFieldOf = (rest: readonly (string | number)[]): ItemField => {
  const [first, second] = rest;
  switch (first) {
    case 'id':
    case 'prompt':
    case 'guidance':
    case 'weight':
    case 'mustPass':
    case 'commentRequired':
    case 'prefill':
      return first;
    case 'condition':
      return 'conditions';
    case 'answer':
      return second === 'min' || second === 'max' || second === 'labels' ? second : 'kind';
    default:
      return 'prompt';
  }
};

/**
 * A problem's path (as the form's rules or the server give it:
 * `sections.1.items.2.weight`) tied to the editor's field, with where it is
 * in words.
 */
export function problemAt(
  form: EditorForm,
  path: readonly (string | number)[] | string,
  message: string,
): EditorProblem {
  const parts = (typeof path === 'string' ? path.split('.') : path).map((part) =>
    typeof part === 'string' && /^\d+$/.test(part) ? Number(part) : part,
  );
  const [head, sectionIndex, third, itemIndex, ...rest] = parts;
  if (head === 'title') return { field: 'title', where: 'The form’s title', message };
  const section = typeof sectionIndex === 'number' ? form.sections[sectionIndex] : undefined;
  if (head !== 'sections' || !section) return { field: 'sections', where: 'The form', message };
  const sectionWords = `Section ${(sectionIndex as number) + 1}${section.title.trim() ? ` (“${section.title.trim()}”)` : ''}`;
  const item =
    third === 'items' && typeof itemIndex === 'number' ? section.items[itemIndex] : undefined;
  if (!item) {
    const field = third === 'id' || third === 'title' ? third : 'items';
    return { field: `section:${section.key}:${field}`, where: sectionWords, message };
  }
  return {
    field: `item:${item.key}:${itemFieldOf(rest)}`,
    where: `${sectionWords}, item ${(itemIndex as number) + 1}${item.prompt.trim() ? ` (“${item.prompt.trim()}”)` : ''}`,
    message,
  };
}

/**
 * Checks the editor's form with the form's own rules (the server applies
 * the same), returning the content to send or every problem at once.
 */
export function checkEditorForm(
  form: EditorForm,
): { ok: true; content: FormContent } | { ok: false; problems: EditorProblem[] } {
  const content = contentFrom(form);
  const parsed = scorecardFormSchema.safeParse({
    id: form.formId,
    version: form.version,
    status: 'draft',
    ...content,
  });
  if (parsed.success) {
    return { ok: true, content: { title: parsed.data.title, sections: parsed.data.sections } };
  }
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) =>
      problemAt(form, issue.path as (string | number)[], issue.message),
    ),
  };
}
