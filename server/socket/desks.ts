// Desks on socket.io: the handshake proves who is signing in (a short-lived
// access token) and from which desk; every event is size-checked, parsed and
// answered with a result envelope through its acknowledgement.
import type { Server, Socket } from 'socket.io';
import type { StaffMember } from '../../shared/domain/people';
import { limits } from '../../shared/limits';
import { fail, parseInput } from '../../shared/result';
import {
  callRefSchema,
  deskHandshakeSchema,
  type DeskToServerEvents,
  type ServerToDeskEvents,
} from '../../shared/wire/socket';
import type { StaffAuth } from '../auth/staff-auth';
import type { ChatSockets } from '../chat/sockets';
import type { IngestRegistry } from '../ingest/registry';
import { attachSafeguarding } from '../safeguarding/socket';
import type { ServerStorage } from '../storage/types';
import type { TelephonyPlatform } from '../telephony/types';
import { eventSize, replyTo, type Reply } from './acks';

export interface DeskSocketData {
  user: StaffMember;
  deskId: string;
}

export type DeskServer = Server<
  DeskToServerEvents,
  ServerToDeskEvents,
  Record<string, never>,
  DeskSocketData
>;
type DeskSocket = Socket<
  DeskToServerEvents,
  ServerToDeskEvents,
  Record<string, never>,
  DeskSocketData
>;

export interface DeskSocketDependencies {
  auth: StaffAuth;
  storage: ServerStorage;
  ingest: IngestRegistry;
  telephony: TelephonyPlatform;
  now: () => number;
  log(line: string): void;
  /** Live chat and routing (server/chat/sockets.ts); left out where only calls are wanted. */
  chat?: ChatSockets;
}

/** The room every desk signed in as this staff member joins, so calls ring on all of them. */
export const staffRoom = (staffId: string) => `staff:${staffId}`;

export function attachDeskSockets(io: DeskServer, deps: DeskSocketDependencies): void {
  io.use((socket, next) => {
    const handshake = deskHandshakeSchema.safeParse(socket.handshake.auth);
    const user = handshake.success ? deps.auth.authenticateAccess(handshake.data.token) : null;
    if (!handshake.success || !user) return next(new Error('unauthenticated'));
    socket.data.user = user;
    socket.data.deskId = handshake.data.deskId;
    next();
  });

  deps.telephony.on('offered', (adviserId, offer) =>
    io.to(staffRoom(adviserId)).emit('call:offered', offer),
  );
  // An adviser's own hang-up is answered through the acknowledgement; the platform's are pushed.
  deps.telephony.on('ended', (adviserId, ended) => {
    if (ended.endedBy !== 'adviser') io.to(staffRoom(adviserId)).emit('call:ended', ended);
  });

  const safeguarding = attachSafeguarding(io, deps);

  io.on('connection', (socket: DeskSocket) => {
    const { user, deskId } = socket.data;
    void socket.join(staffRoom(user.id));
    deps.log(`desk ${deskId} connected as ${user.username}`);

    // socket.io's own ceiling (maxHttpBufferSize) is set well above the limit,
    // so an event over the limit arrives here and gets an answer, not a dropped connection.
    socket.use((packet, next) => {
      const args = packet.slice(1);
      if (eventSize(args) <= limits.maxSocketMessageBytes) return next();
      replyTo(args[args.length - 1])(
        fail(
          'payload_too_large',
          `The message is larger than ${limits.maxSocketMessageBytes} bytes`,
        ),
      );
    });

    const guarded =
      (name: string, handle: (input: unknown, reply: Reply) => void) =>
      (input: unknown, ack: unknown) => {
        const reply = replyTo(ack);
        try {
          handle(input, reply);
        } catch (error) {
          deps.log(
            `${name} from desk ${deskId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
          reply(fail('internal', 'Something went wrong on the central server'));
        }
      };

    socket.on(
      'outbox:deliver',
      guarded('outbox:deliver', (item, reply) => {
        reply(
          deps.ingest.ingest(deps.storage.ingest, item, {
            user: socket.data.user,
            deskId,
            receivedAt: new Date(deps.now()).toISOString(),
          }),
        );
      }),
    );

    socket.on(
      'call:answer',
      guarded('call:answer', (input, reply) => {
        const ref = parseInput(callRefSchema, input, 'Call');
        // A call from the queue is handed over by routing first (server/chat/sockets.ts).
        const routed = ref.ok ? deps.chat?.answerQueuedCall(ref.value.callId, user.id) : null;
        if (routed && !routed.ok) return reply(routed);
        reply(ref.ok ? deps.telephony.answer(ref.value.callId, user.id) : ref);
      }),
    );

    socket.on(
      'call:end',
      guarded('call:end', (input, reply) => {
        const ref = parseInput(callRefSchema, input, 'Call');
        if (!ref.ok) return reply(ref);
        const ended = deps.telephony.end(ref.value.callId, 'adviser', user.id);
        if (!ended.ok) return reply(ended);
        // The adviser's other desks learn of it; this one has its answer.
        socket.to(staffRoom(user.id)).emit('call:ended', ended.value);
        reply({ ok: true, value: null });
      }),
    );

    safeguarding.connected(socket, guarded);
    deps.chat?.connected(socket, guarded);

    socket.on('disconnect', (reason) =>
      deps.log(`desk ${deskId} (${user.username}) disconnected: ${reason}`),
    );
  });
}
