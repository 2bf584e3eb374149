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
import { Coalesced, type RoutingClock } from '../routing/clock';
import { Router, type RoutedOffer, type WithdrawnReason } from '../routing/router';
import { KeyedTurns } from '../routing/turns';
import { WaitEstimator } from '../routing/wait-estimate';
import { defaultChatStartRate, KeyedTokenBuckets, type RateLimit } from './rate-limit';
import { isOpen, type ServiceHours } from '../../shared/time/service-hours';
import { startOfServiceDay } from './service-hours';
import type { ChatStore, StoredChat } from './types';
import type { BoardAdviserState } from '../../shared/wire/dashboard';
import type { LogLine } from '../logging';

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
  /** The same moment's advisers by state, for the team leaders' live board. */
  adviserStates?(states: Record<BoardAdviserState, number>, stats: QueueStats): void;
}

export interface ChatServiceOptions {
  /** How long a chat or call offer waits for an accept (default 20 s). */
  offerTimeoutMs?: number;
  /** How many chats an adviser may hold at once (default 2). */
  maxChatsPerAdviser?: number;
  /**
   * How long after declining a chat or call an adviser may be offered it
   * again, when nobody else has room for it (default 30 s).
   */
  declinedPauseMs?: number;
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
  adviserName(adviserId: string): Promise<string | null>;
  clock: RoutingClock;
  pushes: ChatPushes;
  log: LogLine;
}

/** A message as kept, and the acknowledgement its sender gets. */
export interface SentMessage {
  ack: ChatMessageAck;
  /** The kept copy: for a repeat, the first one, which everybody has already been sent. */
  message: ChatMessage;
}

const statsRefreshMs = 15_000;
/** Queue figures go to the desks at most this often. */
const statsPushEveryMs = 250;
/**
 * Waiting customers hear of a new place at most this often. When advisers
 * answer a long queue quickly, every answer moves everyone behind it: told at
 * each answer, a queue of n costs n squared pushes (at 600 waiting, 180,000,
 * which across several processes outran the database that carries them).
 */
const placesPushEveryMs = 500;
/** How long an adviser's first name is reused before it is read again. */
const firstNameKeptMs = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The customer sees only the adviser's first name. */
const firstName = (displayName: string) => displayName.trim().split(/\s+/)[0] ?? displayName;

const describeError = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

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

/** What an offer of a waiting chat shows, kept in memory so an offer goes out the moment routing makes it. */
interface WaitingChat {
  customerName: string;
  age: number | null;
  queuedAt: string;
}

/**
 * Every decision about a chat is taken once. Routing decides in memory and at
 * once; the store's writes are conditional (still queued? still open?); and
 * what reads the store, decides, and writes for one chat (answering, ending,
 * leaving, a message) takes its turn on that chat, so two events about it
 * never act on the same stale picture.
 */
export class ChatService {
  readonly router: Router;
  private readonly estimator = new WaitEstimator();
  private readonly store: ChatStore;
  private readonly clock: RoutingClock;
  private readonly pushes: ChatPushes;
  private readonly graceMs: number;
  private readonly serviceHours: ServiceHours | undefined;
  /** One chat's reads, decisions and writes at a time. */
  private readonly turns = new KeyedTurns();
  /** Customers gone from a chat, with the timer that gives up on them. */
  private readonly goneTimers = new Map<string, () => void>();
  /** Calls waiting in the call queue, before any adviser holds them. */
  private readonly queuedCalls = new Map<string, QueuedCall>();
  /** The chats routing has waiting, with what their offers show. */
  private readonly waitingChats = new Map<string, WaitingChat>();
  /** Numbers each read of the figures for a push, so a slow read never overwrites a newer one. */
  private statsAsked = 0;
  private statsPushed = 0;
  private statsReading: Promise<void> = Promise.resolve();
  private stopRefresh: () => void = () => undefined;
  /** Set on shutdown: sockets closing then must not start timers that outlive the store. */
  private closed = false;
  private closing: Promise<void> | null = null;
  private restoring: Promise<void> | null = null;
  private readonly firstNames = new Map<string, { name: string; at: number }>();
  /**
   * Several changes in one turn (an answer moves three figures) make one push, and desks get
   * one at most every statsPushEveryMs: each push goes to every desk, so in a burst of joins
   * one push per join was most of the server's work.
   */
  private readonly statsPush: Coalesced;
  /** Waiting customers' places, pushed at most every placesPushEveryMs (see queueMoved). */
  private readonly placesPush: Coalesced;
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
  /**
   * Chats past the queue limits and being written, not yet in routing's queue:
   * they count against the limits, so starts arriving while they are written
   * cannot all slip through. The address, or null for a start without one.
   */
  private readonly joining = new Map<string, string | null>();
  private readonly startsByAddress: KeyedTokenBuckets;

