// The service dashboard benchmark: N interactions (one million by default,
// ten years at 100,000 a year), 0.3 N follow-up bookings and 0.05 N queue
// abandonments on SQLite and on a throwaway PostgreSQL (durable settings);
// then p50/p95 of each part of a figures answer for a month (by day) and for a
// year (by month), beside a baseline measured in the same run (a primary-key
// lookup on the same table); and, on a real server over the loaded database,
// how long a queued call takes to reach a team leader's live board.
//
// Rows are written with the columns the ingest writes for the dashboard and
// the history, and a record_json of '{}': no figure reads the document, and
// generating a million full records would time the generator, not the figures.
// Three in five follow-up bookings also get the follow-up interaction that
// completed them (with the change and the statuses the outcome figures read).
// The dashboard's summary is then built from the held rows by migration 020's
// own back-fill, as an upgraded server builds it, and that time is printed.
// Run alone with:
//   npx tsx bench/dashboard.ts --interactions 100000
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { io } from 'socket.io-client';
import { currentStatuses } from '../shared/interaction/taxonomy';
import { defaultForm, interactionFacts } from '../shared/quality/form';
import { scoreReview } from '../shared/quality/scoring';
import {
  ageGroups,
  dashboardQuerySchema,
  regionGroups,
  type DashboardQueryInput,
} from '../shared/wire/dashboard';
import { startPostgresCluster } from '../scripts/postgres-cluster';
import { startServer } from '../server/app';
import { hashPassword } from '../server/auth/passwords';
import { demoPassword } from '../server/demo-accounts';
import { dashboardFigures, figureParts, type FigurePart } from '../server/dashboard/service';
import type { Engine } from '../server/storage/database';
import { londonHour } from '../shared/time/london';
import { summariseHeldInteractions } from '../server/storage/migrations/020-dashboard-summary';
import { openStorage } from '../server/storage/storage';
import { answersMeetingEveryItem } from '../test/support/quality-contacts';
import { completedRecord } from '../test/unit/desk-fixtures';
import { interactionsFromArguments, percentiles, show, type Timing } from './timing';

export interface DashboardBenchOptions {
  log(line: string): void;
  /** Interactions to generate; one million by default. */
  interactions?: number;
}

const target = { yearMs: 500, boardMs: 1_000 } as const;
const advisers = 60;
const years = 10;
const insertBatch = 400;
const runs = 20;
const boardRuns = 10;

