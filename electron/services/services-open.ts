// What the desk services' process makes of the main process's `open`
// (host-protocol.ts): kept apart from the protocol, which the main process
// loads, because this side reaches the database and the main process loads no SQLite.
import type { DeskServicesOptions } from './desk';
import type { ServicesHost, ServicesOpen } from './host-protocol';
import { keyEncryptor } from './session-key';
import { EncryptedSessionStore } from './session-store';

/**
 * The desk services' options that `open` carries (the folder, the server, the
 * database key, and the session key for a session store that encrypts with
 * it), and what the main process does for them: opening checked links, and
 * hearing that the desk's file is being converted.
 */
export function servicesOptionsFrom(
  open: ServicesOpen,
  host: ServicesHost,
): Pick<
  DeskServicesOptions,
  | 'dataDir'
  | 'serverUrl'
  | 'databaseKey'
  | 'sessionStore'
  | 'retentionDays'
  | 'openExternal'
  | 'onConversion'
> {
  const sessionKey = open.sessionKey === null ? null : Buffer.from(open.sessionKey, 'base64');
  return {
    dataDir: open.dataDir,
    serverUrl: open.serverUrl,
    databaseKey: Buffer.from(open.databaseKey, 'base64'),
    retentionDays: open.retentionDays,
    sessionStore: (db) => new EncryptedSessionStore(db, keyEncryptor(sessionKey)),
    // Links from knowledge articles, already checked by the desk services.
    openExternal: (url) => host.openExternal(url),
    onConversion: (conversion) => host.converting(conversion),
  };
}
