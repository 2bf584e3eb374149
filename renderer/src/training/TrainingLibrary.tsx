// The training library's list: entries newest first, narrowed by tag (and,
// for those who curate, by where clearance stands). Trainees see only cleared
// entries; the server decides that, not this screen.
import { useEffect, useId, useState } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import {
  clearanceStatuses,
  type ClearanceStatus,
  type TrainingList,
} from '../../../shared/wire/training';
import { duration, ukDateTime } from '../interaction/time-words';
import { trainingHash } from '../history/route';
import { mayCurateTraining } from './access';
import { clearanceWords, StatusBadge } from './StatusBadge';

const channelWords = { voice: 'Voice call', webchat: 'Web chat' } as const;

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; error: ResultError }
  | { state: 'shown'; list: TrainingList };

export function TrainingLibrary({ desk, user }: { desk: DeskBridge; user: StaffMember }) {
  const curator = mayCurateTraining(user);
  const [tag, setTag] = useState<string>('');
  const [status, setStatus] = useState<ClearanceStatus | ''>('');
  const [attempt, setAttempt] = useState(0);
  const [answered, setAnswered] = useState<{ key: string; loaded: Loaded } | null>(null);
  const tagId = useId();
  const statusId = useId();
  const key = `${tag}|${status}|${attempt}`;
  const loaded: Loaded = answered?.key === key ? answered.loaded : { state: 'loading' };
  // The tags offered: the server counts every entry this reader may see, so
  // choosing a tag never narrows them, and they stay while the next list loads.
  const [tags, setTags] = useState<TrainingList['tags']>([]);

  useEffect(() => {
    let current = true;
    void desk
      .listTraining({
        ...(tag ? { tag } : {}),
        ...(status ? { status } : {}),
        limit: 100,
      })
      .then((answer) => {
        if (!current) return;
        if (answer.ok) setTags(answer.value.tags);
        setAnswered({
          key,
          loaded: answer.ok
            ? { state: 'shown', list: answer.value }
            : { state: 'failed', error: answer.error },
        });
      });
    return () => {
      current = false;
    };
  }, [desk, tag, status, key]);

  return (
    <section className="training-library" aria-labelledby="training-library-heading">
      <h3 id="training-library-heading" className="visually-hidden">
        Library entries
      </h3>
      <div className="training-filters" role="group" aria-label="Narrow the library">
        <div className="field">
          <label htmlFor={tagId}>Tag</label>
          <select id={tagId} value={tag} onChange={(event) => setTag(event.target.value)}>
            <option value="">Every tag</option>
            {tags.map((held) => (
              <option key={held.tag} value={held.tag}>
                {held.tag} ({held.entries})
              </option>
            ))}
          </select>
        </div>
        {curator && (
          <div className="field">
            <label htmlFor={statusId}>Clearance</label>
            <select
              id={statusId}
              value={status}
              onChange={(event) => setStatus(event.target.value as ClearanceStatus | '')}
            >
              <option value="">Any</option>
              {clearanceStatuses.map((held) => (
                <option key={held} value={held}>
                  {clearanceWords[held]}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {loaded.state === 'loading' && <p role="status">Loading the training library…</p>}
      {loaded.state === 'failed' && (
        <div role="alert" className="notice notice--problem">
          <p>Could not load the training library: {loaded.error.message}</p>
          <button type="button" className="button" onClick={() => setAttempt((count) => count + 1)}>
            Try again
          </button>
        </div>
      )}
      {loaded.state === 'shown' && loaded.list.entries.length === 0 && (
        <p className="training-empty">
          {curator
            ? 'Nothing here yet. Open an interaction in History and choose “Add to the training library”.'
            : 'No interactions have been cleared for training yet.'}
        </p>
      )}
      {loaded.state === 'shown' && loaded.list.entries.length > 0 && (
        <ul className="training-entries">
          {loaded.list.entries.map((entry) => (
            <li key={entry.interaction.id} className="training-entry">
              <div className="training-entry__head">
                <a href={trainingHash(entry.interaction.id)} className="training-entry__title">
                  {entry.title}
                </a>
                {curator && <StatusBadge status={entry.status} />}
              </div>
              <p className="training-entry__facts">
                {channelWords[entry.interaction.channel]} on{' '}
                {ukDateTime(entry.interaction.startedAt)} with {entry.interaction.adviserName}
                {entry.interaction.talkSeconds !== null &&
                  `, ${duration(entry.interaction.talkSeconds * 1000)}`}
                {entry.marks > 0 &&
                  ` · ${entry.marks} ${entry.marks === 1 ? 'bookmark or note' : 'bookmarks and notes'}`}
              </p>
              {entry.description && (
                <p className="training-entry__description">{entry.description}</p>
              )}
              {entry.tags.length > 0 && (
                <ul className="training-tags" aria-label="Tags">
                  {entry.tags.map((held) => (
                    <li key={held}>{held}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
