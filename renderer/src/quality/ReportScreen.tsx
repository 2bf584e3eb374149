// Quality reports for team leaders: for the reviews of interactions completed
// in a range, each adviser's and the team's figures (reviews, average score,
// must-pass failures, pass rate, the next-steps-good rate), the pass rate of
// each item, and the improvement targets running in the range with whether
// they are met; then the same figures over time, per week or month
// (ReportTrend.tsx). Calibration is never counted: it measures reviewers.
import { useId, useRef, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { ResultError } from '../../../shared/result';
import {
  reportQuerySchema,
  type QualityReport,
  type ReportLine,
} from '../../../shared/wire/quality';
import { ReportTrendSection } from './ReportTrend';
import { SetTargetForm, TargetTable } from './TargetsPanel';
import { percentWords, shareWords } from './words';
import { DateRangeFields } from '../shell/DateRangeFields';
import { londonDate } from '../../../shared/time/london';

function Figures({ line, label }: { line: ReportLine; label: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{line.reviews}</td>
      <td>{percentWords(line.averagePercentage)}</td>
      <td>{line.criticalFails}</td>
      <td>{line.reviews === 0 ? '—' : shareWords(line.passed / line.reviews)}</td>
      <td>
        {shareWords(line.nextStepsGood.rate)}
        {line.nextStepsGood.scored > 0 && (
          <span className="quality-quiet">
            {' '}
            ({line.nextStepsGood.good} of {line.nextStepsGood.scored})
          </span>
        )}
      </td>
    </tr>
  );
}

export function ReportScreen({ desk }: { desk: DeskBridge }) {
  const today = new Date();
  const [from, setFrom] = useState(() => londonDate(new Date(today.getTime() - 27 * 86_400_000)));
  const [to, setTo] = useState(() => londonDate(today));
  const [report, setReport] = useState<QualityReport | null>(null);
  const [problem, setProblem] = useState<ResultError | null>(null);
  const [busy, setBusy] = useState(false);
  const result = useRef<HTMLDivElement>(null);
  const id = useId();

  const show = async (event?: FormEvent) => {
    event?.preventDefault();
    const checked = reportQuerySchema.safeParse({ from, to });
    if (!checked.success) {
      setProblem({
        code: 'invalid_input',
        message: checked.error.issues[0]?.message ?? 'Check the dates',
      });
      return;
    }
    setBusy(true);
    setProblem(null);
    const answer = await desk.qualityReport(checked.data);
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error);
    setReport(answer.value);
    if (event) requestAnimationFrame(() => result.current?.focus());
  };

  return (
    <section className="quality-report" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Quality report</h3>
      <form
        className="quality-filters"
        noValidate
        onSubmit={(event) => void show(event)}
        aria-label="Report range"
      >
        <DateRangeFields
          idPrefix={id}
          fromLabel="Interactions completed from"
          from={from}
          to={to}
          onFrom={setFrom}
          onTo={setTo}
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          Show the report
        </button>
      </form>
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem.message}
        </p>
      )}
      <div ref={result} tabIndex={-1}>
        {report && report.team.reviews === 0 && (
          <p role="status">No published reviews of interactions completed in this range.</p>
        )}
        {report && report.team.reviews > 0 && (
          <>
            <table className="quality-table">
              <caption>
                Reviews of interactions completed {report.from} to {report.to} (calibration not
                counted)
              </caption>
              <thead>
                <tr>
                  <th scope="col">Adviser</th>
                  <th scope="col">Reviews</th>
                  <th scope="col">Average score</th>
                  <th scope="col">Must-pass failed</th>
                  <th scope="col">Passed</th>
                  <th scope="col">Next steps good</th>
                </tr>
              </thead>
              <tbody>
                {report.advisers.map((line) => (
                  <Figures key={line.adviser?.id} line={line} label={line.adviser?.name ?? ''} />
                ))}
              </tbody>
              <tfoot>
                <Figures line={report.team} label="The team" />
              </tfoot>
            </table>
            <table className="quality-table">
              <caption>
                Each item across the team: the share of reviews where it was not failed
              </caption>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Scored</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Pass rate</th>
                </tr>
              </thead>
              <tbody>
                {report.team.items.map((item) => (
                  <tr key={item.itemId}>
                    <th scope="row">{item.prompt}</th>
                    <td>{item.answered}</td>
                    <td>{item.failed}</td>
                    <td>{shareWords(item.passRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {report && (
          <div className="quality-targets__report">
            {report.targets.length === 0 ? (
              <p className="quality-quiet">No improvement target runs in this range.</p>
            ) : (
              <TargetTable
                targets={report.targets}
                caption="Improvement targets running in this range, with progress over each target’s own period"
                showAdviser
                desk={desk}
                onChanged={() => void show()}
              />
            )}
          </div>
        )}
      </div>
      <ReportTrendSection desk={desk} />
      <SetTargetForm desk={desk} onSet={() => (report ? void show() : undefined)} />
    </section>
  );
}
