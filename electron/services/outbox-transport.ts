// How the outbox hands items to the central server: the interface, and the
// socket.io implementation (one batch per emit, with an acknowledgement and a
// time limit). The test double lives beside it in outbox-transport.testing.ts.
import type { Socket } from 'socket.io-client';
import { fail, resultSchema, type Result } from '../../shared/result';
import {
  batchAnswersSchema,
  type DeliveryReceipt,
  type OutboxItem,
} from '../../shared/wire/outbox';
import type { DeskToServerEvents, ServerToDeskEvents } from '../../shared/wire/socket';

export interface OutboxTransport {
  /**
   * Delivers items (each the head of a different stream; at most
   * `maxOutboxBatchItems`) and resolves with one answer per item, in order.
   * Never rejects: a lost connection or a missing acknowledgement is an
   * `unavailable` answer for every item, so the outbox retries them.
   */
  deliver(items: readonly OutboxItem[]): Promise<Result<DeliveryReceipt>[]>;
  /**
   * Whether a delivery could reach the server right now. While it cannot, the
   * outbox stops trying (no per-item retries, no writes) until `retryNow()`.
   */
  connected(): boolean;
}

export type DeskSocket = Socket<ServerToDeskEvents, DeskToServerEvents>;

const batchAnswerSchema = resultSchema(batchAnswersSchema);

/** Delivers over the desk's socket; `currentSocket` is read per attempt because sign-in replaces it. */
export class SocketOutboxTransport implements OutboxTransport {
  constructor(
    private readonly currentSocket: () => DeskSocket | null,
    private readonly ackTimeoutMs = 10_000,
  ) {}

  connected(): boolean {
    return this.currentSocket()?.connected === true;
  }

  async deliver(items: readonly OutboxItem[]): Promise<Result<DeliveryReceipt>[]> {
    const every = (answer: Result<DeliveryReceipt>) => items.map(() => answer);
    const socket = this.currentSocket();
    if (!socket?.connected)
      return every(fail('unavailable', 'Not connected to the central server'));
    let answer: unknown;
    try {
      answer = await socket.timeout(this.ackTimeoutMs).emitWithAck('outbox:deliverBatch', items);
    } catch {
      // No acknowledgement in time: the server may or may not have applied
      // them; a retry is answered as a duplicate for each it did.
      return every(fail('unavailable', 'The central server did not acknowledge in time'));
    }
    const parsed = batchAnswerSchema.safeParse(answer);
    if (!parsed.success || (parsed.data.ok && parsed.data.value.length !== items.length))
      return every(
        fail('internal', 'The central server gave an answer the desk does not understand'),
      );
    // The batch as a whole refused (not signed in, malformed): the same answer for each item.
    return parsed.data.ok ? parsed.data.value : every(parsed.data);
  }
}
