// What the main area shows between calls: that the desk is waiting, and whether
// calls can reach the adviser right now.
import type { ConnectionState, DeskBridge } from '../../../shared/ipc/contract';
import { useChatDesk } from '../chat/hooks';
import { focusHome } from './focus-rescue';
import { availability } from './status-words';

export function WaitingForCall({
  desk,
  connection,
}: {
  desk: DeskBridge;
  connection: ConnectionState;
}) {
  // The availability routing holds, as the header's select shows it.
  const { presence } = useChatDesk(desk);
  const now = availability(connection, presence?.availability ?? null);
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
