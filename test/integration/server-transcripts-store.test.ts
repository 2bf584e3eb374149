// The delivery store on a real SQLite file: claims are exclusive until their
// lease lapses, a transcript is recorded as sent once however many senders
// touched it, migrations 006 and 009 keep transcripts queued before them
// claimable (009 without the desk-made bodies), a claim carries the held
// record the sender composes from, and the queue hint fires. Also the backoff
// steps and the sink folder's index.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../server/storage/migrate';
import { serverMigrations } from '../../server/storage/migrations';
import {
  openSqliteStorage,
  serverDatabaseFile,
  type SqliteServerStorage,
} from '../../server/storage/sqlite';
import { MailFolder, mailIndexFile } from '../../server/transcripts/mail-folder';
import { mayRetry, retryDelayMs, type RetryPolicy } from '../../server/transcripts/retry';
import { resolveTranscriptSettings } from '../../server/transcripts/settings';
import { prepareTranscript } from '../../server/transcripts/compose';
import type { InteractionRecord } from '../../shared/interaction/record';
import { completedRecord } from '../unit/desk-fixtures';

let dataDir: string;
let storage: SqliteServerStorage;
let adviserId: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'adviser-transcript-store-'));
  storage = openSqliteStorage(dataDir);
  adviserId = storage.accounts.create({
    username: 'adviser',
    displayName: 'Alex Adviser',
    roles: ['adviser'],
    passwordHash: 'scrypt$test',
  }).id;
});

afterEach(() => {
  storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Queues a transcript the way ingest does: the record, then the request, in one applied item. */
function queueTranscript(address: string, receivedAt = '2026-11-20T10:30:00.000Z'): string {
  const base = completedRecord(randomUUID(), { adviserId });
  const record = {
    ...base,
    summary: { ...base.summary, transcript: { decision: 'send', via: 'email', address } },
  } satisfies InteractionRecord;
  storage.ingest.applyOnce(
    {
      deskId: 'desk-1',
      itemId: randomUUID(),
      kind: 'transcript.requested',
      stream: `interaction:${record.id}`,
      deliveredBy: adviserId,
      appliedAt: receivedAt,
    },
    (writer) => {
      writer.saveInteraction(record, receivedAt);
      writer.queueTranscript(
        { interactionId: record.id, via: 'email', address },
        adviserId,
        receivedAt,
      );
    },
  );
  return record.id;
}

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 11, minutes)).toISOString();

