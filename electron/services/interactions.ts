// Completed interactions on the desk: kept locally (with the follow-up list)
// and queued for the central server in the same transaction, with the
// transcript the customer asked for: only which interaction and the address,
// since the server composes the document from the record it holds.
import { transcriptRequestFor, transcriptRequestSchema } from '../../shared/documents/transcript';
import type { CompleteInteraction } from '../../shared/ipc/contract';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import type { DeskHandlerRegistry } from './handlers';
import type { LocalDb } from './local-db';
import type { Outbox } from './outbox';

/** Both items of one interaction share a stream, so its booking never arrives before its record. */
export const interactionStream = (interactionId: string) => `interaction:${interactionId}`;

function interactionStatements(db: LocalDb) {
  return {
    // An interaction completed already changes nothing (0 rows).
    insertInteraction: db.prepare(
      `INSERT INTO interactions (id, channel, contact_ref, adviser_id, started_at, completed_at, record)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    insertFollowUp: db.prepare(
      `INSERT INTO follow_ups (id, interaction_id, adviser_id, slot_start, contact_method, contact_address, created_at, booking)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

export class InteractionStore {
  /** Prepared once: completing is the desk's most frequent write. */
  private readonly sql: ReturnType<typeof interactionStatements>;

  constructor(
    db: LocalDb,
    private readonly outbox: Outbox,
    private readonly deskId: string,
  ) {
    this.sql = interactionStatements(db);
  }

  /**
   * Stores the record (and booking) and queues them, all in one transaction.
   * Completing the same interaction again is answered as done and queues nothing.
   */
  complete({ record, followUp }: CompleteInteraction): Result<{ queued: number }> {
    if (record.deskId !== this.deskId)
      return fail('invalid_input', 'The record names a different desk');
    if (followUp && followUp.interactionId !== record.id) {
      return fail('invalid_input', 'The follow-up booking belongs to a different interaction');
    }
    // The record's schema has checked the address already; parsing the request
    // too keeps the outbox item to its own schema and queues the address normalised.
    const wanted = transcriptRequestFor(record);
    const transcript = wanted
      ? parseInput(transcriptRequestSchema, wanted, 'Transcript request')
      : null;
    if (transcript && !transcript.ok) return transcript;
    return this.outbox.transaction(() => {
      const stored = this.sql.insertInteraction.run(
        record.id,
        record.channel,
        record.contactRef,
        record.adviserId,
        record.startedAt,
        record.completedAt,
        JSON.stringify(record),
      );
      if (stored.changes === 0) return ok({ queued: 0 });
      const stream = interactionStream(record.id);
      // The record just stored is the item's payload: one copy in the commit, not two.
      this.outbox.enqueue(
        { stream, kind: 'interaction.completed', payload: record },
        { payloadIsRecordOf: record.id },
      );
      let queued = 1;
      if (transcript) {
        this.outbox.enqueue({ stream, kind: 'transcript.requested', payload: transcript.value });
        queued += 1;
      }
      if (!followUp) return ok({ queued });
      this.sql.insertFollowUp.run(
        followUp.id,
        followUp.interactionId,
        followUp.adviserId,
        followUp.slotStart,
        followUp.contactMethod,
        followUp.contactAddress,
        followUp.createdAt,
        JSON.stringify(followUp),
      );
      this.outbox.enqueue({ stream, kind: 'followup.booked', payload: followUp });
      return ok({ queued: queued + 1 });
    });
  }
}

export function registerInteractionHandlers(
  registry: DeskHandlerRegistry,
  interactions: InteractionStore,
): void {
  registry.register('completeInteraction', (input) => interactions.complete(input));
}
