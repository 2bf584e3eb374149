// Where the adviser's session is kept between launches: plainly in browser
// mode, encrypted at rest in Electron, and never kept when encryption is missing.
import { describe, expect, it } from 'vitest';
import { openLocalDb, readSetting } from '../../electron/services/local-db';
import {
  EncryptedSessionStore,
  LocalSettingsSessionStore,
  type StoredSession,
} from '../../electron/services/session-store';
import type { StringEncryptor } from '../../electron/services/session-key';
import { tempDataDir } from './desk-fixtures';

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

/** A reversible stand-in for the operating system's key store. */
const xorEncryptor = (available = true): StringEncryptor => ({
  isEncryptionAvailable: () => available,
  encryptString: (plainText) => Buffer.from(Buffer.from(plainText).map((byte) => byte ^ 0x5a)),
  decryptString: (encrypted) => Buffer.from(encrypted.map((byte) => byte ^ 0x5a)).toString(),
});

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
