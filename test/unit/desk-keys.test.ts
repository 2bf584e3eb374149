// The keys of a desk's data folder. Browser mode's key file: made once, owner
// only, and read again on every start; one that holds no key is refused and
// left as it is. Electron's keys, sealed with the operating system's key store
// in one file: made once, an earlier desk's session key carried over, keys
// another key store sealed refused and left as they are, and a key file where
// there is no key store. Neither makes a new key for a database that is
// encrypted already: that key could never open it.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DESK_KEY_FILE,
  DeskKeyError,
  keptDeskKeys,
  keptKeyFile,
  LEGACY_SESSION_KEY_FILE,
  SEALED_KEYS_FILE,
} from '../../electron/services/desk-keys';
import { openLocalDb } from '../../electron/services/local-db';
import { tempDataDir, xorEncryptor } from './desk-fixtures';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Runs `make` under a umask that would leave new files readable by everyone. */
function underOpenUmask<T>(make: () => T): T {
  const previous = process.umask(0);
  try {
    return make();
  } finally {
    process.umask(previous);
  }
}

describe("browser mode's key file", () => {
  it('is made on first start, readable by its owner only, and the same key is read after', () => {
    const dataDir = tempDataDir('key-file');
    // Somewhere of the operator's choosing, in a folder that does not exist yet.
    const file = join(tempDataDir('key-file-operator'), 'keys', DESK_KEY_FILE);
    const key = underOpenUmask(() => keptKeyFile(file, dataDir));
    expect(key.length).toBe(32);
    expect(readFileSync(file, 'utf8')).toBe(`${key.toString('base64')}\n`);
    if (process.platform !== 'win32') expect(modeOf(file)).toBe(0o600);
    expect(keptKeyFile(file, dataDir).equals(key)).toBe(true);
    const other = tempDataDir('key-file-other');
    expect(keptKeyFile(join(other, DESK_KEY_FILE), other).equals(key)).toBe(false);
  });

  it.skipIf(process.platform === 'win32')('narrows a key file left readable by others', () => {
    const dataDir = tempDataDir('key-file-open');
    const file = join(dataDir, DESK_KEY_FILE);
    const key = keptKeyFile(file, dataDir);
    chmodSync(file, 0o644);
    expect(keptKeyFile(file, dataDir).equals(key)).toBe(true);
    expect(modeOf(file)).toBe(0o600);
  });

  it('refuses a file that holds no desk key, and leaves it as it is', () => {
    const dataDir = tempDataDir('key-file-bad');
    const file = join(dataDir, DESK_KEY_FILE);
    for (const contents of ['not a key at all', `${Buffer.alloc(16, 7).toString('base64')}\n`]) {
      writeFileSync(file, contents);
      expect(() => keptKeyFile(file, dataDir)).toThrow(DeskKeyError);
      expect(() => keptKeyFile(file, dataDir)).toThrow(/does not hold a desk key/);
      expect(readFileSync(file, 'utf8')).toBe(contents);
    }
  });

  it('makes no new key for a database encrypted already, and says whose key is missing', () => {
    const dataDir = tempDataDir('key-file-missing');
    openLocalDb(dataDir, { key: randomBytes(32) }).close();
    // The operator's key file is on a volume that is not there today.
    const file = join(tempDataDir('key-file-unmounted'), 'usb', DESK_KEY_FILE);
    expect(() => keptKeyFile(file, dataDir)).toThrow(
      /^The desk's database \(.*desk\.sqlite\) is encrypted, and its key is not in .*usb/,
    );
    expect(existsSync(file)).toBe(false);
  });
});

