// A desk migration that applies one of the knowledge library's own migrations.
// The replica's tables are the library's; the desk applies each of its steps
// in the desk's numbered list, in one transaction with the desk's record.
import { knowledgeMigrations } from '../../../knowledge-base/replica';
import type { Migration } from './types';

export function knowledgeStep(version: number, name: string, knowledgeName: string): Migration {
  return {
    version,
    name,
    up(db) {
      // Found by name, not position: the library's list only ever grows at the end.
      const step = knowledgeMigrations.find((migration) => migration.name === knowledgeName);
      if (!step) throw new Error(`The knowledge library no longer has ${knowledgeName}`);
      step.up(db);
    },
  };
}
