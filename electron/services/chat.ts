// The adviser's live web chats on the desk: offers to accept or decline, each
// accepted chat's whole conversation, the adviser's availability and the queue.
// Messages the adviser writes carry a client id and are sent again until the
// server acknowledges them (after a reconnect too); messages received are
// acknowledged by sequence number and kept once however often they arrive; a
// reconnect asks the server for every open chat and rebuilds each one whole.
// Held in memory: the central server is the system of record for a live chat.
import { z } from 'zod';
import { newId } from '../../shared/domain/ids';
import {
  chatDeskSchema,
  type ChatDesk,
  type ConnectionState,
  type DeskChatMessage,
  type DeskEventPayload,
  type LiveChat,
} from '../../shared/ipc/contract';
import {
  fail,
  ok,
  parseAnswer,
  resultSchema,
  type ErrorCode,
  type Result,
} from '../../shared/result';
import {
  adviserPresenceSchema,
  chatEndedSchema,
  chatMessageAckSchema,
  chatMessageSchema,
  chatOfferSchema,
  chatOfferWithdrawnSchema,
  chatSessionSchema,
  customerLeftSchema,
  deskChatResyncSchema,
  deskTranscriptRequestedSchema,
  partyTypingSchema,
  queueStatsSchema,
  type AdviserAvailability,
  type AdviserPresence,
  type ChatEnded,
  type ChatMessage,
  type ChatOffer,
  type ChatSession,
  type DeskChatToServerEvents,
  type QueueStats,
  type ServerToDeskChatEvents,
} from '../../shared/wire/chat';
import type { DeskHandlerRegistry } from './handlers';
import { backoffDelay, type BackoffPolicy } from './outbox';
import type { ServerConnection } from './server-connection';

/** Desk-to-server chat requests this service makes. */
export type ChatRequestName = keyof DeskChatToServerEvents;

/** Server pushes this service handles; the server connection hands them over unparsed. */
export const chatPushNames = [
  'chat:offered',
  'chat:offer-withdrawn',
  'chat:message',
  'chat:typing',
  'chat:customer-left',
  'chat:transcript-requested',
  'chat:ended',
  'adviser:presence',
  'queue:stats',
] as const satisfies readonly (keyof ServerToDeskChatEvents)[];
export type ChatPushName = (typeof chatPushNames)[number];

const chatPushNameSet: ReadonlySet<string> = new Set(chatPushNames);
export const isChatPush = (event: string): event is ChatPushName => chatPushNameSet.has(event);

/**
 * What the chat service needs of the link to the central server. The socket.io
 * implementation is below; tests put a fake server behind the same interface.
 */
export interface ChatServerLink {
  /** Whether a request could reach the server right now. */
  connected(): boolean;
  /** The signed-in adviser, or null. */
  user(): { id: string; displayName: string } | null;
  /**
   * Sends a request and resolves with the server's raw answer (to be parsed).
   * Never rejects: no connection, or no answer in time, is `unavailable`.
   */
  request(event: ChatRequestName, payload: unknown): Promise<Result<unknown>>;
  onPush(listener: (event: ChatPushName, payload: unknown) => void): () => void;
  /** The socket has (re)connected: time to resynchronise. */
  onConnected(listener: () => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
}

/** The socket.io link: requests over the server connection's socket, pushes from its listener. */
export class SocketChatLink implements ChatServerLink {
  constructor(
    private readonly connection: ServerConnection,
    private readonly ackTimeoutMs = 10_000,
  ) {}

  connected(): boolean {
    return this.connection.currentSocket()?.connected === true;
  }

  user() {
    return this.connection.user;
  }

  async request(event: ChatRequestName, payload: unknown): Promise<Result<unknown>> {
    const socket = this.connection.currentSocket();
    if (!socket?.connected) return fail('unavailable', 'Not connected to the central server');
    try {
      return ok(await socket.timeout(this.ackTimeoutMs).emitWithAck(event, payload));
    } catch {
      return fail('unavailable', 'The central server did not answer in time');
    }
  }

  onPush(listener: (event: ChatPushName, payload: unknown) => void): () => void {
    return this.connection.on('chatPush', listener);
  }

