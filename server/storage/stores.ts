// The core stores on Kysely, one query for both engines: staff accounts and
// their sessions, the listings of what desks delivered (interactions, follow-up
// bookings, queued transcripts) and the telephony side's calls. Each is built on
// a StoreContext, so the same class serves the database and a unit of work.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { roleSchema, type Role, type StaffMember } from '../../shared/domain/people';
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';
import { callerLineKey } from '../telephony/caller-line';
import type { CallRecording, RecordingFolder } from '../telephony/recording';
import { queuedTranscriptColumns, queuedTranscriptOf } from '../transcripts/store';
import { changedRows, inTransaction, isUniqueViolation, type StoreContext } from './database';
import type { Row } from './schema';
import {
  StorageConflictError,
  type AccountStore,
  type CallEndedBy,
  type CallStore,
  type FollowUpStore,
  type InteractionStore,
  type ListFilter,
  type NewStaffAccount,
  type QueuedTranscript,
  type SessionStore,
  type StaffAccount,
  type StaffSession,
  type StoredCall,
  type TranscriptStore,
} from './types';

/**
 * Roles in the role list's own order (`roleSchema.options`), whatever order
 * they were granted in: neither engine promises the order rows were inserted,
 * and a stable order keeps a staff member's roles comparable everywhere.
 */
function canonicalRoles(held: Iterable<string>): Role[] {
  const granted = new Set([...held].map((role) => roleSchema.parse(role)));
  return roleSchema.options.filter((role) => granted.has(role));
}

export class KyselyAccounts implements AccountStore {
  constructor(private readonly context: StoreContext) {}

  async count(): Promise<number> {
    const { count } = await this.context.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return count;
  }

  async create(account: NewStaffAccount): Promise<StaffMember> {
    const id = randomUUID();
    const roles = canonicalRoles(account.roles);
    try {
      await inTransaction(this.context.db, async (trx) => {
        await trx
          .insertInto('accounts')
          .values({
            id,
            username: account.username,
            display_name: account.displayName,
            password_hash: account.passwordHash,
            created_at: new Date().toISOString(),
          })
          .execute();
        if (roles.length > 0) {
          await trx
            .insertInto('account_roles')
            .values(roles.map((role) => ({ account_id: id, role })))
            .execute();
        }
      });
    } catch (error) {
      // SQLite's COLLATE NOCASE and PostgreSQL's unique index on lower(username)
      // both refuse a name that differs from a held one only in case.
      if (isUniqueViolation(error))
        throw new StorageConflictError(`The username ${account.username} is taken`);
      throw error;
    }
    return { id, username: account.username, displayName: account.displayName, roles };
  }

