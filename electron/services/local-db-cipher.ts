// The desk database's encryption at rest (decisions 0036 and 0047): SQLite3
// Multiple Ciphers' AEGIS-256, authenticated, on every page of the file and its
// WAL, keyed with the data folder's 256-bit database key (desk-keys.ts). Here:
// opening a keyed connection, telling a wrong key from a damaged file, and
// bringing an older desk's file to AEGIS-256 once, the first time it is opened
// with a key: a plain one (from before encryption at rest) is encrypted, and a
// ChaCha20-Poly1305 one (every desk encrypted before decision 0047) converted.
import {
  chmodSync,
  constants as fsConstants,
  copyFileSync,
  rmSync,
  renameSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import CipherDatabase from 'better-sqlite3-multiple-ciphers';
import { isPlainDatabaseFile } from './database-file';
import { DESK_KEY_BYTES, syncFolder } from './desk-keys';

/** The desk's SQLite driver: better-sqlite3's API, built with SQLite3 Multiple Ciphers. */
export { CipherDatabase };

/** The database cannot be read with the key given (or without one). */
export class DeskDatabaseKeyError extends Error {
  override name = 'DeskDatabaseKeyError';
}

/** A cipher as SQLite3 Multiple Ciphers selects it on a connection, before the key. */
interface Cipher {
  readonly name: string;
  /** The cipher's variant, named so that another default in a later library cannot change it. */
  readonly algorithm?: string;
}

/** What the desk's file is written with (decision 0047). */
const AEGIS_256: Cipher = { name: 'aegis', algorithm: 'aegis-256' };

/** What desks were encrypted with before decision 0047: the library's default then. */
const CHACHA20: Cipher = { name: 'chacha20' };

/** How a connection reads a file: with a key and the cipher it was written with, or (null) plain. */
type Keying = { readonly key: Buffer; readonly cipher: Cipher } | null;

/**
 * Beside the desk's file while an older one is brought to AEGIS-256: the copy
 * that replaces it. The name encrypting plain desks always had, so a copy an
 * earlier build's crash left is removed too.
 */
const COPY_SUFFIX = '.encrypting';

/**
 * The key as SQLite3 Multiple Ciphers takes it raw: used as it is, with no
 * key derivation (PBKDF2 at 64,007 rounds would cost every connection tens of
 * milliseconds, and the key is already random). Hex only, so safe in a pragma.
 */
function rawKey(key: Buffer): string {
  if (key.length !== DESK_KEY_BYTES) {
    throw new DeskDatabaseKeyError(`The desk's database key must be ${DESK_KEY_BYTES} bytes`);
  }
  return `raw:${key.toString('hex')}`;
}

function isNotADatabase(error: unknown): boolean {
  return error instanceof CipherDatabase.SqliteError && error.code === 'SQLITE_NOTADB';
}

/** Makes `cipher` the one the connection's next key or rekey uses. */
function selectCipher(db: CipherDatabase.Database, cipher: Cipher): void {
  db.pragma(`cipher = '${cipher.name}'`);
  if (cipher.algorithm === undefined) return;
  // A name the library does not know is ignored, not refused: what it took is checked.
  const algorithm: unknown = db.pragma(`algorithm = '${cipher.algorithm}'`, { simple: true });
  if (algorithm !== cipher.algorithm) {
    throw new Error(
      `The desk's cipher ${cipher.algorithm} is not available (${String(algorithm)})`,
    );
  }
}

/**
 * Keys a new connection (cipher and key must be its first statements) and
 * reads the schema, which is where a wrong key shows: every page then fails
 * its authentication tag. That is reported as such here, not as "file is not
 * a database" from whichever statement happens to run first.
 */
function keyConnection(db: CipherDatabase.Database, keying: Keying): void {
  if (keying !== null) {
    const key = rawKey(keying.key);
    selectCipher(db, keying.cipher);
    db.pragma(`key = '${key}'`);
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (!isNotADatabase(error)) throw error;
    throw new DeskDatabaseKeyError(
      keying === null
        ? `The desk's database (${db.name}) is encrypted and cannot be opened without its key.`
        : `The desk's database (${db.name}) cannot be opened with this key: it was encrypted ` +
            'with another key, or the file is not a desk database. In browser mode, start the ' +
            'desk with the key file it was made with (--key-file or DESK_KEY_FILE).',
    );
  }
}

/** A new connection to `file`, keyed as `keying` says and its schema read; closed again if that fails. */
function connect(file: string, keying: Keying, busyTimeoutMs: number): CipherDatabase.Database {
  // The constructor's timeout is SQLite's busy timeout.
  const db = new CipherDatabase(file, { timeout: busyTimeoutMs });
  try {
    keyConnection(db, keying);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a connection to the desk's database file, keyed with `key` (null opens
 * a plain file, as tools and tests that make their own do). A desk's file in
 * an older form is brought to AEGIS-256 first, once: a plain file is
 * encrypted, and a file AEGIS-256 cannot read with the key is tried as
 * ChaCha20, converted if that reads it, and otherwise refused as a wrong key.
 */
export function openKeyedDatabase(
  file: string,
  key: Buffer | null,
  busyTimeoutMs: number,
  onConversion: ConversionListener = () => undefined,
): CipherDatabase.Database {
  if (key === null) return connect(file, null, busyTimeoutMs);
  const desk: Keying = { key, cipher: AEGIS_256 };
  if (isPlainDatabaseFile(file)) replaceWithAegisCopy(file, null, key, busyTimeoutMs, onConversion);
  try {
    return connect(file, desk, busyTimeoutMs);
  } catch (error) {
    if (!(error instanceof DeskDatabaseKeyError)) throw error;
  }
  // Read as ChaCha20 on a connection of its own: with a wrong key that refuses
  // in the same words, and changes nothing.
  replaceWithAegisCopy(file, { key, cipher: CHACHA20 }, key, busyTimeoutMs, onConversion);
  return connect(file, desk, busyTimeoutMs);
}

/**
 * Told just before a desk's file is converted, which reads and writes it
 * whole: a full desk takes seconds to minutes (bench/desk-upgrade.ts), so
 * whoever waits for the desk can say why.
 */
export type ConversionListener = (conversion: { bytes: number }) => void;

/**
 * Replaces the desk's file, read as `was` says (plain, or an older cipher),
 * with an AEGIS-256 copy of it keyed with `key`. Crash-safe: the file is left
 * as it is until the copy is whole, encrypted, checked and on disk, and then
 * replaced by it in one rename. A crash before the rename leaves the older
 * file, brought over on the next start (the copy it left is removed first);
 * after it, the AEGIS-256 one.
 */
function replaceWithAegisCopy(
  file: string,
  was: Keying,
  key: Buffer,
  busyTimeoutMs: number,
  onConversion: ConversionListener,
): void {
  const copy = `${file}${COPY_SUFFIX}`;
  const older = connect(file, was, busyTimeoutMs);
  try {
    removeCopy(copy);
    // Everything in the WAL goes into the file, and the WAL goes: the file is
    // then the whole database. Rekeying is refused in WAL mode, too.
    older.pragma('wal_checkpoint(TRUNCATE)');
    leaveWal(older);
    // The read lock taken next is then held until this connection closes, so
    // nobody writes to the file between the copy and the rename.
    older.pragma('locking_mode = EXCLUSIVE');
    older.prepare('SELECT count(*) FROM sqlite_master').get();
    // The file reads with `was` and is the whole database now: the long part starts.
    onConversion({ bytes: statSync(file).size });
    copyOwnerOnly(file, copy);
    sealCopy(copy, was, key, busyTimeoutMs);
  } catch (error) {
    older.close();
    removeCopy(copy);
    throw error;
  }
  // Closed first: Windows cannot rename over a file that is open.
  older.close();
  renameSync(copy, file);
  syncFolder(dirname(file));
}

/** Rekeys the copy to AEGIS-256, durably, and checks it opens with the key, reads whole, and is not plain. */
function sealCopy(copy: string, was: Keying, key: Buffer, busyTimeoutMs: number): void {
  const sealing = connect(copy, was, busyTimeoutMs);
  try {
    // Committed with a full sync, so the copy is on disk before it replaces the file.
    sealing.pragma('synchronous = FULL');
    // The rekey rewrites every page through a VACUUM, whose scratch database
    // the cipher leaves unencrypted: it is kept in memory, off the disk.
    sealing.pragma('temp_store = MEMORY');
    selectCipher(sealing, AEGIS_256);
    sealing.pragma(`rekey = '${rawKey(key)}'`);
  } finally {
    sealing.close();
  }
  if (isPlainDatabaseFile(copy)) throw new Error("The desk's database copy was not encrypted");
  const check = connect(copy, { key, cipher: AEGIS_256 }, busyTimeoutMs);
  try {
    const result = check.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(`The desk's encrypted copy failed its check: ${result}`);
  } finally {
    check.close();
  }
}

/**
 * Copies the file byte for byte to `copy`, then narrows the copy to its owner:
 * it holds nothing the file does not, and is readable no wider than the file
 * for the moment between.
 */
function copyOwnerOnly(file: string, copy: string): void {
  copyFileSync(file, copy, fsConstants.COPYFILE_EXCL);
  chmodSync(copy, 0o600);
}

/**
 * Takes the older file out of WAL mode, which needs the only connection to it:
 * a desk (or another tool) still running on this folder stops the change
 * here, before anything is copied, rather than lose what it writes next.
 */
function leaveWal(db: CipherDatabase.Database): void {
  try {
    if (db.pragma('journal_mode = DELETE', { simple: true }) === 'delete') return;
  } catch (error) {
    if (!(error instanceof CipherDatabase.SqliteError && error.code === 'SQLITE_BUSY')) throw error;
  }
  throw new Error(
    `The desk's database (${db.name}) is in use by another program, so it cannot be encrypted ` +
      'now: close that program and start the desk again.',
  );
}

function removeCopy(copy: string): void {
  for (const path of [copy, `${copy}-journal`]) rmSync(path, { force: true });
}
