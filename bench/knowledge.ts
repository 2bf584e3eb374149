// The knowledge search benchmark: builds a replica of a synthetic corpus in a
// temporary SQLite file, measures as-you-type latency, size, build and cold
// start, and runs the same queries against MiniSearch and FlexSearch in memory;
// then pulls the same corpus from a real local server over HTTP with the desk's
// sync service (the section "sync from a local server").
// Run alone with: npx tsx bench/knowledge.ts --articles 100000
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { Document as FlexDocument } from 'flexsearch';
import MiniSearch from 'minisearch';
import { ensureKnowledgeSchema, KnowledgeReplica } from '../knowledge-base/replica';
import { KnowledgeSearch } from '../knowledge-base/search';
import { HttpKnowledgeFeed } from '../electron/services/knowledge-feed';
import { KnowledgeSync, knowledgeSyncPageSize } from '../electron/services/knowledge-sync';
import { WorkerReplicaWriter } from '../electron/services/knowledge-writer';
import { openLocalDb } from '../electron/services/local-db';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../scripts/processes';
import { demoPassword } from '../server/demo-accounts';
import {
  asYouTypeQueries,
  buildVocabulary,
  seedServerKnowledge,
  syntheticArticle,
  syntheticPages,
  type Vocabulary,
} from './knowledge-corpus';

export interface KnowledgeBenchOptions {
  /** Articles in the synthetic corpus (100,000 for the figures the issue asks for). */
  articles: number;
  log(line: string): void;
  /** As-you-type queries timed against each index. */
  queries?: number;
}

interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const percentile = (sorted: number[], fraction: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;

function latencyOf(timings: number[]): Latency {
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
  };
}

/** The in-memory libraries run every this-many-th as-you-type query. */
const librarySampleEvery = 5;

const ms = (value: number): string => `${value.toFixed(2)} ms`;
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;
const seconds = (milliseconds: number): string => `${(milliseconds / 1000).toFixed(1)} s`;
const describe = (latency: Latency): string =>
  `p50 ${ms(latency.p50)}, p95 ${ms(latency.p95)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)}`;

function timeEach(
  queries: string[],
  run: (query: string) => number,
): { latency: Latency; withResults: number; timings: number[] } {
  for (const query of queries.slice(0, 50)) run(query);
  const timings: number[] = [];
  let withResults = 0;
  for (const query of queries) {
    const started = performance.now();
    const found = run(query);
    timings.push(performance.now() - started);
    if (found > 0) withResults += 1;
  }
  return { latency: latencyOf(timings), withResults, timings };
}

