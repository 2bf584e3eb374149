// Outcomes at follow-up on the service dashboard: of the follow-up calls
// completed in the range, the share reporting a positive change, and of those
// NEET at first contact, the share who have left NEET; each with its formula,
// a chart and the data table beside it, by period and by the customer's age
// group and region at first contact. The server works every figure out
// (server/dashboard/figures.ts); this only lays them out.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  ageGroupLabels,
  type AgeGroup,
  type DashboardFigures,
  type FigureBucket,
  type OutcomeFigures as Outcomes,
  type RegionGroup,
} from '../../../shared/wire/dashboard';
import { drillHash, type DrillDown } from '../history/drill-down';
import { regionWords } from '../knowledge/knowledge-words';
import { FigureTable, type FigureColumn } from './figure-table';
import { percent } from './format';

export function OutcomeFigures({
  figures,
  bucketDrill,
  rangeDrill,
}: {
  figures: DashboardFigures;
  /** The history's filters for one bucket's follow-up calls. */
  bucketDrill: (bucket: FigureBucket, figure: string) => DrillDown;
  /** The history's filters for the range's follow-up calls, narrowed by `filters`. */
  rangeDrill: (figure: string, filters?: Pick<DrillDown, 'ageGroup' | 'region'>) => DrillDown;
}) {
  const { query, total } = figures;
  const outcomes = total.outcomes;
  const count = (value: number, drill?: DrillDown) => ({
    text: String(value),
    csv: value,
    ...(drill && value > 0 ? { drill } : {}),
  });
  const share = (value: number | null) => ({
    text: percent(value),
    csv: value === null ? null : Math.round(value * 1000) / 1000,
  });

  const columns: FigureColumn<FigureBucket>[] = [
    {
      header: 'Period',
      rowHeader: true,
      cell: (bucket) => ({ text: bucket.label, csv: bucket.key }),
    },
    {
      header: 'Completed',
      cell: (b) => count(b.outcomes.completed, bucketDrill(b, 'Follow-up calls completed')),
    },
    { header: 'Better', cell: (b) => count(b.outcomes.better) },
    { header: 'No change', cell: (b) => count(b.outcomes.same) },
    { header: 'Worse', cell: (b) => count(b.outcomes.worse) },
    { header: 'Change not recorded', cell: (b) => count(b.outcomes.changeNotRecorded) },
    { header: 'Positive change', cell: (b) => share(b.outcomes.positiveChange) },
    { header: 'NEET at first contact', cell: (b) => count(b.outcomes.neetAtFirstContact) },
    { header: 'Left NEET', cell: (b) => count(b.outcomes.leftNeet) },
    { header: 'Left NEET (share)', cell: (b) => share(b.outcomes.leftNeetShare) },
  ];

  const chart = figures.buckets.map((bucket) => ({
    label: bucket.label,
    Better: bucket.outcomes.better,
    'No change': bucket.outcomes.same,
    Worse: bucket.outcomes.worse,
    'Not recorded': bucket.outcomes.changeNotRecorded,
  }));

  return (
    <section className="dashboard__panel" aria-labelledby="outcomes-heading">
      <h3 id="outcomes-heading">Outcomes at follow-up</h3>
      <dl className="dashboard__totals" data-testid="follow-up-outcomes">
        <div>
          <dt>Follow-up calls completed</dt>
          <dd data-testid="follow-ups-completed">
            {outcomes.completed > 0 ? (
              <a href={drillHash(rangeDrill('Follow-up calls completed'))}>{outcomes.completed}</a>
            ) : (
              0
            )}
          </dd>
        </div>
        <div>
          <dt>Positive change</dt>
          <dd data-testid="positive-change">
            {percent(outcomes.positiveChange)}{' '}
            <span className="dashboard__of">
              ({outcomes.better} of {outcomes.completed})
            </span>
          </dd>
        </div>
        <div>
          <dt>Left NEET</dt>
          <dd data-testid="left-neet">
            {percent(outcomes.leftNeetShare)}{' '}
            <span className="dashboard__of">
              ({outcomes.leftNeet} of {outcomes.neetAtFirstContact})
            </span>
          </dd>
        </div>
        <div>
          <dt>Booked with a slot in this range</dt>
          <dd>{figures.followUps.bookedInRange}</dd>
        </div>
      </dl>
      <p className="dashboard__formula">
        Counted from the follow-up calls completed in this range, by the day each was completed.
        Positive change = follow-up calls in which the customer said their circumstances changed for
        the better ÷ follow-up calls completed (a call where the change was not recorded counts as
        not reporting one). Left NEET = of the customers not in education, employment or training at
        first contact, those in school, sixth form, college, an apprenticeship, training or
        employment at the follow-up ÷ those NEET at first contact (“other” and “not disclosed” do
        not count as having left). Follow-up calls are the helpline’s own calls, so the
        contact-centre and guidance figures above leave them out.
      </p>
      {outcomes.completed === 0 && (
        <p className="dashboard__quiet">
          No follow-up calls were completed in this range ({figures.followUps.bookedInRange} booked
          with a slot in it).
        </p>
      )}
      <div className="dashboard__pair">
        <figure className="dashboard__chart">
          <figcaption>
            Change reported at follow-up, by{' '}
            {query.granularity === 'hour' ? 'hour' : query.granularity}
          </figcaption>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={chart} accessibilityLayer>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="Better" stackId="change" fill="#1e6b3a" />
              <Bar dataKey="No change" stackId="change" fill="#505a5f" />
              <Bar dataKey="Worse" stackId="change" fill="#a4262c" />
              <Bar dataKey="Not recorded" stackId="change" fill="#b1b4b6" />
            </BarChart>
          </ResponsiveContainer>
        </figure>
        <FigureTable
          caption="Outcomes at follow-up by period"
          columns={columns}
          rows={figures.buckets}
          rowKey={(bucket) => bucket.key}
          csvName={`outcomes-${query.from}-to-${query.to}.csv`}
        />
      </div>
      <h4 id="outcomes-by-customer-heading">By who the customer was at first contact</h4>
      <p className="dashboard__formula">
        Each follow-up call counts under the young person&rsquo;s age group and region as recorded
        at the contact its follow-up was booked in. Age groups: 15 and under (still of compulsory
        school age), 16 to 17 (in education or training by law), 18 and over. Region is optional at
        the caller stage, and contacts recorded before it was asked count as not given. Share of
        calls = the group&rsquo;s follow-up calls completed ÷ all completed in this range; the other
        shares are worked out within the group by the formulas above.
      </p>
      <OutcomeBreakdown
        name="age group"
        groups={figures.outcomesByAgeGroup}
        labelOf={(key: AgeGroup) => ageGroupLabels[key]}
        drill={(key, label) =>
          rangeDrill(`Follow-up calls completed, age ${label.toLowerCase()}`, { ageGroup: key })
        }
        total={outcomes.completed}
        csvName={`outcomes-by-age-group-${query.from}-to-${query.to}.csv`}
      />
      <OutcomeBreakdown
        name="region"
        groups={figures.outcomesByRegion}
        labelOf={(key: RegionGroup) =>
          key === 'not_given' ? 'Region not given' : regionWords[key]
        }
        drill={(key, label) => rangeDrill(`Follow-up calls completed, ${label}`, { region: key })}
        total={outcomes.completed}
        csvName={`outcomes-by-region-${query.from}-to-${query.to}.csv`}
      />
    </section>
  );
}

