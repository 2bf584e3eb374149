// Composes the desk services (local database, outbox, server connection, desk
// API handlers) for either host: Electron's main process or browser mode.
import { join } from 'node:path';
import type { DeskEventName, DeskEventPayload, DeskStatus } from '../../shared/ipc/contract';
import { ok, type Result } from '../../shared/result';
import { DeskChats, registerChatHandlers, SocketChatLink } from './chat';
import { DeskHandlerRegistry } from './handlers';
import { DeskHistory, registerHistoryHandlers, registerQualityHandlers } from './history';
import { DeskFollowUps, registerFollowUpHandlers } from './follow-ups';
import { InteractionStore, registerInteractionHandlers } from './interactions';
import { createDeskKnowledge, registerKnowledgeHandlers } from './knowledge';
import { KnowledgeAdmin, registerKnowledgeAdminHandlers } from './knowledge-admin';
import type { KnowledgeFeed } from './knowledge-feed';
import { DESK_KEY_FILE, keptKeyFile } from './desk-keys';
import { DeskRetention, defaultRetentionDays } from './retention';
import { deskIdOf, openLocalDb, readSetting, writeSetting, type LocalDb } from './local-db';
import type { ConversionListener } from './local-db-cipher';
import { silentDeskLogger, type DeskLogger } from './logging';
import { Outbox, type OutboxOptions } from './outbox';
import { ReviewDrafts } from './review-drafts';
import { DeskLiveBoard, registerLiveBoardHandlers } from './live-board';
import { DeskOutcomeCodes, registerOutcomeCodeHandlers } from './outcome-codes';
import { DeskServiceHours, registerServiceHoursHandlers } from './service-hours';
import {
  DeskSafeguarding,
  registerSafeguardingHandlers,
  safeguardingProtocolSetting,
} from './safeguarding';
import { SocketOutboxTransport, type OutboxTransport } from './outbox-transport';
import {
  registerCallHandlers,
  registerSessionHandlers,
  ServerConnection,
} from './server-connection';
import { LocalSettingsSessionStore, type SessionStore } from './session-store';

/** One pushed desk event as (name, payload), typed together. */
export type DeskEventArgs = {
  [K in DeskEventName]: [name: K, payload: DeskEventPayload<K>];
}[DeskEventName];
export type DeskEventListener = (...event: DeskEventArgs) => void;

export interface DeskServicesOptions {
  /** The per-user data folder holding the desk's SQLite file. */
  dataDir: string;
  serverUrl: string;
  /**
   * The key the desk's database is encrypted with (desk-keys.ts): Electron
   * passes the one it keeps under the operating system's key store, browser
   * mode the one in its key file. Defaults to the key file in the data folder
   * (`desk.key`), made on first start.
   */
  databaseKey?: Buffer;
  /** Defaults to the local settings table; Electron passes one encrypted with safeStorage. */
  sessionStore?: (db: LocalDb) => SessionStore;
  /** Defaults to socket.io over the server connection; tests may pass a double. */
  transport?: (connection: ServerConnection) => OutboxTransport;
  outbox?: OutboxOptions;
  /** How long stop() waits for deliveries in flight. */
  drainTimeoutMs?: number;
  /** Days delivered work stays on the desk (retention.ts); 30 unless set. */
  retentionDays?: number;
  /** Opens a checked link in the system browser; Electron passes shell.openExternal. */
  openExternal?: (url: string) => Promise<void>;
  /** Defaults to the server's HTTP change feed; tests may pass a double. */
  knowledgeFeed?: (connection: ServerConnection) => KnowledgeFeed;
  /** Where the services log; silent unless the host gives one. */
  log?: DeskLogger;
  /** Told before the desk's file is converted from an older form: a long first open. */
  onConversion?: ConversionListener;
}

/**
 * What a host forwards to a window: requests in and events out, unread (the
 * renderer parses both with the contract). The services themselves, and the
 * client of the services in their own process (host-protocol.ts), are both one.
 */
export interface DeskServicesPort {
  dispatch(name: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (name: DeskEventName, payload: unknown) => void): () => void;
}

export interface DeskServices extends DeskServicesPort {
  deskId: string;
  onEvent(listener: DeskEventListener): () => void;
  status(): DeskStatus;
  start(): void;
  stop(): Promise<void>;
}

