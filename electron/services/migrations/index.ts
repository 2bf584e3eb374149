// Every desk migration, in order. A new migration is a new numbered file added
// at the end of this list; an applied one is never edited or removed.
import { migration0001 } from './0001-desk-foundation';
import { migration0002 } from './0002-knowledge-replica';
import { migration0003 } from './0003-knowledge-page-indexing';
import { migration0004 } from './0004-outbox-without-id-index';
import { migration0005 } from './0005-outbox-payload-by-reference';
import { migration0006 } from './0006-outbox-without-undelivered-index';
import type { Migration } from './types';

export type { Migration } from './types';

export const deskMigrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
];
