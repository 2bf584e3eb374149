// A team leader acknowledging a concern says what was done: a short note, and
// optionally the kind of action, kept on the server with who and when.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  safeguardingAcknowledgementActionLabels,
  safeguardingAcknowledgementActions,
  safeguardingNoteChars,
  type SafeguardingAcknowledge,
  type SafeguardingAcknowledgementAction,
} from '../../../shared/wire/safeguarding';

export function AcknowledgeConcern({
  concernId,
  busy,
  onAcknowledge,
  onCancel,
}: {
  concernId: string;
  busy: boolean;
  onAcknowledge: (acknowledge: SafeguardingAcknowledge) => void;
  onCancel: () => void;
}) {
  const [action, setAction] = useState<SafeguardingAcknowledgementAction | ''>('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const actionId = useId();
  const noteId = useId();
  const noteProblemId = useId();
  useEffect(() => first.current?.focus(), []);
  const missingNote = note.trim() === '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (missingNote) {
      noteField.current?.focus();
      return;
    }
    onAcknowledge({ concernId, note: note.trim(), action: action === '' ? null : action });
  };
  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  };

  return (
    <form
      className="safeguarding-alerts__acknowledge"
      aria-label="Acknowledge the concern"
      onSubmit={submit}
      onKeyDown={cancelOnEscape}
      noValidate
    >
      <div className="field">
        <label htmlFor={actionId}>What was done (optional)</label>
        <select
          id={actionId}
          ref={first}
          value={action}
          onChange={(event) => {
            const chosen = safeguardingAcknowledgementActions.find(
              (known) => known === event.currentTarget.value,
            );
            setAction(chosen ?? '');
          }}
        >
          <option value="">Choose an action, or say in the note</option>
          {safeguardingAcknowledgementActions.map((known) => (
            <option key={known} value={known}>
              {safeguardingAcknowledgementActionLabels[known]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={noteId}>Note of what was done (required)</label>
        <textarea
          id={noteId}
          ref={noteField}
          rows={2}
          value={note}
          maxLength={safeguardingNoteChars}
          required
          aria-invalid={tried && missingNote ? true : undefined}
          aria-describedby={tried && missingNote ? noteProblemId : undefined}
          onChange={(event) => setNote(event.currentTarget.value)}
        />
        {tried && missingNote && (
          <p id={noteProblemId} className="field__problem">
            Say what was done, in a few words.
          </p>
        )}
      </div>
      <div className="safeguarding-alerts__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Record acknowledgement
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
