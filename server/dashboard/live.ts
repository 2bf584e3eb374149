// The live board on the desks' sockets: contacts waiting by channel, the
// longest waits, advisers by state and open safeguarding concerns, pushed to
// every team leader's desk (a room, as safeguarding alerts are) whenever
// routing's figures change or a concern is raised or acknowledged, and sent
// whole to a team leader's desk as it connects.
//
// Routing owns live state (decision 0014): the board's routing part comes from
// the owner's own push after each change (coalesced there to one every 250 ms),
// or, for a desk connecting to another process, from a routed call. The room
// broadcast goes through the shared adapter, so every process's team leaders
// hear the owner's push.
import type { BoardAdviserState, LiveBoard } from '../../shared/wire/dashboard';
import type { QueueStats } from '../../shared/wire/chat';
import type { RoutingLink } from '../chat/routing-link';
import { authorize } from '../permissions/policy';
import type { SafeguardingStore } from '../safeguarding/types';
import type { DeskServer, DeskSocket } from '../socket/desks';

const watchersRoom = 'dashboard:watchers';

type AdviserStates = Record<BoardAdviserState, number>;

export interface LiveBoardDependencies {
  safeguarding: Pick<SafeguardingStore, 'listOpen' | 'onRaised'>;
  log(line: string): void;
}

export interface LiveBoardSockets {
  /** From the routing owner's coalesced push: routing's half of the board changed. */
  routingChanged(states: AdviserStates, stats: QueueStats): void;
  /** A concern was acknowledged: the open count fell. */
  safeguardingChanged(): void;
  /** Joins a team leader's desk to the board's room and sends it the board as it stands. */
  connected(socket: DeskSocket, routing: RoutingLink): void;
}

export function boardOf(states: AdviserStates, stats: QueueStats, openConcerns: number): LiveBoard {
  return {
    waiting: { voice: stats.callsWaiting, webchat: stats.chatsWaiting },
    longestWaitSeconds: {
      voice: stats.longestCallWaitSeconds,
      webchat: stats.longestChatWaitSeconds,
    },
    advisers: states,
    openSafeguardingConcerns: openConcerns,
    at: stats.at,
  };
}

export function attachLiveBoard(io: DeskServer, deps: LiveBoardDependencies): LiveBoardSockets {
  // What routing last said, on the process that routes: a safeguarding change
  // repeats it with the new count rather than asking routing again.
  let lastRouting: { states: AdviserStates; stats: QueueStats } | null = null;

  const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
  const openCount = async () => (await deps.safeguarding.listOpen()).length;

  const push = () => {
    const routing = lastRouting;
    if (!routing) return;
    openCount().then(
      (open) =>
        io.to(watchersRoom).emit('dashboard:board', boardOf(routing.states, routing.stats, open)),
      (error: unknown) => deps.log(`live board could not be pushed: ${describe(error)}`),
    );
  };

  deps.safeguarding.onRaised(() => push());

  return {
    routingChanged(states, stats) {
      lastRouting = { states, stats };
      push();
    },
    safeguardingChanged: push,
    connected(socket, routing) {
      if (!authorize(socket.data.user, 'dashboard.read').ok) return;
      // Joined before the board is read, so a change meanwhile arrives after it rather than being missed.
      void socket.join(watchersRoom);
      void Promise.all([routing.call('liveRouting'), openCount()]).then(
        ([live, open]) => socket.emit('dashboard:board', boardOf(live.advisers, live.stats, open)),
        (error: unknown) =>
          deps.log(
            `live board for desk ${socket.data.deskId} could not be read: ${describe(error)}`,
          ),
      );
    },
  };
}
