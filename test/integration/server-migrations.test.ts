// The central server's migrations on both engines: an empty database is
// brought up to date, every migration keeps the rows stored before it (each
// has a data case below, and a migration without one fails this suite), the
// two engines end with the same tables and columns, and a database whose
// history is not a prefix of the known list is refused.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationMismatchError } from '../../shared/storage/migration-plan';
import { openPostgresDatabase, type ServerDatabase } from '../../server/storage/database';
import { appliedMigrations, migrate } from '../../server/storage/migrate';
import { postgresLimits, signInLimitsTable } from '../../server/auth/sign-in-attempts';
import { serverMigrations } from '../../server/storage/migrations';
import { schemaChange, type ServerMigration } from '../../server/storage/migrations/types';
import { openStorage } from '../../server/storage/storage';
import { KyselyHistory } from '../../server/storage/history';
import { searchTextFor } from '../../server/history/indexer';
import { postgresAvailable } from '../support/postgres';
import {
  describeEachEngine,
  engines,
  openTestDatabase,
  testDatabase,
  type TestDatabase,
} from '../support/storage';
import { completedRecord } from '../unit/desk-fixtures';
import { followUpRecord } from '../unit/follow-up-call-script';

const allVersions = serverMigrations.map((migration) => migration.version);
const nextVersion = (allVersions.at(-1) ?? 0) + 10;
const at = '2026-11-20T10:00:00.000Z';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema as it stood before each migration
type AnyDb = Kysely<any>;

/**
 * A record as a desk delivered it, for rows written before migration 011: its
 * backfill reads every held record, as it would on a real server.
 */
const heldRecordJson = JSON.stringify(completedRecord(randomUUID()));

/** The adviser most data cases hold their rows for, as the accounts table has always stored one. */
const holdAlex = (db: AnyDb) =>
  sql`insert into accounts values ('a1', 'demo-adviser', 'Alex Adviser', 'scrypt$x', ${at})`.execute(
    db,
  );

const rows = async (db: AnyDb, query: ReturnType<typeof sql>) =>
  (await query.execute(db)).rows as Record<string, unknown>[];

/**
 * One case per migration: `seed` writes rows with the schema as it stood just
 * before the migration; `check` reads them back after it, and uses what it added.
 */
const dataCases: Record<
  string,
  { seed(db: AnyDb): Promise<void>; check(db: AnyDb): Promise<void> }
