// Find: filters, a text search and a results table in pages. Pages follow the
// server's cursor (Next and Previous walk the cursors seen), so the millionth
// row costs what the first does. The first page is asked for on opening, so
// the area is useful at once: the newest interactions this reader may see.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { StaffMember } from '../../../shared/domain/people';
import type { DeskBridge, HistoryListRequest } from '../../../shared/ipc/contract';
import {
  currentStatusLabels,
  currentStatuses,
  stageLabels,
} from '../../../shared/interaction/taxonomy';
import type { ResultError } from '../../../shared/result';
import type { HistoryRow, HistorySort } from '../../../shared/wire/history';
import { duration, ukDateTime } from '../interaction/time-words';
import {
  blankFindForm,
  findFormProblems,
  listRequest,
  mayFilterByAdviser,
  yesNoFilters,
  type FindForm,
  type YesNoAny,
} from './find-query';
import type { DrillDown } from './drill-down';
import { replayHash } from './route';

const channelWords = { voice: 'Voice call', webchat: 'Web chat' } as const;

/** What a row was: a follow-up call the helpline made is named as one, not as the customer's call. */
const kindWords = (row: HistoryRow) =>
  row.followUpCall ? 'Follow-up call' : channelWords[row.channel];
const yesNoWords: Record<YesNoAny, string> = { any: 'Any', yes: 'Yes', no: 'No' };

type Answer =
  | { state: 'failed'; error: ResultError }
  | { state: 'shown'; rows: HistoryRow[]; nextCursor: string | null };
type Results = { state: 'loading' } | Answer;

interface Asked {
  form: FindForm;
  sort: HistorySort;
  /** The cursor of every page up to the one shown (null for the first). */
  cursors: (string | null)[];
}

function YesNo({
  label,
  value,
  onChange,
}: {
  label: string;
  value: YesNoAny;
  onChange: (value: YesNoAny) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as YesNoAny)}>
        {(['any', 'yes', 'no'] as const).map((option) => (
          <option key={option} value={option}>
            {yesNoWords[option]}
          </option>
        ))}
      </select>
    </div>
  );
}

const yes = (value: boolean | null) => (value === null ? '—' : value ? 'Yes' : 'No');

const yesNo = (value: boolean | undefined): YesNoAny =>
  value === undefined ? 'any' : value ? 'yes' : 'no';

/** The Find form a drill-down fills in: the filters it has controls for. */
function formOf(drill: DrillDown | undefined): FindForm {
  if (!drill) return blankFindForm;
  return {
    ...blankFindForm,
    from: drill.from ?? '',
    to: drill.to ?? '',
    adviserId: drill.adviserId ?? '',
    channel: drill.channel ?? 'any',
    followUpBooked: yesNo(drill.followUpBooked),
    transcriptSent: yesNo(drill.transcriptSent),
    notCovered: yesNo(drill.notCovered),
  };
}

/** The drill-down's filters the form has no control for: kept until the reader clears them. */
function extraOf(drill: DrillDown | undefined): Partial<HistoryListRequest> {
  if (!drill) return {};
  const extra: Partial<HistoryListRequest> = {
    completedHour: drill.completedHour,
    statusCaptured: drill.statusCaptured,
    followUpOffered: drill.followUpOffered,
    transcriptOffered: drill.transcriptOffered,
    serviceQuestionsSkipped: drill.serviceQuestionsSkipped,
    answeredWithinSeconds: drill.answeredWithinSeconds,
    followUpCall: drill.followUpCall,
    ageGroup: drill.ageGroup,
    region: drill.region,
  };
  return Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined));
}

