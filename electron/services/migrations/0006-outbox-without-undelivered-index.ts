// Migration 0006: the outbox keeps no index of its undelivered items. Every
// completed interaction wrote a page of that index in its commit, and every
// delivery another. What read through it reads otherwise: the outbox loads
// its rows by seq (the rowid), holding the undelivered ones of every stream in
// memory, and review drafts ask it for theirs; pruning reads the undelivered
// streams once per pass (docs/decisions/0048-outbox-payload-by-reference.md).
import type { Migration } from './types';

export const migration0006: Migration = {
  version: 6,
  name: '0006-outbox-without-undelivered-index',
  up(db) {
    db.exec('DROP INDEX outbox_undelivered');
  },
};
