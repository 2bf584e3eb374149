// ServerStorage on SQLite (better-sqlite3): the embedded default, one file
// `server.sqlite` in the data folder, WAL mode and foreign keys on.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database, { type Database as SqliteDatabase } from 'better-sqlite3';
import { roleSchema, type Role, type StaffMember } from '../../shared/domain/people';
import { actionPlanSubject } from '../../shared/documents/action-plan';
import type { TranscriptRequest } from '../../shared/documents/transcript';
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';
import type { KnowledgeEdit } from '../../shared/wire/knowledge';
import type { SafeguardingRaise } from '../../shared/wire/safeguarding';
import { SqliteChatStore } from '../chat/sqlite-store';
import { SqliteKnowledgeStore } from '../knowledge/sqlite-store';
import type { KnowledgeStore } from '../knowledge/types';
import { SqliteSafeguardingStore } from '../safeguarding/sqlite-store';
import { RecordingFolder, type CallRecording } from '../telephony/recording';
import {
  queuedTranscriptColumns,
  queuedTranscriptOf,
  SqliteTranscriptDelivery,
  type TranscriptRow,
} from '../transcripts/sqlite-store';
import { migrate } from './migrate';
import { serverMigrations } from './migrations';
import {
  StorageConflictError,
  type AccountStore,
  type AppliedOutboxItem,
  type CallEndedBy,
  type CallStore,
  type FollowUpStore,
  type IngestStore,
  type IngestWriter,
  type InteractionStore,
  type ListFilter,
  type NewStaffAccount,
  type QueuedTranscript,
  type ServerStorage,
  type SessionStore,
  type StaffAccount,
  type StaffSession,
  type StoredCall,
  type TranscriptStore,
} from './types';

