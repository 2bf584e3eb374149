// What the desk's database file is, told from its first bytes without opening
// it: plain SQLite (a desk from before encryption at rest) or encrypted. Plain
// file system reads only, so the Electron main process, which loads no SQLite,
// can ask before it makes a key.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

/** The desk's database in its data folder. */
export const LOCAL_DB_FILE = 'desk.sqlite';

/** What a plain SQLite file starts with; an encrypted one starts with its cipher's salt. */
const plainHeader = Buffer.from('SQLite format 3\0', 'latin1');

/** The file's first bytes, as many as a plain header has; fewer for a shorter file. */
function headerOf(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(plainHeader.length);
    return header.subarray(0, readSync(fd, header, 0, header.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** True for a plain (unencrypted) SQLite file. */
export function isPlainDatabaseFile(file: string): boolean {
  return existsSync(file) && headerOf(file).equals(plainHeader);
}

/** True for a database file that holds pages and is not plain: only its key opens it. */
export function isEncryptedDatabaseFile(file: string): boolean {
  if (!existsSync(file)) return false;
  const header = headerOf(file);
  return header.length > 0 && !header.equals(plainHeader);
}
