// The central server's storage: the database on the chosen engine, migrated,
// with every store built on it, and the unit of work that builds them again on
// one transaction. `openStorage` is the only way the server opens a database.
import type { SafeguardingAlert } from '../../shared/wire/safeguarding';
import { KyselyChatStore } from '../chat/store';
import { KyselyKnowledgeStore } from '../knowledge/store';
import { KyselySafeguardingStore } from '../safeguarding/store';
import { RecordingFolder } from '../telephony/recording';
import { KyselyTranscriptDelivery } from '../transcripts/store';
import {
  inTransactionContext,
  openPostgresDatabase,
  openSqliteDatabase,
  type Engine,
  type ServerDatabase,
  type StoreContext,
} from './database';
import { KyselyDashboard } from './dashboard';
import { KyselyHistory } from './history';
import { KyselyIngest } from './ingest';
import { KyselyQuality } from './quality';
import { KyselyTraining } from './training';
import { KyselyFollowUpCalls } from './follow-up-calls';
import { Listeners } from './listeners';
import { migrate } from './migrate';
import { serverMigrations } from './migrations';
import {
  KyselyAccounts,
  KyselyCalls,
  KyselyFollowUps,
  KyselyInteractions,
  KyselySessions,
  KyselyTranscripts,
} from './stores';
import type { ServerStorage, Stores } from './types';

export interface StorageOptions {
  /** The data folder: SQLite's file (when no URL is given) and call recordings. */
  dataDir: string;
  /** postgres://… selects PostgreSQL; absent or null, SQLite in the data folder. */
  databaseUrl?: string | null;
}

/** What every store built on any context of one storage shares. */
export interface SharedStoreState {
  transcriptQueued: Listeners<void>;
  safeguardingRaised: Listeners<SafeguardingAlert>;
  recordings: RecordingFolder;
  /** The database's way to make a commit survive a power cut (ServerDatabase.durably). */
  durably: ServerDatabase['durably'];
}

/** The unit of work over `context`: joins the caller's transaction, or opens one and runs effects after it commits. */
export type UnitOfWork = <T>(work: (stores: Stores) => Promise<T>) => Promise<T>;

function storesOn(context: StoreContext, shared: SharedStoreState): Stores {
  const knowledge = new KyselyKnowledgeStore(context);
  const safeguarding = new KyselySafeguardingStore(context, shared.safeguardingRaised);
  const transcriptDelivery = new KyselyTranscriptDelivery(context, shared.transcriptQueued);
  return {
    accounts: new KyselyAccounts(context),
    sessions: new KyselySessions(context),
    ingest: new KyselyIngest(context, (trx) => storesOn(trx, shared), shared.durably),
    interactions: new KyselyInteractions(context),
    followUps: new KyselyFollowUps(context),
    transcripts: new KyselyTranscripts(context),
    calls: new KyselyCalls(context, shared.recordings),
    knowledge,
    transcriptDelivery,
    chats: new KyselyChatStore(context),
    safeguarding,
    history: new KyselyHistory(context),
    training: new KyselyTraining(context),
    quality: new KyselyQuality(context),
    followUpCalls: new KyselyFollowUpCalls(context),
    dashboard: new KyselyDashboard(context),
  };
}

function unitOfWork(context: StoreContext, shared: SharedStoreState): UnitOfWork {
  return (work) => inTransactionContext(context, (trx) => work(storesOn(trx, shared)));
}

class KyselyServerStorage implements ServerStorage {
  readonly engine: Engine;
  readonly description: string;
  readonly transaction: UnitOfWork;
  readonly accounts: Stores['accounts'];
  readonly sessions: Stores['sessions'];
  readonly ingest: Stores['ingest'];
  readonly interactions: Stores['interactions'];
  readonly followUps: Stores['followUps'];
  readonly transcripts: Stores['transcripts'];
  readonly calls: Stores['calls'];
  readonly knowledge: Stores['knowledge'];
  readonly transcriptDelivery: Stores['transcriptDelivery'];
  readonly chats: Stores['chats'];
  readonly safeguarding: Stores['safeguarding'];
  readonly history: Stores['history'];
  readonly training: Stores['training'];
  readonly quality: Stores['quality'];
  readonly followUpCalls: Stores['followUpCalls'];
  readonly dashboard: Stores['dashboard'];
  private closing: Promise<void> | null = null;

  constructor(
    readonly database: ServerDatabase,
    dataDir: string,
  ) {
    this.engine = database.engine;
    this.description = database.description;
    const shared: SharedStoreState = {
      transcriptQueued: new Listeners<void>(),
      safeguardingRaised: new Listeners<SafeguardingAlert>(),
      recordings: new RecordingFolder(dataDir),
      durably: (work) => database.durably(work),
    };
    const root: StoreContext = {
      db: database.db,
      engine: database.engine,
      // A store on the database calls this after its own transaction resolved.
      afterCommit: (effect) => effect(),
    };
    this.transaction = unitOfWork(root, shared);
    const stores = storesOn(root, shared);
    this.accounts = stores.accounts;
    this.sessions = stores.sessions;
    this.ingest = stores.ingest;
    this.interactions = stores.interactions;
    this.followUps = stores.followUps;
    this.transcripts = stores.transcripts;
    this.calls = stores.calls;
    this.knowledge = stores.knowledge;
    this.transcriptDelivery = stores.transcriptDelivery;
    this.chats = stores.chats;
    this.safeguarding = stores.safeguarding;
    this.history = stores.history;
    this.training = stores.training;
    this.quality = stores.quality;
    this.followUpCalls = stores.followUpCalls;
    this.dashboard = stores.dashboard;
  }

  close(): Promise<void> {
    this.closing ??= this.database.close();
    return this.closing;
  }
}

/** Opens the database the options name, brings it up to date, and builds the stores on it. */
export async function openStorage(
  options: StorageOptions,
): Promise<ServerStorage & { database: ServerDatabase }> {
  const database = options.databaseUrl
    ? await openPostgresDatabase(options.databaseUrl)
    : openSqliteDatabase(options.dataDir);
  try {
    await migrate(database, serverMigrations);
  } catch (error) {
    await database.close();
    throw error;
  }
  return new KyselyServerStorage(database, options.dataDir);
}