/** A collector handle, so heap figures are measured after garbage is gone. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

function openReplicaDb(file: string): Database.Database {
  const db = new Database(file);
  // As the desk opens its database.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

const fileSize = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

export async function runKnowledgeBench(options: KnowledgeBenchOptions): Promise<void> {
  const { articles, log } = options;
  const queryCount = options.queries ?? 3_000;
  const vocabulary = buildVocabulary();
  log(
    `knowledge: synthetic corpus of ${articles.toLocaleString('en-GB')} articles, 2-3 KB of body each`,
  );
  log(
    `knowledge: vocabulary of ${vocabulary.words.length.toLocaleString('en-GB')} words, Zipf-drawn, from ` +
      (vocabulary.fromStarterArticles > 0
        ? `${vocabulary.fromStarterArticles} starter articles`
        : 'a careers passage and the project docs (fewer than 20 starter articles present)'),
  );
  const queries = asYouTypeQueries(vocabulary, queryCount);
  const folder = mkdtempSync(join(tmpdir(), 'knowledge-bench-'));
  const file = join(folder, 'desk.sqlite');
  try {
    // Build: the first sync, page by page, each page and its cursor in one transaction.
    const db = openReplicaDb(file);
    ensureKnowledgeSchema(db);
    const replica = new KnowledgeReplica(db);
    let applyMs = 0;
    // Each page is written in one synchronous transaction, on the thread that serves the desk's requests.
    let longestPageMs = 0;
    let bodyBytes = 0;
    for (const page of syntheticPages(vocabulary, articles)) {
      for (const change of page.changes)
        if ('article' in change) bodyBytes += change.article.body.length;
      // Only the desk's work is timed, not making up the articles.
      const started = performance.now();
      const applied = replica.applyPage(page);
      const pageMs = performance.now() - started;
      applyMs += pageMs;
      longestPageMs = Math.max(longestPageMs, pageMs);
      if (!applied.ok)
        throw new Error(`${applied.error.message}: ${JSON.stringify(applied.error.issues)}`);
    }
    const optimizeStarted = performance.now();
    replica.optimize();
    const optimizeMs = performance.now() - optimizeStarted;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    log(
      `knowledge: write path alone (apply ${Math.ceil(articles / 1_000)} pages of 1,000 in process): ${seconds(applyMs)}, ` +
        `then index merge: ${seconds(optimizeMs)}; total ${seconds(applyMs + optimizeMs)} ` +
        `(mean body ${Math.round(bodyBytes / articles)} bytes; pages generated in process, no network); ` +
        `longest page write ${ms(longestPageMs)}`,
    );
    log(`knowledge: replica on disk: ${mb(fileSize(file) + fileSize(`${file}-wal`))}`);

    // Cold start: open the file fresh and answer the first search.
    const coldStarted = performance.now();
    const coldDb = openReplicaDb(file);
    ensureKnowledgeSchema(coldDb);
    const coldSearch = new KnowledgeSearch(coldDb);
    const first = coldSearch.search({ text: queries[0] ?? 'ap' });
    const coldMs = performance.now() - coldStarted;
    if (!first.ok) throw new Error(first.error.message);
    log(`knowledge: cold start to first answered search: ${ms(coldMs)}`);

    const ours = timeEach(queries, (text) => {
      const answer = coldSearch.search({ text, limit: 10 });
      return answer.ok ? answer.value.results.length : 0;
    });
    log(
      `knowledge: as-you-type over ${queries.length} queries: ${describe(ours.latency)} ` +
        `(${ours.withResults} answered with results)`,
    );
    const twoLetter = queries.filter((query) => /^\S{2}$/.test(query));
    const shortPrefixes = timeEach(twoLetter, (text) => {
      const answer = coldSearch.search({ text, limit: 10 });
      return answer.ok ? answer.value.results.length : 0;
    });
    log(
      `knowledge:   of which two-letter prefixes (${twoLetter.length}): ${describe(shortPrefixes.latency)}`,
    );
    const misspelt = queries.slice(0, 300).map((query) => misspell(query));
    const corrected = timeEach(misspelt, (text) => {
      const answer = coldSearch.search({ text, limit: 10 });
      return answer.ok ? answer.value.results.length : 0;
    });
    log(`knowledge:   the first 300 with a letter swapped: ${describe(corrected.latency)}`);
    coldDb.close();

    // The libraries take up to a second a query at this size, so they run every fifth query,
    // and their ratios are to ours over the same queries.
    const sampled = queries.filter((_, index) => index % librarySampleEvery === 0);
    const oursSampled = latencyOf(
      ours.timings.filter((_, index) => index % librarySampleEvery === 0),
    );
    log(
      `knowledge: ours over every ${librarySampleEvery}th query (${sampled.length}), the libraries' sample: ${describe(oursSampled)}`,
    );
    compareInMemory(vocabulary, articles, sampled, oursSampled, log);
    await syncFromLocalServer({ vocabulary, articles, inProcess: { applyMs, optimizeMs }, log });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Swaps two letters in the last word, as a hurried adviser does. */
function misspell(query: string): string {
  const words = query.split(' ');
  const last = words.at(-1) ?? '';
  if (last.length < 4) return query;
  const at = Math.floor(last.length / 2);
  words[words.length - 1] = last.slice(0, at - 1) + last[at] + last[at - 1] + last.slice(at + 1);
  return words.join(' ');
}

interface InMemoryIndex {
  name: string;
  add(article: ReturnType<typeof syntheticArticle>): void;
  search(query: string): number;
}

