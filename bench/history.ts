// The interaction history benchmark: N generated interactions (one million by
// default: ten years at 85,000 a year) on SQLite and on a throwaway PostgreSQL
// (durable settings), then p50/p95 of filtered history pages (first pages and
// deep pages by cursor), of text searches, and of opening a one-hour
// interaction (read and redacted), each beside a baseline measured in the same
// run: a primary-key lookup on the same table. Run alone with:
//   npx tsx bench/history.ts --interactions 20000
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { initialInteractionContext, summaryOf } from '../shared/interaction/machine';
import { ContactScript } from '../shared/interaction/script';
import type { ChatLine, InteractionRecord, InteractionSummary } from '../shared/interaction/record';
import type { CurrentStatus } from '../shared/interaction/taxonomy';
import { buildReplayTimeline } from '../shared/interaction/replay-timeline';
import { historyQuerySchema, type HistoryQueryInput } from '../shared/wire/history';
import { startPostgresCluster } from '../scripts/postgres-cluster';
import { redactRecord } from '../server/redaction';
import type { Engine } from '../server/storage/database';
import { searchTextFor, tidyPages } from '../server/history/indexer';
import { searchTextOf } from '../server/storage/history';
import { interactionRow } from '../server/storage/ingest';
import { openStorage } from '../server/storage/storage';
import { interactionsFromArguments, percentiles, show, type Timing } from './timing';

export interface HistoryBenchOptions {
  log(line: string): void;
  /** Interactions to generate; one million by default. */
  interactions?: number;
}

const targets = { pageMs: 100, searchMs: 300, openMs: 500 } as const;
const advisers = 60;
const years = 10;
/** Rows per INSERT: 18 columns each stays inside both engines' limits on bound values. */
const insertBatch = 500;
/** Distinct texts the generated records are written from (calls' and chats' apiece); each is redacted once. */
const textVariants = 2_000;
/** Timed runs of each measurement. */
const runs = 40;

const vocabulary = {
  goals: [
    'wants to become an electrician',
    'thinking about nursing at university',
    'interested in a plumbing apprenticeship',
    'asked about T levels in digital',
    'would like to work with animals',
    'considering the army after year 11',
    'looking at hairdressing courses at college',
    'wants to be a games designer',
    'unsure what to do after GCSEs',
    'interested in accountancy apprenticeships',
  ],
  notes: [
    'Talked through the options at the local college and sixth form.',
    'Worried about travel costs, discussed the bursary fund.',
    'Confidence is low after exams; agreed small steps.',
    'Caring for a younger sibling most evenings.',
    'Has an interview next week and wanted to practise.',
    'Left school in June and has not started anything yet.',
    'Parent called on behalf of their son, who was with them.',
    'Maths resit in November, English passed at grade 5.',
    'Looked at the apprenticeship vacancy search together.',
    'Signposted to the local youth service for housing advice.',
  ],
  chat: [
    'hi can u help me',
    'i dont know what to do next year',
    'my mum said i should ask about apprenticeships',
    'is college free if im 17',
    'thanks that really helps',
    'what grades do i need for nursing',
  ],
};

const pick = <T>(items: readonly T[], seed: number): T => items[seed % items.length] as T;

/** A small, fast, repeatable generator: the same run makes the same rows. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** The text of one variant: notes, goals and (for chats) a few lines. */
function summaryVariant(variant: number, webchat: boolean, at: string): InteractionSummary {
  const base = summaryOf(initialInteractionContext());
  const chat: ChatLine[] = webchat
    ? Array.from({ length: 6 }, (_, line) => ({
        seq: line + 1,
        from: line % 2 === 0 ? ('customer' as const) : ('adviser' as const),
        text: pick(vocabulary.chat, variant + line),
        at,
      }))
    : [];
  return {
    ...base,
    startingPoint: { ...base.startingPoint, goals: pick(vocabulary.goals, variant) },
    notes: {
      startingPoint: pick(vocabulary.notes, variant),
      barriers: pick(vocabulary.notes, variant * 7 + 3),
      // One in ten carries a phone number, as real notes do; it must never be findable.
      nextSteps:
        variant % 10 === 0
          ? `Agreed to call back on 07700 9${String(variant).padStart(5, '0')}.`
          : pick(vocabulary.notes, variant * 3 + 1),
    },
    chat,
  };
}

const statusWeights: readonly [CurrentStatus | null, number][] = [
  ['school', 40],
  ['sixth_form', 10],
  ['college', 15],
  ['apprenticeship', 5],
  ['employment', 5],
  ['neet', 10],
  ['other', 5],
  ['not_disclosed', 5],
  [null, 5],
];

