// Routing: one queue of waiting chats and one of waiting calls, offered one
// adviser at a time. Pure logic over an injected clock: no sockets, no storage;
// what it decides goes out through the listeners it was given.
//
// Who is offered work: an adviser whose availability is 'available', who has
// at least one desk connected, and who has room. Room means up to `maxChats`
// chats (held plus offered), or exactly one call and nothing else: no call
// while chatting, no chat while on a call. Among those, the adviser idle the
// longest goes first; "idle since" is when they last became free of all work
// or last became available, and an adviser holding nothing ranks before one
// already holding a chat. The oldest waiting contact is placed first, calls
// and chats alike.
//
// An offer not accepted within `offerTimeoutMs` goes to the next adviser, and
// the adviser who missed it is set to 'busy' (they are not at their desk, so
// offering them more would only delay the next customer). Their presence then
// says which offer they missed, so the desk can tell them why they are busy,
// until they choose an availability themselves.
//
// A declined offer goes to the next adviser too. As contact centres route a
// rejected offer, the adviser who declined or missed a contact is passed over
// for it while anyone else has room; when only they have room, a missed
// contact is offered again as soon as they are available, and a declined one
// once `declinedPauseMs` has passed, so a young person whose only adviser
// declined is not left waiting for ever, and the adviser is not handed the same
// offer the moment they refused it.
//
// A call rung straight to a named adviser (the telephony side's direct calls)
// is routing's decision too: it rings only an adviser who is available, and
// fills their room while it rings and while it is connected.
import { fail, ok, type Result } from '../../shared/result';
import type { AdviserAvailability, AdviserPresence, QueueStats } from '../../shared/wire/chat';
import type { BoardAdviserState } from '../../shared/wire/dashboard';
import type { RoutingClock } from './clock';

export type WorkKind = 'chat' | 'call';

export type WithdrawnReason = 'timed-out' | 'declined' | 'taken' | 'customer-left' | 'unavailable';

export interface RoutedOffer {
  kind: WorkKind;
  id: string;
  queuedAt: number;
  offeredAt: number;
  expiresAt: number;
}

export interface Abandonment {
  kind: WorkKind;
  id: string;
  queuedAt: number;
  leftAt: number;
  waitedMs: number;
}

export interface Answer {
  kind: WorkKind;
  id: string;
  adviserId: string;
  queuedAt: number;
  answeredAt: number;
  waitedMs: number;
  /** Where it stood in its queue when it joined (1 is first). */
  positionAtJoin: number;
}

export interface RouterListeners {
  offered(adviserId: string, offer: RoutedOffer): void;
  withdrawn(adviserId: string, kind: WorkKind, id: string, reason: WithdrawnReason): void;
  presence(adviserId: string, presence: AdviserPresence): void;
  /** Something that changes the queue figures happened. */
  statsChanged(): void;
  /** Places in a queue moved (a contact joined, left or was answered). */
  queueMoved(kind: WorkKind): void;
  answered(answer: Answer): void;
  abandoned(abandonment: Abandonment): void;
}

export interface RouterOptions {
  clock: RoutingClock;
  listeners: Partial<RouterListeners>;
  /** How long an offer waits for an accept before going to the next adviser. */
  offerTimeoutMs?: number;
  /** How many chats an adviser may hold at once. */
  maxChats?: number;
  /**
   * How long after declining a contact an adviser may be offered it again,
   * when nobody else has room for it.
   */
  declinedPauseMs?: number;
}

export const defaultOfferTimeoutMs = 20_000;
export const defaultMaxChats = 2;
/**
 * Long enough that a decline is not answered with the same offer at once, short
 * enough that a young person whose only available adviser declined still
 * reaches them within the minute.
 */
export const defaultDeclinedPauseMs = 30_000;

/** An adviser's availability in a refusal the telephony side prints as it is. */
const availabilityInWords: Record<AdviserAvailability, string> = {
  available: 'Available',
  busy: 'Busy',
  'wrap-up': 'in wrap-up',
  break: 'on a break',
  offline: 'Offline',
};

