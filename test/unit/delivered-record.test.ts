// A completed record's journal is parsed event by event where it enters (the
// desk's IPC and the server's ingest), from whichever machine version recorded
// it; held records keep the looser schema, so every one of them still reads.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliveredInteractionRecordSchema } from '../../shared/interaction/delivered-record';
import { INTERACTION_MACHINE_VERSION } from '../../shared/interaction/machine';
import { interactionRecordSchema } from '../../shared/interaction/record';
import { parseOutboxItem } from '../../shared/wire/outbox';
import { completedRecord } from './desk-fixtures';

const fixtureFolder = join(import.meta.dirname, '../fixtures/journals');
const deskId = '3f2e1d0c-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

const issuesOf = (record: unknown) => {
  const parsed = deliveredInteractionRecordSchema.safeParse(record);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
};

describe('a delivered record', () => {
  it.each(readdirSync(fixtureFolder).filter((name) => name.endsWith('.json')))(
    'is taken whole from every machine version: %s',
    (name) => {
      const record: unknown = JSON.parse(readFileSync(join(fixtureFolder, name), 'utf8'));
      expect(issuesOf(record)).toEqual([]);
    },
  );

  it('is refused when an event is one no version of the machine knows', () => {
    const record = completedRecord(deskId);
    record.journal.push({ at: record.completedAt, event: { type: 'contact.offered' } });
    expect(issuesOf(record)).toEqual([
      {
        path: ['journal'],
        message: expect.stringMatching(
          /^Event 2 of the journal \(contact\.offered\) cannot be replayed/,
        ),
      },
    ]);
    // Held records read as before: the looser schema still takes it.
    expect(interactionRecordSchema.safeParse(record).success).toBe(true);
  });

  it('is refused when a known event carries what the machine would not accept', () => {
    const record = completedRecord(deskId);
    record.journal.push({
      at: record.completedAt,
      event: { type: 'GO_TO_STAGE', at: record.completedAt, stage: 'the moon' },
    });
    expect(issuesOf(record)).toEqual([
      {
        path: ['journal'],
        message: expect.stringMatching(/^Event 2 of the journal \(GO_TO_STAGE\)/),
      },
    ]);
  });

  it('is refused from a machine version this code cannot replay', () => {
    const record = { ...completedRecord(deskId), machineVersion: INTERACTION_MACHINE_VERSION + 1 };
    expect(issuesOf(record)).toEqual([
      { path: ['journal'], message: expect.stringMatching(/a newer desk recorded it/) },
    ]);
  });

  it('is refused by the server as an outbox item, before anything is applied', () => {
    const item = (payload: unknown) => ({
      id: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
      stream: 'interaction:one',
      kind: 'interaction.completed',
      payload,
      createdAt: '2026-11-20T10:20:00.000Z',
    });
    const record = completedRecord(deskId);
    expect(parseOutboxItem(item(record)).ok).toBe(true);
    record.journal.push({ at: record.completedAt, event: { type: 'NOT_AN_EVENT' } });
    const parsed = parseOutboxItem(item(record));
    expect(parsed.ok ? null : parsed.error.code).toBe('invalid_input');
  });
});