> = {
  accounts: {
    seed: async () => undefined,
    async check(db) {
      await sql`insert into accounts values ('a1', 'Demo-Adviser', 'Alex Adviser', 'scrypt$x', ${at})`.execute(
        db,
      );
      await sql`insert into account_roles values ('a1', 'adviser')`.execute(db);
      await expect(
        sql`insert into accounts values ('a2', 'demo-adviser', 'Another', 'scrypt$y', ${at})`.execute(
          db,
        ),
      ).rejects.toThrow();
    },
  },
  ingest: {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into sessions values ('hash', 'a1', ${at}, '2026-11-20T22:00:00.000Z')`.execute(
        db,
      );
    },
    async check(db) {
      expect(await rows(db, sql`select account_id from sessions`)).toEqual([{ account_id: 'a1' }]);
      await sql`insert into interactions values ('i1', 'a1', 'd1', 'voice', 'c1', ${at}, ${at}, ${heldRecordJson})`.execute(
        db,
      );
    },
  },
  calls: {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into interactions values ('i1', 'a1', 'd1', 'voice', 'c1', ${at}, ${at}, ${heldRecordJson})`.execute(
        db,
      );
    },
    async check(db) {
      expect(await rows(db, sql`select id from interactions`)).toEqual([{ id: 'i1' }]);
      await sql`insert into calls (id, adviser_id, offered_at) values ('c1', 'a1', ${at})`.execute(
        db,
      );
      // The new table refers to the kept accounts.
      await expect(
        sql`insert into calls (id, adviser_id, offered_at) values ('c2', 'nobody', ${at})`.execute(
          db,
        ),
      ).rejects.toThrow(/foreign key/i);
    },
  },
  transcripts: {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into calls (id, adviser_id, offered_at) values ('c1', 'a1', ${at})`.execute(
        db,
      );
    },
    async check(db) {
      expect(await rows(db, sql`select id, adviser_id from calls`)).toEqual([
        { id: 'c1', adviser_id: 'a1' },
      ]);
      await sql`insert into transcripts (interaction_id, adviser_id, via, address, subject, body_text, body_html, requested_at)
        values ('i1', 'a1', 'email', 'sam@example.org', 'Your plan', 'text', '<p>html</p>', ${at})`.execute(
        db,
      );
      expect(await rows(db, sql`select status, attempts from transcripts`)).toEqual([
        { status: 'queued', attempts: 0 },
      ]);
    },
  },
  knowledge: {
    async seed(db) {
      await holdAlex(db);
    },
    async check(db) {
      await sql`insert into knowledge_article_versions (article_id, status, content_json, written_at)
        values ('k1', 'published', '{}', ${at}), ('k2', 'published', '{}', ${at})`.execute(db);
      expect(
        await rows(db, sql`select version from knowledge_article_versions order by version`),
      ).toEqual([{ version: 1 }, { version: 2 }]);
      await sql`insert into knowledge_drafts (draft_id, article_id, author_id, content_json, note, edited_at, submitted_at)
        values ('d1', 'k1', 'a1', '{}', 'note', ${at}, ${at})`.execute(db);
    },
  },
  'transcript-delivery': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into transcripts (interaction_id, adviser_id, via, address, subject, body_text, body_html, requested_at, status, attempts)
        values ('i1', 'a1', 'email', 'sam@example.org', 'Your plan', 'text', '<p>html</p>', ${at}, 'queued', 1)`.execute(
        db,
      );
    },
    async check(db) {
      expect(
        await rows(
          db,
          sql`select interaction_id, attempts, next_attempt_at, claim_token from transcripts`,
        ),
      ).toEqual([{ interaction_id: 'i1', attempts: 1, next_attempt_at: null, claim_token: null }]);
    },
  },
  chat: {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into knowledge_article_versions (article_id, status, content_json, written_at)
        values ('k1', 'published', '{}', ${at})`.execute(db);
    },
    async check(db) {
      expect(await rows(db, sql`select article_id from knowledge_article_versions`)).toEqual([
        { article_id: 'k1' },
      ]);
      await sql`insert into chats (id, resume_token_hash, customer_name, status, queued_at, position_at_join, adviser_id)
        values ('ch1', 'h', 'Sam', 'connected', ${at}, 1, 'a1')`.execute(db);
      await sql`insert into chat_messages values ('ch1', 1, 'customer', 'm1', 'Sam', 'Hello', ${at})`.execute(
        db,
      );
      expect(await rows(db, sql`select last_seq from chats`)).toEqual([{ last_seq: 0 }]);
    },
  },
  'safeguarding-and-call-recordings': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into calls (id, adviser_id, offered_at, ended_at, ended_by)
        values ('c1', 'a1', ${at}, '2026-11-20T10:09:00.000Z', 'customer')`.execute(db);
    },
    async check(db) {
      expect(await rows(db, sql`select id, ended_by, recording_ref from calls`)).toEqual([
        { id: 'c1', ended_by: 'customer', recording_ref: null },
      ]);
      const concern = sql`insert into safeguarding_concerns (id, interaction_id, adviser_id, category, immediate_risk, what_was_said, raised_at, received_at, received_via)
        values ('s1', 'i1', 'a1', 'bullying', 0, '', ${at}, ${at}, 'live')`;
      await concern.execute(db);
      await expect(concern.execute(db)).rejects.toThrow(/unique|primary key|duplicate/i);
      await expect(
        sql`update safeguarding_concerns set acknowledged_by = 'a1' where id = 's1'`.execute(db),
      ).rejects.toThrow(/check/i);
    },
  },
  'transcripts-composed-on-server': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into transcripts (interaction_id, adviser_id, via, address, subject, body_text, body_html, requested_at, status, attempts, sent_at)
        values ('i1', 'a1', 'email', 'sam@example.org', 'Your plan', 'text', '<p>html</p>', ${at}, 'sent', 1, ${at})`.execute(
        db,
      );
    },
    async check(db) {
      expect(await rows(db, sql`select interaction_id, status, sent_at from transcripts`)).toEqual([
        { interaction_id: 'i1', status: 'sent', sent_at: at },
      ]);
      await expect(sql`select body_text from transcripts`.execute(db)).rejects.toThrow();
    },
  },
  'knowledge-search': {
    async seed(db) {
      await holdAlex(db);
      const content = (title: string, body: string) => JSON.stringify({ title, body });
      await sql`insert into knowledge_article_versions (article_id, status, content_json, written_at) values
        ('k1', 'published', ${content('Apprenticeships', 'Earn while you learn a trade.')}, ${at}),
        ('k2', 'retired', ${content('Old scheme', 'An apprenticeship scheme that closed.')}, ${at})`.execute(
        db,
      );
      await sql`insert into knowledge_articles values
        ('k1', 1, 'published', 'Apprenticeships', '2027-01-01'),
        ('k2', 2, 'retired', 'Old scheme', '2027-01-01')`.execute(db);
    },
    async check(db) {
      // Articles held before the migration are found after it; a retired one is not.
      const found = await sql<{ id: string }>`select a.id from knowledge_articles a
        where a.version in (${sql.raw(searchVersions())})`.execute(db);
      expect(found.rows).toEqual([{ id: 'k1' }]);
    },
  },
  'interaction-history': {
    async seed(db) {
      await holdAlex(db);
      // Two records held before: one written with an offset, one web chat with
      // a phone number typed in its chat and a word to find in its notes.
      const voice = completedRecord(randomUUID(), {
        adviserId: 'a1',
        startedAt: '2026-06-01T10:00:00+01:00',
        completedAt: '2026-06-01T10:30:00+01:00',
      });
      voice.summary.call = {
        ...voice.summary.call,
        connectedAt: '2026-06-01T09:00:30.000Z',
        endedAt: '2026-06-01T09:25:30.000Z',
      };
      const chat = completedRecord(randomUUID(), {
        adviserId: 'a1',
        channel: 'webchat',
        startedAt: '2026-06-02T10:00:00.000Z',
        completedAt: '2026-06-02T10:30:00.000Z',
      });
      chat.summary = {
        ...chat.summary,
        notes: { nextSteps: 'Talked through electrician apprenticeships.' },
        notCovered: { skillsCheck: 'Customer left the chat' },
        call: { ...chat.summary.call, connectedAt: '2026-06-02T10:00:05.000Z', endedAt: null },
        chat: [
          {
            seq: 1,
            from: 'customer',
            text: 'my number is 07700 900456',
            at: '2026-06-02T10:01:00.000Z',
          },
        ],
      };
      await sql`insert into interactions values
        ('old-voice', 'a1', 'd1', 'voice', 'c1', ${voice.completedAt}, ${at}, ${JSON.stringify(voice)}),
        ('old-chat', 'a1', 'd1', 'webchat', 'c2', ${chat.completedAt}, ${at}, ${JSON.stringify(chat)}),
        ('unreadable', 'a1', 'd1', 'voice', 'c0', '2026-05-01T10:00:00.000Z', ${at}, '{}')`.execute(
        db,
      );
    },
    async check(db) {
      expect(
        await rows(
          db,
          sql`select id, started_at, completed_at, channel, talk_seconds, follow_up_booked,
            safeguarding_raised, within_remit, transcript_sent, not_covered_stages
            from interactions order by completed_at`,
        ),
      ).toEqual([
        // A record that does not parse is kept with what its own row said, and no words.
        {
          id: 'unreadable',
          started_at: '2026-05-01T10:00:00.000Z',
          completed_at: '2026-05-01T10:00:00.000Z',
          channel: 'voice',
          talk_seconds: null,
          follow_up_booked: 0,
          safeguarding_raised: 0,
          within_remit: null,
          transcript_sent: 0,
          not_covered_stages: '[]',
        },
        {
          id: 'old-voice',
          started_at: '2026-06-01T09:00:00.000Z',
          completed_at: '2026-06-01T09:30:00.000Z',
          channel: 'voice',
          talk_seconds: 25 * 60,
          follow_up_booked: 0,
          safeguarding_raised: 0,
          within_remit: null,
          transcript_sent: 0,
          not_covered_stages: '[]',
        },
        {
          id: 'old-chat',
          started_at: '2026-06-02T10:00:00.000Z',
          completed_at: '2026-06-02T10:30:00.000Z',
          channel: 'webchat',
          // Never ended before wrap-up: counted to completion.
          talk_seconds: 30 * 60 - 5,
          follow_up_booked: 0,
          safeguarding_raised: 0,
          within_remit: null,
          transcript_sent: 0,
          not_covered_stages: '["skillsCheck"]',
        },
      ]);
      // The held text waits for the history indexer, as a new record's does.
      expect(
        await rows(db, sql`select id from interactions where search_text is not null`),
      ).toEqual([]);
      expect(await rows(db, sql.raw(historySearch('electrician')))).toEqual([]);
      // Once it has been by, the words are found and the number typed in the chat is not.
      const history = new KyselyHistory({
        db,
        engine: migrationEngine,
        afterCommit: (effect) => effect(),
      });
      expect(await history.indexSearchText(searchTextFor, 10)).toBe(3);
      expect(await rows(db, sql.raw(historySearch('electrician')))).toEqual([{ id: 'old-chat' }]);
      expect(await rows(db, sql.raw(historySearch('900456')))).toEqual([]);
      // New rows are numbered after the held ones and indexed as they are written.
      await sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
          completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
          safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text, record_json)
        values ('new', 'a1', 'd1', 'voice', 'c3', ${at}, ${at}, ${at}, 60, 'neet', 1, 0, 1, 0, '[]',
          'Plumbing course at the local college', '{}')`.execute(db);
      expect(await rows(db, sql.raw(historySearch('plumbing')))).toEqual([{ id: 'new' }]);
      const numbered = await rows(db, sql`select id, seq from interactions order by seq`);
      expect(numbered.map((row) => row.id).at(-1)).toBe('new');
      await sql`insert into personal_data_views values ('v1', 'old-chat', 'a1', 'Checking the callback number', ${at})`.execute(
        db,
      );
    },
  },
  'training-library': {
    async seed(db) {
      await sql`insert into accounts values ('a1', 'demo-trainer', 'Tess Trainer', 'scrypt$x', ${at})`.execute(
        db,
      );
      await sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
          completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
          safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text, record_json)
        values ('held', 'a1', 'd1', 'voice', 'c1', ${at}, ${at}, ${at}, 60, 'neet', 0, 0, 1, 0, '[]',
          null, '{}')`.execute(db);
    },
    async check(db) {
      // The held interaction is untouched and can enter the library with its tags and marks.
      expect(await rows(db, sql`select id from interactions`)).toEqual([{ id: 'held' }]);
      await sql`insert into training_entries values ('held', 'Good barriers', '', 'awaiting_clearance',
        'a1', ${at}, null, null, null)`.execute(db);
      await sql`insert into training_tags values ('held', 'barriers')`.execute(db);
      await sql`insert into training_marks values ('m1', 'held', ${at}, 'bookmark', 'Open question',
        'a1', ${at})`.execute(db);
      expect(
        await rows(
          db,
          sql`select t.title, g.tag, m.text from training_entries t
            join training_tags g on g.interaction_id = t.interaction_id
            join training_marks m on m.interaction_id = t.interaction_id`,
        ),
      ).toEqual([{ title: 'Good barriers', tag: 'barriers', text: 'Open question' }]);
      // An entry belongs to a held interaction, and its status is one the library knows.
      await expect(
        sql`insert into training_entries values ('gone', 'Nothing', '', 'awaiting_clearance',
          'a1', ${at}, null, null, null)`.execute(db),
      ).rejects.toThrow();
      await expect(
        sql`update training_entries set status = 'maybe' where interaction_id = 'held'`.execute(db),
      ).rejects.toThrow();
    },
  },
  'quality-review': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into accounts values ('l1', 'demo-leader', 'Taylor Leader', 'scrypt$y', ${at})`.execute(
        db,
      );
      await sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
          completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
          safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text, record_json)
        values ('held', 'a1', 'd1', 'voice', 'c1', ${at}, ${at}, ${at}, 60, 'neet', 0, 0, 1, 0, '[]',
          null, '{}')`.execute(db);
      await sql`insert into training_entries values ('held', 'Good barriers', '', 'cleared',
        'l1', ${at}, 'l1', ${at}, '')`.execute(db);
    },
    async check(db) {
      // What was held is untouched; a held interaction can be sampled, reviewed,
      // disputed and resolved, and flagged by its adviser.
      expect(await rows(db, sql`select title from training_entries`)).toEqual([
        { title: 'Good barriers' },
      ]);
      await sql`insert into quality_forms values ('interaction_quality', 1, 'published', 'Quality',
        '{}', ${at})`.execute(db);
      await sql`insert into quality_samples values ('s1', '2026-W47', 4294967295, 3, 1, 'abcd0123',
        '{}', '{}', 'l1', ${at})`.execute(db);
      await sql`insert into quality_reviews (id, interaction_id, adviser_id, reviewer_id, form_id,
          form_version, purpose, calibration_session_id, sample_id, status, version, answers_json,
          score_json, percentage, passed, created_at, updated_at, published_at, acknowledged_at,
          acknowledged_version, acknowledgement)
        values ('r1', 'held', 'a1', 'l1', 'interaction_quality', 1, 'sample', null, 's1', 'published', 1,
          '[]', '{}', 82.8125, 1, ${at}, ${at}, ${at}, null, null, null)`.execute(db);
      await sql`insert into quality_sample_items values ('s1', 'held', 'a1', '["random"]', 'l1', 'r1')`.execute(
        db,
      );
      await sql`insert into quality_review_versions values ('r1', 1, 'published', '[]', '{}', 'l1',
        ${at}, 'Published')`.execute(db);
      await sql`insert into quality_disputes values ('r1', 'information_accurate', 'It was right', 'a1',
        ${at}, 'upheld', 'Checked', 'l1', ${at}, 2)`.execute(db);
      await sql`insert into quality_calibration_sessions values ('c1', 'November', 'interaction_quality',
        1, 'l1', ${at}, null, null)`.execute(db);
      await sql`insert into quality_reviews (id, interaction_id, adviser_id, reviewer_id, form_id,
          form_version, purpose, calibration_session_id, sample_id, status, version, answers_json,
          score_json, percentage, passed, created_at, updated_at, published_at, acknowledged_at,
          acknowledged_version, acknowledgement)
        values ('r2', 'held', 'a1', 'l1', 'interaction_quality', 1, 'calibration', 'c1', null, 'draft', 0,
          '[]', null, null, null, ${at}, ${at}, null, null, null, null)`.execute(db);
      await sql`insert into quality_flags values ('held', 'a1', 'Was I too quick?', ${at})`.execute(
        db,
      );
      expect(
        await rows(
          db,
          sql`select r.percentage, s.seed, d.outcome, f.note from quality_reviews r
            join quality_samples s on s.id = r.sample_id
            join quality_disputes d on d.review_id = r.id
            join quality_flags f on f.interaction_id = r.interaction_id`,
        ),
      ).toEqual([
        {
          percentage: 82.8125,
          // The largest seed a sample takes fits the column on both engines.
          seed: 4294967295,
          outcome: 'upheld',
          note: 'Was I too quick?',
        },
      ]);
      const review = (id: string, purpose: string, session: string | null, status = 'draft') =>
        sql`insert into quality_reviews (id, interaction_id, adviser_id, reviewer_id, form_id,
            form_version, purpose, calibration_session_id, sample_id, status, version, answers_json,
            score_json, percentage, passed, created_at, updated_at, published_at, acknowledged_at,
            acknowledged_version, acknowledgement)
          values (${id}, 'held', 'a1', 'l1', 'interaction_quality', 1, ${purpose}, ${session}, null,
            ${status}, 0, '[]', null, null, null, ${at}, ${at}, null, null, null, null)`.execute(
          db,
        );
      // One review of an interaction outside calibration; calibration reviews only in a session;
      // a published review has its score; a week is sampled once; a form version is kept once.
      await expect(review('r3', 'adhoc', null)).rejects.toThrow();
      await expect(review('r4', 'calibration', null)).rejects.toThrow();
      await expect(review('r5', 'calibration', 'c1', 'published')).rejects.toThrow();
      await expect(review('r6', 'sample', 'c1')).rejects.toThrow();
      await expect(
        sql`insert into quality_samples values ('s2', '2026-W47', 1, 3, 1, 'x', '{}', '{}', 'l1', ${at})`.execute(
          db,
        ),
      ).rejects.toThrow();
      await expect(
        sql`insert into quality_forms values ('interaction_quality', 1, 'draft', 'Again', '{}', ${at})`.execute(
          db,
        ),
      ).rejects.toThrow();
    },
  },
  'caller-lines': {
    async seed(db) {
      await holdAlex(db);
      for (const [id, cli] of [
        ['c1', '07700 900777'],
        ['c2', '+447700900777'],
        ['c3', null],
        ['c4', '+1 202 555 0143'],
      ] as const) {
        await sql`insert into calls (id, adviser_id, cli, offered_at) values (${id}, 'a1', ${cli}, ${at})`.execute(
          db,
        );
      }
    },
    async check(db) {
      // Every held call is keyed by its line, in one form whatever form it arrived in.
      expect(await rows(db, sql`select id, cli_key from calls order by id`)).toEqual([
        { id: 'c1', cli_key: '+447700900777' },
        { id: 'c2', cli_key: '+447700900777' },
        { id: 'c3', cli_key: null },
        { id: 'c4', cli_key: '+12025550143' },
      ]);
    },
  },
  'follow-up-calls': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into follow_ups values ('f1', 'i1', 'a1', '2026-12-22T10:00:00.000Z', 'phone',
        ${at}, ${at}, '{}')`.execute(db);
      await sql`insert into calls (id, adviser_id, cli, offered_at) values ('c1', 'a1', null, ${at})`.execute(
        db,
      );
    },
    async check(db) {
      // Bookings held before are open at their slot; calls held before were taken, not made.
      expect(
        await rows(db, sql`select id, status, slot_start, rebooked_at from follow_ups`),
      ).toEqual([
        { id: 'f1', status: 'open', slot_start: '2026-12-22T10:00:00.000Z', rebooked_at: null },
      ]);
      expect(await rows(db, sql`select direction from calls`)).toEqual([{ direction: 'inbound' }]);
      await sql`insert into follow_up_attempts values ('t1', 'f1', 'a1', 'c1', ${at}, 'morning', 0)`.execute(
        db,
      );
      await sql`insert into follow_up_messages values ('f1', 'no_answer', 'text', ${at})`.execute(
        db,
      );
      await expect(
        sql`insert into follow_up_messages values ('f1', 'no_answer', 'email', ${at})`.execute(db),
      ).rejects.toThrow();
      await expect(
        sql`update follow_ups set status = 'lost' where id = 'f1'`.execute(db),
      ).rejects.toThrow();
      await expect(
        sql`insert into follow_up_attempts values ('t2', 'f1', 'a1', 'c1', ${at}, 'night', 0)`.execute(
          db,
        ),
      ).rejects.toThrow();
    },
  },
  'service-dashboard': {
    async seed(db) {
      await holdAlex(db);
      // A summer call held before: answered 5 s after the offer, a minute on hold, a follow-up offered.
      const held = completedRecord(randomUUID(), {
        adviserId: 'a1',
        startedAt: '2026-06-01T22:40:00.000Z',
        completedAt: '2026-06-01T23:10:00.000Z',
      });
      held.summary = {
        ...held.summary,
        followUp: { decision: 'declined', at: '2026-06-01T23:00:00.000Z' },
        call: {
          ...held.summary.call,
          offeredAt: '2026-06-01T22:40:00.000Z',
          connectedAt: '2026-06-01T22:40:05.000Z',
          holds: [{ from: '2026-06-01T22:50:00.000Z', to: '2026-06-01T22:51:00.000Z' }],
          endedAt: '2026-06-01T23:05:00.000Z',
          wrapUpStartedAt: null,
        },
      };
      await sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
          completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
          safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text, record_json)
        values (${held.id}, 'a1', 'd1', 'voice', 'c1', ${held.startedAt}, ${held.completedAt}, ${at},
          1495, null, 0, 0, 1, 0, '[]', null, ${JSON.stringify(held)})`.execute(db);
      // One written by hand, whose record does not parse: it still counts in its hour.
      await sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
          completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
          safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text, record_json)
        values ('by-hand', 'a1', 'd1', 'voice', 'c2', ${at}, ${at}, ${at}, null, null, 0, 0, null, 0,
          '[]', null, '{}')`.execute(db);
      await sql`insert into queue_abandonments values ('call', 'q1', '2026-06-01T22:59:00.000Z',
        '2026-06-01T23:00:00.000Z', 60000)`.execute(db);
    },
    async check(db) {
      // Buckets are London hours: 23:10 UTC on 1 June is 00:10 BST on the 2nd.
      expect(
        await rows(
          db,
          sql`select id, completed_hour, answer_seconds, hold_seconds, wrap_seconds, follow_up_offered,
            transcript_offered, service_questions_skipped from interactions order by completed_hour`,
        ),
      ).toEqual([
        {
          id: expect.any(String),
          completed_hour: '2026-06-02T00',
          answer_seconds: 5,
          hold_seconds: 60,
          wrap_seconds: 300,
          follow_up_offered: 1,
          transcript_offered: 0,
          service_questions_skipped: 0,
        },
        {
          id: 'by-hand',
          completed_hour: '2026-11-20T10',
          answer_seconds: null,
          hold_seconds: null,
          wrap_seconds: null,
          follow_up_offered: 0,
          transcript_offered: 0,
          service_questions_skipped: 0,
        },
      ]);
      expect(await rows(db, sql`select left_hour from queue_abandonments`)).toEqual([
        { left_hour: '2026-06-02T00' },
      ]);
      await sql`insert into improvement_actions values ('p1', 'Offer every follow-up', 'a1',
        'followUpOffered', '2026-06-01', '2026-09-30', 'a1', ${at})`.execute(db);
      await expect(
        sql`insert into improvement_actions values ('p2', 'Nobody owns this', 'nobody',
          'serviceLevel', '2026-06-01', '2026-09-30', 'a1', ${at})`.execute(db),
      ).rejects.toThrow();
    },
  },
  'quality-forms-targets-reassignment': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into accounts values ('l1', 'demo-leader', 'Taylor Leader', 'scrypt$y', ${at})`.execute(
        db,
      );
      await sql`insert into accounts values ('l2', 'demo-leader-2', 'Robin Leader', 'scrypt$z', ${at})`.execute(
        db,
      );
      await sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
          completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
          safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text, record_json)
        values ('held', 'a1', 'd1', 'voice', 'c1', ${at}, ${at}, ${at}, 60, 'neet', 0, 0, 1, 0, '[]',
          null, '{}')`.execute(db);
      await sql`insert into quality_forms values ('interaction_quality', 1, 'published', 'Quality',
        '{"kept":true}', ${at})`.execute(db);
      await sql`insert into quality_reviews (id, interaction_id, adviser_id, reviewer_id, form_id,
          form_version, purpose, calibration_session_id, sample_id, status, version, answers_json,
          score_json, percentage, passed, created_at, updated_at, published_at, acknowledged_at,
          acknowledged_version, acknowledgement)
        values ('r1', 'held', 'a1', 'l1', 'interaction_quality', 1, 'adhoc', null, null, 'draft', 0,
          '[]', null, null, null, ${at}, ${at}, null, null, null, null)`.execute(db);
    },
    async check(db) {
      // A form held before keeps its content, with nobody named as its saver or publisher.
      expect(
        await rows(
          db,
          sql`select version, status, form_json, saved_by, saved_at, published_by, published_at
            from quality_forms`,
        ),
      ).toEqual([
        {
          version: 1,
          status: 'published',
          form_json: '{"kept":true}',
          saved_by: null,
          saved_at: null,
          published_by: null,
          published_at: null,
        },
      ]);
      // The editor's next version names who saved and published it; only staff can be named.
      await sql`insert into quality_forms values ('interaction_quality', 2, 'published', 'Quality',
        '{}', ${at}, 'l2', ${at}, 'l1', ${at})`.execute(db);
      await expect(
        sql`insert into quality_forms values ('interaction_quality', 3, 'draft', 'Quality', '{}',
          ${at}, 'nobody', ${at}, null, null)`.execute(db),
      ).rejects.toThrow(/foreign key/i);

      // The held review can be passed from one team leader to another, never to the same one.
      await sql`insert into quality_review_reassignments values ('m1', 'r1', 'l1', 'l2', 'l2', ${at},
        'Away this week')`.execute(db);
      await expect(
        sql`insert into quality_review_reassignments values ('m2', 'r1', 'l2', 'l2', 'l1', ${at},
          'Nowhere')`.execute(db),
      ).rejects.toThrow();

      // Targets: an item's pass rate names its item, others none; due after the start; a
      // withdrawal names who withdrew it.
      await sql`insert into quality_targets values ('t1', 'a1', 'item_pass_rate', 'follow_up_offered',
        90, '2026-11-02', '2027-01-31', 'Offer every follow-up', 'l1', ${at}, null, null, null)`.execute(
        db,
      );
      await sql`insert into quality_targets values ('t2', 'a1', 'average_score', null, 82.5,
        '2026-11-02', '2027-01-31', 'Lift the score', 'l1', ${at}, 'l2', ${at}, 'Replaced')`.execute(
        db,
      );
      for (const bad of [
        sql`insert into quality_targets values ('t3', 'a1', 'item_pass_rate', null, 90,
          '2026-11-02', '2027-01-31', 'No item', 'l1', ${at}, null, null, null)`,
        sql`insert into quality_targets values ('t4', 'a1', 'average_score', 'status_captured', 90,
          '2026-11-02', '2027-01-31', 'An item', 'l1', ${at}, null, null, null)`,
        sql`insert into quality_targets values ('t5', 'a1', 'average_score', null, 90,
          '2027-01-31', '2026-11-02', 'Backwards', 'l1', ${at}, null, null, null)`,
        sql`insert into quality_targets values ('t6', 'a1', 'average_score', null, 90,
          '2026-11-02', '2027-01-31', 'Withdrawn by nobody', 'l1', ${at}, null, ${at}, 'Why')`,
        sql`insert into quality_targets values ('t7', 'a1', 'speed', null, 90,
          '2026-11-02', '2027-01-31', 'Not a measure', 'l1', ${at}, null, null, null)`,
      ]) {
        await expect(bad.execute(db)).rejects.toThrow();
      }
      expect(
        await rows(
          db,
          sql`select t.id, t.target_percent, m.to_reviewer, r.reviewer_id from quality_targets t
            join quality_reviews r on r.adviser_id = t.adviser_id
            join quality_review_reassignments m on m.review_id = r.id
            order by t.id`,
        ),
      ).toEqual([
        { id: 't1', target_percent: 90, to_reviewer: 'l2', reviewer_id: 'l1' },
        { id: 't2', target_percent: 82.5, to_reviewer: 'l2', reviewer_id: 'l1' },
      ]);
    },
  },
  'follow-up-outcomes': {
    async seed(db) {
      await holdAlex(db);
      // A follow-up interaction held before: NEET at first contact, at college now, better.
      const followUp = followUpRecord({
        adviserId: 'a1',
        statusAtFirstContact: 'neet',
        statusNow: 'college',
      });
      // A guidance interaction, and one whose review does not parse.
      const guidance = completedRecord(randomUUID(), { adviserId: 'a1' });
      const insert = (id: string, completedAt: string, json: string) =>
        sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
            completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
            safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text,
            record_json, completed_hour, follow_up_offered, transcript_offered,
            service_questions_skipped)
          values (${id}, 'a1', 'd1', 'voice', ${id}, ${completedAt}, ${completedAt}, ${at}, 60,
            null, 0, 0, null, 0, '[]', null, ${json}, '2025-05-27T10', 0, 0, 0)`.execute(db);
      await insert(followUp.id, followUp.completedAt, JSON.stringify(followUp));
      await insert(guidance.id, guidance.completedAt, JSON.stringify(guidance));
      await insert('broken', at, '{"followUpOf": {"bookingId": "not a booking"}}');
    },
    async check(db) {
      const held = await rows(
        db,
        sql`select id, follow_up_booking_id, follow_up_change, follow_up_status_first,
          follow_up_status_now from interactions order by follow_up_booking_id, id`,
      );
      expect(held.filter((row) => row.follow_up_booking_id !== null)).toEqual([
        {
          id: expect.any(String),
          follow_up_booking_id: '2a9e4c1b-5f3d-4e7a-8b6c-1d0f9e8a7b6c',
          follow_up_change: 'better',
          follow_up_status_first: 'neet',
          follow_up_status_now: 'college',
        },
      ]);
      expect(held.filter((row) => row.follow_up_booking_id === null)).toHaveLength(2);
      // The dashboard's index now tells follow-ups apart, and the outcomes have one of their own.
      const indexes = await rows(
        db,
        migrationEngine === 'sqlite'
          ? sql`select name from sqlite_master where type = 'index' and name like 'interactions_%' order by name`
          : sql`select indexname as name from pg_indexes where indexname like 'interactions_%' order by indexname`,
      );
      expect(indexes.map((row) => row.name)).toEqual(
        expect.arrayContaining(['interactions_dashboard', 'interactions_follow_up_outcomes']),
      );
      const outcomes = await rows(
        db,
        sql`select count(*) as completed from interactions
          where follow_up_booking_id is not null and follow_up_status_first = 'neet'
            and follow_up_status_now in ('college', 'employment')`,
      );
      expect(Number(outcomes[0]?.completed)).toBe(1);
    },
  },
  'remembered-chat-devices': {
    async seed(db) {
      await sql`insert into chats (id, resume_token_hash, customer_name, age, status, queued_at,
          position_at_join)
        values ('ch1', 'token-1', 'Jade', 15, 'ended', ${at}, 1)`.execute(db);
    },
    async check(db) {
      // A chat held before was never remembered; a new one keeps its device's hash and is found by it.
      expect(await rows(db, sql`select id, customer_name, device_key from chats`)).toEqual([
        { id: 'ch1', customer_name: 'Jade', device_key: null },
      ]);
      await sql`insert into chats (id, resume_token_hash, customer_name, age, status, queued_at,
          position_at_join, device_key)
        values ('ch2', 'token-2', 'Jade', 15, 'queued', ${at}, 1, 'hash-1')`.execute(db);
      expect(await rows(db, sql`select id from chats where device_key = 'hash-1'`)).toEqual([
        { id: 'ch2' },
      ]);
    },
  },
  'dashboard-summary': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into accounts values ('a2', 'demo-adviser-2', 'Sam Adviser', 'scrypt$y', ${at})`.execute(
        db,
      );
      // Held interactions with their dashboard columns: on 20 November two advisers
      // in the 10:00 hour (a1 on both channels), a1 again at 14:00; one in December;
      // and a follow-up call, which the summary leaves out.
      const insert = (
        id: string,
        adviser: string,
        channel: string,
        hour: string,
        answer: number | null,
        followUpBooking: string | null = null,
      ) =>
        sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
            completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
            safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text,
            record_json, completed_hour, answer_seconds, hold_seconds, wrap_seconds,
            follow_up_offered, transcript_offered, service_questions_skipped, follow_up_booking_id)
          values (${id}, ${adviser}, 'd1', ${channel}, ${id}, ${at}, ${at}, ${at}, 600,
            ${id === 'i1' ? 'neet' : null}, ${id === 'i1' ? 1 : 0}, 0, 1, 0,
            ${id === 'i3' ? '["skillsCheck"]' : '[]'}, null, '{}', ${hour}, ${answer}, 30, 60,
            1, 0, 0, ${followUpBooking})`.execute(db);
      await insert('i1', 'a1', 'voice', '2026-11-20T10', 5);
      await insert('i2', 'a1', 'webchat', '2026-11-20T10', 25);
      await insert('i3', 'a2', 'voice', '2026-11-20T10', null);
      await insert('i4', 'a1', 'voice', '2026-11-20T14', 20);
      await insert('i5', 'a2', 'voice', '2026-12-01T09', 1);
      await insert('f1', 'a1', 'voice', '2026-11-20T10', 3, 'booking-1');
    },
    async check(db) {
      const day = await rows(
        db,
        sql`select channel, adviser_id, answered, answered_in_target, answer_seconds, answer_timed,
            connected_seconds, hold_seconds, wrap_seconds, active_adviser_hours, status_captured,
            follow_up_taken, not_covered
          from dashboard_days where period = '2026-11-20'`,
      );
      // Ordered here, by code unit: the engines' collations may place '*' differently.
      const keyOf = (row: Record<string, unknown>) =>
        `${String(row.channel)} ${String(row.adviser_id)}`;
      day.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
      const sums = (row: Record<string, unknown>) =>
        Object.fromEntries(
          Object.entries(row).map(([key, value]) => [
            key,
            typeof value === 'string' ? value : Number(value),
          ]),
        );
      expect(day.map(sums)).toEqual([
        // Every channel: a1 active in two hours, a2 in one; the team three adviser-hours.
        {
          channel: '*',
          adviser_id: '*',
          answered: 4,
          answered_in_target: 2,
          answer_seconds: 50,
          answer_timed: 3,
          connected_seconds: 2400,
          hold_seconds: 120,
          wrap_seconds: 240,
          active_adviser_hours: 3,
          status_captured: 1,
          follow_up_taken: 1,
          not_covered: 1,
        },
        {
          channel: '*',
          adviser_id: 'a1',
          answered: 3,
          answered_in_target: 2,
          answer_seconds: 50,
          answer_timed: 3,
          connected_seconds: 1800,
          hold_seconds: 90,
          wrap_seconds: 180,
          active_adviser_hours: 2,
          status_captured: 1,
          follow_up_taken: 1,
          not_covered: 0,
        },
        {
          channel: '*',
          adviser_id: 'a2',
          answered: 1,
          answered_in_target: 0,
          answer_seconds: 0,
          answer_timed: 0,
          connected_seconds: 600,
          hold_seconds: 30,
          wrap_seconds: 60,
          active_adviser_hours: 1,
          status_captured: 0,
          follow_up_taken: 0,
          not_covered: 1,
        },
        {
          channel: 'voice',
          adviser_id: '*',
          answered: 3,
          answered_in_target: 2,
          answer_seconds: 25,
          answer_timed: 2,
          connected_seconds: 1800,
          hold_seconds: 90,
          wrap_seconds: 180,
          active_adviser_hours: 3,
          status_captured: 1,
          follow_up_taken: 1,
          not_covered: 1,
        },
        {
          channel: 'voice',
          adviser_id: 'a1',
          answered: 2,
          answered_in_target: 2,
          answer_seconds: 25,
          answer_timed: 2,
          connected_seconds: 1200,
          hold_seconds: 60,
          wrap_seconds: 120,
          active_adviser_hours: 2,
          status_captured: 1,
          follow_up_taken: 1,
          not_covered: 0,
        },
        {
          channel: 'voice',
          adviser_id: 'a2',
          answered: 1,
          answered_in_target: 0,
          answer_seconds: 0,
          answer_timed: 0,
          connected_seconds: 600,
          hold_seconds: 30,
          wrap_seconds: 60,
          active_adviser_hours: 1,
          status_captured: 0,
          follow_up_taken: 0,
          not_covered: 1,
        },
        {
          channel: 'webchat',
          adviser_id: '*',
          answered: 1,
          answered_in_target: 0,
          answer_seconds: 25,
          answer_timed: 1,
          connected_seconds: 600,
          hold_seconds: 30,
          wrap_seconds: 60,
          active_adviser_hours: 1,
          status_captured: 0,
          follow_up_taken: 0,
          not_covered: 0,
        },
        {
          channel: 'webchat',
          adviser_id: 'a1',
          answered: 1,
          answered_in_target: 0,
          answer_seconds: 25,
          answer_timed: 1,
          connected_seconds: 600,
          hold_seconds: 30,
          wrap_seconds: 60,
          active_adviser_hours: 1,
          status_captured: 0,
          follow_up_taken: 0,
          not_covered: 0,
        },
      ]);
      // The 10:00 hour for the team: two advisers active in it on any channel.
      expect(
        (
          await rows(
            db,
            sql`select answered, active_adviser_hours from dashboard_hours
              where period = '2026-11-20T10' and channel = '*' and adviser_id = '*'`,
          )
        ).map(sums),
      ).toEqual([{ answered: 3, active_adviser_hours: 2 }]);
      // December's month is its own batch.
      expect(
        (
          await rows(
            db,
            sql`select period, answered from dashboard_days where channel = '*' and adviser_id = '*'
              order by period`,
          )
        ).map(sums),
      ).toEqual([
        { period: '2026-11-20', answered: 4 },
        { period: '2026-12-01', answered: 1 },
      ]);
      // A key is held once.
      await expect(
        sql`insert into dashboard_days (channel, period, adviser_id, answered, answered_in_target,
            answer_seconds, answer_timed, connected_seconds, hold_seconds, wrap_seconds,
            active_adviser_hours, status_captured, follow_up_offered, follow_up_taken,
            transcript_offered, transcript_sent, not_covered, service_questions_skipped)
          values ('*', '2026-12-01', '*', 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)`.execute(db),
      ).rejects.toThrow();
    },
  },
  'safeguarding-follow-through': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into accounts values ('l1', 'demo-leader', 'Taylor Leader', 'scrypt$y', ${at})`.execute(
        db,
      );
      // One concern acknowledged before notes were kept, one still open.
      await sql`insert into safeguarding_concerns (id, interaction_id, adviser_id, category,
          immediate_risk, what_was_said, raised_at, received_at, received_via, acknowledged_by,
          acknowledged_at)
        values ('s1', 'i1', 'a1', 'bullying', 0, 'Picked on at college', ${at}, ${at}, 'live',
          'l1', '2026-11-20T10:05:00.000Z'),
        ('s2', 'i2', 'a1', 'self_harm_suicide', 1, '', ${at}, ${at}, 'outbox', null, null)`.execute(
        db,
      );
    },
    async check(db) {
      // The old acknowledgement is kept, without a note, and its adviser counts as told then.
      expect(
        await rows(
          db,
          sql`select id, acknowledged_by, acknowledged_at, acknowledged_note, acknowledged_action,
              adviser_told_at from safeguarding_concerns order by id`,
        ),
      ).toEqual([
        {
          id: 's1',
          acknowledged_by: 'l1',
          acknowledged_at: '2026-11-20T10:05:00.000Z',
          acknowledged_note: null,
          acknowledged_action: null,
          adviser_told_at: '2026-11-20T10:05:00.000Z',
        },
        {
          id: 's2',
          acknowledged_by: null,
          acknowledged_at: null,
          acknowledged_note: null,
          acknowledged_action: null,
          adviser_told_at: null,
        },
      ]);
      // A new acknowledgement keeps what was done; an unknown action is refused.
      await sql`update safeguarding_concerns set acknowledged_by = 'l1', acknowledged_at = ${at},
          acknowledged_note = 'Called 999', acknowledged_action = 'emergency_services_called'
        where id = 's2'`.execute(db);
      await expect(
        sql`update safeguarding_concerns set acknowledged_action = 'made_up' where id = 's2'`.execute(
          db,
        ),
      ).rejects.toThrow(/check/i);
      expect(
        await rows(
          db,
          sql`select id from safeguarding_concerns
            where acknowledged_at is not null and adviser_told_at is null`,
        ),
      ).toEqual([{ id: 's2' }]);
    },
  },

  'outcomes-by-customer': {
    async seed(db) {
      await holdAlex(db);
      // First contacts held before: 14 in London; 17 with no region (asked before it was);
      // a record that does not parse. Then a follow-up of each of the first two, booked
      // from them, and one whose booking is not held.
      const withCaller = (age: number, region?: string) => {
        const record = completedRecord(randomUUID(), { adviserId: 'a1' });
        return JSON.stringify({
          ...record,
          summary: {
            ...record.summary,
            caller: { ...record.summary.caller, age, ...(region ? { region } : {}) },
          },
        });
      };
      const insert = (id: string, json: string, booking: string | null) =>
        sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref, started_at,
            completed_at, received_at, talk_seconds, starting_status, follow_up_booked,
            safeguarding_raised, within_remit, transcript_sent, not_covered_stages, search_text,
            record_json, completed_hour, follow_up_offered, transcript_offered,
            service_questions_skipped, follow_up_booking_id, follow_up_change)
          values (${id}, 'a1', 'd1', 'voice', ${id}, ${at}, ${at}, ${at}, 60, null, 0, 0, null, 0,
            '[]', null, ${json}, '2026-11-20T10', 0, 0, 0, ${booking},
            ${booking === null ? null : 'better'})`.execute(db);
      await insert('g1', withCaller(14, 'london'), null);
      await insert('g2', withCaller(17), null);
      await insert('g3', '{"summary": {"caller": {"age": "forty", "region": "mars"}}}', null);
      for (const [booking, first] of [
        ['b1', 'g1'],
        ['b2', 'g2'],
      ] as const) {
        await sql`insert into follow_ups (id, interaction_id, adviser_id, slot_start,
            contact_method, created_at, received_at, booking_json)
          values (${booking}, ${first}, 'a1', ${at}, 'phone', ${at}, ${at}, '{}')`.execute(db);
      }
      await insert('f1', '{}', 'b1');
      await insert('f2', '{}', 'b2');
      await insert('f3', '{}', 'not-held');
    },
    async check(db) {
      expect(
        await rows(
          db,
          sql`select id, customer_age_group, customer_region from interactions order by id`,
        ),
      ).toEqual([
        // A follow-up counts by its first contact; with none held, not given.
        { id: 'f1', customer_age_group: '15_and_under', customer_region: 'london' },
        { id: 'f2', customer_age_group: '16_to_17', customer_region: 'not_given' },
        { id: 'f3', customer_age_group: 'not_given', customer_region: 'not_given' },
        { id: 'g1', customer_age_group: '15_and_under', customer_region: 'london' },
        { id: 'g2', customer_age_group: '16_to_17', customer_region: 'not_given' },
        { id: 'g3', customer_age_group: 'not_given', customer_region: 'not_given' },
      ]);
      // The outcomes group by them from their own index.
      const indexes = await rows(
        db,
        migrationEngine === 'sqlite'
          ? sql`select name from sqlite_master where type = 'index' and name like 'interactions_follow_up_%' order by name`
          : sql`select indexname as name from pg_indexes where indexname like 'interactions_follow_up_%' order by indexname`,
      );
      expect(indexes.map((row) => row.name)).toEqual(
        expect.arrayContaining([
          'interactions_follow_up_outcomes',
          'interactions_follow_up_by_age_group',
          'interactions_follow_up_by_region',
        ]),
      );
      const byRegion = await rows(
        db,
        sql`select customer_region, count(*) as calls from interactions
          where follow_up_booking_id is not null group by customer_region order by customer_region`,
      );
      expect(byRegion.map((row) => [row.customer_region, Number(row.calls)])).toEqual([
        ['london', 1],
        ['not_given', 2],
      ]);
      // A row written without the columns is not given, not null.
      await sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref,
          started_at, completed_at, received_at, follow_up_booked, safeguarding_raised,
          transcript_sent, not_covered_stages, record_json)
        values ('g4', 'a1', 'd1', 'voice', 'g4', ${at}, ${at}, ${at}, 0, 0, 0, '[]', '{}')`.execute(
        db,
      );
      expect(
        await rows(
          db,
          sql`select customer_age_group, customer_region from interactions where id = 'g4'`,
        ),
      ).toEqual([{ customer_age_group: 'not_given', customer_region: 'not_given' }]);
    },
  },

  'reviews-by-interaction-time': {
    async seed(db) {
      await holdAlex(db);
      await sql`insert into accounts values ('l1', 'demo-leader', 'Taylor Leader', 'scrypt$y', ${at})`.execute(
        db,
      );
      // Two interactions completed on different days, a published review of
      // the first and a draft of the second, each made on a third day.
      for (const [id, completedAt] of [
        ['early', '2026-03-02T09:00:00.000Z'],
        ['late', '2026-10-30T16:30:00.000Z'],
      ] as const) {
        await sql`insert into interactions (id, adviser_id, desk_id, channel, contact_ref,
            started_at, completed_at, received_at, follow_up_booked, safeguarding_raised,
            transcript_sent, not_covered_stages, record_json)
          values (${id}, 'a1', 'd1', 'voice', ${id}, ${completedAt}, ${completedAt},
            ${completedAt}, 0, 0, 0, '[]', '{}')`.execute(db);
      }
      await sql`insert into quality_forms (id, version, status, title, form_json, created_at)
        values ('interaction_quality', 1, 'published', 'Quality', '{}', ${at})`.execute(db);
      for (const [review, interaction, status] of [
        ['r1', 'early', 'published'],
        ['r2', 'late', 'draft'],
      ] as const) {
        const published = status === 'published';
        await sql`insert into quality_reviews (id, interaction_id, adviser_id, reviewer_id, form_id,
            form_version, purpose, calibration_session_id, sample_id, status, version, answers_json,
            score_json, percentage, passed, created_at, updated_at, published_at, acknowledged_at,
            acknowledged_version, acknowledgement)
          values (${review}, ${interaction}, 'a1', 'l1', 'interaction_quality', 1, 'adhoc', null,
            null, ${status}, ${published ? 1 : 0}, '[]', ${published ? '{}' : null}, null, null,
            ${at}, ${at}, ${published ? at : null}, null, null, null)`.execute(db);
      }
    },
    async check(db) {
      // Each held review takes its interaction's completion time, not its own.
      expect(
        await rows(db, sql`select id, interaction_completed_at from quality_reviews order by id`),
      ).toEqual([
        { id: 'r1', interaction_completed_at: '2026-03-02T09:00:00.000Z' },
        { id: 'r2', interaction_completed_at: '2026-10-30T16:30:00.000Z' },
      ]);
      // A range of days finds the published review by the new partial index.
      const indexes = await rows(
        db,
        migrationEngine === 'sqlite'
          ? sql`select name from sqlite_master where type = 'index' and name = 'quality_reviews_by_interaction_time'`
          : sql`select indexname as name from pg_indexes where indexname = 'quality_reviews_by_interaction_time'`,
      );
      expect(indexes).toEqual([{ name: 'quality_reviews_by_interaction_time' }]);
      expect(
        await rows(
          db,
          sql`select id from quality_reviews
            where interaction_completed_at >= '2026-03-01' and interaction_completed_at < '2026-04-01'
              and purpose <> 'calibration' and status <> 'draft'`,
        ),
      ).toEqual([{ id: 'r1' }]);
    },
  },
  'one-adviser-hour-per-row': {
    async seed(db) {
      // As the ingest left them: a1's own 10:00 rows counted an adviser-hour per contact
      // (three on voice, four on every channel); the team's rows and a1's day counted it once.
      const row = (
        period: string,
        adviser: string,
        channel: string,
        answered: number,
        active: number,
      ) =>
        sql`(${channel}, ${period}, ${adviser}, ${answered}, 0, 0, 0, 0, 0, 0, ${active}, 0, 0, 0, 0, 0, 0, 0)`;
      for (const [table, values] of [
        [
          'dashboard_hours',
          [
            row('2026-11-20T10', 'a1', 'voice', 3, 3),
            row('2026-11-20T10', 'a1', 'webchat', 1, 1),
            row('2026-11-20T10', 'a1', '*', 4, 4),
            row('2026-11-20T10', '*', 'voice', 3, 1),
            row('2026-11-20T10', '*', '*', 4, 1),
          ],
        ],
        ['dashboard_days', [row('2026-11-20', 'a1', '*', 4, 1), row('2026-11-20', '*', '*', 4, 1)]],
      ] as const) {
        await sql`insert into ${sql.table(table)} (channel, period, adviser_id, answered,
            answered_in_target, answer_seconds, answer_timed, connected_seconds, hold_seconds,
            wrap_seconds, active_adviser_hours, status_captured, follow_up_offered,
            follow_up_taken, transcript_offered, transcript_sent, not_covered,
            service_questions_skipped)
          values ${sql.join(values)}`.execute(db);
      }
    },
    async check(db) {
      const held = async (table: string) =>
        (
          await rows(
            db,
            sql`select adviser_id, channel, answered, active_adviser_hours from ${sql.table(table)}
              order by adviser_id, channel`,
          )
        ).map((row) => [
          row.adviser_id,
          row.channel,
          Number(row.answered),
          Number(row.active_adviser_hours),
        ]);
      // Each own hour row is one adviser-hour; its contacts are as they were.
      expect(await held('dashboard_hours')).toEqual([
        ['*', '*', 4, 1],
        ['*', 'voice', 3, 1],
        ['a1', '*', 4, 1],
        ['a1', 'voice', 3, 1],
        ['a1', 'webchat', 1, 1],
      ]);
      expect(await held('dashboard_days')).toEqual([
        ['*', '*', 4, 1],
        ['a1', '*', 4, 1],
      ]);
    },
  },
};

