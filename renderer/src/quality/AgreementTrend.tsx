// Reviewers' agreement over time: Krippendorff's alpha for each complete
// calibration session, oldest first, on the review's score or on one item,
// drawn as a line against the two thresholds (0.667: reword below; 0.80:
// reliable) with the same figures in a table beside it, as the dashboard
// draws its figures. Sessions still being scored are blind and not shown.
import { useId, useState, type FormEvent } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  agreementTrendQuerySchema,
  type AgreementTrend,
  type AgreementTrendQuery,
} from '../../../shared/wire/quality';
import { FigureTable, type FigureColumn } from '../dashboard/figure-table';
import { londonToday, shiftDays } from '../dashboard/format';
import { sessionHash } from '../history/route';
import { useCheckedQuery } from './checked-query';
import { alphaWords } from './words';
import '../dashboard/dashboard.css';
import { DateRangeFields } from '../shell/DateRangeFields';

type Point = AgreementTrend['sessions'][number];
/** The score's agreement ('') or one item's, by its id. */
type Figure = string;

function figureOf(point: Point, figure: Figure) {
  if (figure === '') return point.form;
  return (
    point.items.find((item) => item.itemId === figure) ?? {
      alpha: null,
      undefinedBecause: 'no_pairable_values' as const,
      flagged: false,
    }
  );
}

const loadAgreementTrend = (desk: DeskBridge, query: AgreementTrendQuery) =>
  desk.agreementTrend(query);

export function AgreementTrendSection({ desk }: { desk: DeskBridge }) {
  const today = londonToday();
  const [from, setFrom] = useState(() => shiftDays(today, -7 * 26));
  const [to, setTo] = useState(today);
  const [figure, setFigure] = useState<Figure>('');
  const id = useId();
  // The range asked for: the last six months at first.
  const {
    answer: trend,
    problem,
    ask,
  } = useCheckedQuery(desk, loadAgreementTrend, agreementTrendQuerySchema, () => ({ from, to }));

  const show = (event: FormEvent) => {
    event.preventDefault();
    ask({ from, to });
  };

  const itemWords = new Map(trend?.items.map((item) => [item.itemId, item.prompt]) ?? []);
  const figureWords = figure === '' ? 'the review’s score' : `“${itemWords.get(figure) ?? figure}”`;
  const points = trend?.sessions ?? [];
  const data = points.map((point) => ({
    label: `${point.week} ${point.title}`,
    week: point.week,
    alpha: figureOf(point, figure).alpha,
  }));
  // Alpha can fall below 0 (reviewers disagree more than chance would): the axis goes there too.
  const lowest = Math.min(0, ...data.flatMap((row) => (row.alpha === null ? [] : [row.alpha])));
  const bottom = Math.floor(lowest * 5) / 5;
  const ticks = Array.from(
    { length: Math.round((1 - bottom) * 5) + 1 },
    (_, step) => Math.round((bottom + step * 0.2) * 10) / 10,
  );

  const columns: FigureColumn<Point>[] = [
    { header: 'Week', rowHeader: true, cell: (point) => ({ text: point.week }) },
    { header: 'Session', cell: (point) => ({ text: point.title }) },
    {
      header: 'Scored by',
      cell: (point) => ({
        text: `${point.reviewers} reviewers, ${point.interactions} ${point.interactions === 1 ? 'interaction' : 'interactions'}`,
        csv: `${point.reviewers} reviewers, ${point.interactions} interactions`,
      }),
    },
    {
      header: 'Alpha',
      cell: (point) => {
        const held = figureOf(point, figure);
        return { text: alphaWords(held).figure, csv: held.alpha };
      },
    },
    {
      header: 'What it means',
      cell: (point) => {
        const held = figureOf(point, figure);
        return { text: held.flagged ? 'Low agreement: reword' : alphaWords(held).meaning };
      },
    },
  ];

  return (
    <section className="quality-trend" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Agreement over time</h3>
      <form className="quality-filters" aria-label="Agreement over time" noValidate onSubmit={show}>
        <DateRangeFields
          idPrefix={id}
          fromLabel="Sessions started from"
          from={from}
          to={to}
          onFrom={setFrom}
          onTo={setTo}
        />
        <button type="submit" className="button">
          Show
        </button>
        <div className="field">
          <label htmlFor={`${id}-figure`}>Agreement on</label>
          <select
            id={`${id}-figure`}
            value={figure}
            onChange={(event) => setFigure(event.target.value)}
          >
            <option value="">The review’s score</option>
            {trend?.items.map((item) => (
              <option key={item.itemId} value={item.itemId}>
                {item.prompt}
              </option>
            ))}
          </select>
        </div>
      </form>
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem.message}
        </p>
      )}
      {trend && points.length === 0 && (
        <p className="quality-quiet">
          No calibration session started in this range has been scored by everyone yet
          {trend.incomplete > 0 ? ` (${trend.incomplete} still being scored, blind)` : ''}.
        </p>
      )}
      {trend && points.length > 0 && (
        <>
          <p className="quality-quiet">
            Alpha per session on {figureWords}, oldest first: 1 is perfect agreement, 0 no better
            than chance. At {trend.reliable.toFixed(2)} or more reviewers can be relied on; below{' '}
            {trend.threshold} the item needs rewording.
            {trend.incomplete > 0 &&
              ` ${trend.incomplete} ${trend.incomplete === 1 ? 'session is' : 'sessions are'} still being scored, blind, and not shown.`}
          </p>
          <div className="dashboard__pair">
            <figure className="dashboard__chart">
              <figcaption>Reviewers’ agreement on {figureWords}, by session</figcaption>
              <ResponsiveContainer width="100%" height={260}>
                <LineChart data={data} accessibilityLayer margin={{ top: 12, right: 96 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="week" tick={{ fontSize: 12 }} />
                  <YAxis domain={[bottom, 1]} ticks={ticks} interval={0} />
                  <Tooltip
                    formatter={(value) =>
                      typeof value === 'number' ? value.toFixed(2) : 'not measurable'
                    }
                  />
                  <ReferenceLine
                    y={trend.reliable}
                    stroke="#1e6b3a"
                    strokeDasharray="4 4"
                    label={{ value: '0.80 reliable', position: 'right', fontSize: 12 }}
                  />
                  <ReferenceLine
                    y={trend.threshold}
                    stroke="#a4262c"
                    strokeDasharray="4 4"
                    label={{ value: '0.667 reword', position: 'right', fontSize: 12 }}
                  />
                  <Line
                    type="monotone"
                    dataKey="alpha"
                    name="Alpha"
                    stroke="#1d4e89"
                    strokeWidth={2}
                    dot
                    isAnimationActive={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            </figure>
            <FigureTable
              caption={`Agreement on ${figureWords} per calibration session`}
              columns={columns}
              rows={points}
              rowKey={(point) => point.id}
              csvName={`agreement-${figure || 'score'}-${trend.from}-to-${trend.to}.csv`}
              note={
                <>
                  Open a session for its agreement per item:{' '}
                  {points.map((point, index) => (
                    <span key={point.id}>
                      {index > 0 && ', '}
                      <a href={sessionHash(point.id)}>{point.title}</a>
                    </span>
                  ))}
                  .
                </>
              }
            />
          </div>
        </>
      )}
    </section>
  );
}
