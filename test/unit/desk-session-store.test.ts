// Where the adviser's session is kept between launches: in the settings table in
// browser mode, encrypted with its own key in Electron, and never kept when
// encryption is missing. How the key is kept: desk-keys.test.ts.
import { describe, expect, it } from 'vitest';
import { openLocalDb, readSetting } from '../../electron/services/local-db';
import {
  EncryptedSessionStore,
  LocalSettingsSessionStore,
  type StoredSession,
} from '../../electron/services/session-store';
import { keptDeskKeys } from '../../electron/services/desk-keys';
import { keyEncryptor } from '../../electron/services/session-key';
import { tempDataDir, xorEncryptor } from './desk-fixtures';

const session: StoredSession = {
  sessionToken: 'session-token-that-must-not-leak',
  expiresAt: '2026-11-21T10:00:00.000Z',
  user: {
    id: 'adviser-1',
    username: 'demo-adviser',
    displayName: 'Alex Adviser',
    roles: ['adviser'],
  },
};

describe('keeping the session', () => {
  it('keeps it in the local settings and forgets it on sign-out', () => {
    const dataDir = tempDataDir();
    const db = openLocalDb(dataDir);
    new LocalSettingsSessionStore(db).save(session);
    db.close();
    const reopened = openLocalDb(dataDir);
    const store = new LocalSettingsSessionStore(reopened);
    expect(store.load()).toEqual(session);
    store.clear();
    expect(store.load()).toBeNull();
    reopened.close();
  });

  it('ignores a stored session that no longer parses', () => {
    const db = openLocalDb(tempDataDir());
    db.prepare(`INSERT INTO settings (key, value) VALUES ('session', '{"sessionToken":1}')`).run();
    expect(new LocalSettingsSessionStore(db).load()).toBeNull();
    db.close();
  });

  it('stores only ciphertext when encrypting at rest, and reads it back', () => {
    const db = openLocalDb(tempDataDir());
    const store = new EncryptedSessionStore(db, xorEncryptor());
    store.save(session);
    const atRest = readSetting(db, 'session_encrypted') ?? '';
    expect(atRest).not.toBe('');
    expect(Buffer.from(atRest, 'base64').toString()).not.toContain(session.sessionToken);
    expect(store.load()).toEqual(session);
    db.close();
  });

  it('keeps nothing when the operating system offers no encryption', () => {
    const db = openLocalDb(tempDataDir());
    const store = new EncryptedSessionStore(db, xorEncryptor(false));
    store.save(session);
    expect(store.load()).toBeNull();
    expect(
      db.prepare('SELECT COUNT(*) FROM settings WHERE key LIKE ?').pluck().get('session%'),
    ).toBe(0);
    db.close();
  });
});

describe('the session key the main process keeps for the services', () => {
  it('encrypts the session with the key, and a different key cannot read it', () => {
    const dataDir = tempDataDir('session-key');
    const key = keptDeskKeys(dataDir, xorEncryptor()).sessionKey;
    expect(key?.length).toBe(32);
    const db = openLocalDb(dataDir);
    new EncryptedSessionStore(db, keyEncryptor(key)).save(session);
    expect(new EncryptedSessionStore(db, keyEncryptor(key)).load()).toEqual(session);
    const otherKey = keptDeskKeys(tempDataDir('session-key-other'), xorEncryptor()).sessionKey;
    expect(new EncryptedSessionStore(db, keyEncryptor(otherKey)).load()).toBeNull();
    // No key store: nothing is kept, and nothing kept before is read.
    expect(new EncryptedSessionStore(db, keyEncryptor(null)).load()).toBeNull();
    db.close();
  });
});
