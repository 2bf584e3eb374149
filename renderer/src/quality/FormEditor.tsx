// The scorecard form editor: a team leader makes the next version of a form
// (sections and items, weights, yes/no or a scale with words for its points,
// N/A, must-pass, when a comment is needed, when an item is shown, and what
// the record can propose), saves it as a draft and publishes it. A published
// version never changes. Everything is reachable from the keyboard: items
// move with buttons, not by dragging, and every problem links to its field.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { commentRules, prefillRuleIds, type CommentRule } from '../../../shared/quality/form';
import type { ResultError } from '../../../shared/result';
import type { FormVersion } from '../../../shared/wire/quality';
import {
  addItem,
  addSection,
  changeItem,
  changeSection,
  checkEditorForm,
  moveItem,
  moveSection,
  problemAt,
  removeItem,
  removeSection,
  type EditorField,
  type EditorForm,
  type EditorItem,
  type EditorProblem,
  type EditorSection,
  type ItemField,
} from './form-editor-state';
import { commentRuleWords, prefillRuleWords } from './words';

type Notice = { kind: 'done'; text: string } | { kind: 'problem'; text: string } | null;

/** Ties each editor field to a DOM id, and tells each field its problems. */
interface Fields {
  id(field: EditorField): string;
  problems(field: EditorField): EditorProblem[];
}

function FieldProblems({ fields, field }: { fields: Fields; field: EditorField }) {
  const problems = fields.problems(field);
  if (problems.length === 0) return null;
  return (
    <p id={`${fields.id(field)}-problem`} className="field__problem">
      {problems.map((problem) => problem.message).join('. ')}
    </p>
  );
}

/** The attributes that tie an input to its problems for a screen reader. */
function invalid(fields: Fields, field: EditorField) {
  const has = fields.problems(field).length > 0;
  return has
    ? { 'aria-invalid': true as const, 'aria-describedby': `${fields.id(field)}-problem` }
    : {};
}

function TextField({
  fields,
  field,
  label,
  value,
  onChange,
  hint,
  readOnly,
  maxLength,
  multiline,
  inputMode,
}: {
  fields: Fields;
  field: EditorField;
  label: string;
  value: string;
  onChange?: (value: string) => void;
  hint?: ReactNode;
  readOnly?: boolean;
  maxLength?: number;
  multiline?: boolean;
  inputMode?: 'decimal' | 'numeric';
}) {
  const id = fields.id(field);
  const props = {
    id,
    value,
    readOnly,
    maxLength,
    onChange: (event: { target: { value: string } }) => onChange?.(event.target.value),
    ...invalid(fields, field),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <p className="field__hint">{hint}</p>}
      {multiline ? (
        <textarea rows={2} {...props} />
      ) : (
        <input type="text" inputMode={inputMode} {...props} />
      )}
      <FieldProblems fields={fields} field={field} />
    </div>
  );
}