interface AdviserState {
  id: string;
  availability: AdviserAvailability;
  availabilitySince: number;
  desks: number;
  idleSince: number;
  chats: Set<string>;
  call: string | null;
  /** Work offered to this adviser and not yet accepted, by work key. */
  offers: Set<string>;
  /**
   * The offer they last let run out, when that is why routing set them busy;
   * gone once they choose an availability themselves.
   */
  missedOffer: { kind: WorkKind; at: number } | null;
}

/** An adviser who passed a contact over: when, and whether by declining it (not by missing it). */
interface PassedOver {
  at: number;
  declined: boolean;
}

interface WaitingWork {
  kind: WorkKind;
  id: string;
  queuedAt: number;
  positionAtJoin: number;
  offer: { adviserId: string; offeredAt: number; expiresAt: number; cancel: () => void } | null;
  /** Advisers who declined or missed it, by adviser: the latest time each passed it over. */
  passedBy: Map<string, PassedOver>;
  /** The timer that routes again when a decliner's pause is over, and when it fires. */
  retry: { at: number; cancel: () => void } | null;
}

const key = (kind: WorkKind, id: string) => `${kind}:${id}`;

function boardStateOf(adviser: AdviserState): BoardAdviserState {
  if (adviser.desks === 0 || adviser.availability === 'offline') return 'offline';
  if (adviser.call !== null) return 'on_call';
  if (adviser.chats.size > 0) return 'in_chat';
  if (adviser.availability === 'wrap-up') return 'wrap_up';
  if (adviser.availability === 'available') return 'available';
  return 'break';
}

export class Router {
  private readonly clock: RoutingClock;
  private readonly listeners: Partial<RouterListeners>;
  readonly offerTimeoutMs: number;
  readonly maxChats: number;
  readonly declinedPauseMs: number;
  private readonly advisers = new Map<string, AdviserState>();
  /** Waiting contacts in arrival order, both kinds; an offered one still waits. */
  private readonly waiting = new Map<string, WaitingWork>();
  private abandonedCount = 0;
  private routing = false;
  private rerouteRequested = false;

  constructor(options: RouterOptions) {
    this.clock = options.clock;
    this.listeners = options.listeners;
    this.offerTimeoutMs = options.offerTimeoutMs ?? defaultOfferTimeoutMs;
    this.maxChats = options.maxChats ?? defaultMaxChats;
    this.declinedPauseMs = options.declinedPauseMs ?? defaultDeclinedPauseMs;
  }

  // ---------------------------------------------------------------- advisers

  /** A desk signed in as this adviser connected. */
  deskConnected(adviserId: string): AdviserPresence {
    const adviser = this.adviser(adviserId);
    adviser.desks += 1;
    // An adviser coming on shift changes the live board's count of advisers by state.
    this.listeners.statsChanged?.();
    this.route();
    return this.presenceOf(adviser);
  }

  /** One of the adviser's desks went away; with none left, their offers go elsewhere. */
  deskDisconnected(adviserId: string): void {
    const adviser = this.advisers.get(adviserId);
    if (!adviser) return;
    adviser.desks = Math.max(0, adviser.desks - 1);
    if (adviser.desks === 0) {
      for (const workKey of [...adviser.offers]) this.withdraw(workKey, 'unavailable', false);
    }
    this.listeners.statsChanged?.();
    this.route();
  }

  /**
   * The adviser chooses an availability. Choosing is also their answer to a
   * missed offer: whatever they choose, even the Busy routing had set, the
   * desk stops telling them of it.
   */
  setAvailability(adviserId: string, availability: AdviserAvailability): AdviserPresence {
    const adviser = this.adviser(adviserId);
    const answeredMissedOffer = adviser.missedOffer !== null;
    adviser.missedOffer = null;
    if (adviser.availability !== availability) {
      adviser.availability = availability;
      adviser.availabilitySince = this.clock.now();
      if (availability === 'available' && this.load(adviser) === 0) {
        adviser.idleSince = this.clock.now();
      }
      if (availability !== 'available') {
        for (const workKey of [...adviser.offers]) this.withdraw(workKey, 'unavailable', false);
      }
      this.listeners.presence?.(adviserId, this.presenceOf(adviser));
      this.listeners.statsChanged?.();
    } else if (answeredMissedOffer) {
      // Unchanged, but the adviser's other desks must stop showing the missed offer too.
      this.listeners.presence?.(adviserId, this.presenceOf(adviser));
    }
    this.route();
    return this.presenceOf(adviser);
  }

