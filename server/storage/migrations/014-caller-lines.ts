// Caller lines: each call keeps its caller's number as one key (E.164 where it
// parses, server/telephony/caller-line.ts), indexed, so an adviser taking a
// call sees the caller's earlier interactions with the service at once.
// Calls held before this migration get their key here, by the same function
// that keys a new call, in batches so a large table never sits in memory.
import { callerLineKey } from '../../telephony/caller-line';
import type { MigrationContext, ServerMigration } from './types';

const batch = 500;

export const callerLinesMigration: ServerMigration = {
  version: 14,
  name: 'caller-lines',
  async up(context: MigrationContext) {
    await context.exec(
      context.engine === 'sqlite'
        ? 'ALTER TABLE calls ADD COLUMN cli_key TEXT;'
        : 'ALTER TABLE calls ADD COLUMN cli_key text;',
    );
    let after = '';
    for (;;) {
      const rows: { id: string; cli: string | null }[] = await context.db
        .selectFrom('calls')
        .select(['id', 'cli'])
        .where('id', '>', after)
        .where('cli', 'is not', null)
        .orderBy('id')
        .limit(batch)
        .execute();
      for (const row of rows) {
        await context.db
          .updateTable('calls')
          .set({ cli_key: callerLineKey(row.cli) })
          .where('id', '=', row.id)
          .execute();
      }
      const last = rows.at(-1);
      if (!last || rows.length < batch) break;
      after = last.id;
    }
    await context.exec('CREATE INDEX calls_cli_key ON calls (cli_key, offered_at);');
  },
};
