// Safeguarding on the desks' sockets: a concern raised on any desk goes at once
// to every connected team leader's desk (a room per role), the concerns still
// open are sent again to a team leader's desk as it connects, and only a team
// leader acknowledges one, which every team leader's desk then hears.
import type { Socket } from 'socket.io';
import type { Role } from '../../shared/domain/people';
import { fail, ok, parseInput } from '../../shared/result';
import {
  safeguardingConcernRefSchema,
  safeguardingRaiseSchema,
} from '../../shared/wire/safeguarding';
import type { DeskToServerEvents, ServerToDeskEvents } from '../../shared/wire/socket';
import type { DeskServer, DeskSocketData } from '../socket/desks';
import { StorageConflictError } from '../storage/types';
import type { SafeguardingStore } from './types';
import type { Reply } from '../socket/acks';

type DeskSocket = Socket<
  DeskToServerEvents,
  ServerToDeskEvents,
  Record<string, never>,
  DeskSocketData
>;
/** The desk server's wrapper: answers an envelope whatever the handler does, and logs a failure. */
export type GuardedHandler = (
  name: string,
  handle: (input: unknown, reply: Reply) => void,
) => (input: unknown, ack: unknown) => void;

/** The room every desk signed in with a role joins. */
export const roleRoom = (role: Role) => `role:${role}`;

export interface SafeguardingSocketDependencies {
  storage: { safeguarding: SafeguardingStore };
  now: () => number;
  log(line: string): void;
}

export interface SafeguardingSockets {
  /** Joins the desk's role rooms, catches a team leader up, and takes its safeguarding events. */
  connected(socket: DeskSocket, guarded: GuardedHandler): void;
}

export function attachSafeguarding(
  io: DeskServer,
  deps: SafeguardingSocketDependencies,
): SafeguardingSockets {
  const store = deps.storage.safeguarding;
  const leaders = roleRoom('team_leader');
  const nowIso = () => new Date(deps.now()).toISOString();

  // Live or from the outbox, a concern is announced once, after it is stored.
  store.onRaised((alert) => {
    deps.log(`safeguarding concern ${alert.concernId} raised by ${alert.adviser.id}`);
    io.to(leaders).emit('safeguarding:alert', alert);
  });

  return {
    connected(socket, guarded) {
      const { user } = socket.data;
      void socket.join(user.roles.map(roleRoom));
      if (user.roles.includes('team_leader')) {
        for (const alert of store.listOpen()) socket.emit('safeguarding:alert', alert);
      }

      socket.on(
        'safeguarding:raise',
        guarded('safeguarding:raise', (input, reply) => {
          const raise = parseInput(safeguardingRaiseSchema, input, 'Safeguarding concern');
          if (!raise.ok) return reply(raise);
          if (!user.roles.includes('adviser')) {
            return reply(
              fail('forbidden', 'Only advisers raise safeguarding concerns from an interaction'),
            );
          }
          try {
            const status = store.raise(raise.value, user.id, nowIso(), 'live');
            reply(ok({ concernId: raise.value.concernId, status }));
          } catch (error) {
            if (error instanceof StorageConflictError)
              return reply(fail('conflict', error.message));
            throw error;
          }
        }),
      );

      socket.on(
        'safeguarding:acknowledge',
        guarded('safeguarding:acknowledge', (input, reply) => {
          const ref = parseInput(safeguardingConcernRefSchema, input, 'Safeguarding concern');
          if (!ref.ok) return reply(ref);
          if (!user.roles.includes('team_leader')) {
            return reply(
              fail('forbidden', 'Only a team leader acknowledges a safeguarding concern'),
            );
          }
          const outcome = store.acknowledge(ref.value.concernId, user.id, nowIso());
          if (outcome.status === 'not_found') {
            return reply(fail('not_found', 'There is no such safeguarding concern'));
          }
          // A repeat is answered with the first acknowledgement; the others already heard of it.
          if (outcome.status === 'acknowledged') {
            io.to(leaders).emit('safeguarding:acknowledged', outcome.acknowledged);
          }
          reply(ok(outcome.acknowledged));
        }),
      );
    },
  };
}
