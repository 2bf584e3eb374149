// The status bar: the desk's connection to the helpline server and its outbox,
// updated live. A polite live region, so changes are announced without interrupting.
import type { DeskStatus } from '../../../shared/ipc/contract';
import type { DeskLinkState } from '../desk/socket-client';
import { connectionWords, describeOutbox } from './status-words';

interface StatusBarProps {
  status: DeskStatus;
  link: DeskLinkState;
  now: Date;
}

export function StatusBar({ status, link, now }: StatusBarProps) {
  const outbox = describeOutbox(status.outbox, now);
  return (
    <footer className="status-bar">
      <section
        role="status"
        aria-label="Desk status"
        className="status-bar__region"
        data-connection={status.connection}
        data-desk-link={link}
      >
        <p className={`status-bar__connection status-bar__connection--${status.connection}`}>
          <span className="status-bar__dot" aria-hidden="true" />
          {connectionWords[status.connection]}
        </p>
        {status.connectionProblem && (
          <p className="status-bar__item status-bar__item--problem">{status.connectionProblem}</p>
        )}
        {link !== 'open' && (
          <p className="status-bar__item status-bar__item--problem">
            Lost touch with the desk services: reconnecting
          </p>
        )}
        <p className="status-bar__item">{outbox.waiting}</p>
        {outbox.lastDelivered && <p className="status-bar__item">{outbox.lastDelivered}</p>}
        {outbox.failed && (
          <p className="status-bar__item status-bar__item--problem">{outbox.failed}</p>
        )}
        {outbox.retry && <p className="status-bar__item status-bar__item--quiet">{outbox.retry}</p>}
      </section>
    </footer>
  );
}
