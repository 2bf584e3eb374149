// The desk's thread that answers the window, while the desk does its heaviest
// work: a first sync of N articles (100,000 by default) and a drain of M
// outbox items (10,000), at the same time, from a central server running in
// its own process.
//
// Measured twice in the same run, on the same seeded server:
//  - before: the desk services on the thread that answers the window, as in
//    browser mode and in the shell before decision 0035 (Electron's main
//    process);
//  - after: the services in a process of their own, answering over a message
//    port (host-protocol.ts), as the shell now runs them. Node's IPC channel
//    stands in for Electron's utility-process port; both carry structured
//    clones, in order (bench/desk-services-host.ts).
// For each: the longest gap between two turns of that thread's event loop (a
// 5 ms timer that notes how late it fires), how many gaps exceeded 50 ms, and
// the round trip of a small request (the desk's status) sent every 25 ms, as
// the window sends them.
//   npx tsx bench/desk-thread.ts --articles 100000 --items 10000
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { staffMemberSchema } from '../shared/domain/people';
import { deskStatusSchema, knowledgeSyncStatusSchema } from '../shared/ipc/contract';
import { createDeskServices, type DeskServicesPort } from '../electron/services/desk';
import { DESK_KEY_FILE, keptKeyFile } from '../electron/services/desk-keys';
import { defaultRetentionDays } from '../electron/services/retention';
import { DeskServicesClient, type MessageLink } from '../electron/services/host-protocol';
import { demoPassword } from '../server/demo-accounts';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../scripts/processes';
import { completedRecord } from '../test/unit/desk-fixtures';
import { buildVocabulary, seedServerKnowledge } from './knowledge-corpus';
import { percentile, wholeNumberArgument } from './timing';

export interface DeskThreadBenchOptions {
  articles: number;
  items: number;
  log(line: string): void;
}

const targetMs = 50;
const turnMs = 5;
const probeEveryMs = 25;

interface ThreadFigures {
  elapsedMs: number;
  longestGapMs: number;
  gapsOverTarget: number;
  /** The longest garbage collection on this thread meanwhile: a gap it explains is the heap's, not the desk's. */
  longestGcMs: number;
  probes: number[];
}

/** A desk: its services, how to start and stop them, and what its id is. */
interface BenchDesk {
  port: DeskServicesPort;
  deskId: string;
  start(): void;
  stop(): Promise<void>;
}

function sameThreadDesk(dataDir: string, serverUrl: string): BenchDesk {
  const services = createDeskServices({ dataDir, serverUrl });
  return {
    port: services,
    deskId: services.deskId,
    start: () => services.start(),
    stop: () => services.stop(),
  };
}