  presence(adviserId: string): AdviserPresence {
    return this.presenceOf(this.adviser(adviserId));
  }

  /** Work the adviser holds now (chats and call), for a desk that reconnects. */
  heldBy(adviserId: string): { chats: string[]; call: string | null } {
    const adviser = this.advisers.get(adviserId);
    return { chats: adviser ? [...adviser.chats] : [], call: adviser?.call ?? null };
  }

  /** Open offers to this adviser, for a desk that reconnects. */
  offersTo(adviserId: string): RoutedOffer[] {
    const adviser = this.advisers.get(adviserId);
    if (!adviser) return [];
    const offers: RoutedOffer[] = [];
    for (const workKey of adviser.offers) {
      const work = this.waiting.get(workKey);
      if (work?.offer) {
        offers.push({
          kind: work.kind,
          id: work.id,
          queuedAt: work.queuedAt,
          offeredAt: work.offer.offeredAt,
          expiresAt: work.offer.expiresAt,
        });
      }
    }
    return offers;
  }

  // ---------------------------------------------------------------- work

  /**
   * A customer joins a queue; returns their place (1 is next). `declinedBy`
   * names an adviser who already turned this customer away (a call rung
   * straight to them that they declined): they are passed over as if they had
   * declined an offer of it.
   */
  enqueue(kind: WorkKind, id: string, queuedAt = this.clock.now(), declinedBy?: string): number {
    const workKey = key(kind, id);
    if (!this.waiting.has(workKey)) {
      const passedBy = new Map<string, PassedOver>();
      if (declinedBy !== undefined)
        passedBy.set(declinedBy, { at: this.clock.now(), declined: true });
      this.waiting.set(workKey, {
        kind,
        id,
        queuedAt,
        positionAtJoin: this.waitingOf(kind).length + 1,
        offer: null,
        passedBy,
        retry: null,
      });
      this.listeners.statsChanged?.();
      this.listeners.queueMoved?.(kind);
    }
    this.route();
    return this.positionOf(kind, id) ?? 0;
  }

  /**
   * A call the telephony side wants to ring straight at a named adviser. It
   * rings only an adviser who is available: one who is offline, busy, on a
   * break or wrapping up has said they take nothing. Once rung it fills the
   * adviser's room, so nothing else is offered on top of a ringing phone,
   * until it ends (`finish`). Whether the adviser's desk is connected is the
   * telephony side's check: it knows the sockets of every process.
   */
  ringDirect(adviserId: string, callId: string): Result<null> {
    const adviser = this.adviser(adviserId);
    if (adviser.availability !== 'available') {
      return fail(
        'conflict',
        `The adviser is ${availabilityInWords[adviser.availability]}, so routing does not ring them; the call can ring once they choose Available on their desk, or wait in the call queue`,
      );
    }
    this.hold(adviserId, 'call', callId);
    return ok(null);
  }

  /**
   * Work that reached an adviser without the queue (a call rung straight to a
   * named adviser, or a chat held before a restart): counts against their room.
   */
  hold(adviserId: string, kind: WorkKind, id: string): void {
    const adviser = this.adviser(adviserId);
    if (kind === 'chat') adviser.chats.add(id);
    else adviser.call = id;
    this.listeners.presence?.(adviserId, this.presenceOf(adviser));
  }

