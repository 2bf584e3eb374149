// Safeguarding concerns in the server's database, on either engine. A concern
// raised inside a unit of work (an outbox item being applied) is announced
// only once that commits; one that rolls back is never announced.
import { safeguardingCategories } from '../../shared/interaction/taxonomy';
import type {
  SafeguardingAcknowledged,
  SafeguardingAlert,
  SafeguardingRaise,
} from '../../shared/wire/safeguarding';
import { changedRows, inTransaction, type Executor, type StoreContext } from '../storage/database';
import type { Listeners } from '../storage/listeners';
import type { Row } from '../storage/schema';
import { StorageConflictError } from '../storage/types';
import type {
  AcknowledgeOutcome,
  SafeguardingChannel,
  SafeguardingStore,
  StoredSafeguardingConcern,
} from './types';

function categoryOf(value: string): SafeguardingAlert['category'] {
  const category = safeguardingCategories.find((known) => known === value);
  if (!category) throw new Error(`Stored safeguarding category ${value} is not known`);
  return category;
}

/** Each concern with its adviser's name and, once acknowledged, the team leader's. */
function selectConcerns(db: Executor) {
  return db
    .selectFrom('safeguarding_concerns as c')
    .innerJoin('accounts as a', 'a.id', 'c.adviser_id')
    .leftJoin('accounts as l', 'l.id', 'c.acknowledged_by')
    .selectAll('c')
    .select(['a.display_name as adviser_name', 'l.display_name as leader_name']);
}

type ConcernRow = Row<'safeguarding_concerns'> & {
  adviser_name: string;
  leader_name: string | null;
};

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

function concernOf(row: ConcernRow): StoredSafeguardingConcern {
  return { ...alertOf(row), receivedVia: row.received_via, acknowledged: acknowledgedOf(row) };
}

export class KyselySafeguardingStore implements SafeguardingStore {
  constructor(
    private readonly context: StoreContext,
    /** Shared by every store of one storage, so a listener added once hears either way of raising. */
    private readonly raised: Listeners<SafeguardingAlert>,
  ) {}

  async raise(
    raise: SafeguardingRaise,
    adviserId: string,
    receivedAt: string,
    via: SafeguardingChannel,
  ): Promise<'raised' | 'duplicate'> {
    const alert = await inTransaction(this.context.db, async (trx) => {
      // DO NOTHING rather than catching the unique violation: on PostgreSQL a
      // failed statement would abort the unit of work this may be part of.
      const inserted = await trx
        .insertInto('safeguarding_concerns')
        .values({
          id: raise.concernId,
          interaction_id: raise.interactionId,
          adviser_id: adviserId,
          category: raise.category,
          immediate_risk: raise.immediateRisk ? 1 : 0,
          what_was_said: raise.whatWasSaid,
          raised_at: raise.raisedAt,
          received_at: receivedAt,
          received_via: via,
        })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) {
        const held = await trx
          .selectFrom('safeguarding_concerns')
          .select('adviser_id')
          .where('id', '=', raise.concernId)
          .executeTakeFirst();
        if (held?.adviser_id !== adviserId) {
          throw new StorageConflictError(
            `A safeguarding concern with id ${raise.concernId} was raised by someone else`,
          );
        }
        return null;
      }
      const row = await selectConcerns(trx).where('c.id', '=', raise.concernId).executeTakeFirst();
      if (!row) throw new Error(`Safeguarding concern ${raise.concernId} vanished as it was kept`);
      return alertOf(row);
    });
    if (!alert) return 'duplicate';
    this.context.afterCommit(() => this.raised.emit(alert));
    return 'raised';
  }

  async find(concernId: string): Promise<StoredSafeguardingConcern | null> {
    const row = await selectConcerns(this.context.db)
      .where('c.id', '=', concernId)
      .executeTakeFirst();
    return row ? concernOf(row) : null;
  }

  async listOpen(): Promise<SafeguardingAlert[]> {
    const rows = await selectConcerns(this.context.db)
      .where('c.acknowledged_at', 'is', null)
      // The id only breaks ties between concerns received at the same instant.
      .orderBy('c.received_at')
      .orderBy('c.id')
      .execute();
    return rows.map(alertOf);
  }

  async acknowledge(concernId: string, leaderId: string, at: string): Promise<AcknowledgeOutcome> {
    return inTransaction(this.context.db, async (trx) => {
      // Conditional, so of two team leaders acknowledging at once exactly one is first.
      const changed = changedRows(
        await trx
          .updateTable('safeguarding_concerns')
          .set({ acknowledged_by: leaderId, acknowledged_at: at })
          .where('id', '=', concernId)
          .where('acknowledged_at', 'is', null)
          .executeTakeFirst(),
      );
      const row = await selectConcerns(trx).where('c.id', '=', concernId).executeTakeFirst();
      const acknowledged = row ? acknowledgedOf(row) : null;
      if (!acknowledged) return { status: 'not_found' };
      return { status: changed === 1 ? 'acknowledged' : 'already_acknowledged', acknowledged };
    });
  }

  onRaised(listener: (alert: SafeguardingAlert) => void): () => void {
    return this.raised.add(listener);
  }
}
