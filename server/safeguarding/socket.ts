// Safeguarding on the desks' sockets: a concern raised on any desk goes at once
// to every connected team leader's desk (a room per role), the concerns still
// open are sent again to a team leader's desk as it connects, and only a team
// leader acknowledges one, saying what was done, which every team leader's
// desk then hears, and so does the adviser who raised it: live, or as their
// desk next connects until it says it has shown them. Every desk is sent the
// service's immediate-risk protocol as it connects. Who watches and who
// acknowledges is the permission policy's to say.
import { fail, ok, parseInput } from '../../shared/result';
import {
  defaultSafeguardingProtocol,
  safeguardingAcknowledgeSchema,
  safeguardingRaiseSchema,
  safeguardingToldSchema,
  type SafeguardingProtocol,
} from '../../shared/wire/safeguarding';
import { authorize } from '../permissions/policy';
import type { DeskServer, DeskSocket, GuardedHandler } from '../socket/desks';
import { StorageConflictError } from '../storage/types';
import type { SafeguardingStore } from './types';
import type { LogLine } from '../logging';

/** The room of every desk allowed to watch for safeguarding alerts (the policy's `safeguarding.watch`). */
const watchersRoom = 'safeguarding:watchers';

/** The refusal of a concern about a call or chat the server does not know as the adviser's. */
export const unknownContact = {
  code: 'not_found',
  message: 'There is no call or chat of yours with that reference to raise a concern about',
} as const;

export interface SafeguardingSocketDependencies {
  storage: { safeguarding: SafeguardingStore };
  /** The adviser who took a call or chat, by its id; null when the server knows none. */
  adviserOfContact(contactRef: string): Promise<string | null>;
  now: () => number;
  log: LogLine;
  /** Told after a first acknowledgement (the live board's open count falls). */
  acknowledged?(): void;
  /** The room every desk of one staff member joins (server/socket/desks.ts). */
  staffRoom(staffId: string): string;
  /** The operator's immediate-risk protocol (server/safeguarding/protocol.ts); the default otherwise. */
  safeguardingProtocol?: SafeguardingProtocol;
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
  const leaders = watchersRoom;
  const nowIso = () => new Date(deps.now()).toISOString();

  // Live or from the outbox, a concern is announced once, after it is stored.
  store.onRaised((alert) => {
    deps.log(`safeguarding concern ${alert.concernId} raised by ${alert.adviser.id}`);
    io.to(leaders).emit('safeguarding:alert', alert);
  });

  return {
    connected(socket, guarded) {
      const { user } = socket.data;
      // What a desk is sent on connect (an adviser's acknowledged concerns, a
      // team leader's open ones) goes before any of its safeguarding events
      // is answered, as it did when reading them was synchronous: a desk that
      // asks anything has had them by the answer.
      let caughtUp: Promise<void> = Promise.resolve();
      const problem = (what: string) => (error: unknown) =>
        deps.log(
          `${what} for desk ${socket.data.deskId} could not be read: ${
            error instanceof Error ? error.message : String(error)
          }`,
          'error',
        );
      // Every desk: an adviser needs it the moment they say there is immediate
      // risk, and the desk keeps it for when the server cannot be reached.
      socket.emit(
        'safeguarding:protocol',
        deps.safeguardingProtocol ?? defaultSafeguardingProtocol,
      );
      if (authorize(user, 'safeguarding.raise').ok) {
        // Acknowledgements made while this adviser was away; each is sent
        // again on every connect until a desk of theirs says it was shown.
        caughtUp = store.untoldOutcomes(user.id).then((outcomes) => {
          for (const outcome of outcomes) socket.emit('safeguarding:outcome', outcome);
        }, problem('acknowledged safeguarding concerns'));
      }
      if (authorize(user, 'safeguarding.watch').ok) {
        // Joined before the open ones are read, so a concern raised meanwhile
        // is sent twice (the desk keeps each once by its id) rather than missed.
        void socket.join(leaders);
        const outcomesSent = caughtUp;
        const openSent = store.listOpen().then((open) => {
          for (const alert of open) socket.emit('safeguarding:alert', alert);
        }, problem('open safeguarding concerns'));
        caughtUp = Promise.all([outcomesSent, openSent]).then(() => undefined);
      }

      socket.on(
        'safeguarding:raise',
        guarded('safeguarding:raise', async (input, reply) => {
          await caughtUp;
          const raise = parseInput(safeguardingRaiseSchema, input, 'Safeguarding concern');
          if (!raise.ok) return reply(raise);
          if ((await deps.adviserOfContact(raise.value.contactRef)) !== user.id) {
            return reply(fail(unknownContact.code, unknownContact.message));
          }
          try {
            const status = await store.raise(raise.value, user.id, nowIso(), 'live');
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
        guarded('safeguarding:acknowledge', async (input, reply) => {
          await caughtUp;
          // A desk from before notes were asked for sends the id alone: say why
          // it is refused, rather than that a field is missing.
          if (typeof input === 'object' && input !== null && !('note' in input)) {
            return reply(
              fail(
                'invalid_input',
                'This desk needs updating to acknowledge a safeguarding concern: the acknowledgement now records what was done',
              ),
            );
          }
          const acknowledge = parseInput(
            safeguardingAcknowledgeSchema,
            input,
            'Safeguarding acknowledgement',
          );
          if (!acknowledge.ok) return reply(acknowledge);
          const outcome = await store.acknowledge(acknowledge.value, user.id, nowIso());
          if (outcome.status === 'not_found') {
            return reply(fail('not_found', 'There is no such safeguarding concern'));
          }
          // A repeat is answered with the first acknowledgement; the others already heard of it.
          if (outcome.status === 'acknowledged') {
            io.to(leaders).emit('safeguarding:acknowledged', outcome.acknowledged);
            // Every desk the adviser has open; one that is offline is told on connect.
            io.to(deps.staffRoom(outcome.concern.adviser.id)).emit('safeguarding:outcome', {
              concern: outcome.concern,
              acknowledged: outcome.acknowledged,
            });
            deps.acknowledged?.();
          }
          reply(ok(outcome.acknowledged));
        }),
      );

      socket.on(
        'safeguarding:told',
        guarded('safeguarding:told', async (input, reply) => {
          const told = parseInput(safeguardingToldSchema, input, 'Safeguarding concern');
          if (!told.ok) return reply(told);
          // Only the raising adviser's own concerns; a repeat or another's changes nothing.
          await store.adviserTold(told.value.concernId, user.id, nowIso());
          reply(ok(null));
        }),
      );
    },
  };
}
