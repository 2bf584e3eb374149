// The training library on either engine: entries (one per interaction), their
// tags and the marks pinned to their moments. Everything here is portable SQL;
// the library is small (hundreds of entries, not millions), so a listing reads
// its page with one query for the entries and one for their tags.
import { randomUUID } from 'node:crypto';
import type {
  ClearanceStatus,
  TrainingEntry,
  TrainingList,
  TrainingMark,
  TrainingQuery,
} from '../../shared/wire/training';
import { changedRows, inTransaction, type Executor, type StoreContext } from './database';
import { historyRowColumns, historyRowOf, utcTime } from './history';
import type {
  NewTrainingEntry,
  TrainingDecision,
  TrainingListScope,
  TrainingMarkInput,
  TrainingStore,
} from './types';

type Db = Executor;

/** An entry's row with its interaction's history columns and the names of who added and decided it. */
function entries(db: Db) {
  return db
    .selectFrom('training_entries as t')
    .innerJoin('interactions as i', 'i.id', 't.interaction_id')
    .innerJoin('accounts as a', 'a.id', 'i.adviser_id')
    .innerJoin('accounts as adder', 'adder.id', 't.added_by')
    .leftJoin('accounts as decider', 'decider.id', 't.decided_by')
    .select(historyRowColumns)
    .select([
      't.title',
      't.description',
      't.status',
      't.added_by',
      'adder.display_name as added_by_name',
      't.added_at',
      't.decided_by',
      'decider.display_name as decided_by_name',
      't.decided_at',
      't.decision_note',
    ])
    .select((eb) =>
      eb
        .selectFrom('training_marks as m')
        .whereRef('m.interaction_id', '=', 't.interaction_id')
        .select((inner) => inner.fn.countAll<number>().as('marks'))
        .as('marks'),
    );
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entries>['executeTakeFirstOrThrow']>>;

function entryOf(row: EntryRow, tags: readonly string[]): TrainingEntry {
  return {
    interaction: historyRowOf(row),
    title: row.title,
    description: row.description,
    tags: [...tags],
    status: row.status,
    addedBy: { id: row.added_by, name: row.added_by_name },
    addedAt: row.added_at,
    decision:
      row.decided_by !== null && row.decided_at !== null
        ? {
            by: { id: row.decided_by, name: row.decided_by_name ?? '' },
            at: row.decided_at,
            note: row.decision_note ?? '',
          }
        : null,
    // PostgreSQL's count is a bigint, which pg hands over as text.
    marks: Number(row.marks ?? 0),
  };
}

async function tagsOf(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const byEntry = new Map<string, string[]>();
  if (ids.length === 0) return byEntry;
  const rows = await db
    .selectFrom('training_tags')
    .select(['interaction_id', 'tag'])
    .where('interaction_id', 'in', ids)
    .orderBy('interaction_id')
    .orderBy('tag')
    .execute();
  for (const row of rows) {
    const held = byEntry.get(row.interaction_id) ?? [];
    held.push(row.tag);
    byEntry.set(row.interaction_id, held);
  }
  return byEntry;
}

export class KyselyTraining implements TrainingStore {
  constructor(private readonly context: StoreContext) {}

  async find(interactionId: string): Promise<TrainingEntry | null> {
    return this.findOn(this.context.db, interactionId);
  }

  private async findOn(db: Db, interactionId: string): Promise<TrainingEntry | null> {
    const row = await entries(db).where('t.interaction_id', '=', interactionId).executeTakeFirst();
    if (!row) return null;
    const tags = await tagsOf(db, [interactionId]);
    return entryOf(row, tags.get(interactionId) ?? []);
  }

  async save(entry: NewTrainingEntry): Promise<TrainingEntry | null> {
    return inTransaction(this.context.db, async (db) => {
      const held = await db
        .selectFrom('interactions')
        .select('id')
        .where('id', '=', entry.interactionId)
        .executeTakeFirst();
      if (!held) return null;
      const { title, description, tags } = entry.fields;
      const updated = await db
        .updateTable('training_entries')
        .set({ title, description })
        .where('interaction_id', '=', entry.interactionId)
        .executeTakeFirst();
      // An edit keeps the entry's decision: clearance is about the
      // interaction's redacted view, which a new title does not change.
      if (changedRows(updated) === 0) {
        await db
          .insertInto('training_entries')
          .values({
            interaction_id: entry.interactionId,
            title,
            description,
            status: 'awaiting_clearance',
            added_by: entry.by,
            added_at: utcTime(entry.at),
            decided_by: null,
            decided_at: null,
            decision_note: null,
          })
          .execute();
      }
      await db
        .deleteFrom('training_tags')
        .where('interaction_id', '=', entry.interactionId)
        .execute();
      if (tags.length > 0) {
        await db
          .insertInto('training_tags')
          .values(tags.map((tag) => ({ interaction_id: entry.interactionId, tag })))
          .execute();
      }
      return this.findOn(db, entry.interactionId);
    });
  }

  async decide(interactionId: string, decision: TrainingDecision): Promise<TrainingEntry | null> {
    return inTransaction(this.context.db, async (db) => {
      const updated = await db
        .updateTable('training_entries')
        .set({
          status: decision.decision,
          decided_by: decision.by,
          decided_at: utcTime(decision.at),
          decision_note: decision.note,
        })
        .where('interaction_id', '=', interactionId)
        .executeTakeFirst();
      if (changedRows(updated) === 0) return null;
      return this.findOn(db, interactionId);
    });
  }

  async remove(interactionId: string): Promise<boolean> {
    return inTransaction(this.context.db, async (db) => {
      await db.deleteFrom('training_marks').where('interaction_id', '=', interactionId).execute();
      await db.deleteFrom('training_tags').where('interaction_id', '=', interactionId).execute();
      const deleted = await db
        .deleteFrom('training_entries')
        .where('interaction_id', '=', interactionId)
        .executeTakeFirst();
      return changedRows(deleted) > 0;
    });
  }

  async list(query: TrainingQuery, scope: TrainingListScope): Promise<TrainingList> {
    const { db } = this.context;
    const status: ClearanceStatus | undefined = scope.onlyCleared ? 'cleared' : query.status;
    if (scope.onlyCleared && query.status !== undefined && query.status !== 'cleared') {
      return { entries: [], tags: [] };
    }
    let select = entries(db);
    if (status !== undefined) select = select.where('t.status', '=', status);
    if (query.tag !== undefined) {
      const tag = query.tag;
      select = select.where((eb) =>
        eb.exists(
          eb
            .selectFrom('training_tags as g')
            .select('g.tag')
            .whereRef('g.interaction_id', '=', 't.interaction_id')
            .where('g.tag', '=', tag),
        ),
      );
    }
    const rows = await select
      .orderBy('t.added_at', 'desc')
      .orderBy('t.interaction_id', 'desc')
      .limit(query.limit)
      .execute();
    const tags = await tagsOf(
      db,
      rows.map((row) => row.id),
    );
    // The tag list counts every entry the reader may see, not just this page,
    // so choosing a tag never narrows the tags offered.
    let counted = db
      .selectFrom('training_tags as g')
      .innerJoin('training_entries as t', 't.interaction_id', 'g.interaction_id')
      .select(['g.tag', (eb) => eb.fn.countAll<number>().as('entries')])
      .groupBy('g.tag')
      .orderBy('entries', 'desc')
      .orderBy('g.tag');
    if (scope.onlyCleared) counted = counted.where('t.status', '=', 'cleared');
    const tagCounts = await counted.execute();
    return {
      entries: rows.map((row) => entryOf(row, tags.get(row.id) ?? [])),
      tags: tagCounts.map((row) => ({ tag: row.tag, entries: Number(row.entries) })),
    };
  }

  async addMark(interactionId: string, mark: TrainingMarkInput): Promise<TrainingMark | null> {
    return inTransaction(this.context.db, async (db) => {
      const held = await db
        .selectFrom('training_entries')
        .select('interaction_id')
        .where('interaction_id', '=', interactionId)
        .executeTakeFirst();
      if (!held) return null;
      const id = randomUUID();
      await db
        .insertInto('training_marks')
        .values({
          id,
          interaction_id: interactionId,
          at: utcTime(mark.at),
          kind: mark.kind,
          text: mark.text,
          author_id: mark.by,
          created_at: utcTime(mark.createdAt),
        })
        .execute();
      const marks = await this.marksOn(db, interactionId);
      return marks.find((held) => held.id === id) ?? null;
    });
  }

  async removeMark(interactionId: string, markId: string): Promise<boolean> {
    const deleted = await this.context.db
      .deleteFrom('training_marks')
      .where('interaction_id', '=', interactionId)
      .where('id', '=', markId)
      .executeTakeFirst();
    return changedRows(deleted) > 0;
  }

  async marks(interactionId: string): Promise<TrainingMark[]> {
    return this.marksOn(this.context.db, interactionId);
  }

  private async marksOn(db: Db, interactionId: string): Promise<TrainingMark[]> {
    const rows = await db
      .selectFrom('training_marks as m')
      .innerJoin('accounts as a', 'a.id', 'm.author_id')
      .select(['m.id', 'm.at', 'm.kind', 'm.text', 'm.author_id', 'a.display_name', 'm.created_at'])
      .where('m.interaction_id', '=', interactionId)
      .orderBy('m.at')
      .orderBy('m.created_at')
      .orderBy('m.id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      kind: row.kind,
      text: row.text,
      author: { id: row.author_id, name: row.display_name },
      createdAt: row.created_at,
    }));
  }
}