describe('the transcript delivery store', () => {
  it('hints when a transcript is queued', () => {
    let hints = 0;
    const stop = storage.transcriptDelivery.onQueued(() => (hints += 1));
    queueTranscript('a@example.com');
    expect(hints).toBe(1);
    stop();
    queueTranscript('b@example.com');
    expect(hints).toBe(1);
  });

  it('gives a transcript to one claim at a time until the lease lapses, and records it sent once', () => {
    const store = storage.transcriptDelivery;
    const id = queueTranscript('sam@example.com');
    expect(store.nextDueAt()).toBe('');

    const first = store.claimNext(at(0), at(5), 'claim-1');
    expect(first).toMatchObject({ interactionId: id, address: 'sam@example.com', attempts: 1 });
    // The claim carries the held record, which the sender composes the transcript from.
    expect(JSON.parse(first?.heldRecord ?? 'null')).toMatchObject({
      id,
      summary: { transcript: { decision: 'send', address: 'sam@example.com' } },
    });
    expect(store.claimNext(at(1), at(6), 'claim-2')).toBeNull();
    expect(store.nextDueAt()).toBe(at(5));

    // The first sender stalls past its lease; a second takes over.
    const second = store.claimNext(at(5), at(10), 'claim-2');
    expect(second).toMatchObject({ interactionId: id, attempts: 2 });
    expect(store.markSent(id, 'claim-1', at(6))).toBe(false);
    expect(store.markRetry(id, 'claim-1', 'late', at(20))).toBe(false);
    expect(store.markSent(id, 'claim-2', at(7))).toBe(true);
    expect(store.markSent(id, 'claim-2', at(8))).toBe(false);

    expect(storage.transcripts.list({ adviserId: null, limit: 10 })).toEqual([
      expect.objectContaining({ interactionId: id, status: 'sent', attempts: 2, sentAt: at(7) }),
    ]);
    expect(store.claimNext(at(30), at(35), 'claim-3')).toBeNull();
    expect(store.nextDueAt()).toBeNull();
  });

  it('holds a failed attempt until its retry time, then lists it as failing, and failed for good', () => {
    const store = storage.transcriptDelivery;
    const id = queueTranscript('retry@example.com');
    const claim = store.claimNext(at(0), at(5), 'claim-1');
    expect(claim).not.toBeNull();
    expect(store.markRetry(id, 'claim-1', '451 mailbox busy', at(2))).toBe(true);
    expect(store.claimNext(at(1), at(6), 'claim-2')).toBeNull();
    expect(store.nextDueAt()).toBe(at(2));
    expect(store.listFailing(10)).toEqual([
      expect.objectContaining({
        interactionId: id,
        status: 'queued',
        attempts: 1,
        lastError: '451 mailbox busy',
        nextAttemptAt: at(2),
      }),
    ]);

    expect(store.claimNext(at(2), at(7), 'claim-2')).toMatchObject({ attempts: 2 });
    expect(store.markFailed(id, 'claim-2', '451 still busy')).toBe(true);
    expect(store.claimNext(at(59), at(59), 'claim-3')).toBeNull();
    expect(store.listFailing(10)).toEqual([
      expect.objectContaining({
        status: 'failed',
        attempts: 2,
        lastError: '451 still busy',
        nextAttemptAt: null,
      }),
    ]);
  });

  it('claims the most overdue transcript first', () => {
    const store = storage.transcriptDelivery;
    const older = queueTranscript('older@example.com', '2026-11-20T10:00:00.000Z');
    const newer = queueTranscript('newer@example.com', '2026-11-20T10:10:00.000Z');
    expect(store.claimNext(at(0), at(5), 'c1')?.interactionId).toBe(older);
    expect(store.claimNext(at(0), at(5), 'c2')?.interactionId).toBe(newer);
  });
});

describe('migration 006', () => {
  it('keeps a transcript queued before it, due at once', () => {
    storage.close();
    rmSync(dataDir, { recursive: true, force: true });
    dataDir = mkdtempSync(join(tmpdir(), 'adviser-transcript-migration-'));
    const db = new Database(join(dataDir, serverDatabaseFile));
    const before = serverMigrations.findIndex(
      (migration) => migration.name === 'transcript-delivery',
    );
    expect(before).toBeGreaterThan(0);
    migrate(db, serverMigrations.slice(0, before));
    db.prepare(
      "INSERT INTO accounts VALUES ('a1', 'adviser', 'Alex Adviser', 'scrypt$x', '2026-11-20T10:00:00.000Z')",
    ).run();
    db.prepare(
      `INSERT INTO interactions (id, adviser_id, desk_id, channel, contact_ref, completed_at, received_at, record_json)
       VALUES ('i1', 'a1', 'd1', 'voice', 'call-1', '2026-11-20T10:20:00.000Z', '2026-11-20T10:21:00.000Z', '{}')`,
    ).run();
    db.prepare(
      `INSERT INTO transcripts (interaction_id, adviser_id, via, address, subject, body_text, body_html, requested_at)
       VALUES ('i1', 'a1', 'email', 'old@example.com', 'Plan', 'text', '<p>text</p>', '2026-11-20T10:21:00.000Z')`,
    ).run();
    db.close();

    storage = openSqliteStorage(dataDir);
    expect(storage.transcriptDelivery.claimNext(at(0), at(5), 'c1')).toMatchObject({
      interactionId: 'i1',
      address: 'old@example.com',
      attempts: 1,
    });
  });
});

