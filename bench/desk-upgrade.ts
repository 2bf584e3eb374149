// The desk-upgrade benchmark: how long the first start of this build takes on
// a desk a build before decision 0047 encrypted with ChaCha20, which it brings
// to AEGIS-256 before anything else opens (local-db-cipher.ts), and how much
// memory that takes: the rekey rewrites every page through a VACUUM whose
// scratch database is kept in memory. The desk is full size: a knowledge
// replica of N articles (the network's size) and M completed interactions,
// each with a follow-up booking and its outbox items. The baseline, measured
// in the same process just before: copying the same file byte for byte.
// The conversion runs in a child process of its own, so its peak memory is
// its own. Run alone with:
// npx tsx bench/desk-upgrade.ts --articles 100000 --items 10000
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KnowledgeReplica } from '../knowledge-base/replica';
import { InteractionStore } from '../electron/services/interactions';
import {
  DESK_BUSY_TIMEOUT_MS,
  deskIdOf,
  LOCAL_DB_FILE,
  openLocalDb,
} from '../electron/services/local-db';
import { openKeyedDatabase } from '../electron/services/local-db-cipher';
import { chacha20Desk, cipherOf } from '../electron/services/local-db-cipher.testing';
import { Outbox } from '../electron/services/outbox';
import { FakeServerTransport } from '../electron/services/outbox-transport.testing';
import { completedRecord, followUpFor } from '../test/unit/desk-fixtures';
import { buildVocabulary, syntheticPages } from './knowledge-corpus';
import { wholeNumberArgument } from './timing';

export interface DeskUpgradeBenchOptions {
  articles: number;
  items: number;
  log(line: string): void;
}

/** What the child process that converts the desk reports. */
interface Conversion {
  copyMs: number;
  convertMs: number;
  /** Peak resident memory, in kilobytes, before the conversion and after it. */
  peakBeforeKb: number;
  peakAfterKb: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

/** A desk as a ChaCha20 build left it: `articles` in its replica, `items` completed interactions queued. */
function fullChaCha20Desk(dataDir: string, key: Buffer, articles: number, items: number): void {
  const db = chacha20Desk(join(dataDir, LOCAL_DB_FILE), key);
  try {
    const replica = new KnowledgeReplica(db);
    for (const page of syntheticPages(buildVocabulary(), articles)) {
      const applied = replica.applyParsedPage(page);
      if (!applied.ok) throw new Error(`the replica refused a page: ${applied.error.message}`);
    }
    const deskId = deskIdOf(db);
    const interactions = new InteractionStore(
      db,
      new Outbox(db, new FakeServerTransport()),
      deskId,
    );
    // A thousand completions a commit: the outbox's own commits are not what is measured here.
    const batch = db.transaction((count: number) => {
      for (let index = 0; index < count; index += 1) {
        const record = completedRecord(deskId);
        const done = interactions.complete({ record, followUp: followUpFor(record) });
        if (!done.ok) throw new Error(`a completion was refused: ${done.error.message}`);
      }
    });
    for (let done = 0; done < items; done += 1_000) batch(Math.min(1_000, items - done));
  } finally {
    db.close();
  }
}

/** In the child: copies the file (the baseline), then converts it as the desk's first open does. */
function convertHere(dataDir: string, key: Buffer): Conversion {
  const file = join(dataDir, LOCAL_DB_FILE);
  const copy = join(dataDir, 'baseline-copy.sqlite');
  let started = performance.now();
  copyFileSync(file, copy);
  const copyMs = performance.now() - started;
  rmSync(copy);
  const peakBeforeKb = process.resourceUsage().maxRSS;
  started = performance.now();
  openKeyedDatabase(file, key, DESK_BUSY_TIMEOUT_MS).close();
  const convertMs = performance.now() - started;
  return { copyMs, convertMs, peakBeforeKb, peakAfterKb: process.resourceUsage().maxRSS };
}

/** Runs the conversion in a child process; the key goes over its standard input. */
function convertInChild(dataDir: string, key: Buffer): Conversion {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--convert', dataDir],
    { input: key.toString('hex'), encoding: 'utf8', maxBuffer: 1_048_576 },
  );
  if (child.status !== 0) {
    throw new Error(`the conversion failed (exit ${child.status}): ${child.stderr.trim()}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as Conversion;
}

/** What the converted desk must be: AEGIS-256, and every row read back with the key. */
function checkConverted(dataDir: string, key: Buffer, articles: number, items: number): void {
  const cipher = cipherOf(join(dataDir, LOCAL_DB_FILE), key);
  if (cipher !== 'aegis-256') throw new Error(`the desk reads as ${cipher ?? 'no cipher'}`);
  const db = openLocalDb(dataDir, { key });
  try {
    const count = (table: string) =>
      db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    const held = { articles: count('knowledge_articles'), interactions: count('interactions') };
    if (held.articles !== articles || held.interactions !== items) {
      throw new Error(`the converted desk holds ${JSON.stringify(held)}`);
    }
  } finally {
    db.close();
  }
}

export function runDeskUpgradeBench({ articles, items, log }: DeskUpgradeBenchOptions): void {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-upgrade-bench-'));
  const key = randomBytes(32);
  try {
    const started = performance.now();
    fullChaCha20Desk(dataDir, key, articles, items);
    const bytes = statSync(join(dataDir, LOCAL_DB_FILE)).size;
    log(
      `desk-upgrade: a ChaCha20 desk of ${megabytes(bytes)} (${articles.toLocaleString('en-GB')} articles, ${items.toLocaleString('en-GB')} completed interactions), made in ${seconds(performance.now() - started)}`,
    );
    log(`desk-upgrade:   load average ${loadavg()[0]?.toFixed(1)} before converting`);
    const conversion = convertInChild(dataDir, key);
    checkConverted(dataDir, key, articles, items);
    log(
      `desk-upgrade:   first open, brought to AEGIS-256: ${seconds(conversion.convertMs)}; baseline, copying the file byte for byte: ${seconds(conversion.copyMs)} (${(conversion.convertMs / conversion.copyMs).toFixed(1)}x the time)`,
    );
    log(
      `desk-upgrade:   peak memory of the converting process: ${megabytes(conversion.peakAfterKb * 1024)}, up ${megabytes((conversion.peakAfterKb - conversion.peakBeforeKb) * 1024)} from before it (${(((conversion.peakAfterKb - conversion.peakBeforeKb) * 1024) / bytes).toFixed(2)}x the file); every row read back with the key, and the file AEGIS-256`,
    );
    log(`desk-upgrade:   load average ${loadavg()[0]?.toFixed(1)} after`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const convertAt = process.argv.indexOf('--convert');
if (convertAt !== -1) {
  const dataDir = process.argv[convertAt + 1] ?? '';
  const key = Buffer.from(readFileSync(0, 'utf8').trim(), 'hex');
  console.log(JSON.stringify(convertHere(dataDir, key)));
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runDeskUpgradeBench({
    articles: wholeNumberArgument(process.argv, 'articles', 100_000),
    items: wholeNumberArgument(process.argv, 'items', 10_000),
    log: (line) => console.log(line),
  });
}
