// The chat service: what a chat is and may do, between the customer's socket,
// the adviser's desks, the router and the store. Sockets call in with parsed
// input and get result envelopes; what the others must hear goes out through
// the `ChatPushes` it was given, so this file knows nothing of socket.io.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/result';
import {
  chatLimits,
  type AdviserAvailability,
  type AdviserPresence,
  type ChatEnded,
  type ChatMessage,
  type ChatMessageAck,
  type ChatOffer,
  type ChatParty,
  type ChatSession,
  type CustomerChatResumed,
  type CustomerChatStart,
  type CustomerChatState,
  type CustomerLeft,
  type DeskChatResync,
  type QueuePosition,
  type QueueStats,
  type QueuedCall as QueuedCallAnswer,
} from '../../shared/wire/chat';
import type { CallOffer } from '../../shared/wire/socket';
import type { RoutingClock } from '../routing/clock';
import { Router, type RoutedOffer, type WithdrawnReason } from '../routing/router';
import { WaitEstimator } from '../routing/wait-estimate';
import { defaultChatStartRate, KeyedTokenBuckets, type RateLimit } from './rate-limit';
import { isOpen, startOfServiceDay, type ServiceHours } from './service-hours';
import type { ChatStore, StoredChat } from './types';

/** Everything the service tells the outside world; socket.io carries it (see sockets.ts). */
export interface ChatPushes {
  toAdviser: {
    chatOffered(adviserId: string, offer: ChatOffer): void;
    callOffered(adviserId: string, offer: CallOffer): void;
    offerWithdrawn(
      adviserId: string,
      kind: 'chat' | 'call',
      id: string,
      reason: WithdrawnReason,
    ): void;
    message(adviserId: string, message: ChatMessage): void;
    typing(adviserId: string, chatId: string, typing: boolean): void;
    customerLeft(adviserId: string, left: CustomerLeft): void;
    transcriptRequested(adviserId: string, chatId: string, email: string, at: string): void;
    presence(adviserId: string, presence: AdviserPresence): void;
  };
  toCustomer: {
    queue(chatId: string, position: QueuePosition): void;
    connected(chatId: string, adviserName: string, at: string): void;
    message(chatId: string, message: ChatMessage): void;
    typing(chatId: string, typing: boolean): void;
    ended(chatId: string, ended: ChatEnded): void;
  };
  queueStats(stats: QueueStats): void;
}

export interface ChatServiceOptions {
  /** How long a chat or call offer waits for an accept (default 20 s). */
  offerTimeoutMs?: number;
  /** How many chats an adviser may hold at once (default 2). */
  maxChatsPerAdviser?: number;
  /**
   * How long a customer may be gone (a reload, a dropped phone signal) before
   * a waiting chat counts as abandoned and a connected one as ended (default 2 minutes).
   */
  customerGraceMs?: number;
  /** When customers may start a chat (default 08:00 to 22:00 UK time). */
  serviceHours?: ServiceHours;
  /**
   * Most chats that may wait for an answer at once (default 200). Beyond it a
   * young person is told honestly that we are too busy, not left in a queue
   * that will not move before closing time.
   */
  maxWaitingChats?: number;
  /**
   * Most waiting chats started from one client address (default 20). Many
   * pupils in one school share an address, so this is a flood guard, not a
   * per-person limit.
   */
  maxWaitingChatsPerAddress?: number;
  /** Chat starts per client address: a burst, then a steady rate (default 20, then one every 5 s). */
  chatStartRate?: RateLimit;
}

/** Where a chat start came from, for the per-address queue limits. */
export interface ChatStartOrigin {
  /** The client's network address as the server sees it. */
  address: string;
}

export const defaultQueueLimits = {
  maxWaitingChats: 200,
  maxWaitingChatsPerAddress: 20,
} as const;

/** Said as is by the customer page: why no chat could start, and what to do instead. */
export const queueRefusals = {
  full: 'We are very busy right now and cannot take any more chats at the moment. Please try again in a little while. If you need to talk to someone now, Childline is free on 0800 1111, any time.',
  address:
    'A lot of chats from your network (your school or college, perhaps) are waiting already, so we cannot take another one from it just now. Please try again in a few minutes.',
  rate: 'A lot of chats have been started from your network in the last few minutes. Please wait a minute or two and try again.',
} as const;

