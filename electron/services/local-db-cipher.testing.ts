// A desk's database as builds before decision 0047 encrypted it, for the
// tests and the benchmark of bringing such a desk to AEGIS-256.
import type { LocalDb } from './local-db';
import { CipherDatabase } from './local-db-cipher';

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
