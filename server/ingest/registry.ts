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
  type IngestStore,
  type IngestWriter,
} from '../storage/types';

export interface IngestContext {
  /** Who the desk's socket is signed in as. */
  user: StaffMember;
  deskId: string;
  receivedAt: string;
  /** The adviser who took a call or chat the server knows, by its id; null when it knows none. */
  adviserOfContact(contactRef: string): Promise<string | null>;
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

  async ingest(
    store: IngestStore,
    input: unknown,
    context: IngestContext,
  ): Promise<Result<DeliveryReceipt>> {
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
    try {
      const status = await store.applyOnce(
        {
          deskId: context.deskId,
          itemId: item.id,
          kind: item.kind,
          stream: item.stream,
          deliveredBy: context.user.id,
          appliedAt: context.receivedAt,
        },
        (writer) => applier.apply(writer, item.payload, context),
      );
      return ok({ id: item.id, status });
    } catch (error) {
      if (error instanceof StorageConflictError) return fail('conflict', error.message);
      if (error instanceof StorageRefusedError) return { ok: false, error: error.refusal };
      throw error;
    }
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