export function createDeskServices(options: DeskServicesOptions): DeskServices {
  const databaseKey =
    options.databaseKey ?? keptKeyFile(join(options.dataDir, DESK_KEY_FILE), options.dataDir);
  const db = openLocalDb(options.dataDir, {
    key: databaseKey,
    onConversion(conversion) {
      // In browser mode this line is all that says why the start is slow.
      options.log?.info(
        conversion,
        "converting the desk's database to its current encryption: a while on a full desk",
      );
      options.onConversion?.(conversion);
    },
  });
  const deskId = deskIdOf(db);
  const log = (options.log ?? silentDeskLogger()).child({ deskId });
  const sessionStore = options.sessionStore?.(db) ?? new LocalSettingsSessionStore(db);
  const connection = new ServerConnection({
    serverUrl: options.serverUrl,
    deskId,
    sessionStore,
    log: log.child({ module: 'session' }),
  });
  const transport =
    options.transport?.(connection) ?? new SocketOutboxTransport(() => connection.currentSocket());
  const outbox = new Outbox(db, transport, {
    log: log.child({ module: 'outbox' }),
    ...options.outbox,
  });
  const interactions = new InteractionStore(db, outbox, deskId);
  const retention = new DeskRetention(db, {
    days: options.retentionDays ?? defaultRetentionDays,
    log: log.child({ module: 'retention' }),
  });
  const knowledge = createDeskKnowledge(db, connection, {
    serverUrl: options.serverUrl,
    feed: options.knowledgeFeed?.(connection),
    databaseKey,
  });
  const chats = new DeskChats(new SocketChatLink(connection));
  const listeners = new Set<DeskEventListener>();
  const emit: DeskEventListener = (...event) => {
    for (const listener of listeners) listener(...event);
  };

  const status = (): DeskStatus => ({
    deskId,
    serverUrl: options.serverUrl,
    user: connection.user,
    connection: connection.state,
    connectionProblem: connection.problem,
    outbox: outbox.status(),
  });

  const registry = new DeskHandlerRegistry(log.child({ module: 'requests' }));
  registry.register('status', () => ok(status()));
  registerSessionHandlers(registry, connection);
  registerCallHandlers(registry, connection);
  registerInteractionHandlers(registry, interactions);
  registerKnowledgeHandlers(registry, knowledge, options.openExternal);
  registerKnowledgeAdminHandlers(
    registry,
    new KnowledgeAdmin(knowledge.replica, outbox, connection, { serverUrl: options.serverUrl }),
  );
  registerChatHandlers(registry, chats);
  registerSafeguardingHandlers(
    registry,
    new DeskSafeguarding(outbox, connection, {
      serverUrl: options.serverUrl,
      published: (open) => emit('safeguardingAlerts', open),
      outcomesChanged: (outcomes) => emit('safeguardingOutcomes', outcomes),
      protocolCache: {
        read: () => readSetting(db, safeguardingProtocolSetting),
        write: (text) => writeSetting(db, safeguardingProtocolSetting, text),
      },
    }),
  );
  const history = new DeskHistory(connection, { serverUrl: options.serverUrl });
  registerHistoryHandlers(registry, history);
  registerQualityHandlers(registry, history, new ReviewDrafts(db, outbox));
  registerFollowUpHandlers(
    registry,
    new DeskFollowUps(connection, { serverUrl: options.serverUrl }),
  );
  registerLiveBoardHandlers(
    registry,
    new DeskLiveBoard(connection, (board) => emit('liveBoardChanged', board)),
  );
  const outcomeCodes = new DeskOutcomeCodes(db, connection, {
    serverUrl: options.serverUrl,
    log: log.child({ module: 'outcome-codes' }),
  });
  registerOutcomeCodeHandlers(registry, outcomeCodes);
  const serviceHours = new DeskServiceHours(db, connection, {
    serverUrl: options.serverUrl,
    log: log.child({ module: 'service-hours' }),
  });
  registerServiceHoursHandlers(registry, serviceHours);
  registry.assertComplete();

  const publishStatus = () => emit('statusChanged', status());
  const connectionLog = log.child({ module: 'connection' });
  connection.on('state', (state) => connectionLog.info({ state }, 'connection state'));
  connection.on('state', publishStatus);
  connection.on('connected', () => outbox.retryNow());
  // Each connection brings the operator's latest settings into the caches the desk reads.
  connection.on('connected', () => {
    void outcomeCodes.refresh();
    void serviceHours.refresh();
  });
  connection.on('callOffered', (offer) => emit('callOffered', offer));
  connection.on('callEnded', (ended) => emit('callEnded', ended));
  connection.on('callOfferWithdrawn', (withdrawn) => emit('callOfferWithdrawn', withdrawn));
  outbox.onStatus(publishStatus);
  const syncLog = log.child({ module: 'knowledge-sync' });
  let lastSyncState: string | null = null;
  knowledge.onStatus((status) => {
    // One line per change of state, not one per page: a first sync has thousands.
    if (status.state !== lastSyncState) {
      if (status.state === 'error') {
        syncLog.warn({ cursor: status.cursor, reason: status.lastError }, 'knowledge sync stopped');
      } else if (status.state === 'idle' && lastSyncState === 'syncing') {
        syncLog.info(
          { cursor: status.cursor, articles: status.articleCount },
          'knowledge sync caught up',
        );
      } else if (status.state === 'syncing') {
        syncLog.info({ cursor: status.cursor }, 'knowledge sync started');
      }
      lastSyncState = status.state;
    }
    emit('knowledgeSyncChanged', status);
  });
  chats.onEvent((...event) => emit(...event));

  let stopped: Promise<void> | null = null;
  return {
    deskId,
    dispatch: (name, input) => registry.dispatch(name, input),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status,
    start() {
      log.info({ serverUrl: options.serverUrl, outbox: outbox.status() }, 'desk services starting');
      outbox.start();
      retention.start();
      connection.resume();
    },
    stop() {
      stopped ??= (async () => {
        log.info({ outbox: outbox.status() }, 'desk services stopping');
        // Let acknowledgements on their way land before the socket and database go.
        await outbox.drain(options.drainTimeoutMs ?? 5_000);
        connection.close();
        chats.stop();
        outcomeCodes.stop();
        serviceHours.stop();
        await retention.stop();
        await knowledge.stop();
        listeners.clear();
        db.close();
        log.info('desk services stopped');
      })();
      return stopped;
    },
  };
}
