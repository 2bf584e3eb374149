// The helpline's service hours on the desk: the hours the server keeps for web
// chat (its public service answer), cached (server-setting.ts) so a follow-up
// booked with the network down is checked against the same hours. A desk that
// has never reached the server uses the built-in 08:00 to 22:00.
import { fail, ok } from '../../shared/result';
import {
  defaultServiceHours,
  parseServiceHours,
  serviceHoursSettingSchema,
  type ServiceHoursSetting,
} from '../../shared/time/service-hours';
import { chat } from '../../shared/wire/routes';
import type { DeskHandlerRegistry } from './handlers';
import type { HistoryConnection } from './history';
import type { LocalDb } from './local-db';
import { ServerSetting, type ServerSettingOptions } from './server-setting';
import { serverJson } from './server-json';

/** The settings-table key the cached hours are kept under. */
export const SERVICE_HOURS_SETTING = 'service_hours';

export class DeskServiceHours extends ServerSetting<ServiceHoursSetting> {
  constructor(db: LocalDb, connection: HistoryConnection, options: ServerSettingOptions) {
    super(
      db,
      connection,
      {
        key: SERVICE_HOURS_SETTING,
        what: 'the service hours',
        schema: serviceHoursSettingSchema,
        builtIn: () => ({ hours: defaultServiceHours, source: 'built_in', fetchedAt: null }),
        needsToken: false,
        fetch: async (server, _token, fetchedAt) => {
          const answer = await serverJson(server, chat.service, {}, null);
          if (!answer.ok) return answer;
          const hours = parseServiceHours(`${answer.value.opensAt}-${answer.value.closesAt}`);
          return hours
            ? ok({ hours, source: 'server' as const, fetchedAt })
            : fail('internal', 'The central server gave service hours the desk cannot read');
        },
      },
      options,
    );
  }
}

export function registerServiceHoursHandlers(
  registry: DeskHandlerRegistry,
  serviceHours: DeskServiceHours,
): void {
  registry.register('serviceHours', () => serviceHours.forUse());
}
