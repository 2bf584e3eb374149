// What the main area shows between calls: that the desk is waiting, and whether
// calls can reach the adviser right now.
import type { ConnectionState } from '../../../shared/ipc/contract';
import { focusHome } from './focus-rescue';
import { availability } from './status-words';

export function WaitingForCall({ connection }: { connection: ConnectionState }) {
  const now = availability(connection);
  return (
    <section className="waiting" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading" {...focusHome}>
        Waiting for a call
      </h2>
      <p className={`waiting__availability waiting__availability--${now.available ? 'yes' : 'no'}`}>
        {now.label}
      </p>
      <p className="waiting__explanation">{now.explanation}</p>
    </section>
  );
}
