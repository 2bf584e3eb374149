// Web chat on socket.io: the customers' namespace `/customer` (no sign-in; a
// chat is proved by its resume token) and the chat and routing events on the
// signed-in desks' sockets. Every payload is size-checked and parsed with the
// schemas in shared/wire/chat.ts and answered with a result envelope.
import type { Namespace, Socket } from 'socket.io';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import {
  availabilityChangeSchema,
  chatRefSchema,
  customerChatResumeSchema,
  customerChatStartSchema,
  customerMessageSendSchema,
  customerReceiptSchema,
  customerTypingSchema,
  deskMessageSendSchema,
  deskReceiptSchema,
  deskTypingSchema,
  transcriptRequestSchema,
  type CustomerToServerEvents,
  type QueuedCall,
  type QueueStats,
  type ServerToCustomerEvents,
} from '../../shared/wire/chat';
import type { BoardAdviserState } from '../../shared/wire/dashboard';
import type { RoutingClock } from '../routing/clock';
import { authorize } from '../permissions/policy';
import { staffRoom, type DeskServer, type DeskSocket, type GuardedHandler } from '../socket/desks';
import type { Ownership } from '../storage/ownership';
import type { CallStore } from '../storage/types';
import type { TelephonyPlatform } from '../telephony/types';
import type { ChatStore } from './types';
import { defaultMessageRate, TokenBucket, type RateLimit } from './rate-limit';
import { createRoutingLink, RoutingUnavailable, type RoutingLink } from './routing-link';
import { ChatService, tooLong, type ChatServiceOptions } from './service';
import { refusedTo, replyTo, type Reply } from '../socket/acks';
import type { LogLine } from '../logging';

interface CustomerSocketData {
  chatId: string | null;
}

type CustomerNamespace = Namespace<
  CustomerToServerEvents,
  ServerToCustomerEvents,
  Record<string, never>,
  CustomerSocketData
>;
type CustomerSocket = Socket<
  CustomerToServerEvents,
  ServerToCustomerEvents,
  Record<string, never>,
  CustomerSocketData
>;

/**
 * Also the queue limits of ChatServiceOptions: `maxWaitingChats`,
 * `maxWaitingChatsPerAddress` and `chatStartRate`, counted by the customer
 * socket's address (`socket.handshake.address`).
 */
export interface ChatSocketOptions extends ChatServiceOptions {
  /** Messages per customer connection: a burst, then a steady rate (default 5, then 1 a second). */
  messageRate?: RateLimit;
  /**
   * The clock routing and chat run on, instead of the server's real timers:
   * tests pass a ManualClock and move it, so offers run out without sleeping.
   */
  clock?: RoutingClock;
}

export interface ChatSocketDependencies {
  store: ChatStore;
  adviserName(adviserId: string): Promise<string | null>;
  clock: RoutingClock;
  log: LogLine;
  /** The telephony side: an adviser on a call has no room for chats, and a routed call is connected through it. */
  telephony: TelephonyPlatform;
  /** Where a routed call is recorded once an adviser answers it. */
  calls: CallStore;
  /** Whether this process owns routing (always, on SQLite; see ./routing-link.ts). */
  ownership: Ownership;
  /** Told, on the routing owner, each time the queues or advisers' states change (the live board). */
  liveRouting?(states: Record<BoardAdviserState, number>, stats: QueueStats): void;
  options?: ChatSocketOptions;
}

export interface ChatSockets {
  service: ChatService;
  /** Routing's calls, made on whichever process owns it. */
  routing: RoutingLink;
  /** The call queue for the telephony side's HTTP routes, on the routing owner. */
  callQueue: {
    /** `declined`: a call rung straight to an adviser who declined it (ChatService.queueCall). */
    queueCall(
      cli: string | null,
      declined?: { ringingSince: number; declinedBy: string },
    ): Promise<QueuedCall>;
    callerLeftQueue(callId: string): Promise<boolean>;
  };
  /**
   * The chats under way when the server last stopped, taken back (waiting ones
   * queue again, held ones stay held), and the recent answers the wait
   * estimate rests on. Begun by attachChat, and no socket event is handled
   * before it ends; await it before the server listens, so that a failure to
   * read them stops the start.
   */
  restore(): Promise<void>;
  /** Takes a signed-in desk's chat and routing events. */
  connected(socket: DeskSocket, guarded: GuardedHandler): void;
  /**
   * A desk answers a call: when it is one routing offered from the call queue,
   * the call is handed to this adviser and recorded, so the telephony side can
   * connect it. Null when the call is not the queue's (rung to a named adviser).
   */
  answerQueuedCall(callId: string, adviserId: string): Promise<Result<null> | null>;
  /**
   * A desk declines a call: when it is one routing offered from the call
   * queue, routing offers it to the next adviser. Null when the call is not
   * the queue's (rung to a named adviser).
   */
  declineQueuedCall(callId: string, adviserId: string): Promise<Result<null> | null>;
  /** Stops routing's timers at once; resolves when the chat work under way has been written. */
  close(): Promise<void>;
}

