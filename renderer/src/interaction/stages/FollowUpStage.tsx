// The follow-up offer: book a slot inside the customer's window and service hours, or record a decline.
import { useState, type FormEvent } from 'react';
import { followUpContactProblem } from '../../../../shared/domain/contact-address';
import { newId } from '../../../../shared/domain/ids';
import { contactTime } from '../../../../shared/interaction/machine';
import { followUpWindow } from '../../../../shared/interaction/follow-up';
import { calendarDayFormat, londonWallToIso } from '../../../../shared/time/london';
import { clockWords, defaultServiceHours } from '../../../../shared/time/service-hours';
import type { ContactMethod } from '../../../../shared/interaction/record';
import { useFollowUpCapacity, useServiceHours } from '../../follow-ups/capacity';
import { Checkbox, RadioGroup, TextField } from '../controls';
import { callerLineWords } from '../caller-line';
import { ukDateTime } from '../time-words';
import type { StageProps } from './types';

const methodLabels: Record<ContactMethod, string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
};

export function FollowUpStage({ context, send, callerLine }: StageProps) {
  const { followUp, followUpRefusal } = context;
  const contactAt = contactTime(context);
  const window = contactAt ? followUpWindow(contactAt, context.caller.age) : null;
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [method, setMethod] = useState<ContactMethod>('phone');
  // The number they called from, to confirm with them or change.
  const [address, setAddress] = useState(() => (callerLine ? callerLineWords(callerLine) : ''));
  const [consent, setConsent] = useState(false);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const capacity = useFollowUpCapacity(window?.earliest ?? null, window?.latest ?? null);
  const serviceHours = useServiceHours();
  const hours = serviceHours ?? defaultServiceHours;

  if (followUp.decision !== 'not_offered') {
    return (
      <>
        <p>
          {followUp.decision === 'accepted'
            ? `Follow-up booked: ${methodLabels[followUp.contactMethod]} on ${ukDateTime(followUp.slotStart)} (UK time), to ${followUp.contactAddress}.`
            : 'The customer declined a follow-up.'}
        </p>
        <button type="button" className="button" onClick={() => send({ type: 'REOPEN_FOLLOW_UP' })}>
          Change follow-up
        </button>
      </>
    );
  }

  const book = (event: FormEvent) => {
    event.preventDefault();
    const slotStart = londonWallToIso(date, time);
    if (!slotStart) return setFormProblem('Enter a date and a time for the follow-up.');
    if (address.trim().length < 3)
      return setFormProblem('Enter the number or address to contact them on.');
    // One mailbox, one UK mobile for a text, or one UK number for a call: the
    // same parser as transcript addresses, so a list or a header never gets in.
    const why = followUpContactProblem(method, address.trim());
    if (why) return setFormProblem(why);
    setFormProblem(null);
    send({
      type: 'BOOK_FOLLOW_UP',
      bookingId: newId(),
      slotStart,
      contactMethod: method,
      contactAddress: address.trim(),
      consentRecorded: consent,
      // The hours the slot is checked against, journalled with it, so a replay checks the same.
      ...(serviceHours ? { serviceHours } : {}),
    });
  };

  return (
    <>
      {window && (
        <p>
          Offer a call between {window.earliest} and {window.latest} ({window.weeks} weeks after
          today&apos;s contact), from {clockWords(hours.opensAt)} and before{' '}
          {clockWords(hours.closesAt)} UK time, any day.
        </p>
      )}
      {capacity && <CapacityByDay days={capacity} chosen={date} onChoose={setDate} />}
      <form onSubmit={book} aria-label="Book a follow-up">
        <TextField
          label="Follow-up date"
          type="date"
          value={date}
          onText={setDate}
          min={window?.earliest}
          max={window?.latest}
        />
        <TextField
          label="Follow-up time (UK)"
          type="time"
          value={time}
          onText={setTime}
          min="08:00"
          max="21:59"
        />
        <RadioGroup
          legend="Contact method"
          options={['phone', 'text', 'email'] as const}
          labels={methodLabels}
          value={method}
          onChange={setMethod}
        />
        <TextField label="Number or email address" value={address} onText={setAddress} />
        <Checkbox
          label="Customer consents to be contacted for the follow-up"
          checked={consent}
          onChange={setConsent}
        />
        {(formProblem ?? followUpRefusal) && (
          <p role="alert" className="notice notice--problem">
            {formProblem ?? followUpRefusal?.reason}
          </p>
        )}
        <button type="submit" className="button button--primary">
          Book follow-up
        </button>
      </form>
      <button type="button" className="button" onClick={() => send({ type: 'DECLINE_FOLLOW_UP' })}>
        Customer declined a follow-up
      </button>
    </>
  );
}

const weekdayWords = calendarDayFormat({ weekday: 'short' });
const dateWords = calendarDayFormat({ day: 'numeric', month: 'short' });

/**
 * Follow-ups already booked on each day of the window, so bookings spread
 * rather than pile on one day; choosing a day fills in the date.
 */
function CapacityByDay({
  days,
  chosen,
  onChoose,
}: {
  days: { date: string; booked: number }[];
  chosen: string;
  onChoose: (date: string) => void;
}) {
  const most = Math.max(1, ...days.map((day) => day.booked));
  return (
    <div className="capacity">
      <p id="capacity-heading" className="capacity__heading">
        Follow-ups already booked on each day of the window
      </p>
      <ul className="capacity__days" aria-labelledby="capacity-heading">
        {days.map((day) => (
          <li key={day.date}>
            <button
              type="button"
              className="capacity__day"
              aria-pressed={chosen === day.date}
              onClick={() => onChoose(day.date)}
            >
              <span className="capacity__date">
                {weekdayWords(day.date)}
                <br />
                {dateWords(day.date)}
              </span>
              <span
                className="capacity__bar"
                style={{ height: `${Math.round((day.booked / most) * 100)}%` }}
                aria-hidden="true"
              />
              <span className="capacity__count">
                {day.booked}
                <span className="visually-hidden"> booked</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