  constructor(
    private readonly deps: ChatServiceDependencies,
    options: ChatServiceOptions = {},
  ) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.statsPush = new Coalesced(deps.clock, statsPushEveryMs, () => this.pushStats());
    this.placesPush = new Coalesced(deps.clock, placesPushEveryMs, () => this.pushPlaces());
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
      declinedPauseMs: options.declinedPauseMs,
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
        // The store hears of an abandonment from whoever asked routing to let the contact go.
        abandoned: (left) => {
          if (left.kind === 'chat') {
            this.addressOfWaiting.delete(left.id);
            this.waitingChats.delete(left.id);
          }
          deps.log(`${left.kind} ${left.id} abandoned after ${Math.round(left.waitedMs / 1000)} s`);
        },
      },
    });
    this.refreshStats();
  }

  /**
   * After a restart: waiting chats queue again where they were, held ones stay
   * held, and every customer has the grace time to come back. Await it before
   * the server takes connections; asked again, it answers the same promise.
   */
  restore(): Promise<void> {
    this.restoring ??= this.takeBack();
    return this.restoring;
  }

  private async takeBack(): Promise<void> {
    const [answers, unfinished] = await Promise.all([
      this.store.recentAnswers(30),
      this.store.unfinished(),
    ]);
    for (const answer of answers) {
      this.estimator.record({ ...answer, answeredAt: Date.parse(answer.answeredAt) });
    }
    for (const chat of unfinished) {
      if (chat.status === 'queued') {
        this.waitingChats.set(chat.id, {
          customerName: chat.customerName,
          age: chat.age,
          queuedAt: chat.queuedAt,
        });
        this.router.enqueue('chat', chat.id, Date.parse(chat.queuedAt));
      } else if (chat.adviserId) {
        this.router.hold(chat.adviserId, 'chat', chat.id);
      }
      this.customerGone(chat.id);
    }
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

  /** Stops every timer at once; resolves when the work already under way has reached the store. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.stopRefresh();
    this.statsPush.cancel();
    this.placesPush.cancel();
    this.router.close();
    for (const cancel of this.goneTimers.values()) cancel();
    this.goneTimers.clear();
    this.closing = Promise.all([this.turns.settled(), this.statsReading]).then(() => undefined);
    return this.closing;
  }

  // ---------------------------------------------------------------- pushes, coalesced

  private statsChanged(): void {
    if (!this.closed) this.statsPush.request();
  }

  private pushStats(): void {
    if (this.closed) return;
    const asked = ++this.statsAsked;
    this.statsReading = this.queueStats()
      .then((stats) => {
        // A change while the figures were read has asked for a later push; an older read
        // finishing after a newer one must not put stale figures on the desks.
        if (this.closed || asked < this.statsPushed) return;
        this.statsPushed = asked;
        this.pushes.queueStats(stats);
        this.pushes.adviserStates?.(this.router.adviserStates(), stats);
      })
      .catch((error: unknown) =>
        this.deps.log(`queue figures could not be read: ${describeError(error)}`, 'warn'),
      );
  }

  /**
   * Tells each waiting customer their place and expected wait when either has
   * changed. Every place comes from one ordering of the queue, and a customer
   * is told only what is new: in a burst of joins, each join moves nobody
   * already waiting, so it costs one push, not one per customer waiting. The
   * pushes go at most every `placesPushEveryMs`; a customer learns their first
   * place from the answer to their start.
   */
  private queueMoved(): void {
    if (!this.closed) this.placesPush.request();
  }

  private pushPlaces(): void {
    if (this.closed) return;
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
    const chat = this.waitingChats.get(offer.id);
    if (chat) this.pushes.toAdviser.chatOffered(adviserId, this.offerOf(offer.id, chat, offer));
  }

  private offerOf(chatId: string, chat: WaitingChat, offer: RoutedOffer): ChatOffer {
    return {
      chatId,
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
  async start(
    input: CustomerChatStart,
    origin?: ChatStartOrigin,
  ): Promise<Result<CustomerChatState>> {
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
    const queuedAtMs = this.clock.now();
    const chat: WaitingChat = {
      customerName: input.name,
      age: input.age ?? null,
      queuedAt: new Date(queuedAtMs).toISOString(),
    };
    this.joining.set(id, origin?.address ?? null);
    try {
      await this.store.create({
        id,
        resumeTokenHash: hashToken(resumeToken),
        deviceKeyHash: input.deviceKey === undefined ? null : hashToken(input.deviceKey),
        ...chat,
        positionAtJoin: this.router.stats().chatsWaiting + this.joining.size,
      });
    } finally {
      this.joining.delete(id);
    }
    // Offered only once it is kept, so an answer always finds it in the store.
    this.waitingChats.set(id, chat);
    if (origin) this.addressOfWaiting.set(id, origin.address);
    this.router.enqueue('chat', id, queuedAtMs);
    return ok({
      chatId: id,
      status: 'queued',
      queue: this.queuePosition(id),
      adviserName: null,
      name: input.name,
      resumeToken,
    });
  }

  /** The refusal a new chat gets from the queue limits, or null when it may join. */
  private queueLimited(origin: ChatStartOrigin | undefined): Result<never> | null {
    const waiting = this.router.positions('chat');
    if (waiting.size + this.joining.size >= this.maxWaitingChats) {
      this.deps.log(
        `chat start refused: ${waiting.size + this.joining.size} chats waiting already`,
      );
      return fail('unavailable', queueRefusals.full);
    }
    if (!origin) return null;
    // Counted against the queue itself, so a chat that left by any path no longer counts.
    let fromAddress = 0;
    for (const [chatId, address] of this.addressOfWaiting) {
      if (!waiting.has(chatId)) this.addressOfWaiting.delete(chatId);
      else if (address === origin.address) fromAddress += 1;
    }
    for (const address of this.joining.values()) {
      if (address === origin.address) fromAddress += 1;
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

  private async customerState(chat: StoredChat): Promise<Omit<CustomerChatState, 'resumeToken'>> {
    return {
      chatId: chat.id,
      status: chat.status === 'abandoned' ? 'ended' : chat.status,
      queue: chat.status === 'queued' ? this.queuePosition(chat.id) : null,
      adviserName: chat.adviserId !== null ? await this.adviserFirstName(chat.adviserId) : null,
      name: chat.customerName,
    };
  }

  /**
   * Every message an adviser sends carries their first name; read once a minute at most,
   * not once a message (a renamed account shows its new name within the minute).
   */
  private async adviserFirstName(adviserId: string): Promise<string> {
    const now = this.clock.now();
    const known = this.firstNames.get(adviserId);
    if (known && now - known.at < firstNameKeptMs) return known.name;
    const name = firstName((await this.deps.adviserName(adviserId)) ?? 'Adviser');
    this.firstNames.set(adviserId, { name, at: now });
    return name;
  }

  /** Takes a chat back after a reload or a dropped connection; the page shows what it missed. */
  async resume(resumeToken: string, lastSeenSeq: number): Promise<Result<CustomerChatResumed>> {
    const found = await this.store.findByResumeTokenHash(hashToken(resumeToken));
    if (!found) return fail('not_found', 'That chat is not known here; start a new one');
    this.customerBack(found.id);
    // After whatever was already under way on the chat (the grace time running out, an
    // answer), so the page is told the chat as it now stands.
    return this.turns.run(found.id, async () => {
      const chat = (await this.store.find(found.id)) ?? found;
      if (chat.status === 'connected') {
        await this.store.acknowledge(chat.id, 'customer', lastSeenSeq);
      }
      return ok({
        ...(await this.customerState(chat)),
        resumeToken,
        messages: await this.store.messages(chat.id, lastSeenSeq),
        endedBy: chat.endedBy,
      });
    });
  }

  customerMessage(
    chatId: string,
    clientMessageId: string,
    text: string,
  ): Promise<Result<SentMessage>> {
    return this.turns.run(chatId, async () => {
      // The chat is found as the message is kept (one statement on PostgreSQL), and
      // read on its own only to say why a message was not kept.
      const sent = await this.append(chatId, { from: 'customer' }, clientMessageId, text);
      if (sent.ok) return sent;
      return (await this.store.find(chatId)) ? sent : fail('not_found', 'There is no such chat');
    });
  }

  /**
   * The kept message again for one the customer already sent (same client id):
   * a resend after a lost acknowledgement is told it is a duplicate, and the
   * adviser is sent it again as `append` does for a repeat. Null when the
   * message is new.
   */
  async customerRepeat(chatId: string, clientMessageId: string): Promise<SentMessage | null> {
    const kept = await this.store.findMessage(chatId, 'customer', clientMessageId);
    if (!kept) return null;
    const chat = await this.store.find(chatId);
    if (chat?.adviserId) this.pushes.toAdviser.message(chat.adviserId, kept);
    return {
      ack: { chatId, clientMessageId, seq: kept.seq, sentAt: kept.sentAt, duplicate: true },
      message: kept,
    };
  }

  async customerReceipt(chatId: string, upToSeq: number): Promise<void> {
    await this.store.acknowledge(chatId, 'customer', upToSeq);
  }

  async customerTyping(chatId: string, typing: boolean): Promise<void> {
    const chat = await this.store.find(chatId);
    if (chat?.status === 'connected' && chat.adviserId) {
      this.pushes.toAdviser.typing(chat.adviserId, chatId, typing);
    }
  }

  async requestTranscript(
    chatId: string,
    email: string,
  ): Promise<Result<{ chatId: string; email: string }>> {
    if (!(await this.store.setTranscriptEmail(chatId, email))) {
      return fail('not_found', 'There is no such chat');
    }
    const chat = await this.store.find(chatId);
    if (chat?.adviserId) {
      this.pushes.toAdviser.transcriptRequested(chat.adviserId, chatId, email, this.nowIso());
    }
    return ok({ chatId, email });
  }

  /** The customer pressed End chat (`how: 'ended'`) or did not come back (`'gone'`). */
  customerLeaves(chatId: string, how: CustomerLeft['how']): Promise<Result<ChatEnded>> {
    return this.turns.run(chatId, async () => {
      const chat = await this.store.find(chatId);
      if (!chat) return fail('not_found', 'There is no such chat');
      this.cancelGone(chatId);
      const at = this.nowIso();
      if (chat.status === 'queued') {
        // Routing lets it go (withdrawing an open offer) at once; the store then records the
        // abandonment with the wait, unless it was answered or ended some other way first.
        const left = this.router.leave('chat', chatId);
        this.waitingChats.delete(chatId);
        // A chat routing never had (queued by another process) is let go all the same.
        const waitedMs =
          left?.waitedMs ?? Math.max(0, this.clock.now() - Date.parse(chat.queuedAt));
        // The day's figure changes as this commits, after routing's own change was pushed.
        if (await this.store.markAbandoned(chatId, at, waitedMs)) this.statsChanged();
        return ok({ chatId, endedBy: 'customer', at });
      }
      if (chat.status === 'connected' && (await this.store.markEnded(chatId, at, 'customer'))) {
        this.router.finish('chat', chatId);
        if (chat.adviserId) this.pushes.toAdviser.customerLeft(chat.adviserId, { chatId, at, how });
        return ok({ chatId, endedBy: 'customer', at });
      }
      const ended = await this.store.find(chatId);
      return ok({
        chatId,
        endedBy: ended?.endedBy ?? 'customer',
        at: ended?.endedAt ?? at,
      });
    });
  }

  /** The customer's last connection to a chat closed: wait a while, then give up on them. */
  customerGone(chatId: string): void {
    if (this.closed) return;
    this.cancelGone(chatId);
    const cancel = this.clock.after(this.graceMs, () => {
      this.goneTimers.delete(chatId);
      this.customerLeaves(chatId, 'gone').catch((error: unknown) =>
        this.deps.log(
          `chat ${chatId}: giving up on the customer failed: ${describeError(error)}`,
          'error',
        ),
      );
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

  /** A desk of this adviser connected: routing counts it at once, and may offer them work. */
  deskConnected(adviserId: string): AdviserPresence {
    return this.router.deskConnected(adviserId);
  }

  /**
   * What a desk that has just connected is told: the customers' messages it
   * has not acknowledged, then its presence and open offers, taken last so
   * they are the latest when it hears them.
   */
  async deskCatchUp(adviserId: string): Promise<{
    presence: AdviserPresence;
    unacknowledged: ChatMessage[];
    offers: ChatOffer[];
  }> {
    const unacknowledged: ChatMessage[] = [];
    for (const chat of await this.store.connectedFor(adviserId)) {
      const missed = await this.store.messages(chat.id, chat.adviserAckedSeq);
      unacknowledged.push(...missed.filter((message) => message.from === 'customer'));
    }
    return {
      presence: this.router.presence(adviserId),
      unacknowledged,
      offers: this.openOffers(adviserId),
    };
  }

  deskDisconnected(adviserId: string): void {
    this.router.deskDisconnected(adviserId);
  }

  private openOffers(adviserId: string): ChatOffer[] {
    const offers: ChatOffer[] = [];
    for (const offer of this.router.offersTo(adviserId)) {
      if (offer.kind !== 'chat') continue;
      const chat = this.waitingChats.get(offer.id);
      if (chat) offers.push(this.offerOf(offer.id, chat, offer));
    }
    return offers;
  }

  setAvailability(adviserId: string, availability: AdviserAvailability): AdviserPresence {
    return this.router.setAvailability(adviserId, availability);
  }

  accept(adviserId: string, chatId: string): Promise<Result<ChatSession>> {
    return this.turns.run(chatId, async () => {
      // Routing decides who has it, once: a time-out or the customer leaving either came
      // first (and this accept is refused) or comes after, in its own turn.
      const accepted = this.router.accept(adviserId, 'chat', chatId);
      if (!accepted.ok) return accepted;
      const answer = accepted.value;
      const waiting = this.waitingChats.get(chatId);
      this.waitingChats.delete(chatId);
      const at = new Date(answer.answeredAt).toISOString();
      let kept: boolean;
      try {
        kept = await this.store.markAnswered(chatId, adviserId, at, answer.waitedMs);
      } catch (error) {
        // Not recorded: the customer goes back to the queue where they were, and the adviser is free.
        this.router.finish('chat', chatId);
        if (waiting) this.waitingChats.set(chatId, waiting);
        this.router.enqueue('chat', chatId, answer.queuedAt);
        throw error;
      }
      if (!kept) {
        // Over in the store already (ended by the service elsewhere): the adviser is free of it again.
        this.router.finish('chat', chatId);
        return fail('conflict', 'The customer left before the chat was answered');
      }
      this.deps.log(`chat ${chatId} answered after ${Math.round(answer.waitedMs / 1000)} s`);
      this.pushes.toCustomer.connected(chatId, await this.adviserFirstName(adviserId), at);
      return this.log(adviserId, chatId);
    });
  }

  decline(adviserId: string, kind: 'chat' | 'call', id: string): Result<null> {
    return this.router.decline(adviserId, kind, id);
  }

  /**
   * The adviser declines a call ringing on their desk. A call from the queue
   * goes to the next adviser; null when the queue does not hold it (a call rung
   * straight to them, which the telephony side ends and queues again).
   */
  declineCall(adviserId: string, callId: string): Result<null> | null {
    if (!this.queuedCalls.has(callId)) return null;
    return this.router.decline(adviserId, 'call', callId);
  }

  /**
   * `session`: the desk's session, checked by the write itself (see NewChatMessage), so the
   * socket layer need not read it before a message or a receipt.
   */
  adviserMessage(
    adviserId: string,
    chatId: string,
    clientMessageId: string,
    text: string,
    session?: string,
  ): Promise<Result<SentMessage>> {
    return this.turns.run(chatId, async () => {
      const author = await this.adviserFirstName(adviserId);
      const sent = await this.append(
        chatId,
        { from: 'adviser', adviserId, author, session },
        clientMessageId,
        text,
      );
      if (sent.ok) return sent;
      // Not kept: say whether the chat is not theirs or is over.
      const chat = await this.heldChat(adviserId, chatId);
      return chat.ok ? sent : chat;
    });
  }

  async adviserReceipt(
    adviserId: string,
    chatId: string,
    upToSeq: number,
    session?: string,
  ): Promise<Result<null>> {
    // One write in the usual case; only a receipt that moved nothing needs the chat read.
    if (await this.store.acknowledge(chatId, 'adviser', upToSeq, adviserId, session)) {
      return ok(null);
    }
    const chat = await this.heldChat(adviserId, chatId);
    return chat.ok ? ok(null) : chat;
  }

  async adviserTyping(adviserId: string, chatId: string, typing: boolean): Promise<Result<null>> {
    const chat = await this.heldChat(adviserId, chatId);
    if (!chat.ok) return chat;
    if (chat.value.status === 'connected') this.pushes.toCustomer.typing(chatId, typing);
    return ok(null);
  }

  adviserEnds(adviserId: string, chatId: string): Promise<Result<ChatEnded>> {
    return this.turns.run(chatId, async () => {
      const chat = await this.heldChat(adviserId, chatId);
      if (!chat.ok) return chat;
      const at = this.nowIso();
      if (await this.store.markEnded(chatId, at, 'adviser')) {
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
    });
  }

  /** Every chat the adviser holds, whole, and the offers open to them: a desk's fresh start. */
  async resync(adviserId: string): Promise<DeskChatResync> {
    const chats: ChatSession[] = [];
    for (const chat of await this.store.connectedFor(adviserId)) {
      chats.push(await this.session(chat));
    }
    const queue = await this.queueStats();
    return {
      chats,
      offers: this.openOffers(adviserId),
      presence: this.router.presence(adviserId),
      queue,
    };
  }

  /** One chat's whole log, for the adviser who held it: part of the interaction record. */
  async log(adviserId: string, chatId: string): Promise<Result<ChatSession>> {
    const chat = await this.heldChat(adviserId, chatId);
    return chat.ok ? ok(await this.session(chat.value)) : chat;
  }

  /** The live board's part from routing: the queues and advisers by state, read together. */
  async liveRouting(): Promise<{ stats: QueueStats; advisers: Record<BoardAdviserState, number> }> {
    const stats = await this.queueStats();
    return { stats, advisers: this.router.adviserStates() };
  }

  /** The router's figures, with the day's abandonments from the store (they survive a restart). */
  async queueStats(): Promise<QueueStats> {
    const since = new Date(startOfServiceDay(this.clock.now())).toISOString();
    const abandonedToday = await this.store.abandonedSince(since);
    // Routing's figures read after the store's, so they are as fresh as can be.
    return { ...this.router.stats(), abandonedToday };
  }

  private async session(chat: StoredChat): Promise<ChatSession> {
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
      messages: await this.store.messages(chat.id),
    };
  }

  private async heldChat(adviserId: string, chatId: string): Promise<Result<StoredChat>> {
    const chat = await this.store.find(chatId);
    // Someone else's chat and no chat at all look the same from outside.
    if (!chat || chat.adviserId !== adviserId) return fail('not_found', 'You hold no such chat');
    return ok(chat);
  }

  /** Runs in the chat's turn, so messages reach the other party in the order of their seqs. */
  private async append(
    chatId: string,
    sender:
      | { from: 'customer' }
      | { from: 'adviser'; adviserId: string; author: string; session?: string },
    clientMessageId: string,
    text: string,
  ): Promise<Result<SentMessage>> {
    const appended = await this.store.append({
      chatId,
      from: sender.from,
      clientMessageId,
      text,
      sentAt: this.nowIso(),
      // A customer writes under the chat's name, read as the message is kept; an
      // adviser's message is kept only in a chat they hold, on a session still live.
      ...(sender.from === 'adviser'
        ? {
            author: sender.author,
            heldBy: sender.adviserId,
            ...(sender.session === undefined ? {} : { session: sender.session }),
          }
        : {}),
    });
    if (!appended) return fail('conflict', 'This chat has ended');
    const { message, duplicate, adviserId } = appended;
    // A repeat is pushed again. Its first push may never have left: a process can die
    // between the commit and the push, and the sender then resends to another process.
    // Receivers keep one copy per seq (see shared/wire/chat.ts), so a second push shows nothing twice.
    if (sender.from === 'customer' && adviserId) {
      this.pushes.toAdviser.message(adviserId, message);
    } else if (sender.from === 'adviser') {
      // The adviser's other desks hear of it from the socket layer, which knows the sender.
      this.pushes.toCustomer.message(chatId, message);
    }
    return ok({
      ack: {
        chatId,
        clientMessageId,
        seq: message.seq,
        sentAt: message.sentAt,
        duplicate,
      },
      message,
    });
  }

  // ---------------------------------------------------------------- calls through the queue

  /**
   * A call with no adviser named joins the call queue; routing offers it.
   * `declined` is a call first rung straight to an adviser who declined it: it
   * waits from when it first rang, and passes that adviser over for a while.
   */
  queueCall(
    cli: string | null,
    declined?: { ringingSince: number; declinedBy: string },
  ): QueuedCallAnswer {
    const callId = randomUUID();
    const queuedAt = declined?.ringingSince ?? this.clock.now();
    this.queuedCalls.set(callId, { cli, queuedAt });
    const position = this.router.enqueue('call', callId, queuedAt, declined?.declinedBy);
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

  /**
   * The caller hung up while waiting: an abandonment, recorded before this
   * resolves. False when the queue does not hold the call.
   */
  async callerLeftQueue(callId: string): Promise<boolean> {
    if (!this.queuedCalls.has(callId)) return false;
    this.queuedCalls.delete(callId);
    const left = this.router.leave('call', callId);
    if (left) {
      await this.store.recordAbandonment(
        'call',
        callId,
        new Date(left.queuedAt).toISOString(),
        new Date(left.leftAt).toISOString(),
        left.waitedMs,
      );
      this.statsChanged();
    }
    return true;
  }

  /**
   * The telephony side asks before ringing a named adviser: routing rings only
   * an available adviser, and holds their room for the call from then on.
   */
  admitDirectCall(adviserId: string, callId: string): Result<null> {
    const admitted = this.router.ringDirect(adviserId, callId);
    if (admitted.ok) this.deps.log(`call ${callId} rung straight to an adviser`);
    return admitted;
  }

  /** A call reached an adviser outside the queue, or ended: their room follows it. */
  callConnected(adviserId: string, callId: string): void {
    this.router.hold(adviserId, 'call', callId);
  }

  callEnded(callId: string): void {
    this.router.finish('call', callId);
  }
}