function miniSearchIndex(): InMemoryIndex {
  const index = new MiniSearch<{ id: string; title: string; summary: string; body: string }>({
    fields: ['title', 'summary', 'body'],
    storeFields: ['title'],
    searchOptions: {
      boost: { title: 10, summary: 4 },
      combineWith: 'AND',
      prefix: (_term, position, terms) => position === terms.length - 1,
    },
  });
  return {
    name: 'MiniSearch',
    add: (article) =>
      index.add({
        id: article.id,
        title: article.title,
        summary: article.summary,
        body: article.body,
      }),
    search: (query) => index.search(query).slice(0, 10).length,
  };
}

function flexSearchIndex(): InMemoryIndex {
  const index = new FlexDocument({
    document: { id: 'id', index: ['title', 'summary', 'body'] },
    tokenize: 'forward',
  });
  return {
    name: 'FlexSearch',
    add: (article) =>
      index.add({
        id: article.id,
        title: article.title,
        summary: article.summary,
        body: article.body,
      }),
    search: (query) =>
      index.search(query, { limit: 10 }).reduce((total, field) => total + field.result.length, 0),
  };
}

/**
 * The in-memory libraries hold the whole index in the JavaScript heap. A trial
 * build of 2,000 articles estimates the heap each needs; the comparison runs at
 * the full size when that fits comfortably under the heap limit, else at 50,000
 * (or less), and says so.
 */
function compareInMemory(
  vocabulary: Vocabulary,
  articles: number,
  queries: string[],
  ours: Latency,
  log: (line: string) => void,
): void {
  const collect = collector();
  const heapLimit = getHeapStatistics().heap_size_limit;
  for (const makeIndex of [miniSearchIndex, flexSearchIndex]) {
    const perArticle = trialHeapPerArticle(
      makeIndex,
      vocabulary,
      Math.min(2_000, articles),
      collect,
    );
    const fits = (size: number) => perArticle * size < heapLimit * 0.6;
    const size = fits(articles)
      ? articles
      : fits(50_000)
        ? Math.min(articles, 50_000)
        : Math.floor((heapLimit * 0.6) / perArticle);
    const reason =
      size === articles
        ? ''
        : ` (estimated ${mb(perArticle * articles)} heap for ${articles.toLocaleString('en-GB')} against a ${mb(heapLimit)} limit, so ${size.toLocaleString('en-GB')})`;

    collect();
    const base = process.memoryUsage().heapUsed;
    const started = performance.now();
    const index = makeIndex();
    for (let position = 0; position < size; position += 1)
      index.add(syntheticArticle(vocabulary, position));
    const buildMs = performance.now() - started;
    const firstStarted = performance.now();
    index.search(queries[0] ?? 'ap');
    const coldMs = buildMs + (performance.now() - firstStarted);
    collect();
    const heap = process.memoryUsage().heapUsed - base;
    const theirs = timeEach(queries, (query) => index.search(query));
    const ratio = (mine: number, other: number) => `${(other / Math.max(mine, 0.001)).toFixed(1)}x`;
    log(`knowledge: ${index.name} at ${size.toLocaleString('en-GB')} articles${reason}:`);
    log(
      // A collection can free garbage left from an earlier build after the
      // baseline was read; the difference then says nothing about this index.
      `knowledge:   build ${seconds(buildMs)}, heap ${heap > 0 ? mb(heap) : 'not measurable in this run'}, ` +
        `cold start (rebuild + first search) ${seconds(coldMs)}`,
    );
    log(
      `knowledge:   as-you-type ${describe(theirs.latency)}; ratio to ours: p50 ${ratio(ours.p50, theirs.latency.p50)}, ` +
        `p95 ${ratio(ours.p95, theirs.latency.p95)}, p99 ${ratio(ours.p99, theirs.latency.p99)}`,
    );
  }
}

/** Heap one article costs in the library's index, from a trial build that is dropped before the real one. */
function trialHeapPerArticle(
  makeIndex: () => InMemoryIndex,
  vocabulary: Vocabulary,
  trialSize: number,
  collect: () => void,
): number {
  collect();
  const before = process.memoryUsage().heapUsed;
  const trial = makeIndex();
  for (let index = 0; index < trialSize; index += 1) trial.add(syntheticArticle(vocabulary, index));
  collect();
  const perArticle = (process.memoryUsage().heapUsed - before) / trialSize;
  trial.search('warm');
  return Math.max(1, perArticle);
}

