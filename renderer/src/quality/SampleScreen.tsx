// The weekly sample, for team leaders: draw a week (every interaction with a
// safeguarding concern, abandoned or dropped, or flagged by its adviser, and a
// few more per adviser at random), see who reviews what, and check a past
// week draws the same again from its recorded seed.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import { drawSampleInputSchema, type Sample, type SampleList } from '../../../shared/wire/quality';
import { reviewHash } from '../history/route';
import { ukDateTime } from '../interaction/time-words';
import { reasonWords } from './words';

/** The ISO week before the one `today` is in: the last whole week, the one usually drawn. */
export function lastWeek(today: Date): string {
  const utc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate()) - 7 * 86_400_000;
  const weekday = (new Date(utc).getUTCDay() + 6) % 7;
  const thursday = new Date(utc + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function SampleTable({ sample }: { sample: Sample }) {
  return (
    <table className="quality-table">
      <caption>
        {sample.id ? 'Drawn' : 'Preview, not recorded'}: {sample.items.length} of{' '}
        {sample.population.interactions} interactions by {sample.population.advisers} advisers in{' '}
        {sample.week}, seed {sample.seed}
      </caption>
      <thead>
        <tr>
          <th scope="col">Interaction</th>
          <th scope="col">Adviser</th>
          <th scope="col">Why</th>
          <th scope="col">Reviewer</th>
        </tr>
      </thead>
      <tbody>
        {sample.items.map((item) => (
          <tr key={item.interaction.id}>
            <td>
              {item.reviewId ? (
                <a href={reviewHash(item.reviewId)}>{ukDateTime(item.interaction.startedAt)}</a>
              ) : (
                ukDateTime(item.interaction.startedAt)
              )}
            </td>
            <td>{item.interaction.adviserName}</td>
            <td>{item.reasons.map((reason) => reasonWords[reason]).join(', ')}</td>
            <td>{item.reviewer?.name ?? 'Nobody but its adviser could review it'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SampleScreen({ desk }: { desk: DeskBridge }) {
  const [week, setWeek] = useState(() => lastWeek(new Date()));
  const [perAdviser, setPerAdviser] = useState('3');
  const [seed, setSeed] = useState('');
  const [problem, setProblem] = useState<ResultError | null>(null);
  const [drawn, setDrawn] = useState<Sample | null>(null);
  const [busy, setBusy] = useState(false);
  const [samples, setSamples] = useState<SampleList['samples'] | null>(null);
  const [checks, setChecks] = useState<Record<string, string>>({});
  const result = useRef<HTMLDivElement>(null);
  const id = useId();

  const [drawnCount, setDrawnCount] = useState(0);
  // Loaded on opening, and again after each week drawn.
  useEffect(() => {
    let current = true;
    void desk.listSamples(null).then((answer) => {
      if (current && answer.ok) setSamples(answer.value.samples);
    });
    return () => {
      current = false;
    };
  }, [desk, drawnCount]);

  const draw = async (dryRun: boolean) => {
    const checked = drawSampleInputSchema.safeParse({
      week,
      perAdviser: Number(perAdviser),
      ...(seed.trim() ? { seed: Number(seed) } : {}),
      dryRun,
    });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      setProblem({
        code: 'invalid_input',
        message: `${issue?.path.join('.') === 'perAdviser' ? 'Interactions per adviser' : issue?.path.join('.') === 'seed' ? 'Seed' : 'Week'}: ${issue?.message ?? 'not valid'}`,
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    const answer = await desk.drawSample(checked.data);
    setBusy(false);
    if (!answer.ok) {
      setProblem(answer.error);
      return;
    }
    setDrawn(answer.value);
    if (!dryRun) setDrawnCount((count) => count + 1);
    requestAnimationFrame(() => result.current?.focus());
  };

  const check = async (sampleId: string) => {
    const answer = await desk.openSample({ id: sampleId });
    setChecks((held) => ({
      ...held,
      [sampleId]: answer.ok ? answer.value.check : `Could not check: ${answer.error.message}`,
    }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void draw(false);
  };

  return (
    <section className="quality-sample" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Draw a week’s sample</h3>
      <p className="quality-quiet">
        Every interaction with a safeguarding concern, abandoned or dropped, or that its adviser
        asked to have reviewed, and a number more per adviser at random. Reviews are spread evenly
        across team leaders, and nobody reviews their own. The seed is recorded, so the sample can
        be drawn again and checked.
      </p>
      <form className="quality-filters" noValidate onSubmit={submit} aria-label="Sample">
        <div className="field">
          <label htmlFor={`${id}-week`}>Week</label>
          <input
            id={`${id}-week`}
            type="week"
            value={week}
            onChange={(event) => setWeek(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-per`}>Interactions per adviser</label>
          <input
            id={`${id}-per`}
            type="number"
            min={0}
            max={50}
            value={perAdviser}
            onChange={(event) => setPerAdviser(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-seed`}>Seed (leave empty for a random one)</label>
          <input
            id={`${id}-seed`}
            inputMode="numeric"
            value={seed}
            onChange={(event) => setSeed(event.target.value)}
          />
        </div>
        <div className="quality-actions">
          <button type="button" className="button" disabled={busy} onClick={() => void draw(true)}>
            Preview
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            Draw and assign reviews
          </button>
        </div>
      </form>
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem.message}
        </p>
      )}
      <div ref={result} tabIndex={-1} className="quality-sample__result">
        {drawn && <SampleTable sample={drawn} />}
        {drawn && drawn.id && (
          <p role="status">
            Drawn and recorded. Each team leader finds their reviews under “Assigned to me”.
          </p>
        )}
      </div>
      <h3>Weeks drawn</h3>
      {samples === null ? (
        <p role="status">Loading…</p>
      ) : samples.length === 0 ? (
        <p className="quality-quiet">No week has been drawn yet.</p>
      ) : (
        <table className="quality-table">
          <caption className="visually-hidden">Weeks drawn</caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">Interactions</th>
              <th scope="col">Drawn by</th>
              <th scope="col">Seed</th>
              <th scope="col">Check</th>
            </tr>
          </thead>
          <tbody>
            {samples.map((held) => (
              <tr key={held.id}>
                <td>{held.week}</td>
                <td>{held.items}</td>
                <td>
                  {held.drawnBy.name}, {ukDateTime(held.drawnAt)}
                </td>
                <td>{held.seed}</td>
                <td>
                  {checks[held.id] ? (
                    <span role="status">{checks[held.id]}</span>
                  ) : (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => void check(held.id)}
                    >
                      Draw again and compare<span className="visually-hidden"> {held.week}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
