// The wrap-up outcome codes on the desk: the operator's list, cached from the
// central server (server-setting.ts), so an adviser can wrap up with the
// network down. A desk that has never reached the server answers the built-in list.
import { ok } from '../../shared/result';
import {
  defaultOutcomeCodes,
  outcomeCodeSettingSchema,
  type OutcomeCodeSetting,
} from '../../shared/interaction/outcome-codes';
import { wrapUp } from '../../shared/wire/routes';
import type { DeskHandlerRegistry } from './handlers';
import type { HistoryConnection } from './history';
import type { LocalDb } from './local-db';
import { ServerSetting, type ServerSettingOptions } from './server-setting';
import { serverJson } from './server-json';

/** The settings-table key the cached list is kept under. */
export const OUTCOME_CODES_SETTING = 'wrap_up_outcome_codes';

export class DeskOutcomeCodes extends ServerSetting<OutcomeCodeSetting> {
  constructor(db: LocalDb, connection: HistoryConnection, options: ServerSettingOptions) {
    super(
      db,
      connection,
      {
        key: OUTCOME_CODES_SETTING,
        what: 'the outcome codes',
        schema: outcomeCodeSettingSchema,
        builtIn: () => ({ codes: [...defaultOutcomeCodes], source: 'built_in', fetchedAt: null }),
        needsToken: true,
        fetch: async (server, token, fetchedAt) => {
          const answer = await serverJson(server, wrapUp.outcomeCodes, {}, token);
          return answer.ok
            ? ok({ codes: answer.value.codes, source: 'server' as const, fetchedAt })
            : answer;
        },
      },
      options,
    );
  }

  /** What the wrap-up screen shows. */
  forWrapUp() {
    return this.forUse();
  }
}

export function registerOutcomeCodeHandlers(
  registry: DeskHandlerRegistry,
  outcomeCodes: DeskOutcomeCodes,
): void {
  registry.register('outcomeCodes', () => outcomeCodes.forWrapUp());
}