  /** The adviser takes the work they were offered. */
  accept(adviserId: string, kind: WorkKind, id: string): Result<Answer> {
    const workKey = key(kind, id);
    const work = this.waiting.get(workKey);
    if (!work) {
      const adviser = this.advisers.get(adviserId);
      const held = kind === 'chat' ? adviser?.chats.has(id) : adviser?.call === id;
      return held
        ? fail('conflict', 'You have already accepted this')
        : fail(
            'not_found',
            'Nothing like this is waiting: it was answered elsewhere or the customer left',
          );
    }
    if (work.offer?.adviserId !== adviserId) {
      return fail('conflict', 'This was not offered to you, or the offer has run out');
    }
    const adviser = this.adviser(adviserId);
    work.offer.cancel();
    adviser.offers.delete(workKey);
    this.stopWaiting(work);
    if (kind === 'chat') adviser.chats.add(id);
    else adviser.call = id;
    const answeredAt = this.clock.now();
    const answer: Answer = {
      kind,
      id,
      adviserId,
      queuedAt: work.queuedAt,
      answeredAt,
      waitedMs: answeredAt - work.queuedAt,
      positionAtJoin: work.positionAtJoin,
    };
    this.listeners.answered?.(answer);
    this.listeners.presence?.(adviserId, this.presenceOf(adviser));
    this.listeners.statsChanged?.();
    this.listeners.queueMoved?.(kind);
    this.route();
    return ok(answer);
  }

  decline(adviserId: string, kind: WorkKind, id: string): Result<null> {
    const work = this.waiting.get(key(kind, id));
    if (!work || work.offer?.adviserId !== adviserId) {
      return fail('conflict', 'This is not on offer to you');
    }
    work.passedBy.set(adviserId, { at: this.clock.now(), declined: true });
    this.withdraw(key(kind, id), 'declined', false);
    this.route();
    return ok(null);
  }

  /**
   * The customer went: before an answer it is an abandonment, recorded with
   * the wait; after, the adviser is simply free of it.
   */
  leave(kind: WorkKind, id: string): Abandonment | null {
    const workKey = key(kind, id);
    const work = this.waiting.get(workKey);
    if (!work) {
      this.finish(kind, id);
      return null;
    }
    if (work.offer) this.withdraw(workKey, 'customer-left', false);
    this.stopWaiting(work);
    const leftAt = this.clock.now();
    const abandonment: Abandonment = {
      kind,
      id,
      queuedAt: work.queuedAt,
      leftAt,
      waitedMs: leftAt - work.queuedAt,
    };
    this.abandonedCount += 1;
    this.listeners.abandoned?.(abandonment);
    this.listeners.statsChanged?.();
    this.listeners.queueMoved?.(kind);
    this.route();
    return abandonment;
  }

  /** The adviser's chat or call ended; they have room again. */
  finish(kind: WorkKind, id: string): void {
    for (const adviser of this.advisers.values()) {
      const held = kind === 'chat' ? adviser.chats.delete(id) : adviser.call === id;
      if (!held) continue;
      if (kind === 'call') adviser.call = null;
      if (this.load(adviser) === 0) adviser.idleSince = this.clock.now();
      this.listeners.presence?.(adviser.id, this.presenceOf(adviser));
      this.listeners.statsChanged?.();
    }
    this.route();
  }

  /** 1 is next; null when not waiting. */
  /** Every waiting contact's place in its queue (1 is next), from one ordering of it. */
  positions(kind: WorkKind): Map<string, number> {
    return new Map(this.waitingOf(kind).map((work, index) => [work.id, index + 1]));
  }

  positionOf(kind: WorkKind, id: string): number | null {
    const index = this.waitingOf(kind).findIndex((work) => work.id === id);
    return index < 0 ? null : index + 1;
  }

  stats(): QueueStats {
    const now = this.clock.now();
    const longest = (kind: WorkKind) => {
      const oldest = this.waitingOf(kind)[0];
      return oldest ? Math.max(0, Math.floor((now - oldest.queuedAt) / 1000)) : 0;
    };
    const chat = longest('chat');
    const call = longest('call');
    let available = 0;
    for (const adviser of this.advisers.values()) {
      if (adviser.availability === 'available' && adviser.desks > 0) available += 1;
    }
    return {
      chatsWaiting: this.waitingOf('chat').length,
      callsWaiting: this.waitingOf('call').length,
      longestChatWaitSeconds: chat,
      longestCallWaitSeconds: call,
      longestWaitSeconds: Math.max(chat, call),
      advisersAvailable: available,
      abandonedToday: this.abandonedCount,
      at: new Date(now).toISOString(),
    };
  }