function ItemEditor({
  fields,
  item,
  number,
  first,
  last,
  onChange,
  onMove,
  onRemove,
}: {
  fields: Fields;
  item: EditorItem;
  number: string;
  first: boolean;
  last: boolean;
  onChange: (change: Partial<EditorItem>) => void;
  onMove: (step: -1 | 1) => void;
  onRemove: () => void;
}) {
  const at = (field: ItemField): EditorField => `item:${item.key}:${field}`;
  const name = item.prompt.trim() || 'new item';
  const points = (() => {
    const min = Number(item.min);
    const max = Number(item.max);
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min || max - min > 10) return [];
    return Array.from({ length: max - min + 1 }, (_, offset) => min + offset);
  })();
  return (
    <li className="form-editor__item">
      <fieldset>
        <legend>
          Item {number}: {name}
        </legend>
        <div className="form-editor__grid">
          <TextField
            fields={fields}
            field={at('prompt')}
            label="What the item asks"
            value={item.prompt}
            maxLength={300}
            onChange={(prompt) => onChange({ prompt })}
          />
          <TextField
            fields={fields}
            field={at('id')}
            label="Name in reports"
            value={item.id}
            readOnly={!item.isNew}
            maxLength={64}
            hint={
              item.isNew
                ? 'Lower-case letters, digits and underscores. Fixed once published.'
                : 'Published before: reports follow the item by this name, so it stays.'
            }
            onChange={(id) => onChange({ id })}
          />
        </div>
        <TextField
          fields={fields}
          field={at('guidance')}
          label="Guidance: what the reviewer looks for"
          value={item.guidance}
          multiline
          maxLength={2000}
          onChange={(guidance) => onChange({ guidance })}
        />
        <div className="form-editor__grid form-editor__grid--three">
          <TextField
            fields={fields}
            field={at('weight')}
            label="Weight"
            hint="Its share of the score"
            value={item.weight}
            inputMode="decimal"
            maxLength={6}
            onChange={(weight) => onChange({ weight })}
          />
          <fieldset className="form-editor__choices" {...invalid(fields, at('kind'))}>
            <legend>Answered</legend>
            {(['yes_no', 'scale'] as const).map((kind) => (
              <label key={kind} className="answer-choice">
                <input
                  type="radio"
                  name={`${fields.id(at('kind'))}-kind`}
                  checked={item.kind === kind}
                  onChange={() =>
                    onChange(
                      // A scale cannot be must-pass or pre-filled: those are yes/no things.
                      kind === 'scale' ? { kind, mustPass: false, prefill: '' } : { kind },
                    )
                  }
                />
                <span>{kind === 'yes_no' ? 'Yes or no' : 'On a scale'}</span>
              </label>
            ))}
            <FieldProblems fields={fields} field={at('kind')} />
          </fieldset>
          <div className="form-editor__checks">
            <label className="answer-choice">
              <input
                type="checkbox"
                checked={item.notApplicableAllowed}
                onChange={(event) => onChange({ notApplicableAllowed: event.target.checked })}
              />
              <span>N/A allowed (taken out of the maximum)</span>
            </label>
            <label className="answer-choice">
              <input
                type="checkbox"
                checked={item.mustPass}
                disabled={item.kind === 'scale'}
                {...invalid(fields, at('mustPass'))}
                onChange={(event) => onChange({ mustPass: event.target.checked })}
              />
              <span>
                Must pass: scored apart, and a fail fails the review
                {item.kind === 'scale' && ' (yes/no items only)'}
              </span>
            </label>
            <FieldProblems fields={fields} field={at('mustPass')} />
          </div>
        </div>
        {item.kind === 'scale' && (
          <div className="form-editor__scale">
            <div className="form-editor__grid form-editor__grid--three">
              <TextField
                fields={fields}
                field={at('min')}
                label="Lowest point (a fail)"
                value={item.min}
                inputMode="numeric"
                maxLength={3}
                onChange={(min) => onChange({ min })}
              />
              <TextField
                fields={fields}
                field={at('max')}
                label="Highest point"
                value={item.max}
                inputMode="numeric"
                maxLength={3}
                onChange={(max) => onChange({ max })}
              />
            </div>
            {points.length > 0 && (
              <fieldset
                className="form-editor__labels"
                id={fields.id(at('labels'))}
                {...invalid(fields, at('labels'))}
              >
                <legend>Words for each point (so reviewers read the scale alike)</legend>
                {points.map((point) => (
                  <div key={point} className="field form-editor__label">
                    <label htmlFor={`${fields.id(at('labels'))}-${point}`}>Point {point}</label>
                    <input
                      id={`${fields.id(at('labels'))}-${point}`}
                      type="text"
                      maxLength={200}
                      value={item.labels[point] ?? ''}
                      onChange={(event) =>
                        onChange({ labels: { ...item.labels, [point]: event.target.value } })
                      }
                    />
                  </div>
                ))}
                <FieldProblems fields={fields} field={at('labels')} />
              </fieldset>
            )}
          </div>
        )}
        <div className="form-editor__grid form-editor__grid--three">
          <div className="field">
            <label htmlFor={fields.id(at('commentRequired'))}>A comment is needed</label>
            <select
              id={fields.id(at('commentRequired'))}
              value={item.commentRequired}
              onChange={(event) => onChange({ commentRequired: event.target.value as CommentRule })}
            >
              {commentRules.map((rule) => (
                <option key={rule} value={rule}>
                  {commentRuleWords[rule]}
                </option>
              ))}
            </select>
          </div>
          <fieldset
            className="form-editor__choices"
            id={fields.id(at('conditions'))}
            {...invalid(fields, at('conditions'))}
          >
            <legend>Shown only when</legend>
            <p className="field__hint">Nothing ticked: always shown.</p>
            {(
              [
                ['barrier_recorded', 'a barrier was recorded'],
                ['safeguarding_raised', 'a safeguarding concern was raised'],
                ['within_remit', 'the contact was within remit'],
              ] as const
            ).map(([fact, words]) => (
              <label key={fact} className="answer-choice">
                <input
                  type="checkbox"
                  checked={item.conditions[fact]}
                  onChange={(event) =>
                    onChange({ conditions: { ...item.conditions, [fact]: event.target.checked } })
                  }
                />
                <span>{words}</span>
              </label>
            ))}
            <div className="field">
              <label htmlFor={`${fields.id(at('conditions'))}-channel`}>and the channel is</label>
              <select
                id={`${fields.id(at('conditions'))}-channel`}
                value={item.conditions.channel}
                onChange={(event) =>
                  onChange({
                    conditions: {
                      ...item.conditions,
                      channel: event.target.value as EditorItem['conditions']['channel'],
                    },
                  })
                }
              >
                <option value="">any channel</option>
                <option value="voice">a voice call</option>
                <option value="webchat">a web chat</option>
              </select>
            </div>
            <FieldProblems fields={fields} field={at('conditions')} />
          </fieldset>
          <div className="field">
            <label htmlFor={fields.id(at('prefill'))}>Proposed from the record</label>
            <select
              id={fields.id(at('prefill'))}
              value={item.prefill}
              disabled={item.kind === 'scale'}
              {...invalid(fields, at('prefill'))}
              onChange={(event) =>
                onChange({ prefill: event.target.value as EditorItem['prefill'] })
              }
            >
              <option value="">Nothing: a judgement item</option>
              {prefillRuleIds.map((rule) => (
                <option key={rule} value={rule}>
                  {prefillRuleWords[rule]}
                </option>
              ))}
            </select>
            <FieldProblems fields={fields} field={at('prefill')} />
          </div>
        </div>
        <div className="form-editor__row-actions">
          <button
            type="button"
            className="button button--small"
            id={`${fields.id(at('prompt'))}-up`}
            disabled={first}
            onClick={() => onMove(-1)}
          >
            Move up<span className="visually-hidden">: {name}</span>
          </button>
          <button
            type="button"
            className="button button--small"
            id={`${fields.id(at('prompt'))}-down`}
            disabled={last}
            onClick={() => onMove(1)}
          >
            Move down<span className="visually-hidden">: {name}</span>
          </button>
          <button type="button" className="button button--small" onClick={onRemove}>
            Remove item<span className="visually-hidden">: {name}</span>
          </button>
        </div>
      </fieldset>
    </li>
  );
}