describe('migration 009', () => {
  it('drops the desk-made bodies of transcripts queued before it, which are then composed from the record', () => {
    storage.close();
    rmSync(dataDir, { recursive: true, force: true });
    dataDir = mkdtempSync(join(tmpdir(), 'adviser-transcript-migration-'));
    const db = new Database(join(dataDir, serverDatabaseFile));
    const before = serverMigrations.findIndex(
      (migration) => migration.name === 'transcripts-composed-on-server',
    );
    expect(before).toBeGreaterThan(0);
    migrate(db, serverMigrations.slice(0, before));
    db.prepare(
      "INSERT INTO accounts VALUES ('a1', 'adviser', 'Alex Adviser', 'scrypt$x', '2026-11-20T10:00:00.000Z')",
    ).run();
    const base = completedRecord(randomUUID(), { adviserId: 'a1' });
    const record = {
      ...base,
      summary: {
        ...base.summary,
        nextSteps: { ...base.summary.nextSteps, mainPoints: 'Routes into animal care' },
        transcript: { decision: 'send', via: 'email', address: 'old@example.com' },
      },
    } satisfies InteractionRecord;
    db.prepare(
      `INSERT INTO interactions (id, adviser_id, desk_id, channel, contact_ref, completed_at, received_at, record_json)
       VALUES (?, 'a1', 'd1', 'voice', 'call-1', '2026-11-20T10:20:00.000Z', '2026-11-20T10:21:00.000Z', ?)`,
    ).run(record.id, JSON.stringify(record));
    db.prepare(
      `INSERT INTO transcripts (interaction_id, adviser_id, via, address, subject, body_text, body_html, requested_at)
       VALUES (?, 'a1', 'email', 'old@example.com', 'Account locked', 'Log in at once',
               '<a href="https://phish.example/login">Log in at once</a>', '2026-11-20T10:21:00.000Z')`,
    ).run(record.id);
    db.close();

    storage = openSqliteStorage(dataDir);
    const claimed = storage.transcriptDelivery.claimNext(at(0), at(5), 'c1');
    expect(claimed).toMatchObject({ interactionId: record.id, address: 'old@example.com' });
    if (!claimed) throw new Error('unreachable');
    const prepared = prepareTranscript(claimed);
    expect(prepared).toMatchObject({
      ok: true,
      value: {
        to: { via: 'email', address: 'old@example.com' },
        document: { subject: 'Your skills action plan from the careers helpline' },
      },
    });
    if (!prepared.ok) throw new Error('unreachable');
    expect(prepared.value.document.text).toContain('Routes into animal care');
    expect(prepared.value.document.html).not.toContain('phish.example');
    const reopened = new Database(join(dataDir, serverDatabaseFile), { readonly: true });
    const columns = reopened
      .prepare("SELECT name FROM pragma_table_info('transcripts')")
      .pluck()
      .all();
    reopened.close();
    expect(columns).not.toContain('body_text');
    expect(columns).not.toContain('body_html');
  });
});

describe('preparing a claimed transcript', () => {
  const claim = (address: string, transcript: unknown, via: 'email' | 'text' = 'email') => {
    const record = completedRecord(randomUUID(), { adviserId: 'a1' });
    return prepareTranscript({
      interactionId: record.id,
      via,
      address,
      heldRecord: JSON.stringify({ ...record, summary: { ...record.summary, transcript } }),
      attempts: 1,
      claimToken: 'c1',
    });
  };

  it('sends to the record’s own choice, normalised', () => {
    expect(
      claim('+447700900123', { decision: 'send', via: 'text', address: '07700 900123' }, 'text'),
    ).toMatchObject({ ok: true, value: { to: { via: 'text', address: '+447700900123' } } });
  });

  it('refuses, for good, an address the record does not hold, a record that asks for none, one that is gone, and an address held by an older server that no longer parses', () => {
    const sam = { decision: 'send', via: 'email', address: 'sam@example.com' };
    expect(claim('other@example.com', sam)).toMatchObject({ ok: false });
    expect(claim('sam@example.com', { decision: 'declined' })).toMatchObject({ ok: false });
    expect(
      prepareTranscript({
        interactionId: randomUUID(),
        via: 'email',
        address: 'sam@example.com',
        heldRecord: null,
        attempts: 1,
        claimToken: 'c1',
      }),
    ).toMatchObject({ ok: false });
    const listed = 'sam@example.com, boss@example.com';
    expect(claim(listed, { decision: 'send', via: 'email', address: listed })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/summary\.transcript\.address/) },
    });
  });
});

