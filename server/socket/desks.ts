// Desks on socket.io: the handshake proves who is signing in (a short-lived
// access token tied to a live session) and from which desk; every event is
// bounded (./acks.ts), allowed by the permission policy, parsed, and answered
// with a result envelope.
import type { Server, Socket } from 'socket.io';
import type { StaffMember } from '../../shared/domain/people';
import { fail, ok, parseInput } from '../../shared/result';
import {
  callRefSchema,
  deskHandshakeSchema,
  deskProtocolVersion,
  deskTooNewError,
  type DeskToServerEvents,
  type ServerToDeskEvents,
} from '../../shared/wire/socket';
import type { StaffAuth } from '../auth/staff-auth';
import type { RoutingServerEvents } from '../chat/routing-link';
import type { ChatSockets } from '../chat/sockets';
import type { IngestContext, IngestRegistry } from '../ingest/registry';
import { outboxBatchSchema } from '../../shared/wire/outbox';
import type { LiveBoardSockets } from '../dashboard/live';
import { attachSafeguarding } from '../safeguarding/socket';
import type { SafeguardingProtocol } from '../../shared/wire/safeguarding';
import type { ServerStorage } from '../storage/types';
import type { TelephonyPlatform } from '../telephony/types';
import { authorize } from '../permissions/policy';
import { refusedTo, replyTo, type Reply } from './acks';
import { deskEventAccess, type DeskEventName } from './event-access';
import type { LogLine } from '../logging';

export interface DeskSocketData {
  user: StaffMember;
  deskId: string;
  /** The session the desk signed in with; every event checks it is still live. */
  sessionId: string;
  /** When that session ends, milliseconds since the epoch: the socket is closed then. */
  sessionEndsAt: number;
}

export type DeskServer = Server<
  DeskToServerEvents,
  ServerToDeskEvents,
  RoutingServerEvents,
  DeskSocketData
>;
export type DeskSocket = Socket<
  DeskToServerEvents,
  ServerToDeskEvents,
  RoutingServerEvents,
  DeskSocketData
>;

export interface DeskSocketDependencies {
  auth: StaffAuth;
  storage: ServerStorage;
  ingest: IngestRegistry;
  telephony: TelephonyPlatform;
  now: () => number;
  log: LogLine;
  /** Live chat and routing (server/chat/sockets.ts); left out where only calls are wanted. */
  chat?: ChatSockets;
  /** The team leaders' live board (server/dashboard/live.ts); it needs routing, so only with chat. */
  liveBoard?: LiveBoardSockets;
  /** The immediate-risk protocol desks show (server/safeguarding/protocol.ts); the default otherwise. */
  safeguardingProtocol?: SafeguardingProtocol;
}

/** The room every desk signed in as this staff member joins, so calls ring on all of them. */
export const staffRoom = (staffId: string) => `staff:${staffId}`;

/** The room of every socket opened with one session, so signing out closes them all. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * The desk server's wrapper: checks the session and the policy, answers an
 * envelope whatever the handler does. A handler may be async: what it rejects
 * with is logged and answered as `internal`, never left unhandled.
 *
 * `writeChecksSession`: the handler's write itself refuses a session that has
 * ended (a chat message or receipt names it in its statement), so the guard
 * does not read the session first while the socket is connected, the session
 * has not expired and the staff member's roles were read within
 * `sessionRereadMs` (decision 0041). A refusal from such a handler is answered as
 * `unauthenticated` (and the socket closed) when the session turns out to
 * have ended.
 */
export type GuardedHandler = (
  name: DeskEventName,
  handle: (input: unknown, reply: Reply) => void | Promise<void>,
  options?: { writeChecksSession?: boolean },
) => (input: unknown, ack: unknown) => void;

/**
 * How long the roles read with a desk's session are used without reading them again,
 * for events whose write checks the session itself. Roles change only in the database;
 * signing out stops such events at once whatever this is.
 */
export const sessionRereadMs = 10_000;

const describeError = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

