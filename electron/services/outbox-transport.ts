// How the outbox hands an item to the central server: the interface, and the
// socket.io implementation (emit with an acknowledgement and a time limit).
// The test double lives beside it in outbox-transport.testing.ts.
import type { Socket } from 'socket.io-client';
import { fail, resultSchema, type Result } from '../../shared/result';
import {
  deliveryReceiptSchema,
  type DeliveryReceipt,
  type OutboxItem,
} from '../../shared/wire/outbox';
import type { DeskToServerEvents, ServerToDeskEvents } from '../../shared/wire/socket';

export interface OutboxTransport {
  /**
   * Resolves with the server's answer. Never rejects: a lost connection or a
   * missing acknowledgement is an `unavailable` envelope, so the outbox retries.
   */
  deliver(item: OutboxItem): Promise<Result<DeliveryReceipt>>;
  /**
   * Whether a delivery could reach the server right now. While it cannot, the
   * outbox stops trying (no per-item retries, no writes) until `retryNow()`.
   */
  connected(): boolean;
}

export type DeskSocket = Socket<ServerToDeskEvents, DeskToServerEvents>;

const deliveryAnswerSchema = resultSchema(deliveryReceiptSchema);

/** Delivers over the desk's socket; `currentSocket` is read per attempt because sign-in replaces it. */
export class SocketOutboxTransport implements OutboxTransport {
  constructor(
    private readonly currentSocket: () => DeskSocket | null,
    private readonly ackTimeoutMs = 10_000,
  ) {}

  connected(): boolean {
    return this.currentSocket()?.connected === true;
  }

  async deliver(item: OutboxItem): Promise<Result<DeliveryReceipt>> {
    const socket = this.currentSocket();
    if (!socket?.connected) return fail('unavailable', 'Not connected to the central server');
    let answer: unknown;
    try {
      answer = await socket.timeout(this.ackTimeoutMs).emitWithAck('outbox:deliver', item);
    } catch {
      // No acknowledgement in time: the server may or may not have applied it;
      // the retry is answered as a duplicate if it did.
      return fail('unavailable', 'The central server did not acknowledge in time');
    }
    const parsed = deliveryAnswerSchema.safeParse(answer);
    if (!parsed.success)
      return fail('internal', 'The central server gave an answer the desk does not understand');
    return parsed.data;
  }
}