  onConnected(listener: () => void): () => void {
    return this.connection.on('connected', listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    return this.connection.on('state', listener);
  }
}

/** The pushed desk events this service produces, typed together with their payloads. */
type ChatEventName =
  'chatOffered' | 'chatOfferWithdrawn' | 'chatUpdated' | 'queueStats' | 'availabilityChanged';
export type ChatEventArgs = {
  [K in ChatEventName]: [name: K, payload: DeskEventPayload<K>];
}[ChatEventName];

export interface DeskChatsOptions {
  /** Spacing of resends while connected but unanswered. */
  retryBackoff?: BackoffPolicy;
  random?: () => number;
  /** Ended chats kept for the interaction screen's wrap-up, newest kept. */
  keepEnded?: number;
  newId?: () => string;
  now?: () => string;
}

/** An adviser's message not yet acknowledged by the server. */
interface PendingMessage {
  clientMessageId: string;
  text: string;
  writtenAt: string;
  refused: { code: ErrorCode; message: string } | null;
}

interface HeldChat {
  session: Omit<ChatSession, 'messages'>;
  /** Confirmed messages by seq: a message seen twice is kept once. */
  messages: Map<number, ChatMessage>;
  /** The adviser's messages on their way, in the order written. */
  pending: PendingMessage[];
  customerTyping: boolean;
  customerLeft: LiveChat['customerLeft'];
  /** Highest seq receipted to the server (sent, and not known to have failed). */
  acknowledged: number;
  sending: boolean;
  retryAttempt: number;
  retryTimer: ReturnType<typeof setTimeout> | null;
  refilling: boolean;
}

/** Answers the server gives on success, parsed before anything is believed. */
const answers = {
  session: resultSchema(chatSessionSchema),
  ack: resultSchema(chatMessageAckSchema),
  ended: resultSchema(chatEndedSchema),
  presence: resultSchema(adviserPresenceSchema),
  resync: resultSchema(deskChatResyncSchema),
  none: resultSchema(z.null()),
};

/** Refusals that mean the message itself will never be taken; anything else is tried again. */
const finalRefusals: readonly ErrorCode[] = [
  'invalid_input',
  'payload_too_large',
  'forbidden',
  'not_found',
  'conflict',
];

const notHeld = () => fail('not_found', 'This chat is not on this desk');

export class DeskChats {
  private readonly chats = new Map<string, HeldChat>();
  private readonly offers = new Map<string, ChatOffer>();
  private presence: AdviserPresence | null = null;
  private queue: QueueStats | null = null;
  private heldFor: string | null = null;
  private readonly listeners = new Set<(...event: ChatEventArgs) => void>();
  private readonly unsubscribe: (() => void)[];
  private readonly retryBackoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly keepEnded: number;
  private readonly makeId: () => string;
  private readonly now: () => string;
  private stopped = false;

  constructor(
    private readonly link: ChatServerLink,
    options: DeskChatsOptions = {},
  ) {
    this.retryBackoff = options.retryBackoff ?? { baseMs: 500, capMs: 10_000 };
    this.random = options.random ?? Math.random;
    this.keepEnded = options.keepEnded ?? 10;
    this.makeId = options.newId ?? newId;
    this.now = options.now ?? (() => new Date().toISOString());
    this.unsubscribe = [
      link.onPush((event, payload) => this.receive(event, payload)),
      link.onConnected(() => void this.resync()),
      link.onState((state) => {
        if (state === 'signed_out') this.forget();
      }),
    ];
  }

