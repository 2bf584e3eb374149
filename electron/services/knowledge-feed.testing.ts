// Test double for KnowledgeFeed: a small in-memory change feed with the
// server's paging rules (changes after the cursor, oldest first, hasMore), that
// lets a test fail chosen requests and hold requests open to watch overlap.
import type {
  KnowledgeArticle,
  KnowledgeChange,
  KnowledgeChangePage,
  KnowledgeCursor,
} from '../../shared/knowledge/article';
import { fail, ok, type Result, type ResultError } from '../../shared/result';
import type { KnowledgeFeed } from './knowledge-feed';

export class MemoryKnowledgeFeed implements KnowledgeFeed {
  /** Every change ever published, in version order. */
  private readonly changes: KnowledgeChange[] = [];
  private version = 0;
  /** The `since` of every request, in the order they arrived. */
  readonly requests: KnowledgeCursor[] = [];
  /** Most requests open at the same moment: more than one means two pulls overlapped. */
  maxConcurrent = 0;
  private open = 0;
  private readonly failures = new Map<number, ResultError>();
  private gate: Promise<void> | null = null;
  private releaseGate: (() => void) | null = null;

  /** Publishes (or republishes) articles; each gets the next version. Returns the newest version. */
  publish(...articles: Omit<KnowledgeArticle, 'version' | 'status'>[]): number {
    for (const article of articles) {
      this.version += 1;
      this.changes.push({
        version: this.version,
        article: { ...article, version: this.version, status: 'published' },
      });
    }
    return this.version;
  }

  retire(id: string): number {
    this.version += 1;
    this.changes.push({ version: this.version, tombstone: { id } });
    return this.version;
  }

  get newestVersion(): number {
    return this.version;
  }

  /** The request numbered `requestNumber` (1 is the first) answers this error instead of a page. */
  failRequest(requestNumber: number, error: ResultError): void {
    this.failures.set(requestNumber, error);
  }

  /** Holds every request unanswered until `release()`. */
  hold(): void {
    this.gate ??= new Promise((resolve) => {
      this.releaseGate = resolve;
    });
  }

  release(): void {
    this.releaseGate?.();
    this.gate = null;
    this.releaseGate = null;
  }

  async changesSince(since: KnowledgeCursor, limit: number): Promise<Result<KnowledgeChangePage>> {
    this.requests.push(since);
    const requestNumber = this.requests.length;
    this.open += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.open);
    try {
      await Promise.resolve();
      if (this.gate) await this.gate;
      const failure = this.failures.get(requestNumber);
      if (failure) return fail(failure.code, failure.message);
      const after = this.changes.filter((change) => change.version > since);
      const changes = after.slice(0, limit);
      const last = changes.at(-1);
      return ok({
        changes,
        nextCursor: last ? last.version : Math.max(since, this.version),
        hasMore: after.length > changes.length,
      });
    } finally {
      this.open -= 1;
    }
  }
}