describe('the retry policy', () => {
  const policy: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 10_000, maxAttempts: 4 };

  it('doubles each step up to the cap, keeping at least half of each step', () => {
    expect([1, 2, 3, 4, 5, 40].map((attempts) => retryDelayMs(policy, attempts, () => 0))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
    expect(
      [1, 2, 3, 4, 5].map((attempts) => retryDelayMs(policy, attempts, () => 0.999999)),
    ).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });

  it('allows attempts up to the maximum', () => {
    expect([1, 3, 4, 5].map((attempts) => mayRetry(policy, attempts))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('transcript settings', () => {
  it('uses the sink by default and needs a From address for a real relay', () => {
    expect(resolveTranscriptSettings({})).toMatchObject({
      ok: true,
      value: { smtpUrl: null, sinkPort: 0, messageIdDomain: 'careers-helpline.localhost' },
    });
    expect(
      resolveTranscriptSettings({ smtpUrl: 'smtp://user:pass@relay.example:587' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/TRANSCRIPT_FROM/) },
    });
    expect(
      resolveTranscriptSettings({
        smtpUrl: 'smtp://user:pass@relay.example:587',
        from: 'Careers helpline <transcripts@helpline.example.org>',
        sinkPort: '2525',
      }),
    ).toMatchObject({
      ok: true,
      value: {
        smtpUrl: 'smtp://user:pass@relay.example:587',
        messageIdDomain: 'helpline.example.org',
        sinkPort: 2525,
      },
    });
    for (const bad of [
      { smtpUrl: 'http://relay.example' },
      { from: 'not an address' },
      { sinkPort: 'many' },
      { sinkPort: 70000 },
    ]) {
      expect(resolveTranscriptSettings(bad)).toMatchObject({ ok: false });
    }
  });
});

describe('the mail sink folder', () => {
  it('lists newest first and skips an index line torn by a crash', async () => {
    const folder = new MailFolder(dataDir, () => Date.parse('2026-11-20T12:00:00.000Z'));
    const first = await folder.keepText({
      to: '07700 900123',
      subject: 'Your plan',
      body: 'First\n\nwith a blank line',
      reference: '<one@example>',
    });
    const second = await folder.keepText({
      to: '07700 900456',
      subject: 'Your plan',
      body: 'Second',
      reference: '<two@example>',
    });
    appendFileSync(join(folder.dir, mailIndexFile), '{"id":"torn');
    expect((await folder.list(10)).map((entry) => entry.id)).toEqual([second.id, first.id]);

    // The next start ends the torn line, so what is kept after it is listed.
    const reopened = new MailFolder(dataDir, () => Date.parse('2026-11-20T12:01:00.000Z'));
    const third = await reopened.keepText({
      to: '07700 900789',
      subject: 'Your plan',
      body: 'Third',
      reference: '<three@example>',
    });
    expect((await reopened.list(10)).map((entry) => entry.id)).toEqual([
      third.id,
      second.id,
      first.id,
    ]);
    expect(await reopened.read(first.id)).toMatchObject({
      entry: { channel: 'text', to: ['07700 900123'] },
      text: 'First\n\nwith a blank line',
    });
    expect(await folder.read(randomUUID())).toBeNull();
  });
});
