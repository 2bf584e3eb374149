// Where each live interaction survives a reload or a crash: its persisted
// snapshot and journal in IndexedDB, written on every transition. The schema
// grows by numbered steps in an explicit list, like the SQLite migrations.
import { Dexie, type EntityTable, type Transaction } from 'dexie';
import type { InteractionVariant, JournalEntry } from '../../../shared/interaction/record';

export interface StoredInteraction {
  /** The interaction id (the record's id). */
  id: string;
  /** The call or chat reference, to match a telephony "call ended" to its interaction. */
  contactRef: string;
  adviserId: string;
  machineVersion: number;
  /** The variant of the machine it runs: a guidance contact, or a follow-up call. */
  machineVariant: InteractionVariant;
  /** `actor.getPersistedSnapshot()`, kept to check a replay against. */
  snapshot: unknown;
  journal: JournalEntry[];
  updatedAt: string;
}

/** The adapter the screen uses; the Dexie store below and the in-memory double both satisfy it. */
export interface InteractionStore {
  save(interaction: StoredInteraction): Promise<void>;
  remove(id: string): Promise<void>;
  /** Live interactions of one adviser, oldest first, with any left unclaimed by version 1 rows. */
  listLive(adviserId: string): Promise<StoredInteraction[]>;
}

interface Migration {
  version: number;
  stores: Record<string, string>;
  upgrade?: (transaction: Transaction) => Promise<void>;
}

/**
 * Never edit a step once shipped: add the next one. Version 1 stored the
 * snapshot and journal by id only; version 2 adds who owns the interaction and
 * which call it handles, filled in for rows written by version 1; version 3
 * names the machine's variant, and every row written before it is guidance
 * (the only variant there was).
 */
export const migrations: readonly Migration[] = [
  { version: 1, stores: { liveInteractions: 'id' } },
  {
    version: 2,
    stores: { liveInteractions: 'id, adviserId, contactRef' },
    upgrade: async (transaction) => {
      await transaction
        .table('liveInteractions')
        .toCollection()
        .modify((row: Record<string, unknown>) => {
          const context = (row.snapshot as { context?: { contactRef?: unknown } } | undefined)
            ?.context;
          row.contactRef = typeof context?.contactRef === 'string' ? context.contactRef : '';
          row.adviserId = typeof row.adviserId === 'string' ? row.adviserId : '';
          row.machineVersion = typeof row.machineVersion === 'number' ? row.machineVersion : 1;
          row.updatedAt =
            typeof row.updatedAt === 'string' ? row.updatedAt : new Date(0).toISOString();
        });
    },
  },
  {
    version: 3,
    stores: { liveInteractions: 'id, adviserId, contactRef' },
    upgrade: async (transaction) => {
      await transaction
        .table('liveInteractions')
        .toCollection()
        .modify((row: Record<string, unknown>) => {
          if (row.machineVariant !== 'follow_up') row.machineVariant = 'guidance';
        });
    },
  },
];

export const INTERACTION_DB_NAME = 'adviser-desk-interactions';

type InteractionDatabase = Dexie & { liveInteractions: EntityTable<StoredInteraction, 'id'> };

/** Opens the database with the migrations up to `upTo` (all of them unless a test asks for fewer). */
export function openInteractionDatabase(
  name = INTERACTION_DB_NAME,
  upTo = migrations.length,
  options?: ConstructorParameters<typeof Dexie>[1],
): InteractionDatabase {
  const db = new Dexie(name, options) as InteractionDatabase;
  for (const migration of migrations.slice(0, upTo)) {
    const version = db.version(migration.version).stores(migration.stores);
    if (migration.upgrade) version.upgrade(migration.upgrade);
  }
  return db;
}

export class DexieInteractionStore implements InteractionStore {
  constructor(private readonly db: InteractionDatabase = openInteractionDatabase()) {}

  async save(interaction: StoredInteraction): Promise<void> {
    await this.db.liveInteractions.put(interaction);
  }

  async remove(id: string): Promise<void> {
    await this.db.liveInteractions.delete(id);
  }

  async listLive(adviserId: string): Promise<StoredInteraction[]> {
    // Version 1 did not record the adviser; such a row is offered to whoever signs in on this desk.
    const rows = await this.db.liveInteractions.where('adviserId').anyOf([adviserId, '']).toArray();
    return rows.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  }

  close(): void {
    this.db.close();
  }
}

/** The test double: same behaviour, kept in memory, copies in and out like IndexedDB's structured clone. */
export class MemoryInteractionStore implements InteractionStore {
  readonly rows = new Map<string, StoredInteraction>();

  async save(interaction: StoredInteraction): Promise<void> {
    this.rows.set(interaction.id, structuredClone(interaction));
  }

  async remove(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async listLive(adviserId: string): Promise<StoredInteraction[]> {
    return [...this.rows.values()]
      .filter((row) => row.adviserId === adviserId || row.adviserId === '')
      .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
      .map((row) => structuredClone(row));
  }
}
