// The wrap-up outcome codes on the desk: fetched from the central server each
// time the desk connects, kept in the desk's settings table, and answered from
// there, so an adviser can wrap up with the network down. A desk that has
// never reached the server answers the built-in list.
import { fail, ok, type Result } from '../../shared/result';
import {
  defaultOutcomeCodes,
  outcomeCodeSettingSchema,
  type OutcomeCodeSetting,
} from '../../shared/interaction/outcome-codes';
import type { DeskHandlerRegistry } from './handlers';
import type { HistoryConnection } from './history';
import { readSetting, writeSetting, type LocalDb } from './local-db';
import { silentDeskLogger, type DeskLogger } from './logging';
import { serverJson } from './server-json';
import { wrapUp } from '../../shared/wire/routes';

/** The settings-table key the cached list is kept under. */
export const OUTCOME_CODES_SETTING = 'wrap_up_outcome_codes';

const builtIn = (): OutcomeCodeSetting => ({
  codes: [...defaultOutcomeCodes],
  source: 'built_in',
  fetchedAt: null,
});

export interface DeskOutcomeCodesOptions {
  serverUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
  log?: DeskLogger;
}

export class DeskOutcomeCodes {
  private readonly fetch: typeof fetch;
  private readonly log: DeskLogger;
  private refreshing: Promise<Result<OutcomeCodeSetting>> | null = null;
  /** Set as the desk services stop: a fetch still on its way must not touch the closed database. */
  private stopped = false;

  constructor(
    private readonly db: LocalDb,
    private readonly connection: HistoryConnection,
    private readonly options: DeskOutcomeCodesOptions,
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.log = options.log ?? silentDeskLogger();
  }

  /** The list as cached; the built-in one when nothing (readable) is cached. */
  current(): OutcomeCodeSetting {
    const stored = readSetting(this.db, OUTCOME_CODES_SETTING);
    if (stored === null) return builtIn();
    let json: unknown;
    try {
      json = JSON.parse(stored);
    } catch {
      json = null;
    }
    const parsed = outcomeCodeSettingSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    // Written by this code, so only a damaged file gets here: wrap-up must still work.
    this.log.warn('the cached outcome codes cannot be read; using the built-in list');
    return builtIn();
  }

  /** Asks the server for its list and caches it; the cache stays as it was on any failure. */
  refresh(): Promise<Result<OutcomeCodeSetting>> {
    this.refreshing ??= this.fetchAndCache().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * What the wrap-up screen shows. A desk that has only the built-in list asks
   * the server first when it can, so a first wrap-up after sign-in shows the operator's codes.
   */
  async forWrapUp(): Promise<Result<OutcomeCodeSetting>> {
    if (this.current().source === 'built_in' && this.connection.state === 'online') {
      await this.refresh();
    }
    return ok(this.current());
  }

  /** No more fetches are cached; called before the desk's database closes. */
  stop(): void {
    this.stopped = true;
  }

  private async fetchAndCache(): Promise<Result<OutcomeCodeSetting>> {
    const stopped = fail('unavailable', 'The desk services are stopping');
    if (this.stopped) return stopped;
    if (this.connection.state !== 'online') return ok(this.current());
    const token = await this.connection.requestToken();
    if (this.stopped) return stopped;
    if (!token) return ok(this.current());
    const answer = await serverJson(
      { serverUrl: this.options.serverUrl, fetch: this.fetch, timeoutMs: this.options.timeoutMs },
      wrapUp.outcomeCodes,
      {},
      token,
    );
    if (!answer.ok) {
      this.log.warn(
        { code: answer.error.code },
        'could not fetch the outcome codes; kept the cached list',
      );
      return answer;
    }
    if (this.stopped) return stopped;
    const setting: OutcomeCodeSetting = {
      codes: answer.value.codes,
      source: 'server',
      fetchedAt: (this.options.now?.() ?? new Date()).toISOString(),
    };
    writeSetting(this.db, OUTCOME_CODES_SETTING, JSON.stringify(setting));
    return ok(setting);
  }
}

export function registerOutcomeCodeHandlers(
  registry: DeskHandlerRegistry,
  outcomeCodes: DeskOutcomeCodes,
): void {
  registry.register('outcomeCodes', () => outcomeCodes.forWrapUp());
}
