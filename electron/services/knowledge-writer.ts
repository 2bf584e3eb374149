// Where the knowledge sync writes pages. A page of 500 articles takes a few
// hundred milliseconds to write and index, and better-sqlite3 is synchronous,
// so on the thread that serves the desk's requests a first sync of a large
// network would hold every request (a search, a keystroke's journal write)
// behind each page. The desk therefore writes pages on a worker thread with its
// own connection to the same file; WAL lets this thread keep reading (search,
// the article view, the sync status) while the worker writes.
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { z } from 'zod';
import type { AppliedPage, KnowledgeReplica } from '../../knowledge-base/replica';
import type { KnowledgeChangePage } from '../../shared/knowledge/article';
import { fail, ok, type Result } from '../../shared/result';

export interface ReplicaWriter {
  /** Applies a parsed page and its cursor in one transaction (KnowledgeReplica.applyParsedPage). */
  applyPage(page: KnowledgeChangePage): Promise<Result<AppliedPage>>;
  /** Merges the full-text indexes' segments (KnowledgeReplica.optimize). */
  optimize(): Promise<Result<null>>;
  /** Finishes what was asked, then lets go of the database. */
  close(): Promise<void>;
}

/** Writes on the calling thread: for tools, tests and benchmarks that own their database. */
export function inThreadWriter(replica: KnowledgeReplica): ReplicaWriter {
  return {
    applyPage: (page) => Promise.resolve(replica.applyParsedPage(page)),
    optimize: () => {
      try {
        replica.optimize();
        return Promise.resolve(ok(null));
      } catch (error) {
        return Promise.resolve(fail('internal', `The index merge failed: ${String(error)}`));
      }
    },
    close: () => Promise.resolve(),
  };
}

/** What the worker is asked (knowledge-writer-worker.ts), each with a number its answer carries. */
export type WriterRequest =
  | { id: number; kind: 'apply'; page: KnowledgeChangePage }
  | { id: number; kind: 'optimize' }
  | { id: number; kind: 'close' };

/** A request before it is numbered (Omit over each member of the union). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface WriterAnswer {
  id: number;
  result: Result<unknown>;
}

/**
 * What the worker opens: the desk's database file and the key it is encrypted
 * with (null for a plain file). Crosses to the worker by structured clone, as
 * the bytes of the key alone.
 */
export const writerWorkerDataSchema = z.object({
  file: z.string().min(1),
  key: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'key bytes').nullable(),
});
export type WriterWorkerData = z.infer<typeof writerWorkerDataSchema>;

/**
 * Starts the worker from its entry beside this file. The built shell emits it
 * as JavaScript next to main.js. Run from source (browser mode, tests), the
 * entry is TypeScript, so the worker first registers the same TypeScript
 * loader the desk runs under (a development dependency), then loads it.
 */
function startWorker(data: WriterWorkerData, resourceLimits: ResourceLimits): Worker {
  const options = { workerData: data, resourceLimits };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./knowledge-writer-worker.js', import.meta.url), options);
  }
  const entry = new URL('./knowledge-writer-worker.ts', import.meta.url).href;
  const loader = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loader)}).then(({ register }) => {
    register();
    return import(${JSON.stringify(entry)});
  });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export interface WorkerReplicaWriterOptions {
  /** The database key the desk's file is encrypted with; absent or null for a plain file. */
  key?: Buffer | null;
  /**
   * The worker's heap limits. With limits, a worker that runs out of memory is
   * stopped alone (its page fails, and the next page starts a new worker);
   * without, running out of memory anywhere ends the whole desk process.
   */
  resourceLimits?: ResourceLimits;
}

/**
 * Writes on a worker thread with its own connection to the desk's database
 * file. The worker starts with the first request, and again with the next
 * request after it stopped for any reason other than close(): a page in
 * flight when it stopped fails (nothing of it is committed), and the sync
 * asks for it again.
 */
export class WorkerReplicaWriter implements ReplicaWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: Result<unknown>) => void>();
  private closing: Promise<void> | null = null;
  private readonly resourceLimits: ResourceLimits;
  private readonly key: Buffer | null;

  constructor(
    private readonly file: string,
    options: WorkerReplicaWriterOptions = {},
  ) {
    // A page of 500 articles is a few megabytes; the limit only stops a runaway.
    this.resourceLimits = options.resourceLimits ?? { maxOldGenerationSizeMb: 512 };
    this.key = options.key ?? null;
  }

  applyPage(page: KnowledgeChangePage): Promise<Result<AppliedPage>> {
    return this.ask({ kind: 'apply', page }) as Promise<Result<AppliedPage>>;
  }

  optimize(): Promise<Result<null>> {
    return this.ask({ kind: 'optimize' }) as Promise<Result<null>>;
  }

  close(): Promise<void> {
    // Asked after everything already sent, so a page being written is committed first.
    this.closing ??= this.worker
      ? this.send(this.worker, { kind: 'close' }).then(async () => {
          await this.worker?.terminate();
        })
      : Promise.resolve();
    return this.closing;
  }

  private ask(request: Unnumbered<WriterRequest>): Promise<Result<unknown>> {
    if (this.closing) {
      return Promise.resolve(fail('unavailable', 'The knowledge writer is closing'));
    }
    return this.send(this.running(), request);
  }

  private send(worker: Worker, request: Unnumbered<WriterRequest>): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ ...request, id } as WriterRequest);
    });
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker({ file: this.file, key: this.key }, this.resourceLimits);
    worker.on('message', (answer: WriterAnswer) => {
      this.waiting.get(answer.id)?.(answer.result);
      this.waiting.delete(answer.id);
    });
    worker.on('error', (error: unknown) =>
      this.failAll(
        `The knowledge writer stopped: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll('The knowledge writer stopped');
    });
    this.worker = worker;
    return worker;
  }

  private failAll(message: string): void {
    for (const resolve of this.waiting.values()) resolve(fail('unavailable', message));
    this.waiting.clear();
  }
}
