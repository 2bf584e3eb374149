// socket.io across server processes on PostgreSQL: every broadcast to a room
// (a staff member's desks, team leaders, every desk on a knowledge change) is
// published with NOTIFY on the shared pool and delivered by each process to
// its own sockets. Payloads over NOTIFY's 8,000-byte limit travel through the
// adapter's attachments table, created here in the adapter's own shape. On
// SQLite the server is one process and keeps socket.io's in-memory adapter.
//
// Three changes to how the adapter publishes (see `publishing`): local sockets
// first, one NOTIFY statement for everything waiting, its messages packed
// several to a notification, nothing when alone.
import { createAdapter } from '@socket.io/postgres-adapter';
import { sql } from 'kysely';
import {
  Adapter,
  MessageType,
  type BroadcastOptions,
  type ClusterMessage,
} from 'socket.io-adapter';
import type pg from 'pg';
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
  /** This adapter's id among the processes: its own notifications come back to it and are dropped. */
  uid: string;
  onMessage(message: ClusterMessage, offset?: string): void;
  doPublish(message: ClusterMessage): Promise<unknown>;
  publishAndReturnOffset(message: ClusterMessage): Promise<unknown>;
  broadcast(packet: unknown, opts: BroadcastOptions): unknown;
  /** The other processes heard from lately (their heartbeats), by id. */
  nodesMap: Map<string, number>;
}

/** The adapter's own defaults, which the server does not change. */
const channelPrefix = 'socket.io';
const notifyPayloadLimit = 8_000;

/**
 * A batch of notifications as one statement, its channels and payloads bound as two
 * arrays: the text never changes, so PostgreSQL parses and plans it once per connection
 * (it was a script of a statement per notification, parsed every time), and the payloads
 * need no quoting. The notifications are made in the arrays' order, in one transaction,
 * and PostgreSQL delivers a transaction's notifications in the order they were made. A
 * notification is gone with a crash whatever the commit waits for, so the commit does
 * not wait for the disk (`set_config(…, true)` holds for this statement's own
 * transaction): each batch would otherwise cost a flush of the log.
 */
const notifyInTurn = `select set_config('synchronous_commit', 'off', true),
  (select count(pg_notify(channel, payload)) from unnest($1::text[], $2::text[]) as each(channel, payload))`;

/**
 * Several cluster messages in one notification, in the order they were made. Its own
 * type, outside socket.io's, so a process receiving one unpacks it and hands each
 * message to its namespace's adapter, as if each had come on its own.
 */
const bundleType = 100;
/** A bundle's wrapping around its messages' JSON, in bytes, over its namespace's name. */
const bundleOverhead = 80;

interface Waiting {
  message: ClusterMessage;
  /** The message as JSON, or null when it goes alone through an attachment row. */
  payload: string | null;
  /** The payload's size in bytes. */
  bytes: number;
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
  /** Each namespace's adapter: its id, under which it sends bundles, and its own onMessage. */
  private readonly namespaces = new Map<
    string,
    { uid: string; onMessage(message: ClusterMessage): void }
  >();

  constructor(private readonly pool: pg.Pool) {}

  addNamespace(nsp: string, uid: string, onMessage: (message: ClusterMessage) => void): void {
    this.namespaces.set(nsp, { uid, onMessage });
  }

  /** A bundle from another process: each message to its namespace's adapter, in order. */
  unbundle(messages: unknown): void {
    if (!Array.isArray(messages)) return;
    for (const message of messages as ClusterMessage[]) {
      if (typeof message?.nsp === 'string') this.namespaces.get(message.nsp)?.onMessage(message);
    }
  }

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
      const { channels, payloads } = this.bundled(run);
      await this.pool.query(notifyInTurn, [channels, payloads]).then(
        () => run.forEach((each) => each.done()),
        (error: unknown) => run.forEach((each) => each.done(error)),
      );
    }
  }

  /**
   * The run's messages packed in order into as few notifications as NOTIFY's size limit
   * allows. PostgreSQL's work and each listening process's grow with the number of
   * notifications: a chat message and its copy to the sender's other tabs were two, and
   * under load a round trip's batch holds dozens. A message that fills a notification
   * on its own goes as it is.
   */
  private bundled(run: Waiting[]): { channels: string[]; payloads: string[] } {
    const channels: string[] = [];
    const payloads: string[] = [];
    const flush = (group: Waiting[]) => {
      const [head] = group;
      if (!head) return;
      const nsp = head.message.nsp;
      channels.push(`${channelPrefix}#${nsp}`);
      const sender = this.namespaces.get(nsp);
      payloads.push(
        group.length === 1 || !sender
          ? (head.payload ?? '')
          : `{"uid":${JSON.stringify(sender.uid)},"nsp":${JSON.stringify(nsp)},"type":${bundleType},"data":[${group.map((each) => each.payload).join(',')}]}`,
      );
    };
    let group: Waiting[] = [];
    let bytes = 0;
    for (const each of run) {
      const nsp = group[0]?.message.nsp ?? each.message.nsp;
      if (
        group.length > 0 &&
        bytes + each.bytes + 1 > notifyPayloadLimit - bundleOverhead - Buffer.byteLength(nsp)
      ) {
        flush(group);
        group = [];
        bytes = 0;
      }
      group.push(each);
      bytes += each.bytes + 1;
    }
    flush(group);
    return { channels, payloads };
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
 *   through the adapter's own path (an attachment row), still sent in its turn
 *   (the receiving library reads the row while later notifications go ahead,
 *   so it can be heard after them).
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
    const bytes = json === null ? 0 : Buffer.byteLength(json);
    const payload = json !== null && bytes <= notifyPayloadLimit ? json : null;
    return publisher.publish({ message, payload, bytes, alone: publishAlone });
  };

  const onMessage = cluster.onMessage.bind(adapter);
  publisher.addNamespace(namespaceOf(adapter), cluster.uid, onMessage);
  cluster.onMessage = (message, offset) => {
    // The library drops a process's own notifications before they get here, bundles too.
    if ((message.type as number) === bundleType)
      publisher.unbundle((message as { data?: unknown }).data);
    else onMessage(message, offset);
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

function namespaceOf(adapter: object): string {
  return (adapter as { nsp: { name: string } }).nsp.name;
}

function holdsBinary(value: unknown): boolean {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(holdsBinary);
}
