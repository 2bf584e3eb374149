// Test double for SessionStore: keeps the session in memory only.
import type { SessionStore, StoredSession } from './session-store';

export class InMemorySessionStore implements SessionStore {
  constructor(private session: StoredSession | null = null) {}

  load(): StoredSession | null {
    return this.session;
  }

  save(session: StoredSession): void {
    this.session = session;
  }

  clear(): void {
    this.session = null;
  }
}
