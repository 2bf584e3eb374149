// socket.io across server processes on PostgreSQL: every broadcast to a room
// (a staff member's desks, team leaders, every desk on a knowledge change) is
// published with NOTIFY on the shared pool and delivered by each process to
// its own sockets. Payloads over NOTIFY's 8,000-byte limit travel through the
// adapter's attachments table, created here in the adapter's own shape. On
// SQLite the server is one process and keeps socket.io's in-memory adapter.
//
// Three changes to how the adapter publishes (see `publishing`): local sockets
// first, one NOTIFY statement for everything waiting, nothing when alone.
import { createAdapter } from '@socket.io/postgres-adapter';
import { sql } from 'kysely';
import {
  Adapter,
  MessageType,
  type BroadcastOptions,
  type ClusterMessage,
} from 'socket.io-adapter';
import pg from 'pg';
import { whileLocked, type ServerDatabase } from './database';
import type { LogLine } from '../logging';

export const socketAttachmentsTable = 'socket_io_attachments';

/** The adapter for `io.adapter(…)` on PostgreSQL; null on SQLite. */
export async function sharedSocketAdapter(
  database: ServerDatabase,
  log: LogLine,
): Promise<ReturnType<typeof createAdapter> | null> {
  if (!database.pool) return null;
  await whileLocked(database, socketAttachmentsTable, (trx) =>
    sql`CREATE TABLE IF NOT EXISTS ${sql.table(socketAttachmentsTable)} (
      id bigserial UNIQUE,
      created_at timestamptz DEFAULT now(),
      payload bytea
    )`.execute(trx),
  );
  const adapterOf = createAdapter(database.pool, {
    tableName: socketAttachmentsTable,
    errorHandler: (error) => log(`socket adapter: ${error.message}`, 'error'),
  });
  // A function, not an arrow: socket.io calls it with `new`.
  const publisher = new Publisher(database.pool);
  return function orderedAdapter(namespace: Parameters<typeof adapterOf>[0]) {
    return publishing(adapterOf(namespace), publisher, log);
  };
}

interface ClusterInternals {
  doPublish(message: ClusterMessage): Promise<unknown>;
  publishAndReturnOffset(message: ClusterMessage): Promise<unknown>;
  broadcast(packet: unknown, opts: BroadcastOptions): unknown;
  /** The other processes heard from lately (their heartbeats), by id. */
  nodesMap: Map<string, number>;
}

/** The adapter's own defaults, which the server does not change. */
const channelPrefix = 'socket.io';
const notifyPayloadLimit = 8_000;

interface Waiting {
  message: ClusterMessage;
  /** The message as JSON, or null when it goes alone through an attachment row. */
  payload: string | null;
  /** The adapter's own publish, for a message that goes alone. */
  alone(message: ClusterMessage): Promise<unknown>;
  done(error?: unknown): void;
}

/**
 * One process's NOTIFY queue, shared by every namespace's adapter: a desk's
 * message and the customer's copy (two namespaces) go out in one batch, so
 * there is one NOTIFY transaction per round trip for the whole process, not
 * one per namespace, and the order across namespaces is the order they were
 * made in.
 */
class Publisher {
  private waiting: Waiting[] = [];
  private sending = false;

  constructor(private readonly pool: pg.Pool) {}

  publish(item: Omit<Waiting, 'done'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ ...item, done: (error) => (error ? reject(error) : resolve()) });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      await this.send(batch);
    }
    this.sending = false;
  }

  private async send(batch: Waiting[]): Promise<void> {
    for (let at = 0; at < batch.length;) {
      const first = batch[at];
      if (!first) break;
      if (first.payload === null) {
        await first.alone(first.message).then(
          () => first.done(),
          (error: unknown) => first.done(error),
        );
        at += 1;
        continue;
      }
      const run: Waiting[] = [];
      while (at < batch.length && batch[at]?.payload != null) run.push(batch[at++] as Waiting);
      const statements = run.map(
        (each) =>
          `select pg_notify(${pg.escapeLiteral(`${channelPrefix}#${each.message.nsp}`)}, ${pg.escapeLiteral(each.payload ?? '')})`,
      );
      // Several statements in one simple query run in order, in one transaction. A
      // notification is gone with a crash whatever the commit waits for, so the commit
      // does not wait for the disk: each batch would otherwise cost a flush of the WAL.
      const query = ['begin', 'set local synchronous_commit = off', ...statements, 'commit'];
      await this.pool.query(query.join(';\n')).then(
        () => run.forEach((each) => each.done()),
        (error: unknown) => run.forEach((each) => each.done(error)),
      );
    }
  }
}

/**
 * The cluster adapter as the server needs it under live chat:
 *
 * - **Local sockets first.** The adapter would deliver a broadcast to this
 *   process's own sockets only once its NOTIFY had been sent, so every chat
 *   message waited on a database round trip, and under load the waits queued
 *   behind each other until nothing was delivered. Here local sockets get the
 *   packet at once, as with the in-memory adapter, and the NOTIFY follows.
 * - **In order, and together.** The adapter sends each NOTIFY on whichever
 *   pooled connection is free, so two broadcasts to one room could reach
 *   other processes in the opposite order (two chat offers, a message and its
 *   receipt). Here one batch is sent at a time, and everything that queued
 *   while it was sent goes in the next, as one round trip of NOTIFY
 *   statements in the order they were made: PostgreSQL delivers a
 *   transaction's notifications in that order, and transactions' in commit
 *   order. A message with binary data or over NOTIFY's size limit goes alone
 *   through the adapter's own path (an attachment row), still in its turn.
 *   The queue is the process's, shared by all namespaces (see Publisher).
 * - **Nothing when alone.** With no other process heard from, a broadcast has
 *   nobody to reach. A process that starts later announces itself before it
 *   accepts any socket, so it misses nothing meant for its sockets.
 */
function publishing<A extends object>(adapter: A, publisher: Publisher, log: LogLine): A {
  const cluster = adapter as unknown as ClusterInternals;
  const publishAlone = cluster.doPublish.bind(adapter);

  cluster.doPublish = (message) => {
    const json = holdsBinary(message) ? null : JSON.stringify(message);
    const payload = json !== null && Buffer.byteLength(json) <= notifyPayloadLimit ? json : null;
    return publisher.publish({ message, payload, alone: publishAlone });
  };

  cluster.broadcast = (packet, opts) => {
    if (!opts.flags?.local && cluster.nodesMap.size > 0) {
      cluster
        .publishAndReturnOffset({
          type: MessageType.BROADCAST,
          data: {
            packet,
            opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags },
          },
        } as ClusterMessage)
        .catch((error: unknown) =>
          log(
            `socket adapter: broadcast not published: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
    }
    Adapter.prototype.broadcast.call(adapter, packet, opts);
  };
  return adapter;
}

function holdsBinary(value: unknown): boolean {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(holdsBinary);
}
