// The shape of one numbered desk migration.
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3…: the position in the list, never reused. */
  version: number;
  /** The file name without extension, recorded so a renamed migration is noticed. */
  name: string;
  up(db: Database): void;
}
