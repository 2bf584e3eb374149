// Safeguarding concerns in the server's SQLite database. A concern raised
// inside an outbox item's transaction is announced only once that commits.
import type { Database } from 'better-sqlite3';
import { safeguardingCategories } from '../../shared/interaction/taxonomy';
import type {
  SafeguardingAcknowledged,
  SafeguardingAlert,
  SafeguardingRaise,
} from '../../shared/wire/safeguarding';
import { StorageConflictError } from '../storage/types';
import type {
  AcknowledgeOutcome,
  SafeguardingChannel,
  SafeguardingStore,
  StoredSafeguardingConcern,
} from './types';

interface ConcernRow {
  id: string;
  interaction_id: string;
  adviser_id: string;
  adviser_name: string;
  category: string;
  immediate_risk: number;
  what_was_said: string;
  raised_at: string;
  received_at: string;
  received_via: SafeguardingChannel;
  acknowledged_by: string | null;
  leader_name: string | null;
  acknowledged_at: string | null;
}

const selectConcerns = `
  SELECT c.*, a.display_name AS adviser_name, l.display_name AS leader_name
  FROM safeguarding_concerns c
  JOIN accounts a ON a.id = c.adviser_id
  LEFT JOIN accounts l ON l.id = c.acknowledged_by`;

function categoryOf(value: string): SafeguardingAlert['category'] {
  const category = safeguardingCategories.find((known) => known === value);
  if (!category) throw new Error(`Stored safeguarding category ${value} is not known`);
  return category;
}

function alertOf(row: ConcernRow): SafeguardingAlert {
  return {
    concernId: row.id,
    interactionId: row.interaction_id,
    category: categoryOf(row.category),
    immediateRisk: row.immediate_risk === 1,
    whatWasSaid: row.what_was_said,
    raisedAt: row.raised_at,
    adviser: { id: row.adviser_id, displayName: row.adviser_name },
    receivedAt: row.received_at,
  };
}

function acknowledgedOf(row: ConcernRow): SafeguardingAcknowledged | null {
  if (row.acknowledged_by === null || row.acknowledged_at === null) return null;
  return {
    concernId: row.id,
    acknowledgedBy: {
      id: row.acknowledged_by,
      displayName: row.leader_name ?? row.acknowledged_by,
    },
    acknowledgedAt: row.acknowledged_at,
  };
}

export class SqliteSafeguardingStore implements SafeguardingStore {
  private readonly listeners = new Set<(alert: SafeguardingAlert) => void>();

  constructor(private readonly db: Database) {}

  raise(
    raise: SafeguardingRaise,
    adviserId: string,
    receivedAt: string,
    via: SafeguardingChannel,
  ): 'raised' | 'duplicate' {
    const inserted = this.db
      .prepare(
        `INSERT INTO safeguarding_concerns
           (id, interaction_id, adviser_id, category, immediate_risk, what_was_said, raised_at, received_at, received_via)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING`,
      )
      .run(
        raise.concernId,
        raise.interactionId,
        adviserId,
        raise.category,
        raise.immediateRisk ? 1 : 0,
        raise.whatWasSaid,
        raise.raisedAt,
        receivedAt,
        via,
      );
    if (inserted.changes === 0) {
      const held = this.db
        .prepare('SELECT adviser_id FROM safeguarding_concerns WHERE id = ?')
        .pluck()
        .get(raise.concernId) as string | undefined;
      if (held !== adviserId) {
        throw new StorageConflictError(
          `A safeguarding concern with id ${raise.concernId} was raised by someone else`,
        );
      }
      return 'duplicate';
    }
    this.announceWhenCommitted(raise.concernId);
    return 'raised';
  }

  find(concernId: string): StoredSafeguardingConcern | null {
    const row = this.row(concernId);
    return row
      ? { ...alertOf(row), receivedVia: row.received_via, acknowledged: acknowledgedOf(row) }
      : null;
  }

  listOpen(): SafeguardingAlert[] {
    const rows = this.db
      .prepare(`${selectConcerns} WHERE c.acknowledged_at IS NULL ORDER BY c.received_at, c.rowid`)
      .all() as ConcernRow[];
    return rows.map(alertOf);
  }

  acknowledge(concernId: string, leaderId: string, at: string): AcknowledgeOutcome {
    const changed = this.db
      .prepare(
        `UPDATE safeguarding_concerns SET acknowledged_by = ?, acknowledged_at = ?
         WHERE id = ? AND acknowledged_at IS NULL`,
      )
      .run(leaderId, at, concernId).changes;
    const concern = this.find(concernId);
    if (!concern?.acknowledged) return { status: 'not_found' };
    return {
      status: changed === 1 ? 'acknowledged' : 'already_acknowledged',
      acknowledged: concern.acknowledged,
    };
  }

  onRaised(listener: (alert: SafeguardingAlert) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Inside an open transaction (an outbox item being applied) the row may
   * still roll back, so listeners hear of it only once the transaction has
   * ended and the row is really there.
   */
  private announceWhenCommitted(concernId: string): void {
    const announce = () => {
      if (!this.db.open) return;
      if (this.db.inTransaction) return void setImmediate(announce);
      const row = this.row(concernId);
      if (!row) return;
      const alert = alertOf(row);
      for (const listener of this.listeners) listener(alert);
    };
    if (this.db.inTransaction) queueMicrotask(announce);
    else announce();
  }

  private row(concernId: string): ConcernRow | null {
    return (
      (this.db.prepare(`${selectConcerns} WHERE c.id = ?`).get(concernId) as
        ConcernRow | undefined) ?? null
    );
  }
}
