// Quality reports over time: the report's figures per London week or month of
// a range, for the team and, when one is chosen, one adviser. A line per
// figure the reader picks (average score, pass rate, next-steps-good rate,
// must-pass failures) with the same figures in the dashboard's table beside
// it, and each item's pass rate per period below. A period with no reviews
// reads "none" and leaves a gap in the line: it is not a period of zeros.
import { useEffect, useId, useState, type FormEvent } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DeskBridge } from '../../../shared/ipc/contract';
import {
  reportTrendQuerySchema,
  type PeriodFigures,
  type ReportPeriodKind,
  type ReportTrend,
  type ReportTrendQuery,
  type StaffRef,
} from '../../../shared/wire/quality';
import { FigureTable, type FigureColumn } from '../dashboard/figure-table';
import { londonToday, shiftDays } from '../dashboard/format';
import { useCheckedQuery } from './checked-query';
import { percentWords, shareWords } from './words';
import '../dashboard/dashboard.css';
import { DateRangeFields } from '../shell/DateRangeFields';
import { calendarDayFormat } from '../../../shared/time/london';

type Period = ReportTrend['periods'][number];
type Measure = 'average' | 'passed' | 'nextSteps' | 'criticalFails';

const measures: { id: Measure; words: string; percent: boolean }[] = [
  { id: 'average', words: 'Average score', percent: true },
  { id: 'passed', words: 'Reviews passed (no must-pass item failed)', percent: true },
  { id: 'nextSteps', words: 'Next steps good', percent: true },
  { id: 'criticalFails', words: 'Must-pass failures', percent: false },
];

/** The figure the chart draws, or null (a gap) for a period with none. */
function valueOf(figures: PeriodFigures | undefined, measure: Measure): number | null {
  if (!figures) return null;
  switch (measure) {
    case 'average':
      return figures.averagePercentage;
    case 'passed':
      return figures.passed?.rate === null || figures.passed?.rate === undefined
        ? null
        : figures.passed.rate * 100;
    case 'nextSteps':
      return figures.nextStepsGood?.rate === null || figures.nextStepsGood?.rate === undefined
        ? null
        : figures.nextStepsGood.rate * 100;
    case 'criticalFails':
      return figures.criticalFails;
  }
}

const dayMonth = calendarDayFormat({ day: 'numeric', month: 'short' });
const dayMonthYear = calendarDayFormat({ day: 'numeric', month: 'short', year: 'numeric' });
const dayWords = (day: string, withYear: boolean) => (withYear ? dayMonthYear : dayMonth)(day);
const monthWords = calendarDayFormat({ month: 'long', year: 'numeric' });
const shortMonthWords = calendarDayFormat({ month: 'short', year: 'numeric' });

/** A period as the axis shows it: "19 Oct" or "Oct 2026". */
function shortLabel(period: Period, by: ReportPeriodKind) {
  return by === 'week' ? dayWords(period.from, false) : shortMonthWords(period.from);
}

/** A period in full, as the tables show it: "19 to 25 Oct 2026", "October 2026 (from 14 Oct)". */
function periodWords(period: Period, by: ReportPeriodKind) {
  if (by === 'week') {
    const start =
      period.from.slice(0, 7) === period.to.slice(0, 7)
        ? String(Number(period.from.slice(8)))
        : dayWords(period.from, false);
    return `${start} to ${dayWords(period.to, true)}`;
  }
  const month = monthWords(period.from);
  if (!period.partial) return month;
  const cutAtStart = period.from.slice(8) !== '01';
  const cutAtEnd = period.to !== shiftDays(`${nextMonth(period.from)}-01`, -1);
  if (cutAtStart && cutAtEnd) {
    return `${month} (${Number(period.from.slice(8))} to ${dayWords(period.to, false)})`;
  }
  return cutAtStart
    ? `${month} (from ${dayWords(period.from, false)})`
    : `${month} (to ${dayWords(period.to, false)})`;
}

/** The month after the one a day is in: YYYY-MM. */
function nextMonth(day: string) {
  const [year, month] = day.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, month ?? 1, 1)).toISOString().slice(0, 7);
}

const none = 'none';

/** "2 of 3 (67%)", or none with nothing to count. */
function shareOf(figure: PeriodFigures['passed']) {
  return figure ? `${shareWords(figure.rate)} (${figure.met} of ${figure.counted})` : none;
}

