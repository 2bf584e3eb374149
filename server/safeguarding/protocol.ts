// The immediate-risk protocol desks show an adviser: the service's own, from a
// JSON file an operator names (SAFEGUARDING_PROTOCOL_FILE), or the default,
// read and checked at start-up like every settings file (server/settings-file.ts).
import {
  defaultSafeguardingProtocol,
  safeguardingProtocolSchema,
  type SafeguardingProtocol,
} from '../../shared/wire/safeguarding';
import { ok, type Result } from '../../shared/result';
import { readSettingsFile } from '../settings-file';

export function loadSafeguardingProtocol(path: string | undefined): Result<SafeguardingProtocol> {
  if (path === undefined || path === '') return ok(defaultSafeguardingProtocol);
  return readSettingsFile(path, 'safeguarding protocol', safeguardingProtocolSchema);
}
