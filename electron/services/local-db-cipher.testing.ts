// A desk's database as builds before decision 0047 encrypted it, and which
// cipher a file reads with, for the tests and the benchmark of bringing such a
// desk to AEGIS-256.
import { migrate, type LocalDb } from './local-db';
import { CipherDatabase } from './local-db-cipher';
import { deskMigrations } from './migrations';

/**
 * A connection keyed as those builds keyed the desk's file: the library's
 * default cipher then, ChaCha20-Poly1305 (named here, as that default may
 * change), a raw key, WAL and full sync.
 */
export function chacha20Connection(file: string, key: Buffer): LocalDb {
  const db = new CipherDatabase(file);
  db.pragma(`cipher = 'chacha20'`);
  db.pragma(`key = 'raw:${key.toString('hex')}'`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** A ChaCha20 desk's database with today's schema, open: the caller adds its rows and closes it. */
export function chacha20Desk(file: string, key: Buffer): LocalDb {
  const db = chacha20Connection(file, key);
  try {
    migrate(db, deskMigrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Which cipher reads `file` with `key`, each tried on a connection of its own:
 * AEGIS-256 (the desk's), another AEGIS variant with a key of the same length,
 * ChaCha20 (desks before decision 0047), or none.
 */
export function cipherOf(file: string, key: Buffer): string | null {
  const candidates = [
    { name: 'aegis', algorithm: 'aegis-256' },
    { name: 'aegis', algorithm: 'aegis-256x2' },
    { name: 'chacha20', algorithm: null },
  ];
  for (const { name, algorithm } of candidates) {
    const db = new CipherDatabase(file);
    try {
      db.pragma(`cipher = '${name}'`);
      if (algorithm !== null) db.pragma(`algorithm = '${algorithm}'`);
      db.pragma(`key = 'raw:${key.toString('hex')}'`);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return algorithm ?? name;
    } catch (error) {
      if (!(error instanceof CipherDatabase.SqliteError && error.code === 'SQLITE_NOTADB')) {
        throw error;
      }
    } finally {
      db.close();
    }
  }
  return null;
}
