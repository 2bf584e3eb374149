// Applying outbox items a desk delivers: each domain registers an applier for
// its own kinds (a second registration of a kind throws at start-up), and the
// registry parses, authorises and applies an item at most once per desk.
import { z } from 'zod';
import type { StaffMember } from '../../shared/domain/people';
import { fail, ok, type Result } from '../../shared/result';
import {
  outboxKinds,
  parseOutboxItem,
  type DeliveryReceipt,
  type OutboxItem,
  type OutboxKind,
} from '../../shared/wire/outbox';
import { authorize, outboxAction } from '../permissions/policy';
import {
  StorageConflictError,
  StorageRefusedError,
  type AppliedOutcome,
  type IngestStore,
  type IngestWriter,
} from '../storage/types';
import type { LogLine } from '../logging';

export interface IngestContext {
  /** Who the desk's socket is signed in as. */
  user: StaffMember;
  deskId: string;
  receivedAt: string;
  /** The adviser who took a call or chat the server knows, by its id; null when it knows none. */
  adviserOfContact(contactRef: string): Promise<string | null>;
  /** Where an item's unexpected failure is logged before it is answered `internal`. */
  log: LogLine;
}

type PayloadOf<K extends OutboxKind> = Extract<OutboxItem, { kind: K }>['payload'];

export interface OutboxApplier<K extends OutboxKind> {
  kind: K;
  /**
   * Whether this staff member may deliver this item (whose it is: the policy
   * has already allowed the kind for the role); a refusal stores nothing.
   */
  authorise(payload: PayloadOf<K>, context: IngestContext): Result<null> | Promise<Result<null>>;
  /** Writes the item; runs inside the transaction that records it as applied. */
  apply(writer: IngestWriter, payload: PayloadOf<K>, context: IngestContext): Promise<void>;
}

const kindOnly = z.object({ kind: z.enum(outboxKinds) });

/** The outbox kind an item names, if it names a known one. */
function outboxKindOf(input: unknown): OutboxKind | null {
  const named = kindOnly.safeParse(input);
  return named.success ? named.data.kind : null;
}

export class IngestRegistry {
  private readonly appliers = new Map<OutboxKind, OutboxApplier<OutboxKind>>();

  register<K extends OutboxKind>(applier: OutboxApplier<K>): void {
    if (this.appliers.has(applier.kind)) {
      throw new Error(
        `Outbox kind ${applier.kind} already has an applier; each kind is registered once`,
      );
    }
    this.appliers.set(applier.kind, applier as unknown as OutboxApplier<OutboxKind>);
  }

  /** Throws unless every kind a desk may send has an applier, so a gap is found at start-up. */
  assertComplete(): void {
    const missing = outboxKinds.filter((kind) => !this.appliers.has(kind));
    if (missing.length > 0)
      throw new Error(`No ingest applier for outbox kinds: ${missing.join(', ')}`);
  }

  /** One item: a batch of one, so it takes the same path (and checks) as a batch. */
  async ingest(
    store: IngestStore,
    input: unknown,
    context: IngestContext,
  ): Promise<Result<DeliveryReceipt>> {
    const [answer] = await this.ingestBatch(store, [input], context);
    if (!answer) throw new Error('A batch of one item was answered with nothing');
    return answer;
  }

  /**
   * Items from one desk, each the head of its own stream: each is checked on
   * its own (a refusal answers that item alone), and those allowed are applied
   * together, each at most once, in one durable commit (IngestStore.applyBatch).
   * One answer per input, in order; a write that failed unexpectedly is logged
   * and answered `internal`, so the desk retries that item alone.
   */
  async ingestBatch(
    store: IngestStore,
    inputs: readonly unknown[],
    context: IngestContext,
  ): Promise<Result<DeliveryReceipt>[]> {
    const answers: Result<DeliveryReceipt>[] = [];
    const ready: { index: number; item: OutboxItem; applier: OutboxApplier<OutboxKind> }[] = [];
    for (const [index, input] of inputs.entries()) {
      const checked = await this.check(input, context);
      if (checked.ok) ready.push({ index, ...checked.value });
      else answers[index] = checked;
    }
    const outcomes = await store.applyBatch(
      ready.map(({ item, applier }) => ({
        item: {
          deskId: context.deskId,
          itemId: item.id,
          kind: item.kind,
          stream: item.stream,
          deliveredBy: context.user.id,
          appliedAt: context.receivedAt,
        },
        apply: (writer: IngestWriter) => applier.apply(writer, item.payload, context),
      })),
    );
    for (const [position, { index, item }] of ready.entries()) {
      const outcome = outcomes[position];
      if (!outcome) throw new Error(`The store gave no outcome for item ${item.id}`);
      answers[index] = this.answerFor(item, outcome, context);
    }
    return answers;
  }

  /** The policy, the parse and the applier's own check, before anything is written. */
  private async check(
    input: unknown,
    context: IngestContext,
  ): Promise<Result<{ item: OutboxItem; applier: OutboxApplier<OutboxKind> }>> {
    // The policy decides by kind before the payload is even parsed: a role
    // that may not deliver this kind learns so, whatever it sent.
    const kind = outboxKindOf(input);
    if (kind) {
      const allowed = authorize(context.user, outboxAction[kind]);
      if (!allowed.ok) return allowed;
    }
    const parsed = parseOutboxItem(input);
    if (!parsed.ok) return parsed;
    const item = parsed.value;
    const applier = this.appliers.get(item.kind);
    if (!applier) return fail('invalid_input', `The server does not take ${item.kind} items`);
    const allowed = await applier.authorise(item.payload, context);
    if (!allowed.ok) return allowed;
    return ok({ item, applier });
  }

  private answerFor(
    item: OutboxItem,
    outcome: AppliedOutcome,
    context: IngestContext,
  ): Result<DeliveryReceipt> {
    if ('status' in outcome) return ok({ id: item.id, status: outcome.status });
    const { error } = outcome;
    if (error instanceof StorageConflictError) return fail('conflict', error.message);
    if (error instanceof StorageRefusedError) return { ok: false, error: error.refusal };
    context.log(
      `${item.kind} item ${item.id} from desk ${context.deskId} failed: ${
        error instanceof Error ? (error.stack ?? error.message) : String(error)
      }`,
      'error',
    );
    return fail('internal', 'Something went wrong on the central server');
  }
}

/** The usual authorisation: staff deliver only what they made themselves. */
export function ownedByDeliverer(
  adviserId: string,
  context: IngestContext,
  what: string,
): Result<null> {
  return adviserId === context.user.id
    ? ok(null)
    : fail(
        'forbidden',
        `This ${what} belongs to another adviser; a desk delivers only its own adviser's work`,
      );
}
