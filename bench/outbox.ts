// The outbox benchmark: 10,000 completed interactions queued on a real desk
// while the central server is down, then drained over loopback socket.io into
// the real server (its own process, as deployed) once it is back, on each engine: SQLite in the data folder
// and a throwaway PostgreSQL (durable settings: fsync on) started for the run.
// Baselines measured in the same run on the same machine: the same records
// written straight into SQLite (one transaction each, as the outbox does), and
// applied straight into the server's storage on each engine (no network, no
// outbox; the engines take turns, so both meet the same load), and the desk's
// own write with no desk API around it, on its encrypted database file, on a
// plain one, as its two rows alone, and against bare inserts, in turns
// (decisions 0036 and 0048). Run alone with:
// npx tsx bench/outbox.ts --items 10000
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDeskServices, type DeskServices } from '../electron/services/desk';
import { InteractionStore } from '../electron/services/interactions';
import { deskIdOf, openLocalDb } from '../electron/services/local-db';
import { Outbox } from '../electron/services/outbox';
import { FakeServerTransport } from '../electron/services/outbox-transport.testing';
import type { Engine } from '../server/storage/database';
import { openStorage } from '../server/storage/storage';
import { startPostgresCluster } from '../scripts/postgres-cluster';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../scripts/processes';
import type { DeskStatus } from '../shared/ipc/contract';
import type { InteractionRecord } from '../shared/interaction/record';
import { completedRecord } from '../test/unit/desk-fixtures';
import { wholeNumberArgument } from './timing';

export interface OutboxBenchOptions {
  items: number;
  log(line: string): void;
}

/** Desks applying at once in the parallel ingest: PostgreSQL serves them on several connections, SQLite one at a time. */
const parallelDesks = 8;

/** Where one engine's run keeps its data: a folder, and a fresh database on PostgreSQL. */
type DatabaseFor = (label: string) => Promise<string | null>;

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

/**
 * Baseline 1: the bare cost of writing each record durably, one transaction
 * per item, on a file of its own. It is measured beside the figure it is set
 * against (taking turns with the desk's enqueue, and just before and just
 * after a drain): on this shared machine the disk's flush time moves
 * several-fold from one minute to the next.
 */
