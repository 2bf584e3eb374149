// Improvement targets from performance reviews: what each adviser agreed to
// reach, by when, where they began (the same figure over as many days before
// the start) and where they are now, from the published reviews of their
// work. Team leaders set and withdraw them; an adviser reads their own.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { formItems } from '../../../shared/quality/form';
import { shiftDay, targetMeasures, type TargetMeasure } from '../../../shared/quality/targets';
import type { ResultError } from '../../../shared/result';
import {
  targetInputSchema,
  targetWithdrawalSchema,
  type AdviserList,
  type ImprovementTarget,
} from '../../../shared/wire/quality';
import { londonToday } from '../dashboard/format';
import { measureWords, percentWords, targetStateWords } from './words';
import { calendarDayFormat } from '../../../shared/time/london';

const day = calendarDayFormat({ day: 'numeric', month: 'short', year: 'numeric' });

const reviewsWords = (counted: number) => (counted === 1 ? '1 review' : `${counted} reviews`);

/** A figure to reach, as it was set: "90%", "82.5%". */
const goalWords = (percent: number) => `${Math.round(percent * 10) / 10}%`;

function figureWords(figure: ImprovementTarget['progress']['figure']): string {
  return figure.value === null
    ? 'No reviews'
    : `${percentWords(figure.value)} (${reviewsWords(figure.counted)})`;
}

const stateTone: Record<ImprovementTarget['progress']['state'], string> = {
  not_started: 'draft',
  no_reviews: 'draft',
  on_track: 'published',
  behind: 'disputed',
  met: 'resolved',
  missed: 'disputed',
  too_few_reviews: 'draft',
  withdrawn: 'draft',
};

function Withdraw({
  desk,
  target,
  onWithdrawn,
}: {
  desk: DeskBridge;
  target: ImprovementTarget;
  onWithdrawn: (target: ImprovementTarget) => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  if (!open) {
    return (
      <button type="button" className="button button--small" onClick={() => setOpen(true)}>
        Withdraw
        <span className="visually-hidden">
          : {measureWords(target.measure, target.itemPrompt)} for {target.adviser.name}
        </span>
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = targetWithdrawalSchema.safeParse({ reason });
    if (!checked.success) {
      setProblem(checked.error.issues[0]?.message ?? 'Say why');
      document.getElementById(id)?.focus();
      return;
    }
    const answer = await desk.withdrawTarget({ id: target.id, withdrawal: checked.data });
    if (answer.ok) onWithdrawn(answer.value);
    else setProblem(answer.error.message);
  };
  return (
    <form className="quality-targets__withdraw" noValidate onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={id}>Why it is withdrawn</label>
        <textarea
          id={id}
          rows={2}
          maxLength={2000}
          value={reason}
          autoFocus
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="field__problem">
          {problem}
        </p>
      )}
      <div className="scorecard-actions">
        <button type="submit" className="button button--small">
          Withdraw the target
        </button>
        <button type="button" className="button button--small" onClick={() => setOpen(false)}>
          Keep it
        </button>
      </div>
    </form>
  );
}

