// Migration 0002: the knowledge replica (articles, both full-text indexes, the
// vocabulary and the sync cursor). The tables are the knowledge library's own;
// the desk applies them here, in its numbered list, in one transaction with the record.
import { knowledgeMigrations } from '../../../knowledge-base/replica';
import type { Migration } from './types';

const replicaTables = '0001-knowledge-replica';

export const migration0002: Migration = {
  version: 2,
  name: '0002-knowledge-replica',
  up(db) {
    // Found by name, not position: a later knowledge migration becomes a later desk migration.
    const tables = knowledgeMigrations.find((migration) => migration.name === replicaTables);
    if (!tables) throw new Error(`The knowledge library no longer has ${replicaTables}`);
    tables.up(db);
  },
};
