// Opens the central server's database on either engine behind one Kysely
// instance. SQLite (better-sqlite3, one file in the data folder) is the
// embedded default; PostgreSQL (`pg`, a pool) is for production and for
// several server processes. Everything above this file writes queries once;
// what truly differs between the engines (locking, upserts, full-text search,
// errors) is answered here or beside the portable query it replaces.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database, { type Database as SqliteHandle } from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
} from 'kysely';
import pg from 'pg';
import type { ServerSchema } from './schema';

export type Engine = 'sqlite' | 'postgres';

/** A Kysely instance or an open transaction: stores are built on either (the unit of work). */
export type Executor = Kysely<ServerSchema>;

export interface ServerDatabase {
  engine: Engine;
  db: Kysely<ServerSchema>;
  /** What an operator sees at start: the engine and where, with no password. */
  description: string;
  /** PostgreSQL's pool, shared with what else needs the database (the socket.io adapter). */
  pool: pg.Pool | null;
  /** The SQLite handle, for migrations' multi-statement scripts only. */
  sqlite: SqliteHandle | null;
  /**
   * Runs `work` so that what it commits is on disk before it resolves, power
   * cut included: for writes that answer a sender who then forgets its copy
   * (a desk's outbox item). PostgreSQL does this for every commit
   * (synchronous_commit on); SQLite's WAL does it only when asked.
   */
  durably<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const serverDatabaseFile = 'server.sqlite';

/**
 * Every SQLite transaction begins IMMEDIATE: each takes the write lock before
 * its first read, so a check-then-write (applied once? still queued?) is never
 * raced by another connection to the same file, and no transaction fails
 * half-way with SQLITE_BUSY on upgrading its lock.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  private readonly database: SqliteDatabase;

  constructor(handle: SqliteHandle) {
    const database = withStatementCache(handle);
    super({ database });
    this.database = database;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

/** Distinct statements kept prepared; the server's queries number a few hundred. */
const preparedStatements = 1_000;

/**
 * The handle as Kysely's driver sees it, with each statement prepared once:
 * the driver prepares every query it runs, which was a fifth of the server's
 * time applying a desk's outbox. A statement is used by one query at a time,
 * as the driver's one connection runs one query at a time. The least recently
 * used statement is let go past `preparedStatements`.
 */
function withStatementCache(handle: SqliteHandle): SqliteDatabase {
  const cache = new Map<string, ReturnType<SqliteHandle['prepare']>>();
  return {
    close: () => handle.close(),
    prepare(text) {
      const held = cache.get(text);
      if (held) {
        cache.delete(text);
        cache.set(text, held);
        return held;
      }
      const statement = handle.prepare(text);
      cache.set(text, statement);
      if (cache.size > preparedStatements) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      return statement;
    },
  };
}

/** Opens (creating if need be) `server.sqlite` in the data folder. */
export function openSqliteDatabase(dataDir: string): ServerDatabase {
  const file = join(dataDir, serverDatabaseFile);
  // The one place the server's busy timeout is set: a write waits up to 5 s
  // for another connection's lock before failing with SQLITE_BUSY.
  const handle = new Database(file, { timeout: 5_000 });
  handle.pragma('journal_mode = WAL');
  // WAL's usual synchronous=NORMAL: a commit survives the process, and the
  // last ones may be lost to a power cut. Commits that must survive that too
  // ask for it (`durably`).
  handle.pragma('synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  const db = new Kysely<ServerSchema>({ dialect: new ImmediateSqliteDialect(handle) });
  let durableWork = 0;
  return {
    engine: 'sqlite',
    db,
    description: `SQLite ${file}`,
    pool: null,
    sqlite: handle,
    async durably(work) {
      // The safety level cannot change inside a transaction, so it is set
      // through Kysely's one connection, after whatever transaction holds it;
      // FULL from the first durable work until the last one is done.
      durableWork += 1;
      try {
        if (durableWork === 1) await sql`pragma synchronous = full`.execute(db);
        return await work();
      } finally {
        durableWork -= 1;
        if (durableWork === 0) await sql`pragma synchronous = normal`.execute(db);
      }
    },
    close: () => db.destroy(),
  };
}

/** PostgreSQL's bigint (counts, sums) as a JavaScript number: none of ours nears 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** Connections this process may hold; the default suits one of several processes. */
  maxConnections?: number;
}

/** Connects to PostgreSQL at `url` (postgres://user:password@host:port/database). */
export async function openPostgresDatabase(
  url: string,
  options: PostgresOptions = {},
): Promise<ServerDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types: pgTypes,
    application_name: 'adviser-desk-server',
  });
  // An idle client that loses its connection (a restarted database) emits on
  // the pool; unhandled, that would end the process. The next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', preparesItsStatements);
  const db = new Kysely<ServerSchema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new Error(`Cannot reach PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    engine: 'postgres',
    db,
    description: `PostgreSQL ${redactUrl(url)}`,
    pool,
    sqlite: null,
    durably: (work) => work(),
    close: () => db.destroy(),
  };
}

/** A prepared statement's name: its text's digest, so one text is one statement. */
function statementName(text: string): string {
  return `s${createHash('sha1').update(text).digest('base64url')}`;
}

/**
 * The most parameters a statement may have and still be prepared. A
 * statement writing many rows at once (a desk's batch of up to 64 items) has
 * a text for each number of rows, and a plan for each would be kept on every
 * connection for good; its parse is a small share of writing its rows. The
 * one statement that ingests a single interaction has about a hundred, and a
 * test holds it under this bound.
 */
export const maxPreparedParameters = 128;

/**
 * Makes a pool's new connection prepare each parameterised query once and run
 * it again by name: PostgreSQL then parses and plans it once per connection.
 * The statements of a desk's outbox and of live chat are few and run many
 * times. Queries without parameters (transaction control, migrations' DDL,
 * one-off statements) go as they are, so a table changed by a migration never
 * meets a plan prepared before it on the same connection; so do statements
 * with more than `maxPreparedParameters`.
 */
function preparesItsStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const prepared = (...args: unknown[]) => {
    const [text, values, ...rest] = args;
    if (
      typeof text === 'string' &&
      Array.isArray(values) &&
      values.length > 0 &&
      values.length <= maxPreparedParameters
    )
      return query({ name: statementName(text), text, values }, ...rest);
    return query(...args);
  };
  // pg's query has many overloads; this wrapper keeps every one of them.
  client.query = prepared as typeof client.query;
}

/** The URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparseable URL';
  }
}

/**
 * Runs `work` in a transaction, or in the caller's when `db` already is one:
 * a store method that must be atomic is so on its own and inside a unit of work.
 */
export async function inTransaction<T>(
  db: Executor,
  work: (trx: Executor) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

/**
 * Serialises transactions that take the same named lock, until they commit.
 * PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, as
 * every transaction already holds the database's one write lock.
 */
export async function lockForTransaction(
  db: Executor,
  engine: Engine,
  name: string,
): Promise<void> {
  if (!db.isTransaction) throw new Error(`lockForTransaction(${name}) outside a transaction`);
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(db);
}

/**
 * Runs `work` while holding the named lock, in a transaction of its own. For
 * set-up that two server processes starting together would otherwise race on,
 * such as `CREATE TABLE IF NOT EXISTS` (on PostgreSQL it still collides in the
 * catalogue). `work` may use the transaction or, for a library that creates
 * its table on its own connection, wait for that: the lock is held until
 * `work` settles.
 */
export async function whileLocked<T>(
  database: Pick<ServerDatabase, 'db' | 'engine'>,
  name: string,
  work: (trx: Executor) => Promise<T>,
): Promise<T> {
  return database.db.transaction().execute(async (trx) => {
    await lockForTransaction(trx, database.engine, name);
    return work(trx);
  });
}

/** A write refused by a primary key or unique constraint, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    // PostgreSQL's unique_violation
    code === '23505'
  );
}

/**
 * PostgreSQL gave up on a statement because it met another transaction's locks
 * in an order that could never finish (deadlock_detected) or could not be
 * serialised: nothing of it was kept, and the same writes may go again.
 */
export function isLockConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * The constraint a PostgreSQL error names (a unique violation names the index
 * it met); null on SQLite, whose errors name only the columns.
 */
export function violatedConstraint(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('constraint' in error)) return null;
  return typeof error.constraint === 'string' ? error.constraint : null;
}

/** Rows an UPDATE or DELETE changed, as both engines report it. */
export function changedRows(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
}

/**
 * What a store is built on: the database or one transaction of it (the unit of
 * work), the engine for the few queries that differ, and where to put what
 * must wait for the commit.
 */
export interface StoreContext {
  db: Executor;
  engine: Engine;
  /**
   * Runs `effect` once the caller's writes are committed: at once for a store
   * on the database (call it after your own transaction has resolved), after
   * the outer commit for a store in a unit of work, and never on rollback.
   */
  afterCommit(effect: () => void): void;
}

/**
 * Runs `work` on a context for one transaction of `context`: joins the
 * caller's transaction when there is one, or opens one and runs the effects
 * its stores deferred once it has committed (never on rollback). The unit of
 * work (storage.ts) builds its stores on the context this hands over.
 */
export async function inTransactionContext<T>(
  context: StoreContext,
  work: (trx: StoreContext) => Promise<T>,
): Promise<T> {
  if (context.db.isTransaction) return work(context);
  const effects: (() => void)[] = [];
  const result = await context.db
    .transaction()
    .execute((trx) =>
      work({ db: trx, engine: context.engine, afterCommit: (effect) => effects.push(effect) }),
    );
  for (const effect of effects) effect();
  return result;
}
