// The knowledge domain of the desk services: the replica and its search on the
// desk's own database, the sync that keeps it current (pulled on connect and on
// the server's push hint), and the desk API handlers the knowledge panel uses.
import { KnowledgeReplica } from '../../knowledge-base/replica';
import { KnowledgeSearch } from '../../knowledge-base/search';
import type { KnowledgeSyncStatus } from '../../shared/ipc/contract';
import { fail, ok } from '../../shared/result';
import type { DeskHandlerRegistry } from './handlers';
import { HttpKnowledgeFeed, type KnowledgeFeed } from './knowledge-feed';
import { checkExternalLink } from './knowledge-links';
import { KnowledgeSync, type KnowledgeSyncOptions } from './knowledge-sync';
import { WorkerReplicaWriter } from './knowledge-writer';
import type { LocalDb } from './local-db';
import type { ServerConnection } from './server-connection';

export interface DeskKnowledgeOptions {
  serverUrl: string;
  /** Defaults to the server's HTTP change feed with the connection's access tokens. */
  feed?: KnowledgeFeed;
  sync?: KnowledgeSyncOptions;
  /**
   * Opens a checked link in the system browser (Electron's shell). Absent in
   * browser mode, where the renderer opens the checked link itself.
   */
  openExternal?: (url: string) => Promise<void>;
  /** Today, for marking articles past their review-by date. */
  now?: () => Date;
  /** The key the desk's database is encrypted with, for the writer's own connection. */
  databaseKey?: Buffer | null;
}

export interface DeskKnowledge {
  replica: KnowledgeReplica;
  search: KnowledgeSearch;
  sync: KnowledgeSync;
  onStatus(listener: (status: KnowledgeSyncStatus) => void): () => void;
  stop(): Promise<void>;
}

/** Builds the knowledge domain on the desk's database and ties its sync to the server connection. */
export function createDeskKnowledge(
  db: LocalDb,
  connection: ServerConnection,
  options: DeskKnowledgeOptions,
): DeskKnowledge {
  const replica = new KnowledgeReplica(db);
  const search = new KnowledgeSearch(db, options.now ? { now: options.now } : {});
  const feed =
    options.feed ??
    new HttpKnowledgeFeed({
      serverUrl: options.serverUrl,
      accessToken: () => connection.requestToken(),
    });
  // Pages are written on a worker thread, so a long first sync never holds this thread's requests.
  const writer =
    options.sync?.writer ?? new WorkerReplicaWriter(db.name, { key: options.databaseKey });
  const sync = new KnowledgeSync(db, replica, feed, {
    online: () => connection.state === 'online',
    ...options.sync,
    writer,
  });
  const stopConnected = connection.on('connected', () => void sync.sync());
  const stopHints = connection.on('knowledgeChanged', (hint) => void sync.sync(hint));
  return {
    replica,
    search,
    sync,
    onStatus: (listener) => sync.onStatus(listener),
    async stop() {
      stopConnected();
      stopHints();
      await sync.stop();
      await writer.close();
      search.close();
    },
  };
}

/** The knowledge domain's desk API handlers. */
export function registerKnowledgeHandlers(
  registry: DeskHandlerRegistry,
  knowledge: DeskKnowledge,
  openExternal: DeskKnowledgeOptions['openExternal'],
): void {
  // Synchronous and a few milliseconds (docs/knowledge-search.md); it runs on the
  // thread that owns the database, like every other desk request.
  registry.register('searchKnowledge', (query) => knowledge.search.search(query));
  registry.register('openArticle', ({ id }) => {
    const article = knowledge.replica.article(id);
    return article
      ? ok(article)
      : fail('not_found', 'This article is not on the desk; it may have been retired');
  });
  registry.register('knowledgeSyncStatus', () => ok(knowledge.sync.status()));
  registry.register('openExternalLink', async ({ url }) => {
    const checked = checkExternalLink(url);
    if (!checked.ok) return checked;
    if (!openExternal) return ok({ url: checked.value, openedBy: 'renderer' as const });
    try {
      await openExternal(checked.value);
    } catch {
      return fail('unavailable', 'The system browser could not be opened');
    }
    return ok({ url: checked.value, openedBy: 'desk' as const });
  });
}
