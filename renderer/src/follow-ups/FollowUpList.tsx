// The day's follow-up calls on the live desk, between calls: due today and
// overdue, each with its window, the customer's preferred time and method, and
// what was agreed last time, so the adviser can ring with the plan in front of
// them. Ringing, rebooking and withdrawing all go through the central server,
// which owns the clock "today" is counted by. A call the customer answers is
// handed to the interaction area, which guides it as a follow-up interaction.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ConnectionState, DeskBridge } from '../../../shared/ipc/contract';
import { londonWallToIso } from '../../../shared/time/london';
import { dayPartWords, maxCallAttempts } from '../../../shared/interaction/follow-up-calls';
import { currentStatusLabels } from '../../../shared/interaction/taxonomy';
import type { Result, ResultError } from '../../../shared/result';
import type { FollowUpCall, FollowUpList as DayList } from '../../../shared/wire/follow-ups';
import { Checkbox, TextField } from '../interaction/controls';
import { ukDateTime } from '../interaction/time-words';
import { handOverAnsweredFollowUp } from './answered-calls';
import './follow-ups.css';

/** The list is asked for again this often: follow-ups fall due, and are offered to the team, as time passes. */
const refreshMs = 60_000;

const methodWords: Record<FollowUpCall['contactMethod'], string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
};

