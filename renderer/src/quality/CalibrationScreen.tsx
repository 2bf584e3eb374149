// One calibration session. While it is being scored it is blind: each team
// leader sees only their own reviews of it (and how many are published).
// Once every reviewer has published, or the session is closed, it shows the
// reviewers' agreement per item and on the form's score, with the items whose
// agreement is too low flagged for rewording, and how far apart the scores were.
import { useEffect, useRef, useState } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { formItems } from '../../../shared/quality/form';
import type { ResultError } from '../../../shared/result';
import type { CalibrationSession } from '../../../shared/wire/quality';
import { calibrationHash, reviewHash } from '../history/route';
import { ukDateTime } from '../interaction/time-words';
import { alphaWords, percentWords, statusWords } from './words';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; error: ResultError }
  | { state: 'shown'; session: CalibrationSession };

const levelWords = { nominal: 'yes/no', ordinal: 'scale', interval: 'score' } as const;

function Agreement({
  session,
  prompts,
}: {
  session: CalibrationSession;
  prompts: Map<string, string>;
}) {
  const { agreement } = session;
  if (!agreement) {
    return (
      <p className="notice notice--problem">
        The agreement could not be worked out for this session.
      </p>
    );
  }
  const form = alphaWords(agreement.form);
  const rows = session.interactions;
  return (
    <section className="quality-agreement" aria-labelledby="agreement-heading">
      <h3 id="agreement-heading">Reviewers’ agreement</h3>
      <p className={`quality-alpha ${agreement.form.flagged ? 'quality-alpha--low' : ''}`}>
        <span className="quality-alpha__figure">α = {form.figure}</span>{' '}
        <span>
          on the review’s score, across {agreement.reviewerIds.length} reviewers: {form.meaning}.
        </span>
      </p>
      {agreement.flaggedItemIds.length > 0 && (
        <p className="notice notice--problem">
          {agreement.flaggedItemIds.length === 1
            ? 'One item'
            : `${agreement.flaggedItemIds.length} items`}{' '}
          below {agreement.threshold}: reviewers read{' '}
          {agreement.flaggedItemIds.length === 1 ? 'it' : 'them'} differently. Reword the item or
          its guidance.
        </p>
      )}
      <table className="quality-table">
        <caption>Agreement per item</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Answered as</th>
            <th scope="col">Alpha</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {agreement.items.map((item) => {
            const words = alphaWords(item);
            return (
              <tr key={item.itemId} className={item.flagged ? 'quality-row--flagged' : undefined}>
                <th scope="row">{prompts.get(item.itemId) ?? item.itemId}</th>
                <td>{levelWords[item.level]}</td>
                <td>{words.figure}</td>
                <td>
                  {item.flagged && <strong>Low agreement: reword. </strong>}
                  {item.flagged ? '' : words.meaning}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <table className="quality-table">
        <caption>How far apart the scores were</caption>
        <thead>
          <tr>
            <th scope="col">Interaction</th>
            <th scope="col">Lowest</th>
            <th scope="col">Highest</th>
            <th scope="col">Gap (points)</th>
          </tr>
        </thead>
        <tbody>
          {agreement.spread.map((spread) => {
            const row = rows.find((held) => held.id === spread.interactionId);
            return (
              <tr key={spread.interactionId}>
                <th scope="row">
                  {row ? `${ukDateTime(row.startedAt)}, ${row.adviserName}` : spread.interactionId}
                </th>
                <td>{percentWords(spread.lowest)}</td>
                <td>{percentWords(spread.highest)}</td>
                <td>{spread.gap === null ? '—' : spread.gap.toFixed(1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function CalibrationScreen({
  desk,
  user,
  id,
}: {
  desk: DeskBridge;
  user: StaffMember;
  id: string;
}) {
  const [attempt, setAttempt] = useState(0);
  const [answered, setAnswered] = useState<{ attempt: number; loaded: Loaded } | null>(null);
  const loaded: Loaded = answered?.attempt === attempt ? answered.loaded : { state: 'loading' };
  const [prompts, setPrompts] = useState<Map<string, string>>(new Map());
  const [closing, setClosing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    void Promise.all([desk.openCalibration({ id }), desk.listForms(null)]).then(
      ([answer, forms]) => {
        if (!current) return;
        setAnswered({
          attempt,
          loaded: answer.ok
            ? { state: 'shown', session: answer.value }
            : { state: 'failed', error: answer.error },
        });
        // The items' words, from the version of the form the session scored against.
        const form =
          answer.ok && forms.ok
            ? forms.value.forms.find(
                (held) =>
                  held.id === answer.value.formId && held.version === answer.value.formVersion,
              )
            : undefined;
        if (form) {
          setPrompts(new Map(formItems(form).map(({ item }) => [item.id, item.prompt])));
        }
      },
    );
    return () => {
      current = false;
    };
  }, [desk, id, attempt]);

  useEffect(() => {
    if (loaded.state !== 'loading') heading.current?.focus();
  }, [loaded.state]);

  const close = async () => {
    setClosing(true);
    const answer = await desk.closeCalibration({ id });
    setClosing(false);
    if (answer.ok) setAnswered({ attempt, loaded: { state: 'shown', session: answer.value } });
  };

  const session = loaded.state === 'shown' ? loaded.session : null;
  const mine = session?.reviews.filter((review) => review.reviewer.id === user.id) ?? [];
  return (
    <section className="quality-session" aria-labelledby="quality-session-heading">
      <a href={calibrationHash} className="history-replay__back">
        Back to calibration
      </a>
      <h3 id="quality-session-heading" ref={heading} tabIndex={-1}>
        {session ? `Calibration: ${session.title}` : 'Calibration session'}
      </h3>
      {loaded.state === 'loading' && <p role="status">Opening the session…</p>}
      {loaded.state === 'failed' && (
        <div role="alert" className="notice notice--problem">
          <p>Could not open this session: {loaded.error.message}</p>
          <button type="button" className="button" onClick={() => setAttempt((count) => count + 1)}>
            Try again
          </button>
        </div>
      )}
      {session && (
        <>
          <p className="quality-facts">
            Started by {session.createdBy.name} on {ukDateTime(session.createdAt)} ·{' '}
            {session.reviewers.map((reviewer) => reviewer.name).join(', ')} ·{' '}
            <span role="status">
              {session.published} of {session.total} reviews published
              {session.closedAt ? ` · closed ${ukDateTime(session.closedAt)}` : ''}
            </span>
          </p>
          {mine.length > 0 && (
            <>
              <h4>Your reviews in this session</h4>
              <ul className="quality-links">
                {mine.map((review) => {
                  const row = session.interactions.find((held) => held.id === review.interactionId);
                  return (
                    <li key={review.id}>
                      <a href={reviewHash(review.id)}>
                        {row
                          ? `${ukDateTime(row.startedAt)} with ${row.adviserName}`
                          : review.interactionId}
                      </a>{' '}
                      · {statusWords[review.status]}
                      {review.status !== 'draft' && ` · ${percentWords(review.percentage)}`}
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          {!session.complete && (
            <div className="quality-panel">
              <p>
                Scoring is blind: nobody sees another reviewer’s answers until everyone has
                published, or the session is closed. Agreement is shown then.
              </p>
              <button
                type="button"
                className="button"
                disabled={closing}
                onClick={() => void close()}
              >
                Close the session now
              </button>
            </div>
          )}
          {session.complete && <Agreement session={session} prompts={prompts} />}
          {session.complete && (
            <table className="quality-table">
              <caption>Every review in the session</caption>
              <thead>
                <tr>
                  <th scope="col">Interaction</th>
                  <th scope="col">Reviewer</th>
                  <th scope="col">Status</th>
                  <th scope="col">Score</th>
                </tr>
              </thead>
              <tbody>
                {session.reviews.map((review) => {
                  const row = session.interactions.find((held) => held.id === review.interactionId);
                  return (
                    <tr key={review.id}>
                      <td>
                        <a href={reviewHash(review.id)}>
                          {row ? ukDateTime(row.startedAt) : review.interactionId}
                        </a>
                      </td>
                      <td>{review.reviewer.name}</td>
                      <td>{statusWords[review.status]}</td>
                      <td>{review.status === 'draft' ? '—' : percentWords(review.percentage)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
