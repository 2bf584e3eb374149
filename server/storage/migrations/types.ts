// The shape of one numbered schema migration of the central server's SQLite database.
import type { Database } from 'better-sqlite3';

export interface ServerMigration {
  /** 1, 2, 3…: the position in the list, never reused. */
  version: number;
  name: string;
  /** Runs inside the transaction that records it. */
  up(db: Database): void;
}
