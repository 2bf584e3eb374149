// Keeps the desk's knowledge replica up to date: on connect and on the server's
// push hint, pulls pages of the change feed from the stored cursor until the
// feed has no more. Each page and its cursor commit together (applyPage), so a
// crash or a lost network mid-sync resumes from the last whole page. One pull
// at a time: a request during a pull is folded into one more pass after it.
import type { KnowledgeReplica } from '../../knowledge-base/replica';
import type { KnowledgeSyncStatus } from '../../shared/ipc/contract';
import type { KnowledgeCursor } from '../../shared/knowledge/article';
import { fail, ok, type Result } from '../../shared/result';
import type { KnowledgeFeed } from './knowledge-feed';
import { inThreadWriter, type ReplicaWriter } from './knowledge-writer';
import { readSetting, writeSetting, type LocalDb } from './local-db';
import { backoffDelay, type BackoffPolicy } from './outbox';

const lastSyncedSetting = 'knowledge_last_synced_at';

export interface KnowledgeSyncOptions {
  /** Changes asked for per page (default knowledgeSyncPageSize); the server caps it at maxChangePageSize. */
  pageSize?: number;
  /** Whether a failed pull is worth retrying on a timer (the desk is online). */
  online?: () => boolean;
  retryBackoff?: BackoffPolicy;
  /**
   * After a pull that applied at least this many changes, the full-text indexes
   * are merged (replica.optimize). That rewrites the index, so only after a long
   * first sync, never per page.
   */
  optimizeAfterChanges?: number;
  /** Where pages are written: on this thread through the replica unless given (the desk gives a worker). */
  writer?: ReplicaWriter;
  now?: () => Date;
}

type Listener = (status: KnowledgeSyncStatus) => void;

/**
 * Changes the desk asks for per page. Each page is written in one synchronous
 * transaction on the thread that serves the desk's requests, so a page is kept
 * small enough that a request waiting behind it waits about a tenth of a second
 * (articles of 2 to 3 KB); the next page is asked for while one is written, so
 * smaller pages cost little in time.
 */
