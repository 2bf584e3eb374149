// Where the desk's knowledge replica pulls from: the interface, and the HTTP
// implementation of the server's change feed (GET /api/knowledge/changes with
// a short-lived access token). The test double is in knowledge-feed.testing.ts.
import type { KnowledgeChangePage, KnowledgeCursor } from '../../shared/knowledge/article';
import { fail, type Result } from '../../shared/result';
import { maxChangePageSize } from '../../shared/wire/knowledge';
import { knowledge } from '../../shared/wire/routes';
import { serverJson } from './server-json';

export interface KnowledgeFeed {
  /**
   * One page of changes after `since`, oldest first. Never rejects: an
   * unreachable server or an answer the desk cannot read is an error envelope.
   */
  changesSince(since: KnowledgeCursor, limit: number): Promise<Result<KnowledgeChangePage>>;
}

export interface HttpKnowledgeFeedOptions {
  serverUrl: string;
  /** A fresh access token, or null when the desk has no session to get one with. */
  accessToken: () => Promise<string | null>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /**
   * How long one access token is reused across pages. Tokens live five minutes
   * on the server; reusing one for a minute saves a round trip per page, and a
   * refusal (401) fetches a fresh one before giving up.
   */
  tokenReuseMs?: number;
  now?: () => number;
}

export class HttpKnowledgeFeed implements KnowledgeFeed {
  private token: { value: string; fetchedAt: number } | null = null;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: HttpKnowledgeFeedOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  async changesSince(since: KnowledgeCursor, limit: number): Promise<Result<KnowledgeChangePage>> {
    const first = await this.request(since, limit, false);
    if (first.ok || first.error.code !== 'unauthenticated') return first;
    // The reused token may have expired between pages: one more try with a fresh one.
    return this.request(since, limit, true);
  }

  private async request(
    since: KnowledgeCursor,
    limit: number,
    freshToken: boolean,
  ): Promise<Result<KnowledgeChangePage>> {
    const token = await this.currentToken(freshToken);
    if (!token) {
      // Signed out, or the token endpoint could not be reached: either way no page this time.
      return fail(
        'unauthenticated',
        'The desk could not get an access token from the central server',
      );
    }
    const page = await serverJson(
      {
        serverUrl: this.options.serverUrl,
        fetch: this.fetch,
        timeoutMs: this.options.timeoutMs ?? 30_000,
      },
      knowledge.changes,
      { query: { since, limit: Math.min(Math.max(1, limit), maxChangePageSize) } },
      token,
    );
    if (!page.ok && page.error.code === 'unauthenticated') this.token = null;
    return page;
  }

  private async currentToken(fresh: boolean): Promise<string | null> {
    const reuseMs = this.options.tokenReuseMs ?? 60_000;
    if (!fresh && this.token && this.now() - this.token.fetchedAt < reuseMs)
      return this.token.value;
    const value = await this.options.accessToken();
    this.token = value ? { value, fetchedAt: this.now() } : null;
    return value;
  }
}