/** Targets in a table; with `desk` and `onChanged`, a team leader may withdraw each. */
export function TargetTable({
  targets,
  caption,
  showAdviser,
  desk,
  onChanged,
}: {
  targets: readonly ImprovementTarget[];
  caption: string;
  showAdviser: boolean;
  desk?: DeskBridge;
  onChanged?: (target: ImprovementTarget) => void;
}) {
  return (
    <table className="quality-table quality-targets">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {showAdviser && <th scope="col">Adviser</th>}
          <th scope="col">Target</th>
          <th scope="col">Period</th>
          <th scope="col">Where it began</th>
          <th scope="col">Now</th>
          <th scope="col">Where it stands</th>
          <th scope="col">Agreed at the performance review</th>
          {desk && onChanged && <th scope="col">Change</th>}
        </tr>
      </thead>
      <tbody>
        {targets.map((target) => {
          const { progress } = target;
          return (
            <tr key={target.id}>
              {showAdviser && <th scope="row">{target.adviser.name}</th>}
              <td>
                {measureWords(target.measure, target.itemPrompt)}: at least{' '}
                {goalWords(target.targetPercent)}
              </td>
              <td>
                {day(target.startsOn)} to {day(target.dueOn)}
              </td>
              <td>{figureWords(progress.baseline)}</td>
              <td>
                {figureWords(progress.figure)}
                {progress.state !== 'not_started' && progress.to < target.dueOn && (
                  <span className="quality-quiet"> so far</span>
                )}
              </td>
              <td>
                <span className={`quality-status quality-status--${stateTone[progress.state]}`}>
                  {targetStateWords[progress.state]}
                </span>
              </td>
              <td className="quality-targets__note">
                {target.note}
                <span className="quality-quiet"> ({target.setBy.name})</span>
                {target.withdrawal && (
                  <span className="quality-quiet">
                    {' '}
                    Withdrawn by {target.withdrawal.by.name}: “{target.withdrawal.reason}”
                  </span>
                )}
              </td>
              {desk && onChanged && (
                <td>
                  {target.withdrawal === null && (
                    <Withdraw desk={desk} target={target} onWithdrawn={onChanged} />
                  )}
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

type Field = 'adviserId' | 'measure' | 'itemId' | 'targetPercent' | 'startsOn' | 'dueOn' | 'note';

/** A team leader sets a target agreed at an adviser's performance review. */
export function SetTargetForm({
  desk,
  onSet,
}: {
  desk: DeskBridge;
  onSet: (target: ImprovementTarget) => void;
}) {
  const today = londonToday();
  const [advisers, setAdvisers] = useState<AdviserList['advisers'] | null>(null);
  const [items, setItems] = useState<{ id: string; prompt: string }[]>([]);
  const [adviserId, setAdviserId] = useState('');
  const [measure, setMeasure] = useState<TargetMeasure>('average_score');
  const [itemId, setItemId] = useState('');
  const [targetPercent, setTargetPercent] = useState('80');
  const [startsOn, setStartsOn] = useState(today);
  const [dueOn, setDueOn] = useState(() => shiftDay(today, 90));
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [refusal, setRefusal] = useState<ResultError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    let current = true;
    void Promise.all([desk.listAdvisers(null), desk.listForms(null)]).then(([held, forms]) => {
      if (!current) return;
      if (held.ok) setAdvisers(held.value.advisers);
      else setRefusal(held.error);
      // The items of the newest published form: the ones reviews are asked now.
      const newest = forms.ok
        ? forms.value.forms.find((form) => form.status === 'published')
        : undefined;
      setItems(
        newest ? formItems(newest).map(({ item }) => ({ id: item.id, prompt: item.prompt })) : [],
      );
    });
    return () => {
      current = false;
    };
  }, [desk]);

  const fieldId = (field: Field) => `${id}-${field}`;
  const invalid = (field: Field) =>
    problems[field]
      ? { 'aria-invalid': true as const, 'aria-describedby': `${fieldId(field)}-problem` }
      : {};
  const problem = (field: Field) =>
    problems[field] ? (
      <p id={`${fieldId(field)}-problem`} className="field__problem">
        {problems[field]}
      </p>
    ) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setRefusal(null);
    const checked = targetInputSchema.safeParse({
      adviserId,
      measure,
      itemId: measure === 'item_pass_rate' ? itemId || null : null,
      targetPercent: targetPercent.trim() === '' ? Number.NaN : Number(targetPercent),
      startsOn,
      dueOn,
      note,
    });
    const found: Partial<Record<Field, string>> = {};
    const record = (path: string, message: string) => {
      const field = (path.split('.')[0] ?? '') as Field;
      found[field] ??= message;
    };
    if (!checked.success) {
      for (const issue of checked.error.issues)
        record(issue.path.map(String).join('.'), issue.message);
    } else {
      setBusy(true);
      const answer = await desk.setTarget(checked.data);
      setBusy(false);
      if (answer.ok) {
        setProblems({});
        setNote('');
        setDone(
          `Target set for ${answer.value.adviser.name}: ${measureWords(answer.value.measure, answer.value.itemPrompt)}, at least ${goalWords(answer.value.targetPercent)} by ${day(answer.value.dueOn)}.`,
        );
        onSet(answer.value);
        return;
      }
      for (const issue of answer.error.issues ?? []) record(issue.path, issue.message);
      if (!answer.error.issues) setRefusal(answer.error);
    }
    setProblems(found);
    const first = (Object.keys(found) as Field[])[0];
    if (first) document.getElementById(fieldId(first))?.focus();
  };

  return (
    <form
      className="quality-panel quality-targets__form"
      aria-labelledby={`${id}-heading`}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={`${id}-heading`}>Set an improvement target</h3>
      <p className="quality-quiet">
        As agreed at the adviser’s performance review. Progress is read from the published reviews
        of their interactions completed in the period; calibration never counts.
      </p>
      <div className="quality-targets__fields">
        <div className="field">
          <label htmlFor={fieldId('adviserId')}>Adviser</label>
          <select
            id={fieldId('adviserId')}
            value={adviserId}
            {...invalid('adviserId')}
            onChange={(event) => setAdviserId(event.target.value)}
          >
            <option value="">Choose an adviser</option>
            {advisers?.map((adviser) => (
              <option key={adviser.id} value={adviser.id}>
                {adviser.name}
              </option>
            ))}
          </select>
          {problem('adviserId')}
        </div>
        <div className="field quality-targets__wide">
          <label htmlFor={fieldId('measure')}>What it measures</label>
          <select
            id={fieldId('measure')}
            value={measure}
            {...invalid('measure')}
            onChange={(event) => setMeasure(event.target.value as TargetMeasure)}
          >
            {targetMeasures.map((held) => (
              <option key={held} value={held}>
                {held === 'item_pass_rate' ? 'Pass rate of one item' : measureWords(held, null)}
              </option>
            ))}
          </select>
          {problem('measure')}
        </div>
        {measure === 'item_pass_rate' && (
          <div className="field quality-targets__wide">
            <label htmlFor={fieldId('itemId')}>Item</label>
            <select
              id={fieldId('itemId')}
              value={itemId}
              {...invalid('itemId')}
              onChange={(event) => setItemId(event.target.value)}
            >
              <option value="">Choose an item</option>
              {items.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.prompt}
                </option>
              ))}
            </select>
            {problem('itemId')}
          </div>
        )}
        <div className="field">
          <label htmlFor={fieldId('targetPercent')}>At least (%)</label>
          <input
            id={fieldId('targetPercent')}
            type="text"
            inputMode="decimal"
            maxLength={5}
            value={targetPercent}
            {...invalid('targetPercent')}
            onChange={(event) => setTargetPercent(event.target.value)}
          />
          {problem('targetPercent')}
        </div>
        <div className="field">
          <label htmlFor={fieldId('startsOn')}>From</label>
          <input
            id={fieldId('startsOn')}
            type="date"
            value={startsOn}
            {...invalid('startsOn')}
            onChange={(event) => setStartsOn(event.target.value)}
          />
          {problem('startsOn')}
        </div>
        <div className="field">
          <label htmlFor={fieldId('dueOn')}>Due by</label>
          <input
            id={fieldId('dueOn')}
            type="date"
            value={dueOn}
            {...invalid('dueOn')}
            onChange={(event) => setDueOn(event.target.value)}
          />
          {problem('dueOn')}
        </div>
      </div>
      <div className="field">
        <label htmlFor={fieldId('note')}>What was agreed (the adviser reads this)</label>
        <textarea
          id={fieldId('note')}
          rows={2}
          maxLength={2000}
          value={note}
          {...invalid('note')}
          onChange={(event) => setNote(event.target.value)}
        />
        {problem('note')}
      </div>
      {refusal && (
        <p role="alert" className="notice notice--problem">
          {refusal.message}
        </p>
      )}
      {Object.keys(problems).length > 0 && (
        <p role="alert" className="field__problem">
          The target cannot be set yet: see the fields marked.
        </p>
      )}
      {done && (
        <p role="status" className="notice notice--done">
          {done}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        Set the target
      </button>
    </form>
  );
}

/** An adviser's own targets, beside the reviews of their work; nothing while they have none. */
export function OwnTargets({ desk }: { desk: DeskBridge }) {
  const [targets, setTargets] = useState<ImprovementTarget[] | null>(null);
  useEffect(() => {
    let current = true;
    void desk.listTargets({}).then((answer) => {
      if (current) setTargets(answer.ok ? answer.value.targets : []);
    });
    return () => {
      current = false;
    };
  }, [desk]);
  if (!targets || targets.length === 0) return null;
  return (
    <TargetTable
      targets={targets}
      caption="Your improvement targets, from your performance reviews"
      showAdviser={false}
    />
  );
}