function weighted<T>(weights: readonly [T, number][], roll: number): T {
  let left = roll * weights.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of weights) {
    left -= weight;
    if (left < 0) return value;
  }
  return (weights.at(-1) as [T, number])[0];
}

/** One generated interaction at `completedAt` and the variant its text came from. */
function generatedRecord(
  random: () => number,
  adviserIds: readonly string[],
  completedAt: number,
): { record: InteractionRecord; variant: number } {
  // The variant's key says whether it is a chat's text (with chat lines) or a call's.
  const webchat = random() < 0.07;
  const variant = Math.floor(random() * textVariants);
  const end = new Date(completedAt).toISOString();
  const started = new Date(completedAt - (5 + Math.floor(random() * 40)) * 60_000).toISOString();
  const connected = new Date(Date.parse(started) + 20_000).toISOString();
  const summary = summaryVariant(variant, webchat, started);

  const remitRoll = random();
  summary.caller = {
    ...summary.caller,
    withinRemit: remitRoll < 0.9 ? true : remitRoll < 0.95 ? false : null,
  };
  summary.startingPoint = {
    ...summary.startingPoint,
    status: weighted(statusWeights, random()) ?? null,
  };
  summary.call = { ...summary.call, offeredAt: started, connectedAt: connected, endedAt: end };
  if (random() < 0.3) {
    summary.followUp = {
      decision: 'accepted',
      bookingId: randomUUID(),
      slotStart: end,
      contactMethod: 'phone',
      contactAddress: '07700900123',
      consentRecorded: true,
      at: end,
    };
  }
  if (random() < 0.4)
    summary.transcript = { decision: 'send', via: 'email', address: 'yp@example.org' };
  if (random() < 0.08) summary.notCovered = { skillsCheck: 'Caller had to go' };
  if (random() < 0.03) {
    summary.safeguarding = [
      {
        id: randomUUID(),
        category: 'bullying',
        whatWasSaid: 'Being bullied on the bus to school',
        immediateRisk: false,
        raisedAt: end,
        raisedDuringStage: 'barriers',
        escalatedTo: null,
        escalatedAt: null,
        actions: [],
        resolvedAt: null,
        outcome: null,
      },
    ];
  }
  const id = randomUUID();
  const channel = webchat ? 'webchat' : 'voice';
  const contactRef = randomUUID();
  const record: InteractionRecord = {
    id,
    machineVersion: 1,
    channel,
    adviserId: pick(adviserIds, Math.floor(random() * adviserIds.length)),
    deskId: randomUUID(),
    contactRef,
    startedAt: started,
    completedAt: end,
    summary,
    journal: [
      {
        at: started,
        event: { type: 'OFFERED', at: started, interactionId: id, channel, contactRef },
      },
    ],
  };
  return { record, variant: variant * 2 + (webchat ? 1 : 0) };
}

/**
 * A one-hour voice call, the replay's worst case: a real journal driven
 * through the machine (an event every two seconds, notes rewritten as typed)
 * and a long note.
 */
function oneHourRecord(adviserId: string): InteractionRecord {
  const started = Date.UTC(2025, 5, 2, 14, 0, 0);
  const at = (second: number) => new Date(started + second * 1000).toISOString();
  const call = new ContactScript(at(0), 2);
  call.send(
    { type: 'OFFERED', interactionId: randomUUID(), channel: 'voice', contactRef: 'bench-call' },
    { type: 'ANSWER' },
  );
  const stages = ['startingPoint', 'barriers', 'nextSteps', 'callerEligibility'] as const;
  for (let minute = 0; minute < 60; minute += 1) {
    const stage = stages[minute % stages.length] ?? 'barriers';
    call.send({ type: 'GO_TO_STAGE', stage });
    for (let step = 0; step < 14; step += 1) {
      call.send({ type: 'NOTE', stage, text: pick(vocabulary.notes, minute * 14 + step) });
      call.send({ type: 'UPDATE_CALLER', age: 14 + (step % 4) });
    }
  }
  const { journal } = call;
  const summary = summaryVariant(1, false, at(0));
  summary.notes = {
    ...summary.notes,
    barriers: Array.from({ length: 40 }, (_, line) => pick(vocabulary.notes, line)).join(' '),
    followUp: 'Her mum Pat Jones asked us to ring 07700 900123 or email pat.jones@example.org.',
  };
  summary.call = {
    ...summary.call,
    offeredAt: at(0),
    connectedAt: at(5),
    endedAt: at(3_600),
  };
  return {
    id: randomUUID(),
    machineVersion: 1,
    channel: 'voice',
    adviserId,
    deskId: randomUUID(),
    contactRef: randomUUID(),
    startedAt: at(0),
    completedAt: at(3_700),
    summary,
    journal,
  };
}

