// The desk's data folder holds the adviser's session token and young people's
// records: the folder is the owner's alone (0700), and so is the database with
// its -wal and -shm files (0600), whatever the umask, for a new folder and for
// one an earlier build left readable. Every connection waits for a busy lock.
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DESK_BUSY_TIMEOUT_MS,
  LOCAL_DB_FILE,
  openDeskConnection,
  openLocalDb,
  type LocalDb,
} from '../../electron/services/local-db';
import { tempDataDir } from './desk-fixtures';

const opened: LocalDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

const modeOf = (path: string) => statSync(path).mode & 0o777;
const databaseFiles = (dataDir: string) =>
  ['', '-wal', '-shm'].map((suffix) => join(dataDir, `${LOCAL_DB_FILE}${suffix}`));

/** Runs `open` under a umask that would leave everything readable by everyone. */
function underOpenUmask<T>(open: () => T): T {
  const previous = process.umask(0);
  try {
    return open();
  } finally {
    process.umask(previous);
  }
}

// POSIX modes: Windows keeps its own access lists, which chmod does not set.
describe.skipIf(process.platform === 'win32')('the desk data folder', () => {
  it('is made owner-only, with the database and its -wal and -shm files', () => {
    const dataDir = join(tempDataDir(), 'nested', 'desk');
    const db = underOpenUmask(() => openLocalDb(dataDir));
    opened.push(db);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const file of databaseFiles(dataDir)) expect([file, modeOf(file)]).toEqual([file, 0o600]);
  });

  it('narrows a folder and files an earlier build left readable by others', () => {
    const dataDir = tempDataDir();
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
    // An earlier desk, still running: its -wal and -shm exist while it is open.
    const earlier = new Database(join(dataDir, LOCAL_DB_FILE));
    opened.push(earlier);
    earlier.pragma('journal_mode = WAL');
    earlier.exec('CREATE TABLE IF NOT EXISTS earlier (id INTEGER)');
    for (const file of databaseFiles(dataDir)) chmodSync(file, 0o644);

    opened.push(openLocalDb(dataDir));
    expect(modeOf(dataDir)).toBe(0o700);
    for (const file of databaseFiles(dataDir)) expect([file, modeOf(file)]).toEqual([file, 0o600]);
  });
});

describe('desk connections', () => {
  it('wait for a busy lock, the desk its own and the knowledge writer its own', () => {
    const dataDir = tempDataDir();
    const desk = openLocalDb(dataDir);
    opened.push(desk);
    const writer = openDeskConnection(join(dataDir, LOCAL_DB_FILE));
    opened.push(writer);
    for (const db of [desk, writer]) {
      expect(db.pragma('busy_timeout', { simple: true })).toBe(DESK_BUSY_TIMEOUT_MS);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
    }
  });
});