/** Rows whose redacted text the engine's own history search finds `word` in, as SQL. */
function historySearch(word: string): string {
  return migrationEngine === 'sqlite'
    ? `select i.id from interactions i join interaction_search s on s.rowid = i.seq
        where interaction_search match '"${word}"' order by i.id`
    : `select id from interactions where search_document @@ plainto_tsquery('english', '${word}') order by id`;
}

let migrationEngine: 'sqlite' | 'postgres' = 'sqlite';
/** The versions the engine's own search index finds for "apprenticeship", as SQL. */
function searchVersions(): string {
  return migrationEngine === 'sqlite'
    ? `select rowid from knowledge_search where knowledge_search match 'apprenticeship'`
    : `select version from knowledge_articles where search_document @@ plainto_tsquery('english', 'apprenticeship')`;
}

const opened: { database: ServerDatabase; where: TestDatabase }[] = [];
afterEach(async () => {
  for (const { database, where } of opened.splice(0)) {
    await database.close();
    await where.drop();
  }
});

describeEachEngine('server migrations', (_open, engine) => {
  beforeEach(() => {
    migrationEngine = engine;
  });

  /** A database with the first `count` migrations (none by default). */
  const open = async (migrations: readonly ServerMigration[] = []) => {
    const where = await testDatabase(engine, 'migrations');
    const database = await openTestDatabase(where, migrations);
    opened.push({ database, where });
    return { database, where };
  };

  it('brings an empty database up to the newest version, and a second run applies nothing', async () => {
    const { database } = await open();
    expect(await migrate(database, serverMigrations)).toEqual(allVersions);
    expect((await appliedMigrations(database.db)).map((row) => row.name)).toEqual(
      serverMigrations.map((migration) => migration.name),
    );
    expect(await migrate(database, serverMigrations)).toEqual([]);
  });

  it('has a data case for every migration', () => {
    expect(
      serverMigrations.map((migration) => migration.name).filter((name) => !dataCases[name]),
    ).toEqual([]);
  });

  describe.each(serverMigrations.map((migration, index) => [migration.name, index] as const))(
    'migration %s',
    (name, index) => {
      it('keeps the rows stored before it and takes new ones', async () => {
        const dataCase = dataCases[name];
        if (!dataCase) throw new Error(`no data case for migration ${name}`);
        const { database } = await open(serverMigrations.slice(0, index));
        await dataCase.seed(database.db);
        expect(await migrate(database, serverMigrations.slice(0, index + 1))).toEqual([
          serverMigrations[index]?.version,
        ]);
        await dataCase.check(database.db);
        // And the rest of the list applies on top of what the case left.
        expect(await migrate(database, serverMigrations)).toEqual(allVersions.slice(index + 1));
      });
    },
  );

  it('refuses a database written by a newer server, and storage says why', async () => {
    const newer: ServerMigration = {
      version: nextVersion,
      name: 'from-the-future',
      up: schemaChange({
        sqlite: 'CREATE TABLE future (id TEXT)',
        postgres: 'CREATE TABLE future (id text)',
      }),
    };
    const { database, where } = await open([...serverMigrations, newer]);
    await expect(migrate(database, serverMigrations)).rejects.toThrow(MigrationMismatchError);
    await expect(migrate(database, serverMigrations)).rejects.toThrow(/written by a newer version/);
    await expect(openStorage(where)).rejects.toThrow(/written by a newer version/);
  });

  it('refuses a database whose history differs from the known list', async () => {
    const other: ServerMigration = {
      version: 1,
      name: 'something-else',
      up: schemaChange({
        sqlite: 'CREATE TABLE other (id TEXT)',
        postgres: 'CREATE TABLE other (id text)',
      }),
    };
    const { database } = await open([other]);
    await expect(migrate(database, serverMigrations)).rejects.toThrow(/does not match this build/);
    const tables = (await database.db.introspection.getTables()).map((table) => table.name);
    expect(tables).not.toContain('accounts');
  });

  it('rolls back a migration that fails and records nothing for it', async () => {
    const failing: ServerMigration = {
      version: nextVersion,
      name: 'half-done',
      async up(context) {
        await context.exec(
          context.engine === 'sqlite'
            ? 'CREATE TABLE half_done (id TEXT)'
            : 'CREATE TABLE half_done (id text)',
        );
        throw new Error('disk full');
      },
    };
    const { database } = await open(serverMigrations);
    await expect(migrate(database, [...serverMigrations, failing])).rejects.toThrow('disk full');
    const tables = (await database.db.introspection.getTables()).map((table) => table.name);
    expect(tables).not.toContain('half_done');
    expect((await appliedMigrations(database.db)).map((row) => row.version)).toEqual(allVersions);
  });

  // Several server processes share a database only on PostgreSQL; a SQLite
  // data folder belongs to one server (four handles in one process would only
  // block each other's event loop on the file lock).
  if (engine === 'postgres') {
    it('applies each migration once when several servers start at once', async () => {
      const { where } = await open();
      const starting = await Promise.all(
        Array.from({ length: 4 }, async () => {
          // Opened, not migrated: each of the four migrates it itself.
          const database = await openPostgresDatabase(where.databaseUrl ?? '');
          try {
            return await migrate(database, serverMigrations);
          } finally {
            await database.close();
          }
        }),
      );
      expect(starting.flat().sort((a, b) => a - b)).toEqual(allVersions);
    });

    it('creates the sign-in limits table, kept outside the migrations, once when several servers start at once', async () => {
      const { where } = await open();
      const databases = await Promise.all(
        Array.from({ length: 6 }, () => openPostgresDatabase(where.databaseUrl ?? '')),
      );
      try {
        const [first] = databases;
        if (!first) throw new Error('no database opened');
        // The library's own CREATE TABLE IF NOT EXISTS, run by six processes
        // together, and again from nothing: the race it loses is not every time.
        for (let round = 0; round < 5; round += 1) {
          await sql`drop table if exists ${sql.table(signInLimitsTable)}`.execute(first.db);
          await Promise.all(databases.map((database) => postgresLimits(database)));
        }
        const tables = (await first.db.introspection.getTables()).map((table) => table.name);
        expect(tables).toContain(signInLimitsTable);
      } finally {
        await Promise.all(databases.map((database) => database.close()));
      }
    });
  }

  it('refuses a known list that is out of order or has gaps that go backwards', async () => {
    const { database } = await open();
    const [first, second] = serverMigrations;
    if (!first || !second) throw new Error('expected at least two migrations');
    await expect(migrate(database, [second, first])).rejects.toThrow(/out of order/);
  });
});