function bareInserts(dir: string) {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE items (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO items (id, body) VALUES (?, ?)');
  const write = db.transaction((record: InteractionRecord) =>
    insert.run(record.id, JSON.stringify(record)),
  );
  let spentMs = 0;
  let written = 0;
  return {
    /** Writes fresh copies of `records` (new ids), timed. */
    write(records: readonly InteractionRecord[]): void {
      const copies = records.map((record) => ({ ...record, id: randomUUID() }));
      const started = performance.now();
      for (const record of copies) write.immediate(record);
      spentMs += performance.now() - started;
      written += copies.length;
    },
    /** Milliseconds per item so far. */
    msPerItem: () => spentMs / written,
    close: () => db.close(),
  };
}

/** Turns the desk's enqueue takes with the bare inserts, and the share of items the bare inserts write either side of a drain. */
const baselineTurns = 4;

/** A desk database that queues completed interactions; its outbox never starts, as while the server is down. */
function queueingDesk(dataDir: string, key: Buffer | null) {
  const db = openLocalDb(dataDir, { key });
  const deskId = deskIdOf(db);
  const store = new InteractionStore(db, new Outbox(db, new FakeServerTransport()), deskId);
  return {
    db,
    queue(record: InteractionRecord) {
      const done = store.complete({ record: { ...record, deskId }, followUp: null });
      if (!done.ok) throw new Error(`enqueue failed: ${done.error.message}`);
    },
  };
}

/**
 * The two rows a completion writes (the record, and the outbox item naming
 * it), by two statements in one transaction on an encrypted desk file, with
 * none of the store or outbox around them: what the desk's write could come
 * to with the schema and file it has. The statements say what
 * electron/services/interactions.ts and outbox.ts write.
 */
function twoRowsAlone(dataDir: string) {
  const db = openLocalDb(dataDir, { key: randomBytes(32) });
  const record = db.prepare(
    `INSERT INTO interactions (id, channel, contact_ref, adviser_id, started_at, completed_at, record)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const item = db.prepare(
    `INSERT INTO outbox (seq, id, stream, kind, created_at, payload, payload_interaction)
     VALUES ((SELECT IFNULL(MAX(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?, ?)`,
  );
  const write = db.transaction((written: InteractionRecord) => {
    record.run(
      written.id,
      written.channel,
      written.contactRef,
      written.adviserId,
      written.startedAt,
      written.completedAt,
      JSON.stringify(written),
    );
    const id = randomUUID();
    const stream = `interaction:${written.id}`;
    const createdAt = new Date().toISOString();
    const envelope = { id, stream, createdAt, kind: 'interaction.completed' };
    item.run(id, stream, envelope.kind, createdAt, JSON.stringify(envelope), written.id);
  });
  return { db, queue: (written: InteractionRecord) => write.immediate(written) };
}

/**
 * Baseline 3: the desk's own write of a completed interaction (record and
 * outbox item in one transaction) with no desk API around it, so without the
 * parsing of the renderer's input: on a desk database opened with a key, on
 * one opened plain, the same two rows written alone on an encrypted file,
 * and the bare inserts beside them. The four take turns, a quarter of the
 * items at a time and each first in turn, so a change in the machine's load
 * falls on all.
 */
function writeWithoutApi(dir: string, records: readonly InteractionRecord[]) {
  const desks = {
    encrypted: queueingDesk(join(dir, 'encrypted'), randomBytes(32)),
    plain: queueingDesk(join(dir, 'plain'), null),
    rowsAlone: twoRowsAlone(join(dir, 'rows-alone')),
  };
  const bare = bareInserts(dir);
  const spent = { encrypted: 0, plain: 0, rowsAlone: 0 };
  const quarter = Math.ceil(records.length / baselineTurns);
  const writers = ['encrypted', 'plain', 'rowsAlone', 'bare'] as const;
  try {
    for (let from = 0, index = 0; from < records.length; from += quarter, index += 1) {
      const some = records.slice(from, from + quarter);
      // Who goes first turns round: a write burst leaves the disk busy for what follows it.
      for (let step = 0; step < writers.length; step += 1) {
        const name = writers[(index + step) % writers.length] ?? 'bare';
        if (name === 'bare') {
          bare.write(some);
          continue;
        }
        const started = performance.now();
        for (const record of some) desks[name].queue(record);
        spent[name] += performance.now() - started;
      }
    }
    return {
      encryptedMs: spent.encrypted,
      plainMs: spent.plain,
      rowsAloneMs: spent.rowsAlone,
      bareMs: bare.msPerItem() * records.length,
    };
  } finally {
    for (const desk of Object.values(desks)) desk.db.close();
    bare.close();
  }
}

/** Turns each engine's direct ingest takes: a change in the machine's load falls on both. */
const ingestTurns = 4;

/** The server's storage on one engine, ready to take items straight from desks. */
async function ingestTarget(dir: string, databaseUrl: string | null) {
  mkdirSync(dir, { recursive: true });
  const storage = await openStorage({ dataDir: dir, databaseUrl });
  const adviser = await storage.accounts.create({
    username: 'bench-adviser',
    displayName: 'Bench Adviser',
    roles: ['adviser'],
    passwordHash: 'scrypt$unused',
  });
  return {
    /** Applies `records` from `desks` desks at once (each in order, as one desk's outbox does); the time taken. */
    async apply(records: readonly InteractionRecord[], desks: number): Promise<number> {
      const lanes = Array.from({ length: desks }, (_, lane) =>
        records.filter((_record, index) => index % desks === lane),
      );
      const started = performance.now();
      await Promise.all(
        lanes.map(async (lane, deskIndex) => {
          for (const record of lane) {
            await storage.ingest.applyOnce(
              {
                deskId: `bench-desk-${deskIndex}`,
                itemId: record.id,
                kind: 'interaction.completed',
                stream: `interaction:${record.id}`,
                deliveredBy: adviser.id,
                appliedAt: new Date().toISOString(),
              },
              (writer) =>
                writer.saveInteraction({ ...record, adviserId: adviser.id }, record.completedAt),
            );
          }
        }),
      );
      return performance.now() - started;
    },
    held: () => storage.interactions.count(),
    close: () => storage.close(),
  };
}

/**
 * Baseline 2: the server's own apply-once ingest of the same records, with no
 * network or outbox, from `desks` desks at once, on every engine. The engines
 * take turns, a quarter of the records at a time (the first to go alternates),
 * so each engine's figure is measured under the same load on this shared
 * machine: one engine's whole run after the other's compared two moments, not
 * two engines. Each keeps its database open across its turns, so its tables
 * grow as they would in one go.
 */
async function directIngest(
  dir: string,
  databaseFor: Record<Engine, DatabaseFor>,
  label: string,
  records: readonly InteractionRecord[],
  desks: number,
): Promise<Record<Engine, number>> {
  const targets = {
    sqlite: await ingestTarget(join(dir, 'sqlite', label), await databaseFor.sqlite(label)),
    postgres: await ingestTarget(join(dir, 'postgres', label), await databaseFor.postgres(label)),
  };
  const spent: Record<Engine, number> = { sqlite: 0, postgres: 0 };
  const turn = Math.ceil(records.length / ingestTurns);
  try {
    for (let from = 0, index = 0; from < records.length; from += turn, index += 1) {
      const order: Engine[] = index % 2 === 0 ? ['sqlite', 'postgres'] : ['postgres', 'sqlite'];
      for (const engine of order)
        spent[engine] += await targets[engine].apply(records.slice(from, from + turn), desks);
    }
    for (const engine of ['sqlite', 'postgres'] as const) {
      const held = await targets[engine].held();
      if (held !== records.length)
        throw new Error(
          `${engine} holds ${held} records after direct ingest, expected ${records.length}`,
        );
    }
  } finally {
    await targets.sqlite.close();
    await targets.postgres.close();
  }
  return spent;
}

interface EngineRun {
  enqueueMs: number;
  /** Bare inserts' time for as many items, in turns with the enqueue. */
  enqueueBaselineMs: number;
  drainMs: number;
  /** Bare inserts' time for as many items, just before and just after the drain. */
  drainBaselineMs: number;
  ingestMs: number;
  /** The same ingest from eight desks at once. */
  parallelIngestMs: number;
  held: number;
  bytes: number;
}

/** The central server as it is deployed: its own process (server/main.ts), silent. */
function serverProcess(dataDir: string, databaseUrl: string | null, port: number) {
  const entry = tsEntry(fileURLToPath(new URL('../server/main.ts', import.meta.url)), [
    ...['--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1'],
    ...['--log-level', 'silent'],
    ...(databaseUrl ? ['--database', databaseUrl] : []),
  ]);
  return startProcess({
    name: 'central server',
    ...entry,
    readyPattern: /server listening on (http:\/\/\S+)/,
  });
}

/**
 * Queues `items` on a desk while the server is down, then drains them into the
 * server on `databaseUrl`. The desk and the server each run in their own
 * process, as they do in service (on different machines), so the drain is not
 * charged for the server's work on the desk's thread.
 */
async function drainRun(
  root: string,
  items: number,
  databaseUrl: string | null,
): Promise<EngineRun> {
  let server: StartedProcess | null = null;
  let desk: DeskServices | null = null;
  const serverDir = join(root, 'server');
  mkdirSync(root, { recursive: true });
  const enqueueBaseline = bareInserts(mkdtempSync(join(root, 'bare-enqueue-')));
  try {
    server = await serverProcess(serverDir, databaseUrl, 0);
    const serverUrl = server.readyValue;
    const port = Number(new URL(serverUrl).port);
    desk = createDeskServices({
      dataDir: join(root, 'desk'),
      serverUrl,
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

    await stopProcess(server);
    server = null;
    await statusWhere(activeDesk, (status) => status.connection !== 'online');

    const records = Array.from({ length: items }, () =>
      completedRecord(activeDesk.deskId, { adviserId }),
    );
    const bytes = Buffer.byteLength(JSON.stringify(records[0]));

    let enqueueMs = 0;
    const turn = Math.ceil(items / baselineTurns);
    for (let from = 0, index = 0; from < items; from += turn, index += 1) {
      const some = records.slice(from, from + turn);
      // Who goes first alternates: a write burst leaves the disk busy for what follows it.
      if (index % 2 === 1) enqueueBaseline.write(some);
      const enqueueStarted = performance.now();
      for (const record of some) {
        const done = await activeDesk.dispatch('completeInteraction', { record, followUp: null });
        if (!done.ok) throw new Error(`enqueue failed: ${done.error.message}`);
      }
      enqueueMs += performance.now() - enqueueStarted;
      if (index % 2 === 0) enqueueBaseline.write(some);
    }

    const drainBaseline = bareInserts(mkdtempSync(join(root, 'bare-drain-')));
    const aside = records.slice(0, Math.ceil(items / baselineTurns));
    drainBaseline.write(aside);
    server = await serverProcess(serverDir, databaseUrl, port);
    const online = await statusWhere(activeDesk, (status) => status.connection === 'online');
    const drained = await statusWhere(
      activeDesk,
      (status) => status.outbox.waiting === 0 && status.connection === 'online',
    );
    drainBaseline.write(aside);
    drainBaseline.close();
    await stopProcess(server);
    server = null;
    const storage = await openStorage({ dataDir: serverDir, databaseUrl });
    const held = await storage.interactions.count().finally(() => storage.close());
    if (held !== items) throw new Error(`server holds ${held} records, expected ${items}`);
    return {
      enqueueMs,
      enqueueBaselineMs: enqueueBaseline.msPerItem() * items,
      drainMs: drained - online,
      drainBaselineMs: drainBaseline.msPerItem() * items,
      ingestMs: 0,
      parallelIngestMs: 0,
      held,
      bytes,
    };
  } finally {
    enqueueBaseline.close();
    await desk?.stop();
    if (server) await stopProcess(server);
  }
}

export async function runOutboxBench({ items, log }: OutboxBenchOptions): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'adviser-bench-outbox-'));
  // Durable settings, as a production server would run: the comparison with
  // SQLite's synchronous=FULL desk and WAL server is then a fair one.
  const cluster = await startPostgresCluster({ durable: true });
  const databaseFor: Record<Engine, DatabaseFor> = {
    sqlite: async () => null,
    postgres: async (label) => {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${label}`);
      } finally {
        await client.end();
      }
      const url = new URL(cluster.url);
      url.pathname = `/${label}`;
      return url.toString();
    },
  };
  try {
    const runs = {} as Record<Engine, EngineRun>;
    const engines: Engine[] = ['sqlite', 'postgres'];
    for (const engine of engines) {
      runs[engine] = await drainRun(
        join(root, engine),
        items,
        await databaseFor[engine]('bench_drain'),
      );
    }
    const records = Array.from({ length: items }, () => completedRecord('bench-desk', {}));
    const direct = await directIngest(root, databaseFor, 'bench_direct', records, 1);
    const parallel = await directIngest(
      root,
      databaseFor,
      'bench_parallel',
      records,
      parallelDesks,
    );
    for (const engine of engines) {
      runs[engine].ingestMs = direct[engine];
      runs[engine].parallelIngestMs = parallel[engine];
    }
    const cipher = writeWithoutApi(join(root, 'cipher'), records);
    const { sqlite, postgres } = runs;

    log(
      `outbox: ${items.toLocaleString('en-GB')} completed interactions, ${sqlite.bytes.toLocaleString('en-GB')} bytes each`,
    );
    log(
      `outbox:   enqueue on the desk (record + outbox item, one transaction each): ${rate(items, sqlite.enqueueMs)}`,
    );
    log(
      `outbox:   baseline, bare SQLite insert per item (WAL, synchronous FULL), in turns with the enqueue: ` +
        `${rate(items, sqlite.enqueueBaselineMs)}; just before and after each drain: ` +
        `${rate(items, sqlite.drainBaselineMs)} (SQLite server), ${rate(items, postgres.drainBaselineMs)} (PostgreSQL server)`,
    );
    log(
      `outbox:   desk enqueue, no desk API, on its encrypted file: ${rate(items, cipher.encryptedMs)}; ` +
        `on a plain file: ${rate(items, cipher.plainMs)} (encryption ${(cipher.encryptedMs / cipher.plainMs).toFixed(2)}x the time); ` +
        `its two rows alone, by two statements on an encrypted file: ${rate(items, cipher.rowsAloneMs)}; ` +
        `bare inserts in turns with them: ${rate(items, cipher.bareMs)}`,
    );
    log(
      'outbox:                                              SQLite server        PostgreSQL server',
    );
    const row = (label: string, pick: (run: EngineRun) => number) =>
      log(
        `outbox:   ${label.padEnd(42)} ${rate(items, pick(sqlite)).padEnd(20)} ${rate(items, pick(postgres))}`,
      );
    row('drain over loopback socket.io, applied once', (run) => run.drainMs);
    row('direct server ingest, no network or outbox', (run) => run.ingestMs);
    row(`the same from ${parallelDesks} desks at once`, (run) => run.parallelIngestMs);
    log(
      `outbox:   ratios: enqueue ${(sqlite.enqueueBaselineMs / sqlite.enqueueMs).toFixed(2)}x through the desk API ` +
        `(${(cipher.bareMs / cipher.encryptedMs).toFixed(2)}x without it, ` +
        `${(cipher.bareMs / cipher.rowsAloneMs).toFixed(2)}x for its two rows alone) and drain (SQLite server) ` +
        `${(sqlite.drainBaselineMs / sqlite.drainMs).toFixed(2)}x of bare inserts beside them ` +
        `(PostgreSQL server ${(postgres.drainBaselineMs / postgres.drainMs).toFixed(2)}x); ` +
        `drain ${(sqlite.ingestMs / sqlite.drainMs).toFixed(2)}x (SQLite) and ` +
        `${(postgres.ingestMs / postgres.drainMs).toFixed(2)}x (PostgreSQL) of direct server ingest; ` +
        `PostgreSQL ingest ${(sqlite.ingestMs / postgres.ingestMs).toFixed(2)}x (one desk), ` +
        `${(sqlite.parallelIngestMs / postgres.parallelIngestMs).toFixed(2)}x (${parallelDesks} desks) and drain ` +
        `${(sqlite.drainMs / postgres.drainMs).toFixed(2)}x of SQLite's rate`,
    );
    log(
      `outbox:   servers hold ${sqlite.held.toLocaleString('en-GB')} (SQLite) and ${postgres.held.toLocaleString('en-GB')} (PostgreSQL) records, none twice`,
    );
  } finally {
    await cluster.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runOutboxBench({
    items: wholeNumberArgument(process.argv, 'items', 10_000),
    log: (line) => console.log(line),
  });
}
