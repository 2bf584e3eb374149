// Safeguarding on the desk. A concern the adviser raises is written to the
// outbox first (so one raised offline, or before a crash, still arrives) and,
// when the desk is online, also sent live so team leaders hear of it at once
// whatever else the outbox is delivering; the server keeps it once by its id.
// A team leader's desk keeps the open concerns the server pushes, most urgent
// first, acknowledges them with what was done, and reads their history. An
// adviser's desk shows them each acknowledgement of their concerns and tells
// the server it has, and keeps the service's immediate-risk protocol so it
// shows with no network. See docs/decisions/0008-safeguarding-live-and-durable.md
// and 0030-safeguarding-followed-through.md.
import { fail, ok, resultSchema, type Result } from '../../shared/result';
import {
  byUrgency,
  defaultSafeguardingProtocol,
  safeguardingAcknowledgedSchema,
  safeguardingAlertSchema,
  safeguardingOutcomeSchema,
  safeguardingProtocolSchema,
  safeguardingRaiseReceiptSchema,
  type SafeguardingAcknowledge,
  type SafeguardingAcknowledged,
  type SafeguardingAlert,
  type SafeguardingConcernRef,
  type SafeguardingHistory,
  type SafeguardingOpenList,
  type SafeguardingOutcome,
  type SafeguardingOutcomeList,
  type SafeguardingProtocol,
  type SafeguardingRaise,
  type SafeguardingRaisedOnDesk,
} from '../../shared/wire/safeguarding';
import type { DeskHandlerRegistry } from './handlers';
import type { Outbox } from './outbox';
import type { DeskSocket } from './outbox-transport';
import type { ServerConnection } from './server-connection';
import { serverJson } from './server-json';
import { safeguarding as safeguardingRoutes } from '../../shared/wire/routes';

const raiseAnswerSchema = resultSchema(safeguardingRaiseReceiptSchema);
const acknowledgeAnswerSchema = resultSchema(safeguardingAcknowledgedSchema);

/** The local settings key of the last protocol the server sent. */
export const safeguardingProtocolSetting = 'safeguarding_protocol';

/** Where the desk keeps the last protocol the server sent (the local settings table). */
export interface ProtocolCache {
  read(): string | null;
  write(text: string): void;
}

export interface DeskSafeguardingOptions {
  /** Every open concern, most urgent first, whenever that changes (team leaders). */
  published: (list: SafeguardingOpenList) => void;
  /** The adviser's acknowledged concerns not yet dismissed, whenever that changes. */
  outcomesChanged?: (list: SafeguardingOutcomeList) => void;
  protocolCache?: ProtocolCache;
  ackTimeoutMs?: number;
  /** The central server, for the history (over HTTP, as the interaction history is). */
  serverUrl: string;
  fetch?: typeof fetch;
}

/** What the team leader's list asks for when it does not say. */
const maxSafeguardingHistoryShown = 50;

/** One stream per concern: a concern the server refuses never holds up the next one. */
export const safeguardingStream = (concernId: string) => `safeguarding:${concernId}`;

export class DeskSafeguarding {
  private readonly open = new Map<string, SafeguardingAlert>();
  /** Acknowledgements of this adviser's concerns, kept until they dismiss each. */
  private readonly outcomes = new Map<string, SafeguardingOutcome>();
  /** Sign-in replaces the socket; each one gets the safeguarding events once. */
  private readonly listening = new WeakSet<DeskSocket>();
  private readonly published: (list: SafeguardingOpenList) => void;
  private readonly ackTimeoutMs: number;

  constructor(
    private readonly outbox: Outbox,
    private readonly connection: ServerConnection,
    private readonly options: DeskSafeguardingOptions,
  ) {
    this.published = options.published;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    connection.on('connected', () => {
      // The server sends every open concern again right after the handshake,
      // so what was acknowledged while this desk was away drops out here.
      this.open.clear();
      this.publish();
      this.listen(connection.currentSocket());
    });
    connection.on('state', (state) => {
      if (state !== 'signed_out') return;
      // Signed out, the outcomes are someone else's to see; the server sends
      // any not yet shown again when that adviser signs in.
      if (this.outcomes.size > 0) {
        this.outcomes.clear();
        this.publishOutcomes();
      }
      if (this.open.size === 0) return;
      this.open.clear();
      this.publish();
    });
  }

  openList(): SafeguardingOpenList {
    return { open: [...this.open.values()].sort(byUrgency) };
  }

  outcomeList(): SafeguardingOutcomeList {
    return { outcomes: [...this.outcomes.values()] };
  }

  dismissOutcome({ concernId }: SafeguardingConcernRef): SafeguardingOutcomeList {
    if (this.outcomes.delete(concernId)) this.publishOutcomes();
    return this.outcomeList();
  }

  /** The last protocol the server sent, or the default before it ever has (or if the kept one is unreadable). */
  protocol(): SafeguardingProtocol {
    const kept = this.options.protocolCache?.read();
    if (!kept) return defaultSafeguardingProtocol;
    try {
      const parsed = safeguardingProtocolSchema.safeParse(JSON.parse(kept));
      return parsed.success ? parsed.data : defaultSafeguardingProtocol;
    } catch {
      return defaultSafeguardingProtocol;
    }
  }