/** Largest event a customer may send (bytes): room for one over-long message, to refuse it clearly. */
export const maxCustomerEventBytes = 256 * 1024;

export const customerNamespace = '/customer';
const chatRoomPrefix = 'chat:';
const chatRoom = (chatId: string) => `${chatRoomPrefix}${chatId}`;

/** The `text` of a send, if it has one, for the length check that comes before parsing. */
const textOf = (input: unknown): unknown =>
  typeof input === 'object' && input !== null ? (input as { text?: unknown }).text : undefined;

const describeError = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

/**
 * One connection's events, handled one at a time in the order they came, as
 * they were when every handler ran to its end at once: a message sent right
 * behind a start, or a resend right behind the first copy, meets the state
 * the earlier event left. A handler that fails still answers.
 */
function inArrivalOrder(log: LogLine, who: string, ready: Promise<void>) {
  let previous = ready;
  return (name: string, reply: Reply, run: () => Promise<void>): void => {
    previous = previous.then(run).catch((error: unknown) => {
      if (error instanceof RoutingUnavailable) {
        log(`${name} from ${who} found no routing owner`, 'warn');
        return reply(
          fail(
            'unavailable',
            'The service is moving to another server; please try again in a moment',
          ),
        );
      }
      log(`${name} from ${who} failed: ${describeError(error)}`, 'error');
      reply(fail('internal', 'Something went wrong on our side; please try again'));
    });
  };
}

