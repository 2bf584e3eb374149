// The contact-centre telephony platform as the server sees it: calls offered to
// an adviser, connected when the desk answers, ended by either side. The
// simulator (simulator.ts) implements it here; a real platform's adapter would
// implement the same interface.
import type { Result } from '../../shared/result';
import type { CallConnected, CallEnded, CallOffer } from '../../shared/wire/socket';

export interface TelephonyEvents {
  offered: (adviserId: string, offer: CallOffer) => void;
  connected: (adviserId: string, connected: CallConnected) => void;
  ended: (adviserId: string, ended: CallEnded) => void;
}

/**
 * Routing's say in calls rung straight to a named adviser (decision 0014: one
 * module routes). The platform asks before it rings, whichever server process
 * the call came in on; the answer comes from the routing owner.
 */
export interface DirectCallRouting {
  /**
   * Whether this call may ring the adviser now (ok), or why not. Once
   * admitted, the call fills the adviser's room until it ends.
   */
  admit(adviserId: string, callId: string): Promise<Result<null>>;
  /** An admitted call that never rang (it could not be stored): the adviser's room is free again. */
  release(callId: string): void;
}

/** A call the adviser declined while it rang: how it ended, and who was calling since when. */
export interface DeclinedCall {
  ended: CallEnded;
  cli: string | null;
  /** When it started ringing. */
  ringingSince: string;
}

export interface OutboundCall {
  callId: string;
  /** When the customer's phone started ringing. */
  dialledAt: string;
  answered: boolean;
  /** When they answered, or when the platform gave up ringing. */
  at: string;
}

export interface TelephonyPlatform {
  /**
   * Rings the adviser's desks with a new voice call, once routing has admitted
   * it and it is stored. Refused (and rung nowhere) when routing says no.
   */
  offer(adviserId: string, cli: string | null): Promise<Result<CallOffer>>;
  /** The adviser picked up: only the adviser it was offered to, only while ringing. */
  answer(callId: string, adviserId: string): Promise<Result<CallConnected>>;
  /**
   * The adviser turns down a call rung straight to them while it still rings:
   * it ends, ended by the adviser and never connected. Refused once it has
   * been answered or has ended. Where the caller goes next is routing's
   * decision (server/socket/desks.ts queues them again).
   */
  decline(callId: string, adviserId: string): Promise<Result<DeclinedCall>>;
  /**
   * The call ends. `adviserId` is who asked, when a desk asked (it must be the
   * call's adviser); null when the platform itself reports the customer or network.
   */
  end(
    callId: string,
    endedBy: CallEnded['endedBy'],
    adviserId: string | null,
  ): Promise<Result<CallEnded>>;
  /**
   * Rings a customer from the adviser's line (a follow-up call). Resolves once
   * the customer answered (the call is connected, and ends as any call does)
   * or did not (the call is over, ended by the network).
   */
  dial(adviserId: string, number: string): Promise<Result<OutboundCall>>;
  on<K extends keyof TelephonyEvents>(event: K, listener: TelephonyEvents[K]): () => void;
  /**
   * Puts routing in charge of direct calls; the chat and routing module does
   * this as it starts. Until then (a server with no routing) every call rings.
   */
  routeDirectCalls(routing: DirectCallRouting): void;
}