  async history(query: { limit?: number }): Promise<Result<SafeguardingHistory>> {
    const token = await this.connection.requestToken();
    if (!token) return fail('unavailable', 'Not connected to the central server');
    return serverJson(
      { serverUrl: this.options.serverUrl, fetch: this.options.fetch ?? globalThis.fetch },
      safeguardingRoutes.concerns,
      { query: { limit: query.limit ?? maxSafeguardingHistoryShown } },
      token,
    );
  }

  async raise(raise: SafeguardingRaise): Promise<Result<SafeguardingRaisedOnDesk>> {
    this.outbox.transaction(() =>
      this.outbox.enqueue({
        stream: safeguardingStream(raise.concernId),
        kind: 'safeguarding.raised',
        payload: raise,
      }),
    );
    const socket = this.connection.currentSocket();
    if (!socket?.connected) return ok({ concernId: raise.concernId, sentLive: false });
    let answer: unknown;
    try {
      answer = await socket.timeout(this.ackTimeoutMs).emitWithAck('safeguarding:raise', raise);
    } catch {
      // Queued already: the outbox delivers it when the server answers again.
      return ok({ concernId: raise.concernId, sentLive: false });
    }
    const parsed = raiseAnswerSchema.safeParse(answer);
    if (!parsed.success) return ok({ concernId: raise.concernId, sentLive: false });
    // A refusal (not an adviser, an id clash) is shown now; the outbox item will be refused too.
    if (!parsed.data.ok) return parsed.data;
    return ok({ concernId: raise.concernId, sentLive: true });
  }

  async acknowledge(
    acknowledge: SafeguardingAcknowledge,
  ): Promise<Result<SafeguardingAcknowledged>> {
    const socket = this.connection.currentSocket();
    // An acknowledgement says a team leader has seen it now; queued for later it would say nothing.
    if (!socket?.connected) return fail('unavailable', 'Not connected to the central server');
    let answer: unknown;
    try {
      answer = await socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck('safeguarding:acknowledge', acknowledge);
    } catch {
      return fail('unavailable', 'The central server did not answer in time');
    }
    const parsed = acknowledgeAnswerSchema.safeParse(answer);
    if (!parsed.success)
      return fail('internal', 'The central server gave an answer the desk does not understand');
    if (parsed.data.ok) this.closed(parsed.data.value.concernId);
    return parsed.data;
  }

  private listen(socket: DeskSocket | null): void {
    if (!socket || this.listening.has(socket)) return;
    this.listening.add(socket);
    socket.on('safeguarding:alert', (alert: unknown) => {
      const parsed = safeguardingAlertSchema.safeParse(alert);
      if (!parsed.success) return;
      this.open.set(parsed.data.concernId, parsed.data);
      this.publish();
    });
    socket.on('safeguarding:acknowledged', (acknowledged: unknown) => {
      const parsed = safeguardingAcknowledgedSchema.safeParse(acknowledged);
      if (parsed.success) this.closed(parsed.data.concernId);
    });
    socket.on('safeguarding:outcome', (outcome: unknown) => {
      const parsed = safeguardingOutcomeSchema.safeParse(outcome);
      if (!parsed.success) return;
      const { concernId } = parsed.data.concern;
      // Sent again on each connect until told; the adviser sees it once.
      if (!this.outcomes.has(concernId)) {
        this.outcomes.set(concernId, parsed.data);
        this.publishOutcomes();
      }
      // Shown now (the renderer has it), so the server stops sending it. If this
      // is lost the server sends it again on the next connect, and it is kept once.
      void socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck('safeguarding:told', { concernId })
        .catch(() => undefined);
    });
    socket.on('safeguarding:protocol', (protocol: unknown) => {
      const parsed = safeguardingProtocolSchema.safeParse(protocol);
      if (parsed.success) this.options.protocolCache?.write(JSON.stringify(parsed.data));
    });
  }

  private publishOutcomes(): void {
    this.options.outcomesChanged?.(this.outcomeList());
  }

  private closed(concernId: string): void {
    if (this.open.delete(concernId)) this.publish();
  }

  private publish(): void {
    this.published(this.openList());
  }
}

/** The safeguarding domain's desk API handlers. */
export function registerSafeguardingHandlers(
  registry: DeskHandlerRegistry,
  safeguarding: DeskSafeguarding,
): void {
  registry.register('raiseSafeguardingConcern', (raise) => safeguarding.raise(raise));
  registry.register('acknowledgeSafeguardingConcern', (ref) => safeguarding.acknowledge(ref));
  registry.register('openSafeguardingConcerns', () => ok(safeguarding.openList()));
  registry.register('safeguardingHistory', (query) => safeguarding.history(query));
  registry.register('safeguardingProtocol', () => ok(safeguarding.protocol()));
  registry.register('safeguardingOutcomes', () => ok(safeguarding.outcomeList()));
  registry.register('dismissSafeguardingOutcome', (ref) => ok(safeguarding.dismissOutcome(ref)));
}
