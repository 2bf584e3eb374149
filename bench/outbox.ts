// The outbox benchmark: 10,000 completed interactions queued on a real desk
// while the central server is down, then drained over loopback socket.io into
// the real server once it is back. Baselines measured in the same run on the
// same machine: the same records written straight into SQLite (one transaction
// each, as the outbox does), and applied straight into the server's storage
// (no network, no outbox). Run alone with: npx tsx bench/outbox.ts --items 10000
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { createDeskServices, type DeskServices } from '../electron/services/desk';
import { startServer, type RunningServer } from '../server/app';
import { openSqliteStorage } from '../server/storage/sqlite';
import type { DeskStatus } from '../shared/ipc/contract';
import type { InteractionRecord } from '../shared/interaction/record';
import { completedRecord } from '../test/unit/desk-fixtures';

export interface OutboxBenchOptions {
  items: number;
  log(line: string): void;
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
const rate = (count: number, ms: number) =>
  `${perSecond(count, ms).toLocaleString('en-GB')} items/s (${(ms / 1000).toFixed(2)} s)`;

function statusWhere(desk: DeskServices, test: (status: DeskStatus) => boolean): Promise<number> {
  return new Promise((resolve) => {
    if (test(desk.status())) return resolve(performance.now());
    const stop = desk.onEvent((...event) => {
      if (event[0] !== 'statusChanged' || !test(event[1])) return;
      stop();
      resolve(performance.now());
    });
  });
}

/** Baseline 1: the bare cost of writing each record durably, one transaction per item. */
function rawInserts(dir: string, records: readonly InteractionRecord[]): number {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE items (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO items (id, body) VALUES (?, ?)');
  const write = db.transaction((record: InteractionRecord) =>
    insert.run(record.id, JSON.stringify(record)),
  );
  const started = performance.now();
  for (const record of records) write.immediate(record);
  const elapsed = performance.now() - started;
  db.close();
  return elapsed;
}

/** Baseline 2: the server's own apply-once ingest of the same records, with no network or outbox. */
function directIngest(dir: string, records: readonly InteractionRecord[]): number {
  mkdirSync(dir, { recursive: true });
  const storage = openSqliteStorage(dir);
  const adviser = storage.accounts.create({
    username: 'bench-adviser',
    displayName: 'Bench Adviser',
    roles: ['adviser'],
    passwordHash: 'scrypt$unused',
  });
  const started = performance.now();
  for (const record of records) {
    storage.ingest.applyOnce(
      {
        deskId: record.deskId,
        itemId: record.id,
        kind: 'interaction.completed',
        stream: `interaction:${record.id}`,
        deliveredBy: adviser.id,
        appliedAt: new Date().toISOString(),
      },
      (writer) => writer.saveInteraction({ ...record, adviserId: adviser.id }, record.completedAt),
    );
  }
  const elapsed = performance.now() - started;
  storage.close();
  return elapsed;
}

export async function runOutboxBench({ items, log }: OutboxBenchOptions): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'adviser-bench-outbox-'));
  const quiet = () => undefined;
  let server: RunningServer | null = null;
  let desk: DeskServices | null = null;
  try {
    server = await startServer({ dataDir: join(root, 'server'), port: 0, log: quiet });
    const port = server.port;
    desk = createDeskServices({
      dataDir: join(root, 'desk'),
      serverUrl: server.url,
      outbox: { backoff: { baseMs: 50, capMs: 500 } },
    });
    desk.start();
    const signedIn = await desk.dispatch('signIn', {
      username: 'demo-adviser',
      password: 'helpline-demo',
    });
    if (!signedIn.ok) throw new Error(`bench sign-in failed: ${signedIn.error.message}`);
    const adviserId = (signedIn.value as { id: string }).id;
    const activeDesk = desk;
    await statusWhere(activeDesk, (status) => status.connection === 'online');

    await server.close();
    server = null;
    await statusWhere(activeDesk, (status) => status.connection !== 'online');

    const records = Array.from({ length: items }, () =>
      completedRecord(activeDesk.deskId, { adviserId }),
    );
    const bytes = Buffer.byteLength(JSON.stringify(records[0]));

    const enqueueStarted = performance.now();
    for (const record of records) {
      const done = await activeDesk.dispatch('completeInteraction', { record, followUp: null });
      if (!done.ok) throw new Error(`enqueue failed: ${done.error.message}`);
    }
    const enqueueMs = performance.now() - enqueueStarted;

    server = await startServer({ dataDir: join(root, 'server'), port, log: quiet });
    const online = await statusWhere(activeDesk, (status) => status.connection === 'online');
    const drained = await statusWhere(
      activeDesk,
      (status) => status.outbox.waiting === 0 && status.connection === 'online',
    );
    const drainMs = drained - online;
    const held = server.storage.interactions.count();
    if (held !== items) throw new Error(`server holds ${held} records, expected ${items}`);

    const rawMs = rawInserts(root, records);
    const ingestMs = directIngest(join(root, 'direct'), records);

    log(
      `outbox: ${items.toLocaleString('en-GB')} completed interactions, ${bytes.toLocaleString('en-GB')} bytes each`,
    );
    log(
      `outbox:   enqueue on the desk (record + outbox item, one transaction each): ${rate(items, enqueueMs)}`,
    );
    log(
      `outbox:   drain to the server over loopback socket.io, applied once each: ${rate(items, drainMs)}`,
    );
    log(
      `outbox:   baseline, bare SQLite insert per item (WAL, synchronous FULL): ${rate(items, rawMs)}`,
    );
    log(`outbox:   baseline, server ingest without network or outbox: ${rate(items, ingestMs)}`);
    log(
      `outbox:   ratios: enqueue ${(rawMs / enqueueMs).toFixed(2)}x of bare inserts; ` +
        `drain ${(ingestMs / drainMs).toFixed(2)}x of direct server ingest`,
    );
    log(`outbox:   server holds ${held.toLocaleString('en-GB')} records, none twice`);
  } finally {
    await desk?.stop();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function itemsFromArguments(argv: readonly string[]): number {
  const flag = argv.indexOf('--items');
  if (flag === -1) return 10_000;
  const items = Number(argv[flag + 1]);
  if (!Number.isInteger(items) || items < 1) throw new Error('--items must be a whole number');
  return items;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runOutboxBench({
    items: itemsFromArguments(process.argv.slice(2)),
    log: (line) => console.log(line),
  });
}
