// What the desk's integration tests need from the central server: a real one
// on a chosen data folder and port, the demo adviser's credentials, and counts
// of what its storage holds for a set of completed interactions.
import { startServer, type RunningServer } from '../../server/app';
import { demoPassword } from '../../server/demo-accounts';
import type { DeskServices } from '../../electron/services/desk';
import type {
  CompleteInteraction,
  DeskEventName,
  DeskEventPayload,
} from '../../shared/ipc/contract';

export type CentralServer = RunningServer;

export const demoAdviser = { username: 'demo-adviser', password: demoPassword };

/** Starts the real server; `port` lets a test bring it back on the address desks already know. */
export function startCentralServer(dataDir: string, port = 0): Promise<CentralServer> {
  return startServer({ dataDir, port, host: '127.0.0.1' });
}

export interface HeldOnServer {
  /** Rows for the given interactions: `total` counts every row, `distinct` each id once. */
  interactions: { distinct: number; total: number };
  followUps: { distinct: number; total: number };
  /** Outbox items the server has recorded as applied for a desk. */
  appliedForDesk(deskId: string): Promise<number>;
}

export async function countOnServer(
  server: CentralServer,
  completions: CompleteInteraction[],
): Promise<HeldOnServer> {
  const interactionIds = new Set(completions.map(({ record }) => record.id));
  const bookingIds = new Set(
    completions.flatMap(({ followUp }) => (followUp ? [followUp.id] : [])),
  );
  const everything = { adviserId: null, limit: 1_000_000 };
  const interactions = (await server.storage.interactions.list(everything)).filter((record) =>
    interactionIds.has(record.id),
  );
  const followUps = (await server.storage.followUps.list(everything)).filter((booking) =>
    bookingIds.has(booking.id),
  );
  return {
    interactions: {
      distinct: new Set(interactions.map(({ id }) => id)).size,
      total: interactions.length,
    },
    followUps: { distinct: new Set(followUps.map(({ id }) => id)).size, total: followUps.length },
    appliedForDesk: (deskId) => server.storage.ingest.countApplied(deskId),
  };
}

/** Resolves with the desk's next pushed event of one kind that satisfies `test`. */
export function nextEvent<K extends DeskEventName>(
  desk: DeskServices,
  name: K,
  test: (payload: DeskEventPayload<K>) => boolean = () => true,
): Promise<DeskEventPayload<K>> {
  return new Promise((resolve) => {
    const stop = desk.onEvent((...event) => {
      if (event[0] !== name) return;
      const payload = event[1] as DeskEventPayload<K>;
      if (!test(payload)) return;
      stop();
      resolve(payload);
    });
  });
}
