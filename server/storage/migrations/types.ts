// The shape of one server migration, and the helper most of them use: the same
// change written for each engine, side by side. Data moves (a column filled
// from another) are written once as Kysely queries on the transaction.
import type { Kysely } from 'kysely';
import type { MigrationName } from '../../../shared/storage/migration-plan';
import type { Engine } from '../database';

export interface MigrationContext {
  engine: Engine;
  /**
   * The transaction the migration runs in, untyped: a migration sees the
   * schema as it stood then, not as schema.ts describes it today.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  db: Kysely<any>;
  /** Runs a multi-statement DDL script in the same transaction. */
  exec(script: string): Promise<void>;
}

export interface ServerMigration extends MigrationName {
  /** Runs inside the transaction that records it. */
  up(context: MigrationContext): Promise<void>;
}

/** Tables and indexes: the DDL differs between the engines (types, identity, collation), so each has its own. */
export function schemaChange(scripts: { sqlite: string; postgres: string }) {
  return (context: MigrationContext) => context.exec(scripts[context.engine]);
}
