// One training-library entry, replayed: the history's replay (always redacted
// here), with the entry beside it: what to learn from it, where its clearance
// stands (and, for a team leader, the decision), and the bookmarks and notes
// pinned to its moments, each of which moves the replay there.
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  clearanceDecisionSchema,
  markKinds,
  newTrainingMarkSchema,
  type MarkKind,
  type TrainingEntry,
  type TrainingMark,
  type TrainingView,
} from '../../../shared/wire/training';
import { ReplayPlayer, type ReplayPosition } from '../history/HistoryReplay';
import { OpenedNotices, useOpened, useReplayTimeline } from '../history/opened-replay';
import { goTo, libraryHash, trainingHash, type ReplayAt } from '../history/route';
import { duration, ukDateTime } from '../interaction/time-words';
import { EntryEditor } from './EntryEditor';
import { entryFormOf } from './entry-form';
import { StatusBadge } from './StatusBadge';

const channelWords = { voice: 'Voice call', webchat: 'Web chat' } as const;
const markWords: Record<MarkKind, string> = { bookmark: 'Bookmark', note: 'Note' };

function Clearance({
  desk,
  entry,
  onDecided,
}: {
  desk: DeskBridge;
  entry: TrainingEntry;
  onDecided: (entry: TrainingEntry) => void;
}) {
  const [decision, setDecision] = useState<'cleared' | 'refused'>('cleared');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noteId = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = clearanceDecisionSchema.safeParse({ decision, note });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Check the decision');
      document.getElementById(noteId)?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    const answer = await desk.clearTraining({ id: entry.interaction.id, decision: checked.data });
    setBusy(false);
    if (answer.ok) {
      setNote('');
      onDecided(answer.value);
    } else setProblem(answer.error.message);
  };

  return (
    <form
      className="training-clearance"
      aria-label="Clearance"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <fieldset>
        <legend>
          {entry.status === 'awaiting_clearance'
            ? 'Have you checked the redacted view? Clear it for trainees, or refuse it.'
            : 'Change the decision'}
        </legend>
        {(['cleared', 'refused'] as const).map((option) => (
          <label key={option} className="training-clearance__choice">
            <input
              type="radio"
              name={`${noteId}-decision`}
              value={option}
              checked={decision === option}
              onChange={() => setDecision(option)}
            />
            {option === 'cleared' ? 'Clear for training' : 'Refuse'}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={noteId}>
          {decision === 'refused' ? 'Why it is refused' : 'Note (optional)'}
        </label>
        <textarea
          id={noteId}
          rows={2}
          maxLength={1000}
          value={note}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${noteId}-problem` : undefined}
          onChange={(event) => setNote(event.target.value)}
        />
        {problem && (
          <p id={`${noteId}-problem`} role="alert" className="field__problem">
            {problem}
          </p>
        )}
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        Record the decision
      </button>
    </form>
  );
}

function Marks({
  desk,
  view,
  position,
  startedAt,
  onChanged,
}: {
  desk: DeskBridge;
  view: TrainingView;
  position: ReplayPosition;
  startedAt: string;
  onChanged: (marks: TrainingMark[]) => void;
}) {
  const id = view.entry.interaction.id;
  const [kind, setKind] = useState<MarkKind>('bookmark');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const offsetOf = (at: string) => Date.parse(at) - Date.parse(startedAt);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const checked = newTrainingMarkSchema.safeParse({ at: position.at, kind, text });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Write the bookmark or note');
      document.getElementById(`${fieldId}-text`)?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    const answer = await desk.addTrainingMark({ id, mark: checked.data });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error.message);
    setText('');
    onChanged(
      [...view.marks, answer.value].sort(
        (a, b) => Date.parse(a.at) - Date.parse(b.at) || a.createdAt.localeCompare(b.createdAt),
      ),
    );
  };

  const remove = async (mark: TrainingMark) => {
    const answer = await desk.removeTrainingMark({ id, markId: mark.id });
    if (!answer.ok) return setProblem(answer.error.message);
    onChanged(view.marks.filter((held) => held.id !== mark.id));
  };

  return (
    <section className="training-marks" aria-labelledby={`${fieldId}-heading`}>
      <h3 id={`${fieldId}-heading`}>Bookmarks and notes</h3>
      {view.marks.length === 0 ? (
        <p className="replay-quiet">None yet.</p>
      ) : (
        <ol className="training-marks__list">
          {view.marks.map((mark) => (
            <li key={mark.id} className={`training-mark training-mark--${mark.kind}`}>
              <button
                type="button"
                className="training-mark__go"
                onClick={() => position.seekTo(mark.at)}
              >
                <span className="training-mark__time">{duration(offsetOf(mark.at))}</span>{' '}
                <span className="training-mark__kind">{markWords[mark.kind]}</span>
                <span className="visually-hidden">: go to this moment</span>
              </button>
              <p className="training-mark__text">{mark.text}</p>
              <p className="training-mark__author">
                {mark.author.name}
                {view.mayCurate && (
                  <>
                    {' · '}
                    <a href={trainingHash(id, { kind: 'offset', ms: offsetOf(mark.at) })}>Link</a>
                    {' · '}
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => void remove(mark)}
                    >
                      Delete<span className="visually-hidden"> this {mark.kind}</span>
                    </button>
                  </>
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
      {view.mayCurate && (
        <form
          className="training-marks__add"
          aria-label="Pin a bookmark or note"
          noValidate
          onSubmit={(event) => void add(event)}
        >
          <div className="field">
            <label htmlFor={`${fieldId}-kind`}>Kind</label>
            <select
              id={`${fieldId}-kind`}
              value={kind}
              onChange={(event) => setKind(event.target.value as MarkKind)}
            >
              {markKinds.map((held) => (
                <option key={held} value={held}>
                  {markWords[held]}
                </option>
              ))}
            </select>
          </div>
          <div className="field training-marks__text">
            <label htmlFor={`${fieldId}-text`}>
              {kind === 'bookmark' ? 'Label' : 'Note'} at {duration(position.positionMs)}
            </label>
            <textarea
              id={`${fieldId}-text`}
              rows={kind === 'note' ? 2 : 1}
              maxLength={1000}
              value={text}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${fieldId}-problem` : undefined}
              onChange={(event) => setText(event.target.value)}
            />
          </div>
          <button type="submit" className="button" disabled={busy}>
            Pin to this moment
          </button>
          {problem && (
            <p id={`${fieldId}-problem`} role="alert" className="field__problem">
              {problem}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

function EntryPanel({
  desk,
  view,
  onChanged,
}: {
  desk: DeskBridge;
  view: TrainingView;
  onChanged: (view: TrainingView) => void;
}) {
  const { entry } = view;
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const remove = async () => {
    setConfirming(false);
    const answer = await desk.removeTraining({ id: entry.interaction.id });
    if (answer.ok) goTo(libraryHash);
    else setProblem(answer.error.message);
  };

  return (
    <section className="training-entry-panel" aria-label="Library entry">
      {editing ? (
        <EntryEditor
          desk={desk}
          id={entry.interaction.id}
          initial={entryFormOf(entry)}
          submitLabel="Save changes"
          onSaved={(saved) => {
            setEditing(false);
            onChanged({ ...view, entry: saved });
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          {view.mayCurate && <StatusBadge status={entry.status} />}
          {entry.description && <p className="training-entry__description">{entry.description}</p>}
          {entry.tags.length > 0 && (
            <ul className="training-tags" aria-label="Tags">
              {entry.tags.map((tag) => (
                <li key={tag}>{tag}</li>
              ))}
            </ul>
          )}
          <p className="training-entry__facts">
            Added by {entry.addedBy.name} on {ukDateTime(entry.addedAt)}.
            {entry.decision &&
              ` ${entry.status === 'cleared' ? 'Cleared' : 'Refused'} by ${entry.decision.by.name} on ${ukDateTime(entry.decision.at)}${entry.decision.note ? `: ${entry.decision.note}` : '.'}`}
            {entry.status !== 'cleared' &&
              view.mayCurate &&
              (entry.status === 'awaiting_clearance'
                ? ' Trainees cannot see it, nor anyone but team leaders hear it, until a team leader clears it.'
                : ' Trainees cannot see it.')}
          </p>
          {view.mayCurate && (
            <div className="training-entry-panel__actions">
              <button
                type="button"
                className="button button--small"
                onClick={() => setEditing(true)}
              >
                Edit entry
              </button>
              {confirming ? (
                <span role="group" aria-label="Remove from library?">
                  <button
                    type="button"
                    className="button button--primary"
                    autoFocus
                    onClick={() => void remove()}
                  >
                    Yes, remove it and its bookmarks and notes
                  </button>{' '}
                  <button type="button" className="button" onClick={() => setConfirming(false)}>
                    Keep it
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setConfirming(true)}
                >
                  Remove from library
                </button>
              )}
            </div>
          )}
          {problem && (
            <p role="alert" className="field__problem">
              {problem}
            </p>
          )}
        </>
      )}
      {view.mayClear && (
        <Clearance
          desk={desk}
          entry={entry}
          onDecided={(decided) => onChanged({ ...view, entry: decided })}
        />
      )}
    </section>
  );
}

export function TrainingReplay({
  desk,
  id,
  at,
}: {
  desk: DeskBridge;
  id: string;
  at: ReplayAt | null;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const open = useCallback(() => desk.openTraining({ id }), [desk, id]);
  const { opened, value: view, show: changed, retry } = useOpened(open, heading);
  const timeline = useReplayTimeline(view?.view.record);

  return (
    <section className="history-replay training-replay" aria-labelledby="training-replay-heading">
      <div className="history-replay__header">
        <a href={libraryHash} className="history-replay__back">
          Back to the library
        </a>
        <h2 id="training-replay-heading" ref={heading} tabIndex={-1}>
          {view
            ? `${view.entry.title}: ${channelWords[view.view.record.channel]} on ${ukDateTime(view.view.record.startedAt)} with ${view.view.adviserName}`
            : 'Training library entry'}
        </h2>
      </div>
      <OpenedNotices opened={opened} what="entry" timeline={timeline} onRetry={retry} />
      {view && timeline?.ok && (
        <ReplayPlayer
          key={view.view.record.id}
          desk={desk}
          view={view.view}
          timeline={timeline.value}
          at={at}
          linkFor={(moment) => trainingHash(view.view.record.id, moment)}
          beside={(position) => (
            <div className="training-beside">
              <EntryPanel desk={desk} view={view} onChanged={changed} />
              <Marks
                desk={desk}
                view={view}
                position={position}
                startedAt={timeline.value.startedAt}
                onChanged={(marks) => changed({ ...view, marks })}
              />
            </div>
          )}
        />
      )}
    </section>
  );
}
