// Safeguarding concerns in the server's database, on either engine. A concern
// raised inside a unit of work (an outbox item being applied) is announced
// only once that commits; one that rolls back is never announced.
import { safeguardingCategories } from '../../shared/interaction/taxonomy';
import {
  safeguardingAcknowledgementActions,
  type SafeguardingAcknowledge,
  type SafeguardingAcknowledged,
  type SafeguardingAcknowledgementAction,
  type SafeguardingAlert,
  type SafeguardingHistoryEntry,
  type SafeguardingOutcome,
  type SafeguardingRaise,
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

function actionOf(value: string | null): SafeguardingAcknowledgementAction | null {
  if (value === null) return null;
  const action = safeguardingAcknowledgementActions.find((known) => known === value);
  if (!action) throw new Error(`Stored safeguarding action ${value} is not known`);
  return action;
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
    note: row.acknowledged_note,
    action: actionOf(row.acknowledged_action),
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
      // Most urgent first (byUrgency in shared/wire/safeguarding.ts says the same):
      // immediate risk, then the longest waiting; the id only breaks ties.
      .orderBy('c.immediate_risk', 'desc')
      .orderBy('c.received_at')
      .orderBy('c.id')
      .execute();
    return rows.map(alertOf);
  }

  async history(limit: number): Promise<SafeguardingHistoryEntry[]> {
    const rows = await selectConcerns(this.context.db)
      // Whether the interaction record has reached the server yet (it comes on completion).
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('interactions as i')
              .select(eb.lit(1).as('held'))
              .whereRef('i.id', '=', 'c.interaction_id'),
          )
          .as('interaction_held'),
      )
      .orderBy('c.received_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      concern: alertOf(row),
      acknowledged: acknowledgedOf(row),
      adviserToldAt: row.adviser_told_at,
      // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
      interactionHeld: row.interaction_held === true || Number(row.interaction_held) === 1,
    }));
  }

  async untoldOutcomes(adviserId: string): Promise<SafeguardingOutcome[]> {
    const rows = await selectConcerns(this.context.db)
      .where('c.adviser_id', '=', adviserId)
      .where('c.acknowledged_at', 'is not', null)
      .where('c.adviser_told_at', 'is', null)
      .orderBy('c.acknowledged_at')
      .orderBy('c.id')
      .execute();
    return rows.flatMap((row) => {
      const acknowledged = acknowledgedOf(row);
      return acknowledged ? [{ concern: alertOf(row), acknowledged }] : [];
    });
  }

  async adviserTold(concernId: string, adviserId: string, at: string): Promise<boolean> {
    const result = await this.context.db
      .updateTable('safeguarding_concerns')
      .set({ adviser_told_at: at })
      .where('id', '=', concernId)
      .where('adviser_id', '=', adviserId)
      .where('acknowledged_at', 'is not', null)
      // The first showing stands: a second desk of the same adviser changes nothing.
      .where('adviser_told_at', 'is', null)
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  async acknowledge(
    { concernId, note, action }: SafeguardingAcknowledge,
    leaderId: string,
    at: string,
  ): Promise<AcknowledgeOutcome> {
    return inTransaction(this.context.db, async (trx) => {
      // Conditional, so of two team leaders acknowledging at once exactly one is first.
      const changed = changedRows(
        await trx
          .updateTable('safeguarding_concerns')
          .set({
            acknowledged_by: leaderId,
            acknowledged_at: at,
            acknowledged_note: note,
            acknowledged_action: action,
          })
          .where('id', '=', concernId)
          .where('acknowledged_at', 'is', null)
          .executeTakeFirst(),
      );
      const row = await selectConcerns(trx).where('c.id', '=', concernId).executeTakeFirst();
      const acknowledged = row ? acknowledgedOf(row) : null;
      if (!row || !acknowledged) return { status: 'not_found' };
      return {
        status: changed === 1 ? 'acknowledged' : 'already_acknowledged',
        acknowledged,
        concern: alertOf(row),
      };
    });
  }

  onRaised(listener: (alert: SafeguardingAlert) => void): () => void {
    return this.raised.add(listener);
  }
}