describe('the keys Electron keeps under the key store', () => {
  it('are made once per data folder, sealed in one file, and the same on every start', () => {
    const dataDir = tempDataDir('sealed-keys');
    const keys = keptDeskKeys(dataDir, xorEncryptor());
    expect(keys.keptIn).toBe('key-store');
    expect(keys.databaseKey.length).toBe(32);
    expect(keys.sessionKey?.length).toBe(32);
    expect(keys.sessionKey?.equals(keys.databaseKey)).toBe(false);
    // On disk only as the key store sealed them, and no key file beside them.
    const sealed = readFileSync(join(dataDir, SEALED_KEYS_FILE));
    for (const key of [keys.databaseKey, keys.sessionKey ?? Buffer.alloc(0)]) {
      expect(sealed.includes(Buffer.from(key.toString('base64')))).toBe(false);
    }
    expect(existsSync(join(dataDir, DESK_KEY_FILE))).toBe(false);
    expect(keptDeskKeys(dataDir, xorEncryptor())).toEqual(keys);
  });

  it("carry over an earlier desk's session key, so the adviser stays signed in", () => {
    const dataDir = tempDataDir('sealed-keys-legacy');
    const sessionKey = Buffer.alloc(32, 9);
    const legacy = join(dataDir, LEGACY_SESSION_KEY_FILE);
    writeFileSync(legacy, xorEncryptor().encryptString(sessionKey.toString('base64')));
    const keys = keptDeskKeys(dataDir, xorEncryptor());
    expect(keys.sessionKey?.equals(sessionKey)).toBe(true);
    expect(existsSync(legacy)).toBe(false);
    expect(keptDeskKeys(dataDir, xorEncryptor()).sessionKey?.equals(sessionKey)).toBe(true);
  });

  it('make a new session key where the earlier one was sealed elsewhere, as before', () => {
    const dataDir = tempDataDir('sealed-keys-legacy-other');
    const legacy = join(dataDir, LEGACY_SESSION_KEY_FILE);
    writeFileSync(
      legacy,
      xorEncryptor(true, 0x33).encryptString(Buffer.alloc(32).toString('base64')),
    );
    const keys = keptDeskKeys(dataDir, xorEncryptor());
    expect(keys.sessionKey?.equals(Buffer.alloc(32))).toBe(false);
    expect(keys.sessionKey?.length).toBe(32);
  });

  it('refuse keys another key store sealed, and leave them as they are', () => {
    const dataDir = tempDataDir('sealed-keys-other');
    keptDeskKeys(dataDir, xorEncryptor());
    const file = join(dataDir, SEALED_KEYS_FILE);
    const sealed = readFileSync(file);
    expect(() => keptDeskKeys(dataDir, xorEncryptor(true, 0x33))).toThrow(
      /key store cannot open the desk's keys/,
    );
    // With no key store at all, the sealed keys are not given up for a new key file either.
    expect(() => keptDeskKeys(dataDir, xorEncryptor(false))).toThrow(DeskKeyError);
    expect(existsSync(join(dataDir, DESK_KEY_FILE))).toBe(false);
    expect(readFileSync(file).equals(sealed)).toBe(true);
  });

  it('make no new database key for a data folder whose database is encrypted with another', () => {
    const dataDir = tempDataDir('sealed-keys-foreign');
    openLocalDb(dataDir, { key: randomBytes(32) }).close();
    expect(() => keptDeskKeys(dataDir, xorEncryptor())).toThrow(
      /is encrypted, and its key is not among this data folder's keys/,
    );
    expect(existsSync(join(dataDir, SEALED_KEYS_FILE))).toBe(false);
    expect(() => keptDeskKeys(dataDir, xorEncryptor(false))).toThrow(DeskKeyError);
    expect(existsSync(join(dataDir, DESK_KEY_FILE))).toBe(false);
  });

  it('keep the database key in desk.key where there is no key store, and move it under one later', () => {
    const dataDir = tempDataDir('sealed-keys-none');
    const withoutStore = keptDeskKeys(dataDir, xorEncryptor(false));
    expect(withoutStore).toMatchObject({ sessionKey: null, keptIn: 'key-file' });
    expect(
      keptKeyFile(join(dataDir, DESK_KEY_FILE), dataDir).equals(withoutStore.databaseKey),
    ).toBe(true);

    const withStore = keptDeskKeys(dataDir, xorEncryptor());
    expect(withStore.keptIn).toBe('key-store');
    expect(withStore.databaseKey.equals(withoutStore.databaseKey)).toBe(true);
    expect(existsSync(join(dataDir, DESK_KEY_FILE))).toBe(false);
  });
});
