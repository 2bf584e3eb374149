// The chat's hot statements are compiled once and bound again on each run: the
// inputs must land where the query builder put them, and every other value the
// builder bound must stay as it was.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { builtOnce } from '../../server/chat/built-once';
import { postgresCompiler } from '../support/postgres-compiler';

interface Schema {
  chats: { id: string; status: string; last_seq: number };
}

const db = postgresCompiler<Schema>();

describe('a statement built once', () => {
  it('binds each run’s inputs in their places and keeps the constants the builder bound', () => {
    let builds = 0;
    const statement = builtOnce(['ids', 'seqs'], (inputs) => {
      builds += 1;
      return db
        .updateTable('chats')
        .from(
          sql<{
            id: string;
            seq: number;
          }>`unnest(${inputs.ids}::text[], ${inputs.seqs}::integer[])`.as<'input'>(
            sql`input(id, seq)`,
          ),
        )
        .set({ status: 'connected' })
        .whereRef('chats.id', '=', 'input.id')
        .where('chats.status', 'in', ['queued', 'connected'])
        .returning('chats.id');
    });
    const first = statement({ ids: ['a', 'b'], seqs: [1, 2] });
    const second = statement({ ids: ['c'], seqs: [7] });
    expect(builds).toBe(1);
    expect(second.sql).toBe(first.sql);
    const fresh = db
      .updateTable('chats')
      .from(
        sql<{ id: string; seq: number }>`unnest(${['c']}::text[], ${[7]}::integer[])`.as<'input'>(
          sql`input(id, seq)`,
        ),
      )
      .set({ status: 'connected' })
      .whereRef('chats.id', '=', 'input.id')
      .where('chats.status', 'in', ['queued', 'connected'])
      .returning('chats.id')
      .compile();
    expect(second.sql).toBe(fresh.sql);
    expect(second.parameters).toEqual(fresh.parameters);
    // SET comes before FROM in the statement's text, so its constant is bound first.
    expect(first.parameters).toEqual(['connected', ['a', 'b'], [1, 2], 'queued', 'connected']);
  });

  it('refuses an input the statement spreads over several places, which could not be bound again', () => {
    const statement = builtOnce(['ids'], (inputs) =>
      db
        .selectFrom('chats')
        .select('id')
        .where('id', 'in', inputs.ids as string[]),
    );
    expect(() => statement({ ids: ['a'] })).toThrow(/not bound as one value/);
  });
});