export function FollowUpList({
  desk,
  userId,
  connection,
}: {
  desk: DeskBridge;
  userId: string;
  connection: ConnectionState;
}) {
  const [items, setItems] = useState<FollowUpCall[] | null>(null);
  const [problem, setProblem] = useState<ResultError | null>(null);

  const show = useCallback((answer: Result<DayList>) => {
    if (answer.ok) {
      setItems(answer.value.items);
      setProblem(null);
    } else setProblem(answer.error);
  }, []);
  const refresh = useCallback(() => desk.followUpsToday(null).then(show), [desk, show]);

  // Asked again whenever the desk comes online: the list is the server's.
  useEffect(() => {
    if (connection !== 'online') return;
    let current = true;
    const load = () =>
      void desk.followUpsToday(null).then((answer) => {
        if (current) show(answer);
      });
    load();
    const timer = setInterval(load, refreshMs);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [desk, show, connection]);

  // A follow-up interaction's record closes its follow-up on the server: once
  // the outbox has delivered something, the list is asked for again.
  useEffect(() => {
    let lastDelivered: string | null = null;
    return desk.onStatusChanged((status) => {
      const delivered = status.outbox.lastDeliveredAt;
      if (delivered !== null && delivered !== lastDelivered) void refresh();
      lastDelivered = delivered;
    });
  }, [desk, refresh]);

  return (
    <section className="follow-ups" aria-labelledby="follow-ups-heading">
      <header className="follow-ups__header">
        <h2 id="follow-ups-heading">Follow-up calls today</h2>
        <button type="button" className="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </header>
      {problem && (
        <p role="alert" className="notice notice--problem">
          Could not load follow-ups: {problem.message}
        </p>
      )}
      {items?.length === 0 && <p className="follow-ups__none">No follow-up calls are due.</p>}
      <ol className="follow-ups__list">
        {items?.map((item) => (
          <li key={item.id}>
            <FollowUpCard
              desk={desk}
              item={item}
              own={item.bookedBy.id === userId}
              onChanged={() => void refresh()}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

type Panel = 'none' | 'rebook' | 'withdraw';

function FollowUpCard({
  desk,
  item,
  own,
  onChanged,
}: {
  desk: DeskBridge;
  item: FollowUpCall;
  own: boolean;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>('none');
  const headingId = `follow-up-${item.id}`;
  const answered = item.attempts.some((attempt) => attempt.answered);

  const ring = async () => {
    setBusy(true);
    setProblem(null);
    const dialledAt = new Date().toISOString();
    const answer = await desk.ringFollowUp({ id: item.id });
    setBusy(false);
    if (!answer.ok) return setProblem(answer.error.message);
    const { attempt, followUp } = answer.value;
    if (attempt.answered) {
      const guided = handOverAnsweredFollowUp(desk, {
        callId: attempt.callId,
        dialledAt,
        answeredAt: new Date().toISOString(),
        bookingId: followUp.id,
        firstInteractionId: followUp.interactionId,
        statusAtFirstContact: followUp.agreed?.startingPoint.status ?? null,
        actions: followUp.agreed?.actions ?? [],
      });
      if (!guided) {
        setProblem(
          'The customer answered, but the follow-up interaction could not be opened on this desk.',
        );
      }
    }
    setOutcome(
      attempt.answered
        ? 'The customer answered: the follow-up call is connected.'
        : followUp.status === 'unreached'
          ? `No answer on the last attempt.${followUp.messages.some((m) => m.kind === 'no_answer') ? ' The customer has been sent a message.' : ''}`
          : `No answer (attempt ${followUp.attempts.length} of ${maxCallAttempts}). Try again at another time of day.`,
    );
    onChanged();
  };

  return (
    <article className="follow-up" aria-labelledby={headingId}>
      <h3 id={headingId} className="follow-up__heading">
        <span className={`follow-up__due follow-up__due--${item.due}`}>
          {item.due === 'overdue' ? 'Overdue' : 'Due today'}
        </span>{' '}
        {ukDateTime(item.slotStart)}
      </h3>
      <dl className="follow-up__facts">
        <dt>Method</dt>
        <dd>
          {methodWords[item.contactMethod]}: {item.contactAddress}
        </dd>
        <dt>Window</dt>
        <dd>
          {item.window ? `${item.window.earliest} to ${item.window.latest}` : 'Not known yet'}
        </dd>
        <dt>Booked by</dt>
        <dd>
          {own ? 'You' : item.bookedBy.name}
          {item.offeredToTeam && <span className="follow-up__team"> · offered to the team</span>}
        </dd>
        <dt>Status at first contact</dt>
        <dd>
          {item.agreed?.startingPoint.status
            ? currentStatusLabels[item.agreed.startingPoint.status]
            : 'Not recorded'}
        </dd>
      </dl>
      {item.agreed && (
        <div className="follow-up__agreed">
          <h4 className="follow-up__subheading">Agreed last time</h4>
          {item.agreed.mainPoints && <p>{item.agreed.mainPoints}</p>}
          <ul>
            {item.agreed.actions.map((action) => (
              <li key={action.id}>
                {action.description}{' '}
                <span className="follow-up__owner">
                  ({action.owner === 'customer' ? 'customer' : 'adviser'})
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {item.attempts.length > 0 && (
        <h4 className="follow-up__subheading">
          Attempts ({item.attempts.length} of {maxCallAttempts})
        </h4>
      )}
      {item.attempts.length > 0 && (
        <ol className="follow-up__attempts" aria-label="Attempts">
          {item.attempts.map((attempt) => (
            <li key={attempt.id}>
              {ukDateTime(attempt.at)}, {dayPartWords[attempt.dayPart].split(' ')[0]}:{' '}
              {attempt.answered ? 'answered' : 'no answer'}
            </li>
          ))}
        </ol>
      )}
      {outcome && (
        <p role="status" className="notice">
          {outcome}
        </p>
      )}
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem}
        </p>
      )}
      <div className="follow-up__actions">
        {!answered && (
          <button
            type="button"
            className="button button--primary"
            disabled={busy || item.contactMethod === 'email'}
            onClick={() => void ring()}
          >
            Call now
          </button>
        )}
        {/* An answered follow-up is completed by its interaction, not rebooked or withdrawn. */}
        {!answered && (
          <button type="button" className="button" onClick={() => setPanel('rebook')}>
            Rebook
          </button>
        )}
        {!answered && (
          <button type="button" className="button" onClick={() => setPanel('withdraw')}>
            Withdraw
          </button>
        )}
      </div>
      {answered && !outcome && (
        <p className="follow-up__answered">
          Answered: the follow-up interaction completes it once its record reaches the server.
        </p>
      )}
      {panel === 'rebook' && (
        <RebookForm desk={desk} item={item} onDone={onChanged} onCancel={() => setPanel('none')} />
      )}
      {panel === 'withdraw' && (
        <WithdrawForm
          desk={desk}
          item={item}
          onDone={onChanged}
          onCancel={() => setPanel('none')}
        />
      )}
    </article>
  );
}

interface FormProps {
  desk: DeskBridge;
  item: FollowUpCall;
  onDone: () => void;
  onCancel: () => void;
}

function RebookForm({ desk, item, onDone, onCancel }: FormProps) {
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [consent, setConsent] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const slotStart = londonWallToIso(date, time);
    if (!slotStart) return setProblem('Enter a date and a time.');
    if (!consent) return setProblem('Rebook only once the customer agrees to the new time.');
    const answer = await desk.rebookFollowUp({ id: item.id, slotStart });
    if (!answer.ok) return setProblem(answer.error.message);
    onDone();
  };
  return (
    <form className="follow-up__form" aria-label="Rebook the follow-up" onSubmit={submit}>
      <TextField
        label="New date"
        type="date"
        value={date}
        onText={setDate}
        min={item.window?.earliest}
        max={item.window?.latest}
      />
      <TextField label="New time (UK)" type="time" value={time} onText={setTime} />
      <Checkbox label="Customer agrees to the new time" checked={consent} onChange={setConsent} />
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem}
        </p>
      )}
      <button type="submit" className="button button--primary">
        Rebook
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

function WithdrawForm({ desk, item, onDone, onCancel }: FormProps) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await desk.withdrawFollowUp({ id: item.id, reason });
    if (!answer.ok) return setProblem(answer.error.message);
    onDone();
  };
  return (
    <form className="follow-up__form" aria-label="Withdraw the follow-up" onSubmit={submit}>
      <TextField label="Why it is withdrawn" value={reason} onText={setReason} />
      {problem && (
        <p role="alert" className="notice notice--problem">
          {problem}
        </p>
      )}
      <button type="submit" className="button button--primary">
        Withdraw follow-up
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