function SectionEditor({
  fields,
  section,
  number,
  firstSection,
  lastSection,
  children,
  onChange,
  onMove,
  onRemove,
  onAddItem,
}: {
  fields: Fields;
  section: EditorSection;
  number: number;
  firstSection: boolean;
  lastSection: boolean;
  children: ReactNode;
  onChange: (change: Partial<Pick<EditorSection, 'id' | 'title'>>) => void;
  onMove: (step: -1 | 1) => void;
  onRemove: () => void;
  onAddItem: () => void;
}) {
  const name = section.title.trim() || 'new section';
  return (
    <li className="form-editor__section">
      <fieldset>
        <legend>
          Section {number}: {name}
        </legend>
        <div className="form-editor__grid">
          <TextField
            fields={fields}
            field={`section:${section.key}:title`}
            label="Section title"
            value={section.title}
            maxLength={200}
            onChange={(title) => onChange({ title })}
          />
          <TextField
            fields={fields}
            field={`section:${section.key}:id`}
            label="Section name in reports"
            value={section.id}
            readOnly={!section.isNew}
            maxLength={64}
            onChange={(id) => onChange({ id })}
          />
        </div>
        <FieldProblems fields={fields} field={`section:${section.key}:items`} />
        <ol className="form-editor__items">{children}</ol>
        <div className="form-editor__row-actions">
          <button
            type="button"
            className="button button--small"
            id={`${fields.id(`section:${section.key}:title`)}-add`}
            onClick={onAddItem}
          >
            Add an item to section {number}
          </button>
          <button
            type="button"
            className="button button--small"
            id={`${fields.id(`section:${section.key}:title`)}-up`}
            disabled={firstSection}
            onClick={() => onMove(-1)}
          >
            Move section up<span className="visually-hidden">: {name}</span>
          </button>
          <button
            type="button"
            className="button button--small"
            id={`${fields.id(`section:${section.key}:title`)}-down`}
            disabled={lastSection}
            onClick={() => onMove(1)}
          >
            Move section down<span className="visually-hidden">: {name}</span>
          </button>
          <button type="button" className="button button--small" onClick={onRemove}>
            Remove section<span className="visually-hidden">: {name}</span>
          </button>
        </div>
      </fieldset>
    </li>
  );
}