/**
 * One breakdown of the outcomes (by age group or by region): a chart of the two
 * shares for each group and the table of counts and shares beside it, each
 * group's completed calls a link to them in the history.
 */
function OutcomeBreakdown<Key extends string>({
  name,
  groups,
  labelOf,
  drill,
  total,
  csvName,
}: {
  name: string;
  groups: readonly { key: Key; outcomes: Outcomes }[];
  labelOf: (key: Key) => string;
  drill: (key: Key, label: string) => DrillDown;
  total: number;
  csvName: string;
}) {
  const percentOf = (value: number | null) =>
    value === null ? null : Math.round(value * 1000) / 10;
  const share = (value: number | null) => ({
    text: percent(value),
    csv: value === null ? null : Math.round(value * 1000) / 1000,
  });
  const columns: FigureColumn<{ key: Key; outcomes: Outcomes }>[] = [
    {
      header: name === 'region' ? 'Region' : 'Age group',
      rowHeader: true,
      cell: (group) => ({ text: labelOf(group.key), csv: group.key }),
    },
    {
      header: 'Completed',
      cell: (group) => ({
        text: String(group.outcomes.completed),
        csv: group.outcomes.completed,
        ...(group.outcomes.completed > 0 ? { drill: drill(group.key, labelOf(group.key)) } : {}),
      }),
    },
    {
      header: 'Share of calls',
      cell: (group) => share(total > 0 ? group.outcomes.completed / total : null),
    },
    {
      header: 'Better',
      cell: (group) => ({ text: String(group.outcomes.better), csv: group.outcomes.better }),
    },
    { header: 'Positive change', cell: (group) => share(group.outcomes.positiveChange) },
    {
      header: 'NEET at first contact',
      cell: (group) => ({
        text: String(group.outcomes.neetAtFirstContact),
        csv: group.outcomes.neetAtFirstContact,
      }),
    },
    {
      header: 'Left NEET',
      cell: (group) => ({ text: String(group.outcomes.leftNeet), csv: group.outcomes.leftNeet }),
    },
    { header: 'Left NEET (share)', cell: (group) => share(group.outcomes.leftNeetShare) },
  ];
  // Only the groups someone fell in: ten empty regions would crowd out the ones that count.
  const chart = groups
    .filter((group) => group.outcomes.completed > 0)
    .map((group) => ({
      group: labelOf(group.key),
      'Positive change (%)': percentOf(group.outcomes.positiveChange),
      'Left NEET (%)': percentOf(group.outcomes.leftNeetShare),
    }));
  return (
    <div className="dashboard__pair">
      <figure className="dashboard__chart">
        <figcaption>Positive change and left NEET by {name} (%)</figcaption>
        {chart.length === 0 ? (
          <p className="dashboard__quiet">No follow-up calls to show by {name}.</p>
        ) : (
          <ResponsiveContainer width="100%" height={Math.max(160, 48 * chart.length + 60)}>
            <BarChart data={chart} layout="vertical" margin={{ left: 24 }} accessibilityLayer>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" domain={[0, 100]} unit="%" />
              <YAxis type="category" dataKey="group" width={150} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend />
              <Bar dataKey="Positive change (%)" fill="#1e6b3a" />
              <Bar dataKey="Left NEET (%)" fill="#1d4e89" />
            </BarChart>
          </ResponsiveContainer>
        )}
      </figure>
      <FigureTable
        caption={`Outcomes at follow-up by ${name}`}
        columns={columns}
        rows={groups}
        rowKey={(group) => group.key}
        csvName={csvName}
      />
    </div>
  );
}