export const serverDatabaseFile = 'server.sqlite';

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Opens (creating if need be) and migrates the database; refuses a database from a newer server. */
export function openSqliteStorage(dataDir: string): SqliteServerStorage {
  // The one place the server's busy timeout is set (the constructor's timeout is
  // SQLite's busy_timeout, so the pragmas below wait for a lock too): a write
  // waits up to 5 s for another connection's lock before failing with SQLITE_BUSY.
  const db = new Database(join(dataDir, serverDatabaseFile), { timeout: 5_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, serverMigrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return new SqliteServerStorage(db, dataDir);
}

export class SqliteServerStorage implements ServerStorage {
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly ingest: IngestStore;
  readonly interactions: InteractionStore;
  readonly followUps: FollowUpStore;
  readonly transcripts: TranscriptStore;
  readonly calls: CallStore;
  readonly knowledge: KnowledgeStore;
  readonly transcriptDelivery: SqliteTranscriptDelivery;
  readonly chats: SqliteChatStore;
  readonly safeguarding: SqliteSafeguardingStore;

  /** `dataDir` holds what is kept beside the database file, such as call recordings. */
  constructor(
    private readonly db: SqliteDatabase,
    dataDir: string,
  ) {
    this.accounts = new SqliteAccounts(db);
    this.sessions = new SqliteSessions(db);
    this.transcriptDelivery = new SqliteTranscriptDelivery(db);
    this.safeguarding = new SqliteSafeguardingStore(db);
    this.ingest = new SqliteIngest(db, () => this.transcriptDelivery.queued(), this.safeguarding);
    this.interactions = new SqliteInteractions(db);
    this.followUps = new SqliteFollowUps(db);
    this.transcripts = new SqliteTranscripts(db);
    this.calls = new SqliteCalls(db, new RecordingFolder(dataDir));
    this.knowledge = new SqliteKnowledgeStore(db);
    this.chats = new SqliteChatStore(db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

class SqliteAccounts implements AccountStore {
  constructor(private readonly db: SqliteDatabase) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  }

  create(account: NewStaffAccount): StaffMember {
    const id = randomUUID();
    const insertAccount = this.db.prepare(
      'INSERT INTO accounts (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const insertRole = this.db.prepare(
      'INSERT INTO account_roles (account_id, role) VALUES (?, ?)',
    );
    try {
      this.db.transaction(() => {
        insertAccount.run(
          id,
          account.username,
          account.displayName,
          account.passwordHash,
          new Date().toISOString(),
        );
        for (const role of new Set(account.roles)) insertRole.run(id, role);
      })();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new StorageConflictError(`The username ${account.username} is taken`);
      throw error;
    }
    return {
      id,
      username: account.username,
      displayName: account.displayName,
      roles: [...new Set(account.roles)],
    };
  }

  findByUsername(username: string): StaffAccount | null {
    const row = this.db
      .prepare('SELECT id, username, display_name, password_hash FROM accounts WHERE username = ?')
      .get(username) as AccountRow | undefined;
    return row ? { ...this.member(row), passwordHash: row.password_hash } : null;
  }

  findById(id: string): StaffMember | null {
    const row = this.db
      .prepare('SELECT id, username, display_name, password_hash FROM accounts WHERE id = ?')
      .get(id) as AccountRow | undefined;
    return row ? this.member(row) : null;
  }

  private member(row: AccountRow): StaffMember {
    const roles = (
      this.db
        .prepare('SELECT role FROM account_roles WHERE account_id = ? ORDER BY rowid')
        .all(row.id) as {
        role: string;
      }[]
    ).map(({ role }): Role => roleSchema.parse(role));
    return { id: row.id, username: row.username, displayName: row.display_name, roles };
  }
}

interface SessionRow {
  token_hash: string;
  account_id: string;
  created_at: string;
  expires_at: string;
}

class SqliteSessions implements SessionStore {
  constructor(private readonly db: SqliteDatabase) {}

  create(session: StaffSession): void {
    this.db
      .prepare(
        'INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .run(session.tokenHash, session.accountId, session.createdAt, session.expiresAt);
  }

  find(tokenHash: string): StaffSession | null {
    const row = this.db
      .prepare(
        'SELECT token_hash, account_id, created_at, expires_at FROM sessions WHERE token_hash = ?',
      )
      .get(tokenHash) as SessionRow | undefined;
    return row
      ? {
          tokenHash: row.token_hash,
          accountId: row.account_id,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        }
      : null;
  }

  delete(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteExpired(now: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }
}

class SqliteIngestWriter implements IngestWriter {
  constructor(
    private readonly db: SqliteDatabase,
    /** The sender's wake-up hint; runs inside the transaction, so it only schedules. */
    private readonly transcriptQueued: () => void,
    private readonly safeguarding: SqliteSafeguardingStore,
  ) {}

  saveInteraction(record: InteractionRecord, receivedAt: string): void {
    this.insert(
      () =>
        this.db
          .prepare(
            `INSERT INTO interactions (id, adviser_id, desk_id, channel, contact_ref, completed_at, received_at, record_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.id,
            record.adviserId,
            record.deskId,
            record.channel,
            record.contactRef,
            record.completedAt,
            receivedAt,
            JSON.stringify(record),
          ),
      `An interaction record with id ${record.id} is already held`,
    );
  }

  saveFollowUpBooking(booking: FollowUpBooking, receivedAt: string): void {
    this.insert(
      () =>
        this.db
          .prepare(
            `INSERT INTO follow_ups (id, interaction_id, adviser_id, slot_start, contact_method, created_at, received_at, booking_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            booking.id,
            booking.interactionId,
            booking.adviserId,
            booking.slotStart,
            booking.contactMethod,
            booking.createdAt,
            receivedAt,
            JSON.stringify(booking),
          ),
      `A follow-up booking with id ${booking.id} is already held`,
    );
  }

  queueTranscript(request: TranscriptRequest, adviserId: string, receivedAt: string): void {
    // Only for an interaction this adviser's record already holds: the request
    // follows its record on the same stream, and nobody queues mail for
    // another's contact. No document is stored: the sender composes it from
    // that record when it sends (server/transcripts/compose.ts), so the
    // subject kept for listings is the one every action plan has.
    this.insert(() => {
      const queued = this.db
        .prepare(
          `INSERT INTO transcripts (interaction_id, adviser_id, via, address, subject, requested_at)
           SELECT id, adviser_id, ?, ?, ?, ? FROM interactions WHERE id = ? AND adviser_id = ?`,
        )
        .run(
          request.via,
          request.address,
          actionPlanSubject,
          receivedAt,
          request.interactionId,
          adviserId,
        );
      if (queued.changes === 0) {
        // A conflict, so the desk tries again later: its record may still be on the way.
        throw new StorageConflictError(
          `No interaction ${request.interactionId} of this adviser is held, so its transcript cannot be queued`,
        );
      }
      this.transcriptQueued();
    }, `A transcript for interaction ${request.interactionId} is already queued`);
  }

  submitKnowledgeDraft(edit: KnowledgeEdit, authorId: string, receivedAt: string): void {
    // Same handle, so the draft joins the transaction that records the item as applied.
    new SqliteKnowledgeStore(this.db).submitDraft(edit, authorId, receivedAt);
  }

  raiseSafeguardingConcern(raise: SafeguardingRaise, adviserId: string, receivedAt: string): void {
    // Same handle as the transaction; team leaders are alerted once it commits.
    this.safeguarding.raise(raise, adviserId, receivedAt, 'outbox');
  }

  private insert(write: () => void, conflictMessage: string): void {
    try {
      write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new StorageConflictError(conflictMessage);
      throw error;
    }
  }
}

class SqliteIngest implements IngestStore {
  private readonly writer: SqliteIngestWriter;

  constructor(
    private readonly db: SqliteDatabase,
    transcriptQueued: () => void,
    safeguarding: SqliteSafeguardingStore,
  ) {
    this.writer = new SqliteIngestWriter(db, transcriptQueued, safeguarding);
  }

  applyOnce(
    item: AppliedOutboxItem,
    apply: (writer: IngestWriter) => void,
  ): 'applied' | 'duplicate' {
    const seen = this.db.prepare(
      'SELECT 1 FROM applied_outbox_items WHERE desk_id = ? AND item_id = ?',
    );
    const record = this.db.prepare(
      `INSERT INTO applied_outbox_items (desk_id, item_id, kind, stream, delivered_by, applied_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    // IMMEDIATE takes the write lock before the check, so two server processes
    // sharing the file cannot both see "not applied" for the same item.
    return this.db
      .transaction((): 'applied' | 'duplicate' => {
        if (seen.get(item.deskId, item.itemId)) return 'duplicate';
        apply(this.writer);
        record.run(
          item.deskId,
          item.itemId,
          item.kind,
          item.stream,
          item.deliveredBy,
          item.appliedAt,
        );
        return 'applied';
      })
      .immediate();
  }

  countApplied(deskId: string): number {
    return (
      this.db
        .prepare('SELECT count(*) AS n FROM applied_outbox_items WHERE desk_id = ?')
        .get(deskId) as { n: number }
    ).n;
  }
}

function listJson(
  db: SqliteDatabase,
  sql: { all: string; own: string },
  filter: ListFilter,
): unknown[] {
  const rows = (
    filter.adviserId === null
      ? db.prepare(sql.all).all(filter.limit)
      : db.prepare(sql.own).all(filter.adviserId, filter.limit)
  ) as { json: string }[];
  return rows.map((row) => JSON.parse(row.json) as unknown);
}

class SqliteInteractions implements InteractionStore {
  constructor(private readonly db: SqliteDatabase) {}

  list(filter: ListFilter): InteractionRecord[] {
    return listJson(
      this.db,
      {
        all: 'SELECT record_json AS json FROM interactions ORDER BY completed_at DESC, rowid DESC LIMIT ?',
        own: 'SELECT record_json AS json FROM interactions WHERE adviser_id = ? ORDER BY completed_at DESC, rowid DESC LIMIT ?',
      },
      filter,
    ) as InteractionRecord[];
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM interactions').get() as { n: number }).n;
  }
}

class SqliteFollowUps implements FollowUpStore {
  constructor(private readonly db: SqliteDatabase) {}

  list(filter: ListFilter): FollowUpBooking[] {
    return listJson(
      this.db,
      {
        all: 'SELECT booking_json AS json FROM follow_ups ORDER BY created_at DESC, rowid DESC LIMIT ?',
        own: 'SELECT booking_json AS json FROM follow_ups WHERE adviser_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
      },
      filter,
    ) as FollowUpBooking[];
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM follow_ups').get() as { n: number }).n;
  }
}

class SqliteTranscripts implements TranscriptStore {
  constructor(private readonly db: SqliteDatabase) {}

  list(filter: ListFilter): QueuedTranscript[] {
    const columns = queuedTranscriptColumns;
    const rows = (
      filter.adviserId === null
        ? this.db
            .prepare(
              `SELECT ${columns} FROM transcripts ORDER BY requested_at DESC, rowid DESC LIMIT ?`,
            )
            .all(filter.limit)
        : this.db
            .prepare(
              `SELECT ${columns} FROM transcripts WHERE adviser_id = ? ORDER BY requested_at DESC, rowid DESC LIMIT ?`,
            )
            .all(filter.adviserId, filter.limit)
    ) as TranscriptRow[];
    return rows.map(queuedTranscriptOf);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM transcripts').get() as { n: number }).n;
  }
}

interface CallRow {
  id: string;
  adviser_id: string;
  cli: string | null;
  offered_at: string;
  connected_at: string | null;
  ended_at: string | null;
  ended_by: CallEndedBy | null;
  recording_ref: string | null;
}

class SqliteCalls implements CallStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly recordings: RecordingFolder,
  ) {}

  insert(call: Omit<StoredCall, 'recordingRef'>): void {
    this.db
      .prepare(
        `INSERT INTO calls (id, adviser_id, cli, offered_at, connected_at, ended_at, ended_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        call.id,
        call.adviserId,
        call.cli,
        call.offeredAt,
        call.connectedAt,
        call.endedAt,
        call.endedBy,
      );
  }

  find(id: string): StoredCall | null {
    const row = this.db.prepare('SELECT * FROM calls WHERE id = ?').get(id) as CallRow | undefined;
    return row
      ? {
          id: row.id,
          adviserId: row.adviser_id,
          cli: row.cli,
          offeredAt: row.offered_at,
          connectedAt: row.connected_at,
          endedAt: row.ended_at,
          endedBy: row.ended_by,
          recordingRef: row.recording_ref,
        }
      : null;
  }

  markConnected(id: string, at: string): boolean {
    return (
      this.db
        .prepare(
          'UPDATE calls SET connected_at = ? WHERE id = ? AND connected_at IS NULL AND ended_at IS NULL',
        )
        .run(at, id).changes === 1
    );
  }

  markEnded(id: string, at: string, endedBy: CallEndedBy): boolean {
    return (
      this.db
        .prepare('UPDATE calls SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL')
        .run(at, endedBy, id).changes === 1
    );
  }
  saveRecording(id: string, recording: CallRecording): string | null {
    const held = this.find(id);
    if (!held || held.recordingRef !== null) return null;
    const ref = this.recordings.save(recording);
    const set = this.db
      .prepare('UPDATE calls SET recording_ref = ? WHERE id = ? AND recording_ref IS NULL')
      .run(ref, id);
    return set.changes === 1 ? ref : null;
  }

  readRecording(id: string): CallRecording | null {
    const ref = this.find(id)?.recordingRef;
    return ref ? this.recordings.read(ref) : null;
  }
}
