// A completed interaction's record as a desk hands it over: to its own
// services over IPC (interaction:complete) and to the central server through
// the outbox (interaction.completed). The record's schema keeps each journal
// entry as a loose object, because held records of every age must still
// parse; a record arriving now must also replay, so here its journal is
// brought from the machine version it was recorded with to today's and each
// event parsed with the machine's own event schema (migrateJournal, the step
// replay takes). An event no version of the machine knows is refused where
// the record enters, not found later by whoever replays it.
import { interactionRecordSchema } from './record';
import { migrateJournal } from './replay-timeline';

export const deliveredInteractionRecordSchema = interactionRecordSchema.superRefine(
  (record, context) => {
    const events = migrateJournal(record.machineVersion, record.journal);
    if (!events.ok) {
      context.addIssue({ code: 'custom', message: events.error.message, path: ['journal'] });
    }
  },
);
