// The desk database's encryption at rest (decision 0036): SQLite3 Multiple
// Ciphers' default cipher, ChaCha20-Poly1305, on every page of the file and its
// WAL, keyed with the data folder's 256-bit database key (desk-keys.ts). Here:
// keying a connection, telling a wrong key from a damaged file, and encrypting
// a desk's plain file the first time it is opened with a key.
import { closeSync, openSync, renameSync, rmSync } from 'node:fs';
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

/**
 * Keys a new connection (the key must be its first statement) and reads the
 * schema, which is where a wrong key shows: every page then fails its
 * authentication tag. That is reported as such here, not as "file is not a
 * database" from whichever statement happens to run first.
 */
export function keyConnection(db: CipherDatabase.Database, key: Buffer | null): void {
  if (key !== null) db.pragma(`key = '${rawKey(key)}'`);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if (!isNotADatabase(error)) throw error;
    throw new DeskDatabaseKeyError(
      key === null
        ? `The desk's database (${db.name}) is encrypted and cannot be opened without its key.`
        : `The desk's database (${db.name}) cannot be opened with this key: it was encrypted ` +
            'with another key, or the file is not a desk database. In browser mode, start the ' +
            'desk with the key file it was made with (--key-file or DESK_KEY_FILE).',
    );
  }
}

/**
 * Encrypts an existing desk's plain database with `key`, once, on the first
 * open with a key. Crash-safe: the plain file is left as it is until an
 * encrypted copy is whole, checked and on disk, and then replaced by it in one
 * rename. A crash before the rename leaves the plain desk, which is encrypted
 * on the next start; after it, the encrypted one.
 */
export function encryptPlainDatabase(file: string, key: Buffer, busyTimeoutMs: number): void {
  const copy = `${file}.encrypting`;
  removeCopy(copy);
  const plain = new CipherDatabase(file, { timeout: busyTimeoutMs });
  try {
    // Everything in the WAL goes into the file, and the WAL goes: the copy is
    // then the whole database.
    plain.pragma('wal_checkpoint(TRUNCATE)');
    leaveWal(plain);
    // The read lock the copy takes is then held until this connection closes,
    // so nobody writes to the plain file between the copy and the rename.
    plain.pragma('locking_mode = EXCLUSIVE');
    // Large sorts in memory, so no plain temporary file is written beside the copy.
    plain.pragma('temp_store = MEMORY');
    // Made empty and owner-only first: SQLite would make the copy readable by others.
    closeSync(openSync(copy, 'w', 0o600));
    plain.prepare('VACUUM INTO ?').run(copy);
    sealCopy(copy, key, busyTimeoutMs);
  } catch (error) {
    plain.close();
    removeCopy(copy);
    throw error;
  }
  // Closed first: Windows cannot rename over a file that is open.
  plain.close();
  renameSync(copy, file);
  syncFolder(dirname(file));
}

/** Encrypts the copy, durably, and checks it opens with the key, reads whole, and is not plain. */
function sealCopy(copy: string, key: Buffer, busyTimeoutMs: number): void {
  const sealing = new CipherDatabase(copy, { timeout: busyTimeoutMs });
  try {
    // Committed with a full sync, so the copy is on disk before it replaces the file.
    sealing.pragma('synchronous = FULL');
    sealing.pragma(`rekey = '${rawKey(key)}'`);
  } finally {
    sealing.close();
  }
  if (isPlainDatabaseFile(copy)) throw new Error("The desk's database copy was not encrypted");
  const check = new CipherDatabase(copy);
  try {
    keyConnection(check, key);
    const result = check.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(`The desk's encrypted copy failed its check: ${result}`);
  } finally {
    check.close();
  }
}

/**
 * Takes the plain file out of WAL mode, which needs the only connection to it:
 * a desk (or another tool) still running on this folder stops the encryption
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
