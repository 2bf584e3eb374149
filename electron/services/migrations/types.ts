// The shape of one numbered desk migration.
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** Rises through the list, gaps allowed (shared/storage/migration-plan.ts); never reused. */
  version: number;
  /** The file name without extension, recorded so a renamed migration is noticed. */
  name: string;
  up(db: Database): void;
}