export interface ChatServiceDependencies {
  store: ChatStore;
  /** The adviser's display name, for the customer and the message log. */
  adviserName(adviserId: string): string | null;
  clock: RoutingClock;
  pushes: ChatPushes;
  log(line: string): void;
}

const statsRefreshMs = 15_000;
/** Queue figures go to the desks at most this often. */
const statsPushEveryMs = 250;

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The customer sees only the adviser's first name. */
const firstName = (displayName: string) => displayName.trim().split(/\s+/)[0] ?? displayName;

export function tooLong(text: unknown): Result<never> | null {
  if (typeof text !== 'string' || text.length <= chatLimits.maxMessageChars) return null;
  return fail(
    'payload_too_large',
    `A message can be at most ${chatLimits.maxMessageChars} characters; this one has ${text.length}. Send it in shorter parts.`,
  );
}

interface QueuedCall {
  cli: string | null;
  queuedAt: number;
}

export class ChatService {
  readonly router: Router;
  private readonly estimator = new WaitEstimator();
  private readonly store: ChatStore;
  private readonly clock: RoutingClock;
  private readonly pushes: ChatPushes;
  private readonly graceMs: number;
  private readonly serviceHours: ServiceHours | undefined;
  /** Customers gone from a chat, with the timer that gives up on them. */
  private readonly goneTimers = new Map<string, () => void>();
  /** Calls waiting in the call queue, before any adviser holds them. */
  private readonly queuedCalls = new Map<string, QueuedCall>();
  private statsPending = false;
  private lastStatsPushAt = Number.NEGATIVE_INFINITY;
  private cancelStatsPush: () => void = () => undefined;
  private stopRefresh: () => void = () => undefined;
  /** Set on shutdown: sockets closing then must not start timers that outlive the store. */
  private closed = false;
  private queuePending = false;
  /** What each waiting customer was last told of their place, so only a change is pushed. */
  private readonly toldPlaces = new Map<string, string>();
  private readonly maxWaitingChats: number;
  private readonly maxWaitingChatsPerAddress: number;
  /**
   * The address each waiting chat was started from. Kept in memory only (an
   * address is personal data, and a restart forgets the flood too); a chat is
   * dropped as it leaves the queue.
   */
  private readonly addressOfWaiting = new Map<string, string>();
  private readonly startsByAddress: KeyedTokenBuckets;

