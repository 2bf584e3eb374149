// Calibration sessions: several team leaders score the same interactions
// blind, and their agreement is measured. Agreement over time comes first (a
// chart with its table), then each session with its agreement on the form,
// newest first. A new session takes recent interactions and the team leaders
// who score them.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import type { HistoryRow } from '../../../shared/wire/history';
import {
  newCalibrationSchema,
  type CalibrationList as Sessions,
  type ReviewerList,
} from '../../../shared/wire/quality';
import { goTo, sessionHash } from '../history/route';
import { ukDateTime } from '../interaction/time-words';
import { AgreementTrendSection } from './AgreementTrend';
import { alphaWords } from './words';

const channelWords = { voice: 'Voice call', webchat: 'Web chat' } as const;

function NewSession({ desk }: { desk: DeskBridge }) {
  const [title, setTitle] = useState('');
  const [interactions, setInteractions] = useState<HistoryRow[] | null>(null);
  const [reviewers, setReviewers] = useState<ReviewerList['reviewers'] | null>(null);
  const [chosenInteractions, setChosenInteractions] = useState<Set<string>>(new Set());
  const [chosenReviewers, setChosenReviewers] = useState<Set<string>>(new Set());
  const [problem, setProblem] = useState<ResultError | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    let current = true;
    void Promise.all([desk.listHistory({ limit: 20 }), desk.listReviewers(null)]).then(
      ([history, leaders]) => {
        if (!current) return;
        if (history.ok) setInteractions(history.value.rows);
        else setProblem(history.error);
        if (leaders.ok) {
          setReviewers(leaders.value.reviewers);
          setChosenReviewers(new Set(leaders.value.reviewers.map((leader) => leader.id)));
        } else setProblem(leaders.error);
      },
    );
    return () => {
      current = false;
    };
  }, [desk]);

  const toggle = (set: Set<string>, value: string) => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    return next;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = newCalibrationSchema.safeParse({
      title,
      interactionIds: [...chosenInteractions],
      reviewerIds: [...chosenReviewers],
    });
    if (!checked.success) {
      setProblem({
        code: 'invalid_input',
        message: checked.error.issues[0]?.message ?? 'Check the session',
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    const answer = await desk.createCalibration(checked.data);
    setBusy(false);
    if (answer.ok) goTo(sessionHash(answer.value.id));
    else setProblem(answer.error);
  };

  return (
    <form
      className="quality-panel"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={`${id}-heading`}>Start a calibration session</h3>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          id={`${id}-title`}
          value={title}
          maxLength={120}
          onChange={(event) => setTitle(event.target.value)}
        />
      </div>
      <fieldset className="quality-choices">
        <legend>Interactions to score (recent ones)</legend>
        {interactions === null ? (
          <p role="status">Loading interactions…</p>
        ) : (
          interactions.map((row) => (
            <label key={row.id} className="answer-choice">
              <input
                type="checkbox"
                checked={chosenInteractions.has(row.id)}
                onChange={() => setChosenInteractions((held) => toggle(held, row.id))}
              />
              <span>
                {channelWords[row.channel]} on {ukDateTime(row.startedAt)} with {row.adviserName}
              </span>
            </label>
          ))
        )}
      </fieldset>
      <fieldset className="quality-choices">
        <legend>Reviewers (team leaders; nobody scores their own interaction)</legend>
        {reviewers === null ? (
          <p role="status">Loading team leaders…</p>
        ) : (
          reviewers.map((leader) => (
            <label key={leader.id} className="answer-choice">
              <input
                type="checkbox"
                checked={chosenReviewers.has(leader.id)}
                onChange={() => setChosenReviewers((held) => toggle(held, leader.id))}
              />
              <span>{leader.name}</span>
            </label>
          ))
        )}
      </fieldset>
      {problem && (
        <div role="alert" className="notice notice--problem">
          <p>{problem.message}</p>
          {problem.issues && (
            <ul>
              {problem.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        Start the session
      </button>
    </form>
  );
}

export function CalibrationList({ desk }: { desk: DeskBridge }) {
  const [sessions, setSessions] = useState<Sessions['sessions'] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    let current = true;
    void desk.listCalibrations(null).then((answer) => {
      if (!current) return;
      if (answer.ok) setSessions(answer.value.sessions);
      else setProblem(answer.error.message);
    });
    return () => {
      current = false;
    };
  }, [desk]);

  return (
    <div className="quality-calibration">
      <AgreementTrendSection desk={desk} />
      <section aria-labelledby={`${id}-heading`}>
        <h3 id={`${id}-heading`}>Calibration sessions</h3>
        <p className="quality-quiet">
          Agreement is Krippendorff’s alpha: 1 is perfect agreement, 0 no better than chance. At
          0.80 or more reviewers can be relied on; below 0.667 an item needs rewording.
        </p>
        {problem && (
          <p role="alert" className="notice notice--problem">
            Could not load the sessions: {problem}
          </p>
        )}
        {sessions === null && !problem && <p role="status">Loading…</p>}
        {sessions?.length === 0 && <p className="quality-quiet">No sessions yet.</p>}
        {sessions && sessions.length > 0 && (
          <table className="quality-table">
            <caption className="visually-hidden">Calibration sessions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Started</th>
                <th scope="col">Scored by</th>
                <th scope="col">Where it stands</th>
                <th scope="col">Agreement on the score</th>
                <th scope="col">Items to reword</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((session) => (
                <tr key={session.id}>
                  <td>
                    <a href={sessionHash(session.id)}>{session.title}</a>
                  </td>
                  <td>{ukDateTime(session.createdAt)}</td>
                  <td>
                    {session.reviewers} reviewers, {session.interactions}{' '}
                    {session.interactions === 1 ? 'interaction' : 'interactions'}
                  </td>
                  <td>{session.complete ? 'Complete' : 'Being scored (blind)'}</td>
                  <td>
                    {session.complete
                      ? alphaWords({
                          alpha: session.formAlpha,
                          undefinedBecause: session.formAlpha === null ? 'no_variation' : null,
                        }).figure
                      : '—'}
                  </td>
                  <td>{session.complete ? session.flaggedItems : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <NewSession desk={desk} />
    </div>
  );
}
