// The improvement plan: the service's self-assessment actions, each with an
// owner, a target date and the dashboard figure it should move, and that
// figure month by month from the month before the action started.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import { planFigures, type ImprovementPlan, type PlanFigure } from '../../../shared/wire/dashboard';
import { TrendChart } from './DashboardArea';
import { FigureTable } from './figure-table';
import { londonToday, percent, seconds } from './format';

const figureLabels: Record<PlanFigure, string> = {
  serviceLevel: 'Service level',
  abandonRate: 'Abandon rate',
  averageSpeedOfAnswerSeconds: 'Average speed of answer',
  averageHandleSeconds: 'Average handle time',
  statusCaptured: 'Status captured',
  followUpOffered: 'Follow-up offered',
  followUpTaken: 'Follow-up taken up',
  transcriptSent: 'Transcript sent',
  notCovered: 'Stages not covered',
  serviceQuestionsSkipped: 'Service questions skipped',
};

const inSeconds = (figure: PlanFigure) =>
  figure === 'averageSpeedOfAnswerSeconds' || figure === 'averageHandleSeconds';
const valueText = (figure: PlanFigure, value: number | null) =>
  inSeconds(figure) ? seconds(value) : percent(value);

export function ImprovementPlanSection({ desk }: { desk: DeskBridge }) {
  const [plan, setPlan] = useState<ImprovementPlan | null>(null);
  const [problem, setProblem] = useState<ResultError | null>(null);
  const [form, setForm] = useState({
    title: '',
    ownerId: '',
    figure: 'followUpTaken' as PlanFigure,
    startedOn: londonToday(),
    targetDate: '',
  });
  const ids = { title: useId(), owner: useId(), figure: useId(), start: useId(), target: useId() };

  useEffect(() => {
    let current = true;
    void desk.improvementPlan(null).then((answer) => {
      if (!current) return;
      if (answer.ok) setPlan(answer.value);
      else setProblem(answer.error);
    });
    return () => {
      current = false;
    };
  }, [desk]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await desk.addImprovementAction(form);
    if (!answer.ok) return setProblem(answer.error);
    setProblem(null);
    setPlan(answer.value);
    setForm((current) => ({ ...current, title: '', targetDate: '' }));
  };
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  return (
    <section className="dashboard__panel" aria-labelledby="plan-heading">
      <h3 id="plan-heading">Improvement plan</h3>
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem.message}
        </p>
      )}
      {plan && plan.actions.length === 0 && <p>No actions in the plan yet.</p>}
      {plan && plan.actions.length > 0 && (
        <>
          <ul className="plan-actions">
            {plan.actions.map((action) => {
              const first = action.trend.find((point) => point.value !== null) ?? null;
              const last =
                [...action.trend].reverse().find((point) => point.value !== null) ?? null;
              return (
                <li key={action.id} className="plan-action">
                  <div>
                    <p className="plan-action__title">{action.title}</p>
                    <p className="plan-action__facts">
                      {action.ownerName} · {figureLabels[action.figure]} · started{' '}
                      {action.startedOn} · target {action.targetDate}
                    </p>
                    <p>
                      {first && last
                        ? `${figureLabels[action.figure]}: ${valueText(action.figure, first.value)} in ${first.month}, ${valueText(action.figure, last.value)} in ${last.month}.`
                        : 'No figures yet since the action started.'}
                    </p>
                  </div>
                  <figure
                    className="plan-action__trend"
                    aria-label={`${figureLabels[action.figure]} by month`}
                  >
                    <TrendChart
                      label={figureLabels[action.figure]}
                      trend={action.trend.map((point) => ({
                        month: point.month,
                        value:
                          point.value === null
                            ? null
                            : inSeconds(action.figure)
                              ? point.value
                              : Math.round(point.value * 1000) / 10,
                      }))}
                    />
                  </figure>
                </li>
              );
            })}
          </ul>
          <FigureTable
            caption="Improvement actions and their figure by month"
            columns={[
              { header: 'Action', rowHeader: true, cell: (row) => ({ text: row.action }) },
              { header: 'Owner', cell: (row) => ({ text: row.owner }) },
              { header: 'Figure', cell: (row) => ({ text: row.figure }) },
              { header: 'Target date', cell: (row) => ({ text: row.target }) },
              { header: 'Month', cell: (row) => ({ text: row.month }) },
              { header: 'Value', cell: (row) => ({ text: row.text, csv: row.value }) },
            ]}
            rows={plan.actions.flatMap((action) =>
              action.trend.map((point) => ({
                key: `${action.id}:${point.month}`,
                action: action.title,
                owner: action.ownerName,
                figure: figureLabels[action.figure],
                target: action.targetDate,
                month: point.month,
                value: point.value,
                text: valueText(action.figure, point.value),
              })),
            )}
            rowKey={(row) => row.key}
            csvName="improvement-plan.csv"
          />
        </>
      )}
      <form className="plan-form" aria-label="Add an action" onSubmit={(event) => void add(event)}>
        <div className="field plan-form__title">
          <label htmlFor={ids.title}>Action</label>
          <input id={ids.title} value={form.title} onChange={(e) => set('title', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.owner}>Owner</label>
          <select
            id={ids.owner}
            value={form.ownerId}
            onChange={(e) => set('ownerId', e.target.value)}
          >
            <option value="">Choose…</option>
            {plan?.owners.map((owner) => (
              <option key={owner.id} value={owner.id}>
                {owner.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.figure}>Figure it should move</label>
          <select
            id={ids.figure}
            value={form.figure}
            onChange={(e) => set('figure', e.target.value as PlanFigure)}
          >
            {planFigures.map((figure) => (
              <option key={figure} value={figure}>
                {figureLabels[figure]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.start}>Started</label>
          <input
            id={ids.start}
            type="date"
            value={form.startedOn}
            onChange={(e) => set('startedOn', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.target}>Target date</label>
          <input
            id={ids.target}
            type="date"
            value={form.targetDate}
            onChange={(e) => set('targetDate', e.target.value)}
          />
        </div>
        <button type="submit" className="button button--primary">
          Add action
        </button>
      </form>
    </section>
  );
}
