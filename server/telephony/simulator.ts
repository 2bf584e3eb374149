// The simulated telephony platform: offers, connects and ends voice calls,
// keeping each call in the `calls` table. The simulator command and HTTP
// endpoints drive the customer's side; desks drive the adviser's. A customer
// rung for a follow-up answers or not as the simulator has been told for
// their number (POST /api/telephony/customers, or `npm run call -- --customer`).
import { randomUUID } from 'node:crypto';
import { fail, ok, type Result } from '../../shared/result';
import type { CallConnected, CallEnded, CallOffer } from '../../shared/wire/socket';
import type { CallStore } from '../storage/types';
import { recordingDurationMs, synthesiseRecording } from './recording';
import type {
  DeclinedCall,
  DirectCallRouting,
  OutboundCall,
  TelephonyEvents,
  TelephonyPlatform,
} from './types';
import type { LogLine } from '../logging';

/** How long the simulated phone rings before the platform gives up on an unanswered call. */
export const unansweredRingMs = 30_000;

export class TelephonySimulator implements TelephonyPlatform {
  private readonly listeners: { [K in keyof TelephonyEvents]: Set<TelephonyEvents[K]> } = {
    offered: new Set(),
    connected: new Set(),
    ended: new Set(),
  };

  /** Who decides whether a named adviser may be rung; null rings every call (no routing attached). */
  private routing: DirectCallRouting | null = null;
  /** Whether each customer's number (E.164) answers when rung; one not named answers. */
  private readonly customerAnswers = new Map<string, boolean>();

  constructor(
    private readonly calls: CallStore,
    private readonly now: () => number = Date.now,
    private readonly log: LogLine = () => undefined,
  ) {}

  routeDirectCalls(routing: DirectCallRouting): void {
    this.routing = routing;
  }

  /**
   * Tells the simulator whether the customer on `number` picks up when rung.
   * Kept in this process's memory: a simulator stands in for the customer,
   * who is not part of the helpline's shared state.
   */
  setCustomerAnswers(number: string, answers: boolean): void {
    this.customerAnswers.set(number, answers);
  }

  async dial(adviserId: string, number: string): Promise<Result<OutboundCall>> {
    const callId = randomUUID();
    const dialled = this.now();
    const dialledAt = new Date(dialled).toISOString();
    const answered = this.customerAnswers.get(number) ?? true;
    // No real ringing to wait for: the time the answer or the give-up happens at is stated.
    const at = answered ? dialledAt : new Date(dialled + unansweredRingMs).toISOString();
    await this.calls.insert({
      id: callId,
      adviserId,
      cli: number,
      offeredAt: dialledAt,
      connectedAt: answered ? at : null,
      endedAt: answered ? null : at,
      endedBy: answered ? null : 'network',
      direction: 'outbound',
    });
    // An answered outbound call is a call like any other from here: routing
    // holds the adviser's room for it (nothing is offered on top of it) until
    // it ends, through the same event an answered inbound call sends.
    if (answered) {
      const connected: CallConnected = { callId, connectedAt: at };
      for (const listener of this.listeners.connected) listener(adviserId, connected);
    }
    return ok({ callId, dialledAt, answered, at });
  }

  on<K extends keyof TelephonyEvents>(event: K, listener: TelephonyEvents[K]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  async offer(adviserId: string, cli: string | null): Promise<Result<CallOffer>> {
    const offer: CallOffer = {
      callId: randomUUID(),
      channel: 'voice',
      cli,
      offeredAt: new Date(this.now()).toISOString(),
    };
    // Routing decides before anything rings: an adviser who is offline, busy or on a
    // break is not rung, whatever the caller asked for.
    const admitted = (await this.routing?.admit(adviserId, offer.callId)) ?? ok(null);
    if (!admitted.ok) return admitted;
    try {
      await this.calls.insert({
        id: offer.callId,
        adviserId,
        cli,
        offeredAt: offer.offeredAt,
        connectedAt: null,
        endedAt: null,
        endedBy: null,
      });
    } catch (error) {
      // Never rang: the room routing held for it is the adviser's again.
      this.routing?.release(offer.callId);
      throw error;
    }
    for (const listener of this.listeners.offered) listener(adviserId, offer);
    return ok(offer);
  }

  async answer(callId: string, adviserId: string): Promise<Result<CallConnected>> {
    const call = await this.calls.find(callId);
    if (!call) return fail('not_found', 'There is no such call');
    if (call.adviserId !== adviserId)
      return fail('forbidden', 'This call was offered to another adviser');
    if (call.endedAt) return fail('conflict', 'The call has already ended');
    if (call.connectedAt) return fail('conflict', 'The call has already been answered');
    const connectedAt = new Date(this.now()).toISOString();
    // Decided by the conditional update, not by the read above: a hang-up or
    // another desk's answer may land between the two.
    if (!(await this.calls.markConnected(callId, connectedAt))) {
      return fail('conflict', 'The call has already been answered or has ended');
    }
    const connected: CallConnected = { callId, connectedAt };
    for (const listener of this.listeners.connected) listener(call.adviserId, connected);
    return ok(connected);
  }

  async decline(callId: string, adviserId: string): Promise<Result<DeclinedCall>> {
    const call = await this.calls.find(callId);
    if (!call) return fail('not_found', 'There is no such call');
    if (call.adviserId !== adviserId)
      return fail('forbidden', 'This call was offered to another adviser');
    const at = new Date(this.now()).toISOString();
    // Decided by the conditional update: an answer on the adviser's other desk may land first.
    if (
      call.endedAt ||
      call.connectedAt ||
      !(await this.calls.markEnded(callId, at, 'adviser', { onlyIfUnanswered: true }))
    ) {
      return fail('conflict', 'The call has already been answered or has ended');
    }
    const ended: CallEnded = { callId, endedBy: 'adviser', at };
    for (const listener of this.listeners.ended) listener(call.adviserId, ended);
    return ok({ ended, cli: call.cli, ringingSince: call.offeredAt });
  }

  async end(
    callId: string,
    endedBy: CallEnded['endedBy'],
    adviserId: string | null,
  ): Promise<Result<CallEnded>> {
    const call = await this.calls.find(callId);
    if (!call) return fail('not_found', 'There is no such call');
    if (adviserId !== null && call.adviserId !== adviserId) {
      return fail('forbidden', 'This call belongs to another adviser');
    }
    const at = new Date(this.now()).toISOString();
    if (call.endedAt || !(await this.calls.markEnded(callId, at, endedBy))) {
      return fail('conflict', 'The call has already ended');
    }
    const ended: CallEnded = { callId, endedBy, at };
    // Read again after the end was recorded: an answer may have landed since the first read.
    const connectedAt = call.connectedAt ?? (await this.calls.find(callId))?.connectedAt ?? null;
    if (connectedAt) await this.keepRecording(callId, Date.parse(at) - Date.parse(connectedAt));
    for (const listener of this.listeners.ended) listener(call.adviserId, ended);
    return ok(ended);
  }

  /**
   * The platform records every answered call and stores the file on the server
   * as the call ends. A recording that cannot be written must not keep the call
   * from ending: the call then has no recordingRef, and asking for it is not_found.
   */
  private async keepRecording(callId: string, connectedMs: number): Promise<void> {
    try {
      await this.calls.saveRecording(
        callId,
        synthesiseRecording(callId, recordingDurationMs(connectedMs)),
      );
    } catch (error) {
      this.log(
        `telephony: call ${callId}: the recording could not be kept: ${String(error)}`,
        'error',
      );
    }
  }
}