  async findByUsername(username: string): Promise<StaffAccount | null> {
    // Usernames are ASCII (usernameSchema), so lower() agrees with SQLite's NOCASE;
    // on PostgreSQL the expression index accounts_username_lower answers it.
    const row = await this.context.db
      .selectFrom('accounts')
      .selectAll()
      .where(sql<string>`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
    return row ? { ...(await this.member(row)), passwordHash: row.password_hash } : null;
  }

  async findById(id: string): Promise<StaffMember | null> {
    const row = await this.context.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.member(row) : null;
  }

  private async member(row: Row<'accounts'>): Promise<StaffMember> {
    const roles = await this.context.db
      .selectFrom('account_roles')
      .select('role')
      .where('account_id', '=', row.id)
      .execute();
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      roles: canonicalRoles(roles.map(({ role }) => role)),
    };
  }
}

export class KyselySessions implements SessionStore {
  constructor(private readonly context: StoreContext) {}

  async create(session: StaffSession): Promise<void> {
    await this.context.db
      .insertInto('sessions')
      .values({
        token_hash: session.tokenHash,
        account_id: session.accountId,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findWithStaff(
    tokenHash: string,
  ): Promise<{ session: StaffSession; staff: StaffMember } | null> {
    // One row per role (one with a null role for an account without any).
    const rows = await this.context.db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
      .leftJoin('account_roles', 'account_roles.account_id', 'accounts.id')
      .select([
        'sessions.token_hash',
        'sessions.account_id',
        'sessions.created_at',
        'sessions.expires_at',
        'accounts.username',
        'accounts.display_name',
        'account_roles.role',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .execute();
    const first = rows[0];
    if (!first) return null;
    return {
      session: {
        tokenHash: first.token_hash,
        accountId: first.account_id,
        createdAt: first.created_at,
        expiresAt: first.expires_at,
      },
      staff: {
        id: first.account_id,
        username: first.username,
        displayName: first.display_name,
        roles: canonicalRoles(rows.flatMap(({ role }) => (role === null ? [] : [role]))),
      },
    };
  }

  async find(tokenHash: string): Promise<StaffSession | null> {
    const row = await this.context.db
      .selectFrom('sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row
      ? {
          tokenHash: row.token_hash,
          accountId: row.account_id,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
        }
      : null;
  }

  async delete(tokenHash: string): Promise<void> {
    await this.context.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteExpired(now: string): Promise<number> {
    const result = await this.context.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return changedRows(result);
  }
}

async function countRows(
  context: StoreContext,
  table: 'interactions' | 'follow_ups' | 'transcripts',
): Promise<number> {
  const { count } = await context.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return count;
}

export class KyselyInteractions implements InteractionStore {
  constructor(private readonly context: StoreContext) {}

  async list(filter: ListFilter): Promise<InteractionRecord[]> {
    let query = this.context.db
      .selectFrom('interactions')
      .select('record_json')
      // The id breaks ties between records completed in the same millisecond,
      // the same way on both engines.
      .orderBy('completed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.adviserId !== null) query = query.where('adviser_id', '=', filter.adviserId);
    const rows = await query.execute();
    // Stored whole by the ingest writer after its payload was parsed.
    return rows.map((row) => JSON.parse(row.record_json) as InteractionRecord);
  }

  count(): Promise<number> {
    return countRows(this.context, 'interactions');
  }
}

export class KyselyFollowUps implements FollowUpStore {
  constructor(private readonly context: StoreContext) {}

  async list(filter: ListFilter): Promise<FollowUpBooking[]> {
    let query = this.context.db
      .selectFrom('follow_ups')
      .select('booking_json')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.adviserId !== null) query = query.where('adviser_id', '=', filter.adviserId);
    const rows = await query.execute();
    // Stored whole by the ingest writer after its payload was parsed.
    return rows.map((row) => JSON.parse(row.booking_json) as FollowUpBooking);
  }

  count(): Promise<number> {
    return countRows(this.context, 'follow_ups');
  }
}

export class KyselyTranscripts implements TranscriptStore {
  constructor(private readonly context: StoreContext) {}

  async list(filter: ListFilter): Promise<QueuedTranscript[]> {
    let query = this.context.db
      .selectFrom('transcripts')
      .select(queuedTranscriptColumns)
      .orderBy('requested_at', 'desc')
      .orderBy('interaction_id', 'desc')
      .limit(filter.limit);
    if (filter.adviserId !== null) query = query.where('adviser_id', '=', filter.adviserId);
    return (await query.execute()).map(queuedTranscriptOf);
  }

  count(): Promise<number> {
    return countRows(this.context, 'transcripts');
  }
}

export class KyselyCalls implements CallStore {
  constructor(
    private readonly context: StoreContext,
    private readonly recordings: RecordingFolder,
  ) {}

  async insert(
    call: Omit<StoredCall, 'recordingRef'> & { direction?: 'inbound' | 'outbound' },
  ): Promise<void> {
    await this.context.db
      .insertInto('calls')
      .values({
        id: call.id,
        adviser_id: call.adviserId,
        cli: call.cli,
        cli_key: callerLineKey(call.cli),
        offered_at: call.offeredAt,
        connected_at: call.connectedAt,
        ended_at: call.endedAt,
        ended_by: call.endedBy,
        direction: call.direction ?? 'inbound',
      })
      .execute();
  }

  async find(id: string): Promise<StoredCall | null> {
    const row = await this.context.db
      .selectFrom('calls')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
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

  async markConnected(id: string, at: string): Promise<boolean> {
    const result = await this.context.db
      .updateTable('calls')
      .set({ connected_at: at })
      .where('id', '=', id)
      .where('connected_at', 'is', null)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  async markEnded(
    id: string,
    at: string,
    endedBy: CallEndedBy,
    options: { onlyIfUnanswered?: boolean } = {},
  ): Promise<boolean> {
    const result = await this.context.db
      .updateTable('calls')
      .set({ ended_at: at, ended_by: endedBy })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .$if(options.onlyIfUnanswered === true, (update) => update.where('connected_at', 'is', null))
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  async saveRecording(id: string, recording: CallRecording): Promise<string | null> {
    const held = await this.find(id);
    if (!held || held.recordingRef !== null) return null;
    // The file is written before the row names it, so a reference never points at nothing;
    // a second writer losing the race below leaves an unreferenced file, never a lost one.
    const ref = this.recordings.save(recording);
    const result = await this.context.db
      .updateTable('calls')
      .set({ recording_ref: ref })
      .where('id', '=', id)
      .where('recording_ref', 'is', null)
      .executeTakeFirst();
    return changedRows(result) === 1 ? ref : null;
  }

  async readRecording(id: string): Promise<CallRecording | null> {
    const ref = (await this.find(id))?.recordingRef;
    return ref ? this.recordings.read(ref) : null;
  }

  async recordingSeconds(call: StoredCall): Promise<number | null> {
    return call.recordingRef ? this.recordings.durationSeconds(call.recordingRef) : null;
  }
}