async function ownProcessDesk(dataDir: string, serverUrl: string): Promise<BenchDesk> {
  const child: ChildProcess = fork(
    fileURLToPath(new URL('./desk-services-host.ts', import.meta.url)),
    [],
    { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: 'inherit' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const link: MessageLink = {
    post: (message) => child.send(message as object),
    onMessage(listener) {
      const handler = (message: unknown) => listener(message);
      child.on('message', handler);
      return () => child.off('message', handler);
    },
  };
  const client = new DeskServicesClient(
    link,
    { openExternal: () => Promise.resolve(), converting: () => undefined },
    { openTimeoutMs: 60_000, stopTimeoutMs: 60_000 },
  );
  void exited.then(() => client.closed('the desk services process ended'));
  // The database key handed over as the shell's main process hands it; here
  // from a key file, as browser mode keeps it, since no key store runs here.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const databaseKey = keptKeyFile(join(dataDir, DESK_KEY_FILE), dataDir).toString('base64');
  const opened = await client.open({
    dataDir,
    serverUrl,
    logLevel: 'silent',
    sessionKey: null,
    databaseKey,
    retentionDays: defaultRetentionDays,
  });
  if (!opened.ok) throw new Error(`the desk services did not open: ${opened.error.message}`);
  return {
    port: client,
    deskId: client.deskId,
    start: () => client.start(),
    async stop() {
      await client.stop();
      await exited;
    },
  };
}

async function request<T>(
  port: DeskServicesPort,
  name: string,
  input: unknown,
  parse: (value: unknown) => T,
): Promise<T> {
  const answer = await port.dispatch(name, input);
  if (!answer.ok) throw new Error(`${name} failed: ${answer.error.message}`);
  return parse(answer.value);
}

/** Signs in, then queues `items` records and waits for the sync and the drain to finish, watching this thread. */
async function measure(desk: BenchDesk, articles: number, items: number): Promise<ThreadFigures> {
  const { port } = desk;
  const user = await request(
    port,
    'signIn',
    { username: 'demo-adviser', password: demoPassword },
    (value) => staffMemberSchema.parse(value),
  );
  const started = performance.now();
  let lastTurn = started;
  let longestGapMs = 0;
  let gapsOverTarget = 0;
  const watch = setInterval(() => {
    const now = performance.now();
    const gap = now - lastTurn;
    longestGapMs = Math.max(longestGapMs, gap);
    if (gap > targetMs) gapsOverTarget += 1;
    lastTurn = now;
  }, turnMs);
  let longestGcMs = 0;
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestGcMs = Math.max(longestGcMs, entry.duration);
  });
  collections.observe({ entryTypes: ['gc'] });
  const probes: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const sent = performance.now();
      await request(port, 'status', null, (value) => deskStatusSchema.parse(value));
      probes.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, probeEveryMs));
    }
  })();
  try {
    // The first sync starts at sign-in; the records are completed while it runs.
    for (let index = 0; index < items; index += 1) {
      const record = completedRecord(desk.deskId, { adviserId: user.id });
      await request(port, 'completeInteraction', { record, followUp: null }, (value) => value);
      // Each of the window's requests arrives in a turn of its own, as IPC
      // messages do; awaiting the last one's answer alone would chain them all
      // into one turn on the same thread.
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (;;) {
      const status = await request(port, 'status', null, (value) => deskStatusSchema.parse(value));
      const knowledge = await request(port, 'knowledgeSyncStatus', null, (value) =>
        knowledgeSyncStatusSchema.parse(value),
      );
      if (status.outbox.waiting === 0 && knowledge.articleCount >= articles) break;
      if (performance.now() - started > 30 * 60_000) {
        throw new Error(
          `not done after 30 minutes: ${status.outbox.waiting} items waiting, ${knowledge.articleCount} articles`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return {
      elapsedMs: performance.now() - started,
      longestGapMs,
      gapsOverTarget,
      longestGcMs,
      probes,
    };
  } finally {
    clearInterval(watch);
    collections.disconnect();
    probing = false;
    await probe;
  }
}

export async function runDeskThreadBench(options: DeskThreadBenchOptions): Promise<void> {
  const { articles, items, log } = options;
  const root = mkdtempSync(join(tmpdir(), 'adviser-bench-desk-thread-'));
  try {
    const seeded = join(root, 'seeded');
    mkdirSync(seeded, { recursive: true, mode: 0o700 });
    const seedStarted = performance.now();
    await seedServerKnowledge(seeded, buildVocabulary(), articles);
    log(
      `desk thread: server seeded with ${articles.toLocaleString('en-GB')} articles in ` +
        `${((performance.now() - seedStarted) / 1000).toFixed(1)} s (not measured); ` +
        `${items.toLocaleString('en-GB')} records completed during the first sync`,
    );
    const results: { label: string; figures: ThreadFigures }[] = [];
    for (const [label, make] of [
      ['before: services on the thread that answers the window', sameThreadDesk],
      ['after: services in a process of their own', ownProcessDesk],
    ] as const) {
      const runDir = join(root, String(results.length));
      const serverDir = join(runDir, 'server');
      cpSync(seeded, serverDir, { recursive: true });
      let server: StartedProcess | null = null;
      let desk: BenchDesk | null = null;
      try {
        server = await startProcess({
          name: 'central server',
          ...tsEntry(fileURLToPath(new URL('../server/main.ts', import.meta.url)), [
            ...['--data-dir', serverDir, '--port', '0', '--host', '127.0.0.1'],
          ]),
          readyPattern: /^server listening on (http:\/\/127\.0\.0\.1:\d+)$/,
        });
        desk = await make(join(runDir, 'desk'), server.readyValue);
        desk.start();
        const load = loadavg()[0]?.toFixed(2) ?? '?';
        const figures = await measure(desk, articles, items);
        results.push({ label, figures });
        const { probes } = figures;
        log(
          `desk thread: ${label} (load average ${load} at the start): sync and drain took ` +
            `${(figures.elapsedMs / 1000).toFixed(1)} s; longest gap between turns ` +
            `${figures.longestGapMs.toFixed(1)} ms (${figures.gapsOverTarget} gaps over ${targetMs} ms; ` +
            `longest garbage collection ${figures.longestGcMs.toFixed(1)} ms); ` +
            `status round trip p50 ${percentile(probes, 0.5).toFixed(1)} ms, p99 ` +
            `${percentile(probes, 0.99).toFixed(1)} ms, max ${Math.max(...probes).toFixed(1)} ms ` +
            `over ${probes.length} requests; target under ${targetMs} ms: ` +
            `${figures.longestGapMs < targetMs ? 'met' : 'NOT met'}`,
        );
      } finally {
        await desk?.stop();
        if (server) await stopProcess(server);
      }
    }
    const [before, after] = results;
    if (before && after) {
      log(
        `desk thread: longest gap after / before: ${(after.figures.longestGapMs / before.figures.longestGapMs).toFixed(2)}x ` +
          `(${after.figures.longestGapMs.toFixed(1)} ms against ${before.figures.longestGapMs.toFixed(1)} ms in this run)`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const option = (name: string, fallback: number) =>
    wholeNumberArgument(process.argv, name, fallback);
  await runDeskThreadBench({
    articles: option('articles', 100_000),
    items: option('items', 10_000),
    log: (line) => console.log(line),
  });
}