export function FormEditor({
  desk,
  initial,
  basedOnWords,
  onSaved,
  onPublished,
  onClose,
}: {
  desk: DeskBridge;
  initial: EditorForm;
  /** Where this draft came from, in words: "version 2, published". */
  basedOnWords: string;
  onSaved: (saved: FormVersion) => void;
  onPublished: (published: FormVersion) => void;
  onClose: () => void;
}) {
  const [form, setForm] = useState(initial);
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const [notice, setNotice] = useState<Notice>(null);
  const [dirty, setDirty] = useState(false);
  const [confirming, setConfirming] = useState<'publish' | 'leave' | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = useId();
  const summary = useRef<HTMLDivElement>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  /** Where the focus goes once a change is drawn: the first of these that can take it. */
  const focusNext = useRef<string[]>([]);

  // A new item's question, or a moved item's button: if the button it was
  // moved with is now disabled (the item reached the top), the other one.
  useEffect(() => {
    const ids = focusNext.current;
    if (ids.length === 0) return;
    focusNext.current = [];
    const target = ids
      .map((id) => document.getElementById(id))
      .find((element) => element && !(element as HTMLButtonElement).disabled);
    target?.focus();
  });

  const fields: Fields = {
    id: (field) => `${prefix}-${field.replaceAll(':', '-')}`,
    problems: (field) => problems.filter((problem) => problem.field === field),
  };

  const update = (next: EditorForm, ...focus: string[]) => {
    setForm(next);
    setDirty(true);
    setConfirming(null);
    focusNext.current = focus;
  };
  const moveButtons = (base: string, step: -1 | 1) =>
    step < 0 ? [`${base}-up`, `${base}-down`] : [`${base}-down`, `${base}-up`];

  const showProblems = (found: EditorProblem[], message?: string) => {
    setProblems(found);
    setNotice(message ? { kind: 'problem', text: message } : null);
    requestAnimationFrame(() => summary.current?.focus());
  };

  /** Saves the draft; the saved version, or null when refused (its problems are shown). */
  const save = async (): Promise<FormVersion | null> => {
    const checked = checkEditorForm(form);
    if (!checked.ok) {
      showProblems(checked.problems);
      return null;
    }
    setBusy(true);
    const answer = await desk.saveFormDraft({
      formId: form.formId,
      draft: { basedOn: form.basedOn, ...checked.content },
    });
    setBusy(false);
    if (!answer.ok) {
      refused(answer.error);
      return null;
    }
    setProblems([]);
    setDirty(false);
    // The draft is now the version this editor works on.
    setForm((held) => ({ ...held, basedOn: answer.value.form.version }));
    onSaved(answer.value);
    return answer.value;
  };

  const refused = (error: ResultError) => {
    const found = (error.issues ?? []).map((issue) => problemAt(form, issue.path, issue.message));
    if (found.length > 0) showProblems(found, error.message);
    else {
      setProblems([]);
      setNotice({ kind: 'problem', text: error.message });
      requestAnimationFrame(() => noticeRef.current?.focus());
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await save();
    if (saved) {
      setNotice({
        kind: 'done',
        text: `Saved as a draft: version ${saved.form.version}. Publish it when it is ready; until then reviews use the published version.`,
      });
      requestAnimationFrame(() => noticeRef.current?.focus());
    }
  };

  const publish = async () => {
    // Unsaved changes, or a version not yet saved at all, are saved first: what is published is what is held.
    const needsSave = dirty || form.basedOn !== form.version;
    if (needsSave && !(await save())) return;
    setBusy(true);
    const answer = await desk.publishFormVersion({ formId: form.formId, version: form.version });
    setBusy(false);
    setConfirming(null);
    if (!answer.ok) return refused(answer.error);
    onPublished(answer.value);
  };

  const focusProblem = (problem: EditorProblem) => {
    const element = document.getElementById(fields.id(problem.field));
    const target =
      element instanceof HTMLFieldSetElement
        ? element.querySelector<HTMLElement>('input, select, textarea')
        : element;
    (target ?? element)?.focus();
  };

  return (
    <form
      className="form-editor"
      aria-labelledby={`${prefix}-heading`}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={`${prefix}-heading`}>Version {form.version} of the form (draft)</h3>
      <p className="quality-quiet">
        Made from {basedOnWords}. A published version never changes: reviews already begun keep the
        version they started with, and every new review takes the newest published one.
      </p>
      {problems.length > 0 && (
        <div
          ref={summary}
          tabIndex={-1}
          role="alert"
          className="notice notice--problem form-editor__summary"
        >
          <p>
            {notice?.kind === 'problem' ? `${notice.text}: ` : ''}
            {problems.length === 1
              ? 'One thing to put right'
              : `${problems.length} things to put right`}{' '}
            before the form can be saved.
          </p>
          <ul>
            {problems.map((problem, index) => (
              <li key={`${problem.field}:${index}`}>
                <button type="button" className="link-button" onClick={() => focusProblem(problem)}>
                  {problem.where}: {problem.message}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {notice && problems.length === 0 && (
        <p
          ref={noticeRef}
          tabIndex={-1}
          role={notice.kind === 'problem' ? 'alert' : 'status'}
          className={`notice ${notice.kind === 'problem' ? 'notice--problem' : 'notice--done'}`}
        >
          {notice.text}
        </p>
      )}
      <TextField
        fields={fields}
        field="title"
        label="Form title"
        value={form.title}
        maxLength={200}
        onChange={(title) => update({ ...form, title })}
      />
      <FieldProblems fields={fields} field="sections" />
      <ol className="form-editor__sections">
        {form.sections.map((section, sectionIndex) => (
          <SectionEditor
            key={section.key}
            fields={fields}
            section={section}
            number={sectionIndex + 1}
            firstSection={sectionIndex === 0}
            lastSection={sectionIndex === form.sections.length - 1}
            onChange={(change) => update(changeSection(form, section.key, change))}
            onMove={(step) =>
              update(
                moveSection(form, section.key, step),
                ...moveButtons(fields.id(`section:${section.key}:title`), step),
              )
            }
            onRemove={() => {
              const neighbour = form.sections[sectionIndex - 1] ?? form.sections[sectionIndex + 1];
              update(
                removeSection(form, section.key),
                neighbour ? fields.id(`section:${neighbour.key}:title`) : `${prefix}-add-section`,
              );
            }}
            onAddItem={() => {
              const added = addItem(form, section.key);
              update(added.form, fields.id(`item:${added.item.key}:prompt`));
            }}
          >
            {section.items.map((item, itemIndex) => (
              <ItemEditor
                key={item.key}
                fields={fields}
                item={item}
                number={`${sectionIndex + 1}.${itemIndex + 1}`}
                first={sectionIndex === 0 && itemIndex === 0}
                last={
                  sectionIndex === form.sections.length - 1 &&
                  itemIndex === section.items.length - 1
                }
                onChange={(change) => update(changeItem(form, item.key, change))}
                onMove={(step) =>
                  update(
                    moveItem(form, item.key, step),
                    ...moveButtons(fields.id(`item:${item.key}:prompt`), step),
                  )
                }
                onRemove={() => {
                  const neighbour = section.items[itemIndex - 1] ?? section.items[itemIndex + 1];
                  update(
                    removeItem(form, item.key),
                    neighbour
                      ? fields.id(`item:${neighbour.key}:prompt`)
                      : `${fields.id(`section:${section.key}:title`)}-add`,
                  );
                }}
              />
            ))}
          </SectionEditor>
        ))}
      </ol>
      <div className="form-editor__row-actions">
        <button
          type="button"
          className="button"
          id={`${prefix}-add-section`}
          onClick={() => {
            const added = addSection(form);
            update(added.form, fields.id(`section:${added.section.key}:title`));
          }}
        >
          Add a section
        </button>
      </div>
      <div className="form-editor__footer">
        {confirming === 'publish' && (
          <div
            role="alertdialog"
            aria-labelledby={`${prefix}-confirm`}
            className="form-editor__confirm"
          >
            <p id={`${prefix}-confirm`}>
              Publish version {form.version}? Every new review will use it, and it can never be
              changed afterwards: a later change becomes version {form.version + 1}.
            </p>
            <div className="scorecard-actions">
              <button
                type="button"
                className="button button--primary"
                disabled={busy}
                autoFocus
                onClick={() => void publish()}
              >
                Yes, publish version {form.version}
              </button>
              <button type="button" className="button" onClick={() => setConfirming(null)}>
                Not yet
              </button>
            </div>
          </div>
        )}
        {confirming === 'leave' && (
          <div
            role="alertdialog"
            aria-labelledby={`${prefix}-leave`}
            className="form-editor__confirm"
          >
            <p id={`${prefix}-leave`}>
              Leave without saving? The changes since the last save are lost.
            </p>
            <div className="scorecard-actions">
              <button type="button" className="button" autoFocus onClick={onClose}>
                Leave without saving
              </button>
              <button type="button" className="button" onClick={() => setConfirming(null)}>
                Stay
              </button>
            </div>
          </div>
        )}
        <div className="scorecard-actions">
          <button type="submit" className="button" disabled={busy}>
            Save draft
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            onClick={() => {
              const checked = checkEditorForm(form);
              if (!checked.ok) return showProblems(checked.problems);
              setProblems([]);
              setConfirming('publish');
            }}
          >
            Publish version {form.version}…
          </button>
          <button
            type="button"
            className="button"
            onClick={() => (dirty ? setConfirming('leave') : onClose())}
          >
            Back to the forms
          </button>
        </div>
      </div>
    </form>
  );
}