export function HistoryFind({
  desk,
  user,
  drill,
}: {
  desk: DeskBridge;
  user: StaffMember;
  /** Opened from a dashboard figure: its filters, and what the figure was. */
  drill?: DrillDown;
}) {
  const [form, setForm] = useState<FindForm>(() => formOf(drill));
  const [extra, setExtra] = useState(() => extraOf(drill));
  const [asked, setAsked] = useState<Asked>(() => ({
    form: formOf(drill),
    sort: 'newest',
    cursors: [null],
  }));
  // Each answer is kept with the request it answers: any other request shown is still loading.
  const [answered, setAnswered] = useState<{ key: string; answer: Answer } | null>(null);
  const [problems, setProblems] = useState<ReturnType<typeof findFormProblems>>({});
  // Advisers seen in results so far, for the adviser filter: there is no staff directory to ask.
  const [advisers, setAdvisers] = useState<Map<string, string>>(new Map());
  const [attempt, setAttempt] = useState(0);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const ids = {
    from: useId(),
    to: useId(),
    adviser: useId(),
    channel: useId(),
    status: useId(),
    text: useId(),
  };
  const byAdviser = mayFilterByAdviser(user);

  const cursor = asked.cursors.at(-1) ?? null;
  const request = useMemo(
    () => ({ ...listRequest(asked.form, asked.sort, cursor), ...extra }),
    [asked, cursor, extra],
  );
  const key = `${attempt}:${JSON.stringify(request)}`;
  const results: Results = answered?.key === key ? answered.answer : { state: 'loading' };
  useEffect(() => {
    let current = true;
    void desk.listHistory(request).then((answer) => {
      if (!current) return;
      if (!answer.ok) {
        setAnswered({ key, answer: { state: 'failed', error: answer.error } });
        return;
      }
      setAnswered({
        key,
        answer: { state: 'shown', rows: answer.value.rows, nextCursor: answer.value.nextCursor },
      });
      setAdvisers((known) => {
        const unseen = answer.value.rows.filter(
          (row) => known.get(row.adviserId) !== row.adviserName,
        );
        if (unseen.length === 0) return known;
        const next = new Map(known);
        for (const row of unseen) next.set(row.adviserId, row.adviserName);
        return next;
      });
      // Focus follows the reader's own action (a search, a page), never the first load.
      if (moved.current) resultsHeading.current?.focus();
    });
    return () => {
      current = false;
    };
  }, [desk, request, key]);

  const ask = useCallback((next: Asked) => {
    moved.current = true;
    setAsked(next);
  }, []);

  const search = (event: FormEvent) => {
    event.preventDefault();
    const found = findFormProblems(form);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    ask({ form, sort: asked.sort, cursors: [null] });
  };
  const clear = () => {
    setExtra({});
    setForm(blankFindForm);
    setProblems({});
    ask({ form: blankFindForm, sort: asked.sort, cursors: [null] });
  };
  const set = <K extends keyof FindForm>(key: K, value: FindForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));
  const sortBy = (sort: HistorySort) => ask({ ...asked, sort, cursors: [null] });

  const page = asked.cursors.length;
  const rows = results.state === 'shown' ? results.rows : [];
  const searchedText = asked.form.text.trim().length >= 2;

  return (
    <section className="history-find" aria-labelledby="history-find-heading">
      <h2 id="history-find-heading" className="visually-hidden">
        Find interactions
      </h2>
      {drill && (
        <div className="notice history-find__drill" role="status">
          <p>
            From the dashboard: the interactions behind <strong>{drill.figure}</strong>.
          </p>
          {Object.keys(extra).length > 0 && (
            <button type="button" className="button" onClick={() => setExtra({})}>
              Drop the dashboard&apos;s other filters
            </button>
          )}
        </div>
      )}
      <form className="history-filters" aria-label="Filters" onSubmit={search} noValidate>
        <div className="history-filters__grid">
          <div className="field">
            <label htmlFor={ids.from}>From</label>
            <input
              id={ids.from}
              type="date"
              value={form.from}
              onChange={(event) => set('from', event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>To</label>
            <input
              id={ids.to}
              type="date"
              value={form.to}
              aria-invalid={problems.to ? true : undefined}
              aria-describedby={problems.to ? `${ids.to}-problem` : undefined}
              onChange={(event) => set('to', event.target.value)}
            />
            {problems.to && (
              <p id={`${ids.to}-problem`} className="field__problem">
                {problems.to}
              </p>
            )}
          </div>
          {byAdviser && (
            <div className="field">
              <label htmlFor={ids.adviser}>Adviser</label>
              <select
                id={ids.adviser}
                value={form.adviserId}
                onChange={(event) => set('adviserId', event.target.value)}
              >
                <option value="">Any adviser</option>
                {[...advisers].map(([id, name]) => (
                  <option key={id} value={id}>
                    {name || id}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={ids.channel}>Channel</label>
            <select
              id={ids.channel}
              value={form.channel}
              onChange={(event) => set('channel', event.target.value as FindForm['channel'])}
            >
              <option value="any">Any</option>
              <option value="voice">{channelWords.voice}</option>
              <option value="webchat">{channelWords.webchat}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.status}>Status at first contact</label>
            <select
              id={ids.status}
              value={form.startingStatus}
              onChange={(event) =>
                set('startingStatus', event.target.value as FindForm['startingStatus'])
              }
            >
              <option value="any">Any</option>
              {currentStatuses.map((status) => (
                <option key={status} value={status}>
                  {currentStatusLabels[status]}
                </option>
              ))}
            </select>
          </div>
          {yesNoFilters.map(([key, label]) => (
            <YesNo
              key={key}
              label={label}
              value={form[key]}
              onChange={(value) => set(key, value)}
            />
          ))}
          <div className="field history-filters__text">
            <label htmlFor={ids.text}>Words in notes and chat</label>
            <input
              id={ids.text}
              type="search"
              value={form.text}
              maxLength={200}
              aria-invalid={problems.text ? true : undefined}
              aria-describedby={problems.text ? `${ids.text}-problem` : undefined}
              onChange={(event) => set('text', event.target.value)}
            />
            {problems.text && (
              <p id={`${ids.text}-problem`} className="field__problem">
                {problems.text}
              </p>
            )}
          </div>
        </div>
        <div className="history-filters__actions">
          <button type="submit" className="button button--primary">
            Find
          </button>
          <button type="button" className="button" onClick={clear}>
            Clear filters
          </button>
        </div>
      </form>

      <div className="history-results" aria-busy={results.state === 'loading'}>
        <div className="history-results__header">
          <h3 id="history-results-heading" ref={resultsHeading} tabIndex={-1}>
            Interactions{page > 1 ? `, page ${page}` : ''}
          </h3>
          <p role="status" className="history-results__count">
            {results.state === 'loading'
              ? 'Finding interactions…'
              : results.state === 'shown'
                ? rows.length === 0
                  ? 'No interactions match these filters.'
                  : `${rows.length} shown${results.nextCursor ? ', more on the next page' : ''}`
                : ''}
          </p>
        </div>
        {results.state === 'failed' && (
          <div role="alert" className="notice notice--problem">
            <p>Could not find interactions: {results.error.message}</p>
            <button
              type="button"
              className="button"
              onClick={() => setAttempt((count) => count + 1)}
            >
              Try again
            </button>
          </div>
        )}
        {rows.length > 0 && (
          <div className="history-table__scroll">
            <table className="history-table" aria-labelledby="history-results-heading">
              <thead>
                <tr>
                  <th scope="col" aria-sort={asked.sort === 'newest' ? 'descending' : 'ascending'}>
                    <button
                      type="button"
                      className="history-table__sort"
                      onClick={() => sortBy(asked.sort === 'newest' ? 'oldest' : 'newest')}
                    >
                      Started
                      <span aria-hidden="true">{asked.sort === 'newest' ? ' ▼' : ' ▲'}</span>
                      <span className="visually-hidden">
                        , {asked.sort === 'newest' ? 'newest first' : 'oldest first'}: sort{' '}
                        {asked.sort === 'newest' ? 'oldest first' : 'newest first'}
                      </span>
                    </button>
                  </th>
                  <th scope="col">Channel</th>
                  {byAdviser && <th scope="col">Adviser</th>}
                  <th scope="col">Length</th>
                  <th scope="col">Status at first contact</th>
                  <th scope="col">Follow-up</th>
                  <th scope="col">Safeguarding</th>
                  <th scope="col">Within remit</th>
                  <th scope="col">Transcript</th>
                  <th scope="col">Not covered</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <a href={replayHash(row.id)} className="history-table__open">
                        {ukDateTime(row.startedAt)}
                        <span className="visually-hidden">
                          : replay this {kindWords(row).toLowerCase()}
                        </span>
                      </a>
                      {searchedText && row.snippet && (
                        <p className="history-table__snippet">{row.snippet}</p>
                      )}
                    </td>
                    <td>{kindWords(row)}</td>
                    {byAdviser && <td>{row.adviserName || row.adviserId}</td>}
                    <td>
                      {row.talkSeconds === null
                        ? 'Not connected'
                        : duration(row.talkSeconds * 1000)}
                    </td>
                    <td>{row.startingStatus ? currentStatusLabels[row.startingStatus] : '—'}</td>
                    <td>{yes(row.followUpBooked)}</td>
                    <td className={row.safeguardingRaised ? 'history-table__flag' : undefined}>
                      {yes(row.safeguardingRaised)}
                    </td>
                    <td>{yes(row.withinRemit)}</td>
                    <td>{yes(row.transcriptSent)}</td>
                    <td>
                      {row.notCoveredStages.length === 0
                        ? 'None'
                        : row.notCoveredStages.map((stage) => stageLabels[stage]).join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="history-pages" aria-label="Pages of interactions">
          <button
            type="button"
            className="button"
            disabled={page <= 1 || results.state === 'loading'}
            onClick={() => ask({ ...asked, cursors: asked.cursors.slice(0, -1) })}
          >
            Previous page
          </button>
          <span>Page {page}</span>
          <button
            type="button"
            className="button"
            disabled={results.state !== 'shown' || results.nextCursor === null}
            onClick={() =>
              results.state === 'shown' &&
              results.nextCursor &&
              ask({ ...asked, cursors: [...asked.cursors, results.nextCursor] })
            }
          >
            Next page
          </button>
        </nav>
      </div>
    </section>
  );
}