  /**
   * How many advisers are in each state, for the live board. Work held says
   * more than the availability chosen: an adviser on a call is on a call,
   * whatever they last picked. 'busy' (routing's own setting after a missed
   * offer, or the adviser's) counts as away from the desk, with breaks.
   */
  adviserStates(): Record<BoardAdviserState, number> {
    const counts: Record<BoardAdviserState, number> = {
      available: 0,
      on_call: 0,
      in_chat: 0,
      wrap_up: 0,
      break: 0,
      offline: 0,
    };
    for (const adviser of this.advisers.values()) counts[boardStateOf(adviser)] += 1;
    return counts;
  }

  /** Stops every offer timer (server shutdown). */
  close(): void {
    for (const work of this.waiting.values()) {
      work.offer?.cancel();
      work.retry?.cancel();
    }
  }

  // ---------------------------------------------------------------- inside

  private adviser(id: string): AdviserState {
    let adviser = this.advisers.get(id);
    if (!adviser) {
      const now = this.clock.now();
      adviser = {
        id,
        availability: 'offline',
        availabilitySince: now,
        desks: 0,
        idleSince: now,
        chats: new Set(),
        call: null,
        offers: new Set(),
        missedOffer: null,
      };
      this.advisers.set(id, adviser);
    }
    return adviser;
  }

  private waitingOf(kind: WorkKind): WaitingWork[] {
    return [...this.waiting.values()]
      .filter((work) => work.kind === kind)
      .sort((a, b) => a.queuedAt - b.queuedAt);
  }

  private load(adviser: AdviserState): number {
    return adviser.chats.size + (adviser.call ? 1 : 0) + adviser.offers.size;
  }

  private presenceOf(adviser: AdviserState): AdviserPresence {
    return {
      availability: adviser.availability,
      since: new Date(adviser.availabilitySince).toISOString(),
      activeChats: adviser.chats.size,
      maxChats: this.maxChats,
      onCall: adviser.call !== null,
      missedOffer: adviser.missedOffer && {
        kind: adviser.missedOffer.kind,
        at: new Date(adviser.missedOffer.at).toISOString(),
      },
    };
  }

  private hasRoomFor(adviser: AdviserState, kind: WorkKind): boolean {
    if (adviser.availability !== 'available' || adviser.desks === 0) return false;
    if (adviser.call) return false;
    let offeredChats = 0;
    for (const workKey of adviser.offers) {
      if (workKey.startsWith('call:')) return false;
      offeredChats += 1;
    }
    if (kind === 'call') return adviser.chats.size === 0 && offeredChats === 0;
    return adviser.chats.size + offeredChats < this.maxChats;
  }

  /** Longest idle first, and someone holding nothing before someone holding a chat. */
  private readonly byLoadThenIdle = (a: AdviserState, b: AdviserState) =>
    this.load(a) - this.load(b) || a.idleSince - b.idleSince || (a.id < b.id ? -1 : 1);

  /**
   * Who among the advisers with room is offered `work`: anyone who has not
   * passed it over; else whoever passed it over longest ago, as soon as they
   * may have it again (at once after a miss, after the pause after a decline).
   * Null when the only advisers with room are decliners still in their pause:
   * routing then looks again when the first pause ends.
   */
  private pickAdviser(work: WaitingWork, withRoom: AdviserState[]): AdviserState | null {
    const fresh = withRoom.filter((adviser) => !work.passedBy.has(adviser.id));
    if (fresh.length > 0) return fresh.sort(this.byLoadThenIdle)[0] ?? null;
    const now = this.clock.now();
    const passedAt = (adviser: AdviserState) => work.passedBy.get(adviser.id)?.at ?? 0;
    const mayHaveAgainAt = (adviser: AdviserState) => {
      const passed = work.passedBy.get(adviser.id);
      return passed?.declined ? passed.at + this.declinedPauseMs : 0;
    };
    const ready = withRoom.filter((adviser) => mayHaveAgainAt(adviser) <= now);
    if (ready.length > 0) {
      return (
        ready.sort((a, b) => passedAt(a) - passedAt(b) || this.byLoadThenIdle(a, b))[0] ?? null
      );
    }
    const firstAgainAt = Math.min(...withRoom.map(mayHaveAgainAt));
    // Every routing pass comes here while the pause lasts: the timer is set again only when
    // the moment it should fire has moved.
    if (work.retry?.at !== firstAgainAt) {
      work.retry?.cancel();
      const cancel = this.clock.after(firstAgainAt - now, () => {
        work.retry = null;
        this.route();
      });
      work.retry = { at: firstAgainAt, cancel };
    }
    return null;
  }