function generator(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

type Storage = Awaited<ReturnType<typeof openStorage>>;

/**
 * Published quality reviews of the sampled interactions, on the default form,
 * each scored by the form's own scoring with next steps judged 0 to 4: what
 * "next steps good" reads, as Quality reports do.
 */
async function writeQualityReviews(
  storage: Storage,
  reviewed: readonly { id: string; adviserId: string; completedAt: string }[],
  reviewerId: string,
  pick: <T>(items: readonly T[]) => T,
): Promise<void> {
  const at = new Date().toISOString();
  await storage.quality.ensureForm(defaultForm, at);
  const facts = interactionFacts(completedRecord('bench'));
  const scores = [0, 1, 2, 3, 4].map((nextSteps) => {
    const answers = answersMeetingEveryItem(nextSteps, 'Benchmark');
    const score = scoreReview(defaultForm, answers, facts);
    if (!score.ok) throw new Error(`benchmark review does not score: ${score.error.message}`);
    return { answers: JSON.stringify(answers), score: score.value };
  });
  for (let done = 0; done < reviewed.length; done += insertBatch) {
    const rows = reviewed.slice(done, done + insertBatch).map((interaction) => {
      const { answers, score } = pick(scores);
      return {
        id: randomUUID(),
        interaction_id: interaction.id,
        adviser_id: interaction.adviserId,
        reviewer_id: reviewerId,
        form_id: defaultForm.id,
        form_version: defaultForm.version,
        purpose: 'sample' as const,
        calibration_session_id: null,
        sample_id: null,
        status: 'published' as const,
        version: 1,
        answers_json: answers,
        score_json: JSON.stringify(score),
        percentage: score.percentage,
        passed: score.passed ? 1 : 0,
        created_at: interaction.completedAt,
        updated_at: interaction.completedAt,
        published_at: interaction.completedAt,
        acknowledged_at: null,
        acknowledged_version: null,
        acknowledgement: null,
      };
    });
    await storage.database.db.insertInto('quality_reviews').values(rows).execute();
  }
}

/** Advisers, then N interactions, the follow-ups and abandonments, in multi-row INSERTs. */
export async function load(
  engine: Engine,
  storage: Storage,
  count: number,
  log: (line: string) => void,
): Promise<{ adviserIds: string[]; sampleIds: string[]; to: number }> {
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
  // The team leader whose desk the live-board figure watches (the server seeds no demo accounts into a database that has some).
  const leader = await storage.accounts.create({
    username: 'bench-leader',
    displayName: 'Bench Leader',
    roles: ['team_leader'],
    passwordHash: await hashPassword(demoPassword),
  });
  const random = generator(20_261_204);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const to = Date.UTC(2026, 10, 30);
  const from = to - years * 365 * 86_400_000;
  const step = (to - from) / count;
  const { db } = storage.database;
  const sampleIds: string[] = [];
  /** One interaction in fifty is quality-reviewed, about what the weekly sample draws. */
  const reviewed: { id: string; adviserId: string; completedAt: string }[] = [];
  const started = performance.now();
  for (let done = 0; done < count;) {
    const size = Math.min(insertBatch, count - done);
    const rows = Array.from({ length: size }, (_, offset) => {
      const completedAt = from + (done + offset) * step;
      const talk = 300 + Math.floor(random() * 1500);
      const id = randomUUID();
      if ((done + offset) % 997 === 0) sampleIds.push(id);
      const adviserId = pick(adviserIds);
      if ((done + offset) % 50 === 7) {
        reviewed.push({ id, adviserId, completedAt: new Date(completedAt).toISOString() });
      }
      return {
        id,
        adviser_id: adviserId,
        desk_id: 'bench',
        channel: random() < 0.85 ? 'voice' : 'webchat',
        contact_ref: id,
        received_at: new Date(completedAt).toISOString(),
        started_at: new Date(completedAt - (talk + 200) * 1000).toISOString(),
        completed_at: new Date(completedAt).toISOString(),
        talk_seconds: talk,
        starting_status: random() < 0.8 ? pick(currentStatuses) : null,
        follow_up_booked: random() < 0.3 ? 1 : 0,
        safeguarding_raised: random() < 0.01 ? 1 : 0,
        within_remit: random() < 0.95 ? 1 : 0,
        transcript_sent: random() < 0.4 ? 1 : 0,
        not_covered_stages: random() < 0.2 ? '["skillsCheck"]' : '[]',
        search_text: null,
        record_json: '{}',
        completed_hour: londonHour(completedAt),
        answer_seconds: Math.floor(random() * 60),
        hold_seconds: random() < 0.3 ? Math.floor(random() * 120) : 0,
        wrap_seconds: 30 + Math.floor(random() * 200),
        follow_up_offered: random() < 0.8 ? 1 : 0,
        transcript_offered: random() < 0.7 ? 1 : 0,
        service_questions_skipped: random() < 0.1 ? 1 : 0,
      };
    });
    await db.insertInto('interactions').values(rows).execute();
    done += size;
    if (done % 100_000 === 0 || done === count) {
      const seconds = (performance.now() - started) / 1000;
      log(
        `dashboard:   ${engine}: ${done.toLocaleString('en-GB')} interactions written (${Math.round(done / seconds).toLocaleString('en-GB')}/s)`,
      );
    }
  }
  const followUps = Math.round(count * 0.3);
  let followUpCalls = 0;
  for (let done = 0; done < followUps;) {
    const size = Math.min(insertBatch, followUps - done);
    const rows = Array.from({ length: size }, (_, offset) => {
      const created = from + ((done + offset) / followUps) * (to - from);
      const id = randomUUID();
      return {
        id,
        interaction_id: randomUUID(),
        adviser_id: pick(adviserIds),
        slot_start: new Date(created + (28 + Math.floor(random() * 70)) * 86_400_000).toISOString(),
        contact_method: 'phone',
        created_at: new Date(created).toISOString(),
        received_at: new Date(created).toISOString(),
        booking_json: '{}',
      };
    });
    const calls = rows
      .filter(() => random() < 0.6)
      .map((booking) => {
        const completedAt = Date.parse(booking.slot_start) + 15 * 60_000;
        const talk = 300 + Math.floor(random() * 600);
        const callId = randomUUID();
        return {
          id: callId,
          adviser_id: booking.adviser_id,
          desk_id: 'bench',
          channel: 'voice',
          contact_ref: callId,
          received_at: new Date(completedAt).toISOString(),
          started_at: new Date(completedAt - (talk + 60) * 1000).toISOString(),
          completed_at: new Date(completedAt).toISOString(),
          talk_seconds: talk,
          starting_status: null,
          follow_up_booked: 0,
          safeguarding_raised: 0,
          within_remit: 1,
          transcript_sent: 0,
          not_covered_stages: '[]',
          search_text: null,
          record_json: '{}',
          completed_hour: londonHour(completedAt),
          answer_seconds: null,
          hold_seconds: 0,
          wrap_seconds: 60,
          follow_up_offered: 0,
          transcript_offered: 0,
          service_questions_skipped: 0,
          follow_up_booking_id: booking.id,
          follow_up_change: pick(['better', 'better', 'same', 'worse'] as const),
          follow_up_status_first: random() < 0.3 ? ('neet' as const) : pick(currentStatuses),
          follow_up_status_now: pick(currentStatuses),
          // Who the customer was at first contact (migration 023), for the outcome breakdowns.
          customer_age_group: pick(ageGroups),
          customer_region: pick(regionGroups),
        };
      });
    await db.insertInto('follow_ups').values(rows).execute();
    if (calls.length > 0) await db.insertInto('interactions').values(calls).execute();
    followUpCalls += calls.length;
    done += size;
  }
  const abandoned = Math.round(count * 0.05);
  for (let done = 0; done < abandoned;) {
    const size = Math.min(insertBatch, abandoned - done);
    const rows = Array.from({ length: size }, (_, offset) => {
      const left = from + ((done + offset) / abandoned) * (to - from);
      const waited = Math.floor(random() * 180_000);
      return {
        kind: random() < 0.85 ? ('call' as const) : ('chat' as const),
        contact_id: randomUUID(),
        queued_at: new Date(left - waited).toISOString(),
        left_at: new Date(left).toISOString(),
        waited_ms: waited,
        left_hour: londonHour(left),
      };
    });
    await db.insertInto('queue_abandonments').values(rows).execute();
    done += size;
  }
  log(
    `dashboard:   ${engine}: ${followUps.toLocaleString('en-GB')} follow-ups (${followUpCalls.toLocaleString('en-GB')} follow-up calls completed) and ${abandoned.toLocaleString('en-GB')} abandonments written`,
  );
  await writeQualityReviews(storage, reviewed, leader.id, pick);
  log(
    `dashboard:   ${engine}: ${reviewed.length.toLocaleString('en-GB')} published quality reviews written (next steps good reads them)`,
  );
  const summaryStarted = performance.now();
  await summariseHeldInteractions(db);
  log(
    `dashboard:   ${engine}: summary built from the held rows (migration 020's back-fill) in ${((performance.now() - summaryStarted) / 1000).toFixed(1)} s`,
  );
  // What a maintained database has: planner statistics and (PostgreSQL) a
  // current visibility map, which an index-only scan needs.
  if (engine === 'sqlite') await sql`ANALYZE`.execute(db);
  else {
    await sql`VACUUM ANALYZE interactions`.execute(db);
    await sql`VACUUM ANALYZE queue_abandonments`.execute(db);
    await sql`VACUUM ANALYZE follow_ups`.execute(db);
    await sql`VACUUM ANALYZE dashboard_hours`.execute(db);
    await sql`VACUUM ANALYZE dashboard_days`.execute(db);
    await sql`VACUUM ANALYZE quality_reviews`.execute(db);
  }
  return { adviserIds, sampleIds, to };
}

/** Each part of a figures answer, timed over `runs` questions of one kind. */
async function timeParts(
  storage: Storage,
  question: (index: number) => DashboardQueryInput,
): Promise<{ parts: Map<FigurePart, Timing>; whole: Timing }> {
  const samples = new Map<FigurePart, number[]>(figureParts.map((part) => [part, []]));
  const whole: number[] = [];
  const ask = async (index: number, record: boolean) => {
    const started = performance.now();
    await dashboardFigures(
      storage.dashboard,
      storage.quality,
      dashboardQuerySchema.parse(question(index)),
      async (part, work) => {
        const partStarted = performance.now();
        const value = await work();
        if (record) samples.get(part)?.push(performance.now() - partStarted);
        return value;
      },
    );
    if (record) whole.push(performance.now() - started);
  };
  // One untimed run first: the first query of a kind pays for planning and cold pages.
  await ask(-1, false);
  for (let index = 0; index < runs; index += 1) await ask(index, true);
  return {
    parts: new Map([...samples].map(([part, values]) => [part, percentiles(values)])),
    whole: percentiles(whole),
  };
}

/** A queued call to the team leader's board, through a real server on the loaded database. */
async function boardLatency(dataDir: string, databaseUrl: string | null): Promise<Timing> {
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl,
    log: () => undefined,
  });
  try {
    const post = async (path: string, init: RequestInit) =>
      (await (await fetch(`${server.url}${path}`, { method: 'POST', ...init })).json()) as {
        value: { sessionToken: string; token: string };
      };
    const session = await post('/api/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-leader', password: demoPassword }),
    });
    const access = await post('/api/session/token', {
      headers: { authorization: `Bearer ${session.value.sessionToken}` },
    });
    const socket = io(server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: access.value.token, deskId: randomUUID() },
    });
    let waiting = -1;
    let heard: (() => void) | null = null;
    socket.on('dashboard:board', (board: { waiting: { voice: number } }) => {
      waiting = board.waiting.voice;
      heard?.();
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const key = readFileSync(join(dataDir, 'telephony.key'), 'utf8').trim();
    const samples: number[] = [];
    for (let run = 0; run < boardRuns; run += 1) {
      const before = waiting;
      const started = performance.now();
      const seen = new Promise<void>((resolve) => {
        heard = () => {
          if (waiting > before) resolve();
        };
      });
      await fetch(`${server.url}/api/telephony/queue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telephony-key': key },
        body: JSON.stringify({ cli: `0770090${String(1000 + run)}` }),
      });
      await seen;
      samples.push(performance.now() - started);
      // Apart from the last, past the 250 ms the owner coalesces pushes over.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    socket.close();
    return percentiles(samples);
  } finally {
    await server.close();
  }
}

export async function runDashboardBench(options: DashboardBenchOptions): Promise<void> {
  const count = options.interactions ?? 1_000_000;
  const { log } = options;
  const root = mkdtempSync(join(tmpdir(), 'adviser-bench-dashboard-'));
  const cluster = await startPostgresCluster({ durable: true });
  try {
    log(
      `dashboard: ${count.toLocaleString('en-GB')} interactions over ${years} years, ${advisers} advisers, ${Math.round(count * 0.3).toLocaleString('en-GB')} follow-ups; ${runs} timed runs of each figure`,
    );
    for (const engine of ['sqlite', 'postgres'] as const) {
      let databaseUrl: string | null = null;
      if (engine === 'postgres') {
        const client = new pg.Client({ connectionString: cluster.url });
        await client.connect();
        try {
          await client.query('CREATE DATABASE bench_dashboard');
        } finally {
          await client.end();
        }
        const url = new URL(cluster.url);
        url.pathname = '/bench_dashboard';
        databaseUrl = url.toString();
      }
      const dataDir = join(root, engine);
      mkdirSync(dataDir, { recursive: true });
      const storage = await openStorage({ dataDir, databaseUrl });
      let loaded: Awaited<ReturnType<typeof load>>;
      try {
        loaded = await load(engine, storage, count, log);
        const { db } = storage.database;
        const samples: number[] = [];
        for (let index = 0; index < runs; index += 1) {
          const id = loaded.sampleIds[index % loaded.sampleIds.length] ?? '';
          const started = performance.now();
          await db.selectFrom('interactions').select('id').where('id', '=', id).executeTakeFirst();
          samples.push(performance.now() - started);
        }
        const label = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
        log(
          `dashboard: ${label} (load average ${loadavg()
            .map((load) => load.toFixed(2))
            .join(', ')})`,
        );
        log(`dashboard:   baseline, primary-key lookup of one row: ${show(percentiles(samples))}`);
        const day = (instant: number) => new Date(instant).toISOString().slice(0, 10);
        const yearMs = 365 * 86_400_000;
        // Months and years ending at different points of the ten, so no run reads only a warm cache.
        const month = (index: number): DashboardQueryInput => {
          const end = loaded.to - (Math.abs(index) % 100) * 30 * 86_400_000;
          return { from: day(end - 30 * 86_400_000), to: day(end), granularity: 'day' };
        };
        const year = (index: number): DashboardQueryInput => {
          const end = loaded.to - (Math.abs(index) % (years - 1)) * yearMs;
          return { from: day(end - 364 * 86_400_000), to: day(end), granularity: 'month' };
        };
        for (const [name, question, limit] of [
          ['a month by day', month, null],
          ['a year by month', year, target.yearMs],
        ] as const) {
          const timing = await timeParts(storage, question);
          for (const part of figureParts) {
            const partTiming = timing.parts.get(part) ?? { p50: 0, p95: 0 };
            log(
              `dashboard:   ${name}, ${part.padEnd(24)} ${show(partTiming).padEnd(30)}${limit === null ? '' : ` target p95 < ${limit} ms: ${partTiming.p95 < limit ? 'met' : 'NOT met'}`}`,
            );
          }
          log(`dashboard:   ${name}, the whole answer          ${show(timing.whole)}`);
        }
      } finally {
        await storage.close();
      }
      const board = await boardLatency(dataDir, databaseUrl);
      log(
        `dashboard:   live board, call queued to team leader's board: ${show(board)}; target < ${target.boardMs} ms: ${board.p95 < target.boardMs ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    await cluster.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runDashboardBench({
    interactions: interactionsFromArguments(process.argv.slice(2)),
    log: (line) => console.log(line),
  });
}