async function timed(count: number, run: (index: number) => Promise<unknown>): Promise<Timing> {
  const samples: number[] = [];
  // One untimed run first: the first query of a kind pays for planning and cold pages.
  await run(-1);
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await run(index);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

interface Loaded {
  storage: Awaited<ReturnType<typeof openStorage>>;
  adviserIds: string[];
  sampleIds: string[];
  oneHourId: string;
  /** First and last completion times generated. */
  span: { from: number; to: number };
}

/** Accounts, then N generated rows in multi-row INSERTs, then the one-hour call. */
async function load(
  engine: Engine,
  dataDir: string,
  databaseUrl: string | null,
  count: number,
  redacted: readonly InteractionSummary[],
  log: (line: string) => void,
): Promise<Loaded> {
  mkdirSync(dataDir, { recursive: true });
  const storage = await openStorage({ dataDir, databaseUrl });
  const adviserIds: string[] = [];
  for (let index = 0; index < advisers; index += 1) {
    const account = await storage.accounts.create({
      username: `bench-adviser-${index}`,
      displayName: `Bench Adviser ${index}`,
      roles: ['adviser'],
      passwordHash: 'scrypt$unused',
    });
    adviserIds.push(account.id);
  }
  const random = generator(20_261_203);
  const to = Date.UTC(2026, 10, 30);
  const from = to - years * 365 * 86_400_000;
  const step = (to - from) / count;
  const sampleIds: string[] = [];
  const started = performance.now();
  const { db } = storage.database;
  for (let done = 0; done < count;) {
    const size = Math.min(insertBatch, count - done);
    const rows = Array.from({ length: size }, (_, offset) => {
      const { record, variant } = generatedRecord(
        random,
        adviserIds,
        from + (done + offset) * step,
      );
      if ((done + offset) % 997 === 0) sampleIds.push(record.id);
      // The variant's text was redacted once, up front (the redaction's own
      // throughput is measured there); the row is what interactionRow writes
      // for that record with that redaction.
      const variantText = redacted[variant] as InteractionSummary;
      return {
        ...interactionRow(record, record.completedAt),
        search_text: searchTextOf({
          ...record,
          summary: { ...record.summary, ...textOf(variantText) },
        }),
      };
    });
    await db.insertInto('interactions').values(rows).execute();
    done += size;
    if (done % 100_000 === 0 || done === count) {
      const seconds = (performance.now() - started) / 1000;
      log(
        `history:   ${engine}: ${done.toLocaleString('en-GB')} rows written (${Math.round(done / seconds).toLocaleString('en-GB')}/s)`,
      );
    }
  }
  const oneHour = oneHourRecord(adviserIds[0] ?? '');
  await db
    .insertInto('interactions')
    .values({
      ...interactionRow(oneHour, oneHour.completedAt),
      search_text: searchTextFor(oneHour),
    })
    .execute();
  // What a maintained database has: planner statistics (PostgreSQL's autovacuum
  // and SQLite's `PRAGMA optimize` gather them over time), and on SQLite a
  // search index merged as the server's history indexer merges it when idle,
  // in the same steps, timed here because each step holds the write lock.
  if (engine === 'sqlite') {
    await sql`ANALYZE`.execute(db);
    const steps: number[] = [];
    const tidying = performance.now();
    for (;;) {
      const step = performance.now();
      const more = await storage.history.tidySearchIndex(tidyPages);
      steps.push(performance.now() - step);
      if (!more) break;
    }
    const { p50, p95 } = percentiles(steps);
    log(
      `history:   sqlite: search index merged in ${steps.length.toLocaleString('en-GB')} steps of ${tidyPages} pages, ${((performance.now() - tidying) / 1000).toFixed(1)} s in all; a step p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, longest ${Math.max(...steps).toFixed(1)} ms`,
    );
  } else await sql`VACUUM ANALYZE interactions`.execute(db);
  return { storage, adviserIds, sampleIds, oneHourId: oneHour.id, span: { from, to } };
}

/** The fields of a summary the search text is written from. */
function textOf(summary: InteractionSummary): Partial<InteractionSummary> {
  return {
    notes: summary.notes,
    startingPoint: summary.startingPoint,
    barriers: summary.barriers,
    nextSteps: summary.nextSteps,
    chat: summary.chat,
  };
}

/** Every variant's text, redacted once; how fast the redaction went is a figure of its own. */
function redactVariants(log: (line: string) => void): InteractionSummary[] {
  const at = '2026-01-01T10:00:00.000Z';
  const records = Array.from({ length: textVariants * 2 }, (_, key): InteractionRecord => ({
    id: randomUUID(),
    machineVersion: 1,
    channel: key % 2 === 1 ? 'webchat' : 'voice',
    adviserId: 'bench',
    deskId: randomUUID(),
    contactRef: randomUUID(),
    startedAt: at,
    completedAt: at,
    summary: summaryVariant(Math.floor(key / 2), key % 2 === 1, at),
    journal: [],
  }));
  const started = performance.now();
  const redacted = records.map((record) => redactRecord(record).summary);
  const elapsed = performance.now() - started;
  log(
    `history: redaction: ${Math.round((records.length / elapsed) * 1000).toLocaleString('en-GB')} interactions/s (${records.length.toLocaleString('en-GB')} short records with notes and chat)`,
  );
  return redacted;
}

interface EngineFigures {
  baseline: Timing;
  pages: { label: string; timing: Timing }[];
  deep: { label: string; timing: Timing }[];
  searches: { label: string; timing: Timing }[];
  openBaseline: Timing;
  open: Timing;
}

async function measure(loaded: Loaded): Promise<EngineFigures> {
  const { storage, adviserIds, sampleIds, span } = loaded;
  const { db } = storage.database;
  const day = (instant: number) => new Date(instant).toISOString().slice(0, 10);
  const yearMs = 365 * 86_400_000;
  const page = async (input: HistoryQueryInput, adviserId: string | null = null) => {
    const answer = await storage.history.page(historyQuerySchema.parse(input), { adviserId });
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value;
  };
  const adviser = (index: number) => adviserIds[Math.abs(index) % adviserIds.length] ?? '';
  const yearFrom = (index: number) =>
    day(span.from + (Math.abs(index) % (years - 1)) * yearMs + 86_400_000);

  const baseline = await timed(runs, (index) =>
    db
      .selectFrom('interactions')
      .select(['id', 'completed_at'])
      .where('id', '=', sampleIds[Math.abs(index) % sampleIds.length] ?? '')
      .executeTakeFirst(),
  );

  const mixes: [string, (index: number) => Promise<unknown>][] = [
    ['newest, no filter', () => page({})],
    [
      'one adviser, one year',
      (index) =>
        page({ adviserId: adviser(index), from: yearFrom(index), to: day(span.to), limit: 25 }),
    ],
    ['safeguarding raised', () => page({ safeguarding: 'true' })],
    ['NEET, follow-up booked', () => page({ startingStatus: 'neet', followUpBooked: 'true' })],
    ['web chats, oldest first', () => page({ channel: 'webchat', sort: 'oldest' })],
    [
      'outside remit, not covered, one year',
      (index) => page({ withinRemit: 'false', notCovered: 'true', from: yearFrom(index) }),
    ],
    ['an adviser reading their own', (index) => page({}, adviser(index))],
  ];
  const pages: EngineFigures['pages'] = [];
  for (const [label, run] of mixes) pages.push({ label, timing: await timed(runs, run) });

  // Deep pages: the cursor of page 40 and onwards, timed one page at a time.
  const deep: EngineFigures['deep'] = [];
  const deepMixes: [string, HistoryQueryInput][] = [
    ['newest, pages 41 to 80', {}],
    ['NEET, oldest first, pages 41 to 80', { startingStatus: 'neet', sort: 'oldest' }],
  ];
  for (const [label, input] of deepMixes) {
    let cursor: string | undefined;
    for (let skip = 0; skip < 40; skip += 1)
      cursor = (await page({ ...input, cursor })).nextCursor ?? undefined;
    deep.push({
      label,
      timing: await timed(runs, async () => {
        const next = await page({ ...input, cursor });
        cursor = next.nextCursor ?? undefined;
      }),
    });
  }

  const searches: EngineFigures['searches'] = [];
  const searchMixes: [string, (index: number) => Promise<unknown>][] = [
    ['a common word ("college")', () => page({ text: 'college' })],
    ['a rarer phrase ("games designer")', () => page({ text: 'games designer' })],
    [
      'a word, one adviser, one year',
      (index) => page({ text: 'apprenticeship', adviserId: adviser(index), from: yearFrom(index) }),
    ],
    ['a word nobody wrote ("astronaut")', () => page({ text: 'astronaut' })],
  ];
  for (const [label, run] of searchMixes) searches.push({ label, timing: await timed(runs, run) });

  const openBaseline = await timed(runs, () =>
    db
      .selectFrom('interactions')
      .select('record_json')
      .where('id', '=', loaded.oneHourId)
      .executeTakeFirst(),
  );
  const open = await timed(runs, async () => {
    const held = await storage.history.find(loaded.oneHourId);
    if (!held) throw new Error('the one-hour interaction is not held');
    return redactRecord(held.record);
  });
  return { baseline, pages, deep, searches, openBaseline, open };
}

/**
 * The desk's side of opening a replay, which no database takes part in:
 * building the timeline of the one-hour call and drawing its first moment
 * (the screen the trainer sees first), then every moment in turn, as playing
 * it through does. The baseline is parsing the same record from JSON.
 */
function replayFigures(log: (line: string) => void): void {
  const record = oneHourRecord('bench-adviser');
  const text = JSON.stringify(record);
  const parse = timedSync(runs, () => JSON.parse(text) as unknown);
  const open = timedSync(runs, () => {
    const timeline = buildReplayTimeline(record);
    if (!timeline.ok) throw new Error(timeline.error.message);
    return timeline.value.snapshotAt(0);
  });
  const walk = timedSync(5, () => {
    const timeline = buildReplayTimeline(record);
    if (!timeline.ok) throw new Error(timeline.error.message);
    for (const moment of timeline.value.moments) timeline.value.snapshotAt(moment.index);
  });
  log(
    `history: replay of the one-hour call (${record.journal.length.toLocaleString('en-GB')} events): baseline JSON.parse ${show(parse)}; timeline and first moment ${show(open)} (${ratio(open, parse)}); every moment in turn ${show(walk)}`,
  );
}

function timedSync(count: number, run: () => unknown): Timing {
  const samples: number[] = [];
  run();
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

const ratio = (figure: Timing, baseline: Timing) =>
  `${(figure.p50 / Math.max(baseline.p50, 0.001)).toFixed(1)}x the baseline at p50`;

function report(engine: string, figures: EngineFigures, log: (line: string) => void): void {
  const met = (timing: Timing, target: number) => (timing.p95 < target ? 'met' : 'NOT met');
  log(`history: ${engine}`);
  log(`history:   baseline, primary-key lookup of one row: ${show(figures.baseline)}`);
  for (const { label, timing } of [...figures.pages, ...figures.deep]) {
    log(
      `history:   page of 25, ${label.padEnd(40)} ${show(timing).padEnd(28)} target p95 < ${targets.pageMs} ms: ${met(timing, targets.pageMs)}`,
    );
  }
  for (const { label, timing } of figures.searches) {
    log(
      `history:   text search, ${label.padEnd(39)} ${show(timing).padEnd(28)} target p95 < ${targets.searchMs} ms: ${met(timing, targets.searchMs)}`,
    );
  }
  log(
    `history:   baseline, primary-key read of the one-hour record: ${show(figures.openBaseline)}`,
  );
  log(
    `history:   open a one-hour interaction (read, parse, redact): ${show(figures.open)}; target p95 < ${targets.openMs} ms: ${met(figures.open, targets.openMs)}`,
  );
}

export async function runHistoryBench(options: HistoryBenchOptions): Promise<void> {
  const count = options.interactions ?? 1_000_000;
  const { log } = options;
  const root = mkdtempSync(join(tmpdir(), 'adviser-bench-history-'));
  const cluster = await startPostgresCluster({ durable: true });
  try {
    log(
      `history: ${count.toLocaleString('en-GB')} interactions over ${years} years, ${advisers} advisers; ${runs} timed runs of each figure`,
    );
    const redacted = redactVariants(log);
    replayFigures(log);
    const engines: Engine[] = ['sqlite', 'postgres'];
    for (const engine of engines) {
      let databaseUrl: string | null = null;
      if (engine === 'postgres') {
        const client = new pg.Client({ connectionString: cluster.url });
        await client.connect();
        try {
          await client.query('CREATE DATABASE bench_history');
        } finally {
          await client.end();
        }
        const url = new URL(cluster.url);
        url.pathname = '/bench_history';
        databaseUrl = url.toString();
      }
      const loaded = await load(engine, join(root, engine), databaseUrl, count, redacted, log);
      try {
        report(engine === 'sqlite' ? 'SQLite' : 'PostgreSQL', await measure(loaded), log);
      } finally {
        await loaded.storage.close();
      }
    }
  } finally {
    await cluster.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runHistoryBench({
    interactions: interactionsFromArguments(process.argv.slice(2)),
    log: (line) => console.log(line),
  });
}