export function attachChat(io: DeskServer, deps: ChatSocketDependencies): ChatSockets {
  const customers = io.of(customerNamespace) as unknown as CustomerNamespace;
  const messageRate = deps.options?.messageRate ?? defaultMessageRate;
  const clock = deps.options?.clock ?? deps.clock;

  const service = new ChatService(
    {
      store: deps.store,
      adviserName: deps.adviserName,
      clock,
      log: deps.log,
      pushes: {
        toAdviser: {
          chatOffered: (adviserId, offer) =>
            io.to(staffRoom(adviserId)).emit('chat:offered', offer),
          callOffered: (adviserId, offer) =>
            io.to(staffRoom(adviserId)).emit('call:offered', offer),
          offerWithdrawn: (adviserId, kind, id, reason) => {
            if (kind === 'chat') {
              io.to(staffRoom(adviserId)).emit('chat:offer-withdrawn', { chatId: id, reason });
            } else {
              io.to(staffRoom(adviserId)).emit('call:offer-withdrawn', { callId: id, reason });
            }
          },
          message: (adviserId, message) =>
            io.to(staffRoom(adviserId)).emit('chat:message', message),
          typing: (adviserId, chatId, typing) =>
            io.to(staffRoom(adviserId)).emit('chat:typing', { chatId, typing }),
          customerLeft: (adviserId, left) =>
            io.to(staffRoom(adviserId)).emit('chat:customer-left', left),
          transcriptRequested: (adviserId, chatId, email, at) =>
            io.to(staffRoom(adviserId)).emit('chat:transcript-requested', { chatId, email, at }),
          presence: (adviserId, presence) =>
            io.to(staffRoom(adviserId)).emit('adviser:presence', presence),
        },
        toCustomer: {
          queue: (chatId, position) => customers.to(chatRoom(chatId)).emit('chat:queue', position),
          connected: (chatId, adviserName, at) =>
            customers.to(chatRoom(chatId)).emit('chat:connected', { chatId, adviserName, at }),
          message: (chatId, message) =>
            customers.to(chatRoom(chatId)).emit('chat:message', message),
          typing: (chatId, typing) =>
            customers.to(chatRoom(chatId)).emit('chat:typing', { chatId, typing }),
          ended: (chatId, ended) => customers.to(chatRoom(chatId)).emit('chat:ended', ended),
        },
        // Every desk sees the queue: the figures are measured against targets.
        queueStats: (stats) => io.emit('queue:stats', stats),
        adviserStates: (states, stats) => deps.liveRouting?.(states, stats),
      },
    },
    deps.options,
  );

  const routing = createRoutingLink({
    io,
    service,
    ownership: deps.ownership,
    log: deps.log,
    localChats: () => {
      const chats: string[] = [];
      for (const [room, sockets] of customers.adapter.rooms) {
        if (room.startsWith(chatRoomPrefix) && sockets.size > 0) {
          chats.push(room.slice(chatRoomPrefix.length));
        }
      }
      return chats;
    },
  });

  // Begun at once (on the routing owner); no connection's events are handled before it
  // has finished, so none acts on a queue that has not been taken back yet.
  const restored = routing.ready;
  const ready = restored.then(
    () => undefined,
    (error: unknown) =>
      deps.log(`chat: taking back the chats under way failed: ${describeError(error)}`, 'error'),
  );

  // A call, queued or rung to a named adviser, fills the adviser's room until it ends.
  deps.telephony.on('connected', (adviserId, connected) =>
    routing.tell('callConnected', adviserId, connected.callId),
  );
  deps.telephony.on('ended', (_adviserId, ended) => routing.tell('callEnded', ended.callId));
  // A call rung straight to a named adviser is routing's decision like any other: without
  // this, the telephony side rang whoever had a desk open, Offline or not.
  deps.telephony.routeDirectCalls({
    admit: async (adviserId, callId) => {
      try {
        return await routing.call('admitDirectCall', adviserId, callId);
      } catch (error) {
        if (!(error instanceof RoutingUnavailable)) throw error;
        return fail(
          'unavailable',
          'Routing is moving to another server; ring the adviser again in a moment',
        );
      }
    },
    release: (callId) => routing.tell('callEnded', callId),
  });

  customers.on('connection', (socket: CustomerSocket) => {
    socket.data.chatId = null;
    const bucket = new TokenBucket(messageRate, () => clock.now());
    // Typing signals are cheap but should not flood a desk; over the rate they are dropped.
    const typingBucket = new TokenBucket({ capacity: 10, refillPerSecond: 2 }, () => clock.now());
    const inTurn = inArrivalOrder(deps.log, 'a customer', ready);

    // Names, depth and size were checked before any event reaches here (guardNamespace, in app.ts).
    const handle =
      (name: string, run: (input: unknown, reply: Reply) => Promise<void>) =>
      (input: unknown, ack: unknown) => {
        const reply = replyTo(ack, refusedTo(socket, name));
        inTurn(name, reply, () => run(input, reply));
      };

    const joinChat = (chatId: string) => {
      if (socket.data.chatId && socket.data.chatId !== chatId)
        void socket.leave(chatRoom(socket.data.chatId));
      socket.data.chatId = chatId;
      void socket.join(chatRoom(chatId));
    };

    const currentChat = (): Result<string> =>
      socket.data.chatId
        ? ok(socket.data.chatId)
        : fail('conflict', 'Start a chat (or take yours back) first');

    socket.on(
      'chat:start',
      handle('chat:start', async (input, reply) => {
        const current = socket.data.chatId ? await deps.store.find(socket.data.chatId) : null;
        if (current && (current.status === 'queued' || current.status === 'connected')) {
          return reply(
            fail('conflict', 'This connection already has a chat; end it to start another'),
          );
        }
        const start = parseInput(customerChatStartSchema, input, 'Your details');
        if (!start.ok) return reply(start);
        const started = await routing.call('start', start.value, {
          address: socket.handshake.address,
        });
        if (started.ok) joinChat(started.value.chatId);
        reply(started);
      }),
    );

    socket.on(
      'chat:resume',
      handle('chat:resume', async (input, reply) => {
        const resume = parseInput(customerChatResumeSchema, input, 'Chat to take back');
        if (!resume.ok) return reply(resume);
        const resumed = await routing.call(
          'resume',
          resume.value.resumeToken,
          resume.value.lastSeenSeq,
        );
        if (resumed.ok) joinChat(resumed.value.chatId);
        reply(resumed);
      }),
    );

    socket.on(
      'chat:message',
      handle('chat:message', async (input, reply) => {
        const chatId = currentChat();
        if (!chatId.ok) return reply(chatId);
        const long = tooLong(textOf(input));
        if (long) return reply(long);
        const send = parseInput(customerMessageSendSchema, input, 'Message');
        if (!send.ok) return reply(send);
        // A resend of a message already kept (its acknowledgement was lost in a drop) is
        // answered as the repeat it is, never refused: a page resending a backlog after a
        // reconnect must not be told to slow down for messages it already sent. The store
        // tells a repeat from a new message; it is asked first only when the rate is spent.
        if (!bucket.take()) {
          const repeat = await service.customerRepeat(chatId.value, send.value.clientMessageId);
          if (repeat) {
            socket.to(chatRoom(chatId.value)).emit('chat:message', repeat.message);
            return reply(ok(repeat.ack));
          }
          return reply(
            fail(
              'rate_limited',
              'You are sending messages very quickly; wait a moment and try again',
            ),
          );
        }
        const sent = await service.customerMessage(
          chatId.value,
          send.value.clientMessageId,
          send.value.text,
        );
        if (!sent.ok) return reply(sent);
        // The customer's other tabs on this chat show it too (a repeat again, as the service does).
        socket.to(chatRoom(chatId.value)).emit('chat:message', sent.value.message);
        reply(ok(sent.value.ack));
      }),
    );

    socket.on(
      'chat:ack',
      handle('chat:ack', async (input, reply) => {
        const chatId = currentChat();
        if (!chatId.ok) return reply(chatId);
        const receipt = parseInput(customerReceiptSchema, input, 'Receipt');
        if (!receipt.ok) return reply(receipt);
        await service.customerReceipt(chatId.value, receipt.value.upToSeq);
        reply(ok(null));
      }),
    );

    socket.on(
      'chat:typing',
      handle('chat:typing', async (input, reply) => {
        const chatId = currentChat();
        if (!chatId.ok) return reply(chatId);
        const typing = parseInput(customerTypingSchema, input, 'Typing');
        if (!typing.ok) return reply(typing);
        if (typingBucket.take()) await service.customerTyping(chatId.value, typing.value.typing);
        reply(ok(null));
      }),
    );

    socket.on(
      'chat:transcript',
      handle('chat:transcript', async (input, reply) => {
        const chatId = currentChat();
        if (!chatId.ok) return reply(chatId);
        const request = parseInput(transcriptRequestSchema, input, 'Email address');
        if (!request.ok) return reply(request);
        reply(await service.requestTranscript(chatId.value, request.value.email));
      }),
    );

    socket.on(
      'chat:end',
      handle('chat:end', async (_input, reply) => {
        const chatId = currentChat();
        if (!chatId.ok) return reply(chatId);
        const ended = await routing.call('customerLeaves', chatId.value, 'ended');
        if (ended.ok) socket.to(chatRoom(chatId.value)).emit('chat:ended', ended.value);
        reply(ended);
      }),
    );

    socket.on('disconnect', () => {
      const chatId = socket.data.chatId;
      if (!chatId) return;
      // Another tab may still hold the chat; only when none does is the customer gone.
      const room = customers.adapter.rooms.get(chatRoom(chatId));
      if (!room || room.size === 0) routing.tell('customerGone', chatId);
    });
  });

  return {
    service,
    routing,
    callQueue: {
      queueCall: (cli, declined) => routing.call('queueCall', cli, declined),
      callerLeftQueue: (callId) => routing.call('callerLeftQueue', callId),
    },
    restore: () => restored,
    close: () => {
      routing.close();
      return service.close();
    },
    declineQueuedCall: (callId, adviserId) => routing.call('declineCall', adviserId, callId),
    async answerQueuedCall(callId, adviserId) {
      const taken = await routing.call('takeQueuedCall', adviserId, callId);
      if (!taken?.ok) return taken;
      await deps.calls.insert({
        id: callId,
        adviserId,
        cli: taken.value.cli,
        offeredAt: new Date(taken.value.queuedAt).toISOString(),
        connectedAt: null,
        endedAt: null,
        endedBy: null,
      });
      return ok(null);
    },
    connected(socket, guarded) {
      const { user } = socket.data;
      const inTurn = inArrivalOrder(deps.log, `desk ${socket.data.deskId}`, ready);
      // The guard has checked the session and the policy; the work then takes its turn.
      const handle = (
        name: Parameters<GuardedHandler>[0],
        run: (input: unknown, reply: Reply) => Promise<void>,
        options?: Parameters<GuardedHandler>[2],
      ) => guarded(name, (input, reply) => inTurn(name, reply, () => run(input, reply)), options);
      // A message and a receipt name the desk's session in their own write, which refuses
      // it once signed out: the guard need not read the session first (see GuardedHandler).
      const writeChecksSession = { writeChecksSession: true } as const;

      // Only staff who take live work join routing; the events below refuse anyone else.
      const takesLiveWork = authorize(user, 'live.take').ok;
      // Counted by routing at once, before any event of the desk's can arrive; the desk's own
      // picture (its availability, what it missed, and the queue) follows, first in its turn.
      if (takesLiveWork) routing.deskConnected(user.id);
      inTurn(
        'connection',
        () => undefined,
        async () => {
          if (takesLiveWork) {
            const { presence, offers, unacknowledged } = await routing.call('deskCatchUp', user.id);
            routing.availabilityIs(user.id, presence.availability);
            socket.emit('adviser:presence', presence);
            for (const offer of offers) socket.emit('chat:offered', offer);
            for (const message of unacknowledged) socket.emit('chat:message', message);
          }
          socket.emit('queue:stats', await routing.call('queueStats'));
        },
      );

      socket.on(
        'adviser:availability',
        handle('adviser:availability', async (input, reply) => {
          const change = parseInput(availabilityChangeSchema, input, 'Availability');
          if (!change.ok) return reply(change);
          const presence = await routing.call(
            'setAvailability',
            user.id,
            change.value.availability,
          );
          routing.availabilityIs(user.id, presence.availability);
          reply(ok(presence));
        }),
      );

      socket.on(
        'chat:accept',
        handle('chat:accept', async (input, reply) => {
          const ref = parseInput(chatRefSchema, input, 'Chat');
          if (!ref.ok) return reply(ref);
          const accepted = await routing.call('accept', user.id, ref.value.chatId);
          // The adviser's other desks drop the offer: it was taken here.
          if (accepted.ok) {
            socket.to(staffRoom(user.id)).emit('chat:offer-withdrawn', {
              chatId: ref.value.chatId,
              reason: 'taken',
            });
          }
          reply(accepted);
        }),
      );

      socket.on(
        'chat:decline',
        handle('chat:decline', async (input, reply) => {
          const ref = parseInput(chatRefSchema, input, 'Chat');
          reply(ref.ok ? await routing.call('decline', user.id, 'chat', ref.value.chatId) : ref);
        }),
      );

      socket.on(
        'chat:send',
        handle(
          'chat:send',
          async (input, reply) => {
            const long = tooLong(textOf(input));
            if (long) return reply(long);
            const send = parseInput(deskMessageSendSchema, input, 'Message');
            if (!send.ok) return reply(send);
            const sent = await service.adviserMessage(
              user.id,
              send.value.chatId,
              send.value.clientMessageId,
              send.value.text,
              socket.data.sessionId,
            );
            if (!sent.ok) return reply(sent);
            // The adviser's other desks show it too (a repeat again, as the service does);
            // this one has its acknowledgement.
            socket.to(staffRoom(user.id)).emit('chat:message', sent.value.message);
            reply(ok(sent.value.ack));
          },
          writeChecksSession,
        ),
      );

      socket.on(
        'chat:ack',
        handle(
          'chat:ack',
          async (input, reply) => {
            const receipt = parseInput(deskReceiptSchema, input, 'Receipt');
            reply(
              receipt.ok
                ? await service.adviserReceipt(
                    user.id,
                    receipt.value.chatId,
                    receipt.value.upToSeq,
                    socket.data.sessionId,
                  )
                : receipt,
            );
          },
          writeChecksSession,
        ),
      );

      socket.on(
        'chat:typing',
        handle('chat:typing', async (input, reply) => {
          const typing = parseInput(deskTypingSchema, input, 'Typing');
          reply(
            typing.ok
              ? await service.adviserTyping(user.id, typing.value.chatId, typing.value.typing)
              : typing,
          );
        }),
      );

      socket.on(
        'chat:end',
        handle('chat:end', async (input, reply) => {
          const ref = parseInput(chatRefSchema, input, 'Chat');
          if (!ref.ok) return reply(ref);
          const ended = await routing.call('adviserEnds', user.id, ref.value.chatId);
          if (ended.ok) socket.to(staffRoom(user.id)).emit('chat:ended', ended.value);
          reply(ended);
        }),
      );

      socket.on(
        'chat:resume',
        handle('chat:resume', async (_input, reply) =>
          reply(ok(await routing.call('resync', user.id))),
        ),
      );

      socket.on(
        'chat:log',
        handle('chat:log', async (input, reply) => {
          const ref = parseInput(chatRefSchema, input, 'Chat');
          reply(ref.ok ? await service.log(user.id, ref.value.chatId) : ref);
        }),
      );

      if (takesLiveWork) socket.on('disconnect', () => routing.deskDisconnected(user.id));
    },
  };
}
