// Safeguarding on the desk. A concern the adviser raises is written to the
// outbox first (so one raised offline, or before a crash, still arrives) and,
// when the desk is online, also sent live so team leaders hear of it at once
// whatever else the outbox is delivering; the server keeps it once by its id.
// A team leader's desk keeps the open concerns the server pushes, and
// acknowledges them. See docs/decisions/0008-safeguarding-live-and-durable.md.
import { fail, ok, resultSchema, type Result } from '../../shared/result';
import {
  safeguardingAcknowledgedSchema,
  safeguardingAlertSchema,
  safeguardingRaiseReceiptSchema,
  type SafeguardingAcknowledged,
  type SafeguardingAlert,
  type SafeguardingConcernRef,
  type SafeguardingOpenList,
  type SafeguardingRaise,
  type SafeguardingRaisedOnDesk,
} from '../../shared/wire/safeguarding';
import type { DeskHandlerRegistry } from './handlers';
import type { Outbox } from './outbox';
import type { DeskSocket } from './outbox-transport';
import type { ServerConnection } from './server-connection';

const raiseAnswerSchema = resultSchema(safeguardingRaiseReceiptSchema);
const acknowledgeAnswerSchema = resultSchema(safeguardingAcknowledgedSchema);

/** One stream per concern: a concern the server refuses never holds up the next one. */
export const safeguardingStream = (concernId: string) => `safeguarding:${concernId}`;

export class DeskSafeguarding {
  private readonly open = new Map<string, SafeguardingAlert>();
  /** Sign-in replaces the socket; each one gets the safeguarding events once. */
  private readonly listening = new WeakSet<DeskSocket>();

  constructor(
    private readonly outbox: Outbox,
    private readonly connection: ServerConnection,
    private readonly published: (list: SafeguardingOpenList) => void,
    private readonly ackTimeoutMs = 10_000,
  ) {
    connection.on('connected', () => {
      // The server sends every open concern again right after the handshake,
      // so what was acknowledged while this desk was away drops out here.
      this.open.clear();
      this.publish();
      this.listen(connection.currentSocket());
    });
    connection.on('state', (state) => {
      if (state !== 'signed_out' || this.open.size === 0) return;
      this.open.clear();
      this.publish();
    });
  }

  openList(): SafeguardingOpenList {
    return { open: [...this.open.values()] };
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

  async acknowledge({
    concernId,
  }: SafeguardingConcernRef): Promise<Result<SafeguardingAcknowledged>> {
    const socket = this.connection.currentSocket();
    // An acknowledgement says a team leader has seen it now; queued for later it would say nothing.
    if (!socket?.connected) return fail('unavailable', 'Not connected to the central server');
    let answer: unknown;
    try {
      answer = await socket
        .timeout(this.ackTimeoutMs)
        .emitWithAck('safeguarding:acknowledge', { concernId });
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
}