// ---------------------------------------------------------------------------
// Initial sync from a local central server, over loopback HTTP.
//
// The figures above apply pages made in process. Here the same corpus is held by
// a real central server (server/app.ts, its own SQLite in a temp folder), seeded
// straight into its knowledge store (the starter import's path, no HTTP), and a
// desk database (the desk's own migrations) pulls all of it with the desk's real
// sync service (KnowledgeSync) through the HTTP change feed (HttpKnowledgeFeed)
// with an access token, as a desk does on its first sign-in. The server runs
// as its own process (server/main.ts), as it does in production: the desk asks
// for the next page before writing the one it has, so the server's reading and
// the desk's writing overlap, each on its own core. Pages are written on the
// desk's writer thread, as the desk writes them; the section also reports the
// longest the desk's own thread went without a turn of its event loop.

interface InProcessSync {
  applyMs: number;
  optimizeMs: number;
}

export async function syncFromLocalServer(options: {
  vocabulary: Vocabulary;
  articles: number;
  inProcess: InProcessSync;
  log: (line: string) => void;
  /** Changes per page; the desk's own by default. */
  pageSize?: number;
}): Promise<void> {
  const { vocabulary, articles, inProcess, log } = options;
  const pageSize = options.pageSize ?? knowledgeSyncPageSize;
  const heading = 'knowledge [sync from a local server]';
  const folder = mkdtempSync(join(tmpdir(), 'knowledge-bench-http-'));
  const serverDir = join(folder, 'server');
  let server: StartedProcess | null = null;
  let desk: Database.Database | null = null;
  let writer: WorkerReplicaWriter | null = null;
  try {
    // Seed the server's store directly, before it starts, so its starter import sees articles held.
    const seedStarted = performance.now();
    mkdirSync(serverDir, { recursive: true, mode: 0o700 });
    await seedServerKnowledge(serverDir, vocabulary, articles);
    log(
      `${heading}: server store seeded with ${articles.toLocaleString('en-GB')} articles in ` +
        `${seconds(performance.now() - seedStarted)} (not part of the sync figure)`,
    );

    server = await startProcess({
      name: 'central server',
      ...tsEntry(fileURLToPath(new URL('../server/main.ts', import.meta.url)), [
        ...['--data-dir', serverDir, '--port', '0', '--host', '127.0.0.1'],
      ]),
      readyPattern: /^server listening on (http:\/\/127\.0\.0\.1:\d+)$/,
    });
    const serverUrl = server.readyValue;
    const sessionToken = await signIn(serverUrl);
    let tokenRequests = 0;
    let bytes = 0;
    const networkErrors: string[] = [];
    const countingFetch: typeof fetch = async (input, init) => {
      try {
        const response = await fetch(input, init);
        bytes += Number(response.headers.get('content-length') ?? 0);
        return response;
      } catch (error) {
        // The feed turns this into "cannot be reached"; keep the cause for the report.
        const cause = error instanceof Error && error.cause ? error.cause : error;
        networkErrors.push(String(cause));
        throw error;
      }
    };
    const feed = new HttpKnowledgeFeed({
      serverUrl,
      fetch: countingFetch,
      accessToken: async () => {
        tokenRequests += 1;
        return accessToken(serverUrl, sessionToken);
      },
    });

    desk = openLocalDb(join(folder, 'desk'));
    const replica = new KnowledgeReplica(desk);
    // As the desk writes: on its worker thread (decision 0010).
    writer = new WorkerReplicaWriter(desk.name);
    let pages = 0;
    let longestWaitMs = 0;
    const sync = new KnowledgeSync(desk, replica, feed, {
      pageSize,
      writer,
      // The merge is timed on its own below, as it is for the in-process figure.
      optimizeAfterChanges: Number.POSITIVE_INFINITY,
    });
    sync.onStatus((status) => {
      if (status.progress) pages = status.progress.pages;
    });
    // How long this thread, which serves the desk's requests, is ever held during the sync.
    let lastTurn = performance.now();
    const watch = setInterval(() => {
      const now = performance.now();
      longestWaitMs = Math.max(longestWaitMs, now - lastTurn);
      lastTurn = now;
    }, 5);
    const syncStarted = performance.now();
    // A failed pull resumes from the last whole page, as the desk's retry does; the
    // figure includes any such resumption, and says how many there were.
    let synced = await sync.sync();
    let resumed = 0;
    while (!synced.ok && resumed < 5) {
      resumed += 1;
      synced = await sync.sync();
    }
    const syncMs = performance.now() - syncStarted;
    clearInterval(watch);
    if (!synced.ok) {
      throw new Error(
        `the sync failed: ${synced.error.message} (${networkErrors.join('; ') || 'no network error'})`,
      );
    }
    if (synced.value.articleCount !== articles) {
      throw new Error(
        `the desk holds ${synced.value.articleCount} articles after the sync, not ${articles}`,
      );
    }
    const optimizeStarted = performance.now();
    const merged = await writer.optimize();
    if (!merged.ok) throw new Error(merged.error.message);
    const optimizeMs = performance.now() - optimizeStarted;
    await sync.stop();

    const ratio = (mine: number, baseline: number) =>
      `${(mine / Math.max(baseline, 0.001)).toFixed(2)}x`;
    const inProcessTotal = inProcess.applyMs + inProcess.optimizeMs;
    log(
      `${heading}: first sync, ${articles.toLocaleString('en-GB')} articles pulled in ${pages} pages of up to ` +
        `${pageSize.toLocaleString('en-GB')}, the desk's page size (${mb(bytes)} of JSON, ${tokenRequests} access tokens): ` +
        `${seconds(syncMs)}, then index merge ${seconds(optimizeMs)}; total ${seconds(syncMs + optimizeMs)}`,
    );
    log(
      `${heading}: pages written on the desk's worker thread; the longest this thread went without a turn ` +
        `during the sync: ${ms(longestWaitMs)}`,
    );
    if (resumed > 0) {
      log(
        `${heading}: the pull failed ${resumed} time(s) and resumed from its cursor: ${networkErrors.join('; ')}`,
      );
    }
    log(
      `${heading}: ratio to the in-process apply in this run: pull ${ratio(syncMs, inProcess.applyMs)} ` +
        `(${seconds(syncMs)} against ${seconds(inProcess.applyMs)}), ` +
        `total ${ratio(syncMs + optimizeMs, inProcessTotal)} (${seconds(syncMs + optimizeMs)} against ${seconds(inProcessTotal)})`,
    );
  } finally {
    await writer?.close();
    desk?.close();
    if (server) await stopProcess(server);
    rmSync(folder, { recursive: true, force: true });
  }
}