export const knowledgeSyncPageSize = 500;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class KnowledgeSync {
  private state: KnowledgeSyncStatus['state'] = 'idle';
  private progress: KnowledgeSyncStatus['progress'] = null;
  private lastError: string | null = null;
  /** The newest version the server has told us about; what "percent" is measured against. */
  private targetVersion: KnowledgeCursor = 0;
  private running: Promise<Result<KnowledgeSyncStatus>> | null = null;
  private passAgain = false;
  private stopped = false;
  private failedPulls = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly pageSize: number;
  private readonly writer: ReplicaWriter;
  private readonly now: () => Date;

  constructor(
    private readonly db: LocalDb,
    private readonly replica: KnowledgeReplica,
    private readonly feed: KnowledgeFeed,
    private readonly options: KnowledgeSyncOptions = {},
  ) {
    this.pageSize = options.pageSize ?? knowledgeSyncPageSize;
    this.writer = options.writer ?? inThreadWriter(replica);
    this.now = options.now ?? (() => new Date());
  }

  status(): KnowledgeSyncStatus {
    return {
      cursor: this.replica.cursor(),
      state: this.state,
      progress: this.progress,
      lastSyncedAt: readSetting(this.db, lastSyncedSetting),
      lastError: this.lastError,
      articleCount: this.replica.articleCount(),
    };
  }

  onStatus(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Pulls until the replica has caught up with the feed. `hint` is the push
   * hint's version: a replica already there does not pull. Answers when the
   * pull (and any pass asked for while it ran) has finished or failed.
   */
  sync(hint?: { version: KnowledgeCursor }): Promise<Result<KnowledgeSyncStatus>> {
    if (this.stopped) return Promise.resolve(fail('unavailable', 'The desk is stopping'));
    if (hint) this.targetVersion = Math.max(this.targetVersion, hint.version);
    if (this.running) {
      // The pull in flight may have read its last page before this change: one more pass after it.
      if (!hint || hint.version > this.replica.cursor()) this.passAgain = true;
      return this.running;
    }
    if (hint && hint.version <= this.replica.cursor()) return Promise.resolve(ok(this.status()));
    this.clearRetry();
    this.running = this.passes().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Stops pulling. A request in flight is not waited for (it may take the whole
   * network timeout), and a pull that wakes after this writes nothing. A page
   * already handed to the writer is committed whole or not at all; closing the
   * writer waits for it.
   */
  stop(): Promise<void> {
    this.stopped = true;
    this.clearRetry();
    this.listeners.clear();
    return Promise.resolve();
  }

  private async passes(): Promise<Result<KnowledgeSyncStatus>> {
    let outcome: Result<KnowledgeSyncStatus>;
    do {
      this.passAgain = false;
      outcome = await this.pullUntilCaughtUp();
    } while (outcome.ok && this.passAgain && !this.stopped);
    return outcome;
  }

  private async pullUntilCaughtUp(): Promise<Result<KnowledgeSyncStatus>> {
    const startCursor = this.replica.cursor();
    let pages = 0;
    let applied = 0;
    this.state = 'syncing';
    this.lastError = null;
    this.progress = { pages, applied, percent: this.percent(startCursor, startCursor) };
    this.publish();
    let since = startCursor;
    let request = this.feed.changesSince(since, this.pageSize);
    for (;;) {
      if (this.stopped) return this.failed('The desk stopped before the knowledge sync finished');
      const page = await request;
      if (!page.ok) return this.failed(page.error.message);
      // The desk may have been stopped (and its database closed) while the page travelled.
      if (this.stopped) return this.failed('The desk stopped before the knowledge sync finished');
      if (page.value.hasMore && page.value.nextCursor > since) {
        // Ask for the next page before writing this one, so that the server reads
        // it and the network carries it while the desk writes. Writing on this
        // thread is synchronous, so the request is given a turn of the event loop to leave first.
        request = this.feed.changesSince(page.value.nextCursor, this.pageSize);
        await nextTurn();
        if (this.stopped) return this.failed('The desk stopped before the knowledge sync finished');
      }
      const written = await this.writer.applyPage(page.value);
      // Committed or not, the desk may have closed its database meanwhile.
      if (this.stopped) return this.failed('The desk stopped before the knowledge sync finished');
      if (!written.ok) return this.failed(written.error.message);
      pages += 1;
      applied += written.value.applied;
      this.progress = { pages, applied, percent: this.percent(startCursor, written.value.cursor) };
      this.publish();
      if (!page.value.hasMore) break;
      if (written.value.cursor <= since) {
        // More promised but the cursor did not move: asking again would loop for ever.
        return this.failed('The knowledge feed said there was more but did not move on');
      }
      // The page asked for ahead starts where this one ended, unless the replica was already past it.
      if (written.value.cursor !== page.value.nextCursor) {
        request = this.feed.changesSince(written.value.cursor, this.pageSize);
      }
      since = written.value.cursor;
    }
    if (applied >= (this.options.optimizeAfterChanges ?? 20_000)) {
      // A failed merge leaves a correct index, only a slower one: the sync still succeeded.
      await this.writer.optimize();
    }
    if (this.stopped) return this.failed('The desk stopped before the knowledge sync finished');
    writeSetting(this.db, lastSyncedSetting, this.now().toISOString());
    this.state = 'idle';
    this.progress = null;
    this.failedPulls = 0;
    const status = this.status();
    this.publish(status);
    return ok(status);
  }

  private percent(start: KnowledgeCursor, cursor: KnowledgeCursor): number | null {
    if (this.targetVersion <= start) return null;
    const share = (cursor - start) / (this.targetVersion - start);
    // 100 is "up to date", which only the end of the pull may say.
    return Math.max(0, Math.min(99, Math.floor(share * 100)));
  }

  private failed(message: string): Result<KnowledgeSyncStatus> {
    this.state = 'error';
    this.progress = null;
    this.lastError = message;
    this.failedPulls += 1;
    if (!this.stopped) {
      this.publish();
      this.scheduleRetry();
    }
    return fail('unavailable', message);
  }

  private scheduleRetry(): void {
    if (this.retryTimer || !(this.options.online?.() ?? false)) return;
    const delay = backoffDelay(
      this.failedPulls,
      this.options.retryBackoff ?? { baseMs: 2_000, capMs: 120_000 },
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.options.online?.() ?? false) void this.sync();
    }, delay);
    this.retryTimer.unref?.();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private publish(status: KnowledgeSyncStatus = this.status()): void {
    for (const listener of this.listeners) listener(status);
  }
}