  onEvent(listener: (...event: ChatEventArgs) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Everything the renderer shows, for a page that has just loaded. */
  view(): ChatDesk {
    return chatDeskSchema.parse({
      offers: [...this.offers.values()],
      chats: [...this.chats.keys()].map((chatId) => this.liveChat(chatId)),
      presence: this.presence,
      queue: this.queue,
    });
  }

  /** The messages of a chat as the customer's transcript carries them; null for a chat not held. */
  transcriptMessages(
    chatId: string,
  ): { from: 'customer' | 'adviser'; text: string; at: string }[] | null {
    const chat = this.chats.get(chatId);
    if (!chat) return null;
    return [...chat.messages.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((message) => ({ from: message.from, text: message.text, at: message.sentAt }));
  }

  async accept(chatId: string): Promise<Result<LiveChat>> {
    const answer = await this.ask('chat:accept', { chatId }, answers.session);
    if (!answer.ok) {
      // An offer that has gone (taken elsewhere, timed out) cannot be accepted again.
      if (answer.error.code === 'not_found' || answer.error.code === 'conflict') {
        this.withdrawOffer(chatId, 'unavailable');
      }
      return answer;
    }
    this.withdrawOffer(chatId, 'taken');
    this.rebuild(answer.value);
    this.acknowledge(chatId);
    return ok(this.liveChat(chatId));
  }

  async decline(chatId: string): Promise<Result<null>> {
    const answer = await this.ask('chat:decline', { chatId }, answers.none);
    if (answer.ok || answer.error.code === 'not_found') this.withdrawOffer(chatId, 'declined');
    return answer.ok ? ok(null) : answer;
  }

  /** A chat held here, or else its log from the server (a desk restarted during wrap-up). */
  async open(chatId: string): Promise<Result<LiveChat>> {
    if (this.chats.has(chatId)) return ok(this.liveChat(chatId));
    const answer = await this.ask('chat:log', { chatId }, answers.session);
    if (!answer.ok) return answer;
    this.rebuild(answer.value);
    return ok(this.liveChat(chatId));
  }

  /**
   * Takes the adviser's message and answers at once with it as 'sending'; it
   * goes to the server in the order written, and again until acknowledged.
   */
  send(chatId: string, text: string): Result<DeskChatMessage> {
    const chat = this.chats.get(chatId);
    if (!chat) return notHeld();
    if (chat.session.endedAt !== null) return fail('conflict', 'This chat has ended');
    const pending: PendingMessage = {
      clientMessageId: this.makeId(),
      text,
      writtenAt: this.now(),
      refused: null,
    };
    chat.pending.push(pending);
    this.publish(chatId);
    void this.pump(chatId);
    return ok(this.pendingView(pending));
  }

  async setTyping(chatId: string, typing: boolean): Promise<Result<null>> {
    const chat = this.chats.get(chatId);
    if (!chat) return notHeld();
    if (chat.session.endedAt !== null) return ok(null);
    const answer = await this.ask('chat:typing', { chatId, typing }, answers.none);
    return answer.ok ? ok(null) : answer;
  }

  async end(chatId: string): Promise<Result<ChatEnded>> {
    const chat = this.chats.get(chatId);
    if (!chat) return notHeld();
    if (chat.session.endedAt !== null && chat.session.endedBy !== null) {
      return ok({ chatId, endedBy: chat.session.endedBy, at: chat.session.endedAt });
    }
    const answer = await this.ask('chat:end', { chatId }, answers.ended);
    if (!answer.ok) return answer;
    this.markEnded(answer.value);
    return answer;
  }

  async setAvailability(availability: AdviserAvailability): Promise<Result<AdviserPresence>> {
    const answer = await this.ask('adviser:availability', { availability }, answers.presence);
    if (answer.ok) this.setPresence(answer.value);
    return answer;
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.unsubscribe) stop();
    for (const chat of this.chats.values()) this.clearRetry(chat);
    this.listeners.clear();
  }

  // ------------------------------------------------------------ receiving

  private receive(event: ChatPushName, payload: unknown): void {
    switch (event) {
      case 'chat:offered': {
        const offer = chatOfferSchema.safeParse(payload);
        if (!offer.success || this.chats.has(offer.data.chatId)) return;
        this.offers.set(offer.data.chatId, offer.data);
        this.emit('chatOffered', offer.data);
        return;
      }
      case 'chat:offer-withdrawn': {
        const withdrawn = chatOfferWithdrawnSchema.safeParse(payload);
        if (withdrawn.success) this.withdrawOffer(withdrawn.data.chatId, withdrawn.data.reason);
        return;
      }
      case 'chat:message': {
        const message = chatMessageSchema.safeParse(payload);
        if (message.success) this.takeMessage(message.data);
        return;
      }
      case 'chat:typing': {
        const typing = partyTypingSchema.safeParse(payload);
        const chat = typing.success ? this.chats.get(typing.data.chatId) : undefined;
        if (!typing.success || !chat || chat.customerTyping === typing.data.typing) return;
        chat.customerTyping = typing.data.typing;
        this.publish(typing.data.chatId);
        return;
      }
      case 'chat:customer-left': {
        const left = customerLeftSchema.safeParse(payload);
        const chat = left.success ? this.chats.get(left.data.chatId) : undefined;
        if (!left.success || !chat) return;
        chat.customerLeft = { at: left.data.at, how: left.data.how };
        chat.customerTyping = false;
        chat.session = {
          ...chat.session,
          status: 'ended',
          endedAt: chat.session.endedAt ?? left.data.at,
          endedBy: chat.session.endedBy ?? 'customer',
        };
        this.publish(left.data.chatId);
        return;
      }
      case 'chat:transcript-requested': {
        const requested = deskTranscriptRequestedSchema.safeParse(payload);
        const chat = requested.success ? this.chats.get(requested.data.chatId) : undefined;
        if (!requested.success || !chat) return;
        chat.session = { ...chat.session, transcriptEmail: requested.data.email };
        this.publish(requested.data.chatId);
        return;
      }
      case 'chat:ended': {
        const ended = chatEndedSchema.safeParse(payload);
        if (ended.success) this.markEnded(ended.data);
        return;
      }
      case 'adviser:presence': {
        const presence = adviserPresenceSchema.safeParse(payload);
        if (presence.success) this.setPresence(presence.data);
        return;
      }
      case 'queue:stats': {
        const stats = queueStatsSchema.safeParse(payload);
        if (!stats.success) return;
        this.queue = stats.data;
        this.emit('queueStats', stats.data);
        return;
      }
    }
  }

  private takeMessage(message: ChatMessage): void {
    const chat = this.chats.get(message.chatId);
    // A chat this desk does not hold (accepted on another of the adviser's desks) comes with the next resync.
    if (!chat) return;
    const isNew = !chat.messages.has(message.seq);
    if (isNew) chat.messages.set(message.seq, message);
    // The adviser's own message, sent from here or from another desk, is no longer on its way.
    const before = chat.pending.length;
    chat.pending = chat.pending.filter(
      (pending) => pending.clientMessageId !== message.clientMessageId,
    );
    if (message.from === 'customer') chat.customerTyping = false;
    if (isNew || chat.pending.length !== before) this.publish(message.chatId);
    if (message.seq > contiguousSeq(chat) + 1) void this.refill(message.chatId);
    this.acknowledge(message.chatId);
  }

  /** A gap in the sequence means a message was lost on the way: fetch the conversation whole. */
  private async refill(chatId: string): Promise<void> {
    const chat = this.chats.get(chatId);
    if (!chat || chat.refilling) return;
    chat.refilling = true;
    const answer = await this.ask('chat:log', { chatId }, answers.session);
    chat.refilling = false;
    if (answer.ok && this.chats.get(chatId) === chat) {
      this.rebuild(answer.value);
      this.acknowledge(chatId);
    }
  }

  /**
   * Tells the server everything up to the highest unbroken seq has arrived.
   * Receipts are cumulative, so a lost one is made good by the next (or by the resync).
   */
  private acknowledge(chatId: string): void {
    const chat = this.chats.get(chatId);
    if (!chat) return;
    const upToSeq = contiguousSeq(chat);
    if (upToSeq <= chat.acknowledged) return;
    const before = chat.acknowledged;
    chat.acknowledged = upToSeq;
    void this.ask('chat:ack', { chatId, upToSeq }, answers.none).then((answer) => {
      if (!answer.ok && chat.acknowledged === upToSeq) chat.acknowledged = before;
    });
  }

  // ------------------------------------------------------------ sending

  /** Sends a chat's waiting messages one at a time, in order, so the customer reads them in order. */
  private async pump(chatId: string): Promise<void> {
    const chat = this.chats.get(chatId);
    if (!chat || chat.sending || chat.retryTimer || this.stopped) return;
    const next = chat.pending.find((pending) => pending.refused === null);
    if (!next || !this.link.connected()) return;
    chat.sending = true;
    const answer = await this.ask(
      'chat:send',
      { chatId, clientMessageId: next.clientMessageId, text: next.text },
      answers.ack,
    );
    chat.sending = false;
    if (this.chats.get(chatId) !== chat) return;
    if (answer.ok) {
      chat.retryAttempt = 0;
      const user = this.link.user();
      if (!chat.messages.has(answer.value.seq)) {
        chat.messages.set(answer.value.seq, {
          chatId,
          seq: answer.value.seq,
          clientMessageId: next.clientMessageId,
          from: 'adviser',
          author: user?.displayName ?? '',
          text: next.text,
          sentAt: answer.value.sentAt,
        });
      }
      chat.pending = chat.pending.filter((pending) => pending !== next);
      this.publish(chatId);
      void this.pump(chatId);
      return;
    }
    if (finalRefusals.includes(answer.error.code)) {
      next.refused = { code: answer.error.code, message: answer.error.message };
      this.publish(chatId);
      void this.pump(chatId);
      return;
    }
    // Unanswered or rate limited: the same message (same client id) goes again, so
    // a lost acknowledgement is answered as a duplicate rather than sent twice.
    chat.retryAttempt += 1;
    if (!this.link.connected()) return; // the reconnect's resync sends it
    const delay = backoffDelay(chat.retryAttempt, this.retryBackoff, this.random);
    chat.retryTimer = setTimeout(() => {
      chat.retryTimer = null;
      void this.pump(chatId);
    }, delay);
  }

  private clearRetry(chat: HeldChat): void {
    if (chat.retryTimer) clearTimeout(chat.retryTimer);
    chat.retryTimer = null;
  }

  // ------------------------------------------------------------ resync

  /**
   * After every (re)connection: the server's view of every open chat replaces
   * ours, message for message; chats that ended meanwhile are fetched from the
   * log; then the unacknowledged own messages go again, in order.
   */
  private async resync(): Promise<void> {
    const user = this.link.user();
    if (this.heldFor !== null && user?.id !== this.heldFor) this.forget();
    this.heldFor = user?.id ?? null;
    const answer = await this.ask('chat:resume', {}, answers.resync);
    if (!answer.ok) return;
    const { chats, offers, presence, queue } = answer.value;
    const open = new Set(chats.map((session) => session.chatId));
    for (const session of chats) this.rebuild(session);
    for (const [chatId, chat] of this.chats) {
      if (!open.has(chatId) && chat.session.endedAt === null) void this.refill(chatId);
    }
    const offered = new Set(offers.map((offer) => offer.chatId));
    for (const chatId of [...this.offers.keys()]) {
      if (!offered.has(chatId)) this.withdrawOffer(chatId, 'unavailable');
    }
    for (const offer of offers) {
      if (this.offers.has(offer.chatId) || this.chats.has(offer.chatId)) continue;
      this.offers.set(offer.chatId, offer);
      this.emit('chatOffered', offer);
    }
    this.setPresence(presence);
    this.queue = queue;
    this.emit('queueStats', queue);
    for (const [chatId, chat] of this.chats) {
      this.clearRetry(chat);
      chat.retryAttempt = 0;
      // Receipts sent just before the drop may never have arrived: say it again, whole.
      chat.acknowledged = 0;
      this.acknowledge(chatId);
      void this.pump(chatId);
    }
  }

  /** Adopts the server's session whole; keeps only what arrived after it was taken and what is still on its way. */
  private rebuild(session: ChatSession): void {
    const held = this.chats.get(session.chatId);
    const { messages, ...rest } = session;
    const highest = messages.reduce((max, message) => Math.max(max, message.seq), 0);
    const rebuilt = new Map(messages.map((message) => [message.seq, message] as const));
    for (const [seq, message] of held?.messages ?? []) {
      if (seq > highest) rebuilt.set(seq, message);
    }
    const landed = new Set([...rebuilt.values()].map((message) => message.clientMessageId));
    const chat: HeldChat = held ?? {
      session: rest,
      messages: rebuilt,
      pending: [],
      customerTyping: false,
      customerLeft: null,
      acknowledged: 0,
      sending: false,
      retryAttempt: 0,
      retryTimer: null,
      refilling: false,
    };
    chat.session = rest;
    chat.messages = rebuilt;
    chat.pending = chat.pending.filter((pending) => !landed.has(pending.clientMessageId));
    if (rest.status === 'ended') chat.customerTyping = false;
    if (rest.endedBy === 'customer' && chat.customerLeft === null && rest.endedAt !== null) {
      chat.customerLeft = { at: rest.endedAt, how: 'ended' };
    }
    if (!held) this.chats.set(session.chatId, chat);
    this.trimEnded();
    this.publish(session.chatId);
  }

  // ------------------------------------------------------------ small parts

  private markEnded(ended: ChatEnded): void {
    const chat = this.chats.get(ended.chatId);
    if (!chat) return;
    chat.session = {
      ...chat.session,
      status: 'ended',
      endedAt: chat.session.endedAt ?? ended.at,
      endedBy: chat.session.endedBy ?? ended.endedBy,
    };
    chat.customerTyping = false;
    this.publish(ended.chatId);
  }

  private withdrawOffer(
    chatId: string,
    reason: DeskEventPayload<'chatOfferWithdrawn'>['reason'],
  ): void {
    if (this.offers.delete(chatId)) this.emit('chatOfferWithdrawn', { chatId, reason });
  }

  private setPresence(presence: AdviserPresence): void {
    this.presence = presence;
    this.emit('availabilityChanged', presence);
  }

  /** Ended chats stay for wrap-up; beyond a handful the oldest go (the server keeps the log). */
  private trimEnded(): void {
    const ended = [...this.chats.entries()].filter(([, chat]) => chat.session.endedAt !== null);
    for (const [chatId, chat] of ended.slice(0, Math.max(0, ended.length - this.keepEnded))) {
      this.clearRetry(chat);
      this.chats.delete(chatId);
    }
  }

  /** Signed out (or someone else signed in): nothing of the last adviser's chats stays. */
  private forget(): void {
    for (const chat of this.chats.values()) this.clearRetry(chat);
    this.chats.clear();
    this.offers.clear();
    this.presence = null;
    this.queue = null;
    this.heldFor = null;
  }

  private liveChat(chatId: string): LiveChat {
    const chat = this.chats.get(chatId);
    if (!chat) throw new Error(`chat ${chatId} is not held`);
    const confirmed: DeskChatMessage[] = [...chat.messages.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((message) => ({
        clientMessageId: message.clientMessageId,
        seq: message.seq,
        from: message.from,
        author: message.author,
        text: message.text,
        sentAt: message.sentAt,
        delivery: 'sent',
        problem: null,
      }));
    return {
      ...chat.session,
      messages: [...confirmed, ...chat.pending.map((pending) => this.pendingView(pending))],
      customerTyping: chat.customerTyping,
      customerLeft: chat.customerLeft,
    };
  }

  private pendingView(pending: PendingMessage): DeskChatMessage {
    return {
      clientMessageId: pending.clientMessageId,
      seq: null,
      from: 'adviser',
      author: this.link.user()?.displayName ?? '',
      text: pending.text,
      sentAt: pending.writtenAt,
      delivery: pending.refused ? 'refused' : 'sending',
      problem: pending.refused?.message ?? null,
    };
  }

  private publish(chatId: string): void {
    if (this.chats.has(chatId)) this.emit('chatUpdated', this.liveChat(chatId));
  }

  private emit(...event: ChatEventArgs): void {
    for (const listener of this.listeners) listener(...event);
  }

  private async ask<T>(
    event: ChatRequestName,
    payload: unknown,
    schema: z.ZodType<Result<T>>,
  ): Promise<Result<T>> {
    return parseAnswer(
      await this.link.request(event, payload),
      schema,
      'The central server gave an answer the desk does not understand',
    );
  }
}

/** The highest seq below which every message has arrived. */
function contiguousSeq(chat: HeldChat): number {
  let seq = 0;
  while (chat.messages.has(seq + 1)) seq += 1;
  return seq;
}

/** The chat domain's desk API handlers. */
export function registerChatHandlers(registry: DeskHandlerRegistry, chats: DeskChats): void {
  registry.register('chatDesk', () => ok(chats.view()));
  registry.register('acceptChat', ({ chatId }) => chats.accept(chatId));
  registry.register('declineChat', ({ chatId }) => chats.decline(chatId));
  registry.register('openChat', ({ chatId }) => chats.open(chatId));
  registry.register('sendChatMessage', ({ chatId, text }) => chats.send(chatId, text));
  registry.register('setTyping', ({ chatId, typing }) => chats.setTyping(chatId, typing));
  registry.register('endChat', ({ chatId }) => chats.end(chatId));
  registry.register('setAvailability', ({ availability }) => chats.setAvailability(availability));
}
