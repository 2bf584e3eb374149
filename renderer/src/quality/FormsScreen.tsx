// Scorecard forms for team leaders: every version of each form, who saved and
// published it, and the editor for the next version. Only the newest version
// can be worked on: a published one becomes the base of a new draft, a draft
// is carried on with. Published versions are shown, never edited.
import { useEffect, useId, useRef, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { formItems, type ScorecardForm } from '../../../shared/quality/form';
import type { ResultError } from '../../../shared/result';
import type { FormList, FormVersion, FormVersionNote } from '../../../shared/wire/quality';
import { ukDateTime } from '../interaction/time-words';
import { FormEditor } from './FormEditor';
import { editorFormOf, type EditorForm } from './form-editor-state';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; error: ResultError }
  | { state: 'shown'; list: FormList };

interface Editing {
  initial: EditorForm;
  basedOnWords: string;
}

const noteOf = (list: FormList, form: ScorecardForm): FormVersionNote | undefined =>
  list.notes.find((note) => note.formId === form.id && note.version === form.version);

function whoWhen(person: { name: string } | null, at: string | null): string {
  if (!person || !at) return '—';
  return `${person.name}, ${ukDateTime(at)}`;
}

export function FormsScreen({ desk }: { desk: DeskBridge }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [editing, setEditing] = useState<Editing | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const heading = useId();

  const [attempt, setAttempt] = useState(0);
  /** Asks for the forms again: after a save or a publish, or to try again. */
  const load = () => setAttempt((count) => count + 1);

  useEffect(() => {
    let current = true;
    void desk.listForms(null).then((answer) => {
      if (!current) return;
      setLoaded(
        answer.ok
          ? { state: 'shown', list: answer.value }
          : { state: 'failed', error: answer.error },
      );
    });
    return () => {
      current = false;
    };
  }, [desk, attempt]);

  const open = (list: FormList, newest: ScorecardForm) => {
    const published =
      list.forms.find((form) => form.id === newest.id && form.status === 'published') ?? null;
    setDone(null);
    setEditing({
      initial: editorFormOf(newest, published),
      basedOnWords:
        newest.status === 'published'
          ? `version ${newest.version}, published`
          : `the draft saved as version ${newest.version}${published ? `, which grew from version ${published.version}` : ''}`,
    });
  };

  const published = (version: FormVersion) => {
    setEditing(null);
    setDone(
      `Version ${version.form.version} of “${version.form.title}” is published. Every new review uses it.`,
    );
    load();
    requestAnimationFrame(() => doneRef.current?.focus());
  };

  if (editing) {
    return (
      <section className="quality-forms" aria-labelledby={heading}>
        <h3 id={heading} className="visually-hidden">
          Scorecard forms
        </h3>
        <FormEditor
          desk={desk}
          initial={editing.initial}
          basedOnWords={editing.basedOnWords}
          onSaved={() => load()}
          onPublished={published}
          onClose={() => {
            setEditing(null);
            load();
          }}
        />
      </section>
    );
  }

  const list = loaded.state === 'shown' ? loaded.list : null;
  const formIds = list ? [...new Set(list.forms.map((form) => form.id))] : [];
  return (
    <section className="quality-forms" aria-labelledby={heading}>
      <h3 id={heading}>Scorecard forms</h3>
      <p className="quality-quiet">
        Every review is scored against one version of a form, and names it. A published version
        never changes; to change a form, make its next version, save it as a draft, and publish it
        when it is ready.
      </p>
      {done && (
        <p ref={doneRef} tabIndex={-1} role="status" className="notice notice--done">
          {done}
        </p>
      )}
      {loaded.state === 'loading' && <p role="status">Loading forms…</p>}
      {loaded.state === 'failed' && (
        <div role="alert" className="notice notice--problem">
          <p>Could not load the forms: {loaded.error.message}</p>
          <button type="button" className="button" onClick={() => load()}>
            Try again
          </button>
        </div>
      )}
      {list &&
        formIds.map((formId) => {
          const versions = list.forms.filter((form) => form.id === formId);
          const newest = versions[0];
          if (!newest) return null;
          return (
            <div key={formId} className="quality-forms__form">
              <table className="quality-table">
                <caption>Versions of “{newest.title}”</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Status</th>
                    <th scope="col">Title</th>
                    <th scope="col">Items</th>
                    <th scope="col">Last saved</th>
                    <th scope="col">Published</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((form) => {
                    const note = noteOf(list, form);
                    return (
                      <tr key={form.version}>
                        <th scope="row">{form.version}</th>
                        <td>
                          <span
                            className={`quality-status quality-status--${form.status === 'draft' ? 'draft' : 'published'}`}
                          >
                            {form.status === 'draft' ? 'Draft' : 'Published'}
                          </span>
                        </td>
                        <td>{form.title}</td>
                        <td>{formItems(form).length}</td>
                        <td>{whoWhen(note?.savedBy ?? null, note?.savedAt ?? null)}</td>
                        <td>
                          {form.status === 'published'
                            ? note?.publishedBy
                              ? whoWhen(note.publishedBy, note.publishedAt)
                              : 'Published (kept when the server started)'
                            : '—'}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <div className="scorecard-actions">
                <button
                  type="button"
                  className="button button--primary"
                  onClick={() => open(list, newest)}
                >
                  {newest.status === 'published'
                    ? `Make version ${newest.version + 1}`
                    : `Carry on with draft version ${newest.version}`}
                </button>
              </div>
            </div>
          );
        })}
    </section>
  );
}
