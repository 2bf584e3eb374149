// How long the call or chat has run and how long a call has been on hold, from
// the times in the context (so a reload shows the same figures) and a ticking clock.
// The clock's label ("Call time", "Chat time") comes from the contact's words.
import { useEffect, useState } from 'react';
import type { CallTimeline } from '../../../shared/interaction/record';
import { duration } from './time-words';

function heldFor(call: CallTimeline, now: number): number {
  return call.holds.reduce(
    (total, hold) =>
      total + (Date.parse(hold.to ?? new Date(now).toISOString()) - Date.parse(hold.from)),
    0,
  );
}

export function CallTimers({ call, label }: { call: CallTimeline; label: string }) {
  const [now, setNow] = useState(() => Date.now());
  const running = call.endedAt === null;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (!call.connectedAt) return null;
  const until = call.endedAt ? Date.parse(call.endedAt) : now;
  return (
    <p className="call-timers">
      <span>
        {label} <time>{duration(until - Date.parse(call.connectedAt))}</time>
      </span>{' '}
      {call.holds.length > 0 && (
        <span>
          On hold <time>{duration(heldFor(call, until))}</time>
        </span>
      )}
    </p>
  );
}
