// One process at a time owns a piece of live state (chat and call routing)
// when several server processes share one PostgreSQL database. Ownership is a
// session-level advisory lock held on a connection of its own: while that
// connection lives, no other process can take it; when the process dies, its
// connection closes, PostgreSQL lets the lock go, and the next process to try
// takes over. On SQLite the server is one process, which owns everything.
import type pg from 'pg';
import type { ServerDatabase } from './database';
import type { LogLine } from '../logging';

export interface Ownership {
  /** Whether this process owns the state now. */
  readonly owner: boolean;
  /** Called once, when this process becomes the owner after starting without it. */
  onGained(listener: () => void): void;
  /** Gives ownership up (a clean stop), so another process takes over at once. */
  close(): Promise<void>;
}

export interface OwnershipOptions {
  /** How often a process without ownership tries to take it (default 1 s). */
  retryMs?: number;
  log: LogLine;
  /**
   * The connection holding ownership broke: another process may own the
   * state now, so this one must stop acting on it at once.
   */
  lost(): void;
}

const soleOwner: Ownership = {
  owner: true,
  onGained: () => undefined,
  close: () => Promise.resolve(),
};

/** Ownership of `name` in this database: the one process on SQLite, a lock on PostgreSQL. */
export async function takeOwnership(
  database: ServerDatabase,
  name: string,
  options: OwnershipOptions,
): Promise<Ownership> {
  if (!database.pool) return soleOwner;
  const ownership = new LockOwnership(database.pool, name, options);
  await ownership.start();
  return ownership;
}

class LockOwnership implements Ownership {
  owner = false;
  private closed = false;
  private client: pg.PoolClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly gained: (() => void)[] = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly name: string,
    private readonly options: OwnershipOptions,
  ) {}

  /** The first attempt fails the start if the database cannot be reached at all. */
  async start(): Promise<void> {
    await this.attempt();
    if (!this.owner) this.schedule();
  }

  onGained(listener: () => void): void {
    this.gained.push(listener);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.attempt().then(
        () => {
          if (this.owner) {
            for (const listener of this.gained) listener();
          } else {
            this.schedule();
          }
        },
        (error: unknown) => {
          // Not the owner, so nothing is at stake: try again on a fresh connection.
          this.options.log(
            `${this.name}: could not try to take ownership: ${describe(error)}`,
            'warn',
          );
          this.drop(error);
          this.schedule();
        },
      );
    }, this.options.retryMs ?? 1_000);
    this.timer.unref();
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    if (!this.client) {
      const client = await this.pool.connect();
      client.on('error', (error) => this.broken(client, error));
      this.client = client;
    }
    const result = await this.client.query<{ taken: boolean }>(
      'select pg_try_advisory_lock(hashtext($1)) as taken',
      [this.name],
    );
    this.owner = result.rows[0]?.taken === true && !this.closed;
  }

  /** The held connection failed: fatal for an owner, a retry for anyone else. */
  private broken(client: pg.PoolClient, error: unknown): void {
    if (this.closed || client !== this.client) return;
    this.drop(error);
    if (!this.owner) return;
    this.owner = false;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.options.log(
      `${this.name}: the connection holding ownership broke: ${describe(error)}`,
      'warn',
    );
    this.options.lost();
  }

  private drop(error: unknown): void {
    const client = this.client;
    this.client = null;
    client?.release(error instanceof Error ? error : new Error(describe(error)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    if (!client) return;
    try {
      if (this.owner) await client.query('select pg_advisory_unlock(hashtext($1))', [this.name]);
      client.release();
    } catch (error) {
      // The lock goes with the connection anyway.
      client.release(error instanceof Error ? error : new Error(describe(error)));
    }
    this.owner = false;
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