  constructor(
    private readonly deps: ChatServiceDependencies,
    options: ChatServiceOptions = {},
  ) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.pushes = deps.pushes;
    this.graceMs = options.customerGraceMs ?? 120_000;
    this.serviceHours = options.serviceHours;
    this.maxWaitingChats = options.maxWaitingChats ?? defaultQueueLimits.maxWaitingChats;
    this.maxWaitingChatsPerAddress =
      options.maxWaitingChatsPerAddress ?? defaultQueueLimits.maxWaitingChatsPerAddress;
    this.startsByAddress = new KeyedTokenBuckets(
      options.chatStartRate ?? defaultChatStartRate,
      () => deps.clock.now(),
    );
    this.router = new Router({
      clock: deps.clock,
      offerTimeoutMs: options.offerTimeoutMs,
      maxChats: options.maxChatsPerAdviser,
      listeners: {
        offered: (adviserId, offer) => this.offered(adviserId, offer),
        withdrawn: (adviserId, kind, id, reason) =>
          this.pushes.toAdviser.offerWithdrawn(adviserId, kind, id, reason),
        presence: (adviserId, presence) => this.pushes.toAdviser.presence(adviserId, presence),
        statsChanged: () => this.statsChanged(),
        queueMoved: (kind) => {
          if (kind === 'chat') this.queueMoved();
        },
        answered: (answer) => {
          if (answer.kind !== 'chat') return;
          this.estimator.record(answer);
          this.addressOfWaiting.delete(answer.id);
        },
        abandoned: (left) => {
          if (left.kind === 'chat') this.addressOfWaiting.delete(left.id);
          const at = new Date(left.leftAt).toISOString();
          if (left.kind === 'chat') this.store.markAbandoned(left.id, at, left.waitedMs);
          else {
            this.store.recordAbandonment(
              'call',
              left.id,
              new Date(left.queuedAt).toISOString(),
              at,
              left.waitedMs,
            );
          }
          deps.log(`${left.kind} ${left.id} abandoned after ${Math.round(left.waitedMs / 1000)} s`);
        },
      },
    });
    this.recover();
    this.refreshStats();
  }

  /** Waits grow while nothing happens: desks get fresh figures every so often while anyone waits. */
  private refreshStats(): void {
    this.stopRefresh = this.clock.after(statsRefreshMs, () => {
      const { chatsWaiting, callsWaiting } = this.router.stats();
      if (chatsWaiting + callsWaiting > 0) this.statsChanged();
      this.refreshStats();
    });
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** After a restart: waiting chats queue again where they were, held ones stay held, and every customer has the grace time to come back. */
  private recover(): void {
    for (const answer of this.store.recentAnswers(30)) {
      this.estimator.record({ ...answer, answeredAt: Date.parse(answer.answeredAt) });
    }
    for (const chat of this.store.unfinished()) {
      if (chat.status === 'queued') this.router.enqueue('chat', chat.id, Date.parse(chat.queuedAt));
      else if (chat.adviserId) this.router.hold(chat.adviserId, 'chat', chat.id);
      this.customerGone(chat.id);
    }
  }

  close(): void {
    this.closed = true;
    this.stopRefresh();
    this.cancelStatsPush();
    this.router.close();
    for (const cancel of this.goneTimers.values()) cancel();
    this.goneTimers.clear();
  }

  // ---------------------------------------------------------------- pushes, coalesced

  private statsChanged(): void {
    if (this.statsPending || this.closed) return;
    this.statsPending = true;
    const push = () => {
      this.statsPending = false;
      this.cancelStatsPush = () => undefined;
      if (this.closed) return;
      this.lastStatsPushAt = this.clock.now();
      this.pushes.queueStats(this.queueStats());
    };
    // Several changes in one turn (an answer moves three figures) make one push, and desks
    // get one at most every statsPushEveryMs: each push goes to every desk, so in a burst of
    // joins one push per join was most of the server's work.
    const wait = Math.min(
      statsPushEveryMs,
      this.lastStatsPushAt + statsPushEveryMs - this.clock.now(),
    );
    if (wait <= 0) queueMicrotask(push);
    else this.cancelStatsPush = this.clock.after(wait, push);
  }

  /**
   * Tells each waiting customer their place and expected wait when either has
   * changed. Every place comes from one ordering of the queue, and a customer
   * is told only what is new: in a burst of joins, each join moves nobody
   * already waiting, so it costs one push, not one per customer waiting.
   */
  private queueMoved(): void {
    if (this.queuePending) return;
    this.queuePending = true;
    queueMicrotask(() => {
      this.queuePending = false;
      // The router's chat queue is the chats waiting for an answer (offered ones included).
      const places = this.router.positions('chat');
      const now = this.clock.now();
      for (const [chatId, position] of places) {
        const place = this.placeOf(chatId, position, now);
        const told = `${place.position}/${place.expectedWaitSeconds}/${place.basedOnAnswered}`;
        if (this.toldPlaces.get(chatId) === told) continue;
        this.toldPlaces.set(chatId, told);
        this.pushes.toCustomer.queue(chatId, place);
      }
      for (const chatId of this.toldPlaces.keys()) {
        if (!places.has(chatId)) this.toldPlaces.delete(chatId);
      }
    });
  }

  queuePosition(chatId: string): QueuePosition | null {
    const position = this.router.positionOf('chat', chatId);
    return position === null ? null : this.placeOf(chatId, position, this.clock.now());
  }

  private placeOf(chatId: string, position: number, now: number): QueuePosition {
    const estimate = this.estimator.estimate(position, now);
    return {
      chatId,
      position,
      expectedWaitSeconds: estimate.seconds,
      basedOnAnswered: estimate.basedOn,
    };
  }

  private offered(adviserId: string, offer: RoutedOffer): void {
    if (offer.kind === 'call') {
      const call = this.queuedCalls.get(offer.id);
      if (!call) return;
      this.pushes.toAdviser.callOffered(adviserId, {
        callId: offer.id,
        channel: 'voice',
        cli: call.cli,
        offeredAt: new Date(offer.offeredAt).toISOString(),
      });
      return;
    }
    const chat = this.store.find(offer.id);
    if (!chat) return;
    this.pushes.toAdviser.chatOffered(adviserId, this.offerOf(chat, offer));
  }

  private offerOf(chat: StoredChat, offer: RoutedOffer): ChatOffer {
    return {
      chatId: chat.id,
      customerName: chat.customerName,
      age: chat.age,
      queuedAt: chat.queuedAt,
      offeredAt: new Date(offer.offeredAt).toISOString(),
      expiresAt: new Date(offer.expiresAt).toISOString(),
    };
  }

  // ---------------------------------------------------------------- the customer

  /**
   * A customer asks for a chat. Outside service hours, with the queue full, or
   * with too many chats waiting from (or just started at) the same address, the
   * answer is a refusal whose message the page shows as it is.
   */
  start(input: CustomerChatStart, origin?: ChatStartOrigin): Result<CustomerChatState> {
    if (!isOpen(this.clock.now(), this.serviceHours)) {
      return fail(
        'unavailable',
        'The helpline is closed now: it is open from 08:00 to 22:00 UK time, every day',
      );
    }
    const limited = this.queueLimited(origin);
    if (limited) return limited;
    const id = randomUUID();
    const resumeToken = randomBytes(32).toString('base64url');
    this.store.create({
      id,
      resumeTokenHash: hashToken(resumeToken),
      customerName: input.name,
      age: input.age ?? null,
      queuedAt: this.nowIso(),
      positionAtJoin: this.router.stats().chatsWaiting + 1,
    });
    this.router.enqueue('chat', id, this.clock.now());
    if (origin) this.addressOfWaiting.set(id, origin.address);
    const chat = this.store.find(id);
    if (!chat) return fail('internal', 'The chat could not be kept');
    return ok({ ...this.customerState(chat), resumeToken });
  }

  /** The refusal a new chat gets from the queue limits, or null when it may join. */
  private queueLimited(origin: ChatStartOrigin | undefined): Result<never> | null {
    const waiting = this.router.positions('chat');
    if (waiting.size >= this.maxWaitingChats) {
      this.deps.log(`chat start refused: ${waiting.size} chats waiting already`);
      return fail('unavailable', queueRefusals.full);
    }
    if (!origin) return null;
    // Counted against the queue itself, so a chat that left by any path no longer counts.
    let fromAddress = 0;
    for (const [chatId, address] of this.addressOfWaiting) {
      if (!waiting.has(chatId)) this.addressOfWaiting.delete(chatId);
      else if (address === origin.address) fromAddress += 1;
    }
    // The address stays out of the log: it is personal data, and the figure is what matters.
    if (fromAddress >= this.maxWaitingChatsPerAddress) {
      this.deps.log(`chat start refused: ${fromAddress} chats waiting from one address`);
      return fail('rate_limited', queueRefusals.address);
    }
    // Taken last, so starts refused for a full queue do not use up the address's allowance.
    if (!this.startsByAddress.take(origin.address)) {
      this.deps.log('chat start refused: too many starts from one address');
      return fail('rate_limited', queueRefusals.rate);
    }
    return null;
  }

  private customerState(chat: StoredChat): Omit<CustomerChatState, 'resumeToken'> {
    const adviserName =
      chat.adviserId !== null
        ? firstName(this.deps.adviserName(chat.adviserId) ?? 'Adviser')
        : null;
    return {
      chatId: chat.id,
      status: chat.status === 'abandoned' ? 'ended' : chat.status,
      queue: chat.status === 'queued' ? this.queuePosition(chat.id) : null,
      adviserName,
      name: chat.customerName,
    };
  }

  /** Takes a chat back after a reload or a dropped connection; the page shows what it missed. */
  resume(resumeToken: string, lastSeenSeq: number): Result<CustomerChatResumed> {
    const chat = this.store.findByResumeTokenHash(hashToken(resumeToken));
    if (!chat) return fail('not_found', 'That chat is not known here; start a new one');
    this.customerBack(chat.id);
    if (chat.status === 'connected') this.store.acknowledge(chat.id, 'customer', lastSeenSeq);
    return ok({
      ...this.customerState(chat),
      resumeToken,
      messages: this.store.messages(chat.id, lastSeenSeq),
      endedBy: chat.endedBy,
    });
  }

  customerMessage(chatId: string, clientMessageId: string, text: string): Result<ChatMessageAck> {
    const chat = this.store.find(chatId);
    if (!chat) return fail('not_found', 'There is no such chat');
    return this.append(chat, 'customer', chat.customerName, clientMessageId, text);
  }

  /**
   * The acknowledgement again for a message the customer already sent (same
   * client id): a resend after a lost acknowledgement is told it is a
   * duplicate and nobody is shown it twice. Null when the message is new.
   */
  customerRepeat(chatId: string, clientMessageId: string): Result<ChatMessageAck> | null {
    const kept = this.store.findMessage(chatId, 'customer', clientMessageId);
    if (!kept) return null;
    return ok({
      chatId,
      clientMessageId,
      seq: kept.seq,
      sentAt: kept.sentAt,
      duplicate: true,
    });
  }

  customerReceipt(chatId: string, upToSeq: number): void {
    this.store.acknowledge(chatId, 'customer', upToSeq);
  }

  customerTyping(chatId: string, typing: boolean): void {
    const chat = this.store.find(chatId);
    if (chat?.status === 'connected' && chat.adviserId) {
      this.pushes.toAdviser.typing(chat.adviserId, chatId, typing);
    }
  }

  requestTranscript(chatId: string, email: string): Result<{ chatId: string; email: string }> {
    if (!this.store.setTranscriptEmail(chatId, email)) {
      return fail('not_found', 'There is no such chat');
    }
    const chat = this.store.find(chatId);
    if (chat?.adviserId) {
      this.pushes.toAdviser.transcriptRequested(chat.adviserId, chatId, email, this.nowIso());
    }
    return ok({ chatId, email });
  }

  /** The customer pressed End chat (`how: 'ended'`) or did not come back (`'gone'`). */
  customerLeaves(chatId: string, how: CustomerLeft['how']): Result<ChatEnded> {
    const chat = this.store.find(chatId);
    if (!chat) return fail('not_found', 'There is no such chat');
    this.cancelGone(chatId);
    const at = this.nowIso();
    if (chat.status === 'queued') {
      // The router records the abandonment, with the wait, through its listener.
      this.router.leave('chat', chatId);
      return ok({ chatId, endedBy: 'customer', at });
    }
    if (chat.status === 'connected' && this.store.markEnded(chatId, at, 'customer')) {
      this.router.finish('chat', chatId);
      if (chat.adviserId) this.pushes.toAdviser.customerLeft(chat.adviserId, { chatId, at, how });
      return ok({ chatId, endedBy: 'customer', at });
    }
    const ended = this.store.find(chatId);
    return ok({
      chatId,
      endedBy: ended?.endedBy ?? 'customer',
      at: ended?.endedAt ?? at,
    });
  }

  /** The customer's last connection to a chat closed: wait a while, then give up on them. */
  customerGone(chatId: string): void {
    if (this.closed) return;
    this.cancelGone(chatId);
    const cancel = this.clock.after(this.graceMs, () => {
      this.goneTimers.delete(chatId);
      this.customerLeaves(chatId, 'gone');
    });
    this.goneTimers.set(chatId, cancel);
  }

  customerBack(chatId: string): void {
    this.cancelGone(chatId);
  }

  private cancelGone(chatId: string): void {
    this.goneTimers.get(chatId)?.();
    this.goneTimers.delete(chatId);
  }

  // ---------------------------------------------------------------- the adviser

  deskConnected(adviserId: string): {
    presence: AdviserPresence;
    unacknowledged: ChatMessage[];
    offers: ChatOffer[];
  } {
    const presence = this.router.deskConnected(adviserId);
    const unacknowledged: ChatMessage[] = [];
    for (const chat of this.store.connectedFor(adviserId)) {
      unacknowledged.push(
        ...this.store
          .messages(chat.id, chat.adviserAckedSeq)
          .filter((message) => message.from === 'customer'),
      );
    }
    return { presence, unacknowledged, offers: this.openOffers(adviserId) };
  }

  deskDisconnected(adviserId: string): void {
    this.router.deskDisconnected(adviserId);
  }

  private openOffers(adviserId: string): ChatOffer[] {
    const offers: ChatOffer[] = [];
    for (const offer of this.router.offersTo(adviserId)) {
      if (offer.kind !== 'chat') continue;
      const chat = this.store.find(offer.id);
      if (chat) offers.push(this.offerOf(chat, offer));
    }
    return offers;
  }

  setAvailability(adviserId: string, availability: AdviserAvailability): AdviserPresence {
    return this.router.setAvailability(adviserId, availability);
  }

  accept(adviserId: string, chatId: string): Result<ChatSession> {
    const accepted = this.router.accept(adviserId, 'chat', chatId);
    if (!accepted.ok) return accepted;
    const at = new Date(accepted.value.answeredAt).toISOString();
    if (!this.store.markAnswered(chatId, adviserId, at, accepted.value.waitedMs)) {
      // The customer left in the same moment; the adviser is free of it again.
      this.router.finish('chat', chatId);
      return fail('conflict', 'The customer left before the chat was answered');
    }
    this.deps.log(`chat ${chatId} answered after ${Math.round(accepted.value.waitedMs / 1000)} s`);
    const name = firstName(this.deps.adviserName(adviserId) ?? 'Adviser');
    this.pushes.toCustomer.connected(chatId, name, at);
    return this.log(adviserId, chatId);
  }

  decline(adviserId: string, kind: 'chat' | 'call', id: string): Result<null> {
    return this.router.decline(adviserId, kind, id);
  }

  adviserMessage(
    adviserId: string,
    chatId: string,
    clientMessageId: string,
    text: string,
  ): Result<ChatMessageAck> {
    const chat = this.heldChat(adviserId, chatId);
    if (!chat.ok) return chat;
    const author = firstName(this.deps.adviserName(adviserId) ?? 'Adviser');
    return this.append(chat.value, 'adviser', author, clientMessageId, text);
  }

  adviserReceipt(adviserId: string, chatId: string, upToSeq: number): Result<null> {
    const chat = this.heldChat(adviserId, chatId);
    if (!chat.ok) return chat;
    this.store.acknowledge(chatId, 'adviser', upToSeq);
    return ok(null);
  }

  adviserTyping(adviserId: string, chatId: string, typing: boolean): Result<null> {
    const chat = this.heldChat(adviserId, chatId);
    if (!chat.ok) return chat;
    if (chat.value.status === 'connected') this.pushes.toCustomer.typing(chatId, typing);
    return ok(null);
  }

  adviserEnds(adviserId: string, chatId: string): Result<ChatEnded> {
    const chat = this.heldChat(adviserId, chatId);
    if (!chat.ok) return chat;
    const at = this.nowIso();
    if (this.store.markEnded(chatId, at, 'adviser')) {
      this.cancelGone(chatId);
      this.router.finish('chat', chatId);
      const ended: ChatEnded = { chatId, endedBy: 'adviser', at };
      this.pushes.toCustomer.ended(chatId, ended);
      return ok(ended);
    }
    // Already over (the customer left first): ending it again is a harmless repeat.
    return ok({
      chatId,
      endedBy: chat.value.endedBy ?? 'adviser',
      at: chat.value.endedAt ?? at,
    });
  }

  /** Every chat the adviser holds, whole, and the offers open to them: a desk's fresh start. */
  resync(adviserId: string): DeskChatResync {
    return {
      chats: this.store.connectedFor(adviserId).map((chat) => this.session(chat)),
      offers: this.openOffers(adviserId),
      presence: this.router.presence(adviserId),
      queue: this.queueStats(),
    };
  }

  /** One chat's whole log, for the adviser who held it: part of the interaction record. */
  log(adviserId: string, chatId: string): Result<ChatSession> {
    const chat = this.heldChat(adviserId, chatId);
    return chat.ok ? ok(this.session(chat.value)) : chat;
  }

  /** The router's figures, with the day's abandonments from the store (they survive a restart). */
  queueStats(): QueueStats {
    const since = new Date(startOfServiceDay(this.clock.now())).toISOString();
    return { ...this.router.stats(), abandonedToday: this.store.abandonedSince(since) };
  }

  private session(chat: StoredChat): ChatSession {
    return {
      chatId: chat.id,
      customerName: chat.customerName,
      age: chat.age,
      status: chat.status === 'abandoned' ? 'ended' : chat.status,
      queuedAt: chat.queuedAt,
      answeredAt: chat.answeredAt,
      endedAt: chat.endedAt,
      endedBy: chat.endedBy,
      transcriptEmail: chat.transcriptEmail,
      messages: this.store.messages(chat.id),
    };
  }

  private heldChat(adviserId: string, chatId: string): Result<StoredChat> {
    const chat = this.store.find(chatId);
    // Someone else's chat and no chat at all look the same from outside.
    if (!chat || chat.adviserId !== adviserId) return fail('not_found', 'You hold no such chat');
    return ok(chat);
  }

  private append(
    chat: StoredChat,
    from: ChatParty,
    author: string,
    clientMessageId: string,
    text: string,
  ): Result<ChatMessageAck> {
    const appended = this.store.append({
      chatId: chat.id,
      from,
      clientMessageId,
      author,
      text,
      sentAt: this.nowIso(),
    });
    if (!appended) return fail('conflict', 'This chat has ended');
    const { message, duplicate } = appended;
    // A repeat was delivered the first time; sending it on again would show it twice.
    if (!duplicate) {
      if (from === 'customer' && chat.adviserId) {
        this.pushes.toAdviser.message(chat.adviserId, message);
      } else if (from === 'adviser') {
        // The adviser's other desks hear of it from the socket layer, which knows the sender.
        this.pushes.toCustomer.message(chat.id, message);
      }
    }
    return ok({
      chatId: chat.id,
      clientMessageId,
      seq: message.seq,
      sentAt: message.sentAt,
      duplicate,
    });
  }

  // ---------------------------------------------------------------- calls through the queue

  /** A call with no adviser named joins the call queue; routing offers it. */
  queueCall(cli: string | null): QueuedCallAnswer {
    const callId = randomUUID();
    const queuedAt = this.clock.now();
    this.queuedCalls.set(callId, { cli, queuedAt });
    const position = this.router.enqueue('call', callId, queuedAt);
    this.deps.log(`call ${callId} queued at place ${position}`);
    // An offer made at once still counts the call as first in line.
    return { callId, queuedAt: new Date(queuedAt).toISOString(), position: Math.max(1, position) };
  }

  /**
   * The desk answers a routed call it was offered: the router hands it over and
   * the caller's details come back so the telephony side can connect it.
   * Null when the call is not one of the queue's (a call rung to a named adviser).
   */
  takeQueuedCall(adviserId: string, callId: string): Result<QueuedCall> | null {
    const call = this.queuedCalls.get(callId);
    if (!call) return null;
    const accepted = this.router.accept(adviserId, 'call', callId);
    if (!accepted.ok) return accepted;
    this.queuedCalls.delete(callId);
    return ok(call);
  }

  /** The caller hung up while waiting: an abandonment. False when the queue does not hold it. */
  callerLeftQueue(callId: string): boolean {
    if (!this.queuedCalls.has(callId)) return false;
    this.queuedCalls.delete(callId);
    this.router.leave('call', callId);
    return true;
  }

  /** A call reached an adviser outside the queue, or ended: their room follows it. */
  callConnected(adviserId: string, callId: string): void {
    this.router.hold(adviserId, 'call', callId);
  }

  callEnded(callId: string): void {
    this.router.finish('call', callId);
  }
}
