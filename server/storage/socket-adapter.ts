// socket.io across server processes on PostgreSQL: every broadcast to a room
// (a staff member's desks, team leaders, every desk on a knowledge change) is
// published with NOTIFY on the shared pool and delivered by each process to
// its own sockets. Payloads over NOTIFY's 8,000-byte limit travel through the
// adapter's attachments table, created here in the adapter's own shape. On
// SQLite the server is one process and keeps socket.io's in-memory adapter.
import { createAdapter } from '@socket.io/postgres-adapter';
import { sql } from 'kysely';
import { lockForTransaction, type ServerDatabase } from './database';

export const socketAttachmentsTable = 'socket_io_attachments';

/** The adapter for `io.adapter(…)` on PostgreSQL; null on SQLite. */
export async function sharedSocketAdapter(
  database: ServerDatabase,
  log: (line: string) => void,
): Promise<ReturnType<typeof createAdapter> | null> {
  if (!database.pool) return null;
  // IF NOT EXISTS still races in PostgreSQL's catalogue when two processes
  // start together, so the creation takes a lock.
  await database.db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, database.engine, socketAttachmentsTable);
    await sql`CREATE TABLE IF NOT EXISTS ${sql.table(socketAttachmentsTable)} (
      id bigserial UNIQUE,
      created_at timestamptz DEFAULT now(),
      payload bytea
    )`.execute(trx);
  });
  const adapterOf = createAdapter(database.pool, {
    tableName: socketAttachmentsTable,
    errorHandler: (error) => log(`socket adapter: ${error.message}`),
  });
  // A function, not an arrow: socket.io calls it with `new`.
  return function orderedAdapter(namespace: Parameters<typeof adapterOf>[0]) {
    return inOrder(adapterOf(namespace));
  };
}

interface Publishing {
  doPublish(message: unknown): Promise<unknown>;
}

/**
 * The cluster adapter delivers a broadcast to this process's own sockets only
 * once its NOTIFY has been sent, and sends each on whichever pooled
 * connection is free: two broadcasts to one room could then arrive in the
 * opposite order (two chat offers, a message and its receipt). Publishing one
 * at a time keeps every broadcast in the order it was made, here and, since
 * PostgreSQL delivers notifications in commit order, on every other process.
 */
function inOrder<A extends object>(adapter: A): A {
  const publishing = adapter as unknown as Publishing;
  const publish = publishing.doPublish.bind(adapter);
  let previous: Promise<unknown> = Promise.resolve();
  publishing.doPublish = (message) => {
    const next = previous.then(() => publish(message));
    previous = next.catch(() => undefined);
    return next;
  };
  return adapter;
}