export function attachDeskSockets(io: DeskServer, deps: DeskSocketDependencies): void {
  io.use((socket, next) => {
    const handshake = deskHandshakeSchema.safeParse(socket.handshake.auth);
    if (!handshake.success) return next(new Error('unauthenticated'));
    if (handshake.data.protocol > deskProtocolVersion) {
      deps.log(
        `desk ${handshake.data.deskId} refused: it speaks protocol ${handshake.data.protocol}, this server ${deskProtocolVersion}`,
      );
      return next(new Error(deskTooNewError));
    }
    deps.auth.authenticateAccess(handshake.data.token).then(
      (access) => {
        if (!access) return next(new Error('unauthenticated'));
        socket.data.user = access.staff;
        socket.data.deskId = handshake.data.deskId;
        socket.data.sessionId = access.sessionId;
        socket.data.sessionEndsAt = access.expiresAt;
        next();
      },
      (error: unknown) => {
        deps.log(`desk handshake failed: ${describeError(error)}`, 'warn');
        next(new Error('unavailable'));
      },
    );
  });

  // Signing out closes that session's sockets at once, on every desk.
  deps.auth.onSessionEnded((sessionId) => io.in(sessionRoom(sessionId)).disconnectSockets(true));

  deps.telephony.on('offered', (adviserId, offer) =>
    io.to(staffRoom(adviserId)).emit('call:offered', offer),
  );
  // An adviser's own hang-up is answered through the acknowledgement; the platform's are pushed.
  deps.telephony.on('ended', (adviserId, ended) => {
    if (ended.endedBy !== 'adviser') io.to(staffRoom(adviserId)).emit('call:ended', ended);
  });

  const adviserOfContact = async (contactRef: string): Promise<string | null> =>
    (await deps.storage.calls.find(contactRef))?.adviserId ??
    (await deps.storage.chats.find(contactRef))?.adviserId ??
    null;
  const safeguarding = attachSafeguarding(io, {
    ...deps,
    adviserOfContact,
    staffRoom,
    acknowledged: () => deps.liveBoard?.safeguardingChanged(),
  });

  io.on('connection', (socket: DeskSocket) => {
    const { user, deskId } = socket.data;
    void socket.join(staffRoom(user.id));
    deps.log(`desk ${deskId} connected as ${user.username}`);

    void socket.join(sessionRoom(socket.data.sessionId));
    // A session that expires while its socket is open ends there too.
    const expiry = setTimeout(
      () => socket.disconnect(true),
      Math.max(0, Math.min(socket.data.sessionEndsAt - deps.now(), 2 ** 31 - 1)),
    );
    socket.on('disconnect', () => clearTimeout(expiry));

    // Every event: the session is still live (signed out elsewhere, or the
    // account changed, ends it here; for a chat message or receipt, checked by
    // its own write), the policy allows the event, and a handler that throws
    // still answers. This desk's events are handled one
    // at a time, in the order they arrived, as they were while handlers were
    // synchronous: a message is kept before the chat's end that follows it,
    // and a resend finds its first try applied.
    let handled: Promise<void> = Promise.resolve();
    /** When the session and the staff member's roles were last read (the handshake read them). */
    let sessionReadAt = deps.now();
    const ended = (reply: Reply) => {
      reply(fail('unauthenticated', 'Sign in again: the session has ended'));
      socket.disconnect(true);
    };
    /** A refusal from a handler whose write checks the session: was it the session? */
    const sessionChecked =
      (reply: Reply): Reply =>
      (result) => {
        if (result.ok) return reply(result);
        deps.auth.sessionAccess(socket.data.sessionId).then(
          (access) => (access ? reply(result) : ended(reply)),
          () => reply(result),
        );
      };
    const guarded: GuardedHandler = (name, handle, options) => (input, ack) => {
      const reply = replyTo(ack, refusedTo(socket, name));
      const run = async () => {
        const now = deps.now();
        // A disconnected socket (signed out, on this process or another) reads it again.
        const trusted =
          options?.writeChecksSession === true &&
          socket.connected &&
          now < socket.data.sessionEndsAt &&
          now - sessionReadAt < sessionRereadMs;
        if (!trusted) {
          const access = await deps.auth.sessionAccess(socket.data.sessionId);
          if (!access) return ended(reply);
          socket.data.user = access.staff;
          sessionReadAt = now;
        }
        const needed = deskEventAccess[name];
        if (needed !== 'outbox') {
          const allowed = authorize(socket.data.user, needed);
          if (!allowed.ok) return reply(allowed);
        }
        await handle(input, trusted ? sessionChecked(reply) : reply);
      };
      handled = handled.then(() =>
        run().catch((error: unknown) => {
          deps.log(`${name} from desk ${deskId} failed: ${describeError(error)}`, 'error');
          reply(fail('internal', 'Something went wrong on the central server'));
        }),
      );
    };

    const ingestContext = (): IngestContext => ({
      user: socket.data.user,
      deskId,
      receivedAt: new Date(deps.now()).toISOString(),
      adviserOfContact,
      log: deps.log,
    });

    socket.on(
      'outbox:deliver',
      guarded('outbox:deliver', async (item, reply) => {
        reply(await deps.ingest.ingest(deps.storage.ingest, item, ingestContext()));
      }),
    );

    socket.on(
      'outbox:deliverBatch',
      guarded('outbox:deliverBatch', async (input, reply) => {
        const batch = parseInput(outboxBatchSchema, input, 'Outbox batch');
        if (!batch.ok) return reply(batch);
        reply(ok(await deps.ingest.ingestBatch(deps.storage.ingest, batch.value, ingestContext())));
      }),
    );

    socket.on(
      'call:answer',
      guarded('call:answer', async (input, reply) => {
        const ref = parseInput(callRefSchema, input, 'Call');
        if (!ref.ok) return reply(ref);
        // A call from the queue is handed over by routing first (server/chat/sockets.ts).
        const routed = await deps.chat?.answerQueuedCall(ref.value.callId, user.id);
        if (routed && !routed.ok) return reply(routed);
        reply(await deps.telephony.answer(ref.value.callId, user.id));
      }),
    );

    socket.on(
      'call:decline',
      guarded('call:decline', async (input, reply) => {
        const ref = parseInput(callRefSchema, input, 'Call');
        if (!ref.ok) return reply(ref);
        const { callId } = ref.value;
        // A call from the queue goes back to routing, which offers it to the next adviser.
        const routed = await deps.chat?.declineQueuedCall(callId, user.id);
        if (routed) return reply(routed);
        // A call rung straight to this adviser stops ringing here and joins the call
        // queue, so the caller is not turned away: it waits from when it first rang,
        // and this adviser is passed over for it as for any declined offer.
        const declined = await deps.telephony.decline(callId, user.id);
        if (!declined.ok) return reply(declined);
        // The adviser's other desks stop ringing too; this one has its answer.
        socket.to(staffRoom(user.id)).emit('call:ended', declined.value.ended);
        await deps.chat?.callQueue.queueCall(declined.value.cli, {
          ringingSince: Date.parse(declined.value.ringingSince),
          declinedBy: user.id,
        });
        reply(ok(null));
      }),
    );

    socket.on(
      'call:end',
      guarded('call:end', async (input, reply) => {
        const ref = parseInput(callRefSchema, input, 'Call');
        if (!ref.ok) return reply(ref);
        const ended = await deps.telephony.end(ref.value.callId, 'adviser', user.id);
        if (!ended.ok) return reply(ended);
        // The adviser's other desks learn of it; this one has its answer.
        socket.to(staffRoom(user.id)).emit('call:ended', ended.value);
        reply({ ok: true, value: null });
      }),
    );

    safeguarding.connected(socket, guarded);
    deps.chat?.connected(socket, guarded);
    if (deps.chat) deps.liveBoard?.connected(socket, deps.chat.routing);

    socket.on('disconnect', (reason) =>
      deps.log(`desk ${deskId} (${user.username}) disconnected: ${reason}`),
    );
  });
}
