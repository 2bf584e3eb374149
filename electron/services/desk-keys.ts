// The keys of one desk's data folder: the database key, which the desk's
// SQLite file is encrypted with (local-db.ts), and in Electron the session key,
// which the adviser's session is encrypted with inside it (session-key.ts).
//
// Electron keeps both in one file in the data folder, sealed with the
// operating system's key store (safeStorage, which works only in the main
// process); the main process hands them to the services' process at open.
// Browser mode, and Electron where there is no key store, keep the database key
// in a plain key file readable by its owner only. Nothing here touches the
// database: the main process loads no SQLite.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { isEncryptedDatabaseFile, LOCAL_DB_FILE } from './database-file';
import type { StringEncryptor } from './session-key';

/** 256 bits: the size of every desk key. */
export const DESK_KEY_BYTES = 32;

/** The database key's file in the data folder, where a key file is used and none is named. */
export const DESK_KEY_FILE = 'desk.key';

/** Electron's keys for the data folder, sealed with the operating system's key store. */
export const SEALED_KEYS_FILE = 'desk-keys.sealed';

/** Where earlier versions kept the session key alone, sealed the same way. */
export const LEGACY_SESSION_KEY_FILE = 'session.key';

/** A key file or sealed keys the desk cannot use; nothing is replaced, so the data stays openable. */
export class DeskKeyError extends Error {
  override name = 'DeskKeyError';
}

const keyText = z.base64().refine((text) => Buffer.from(text, 'base64').length === DESK_KEY_BYTES, {
  message: `a desk key is ${DESK_KEY_BYTES} bytes`,
});

const sealedKeysSchema = z.object({
  version: z.literal(1),
  session: keyText,
  database: keyText,
});

const ownerOnlyFolder = 0o700;
const ownerOnlyFile = 0o600;

/**
 * Writes a new file whole and durably, readable by its owner only, and never
 * over one that exists: a lost or overwritten database key would leave the
 * desk's records unreadable for good. False if another process made the file first.
 */
function writeNewKeyFile(file: string, contents: string | Buffer): boolean {
  mkdirSync(dirname(file), { recursive: true, mode: ownerOnlyFolder });
  const partial = `${file}.${process.pid}.partial`;
  const fd = openSync(partial, 'w', ownerOnlyFile);
  try {
    writeSync(fd, typeof contents === 'string' ? Buffer.from(contents) : contents);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (!placeWithoutReplacing(partial, file)) return false;
  } finally {
    rmSync(partial, { force: true });
  }
  syncFolder(dirname(file));
  return true;
}

/**
 * Puts the whole file in place under its name. A link, unlike a rename, fails
 * rather than replace a key another process has just made. A file system
 * without links (FAT or exFAT, as on a USB stick holding an operator's key
 * file) gets a rename after a last look instead.
 */
function placeWithoutReplacing(partial: string, file: string): boolean {
  try {
    linkSync(partial, file);
    return true;
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP'].some((code) => isErrorCode(error, code))) throw error;
  }
  if (existsSync(file)) return false;
  renameSync(partial, file);
  return true;
}

/**
 * Makes a new or renamed entry in `folder` survive a power cut. POSIX only:
 * Windows cannot open a folder, and flushes a rename with the volume.
 */
export function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

function readKeyFile(file: string): Buffer {
  const parsed = keyText.safeParse(readFileSync(file, 'utf8').trim());
  if (!parsed.success) {
    throw new DeskKeyError(
      `The desk's key file ${file} does not hold a desk key (${DESK_KEY_BYTES} bytes, base64). ` +
        'It was left as it is: start the desk with the key file its database was made with.',
    );
  }
  return Buffer.from(parsed.data, 'base64');
}

/**
 * The database key of the desk in `dataDir`, kept in a key file (base64, owner
 * only): read if the file exists, made on first start if not. A file
 * that does not hold a key is refused, never replaced; so is a missing one
 * while the database is encrypted already (a key file on a volume not mounted,
 * a data folder copied without it), since a new key could not open it. One an
 * earlier copy left readable by others is narrowed to its owner, as the
 * database files are.
 */
export function keptKeyFile(file: string, dataDir: string): Buffer {
  if (!existsSync(file)) {
    const databaseFile = join(dataDir, LOCAL_DB_FILE);
    if (isEncryptedDatabaseFile(databaseFile)) throw missingKey(databaseFile, `in ${file}`);
    const key = randomBytes(DESK_KEY_BYTES);
    if (writeNewKeyFile(file, `${key.toString('base64')}\n`)) return key;
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, ownerOnlyFile);
  }
  return readKeyFile(file);
}