  /** Places every waiting contact it can, oldest first. Re-entrant calls run once more afterwards. */
  private route(): void {
    if (this.routing) {
      this.rerouteRequested = true;
      return;
    }
    this.routing = true;
    try {
      do {
        this.rerouteRequested = false;
        const oldestFirst = [...this.waiting.values()].sort((a, b) => a.queuedAt - b.queuedAt);
        // Once no adviser has room for a kind, nothing more of that kind can be placed in this
        // pass: the rest of a long queue is not looked at adviser by adviser.
        const full = new Set<WorkKind>();
        for (const work of oldestFirst) {
          if (full.has(work.kind)) continue;
          if (work.offer || !this.waiting.has(key(work.kind, work.id))) continue;
          const withRoom = [...this.advisers.values()].filter((adviser) =>
            this.hasRoomFor(adviser, work.kind),
          );
          if (withRoom.length === 0) {
            full.add(work.kind);
            continue;
          }
          // Null only while the advisers with room have declined this one: the next may suit them.
          const adviser = this.pickAdviser(work, withRoom);
          if (adviser) this.offer(work, adviser);
        }
      } while (this.rerouteRequested);
    } finally {
      this.routing = false;
    }
  }

  private offer(work: WaitingWork, adviser: AdviserState): void {
    const workKey = key(work.kind, work.id);
    const offeredAt = this.clock.now();
    const expiresAt = offeredAt + this.offerTimeoutMs;
    const cancel = this.clock.after(this.offerTimeoutMs, () => this.timedOut(workKey, adviser.id));
    work.retry?.cancel();
    work.retry = null;
    work.offer = { adviserId: adviser.id, offeredAt, expiresAt, cancel };
    adviser.offers.add(workKey);
    this.listeners.offered?.(adviser.id, {
      kind: work.kind,
      id: work.id,
      queuedAt: work.queuedAt,
      offeredAt,
      expiresAt,
    });
  }

  private timedOut(workKey: string, adviserId: string): void {
    const work = this.waiting.get(workKey);
    if (work?.offer?.adviserId !== adviserId) return;
    work.passedBy.set(adviserId, { at: this.clock.now(), declined: false });
    this.withdraw(workKey, 'timed-out', true);
    const adviser = this.advisers.get(adviserId);
    if (adviser && adviser.availability === 'available') {
      // Not at their desk: offering them the next one would only delay that customer too.
      // Their presence says why, so the desk tells them rather than switching them silently.
      adviser.availability = 'busy';
      adviser.availabilitySince = this.clock.now();
      adviser.missedOffer = { kind: work.kind, at: this.clock.now() };
      for (const other of [...adviser.offers]) this.withdraw(other, 'unavailable', false);
      this.listeners.presence?.(adviserId, this.presenceOf(adviser));
      this.listeners.statsChanged?.();
    }
    this.route();
  }

  /** The contact no longer waits (answered, or gone): its timers go with it. */
  private stopWaiting(work: WaitingWork): void {
    work.retry?.cancel();
    work.retry = null;
    this.waiting.delete(key(work.kind, work.id));
  }

  /** Takes the offer back from its adviser; the contact stays waiting. */
  private withdraw(workKey: string, reason: WithdrawnReason, expired: boolean): void {
    const work = this.waiting.get(workKey);
    if (!work?.offer) return;
    const { adviserId, cancel } = work.offer;
    if (!expired) cancel();
    work.offer = null;
    this.advisers.get(adviserId)?.offers.delete(workKey);
    this.listeners.withdrawn?.(adviserId, work.kind, work.id, reason);
  }
}