async function postForValue(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', ...init });
  const body = (await response.json()) as { ok: boolean; value?: Record<string, unknown> };
  if (!body.ok || !body.value) throw new Error(`${url} refused (HTTP ${response.status})`);
  return body.value;
}

/** Signs the demo adviser in over HTTP, as a desk does; answers the session token. */
async function signIn(serverUrl: string): Promise<string> {
  const session = await postForValue(`${serverUrl}/api/session`, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo-adviser', password: demoPassword }),
  });
  return String(session.sessionToken);
}

async function accessToken(serverUrl: string, sessionToken: string): Promise<string> {
  const access = await postForValue(`${serverUrl}/api/session/token`, {
    headers: { authorization: `Bearer ${sessionToken}` },
  });
  return String(access.token);
}

function articlesFromArguments(argv: readonly string[]): number {
  const flag = argv.findIndex(
    (argument) => argument === '--articles' || argument.startsWith('--articles='),
  );
  if (flag === -1) return 100_000;
  const value = argv[flag]!.includes('=') ? argv[flag]!.split('=')[1] : argv[flag + 1];
  const articles = Number(value);
  if (!Number.isInteger(articles) || articles < 100)
    throw new Error('--articles must be a whole number of 100 or more');
  return articles;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runKnowledgeBench({
    articles: articlesFromArguments(process.argv.slice(2)),
    log: (line) => console.log(line),
  });
}
