// Where the desk keeps the signed-in adviser's session between launches: the
// interface, the plain implementation (the local settings table), and one that
// encrypts at rest: in Electron, with a key the main process keeps under the
// operating system's key store (session-key.ts).
// The in-memory test double is in session-store.testing.ts.
import { z } from 'zod';
import { staffMemberSchema } from '../../shared/domain/people';
import { deleteSetting, readSetting, writeSetting, type LocalDb } from './local-db';
import type { StringEncryptor } from './session-key';

export const storedSessionSchema = z.object({
  sessionToken: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true }),
  user: staffMemberSchema,
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

export interface SessionStore {
  load(): StoredSession | null;
  save(session: StoredSession): void;
  clear(): void;
}

const SESSION_KEY = 'session';

function parseStored(text: string | null): StoredSession | null {
  if (text === null) return null;
  try {
    const parsed = storedSessionSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Keeps the session in the desk's settings table as it is (browser mode, tests). */
export class LocalSettingsSessionStore implements SessionStore {
  constructor(private readonly db: LocalDb) {}

  load(): StoredSession | null {
    return parseStored(readSetting(this.db, SESSION_KEY));
  }

  save(session: StoredSession): void {
    writeSetting(this.db, SESSION_KEY, JSON.stringify(session));
  }

  clear(): void {
    deleteSetting(this.db, SESSION_KEY);
  }
}

const ENCRYPTED_SESSION_KEY = 'session_encrypted';

/**
 * Keeps the session encrypted with the operating system's key store. Where no
 * key store is available the session is not kept at all: the adviser signs in
 * again rather than leaving a token readable on disk.
 */
export class EncryptedSessionStore implements SessionStore {
  constructor(
    private readonly db: LocalDb,
    private readonly encryptor: StringEncryptor,
  ) {}

  load(): StoredSession | null {
    const stored = readSetting(this.db, ENCRYPTED_SESSION_KEY);
    if (stored === null || !this.encryptor.isEncryptionAvailable()) return null;
    try {
      return parseStored(this.encryptor.decryptString(Buffer.from(stored, 'base64')));
    } catch {
      return null;
    }
  }

  save(session: StoredSession): void {
    if (!this.encryptor.isEncryptionAvailable()) return;
    const encrypted = this.encryptor.encryptString(JSON.stringify(session));
    writeSetting(this.db, ENCRYPTED_SESSION_KEY, encrypted.toString('base64'));
  }

  clear(): void {
    deleteSetting(this.db, ENCRYPTED_SESSION_KEY);
  }
}