interface Row {
  period: Period;
  figures: PeriodFigures;
}

function figureColumns(by: ReportPeriodKind): FigureColumn<Row>[] {
  return [
    {
      header: 'Period',
      rowHeader: true,
      cell: ({ period }) => ({ text: periodWords(period, by) }),
    },
    {
      header: 'Reviews',
      cell: ({ figures }) => ({
        text: figures.reviews === 0 ? none : String(figures.reviews),
        csv: figures.reviews,
      }),
    },
    {
      header: 'Average score',
      cell: ({ figures }) => ({
        text: figures.averagePercentage === null ? none : percentWords(figures.averagePercentage),
        csv: figures.averagePercentage === null ? none : figures.averagePercentage.toFixed(1),
      }),
    },
    {
      header: 'Must-pass failed',
      cell: ({ figures }) => ({
        text: figures.criticalFails === null ? none : String(figures.criticalFails),
      }),
    },
    {
      header: 'Passed',
      cell: ({ figures }) => ({ text: shareOf(figures.passed) }),
    },
    {
      header: 'Next steps good',
      cell: ({ figures }) => ({ text: shareOf(figures.nextStepsGood) }),
    },
  ];
}

const loadReportTrend = (desk: DeskBridge, query: ReportTrendQuery) =>
  desk.qualityReportTrend(query);