/**
 * SQLite's full-text indexes (virtual tables and the shadow tables named after
 * them): where PostgreSQL indexes a column instead, so they have no twin there.
 */
async function sqliteSearchTables(database: ServerDatabase): Promise<string[]> {
  const virtual = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and sql like 'CREATE VIRTUAL TABLE%'`.execute(
    database.db,
  );
  return virtual.rows.map((row) => row.name);
}

describe.skipIf(!postgresAvailable() && !process.env.CI)('both engines', () => {
  it('end with the same tables and columns', async () => {
    const shapes = await Promise.all(
      engines.map(async (engine) => {
        const where = await testDatabase(engine, 'shape');
        const database = await openTestDatabase(where);
        opened.push({ database, where });
        const tables = await database.db.introspection.getTables();
        const searchIndexes = engine === 'sqlite' ? await sqliteSearchTables(database) : [];
        return Object.fromEntries(
          tables
            .filter(
              (table) =>
                !table.isView && !searchIndexes.some((name) => table.name.startsWith(name)),
            )
            .map((table) => [
              table.name,
              // Names only: SQLite reports a TEXT primary key as nullable, PostgreSQL never.
              // PostgreSQL's search column is its twin of SQLite's search table.
              table.columns
                .map((column) => column.name)
                .filter((name) => name !== 'search_document')
                .sort(),
            ]),
        );
      }),
    );
    const [sqlite, postgres] = shapes;
    expect(postgres).toEqual(sqlite);
  });
});
