// The service dashboard for team leaders: the live board (pushed by the
// server), the contact-centre and guidance figures for a range of days with a
// chart and a data table for each, and the improvement plan. Every figure is
// worked out on the server; this screen only lays it out, links each number to
// the interactions behind it, and exports each table as CSV.
import { useEffect, useId, useState, type FormEvent } from 'react';
import {
  Bar,
  BarChart,
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
import type { ResultError } from '../../../shared/result';
import {
  boardAdviserStates,
  defaultShortAbandonSeconds,
  defaultTargetSeconds,
  granularities,
  type BoardAdviserState,
  type DashboardFigures,
  type DashboardQueryInput,
  type FigureBucket,
  type Granularity,
  type LiveBoard,
} from '../../../shared/wire/dashboard';
import type { DrillDown } from '../history/drill-down';
import { reportsHash } from '../history/route';
import { FigureTable, type FigureColumn } from './figure-table';
import { ImprovementPlanSection } from './ImprovementPlan';
import { OutcomeFigures } from './OutcomeFigures';
import { londonToday, percent, seconds, shiftDays } from './format';
import './dashboard.css';
import { londonFormat } from '../../../shared/time/london';

const boardTime = londonFormat({ hour: '2-digit', minute: '2-digit', second: '2-digit' });

const stateLabels: Record<BoardAdviserState, string> = {
  available: 'Available',
  on_call: 'On a call',
  in_chat: 'In a chat',
  wrap_up: 'Wrap-up',
  break: 'Break or busy',
  offline: 'Offline',
};

const granularityLabels: Record<Granularity, string> = {
  hour: 'Hour',
  day: 'Day',
  week: 'Week',
  month: 'Month',
};

const channelLabels = { voice: 'Voice', webchat: 'Web chat' } as const;

/** The live board: as pushed, and asked for once on opening in case the last push came before. */
function LiveBoardSection({ desk }: { desk: DeskBridge }) {
  const [board, setBoard] = useState<LiveBoard | null>(null);
  useEffect(() => {
    let current = true;
    const stop = desk.onLiveBoardChanged((next) => setBoard(next));
    void desk.liveBoard(null).then((answer) => {
      if (current && answer.ok && answer.value) setBoard((shown) => shown ?? answer.value);
    });
    return () => {
      current = false;
      stop();
    };
  }, [desk]);

  return (
    <section className="dashboard__panel live-board" aria-labelledby="live-board-heading">
      <h3 id="live-board-heading">Live board</h3>
      {!board ? (
        <p>Waiting for the live board from the server…</p>
      ) : (
        <>
          <dl className="live-board__tiles" data-testid="live-board">
            <div className="live-board__tile">
              <dt>Calls waiting</dt>
              <dd data-testid="waiting-voice">{board.waiting.voice}</dd>
            </div>
            <div className="live-board__tile">
              <dt>Chats waiting</dt>
              <dd data-testid="waiting-webchat">{board.waiting.webchat}</dd>
            </div>
            <div className="live-board__tile">
              <dt>Longest call wait</dt>
              <dd>{seconds(board.longestWaitSeconds.voice)}</dd>
            </div>
            <div className="live-board__tile">
              <dt>Longest chat wait</dt>
              <dd>{seconds(board.longestWaitSeconds.webchat)}</dd>
            </div>
            <div
              className={`live-board__tile${board.openSafeguardingConcerns > 0 ? ' live-board__tile--alert' : ''}`}
            >
              <dt>Open safeguarding concerns</dt>
              <dd>{board.openSafeguardingConcerns}</dd>
            </div>
          </dl>
          <dl className="live-board__states" aria-label="Advisers by state">
            {boardAdviserStates.map((state) => (
              <div key={state}>
                <dt>{stateLabels[state]}</dt>
                <dd>{board.advisers[state] ?? 0}</dd>
              </div>
            ))}
          </dl>
          <p className="live-board__at">As at {boardTime.format(new Date(board.at))}</p>
        </>
      )}
    </section>
  );
}

interface Question {
  from: string;
  to: string;
  granularity: Granularity;
  channel: 'voice' | 'webchat' | '';
  adviserId: string;
  targetSeconds: number;
  shortAbandonSeconds: number;
}

function questionInput(question: Question): DashboardQueryInput {
  return {
    from: question.from,
    to: question.to,
    granularity: question.granularity,
    targetSeconds: question.targetSeconds,
    shortAbandonSeconds: question.shortAbandonSeconds,
    ...(question.channel ? { channel: question.channel } : {}),
    ...(question.adviserId ? { adviserId: question.adviserId } : {}),
  };
}

type Figures =
  | { state: 'loading' }
  | { state: 'failed'; error: ResultError }
  | { state: 'shown'; figures: DashboardFigures };

export function DashboardArea({ desk }: { desk: DeskBridge }) {
  const today = londonToday();
  const [form, setForm] = useState<Question>(() => ({
    from: shiftDays(today, -6),
    to: today,
    granularity: 'day',
    channel: '',
    adviserId: '',
    targetSeconds: defaultTargetSeconds,
    shortAbandonSeconds: defaultShortAbandonSeconds,
  }));
  const [asked, setAsked] = useState<Question>(form);
  const [answer, setAnswer] = useState<{ asked: Question; figures: Figures } | null>(null);
  const [advisers, setAdvisers] = useState<Map<string, string>>(new Map());
  const ids = {
    from: useId(),
    to: useId(),
    granularity: useId(),
    channel: useId(),
    adviser: useId(),
    target: useId(),
    short: useId(),
  };

  useEffect(() => {
    let current = true;
    void desk.dashboardFigures(questionInput(asked)).then((result) => {
      if (!current) return;
      if (!result.ok) {
        setAnswer({ asked, figures: { state: 'failed', error: result.error } });
        return;
      }
      setAnswer({ asked, figures: { state: 'shown', figures: result.value } });
      // Advisers seen so far, for the adviser filter: there is no staff directory to ask.
      setAdvisers((known) => {
        const next = new Map(known);
        for (const adviser of result.value.advisers)
          next.set(adviser.adviserId, adviser.adviserName);
        return next.size === known.size ? known : next;
      });
    });
    return () => {
      current = false;
    };
  }, [desk, asked]);

  const figures: Figures = answer?.asked === asked ? answer.figures : { state: 'loading' };
  const set = <K extends keyof Question>(key: K, value: Question[K]) =>
    setForm((current) => ({ ...current, [key]: value }));
  const show = (event: FormEvent) => {
    event.preventDefault();
    setAsked(form);
  };

  return (
    <div className="dashboard">
      <div className="dashboard__header">
        <h2 className="dashboard__title">Service dashboard</h2>
      </div>
      <LiveBoardSection desk={desk} />
      <form className="dashboard__question" aria-label="Figures to show" onSubmit={show} noValidate>
        <div className="field">
          <label htmlFor={ids.from}>From</label>
          <input
            id={ids.from}
            type="date"
            value={form.from}
            onChange={(e) => set('from', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>To</label>
          <input
            id={ids.to}
            type="date"
            value={form.to}
            onChange={(e) => set('to', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.granularity}>By</label>
          <select
            id={ids.granularity}
            value={form.granularity}
            onChange={(e) => set('granularity', e.target.value as Granularity)}
          >
            {granularities.map((granularity) => (
              <option key={granularity} value={granularity}>
                {granularityLabels[granularity]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.channel}>Channel</label>
          <select
            id={ids.channel}
            value={form.channel}
            onChange={(e) => set('channel', e.target.value as Question['channel'])}
          >
            <option value="">Both</option>
            <option value="voice">Voice</option>
            <option value="webchat">Web chat</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.adviser}>Adviser</label>
          <select
            id={ids.adviser}
            value={form.adviserId}
            onChange={(e) => set('adviserId', e.target.value)}
          >
            <option value="">The whole team</option>
            {[...advisers].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--narrow">
          <label htmlFor={ids.target}>Answer target (s)</label>
          <input
            id={ids.target}
            type="number"
            min={1}
            max={3600}
            value={form.targetSeconds}
            onChange={(e) => set('targetSeconds', Number(e.target.value))}
          />
        </div>
        <div className="field field--narrow">
          <label htmlFor={ids.short}>Short abandon under (s)</label>
          <input
            id={ids.short}
            type="number"
            min={0}
            max={600}
            value={form.shortAbandonSeconds}
            onChange={(e) => set('shortAbandonSeconds', Number(e.target.value))}
          />
        </div>
        <button type="submit" className="button button--primary">
          Show figures
        </button>
      </form>
      {figures.state === 'loading' && <p role="status">Working out the figures…</p>}
      {figures.state === 'failed' && (
        <p role="alert" className="notice notice--problem">
          The figures could not be shown: {figures.error.message}
        </p>
      )}
      {figures.state === 'shown' && <FiguresSections figures={figures.figures} />}
      <ImprovementPlanSection desk={desk} />
    </div>
  );
}

function FiguresSections({ figures }: { figures: DashboardFigures }) {
  const { query } = figures;
  // The contact-centre and guidance figures leave follow-up calls out, and so do their lists.
  const scope: Pick<DrillDown, 'adviserId' | 'channel' | 'followUpCall'> = {
    ...(query.adviserId ? { adviserId: query.adviserId } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    followUpCall: false,
  };
  const bucketDrill = (
    bucket: FigureBucket,
    figure: string,
    filters: Partial<DrillDown> = {},
  ): DrillDown => ({
    ...scope,
    from: bucket.from,
    to: bucket.to,
    ...(bucket.hour ? { completedHour: bucket.hour } : {}),
    ...filters,
    figure: `${figure}, ${bucket.label}`,
  });
  const rangeDrill = (figure: string, filters: Partial<DrillDown> = {}): DrillDown => ({
    ...scope,
    from: query.from,
    to: query.to,
    ...filters,
    figure,
  });
  const count = (value: number, drill?: DrillDown) => ({
    text: String(value),
    csv: value,
    ...(drill && value > 0 ? { drill } : {}),
  });
  const share = (value: number | null, drill?: DrillDown) => ({
    text: percent(value),
    csv: value === null ? null : Math.round(value * 1000) / 1000,
    ...(drill ? { drill } : {}),
  });
  const time = (value: number | null) => ({ text: seconds(value), csv: value });

  const contactColumns: FigureColumn<FigureBucket>[] = [
    {
      header: 'Period',
      rowHeader: true,
      cell: (bucket) => ({ text: bucket.label, csv: bucket.key }),
    },
    { header: 'Offered', cell: (bucket) => count(bucket.contact.offered) },
    {
      header: 'Answered',
      cell: (bucket) => count(bucket.contact.answered, bucketDrill(bucket, 'Answered')),
    },
    { header: 'Abandoned', cell: (bucket) => count(bucket.contact.abandoned) },
    { header: 'Short abandons', cell: (bucket) => count(bucket.contact.shortAbandoned) },
    {
      header: `Answered within ${query.targetSeconds} s`,
      cell: (bucket) =>
        count(
          bucket.contact.answeredInTarget,
          bucketDrill(bucket, `Answered within ${query.targetSeconds} s`, {
            answeredWithinSeconds: query.targetSeconds,
          }),
        ),
    },
    { header: 'Service level', cell: (bucket) => share(bucket.contact.serviceLevel) },
    {
      header: 'Average speed of answer',
      cell: (bucket) => time(bucket.contact.averageSpeedOfAnswerSeconds),
    },
    { header: 'Talk', cell: (bucket) => time(bucket.contact.averageTalkSeconds) },
    { header: 'Hold', cell: (bucket) => time(bucket.contact.averageHoldSeconds) },
    { header: 'Wrap-up', cell: (bucket) => time(bucket.contact.averageWrapSeconds) },
    { header: 'Handle time', cell: (bucket) => time(bucket.contact.averageHandleSeconds) },
    { header: 'Occupancy', cell: (bucket) => share(bucket.contact.occupancy) },
  ];

  const guidanceColumns: FigureColumn<FigureBucket>[] = [
    {
      header: 'Period',
      rowHeader: true,
      cell: (bucket) => ({ text: bucket.label, csv: bucket.key }),
    },
    {
      header: 'Interactions',
      cell: (b) => count(b.guidance.interactions, bucketDrill(b, 'Interactions')),
    },
    {
      header: 'Status captured',
      cell: (b) =>
        count(
          b.guidance.statusCaptured,
          bucketDrill(b, 'Status captured', { statusCaptured: true }),
        ),
    },
    {
      header: 'Follow-up offered',
      cell: (b) =>
        count(
          b.guidance.followUpOffered,
          bucketDrill(b, 'Follow-up offered', { followUpOffered: true }),
        ),
    },
    {
      header: 'Follow-up taken up',
      cell: (b) =>
        count(
          b.guidance.followUpTaken,
          bucketDrill(b, 'Follow-up taken up', { followUpBooked: true }),
        ),
    },
    {
      header: 'Transcript offered',
      cell: (b) =>
        count(
          b.guidance.transcriptOffered,
          bucketDrill(b, 'Transcript offered', { transcriptOffered: true }),
        ),
    },
    {
      header: 'Transcript sent',
      cell: (b) =>
        count(
          b.guidance.transcriptSent,
          bucketDrill(b, 'Transcript sent', { transcriptSent: true }),
        ),
    },
    {
      header: 'Stages not covered',
      cell: (b) =>
        count(b.guidance.notCovered, bucketDrill(b, 'Stages not covered', { notCovered: true })),
    },
    {
      header: 'Service questions skipped',
      cell: (b) =>
        count(
          b.guidance.serviceQuestionsSkipped,
          bucketDrill(b, 'Service questions skipped', { serviceQuestionsSkipped: true }),
        ),
    },
  ];

  const contactChart = figures.buckets.map((bucket) => ({
    label: bucket.label,
    Answered: bucket.contact.answered,
    Abandoned: bucket.contact.abandoned,
  }));
  const total = figures.total;
  const shareOf = (part: number) =>
    total.guidance.interactions > 0 ? part / total.guidance.interactions : null;
  const guidanceChart = [
    { figure: 'Status captured', share: shareOf(total.guidance.statusCaptured) },
    { figure: 'Follow-up offered', share: shareOf(total.guidance.followUpOffered) },
    { figure: 'Follow-up taken up', share: shareOf(total.guidance.followUpTaken) },
    { figure: 'Transcript sent', share: shareOf(total.guidance.transcriptSent) },
    { figure: 'Stages not covered', share: shareOf(total.guidance.notCovered) },
    { figure: 'Questions skipped', share: shareOf(total.guidance.serviceQuestionsSkipped) },
  ].map((row) => ({ ...row, percent: row.share === null ? 0 : Math.round(row.share * 1000) / 10 }));

  return (
    <>
      <section className="dashboard__panel" aria-labelledby="contact-heading">
        <h3 id="contact-heading">Contact-centre figures</h3>
        <dl className="dashboard__totals" data-testid="contact-totals">
          <div>
            <dt>Offered</dt>
            <dd>{total.contact.offered}</dd>
          </div>
          <div>
            <dt>Answered</dt>
            <dd data-testid="total-answered">{total.contact.answered}</dd>
          </div>
          <div>
            <dt>Abandoned</dt>
            <dd>
              {total.contact.abandoned} ({total.contact.shortAbandoned} short)
            </dd>
          </div>
          <div>
            <dt>Service level</dt>
            <dd>{percent(total.contact.serviceLevel)}</dd>
          </div>
          <div>
            <dt>Average speed of answer</dt>
            <dd>{seconds(total.contact.averageSpeedOfAnswerSeconds)}</dd>
          </div>
          <div>
            <dt>Handle time</dt>
            <dd>{seconds(total.contact.averageHandleSeconds)}</dd>
          </div>
          <div>
            <dt>Occupancy</dt>
            <dd>{percent(total.contact.occupancy)}</dd>
          </div>
        </dl>
        <p className="dashboard__formula">
          Service level = contacts answered within {query.targetSeconds} seconds ÷ (contacts offered
          − short abandons, those that left within {query.shortAbandonSeconds} seconds). Offered =
          answered + abandoned. Speed of answer runs from the offer to the answer. Handle time =
          talk + hold + wrap-up, averaged per answered contact. Occupancy = handle time ÷ the hours
          in which each adviser completed a contact (signed-in time is not recorded). Abandoned
          contacts left before anyone answered, so there is no interaction to open behind them.
          Follow-up calls the helpline makes are counted under outcomes at follow-up, not here.
        </p>
        <div className="dashboard__pair">
          <figure className="dashboard__chart">
            <figcaption>
              Contacts answered and abandoned, by{' '}
              {granularityLabels[query.granularity].toLowerCase()}
            </figcaption>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={contactChart} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} />
                <YAxis allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="Answered" stackId="offered" fill="#1d4e89" />
                <Bar dataKey="Abandoned" stackId="offered" fill="#a4262c" />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <FigureTable
            caption="Contact-centre figures by period"
            columns={contactColumns}
            rows={figures.buckets}
            rowKey={(bucket) => bucket.key}
            csvName={`contact-centre-${query.from}-to-${query.to}.csv`}
          />
        </div>
        <div className="dashboard__pair dashboard__pair--tables">
          <FigureTable
            caption="By channel"
            columns={[
              {
                header: 'Channel',
                rowHeader: true,
                cell: (row) => ({ text: channelLabels[row.channel], csv: row.channel }),
              },
              { header: 'Offered', cell: (row) => count(row.contact.offered) },
              {
                header: 'Answered',
                cell: (row) =>
                  count(
                    row.contact.answered,
                    rangeDrill(`Answered by ${channelLabels[row.channel].toLowerCase()}`, {
                      channel: row.channel,
                    }),
                  ),
              },
              { header: 'Abandoned', cell: (row) => count(row.contact.abandoned) },
              { header: 'Service level', cell: (row) => share(row.contact.serviceLevel) },
              {
                header: 'Transcript offered',
                cell: (row) =>
                  count(
                    row.guidance.transcriptOffered,
                    rangeDrill(
                      `Transcript offered by ${channelLabels[row.channel].toLowerCase()}`,
                      { channel: row.channel, transcriptOffered: true },
                    ),
                  ),
              },
              {
                header: 'Transcript sent',
                cell: (row) =>
                  count(
                    row.guidance.transcriptSent,
                    rangeDrill(`Transcript sent by ${channelLabels[row.channel].toLowerCase()}`, {
                      channel: row.channel,
                      transcriptSent: true,
                    }),
                  ),
              },
            ]}
            rows={figures.channels}
            rowKey={(row) => row.channel}
            csvName={`channels-${query.from}-to-${query.to}.csv`}
          />
          <FigureTable
            caption="Per adviser"
            columns={[
              { header: 'Adviser', rowHeader: true, cell: (row) => ({ text: row.adviserName }) },
              {
                header: 'Answered',
                cell: (row) =>
                  count(
                    row.contact.answered,
                    rangeDrill(`Answered by ${row.adviserName}`, { adviserId: row.adviserId }),
                  ),
              },
              {
                header: 'Speed of answer',
                cell: (row) => time(row.contact.averageSpeedOfAnswerSeconds),
              },
              { header: 'Handle time', cell: (row) => time(row.contact.averageHandleSeconds) },
              { header: 'Occupancy', cell: (row) => share(row.contact.occupancy) },
              {
                header: 'Status captured',
                cell: (row) =>
                  count(
                    row.guidance.statusCaptured,
                    rangeDrill(`Status captured by ${row.adviserName}`, {
                      adviserId: row.adviserId,
                      statusCaptured: true,
                    }),
                  ),
              },
              {
                header: 'Follow-up offered',
                cell: (row) =>
                  count(
                    row.guidance.followUpOffered,
                    rangeDrill(`Follow-up offered by ${row.adviserName}`, {
                      adviserId: row.adviserId,
                      followUpOffered: true,
                    }),
                  ),
              },
            ]}
            rows={figures.advisers}
            rowKey={(row) => row.adviserId}
            csvName={`advisers-${query.from}-to-${query.to}.csv`}
            note={
              figures.advisers.length === 0
                ? 'No adviser completed an interaction in this range.'
                : 'Abandoned contacts were nobody’s, so an adviser’s figures count what they answered.'
            }
          />
        </div>
      </section>

      <section className="dashboard__panel" aria-labelledby="guidance-heading">
        <h3 id="guidance-heading">Guidance figures</h3>
        <div className="dashboard__pair">
          <figure className="dashboard__chart">
            <figcaption>
              Share of interactions, {query.from} to {query.to} (%)
            </figcaption>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart
                data={guidanceChart}
                layout="vertical"
                margin={{ left: 24 }}
                accessibilityLayer
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" domain={[0, 100]} unit="%" />
                <YAxis type="category" dataKey="figure" width={130} tick={{ fontSize: 12 }} />
                <Tooltip />
                <Bar dataKey="percent" name="Share of interactions (%)" fill="#1e6b3a" />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <FigureTable
            caption="Guidance figures by period"
            columns={guidanceColumns}
            rows={figures.buckets}
            rowKey={(bucket) => bucket.key}
            csvName={`guidance-${query.from}-to-${query.to}.csv`}
          />
        </div>
        <dl className="dashboard__totals" data-testid="next-steps-good">
          <div>
            <dt>Next steps good</dt>
            <dd>
              {percent(figures.nextStepsGood.rate)}{' '}
              <span className="dashboard__of">
                ({figures.nextStepsGood.good} of {figures.nextStepsGood.scored} reviews)
              </span>
            </dd>
          </div>
        </dl>
        <p className="dashboard__formula">
          Next steps good = quality reviews whose next-steps item was judged good (the top two
          points of its scale) ÷ quality reviews that scored it, counting the published reviews of
          interactions completed in this range{query.adviserId ? ' by this adviser' : ''}, as
          Quality reports count them (calibration reviews left out). It is a reviewer&rsquo;s
          judgement, not read from the record, and reviews cover every channel
          {query.channel ? ', whichever channel is chosen above' : ''}. See{' '}
          <a href={reportsHash}>Quality reports</a> for it by week or month, for the team and each
          adviser.
        </p>
        {figures.nextStepsGood.scored === 0 && (
          <p className="dashboard__quiet">
            No quality review of an interaction completed in this range scored its next steps.
          </p>
        )}
      </section>

      <OutcomeFigures
        figures={figures}
        bucketDrill={(bucket, figure) => bucketDrill(bucket, figure, { followUpCall: true })}
        rangeDrill={(figure, filters = {}) =>
          rangeDrill(figure, { followUpCall: true, ...filters })
        }
      />
    </>
  );
}

/** A small line of one figure month by month: for the improvement plan. */
export function TrendChart({
  trend,
  label,
}: {
  trend: { month: string; value: number | null }[];
  label: string;
}) {
  return (
    <ResponsiveContainer width="100%" height={80}>
      <LineChart data={trend} accessibilityLayer title={label}>
        <XAxis dataKey="month" hide />
        <YAxis hide domain={['auto', 'auto']} />
        <Tooltip />
        <Line type="monotone" dataKey="value" name={label} stroke="#1d4e89" connectNulls dot />
      </LineChart>
    </ResponsiveContainer>
  );
}