export function ReportTrendSection({ desk }: { desk: DeskBridge }) {
  const today = londonToday();
  const [from, setFrom] = useState(() => shiftDays(today, -7 * 12));
  const [to, setTo] = useState(today);
  const [by, setBy] = useState<ReportPeriodKind>('week');
  const [adviserId, setAdviserId] = useState('');
  const [measure, setMeasure] = useState<Measure>('average');
  const [advisers, setAdvisers] = useState<StaffRef[]>([]);
  const id = useId();
  // The last twelve weeks, week by week, for the team at first.
  const {
    answer: shown,
    problem,
    ask,
  } = useCheckedQuery(desk, loadReportTrend, reportTrendQuerySchema, () =>
    reportTrendQuerySchema.parse({ from, to, by }),
  );

  useEffect(() => {
    let current = true;
    void desk.listAdvisers(null).then((answer) => {
      if (current && answer.ok) setAdvisers(answer.value.advisers);
    });
    return () => {
      current = false;
    };
  }, [desk]);

  const show = (event: FormEvent) => {
    event.preventDefault();
    ask({ from, to, by, ...(adviserId ? { adviserId } : {}) });
  };

  const chosen = measures.find((held) => held.id === measure) ?? measures[0]!;
  const kind = shown?.by ?? 'week';
  const adviserName = shown?.adviser?.adviser.name ?? null;
  const data =
    shown?.periods.map((period, index) => ({
      label: shortLabel(period, kind),
      team: valueOf(shown.team[index], measure),
      ...(shown.adviser ? { adviser: valueOf(shown.adviser.periods[index], measure) } : {}),
    })) ?? [];
  const rowsOf = (periods: readonly PeriodFigures[]): Row[] =>
    (shown?.periods ?? []).flatMap((period, index) => {
      const figures = periods[index];
      return figures ? [{ period, figures }] : [];
    });
  const reviewed = (shown?.team ?? []).some((figures) => figures.reviews > 0);
  // Per-item pass rates for the adviser when one is chosen, else for the team.
  const itemSubject = shown?.adviser ? shown.adviser.periods : (shown?.team ?? []);
  const itemColumns: FigureColumn<ReportTrend['items'][number]>[] = [
    { header: 'Item', rowHeader: true, cell: (item) => ({ text: item.prompt }) },
    ...(shown?.periods ?? []).map((period, index) => ({
      header: periodWords(period, kind),
      cell: (item: ReportTrend['items'][number]) => {
        const held = itemSubject[index]?.items.find((figure) => figure.itemId === item.itemId);
        return held
          ? {
              text: `${shareWords(held.passRate)} (${held.answered - held.failed} of ${held.answered})`,
              csv: held.passRate === null ? none : Math.round(held.passRate * 1000) / 10,
            }
          : { text: none };
      },
    })),
  ];
  const byWords = kind === 'week' ? 'week (Monday to Sunday)' : 'month';

  return (
    <section className="quality-trend" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Over time</h3>
      <form className="quality-filters" aria-label="Report over time" noValidate onSubmit={show}>
        <DateRangeFields
          idPrefix={id}
          fromLabel="Interactions completed from"
          from={from}
          to={to}
          onFrom={setFrom}
          onTo={setTo}
        />
        <div className="field">
          <label htmlFor={`${id}-by`}>By</label>
          <select
            id={`${id}-by`}
            value={by}
            onChange={(event) => setBy(event.target.value === 'month' ? 'month' : 'week')}
          >
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-adviser`}>Adviser beside the team</label>
          <select
            id={`${id}-adviser`}
            value={adviserId}
            onChange={(event) => setAdviserId(event.target.value)}
          >
            <option value="">None: the team only</option>
            {advisers.map((adviser) => (
              <option key={adviser.id} value={adviser.id}>
                {adviser.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Show over time
        </button>
      </form>
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem.message}
        </p>
      )}
      {shown && !reviewed && (
        <p className="quality-quiet">
          No published reviews of interactions completed {shown.from} to {shown.to}.
        </p>
      )}
      {shown && reviewed && (
        <>
          <div className="field quality-trend__measure">
            <label htmlFor={`${id}-measure`}>Draw</label>
            <select
              id={`${id}-measure`}
              value={measure}
              onChange={(event) =>
                setMeasure(measures.find((held) => held.id === event.target.value)?.id ?? 'average')
              }
            >
              {measures.map((held) => (
                <option key={held.id} value={held.id}>
                  {held.words}
                </option>
              ))}
            </select>
          </div>
          <p className="quality-quiet">
            Per {byWords}, London time, for interactions completed {shown.from} to {shown.to};
            calibration is never counted. A period with no reviews shows as none and leaves a gap in
            the line.
          </p>
          <div className="dashboard__pair">
            <figure className="dashboard__chart">
              <figcaption>
                {chosen.words} per {kind}: the team{adviserName ? ` and ${adviserName}` : ''}
              </figcaption>
              <ResponsiveContainer width="100%" height={260}>
                <LineChart data={data} accessibilityLayer margin={{ top: 12, right: 24 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="label" tick={{ fontSize: 12 }} />
                  <YAxis
                    domain={chosen.percent ? [0, 100] : [0, 'auto']}
                    allowDecimals={chosen.percent}
                    unit={chosen.percent ? '%' : ''}
                    width={60}
                  />
                  <Tooltip
                    formatter={(value) =>
                      typeof value === 'number'
                        ? chosen.percent
                          ? percentWords(value)
                          : String(value)
                        : none
                    }
                  />
                  <Legend />
                  <Line
                    type="monotone"
                    dataKey="team"
                    name="The team"
                    stroke="#1d4e89"
                    strokeWidth={2}
                    dot
                    connectNulls={false}
                    isAnimationActive={false}
                  />
                  {adviserName && (
                    <Line
                      type="monotone"
                      dataKey="adviser"
                      name={adviserName}
                      stroke="#b35c00"
                      strokeWidth={2}
                      strokeDasharray="6 3"
                      dot
                      connectNulls={false}
                      isAnimationActive={false}
                    />
                  )}
                </LineChart>
              </ResponsiveContainer>
            </figure>
            <div>
              {shown.adviser && (
                <FigureTable
                  caption={`${shown.adviser.adviser.name}, per ${kind}`}
                  columns={figureColumns(kind)}
                  rows={rowsOf(shown.adviser.periods)}
                  rowKey={(row) => row.period.key}
                  csvName={`quality-${shown.adviser.adviser.name.replace(/\W+/g, '-').toLowerCase()}-by-${kind}-${shown.from}-to-${shown.to}.csv`}
                />
              )}
              <FigureTable
                caption={`The team, per ${kind}`}
                columns={figureColumns(kind)}
                rows={rowsOf(shown.team)}
                rowKey={(row) => row.period.key}
                csvName={`quality-team-by-${kind}-${shown.from}-to-${shown.to}.csv`}
              />
            </div>
          </div>
          <FigureTable
            caption={`Each item’s pass rate per ${kind}: ${adviserName ?? 'the team'} (the share of reviews where it was not failed)`}
            columns={itemColumns}
            rows={shown.items}
            rowKey={(item) => item.itemId}
            csvName={`quality-items-${adviserName ? 'adviser' : 'team'}-by-${kind}-${shown.from}-to-${shown.to}.csv`}
          />
        </>
      )}
    </section>
  );
}
