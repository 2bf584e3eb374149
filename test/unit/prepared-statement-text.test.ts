// PostgreSQL prepares each parameterised statement once per connection, keyed
// by its text (decision 0044): the one statement that ingests a completed
// interaction must have the same text whatever the interaction holds, or every
// delivery would prepare, and keep, a statement of its own.
import { describe, expect, it } from 'vitest';
import { withDashboardSummary } from '../../server/storage/dashboard-summary';
import { maxPreparedParameters } from '../../server/storage/database';
import { interactionRow } from '../../server/storage/ingest';
import type { ServerSchema } from '../../server/storage/schema';
import { postgresCompiler } from '../support/postgres-compiler';
import { completedRecord } from './desk-fixtures';

/** Compiles PostgreSQL's SQL without a server. */
const compiler = postgresCompiler<ServerSchema>();

const ingestStatement = (row: ReturnType<typeof interactionRow>) =>
  withDashboardSummary(compiler, row)
    .with('saved', (db) => db.insertInto('interactions').values(row).returning('id'))
    .insertInto('applied_outbox_items')
    .values({
      desk_id: 'desk-1',
      item_id: row.id,
      kind: 'interaction.completed',
      stream: `interaction:${row.id}`,
      delivered_by: row.adviser_id,
      applied_at: row.received_at,
    })
    .compile();

describe("the ingest's one PostgreSQL statement", () => {
  it('has the same text for interactions with different figures, which travel as parameters', () => {
    const quick = completedRecord('desk-1', { adviserId: 'adviser-1' });
    const later = completedRecord('desk-1', {
      adviserId: 'adviser-2',
      channel: 'webchat',
      completedAt: '2026-11-21T15:45:00.000Z',
    });
    later.summary.call = { ...later.summary.call, connectedAt: '2026-11-20T10:01:30.000Z' };
    const first = ingestStatement(interactionRow(quick, quick.completedAt));
    const second = ingestStatement(interactionRow(later, later.completedAt));
    expect(second.parameters).not.toEqual(first.parameters);
    expect(second.sql).toBe(first.sql);
    // No figure is written into the text.
    expect(first.sql).not.toMatch(/\bselect\s+\d/i);
    // And it is few enough parameters to be prepared at all.
    expect(first.parameters.length).toBeLessThanOrEqual(maxPreparedParameters);
  });
});
