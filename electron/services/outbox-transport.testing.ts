// Test double for OutboxTransport: a small in-memory central server that
// applies each item once, answers repeats as duplicates, and lets a test script
// failures (refused, lost before or after applying, refused as invalid).
import { fail, ok, type Result } from '../../shared/result';
import type { DeliveryReceipt, OutboxItem } from '../../shared/wire/outbox';
import type { OutboxTransport } from './outbox-transport';

/**
 * What happens to one delivery attempt:
 * - `ack`: applied (or duplicate) and acknowledged;
 * - `unavailable`: never reached the server;
 * - `lost_ack`: the server applied it but the acknowledgement was lost;
 * - `invalid`: the server refused it as invalid input.
 */
export type DeliveryOutcome = 'ack' | 'unavailable' | 'lost_ack' | 'invalid';

export class FakeServerTransport implements OutboxTransport {
  /** Item ids in the order the fake server first applied them. */
  readonly applied: OutboxItem[] = [];
  /** Every id the transport answered with an ok acknowledgement. */
  readonly acknowledged = new Set<string>();
  readonly attempts: string[] = [];
  /** How many items each delivery carried, in order. */
  readonly batches: number[] = [];
  /** Streams with a delivery in flight right now; a second one at once is an ordering bug. */
  readonly overlapping: string[] = [];
  private readonly inFlightStreams = new Set<string>();
  private readonly appliedIds = new Set<string>();
  private readonly waiters: (() => void)[] = [];
  private held = false;
  /** False stands for a desk with no connection: the outbox waits for retryNow(). */
  online = true;

  constructor(
    private readonly decide: (item: OutboxItem, attempt: number) => DeliveryOutcome = () => 'ack',
  ) {}

  /** Holds every delivery unanswered until `release()`: to observe in-flight behaviour. */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    for (const wake of this.waiters.splice(0)) wake();
  }

  connected(): boolean {
    return this.online;
  }

  /** Each item of a batch meets its own outcome, as the real server answers each on its own. */
  async deliver(items: readonly OutboxItem[]): Promise<Result<DeliveryReceipt>[]> {
    if (!this.online)
      return items.map(() => fail('unavailable', 'Not connected to the central server'));
    this.batches.push(items.length);
    for (const item of items) {
      if (this.inFlightStreams.has(item.stream)) this.overlapping.push(item.stream);
      this.inFlightStreams.add(item.stream);
    }
    try {
      const attempts = items.map((item) => {
        const attempt = this.attempts.filter((id) => id === item.id).length + 1;
        this.attempts.push(item.id);
        return attempt;
      });
      await Promise.resolve();
      if (this.held) await new Promise<void>((wake) => this.waiters.push(wake));
      return items.map((item, index) => this.answer(item, attempts[index] ?? 1));
    } finally {
      for (const item of items) this.inFlightStreams.delete(item.stream);
    }
  }

  private answer(item: OutboxItem, attempt: number): Result<DeliveryReceipt> {
    const outcome = this.decide(item, attempt);
    if (outcome === 'unavailable')
      return fail('unavailable', 'Not connected to the central server');
    if (outcome === 'invalid') return fail('invalid_input', 'Outbox item is not valid');
    const status = this.appliedIds.has(item.id) ? 'duplicate' : 'applied';
    if (status === 'applied') {
      this.appliedIds.add(item.id);
      this.applied.push(item);
    }
    if (outcome === 'lost_ack')
      return fail('unavailable', 'The central server did not acknowledge in time');
    this.acknowledged.add(item.id);
    return ok({ id: item.id, status });
  }
}