function missingKey(databaseFile: string, lookedIn: string): DeskKeyError {
  return new DeskKeyError(
    `The desk's database (${databaseFile}) is encrypted, and its key is not ${lookedIn}. ` +
      'Start the desk with the key it was made with (in browser mode, --key-file or ' +
      'DESK_KEY_FILE): a new key could not open it.',
  );
}

/** The keys the Electron main process hands the services' process. */
export interface DeskKeys {
  /** Encrypts the adviser's session; null where there is no key store (the session is not kept). */
  sessionKey: Buffer | null;
  databaseKey: Buffer;
  /** Where the database key is kept: under the key store, or in `desk.key` where there is none. */
  keptIn: 'key-store' | 'key-file';
}

/**
 * The data folder's keys in Electron, sealed with the operating system's key
 * store in one file, made on first start. A desk from before the database was
 * encrypted keeps its session key (from `session.key`), so the adviser stays
 * signed in. Sealed keys the key store cannot open (copied from another
 * machine or account, or the key store locked) are refused rather than
 * replaced: a new database key could never open the records.
 *
 * Where there is no key store the database key is kept in `desk.key`, as in
 * browser mode, and the session is not kept, as before.
 */
export function keptDeskKeys(dataDir: string, keyStore: StringEncryptor): DeskKeys {
  const sealedFile = join(dataDir, SEALED_KEYS_FILE);
  const keyFile = join(dataDir, DESK_KEY_FILE);
  const databaseFile = join(dataDir, LOCAL_DB_FILE);
  if (!keyStore.isEncryptionAvailable()) {
    if (existsSync(sealedFile)) {
      throw new DeskKeyError(
        "The desk's keys are kept under the operating system's key store, which is not " +
          'available now: sign in to this computer as the same user, with its key ring ' +
          'unlocked, and start the desk again.',
      );
    }
    return {
      sessionKey: null,
      databaseKey: keptKeyFile(keyFile, dataDir),
      keptIn: 'key-file',
    };
  }
  if (!existsSync(sealedFile)) {
    const sessionKey = legacySessionKey(dataDir, keyStore) ?? randomBytes(DESK_KEY_BYTES);
    // A desk that ran without a key store has its database key in desk.key: it moves under one.
    const databaseKey = existsSync(keyFile) ? readKeyFile(keyFile) : newDatabaseKey(databaseFile);
    const sealed = {
      version: 1,
      session: sessionKey.toString('base64'),
      database: databaseKey.toString('base64'),
    } satisfies z.infer<typeof sealedKeysSchema>;
    writeNewKeyFile(sealedFile, keyStore.encryptString(JSON.stringify(sealed)));
  }
  const keys = openSealedKeys(sealedFile, keyStore);
  // Only once the sealed file is on disk: until then these are the only copies.
  rmSync(join(dataDir, LEGACY_SESSION_KEY_FILE), { force: true });
  rmSync(keyFile, { force: true });
  return { ...keys, keptIn: 'key-store' };
}

/** A new key for a new (or still plain) database; one encrypted already needs the key it has. */
function newDatabaseKey(databaseFile: string): Buffer {
  if (isEncryptedDatabaseFile(databaseFile)) {
    throw missingKey(databaseFile, "among this data folder's keys");
  }
  return randomBytes(DESK_KEY_BYTES);
}

function openSealedKeys(file: string, keyStore: StringEncryptor) {
  let text: string;
  try {
    text = keyStore.decryptString(readFileSync(file));
  } catch {
    throw new DeskKeyError(
      `The operating system's key store cannot open the desk's keys (${file}): they were sealed ` +
        "for another user or computer. The desk's database cannot be opened without them; the file " +
        'was left as it is.',
    );
  }
  const parsed = sealedKeysSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new DeskKeyError(`The desk's keys (${file}) are damaged; the file was left as it is.`);
  }
  return {
    sessionKey: Buffer.from(parsed.data.session, 'base64'),
    databaseKey: Buffer.from(parsed.data.database, 'base64'),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The session key an earlier version kept alone; null if there is none or it cannot be opened. */
function legacySessionKey(dataDir: string, keyStore: StringEncryptor): Buffer | null {
  const file = join(dataDir, LEGACY_SESSION_KEY_FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = keyText.safeParse(keyStore.decryptString(readFileSync(file)));
    return parsed.success ? Buffer.from(parsed.data, 'base64') : null;
  } catch {
    // Sealed elsewhere: the adviser signs in again, as before.
    return null;
  }
}
