// A setting the operator keeps on the central server and the desk must have
// with the network down (the wrap-up outcome codes, the service hours):
// fetched each time the desk connects, kept in the desk's settings table,
// answered from there, and a built-in value on a desk that has never reached
// the server. A failed fetch leaves the cached value as it was.
import type { z } from 'zod';
import { fail, ok, type Result } from '../../shared/result';
import type { HistoryConnection } from './history';
import { readSetting, writeSetting, type LocalDb } from './local-db';
import { silentDeskLogger, type DeskLogger } from './logging';
import type { ServerJsonOptions } from './server-json';

/** A cached setting as the desk holds it: the value, where it came from, and when. */
export interface Cached {
  source: 'server' | 'built_in';
  /** When the desk last had it from the server; null for the built-in value. */
  fetchedAt: string | null;
}

export interface ServerSettingSpec<T extends Cached> {
  /** The settings-table key it is kept under. */
  key: string;
  /** What it is, for the log: "the outcome codes". */
  what: string;
  schema: z.ZodType<T>;
  builtIn: () => T;
  /**
   * Asks the server. `token` is an access token, or null when the desk could
   * not get one; a setting on a public route does not need it.
   */
  fetch: (server: ServerJsonOptions, token: string | null, fetchedAt: string) => Promise<Result<T>>;
  /** Whether the route needs the adviser signed in. */
  needsToken: boolean;
}

export interface ServerSettingOptions {
  serverUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
  log?: DeskLogger;
}

export class ServerSetting<T extends Cached> {
  private readonly server: ServerJsonOptions;
  private readonly log: DeskLogger;
  private refreshing: Promise<Result<T>> | null = null;
  /** Set as the desk services stop: a fetch still on its way must not touch the closed database. */
  private stopped = false;

  constructor(
    private readonly db: LocalDb,
    private readonly connection: HistoryConnection,
    private readonly spec: ServerSettingSpec<T>,
    private readonly options: ServerSettingOptions,
  ) {
    this.server = {
      serverUrl: options.serverUrl,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs,
    };
    this.log = options.log ?? silentDeskLogger();
  }

  /** The value as cached; the built-in one when nothing (readable) is cached. */
  current(): T {
    const stored = readSetting(this.db, this.spec.key);
    if (stored === null) return this.spec.builtIn();
    let json: unknown;
    try {
      json = JSON.parse(stored);
    } catch {
      json = null;
    }
    const parsed = this.spec.schema.safeParse(json);
    if (parsed.success) return parsed.data;
    // Written by this code, so only a damaged file gets here: the desk must still work.
    this.log.warn(`${this.spec.what} cached cannot be read; using the built-in value`);
    return this.spec.builtIn();
  }

  /** Asks the server and caches its answer; the cache stays as it was on any failure. */
  refresh(): Promise<Result<T>> {
    this.refreshing ??= this.fetchAndCache().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * The value to use now. A desk that has only the built-in value asks the
   * server first when it can, so the first use after sign-in has the operator's.
   */
  async forUse(): Promise<Result<T>> {
    if (this.current().source === 'built_in' && this.connection.state === 'online') {
      await this.refresh();
    }
    return ok(this.current());
  }

  /** No more fetches are cached; called before the desk's database closes. */
  stop(): void {
    this.stopped = true;
  }

  private async fetchAndCache(): Promise<Result<T>> {
    const stopped = fail('unavailable', 'The desk services are stopping');
    if (this.stopped) return stopped;
    if (this.connection.state !== 'online') return ok(this.current());
    const token = this.spec.needsToken ? await this.connection.requestToken() : null;
    if (this.stopped) return stopped;
    if (this.spec.needsToken && !token) return ok(this.current());
    const fetchedAt = (this.options.now?.() ?? new Date()).toISOString();
    const answer = await this.spec.fetch(this.server, token, fetchedAt);
    if (!answer.ok) {
      this.log.warn(
        { code: answer.error.code },
        `could not fetch ${this.spec.what}; kept the cached value`,
      );
      return answer;
    }
    if (this.stopped) return stopped;
    writeSetting(this.db, this.spec.key, JSON.stringify(answer.value));
    return ok(answer.value);
  }
}
