// Adding an interaction to the training library, or editing its entry: a
// title, tags and a description. Saving puts a new entry before a team leader
// for clearance; an edit keeps the decision already made.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { TrainingEntry } from '../../../shared/wire/training';
import { checkEntryForm, type EntryForm, type EntryFormProblems } from './entry-form';

export function EntryEditor({
  desk,
  id,
  initial,
  submitLabel,
  onSaved,
  onCancel,
}: {
  desk: DeskBridge;
  id: string;
  initial: EntryForm;
  submitLabel: string;
  onSaved: (entry: TrainingEntry) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(initial);
  const [problems, setProblems] = useState<EntryFormProblems>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const title = useRef<HTMLInputElement>(null);
  useEffect(() => title.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkEntryForm(form);
    if (!checked.ok) {
      setProblems(checked.problems);
      // Focus the first field that needs attention.
      const first = (['title', 'tags', 'description'] as const).find(
        (field) => checked.problems[field],
      );
      document.getElementById(`${fieldId}-${first ?? 'title'}`)?.focus();
      return;
    }
    setProblems({});
    setBusy(true);
    setFailure(null);
    const answer = await desk.saveTraining({ id, entry: checked.value });
    setBusy(false);
    if (answer.ok) onSaved(answer.value);
    else setFailure(answer.error.message);
  };

  const field = (name: keyof EntryForm) => ({
    id: `${fieldId}-${name}`,
    value: form[name],
    'aria-invalid': problems[name] ? true : undefined,
    'aria-describedby': problems[name] ? `${fieldId}-${name}-problem` : undefined,
  });
  const problem = (name: keyof EntryForm) =>
    problems[name] ? (
      <p id={`${fieldId}-${name}-problem`} className="field__problem">
        {problems[name]}
      </p>
    ) : null;

  return (
    <form
      className="training-editor"
      aria-label="Training library entry"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <div className="field">
        <label htmlFor={`${fieldId}-title`}>Title</label>
        <input
          ref={title}
          type="text"
          maxLength={120}
          {...field('title')}
          onChange={(event) => setForm({ ...form, title: event.target.value })}
        />
        {problem('title')}
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-tags`}>Tags</label>
        <input
          type="text"
          {...field('tags')}
          aria-describedby={`${fieldId}-tags-hint${problems.tags ? ` ${fieldId}-tags-problem` : ''}`}
          onChange={(event) => setForm({ ...form, tags: event.target.value })}
        />
        <p id={`${fieldId}-tags-hint`} className="field__hint">
          Separate tags with commas, for example: good practice in barriers, safeguarding
        </p>
        {problem('tags')}
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-description`}>What to learn from it</label>
        <textarea
          rows={3}
          maxLength={2000}
          {...field('description')}
          onChange={(event) => setForm({ ...form, description: event.target.value })}
        />
        {problem('description')}
      </div>
      {failure && (
        <p role="alert" className="field__problem">
          Could not save: {failure}
        </p>
      )}
      <div className="training-editor__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
