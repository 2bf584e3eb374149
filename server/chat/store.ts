// ChatStore on the server's database, SQLite or PostgreSQL (the tables of
// migration 007). A message and its chat's sequence move together in one
// transaction, so two messages can never share a seq and a crash never leaves
// a gap; every change of a chat's status is a conditional write, so a decision
// (answered, ended, abandoned) is taken once however the requests interleave.
import { sql, type ExpressionBuilder, type NotNull } from 'kysely';
import type { ChatMessage, ChatParty } from '../../shared/wire/chat';
import {
  changedRows,
  inTransaction,
  isLockConflict,
  isUniqueViolation,
  type Executor,
  type StoreContext,
} from '../storage/database';
import type { Row, ServerSchema } from '../storage/schema';
import { londonHour } from '../../shared/time/london';
import { WriteBatches } from './write-batches';
import { builtOnce } from './built-once';
import type {
  AppendedMessage,
  ChatEndedBy,
  ChatStore,
  NewChat,
  NewChatMessage,
  RecentAnswer,
  StoredChat,
} from './types';

/** Every column but the resume token's hash, which is only ever looked up by. */
const chatColumns = [
  'id',
  'customer_name',
  'age',
  'device_key',
  'status',
  'queued_at',
  'position_at_join',
  'adviser_id',
  'answered_at',
  'waited_ms',
  'ended_at',
  'ended_by',
  'transcript_email',
  'last_seq',
  'customer_acked_seq',
  'adviser_acked_seq',
] as const;

const messageColumns = [
  'chat_id',
  'seq',
  'sender',
  'client_message_id',
  'author',
  'body',
  'sent_at',
] as const;

type ChatRow = Pick<Row<'chats'>, (typeof chatColumns)[number]>;
type MessageRow = Pick<Row<'chat_messages'>, (typeof messageColumns)[number]>;

/** A chat still under way: it may take messages and change hands. */
const openStatuses = ['queued', 'connected'] as const;

function chatFromRow(row: ChatRow): StoredChat {
  return {
    id: row.id,
    customerName: row.customer_name,
    age: row.age,
    deviceKeyHash: row.device_key,
    status: row.status,
    queuedAt: row.queued_at,
    positionAtJoin: row.position_at_join,
    adviserId: row.adviser_id,
    answeredAt: row.answered_at,
    waitedMs: row.waited_ms,
    endedAt: row.ended_at,
    endedBy: row.ended_by,
    transcriptEmail: row.transcript_email,
    lastSeq: row.last_seq,
    customerAckedSeq: row.customer_acked_seq,
    adviserAckedSeq: row.adviser_acked_seq,
  };
}

function messageFromRow(row: MessageRow): ChatMessage {
  return {
    chatId: row.chat_id,
    seq: row.seq,
    clientMessageId: row.client_message_id,
    from: row.sender,
    author: row.author,
    text: row.body,
    sentAt: row.sent_at,
  };
}

/**
 * A chat write's own check that the desk's session still exists: signed out
 * at any process, the write keeps and moves nothing (decision 0041).
 */
const sessionLive =
  (session: string) =>
  ({ exists, selectFrom }: ExpressionBuilder<ServerSchema, 'chats'>) =>
    exists(selectFrom('sessions').select('token_hash').where('token_hash', '=', session));

/** What every batched write's input row carries for its checks. */
interface BatchedInput {
  held_by: string | null;
  session: string | null;
}

/**
 * A batched write's own checks on its input row, as for a write alone: the
 * chat held by the adviser the row names (when it names one), and the session
 * it names (when it names one) still live (decision 0041).
 */
function batchedChecks(
  checks: ExpressionBuilder<ServerSchema & { input: BatchedInput }, 'chats' | 'input'>,
) {
  const { and, or, ref, exists, selectFrom } = checks;
  return and([
    or([
      checks('input.held_by', 'is', null),
      checks('chats.adviser_id', '=', ref('input.held_by')),
    ]),
    or([
      checks('input.session', 'is', null),
      exists(
        selectFrom('sessions')
          .select('token_hash')
          .whereRef('sessions.token_hash', '=', 'input.session'),
      ),
    ]),
  ]);
}

/** A receipt as one batched statement takes it. */
interface Receipt {
  chatId: string;
  party: ChatParty;
  upToSeq: number;
  heldBy?: string;
  session?: string;
}

/** The columns a batch of messages is bound as, one array each, an element per message. */
const appendColumns = [
  'n',
  'chat_id',
  'sender',
  'client_message_id',
  'author',
  'body',
  'sent_at',
  'held_by',
  'session',
] as const;

function appendInputs(
  messages: readonly NewChatMessage[],
): Record<(typeof appendColumns)[number], unknown[]> {
  return {
    n: messages.map((_, index) => index),
    chat_id: messages.map((m) => m.chatId),
    sender: messages.map((m) => m.from),
    client_message_id: messages.map((m) => m.clientMessageId),
    author: messages.map((m) => m.author ?? null),
    body: messages.map((m) => m.text),
    sent_at: messages.map((m) => m.sentAt),
    held_by: messages.map((m) => m.heldBy ?? null),
    session: messages.map((m) => m.session ?? null),
  };
}

/** The columns a batch of receipts is bound as. */
const receiptColumns = ['n', 'chat_id', 'party', 'up_to', 'held_by', 'session'] as const;

function receiptInputs(
  receipts: readonly Receipt[],
): Record<(typeof receiptColumns)[number], unknown[]> {
  return {
    n: receipts.map((_, index) => index),
    chat_id: receipts.map((r) => r.chatId),
    party: receipts.map((r) => r.party),
    up_to: receipts.map((r) => r.upToSeq),
    held_by: receipts.map((r) => r.heldBy ?? null),
    session: receipts.map((r) => r.session ?? null),
  };
}

export class KyselyChatStore implements ChatStore {
  /**
   * PostgreSQL, outside a caller's transaction: messages and receipts that arrive while
   * earlier ones are being written are kept together, one statement and one commit for
   * each batch (see ./write-batches.ts and decision 0042).
   */
  private readonly appends: WriteBatches<NewChatMessage, AppendedMessage | null> | null;
  private readonly receipts: WriteBatches<Receipt, boolean> | null;

  constructor(private readonly context: StoreContext) {
    const batched = context.engine === 'postgres' && !context.db.isTransaction;
    this.appends = batched
      ? new WriteBatches(
          (messages) => this.appendMany(messages),
          (message) => message.chatId,
        )
      : null;
    this.receipts = batched
      ? new WriteBatches(
          (receipts) => this.acknowledgeMany(receipts),
          (receipt) => receipt.chatId,
        )
      : null;
  }

  async create(chat: NewChat): Promise<void> {
    await this.context.db
      .insertInto('chats')
      .values({
        id: chat.id,
        resume_token_hash: chat.resumeTokenHash,
        customer_name: chat.customerName,
        age: chat.age,
        device_key: chat.deviceKeyHash,
        status: 'queued',
        queued_at: chat.queuedAt,
        position_at_join: chat.positionAtJoin,
      })
      .execute();
  }

  async find(id: string): Promise<StoredChat | null> {
    const row = await this.context.db
      .selectFrom('chats')
      .select(chatColumns)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? chatFromRow(row) : null;
  }

  async findByResumeTokenHash(hash: string): Promise<StoredChat | null> {
    const row = await this.context.db
      .selectFrom('chats')
      .select(chatColumns)
      .where('resume_token_hash', '=', hash)
      .executeTakeFirst();
    return row ? chatFromRow(row) : null;
  }

  findMessage(
    chatId: string,
    from: ChatParty,
    clientMessageId: string,
  ): Promise<ChatMessage | null> {
    return this.findMessageOn(this.context.db, chatId, from, clientMessageId);
  }

  private async findMessageOn(
    db: Executor,
    chatId: string,
    from: ChatParty,
    clientMessageId: string,
  ): Promise<ChatMessage | null> {
    const row = await db
      .selectFrom('chat_messages')
      .select(messageColumns)
      .where('chat_id', '=', chatId)
      .where('sender', '=', from)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
    return row ? messageFromRow(row) : null;
  }

  async append(message: NewChatMessage): Promise<AppendedMessage | null> {
    // PostgreSQL, outside a caller's transaction: the usual case (a new message to an
    // open chat) in one statement, one round trip, where the general path below takes six.
    // Chat traffic is most of the server's work, and each round trip counts.
    if (this.appends) {
      const appended = await this.appends.run(message);
      if (appended) return appended;
    }
    return this.appendInTurn(message);
  }

  /**
   * Several chats' messages in one statement (each chat at most once: WriteBatches keeps
   * a chat's second message for the next batch), answered in order; null where the
   * statement kept nothing (the chat is not open, not the adviser's, the desk's session
   * has ended, or the message is a repeat: the general path then says which). A lone
   * message goes through the same statement. A repeat committed just before the row lock
   * was granted meets the unique key and aborts the whole statement: a lone message is
   * then answered null, its seq not spent, and the general path finds the copy; a batch
   * is written again one message at a time, so one message's repeat never refuses another's.
   */
  private async appendMany(messages: NewChatMessage[]): Promise<(AppendedMessage | null)[]> {
    let rows;
    try {
      rows = (await this.context.db.executeQuery(this.appendStatement(appendInputs(messages))))
        .rows;
    } catch (error) {
      if (messages.length === 1) {
        if (isUniqueViolation(error)) return [null];
        throw error;
      }
      // Two processes' batches may also lock the same chats in opposite orders;
      // PostgreSQL then aborts one, which is written one message at a time too.
      if (!isUniqueViolation(error) && !isLockConflict(error)) throw error;
      return Promise.all(
        messages.map(async (message) => (await this.appendMany([message]))[0] ?? null),
      );
    }
    const byIndex = new Map(rows.map((row) => [row.n, row]));
    return messages.map((_, index) => {
      const row = byIndex.get(index);
      return row
        ? { message: messageFromRow(row), duplicate: false, adviserId: row.adviser_id }
        : null;
    });
  }

  /**
   * The messages' chats found, each its next seq taken and its message inserted with it,
   * in one statement that also answers who holds each chat and (for a customer's message)
   * the name it is written under. The messages come in as arrays, so the statement's text
   * is the same however many there are, and it is built once (./built-once.ts).
   * PostgreSQL only: SQLite takes no UPDATE inside WITH.
   */
  private readonly appendStatement = builtOnce(appendColumns, (columns) => {
    const input = sql<{
      n: number;
      chat_id: string;
      sender: ChatParty;
      client_message_id: string;
      author: string | null;
      body: string;
      sent_at: string;
      held_by: string | null;
      session: string | null;
    }>`unnest(${columns.n}::integer[], ${columns.chat_id}::text[], ${columns.sender}::text[], ${columns.client_message_id}::text[], ${columns.author}::text[], ${columns.body}::text[], ${columns.sent_at}::text[], ${columns.held_by}::text[], ${columns.session}::text[])`.as<'input'>(
      sql`input(n, chat_id, sender, client_message_id, author, body, sent_at, held_by, session)`,
    );
    return this.context.db
      .with('next', (db) =>
        db
          .updateTable('chats')
          .from(input)
          .set((eb) => ({ last_seq: eb('chats.last_seq', '+', 1) }))
          .whereRef('chats.id', '=', 'input.chat_id')
          .where('chats.status', 'in', openStatuses)
          .where(batchedChecks)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('chat_messages')
                  .select('seq')
                  .whereRef('chat_messages.chat_id', '=', 'input.chat_id')
                  .whereRef('chat_messages.sender', '=', 'input.sender')
                  .whereRef('chat_messages.client_message_id', '=', 'input.client_message_id'),
              ),
            ),
          )
          .returning([
            'input.n',
            'input.chat_id',
            'chats.last_seq',
            'chats.adviser_id',
            'input.sender',
            'input.client_message_id',
            (eb) => eb.fn.coalesce('input.author', 'chats.customer_name').as('author'),
            'input.body',
            'input.sent_at',
          ]),
      )
      .with('kept', (db) =>
        db
          .insertInto('chat_messages')
          .columns(['chat_id', 'seq', 'sender', 'client_message_id', 'author', 'body', 'sent_at'])
          .expression((eb) =>
            eb
              .selectFrom('next')
              .select([
                'next.chat_id',
                'next.last_seq',
                'next.sender',
                'next.client_message_id',
                'next.author',
                'next.body',
                'next.sent_at',
              ]),
          )
          .returning(messageColumns),
      )
      .selectFrom('kept')
      .innerJoin('next', 'next.chat_id', 'kept.chat_id')
      .select([
        ...messageColumns.map((name) => `kept.${name}` as const),
        'next.n',
        'next.adviser_id',
      ]);
  });

  private appendInTurn(message: NewChatMessage): Promise<AppendedMessage | null> {
    return inTransaction(this.context.db, async (trx) => {
      // Appends to one chat take turns from here to the commit, so the check for a
      // repeat below sees any copy committed however close behind the first this
      // comes, and the insert never meets the unique key (on PostgreSQL a unique
      // violation would abort the whole transaction, the caller's too).
      let found = trx
        .selectFrom('chats')
        .select(['status', 'adviser_id', 'customer_name'])
        .where('id', '=', message.chatId)
        .$if(message.heldBy !== undefined, (select) =>
          select.where('adviser_id', '=', message.heldBy ?? null),
        )
        .$if(message.session !== undefined, (select) =>
          select.where(sessionLive(message.session ?? '')),
        );
      // PostgreSQL: lock the chat's row. SQLite has no FOR UPDATE, and needs none:
      // every transaction there begins IMMEDIATE, holding the one write lock.
      if (this.context.engine === 'postgres') found = found.forUpdate();
      const chat = await found.executeTakeFirst();
      if (chat === undefined) return null;
      const existing = await this.findMessageOn(
        trx,
        message.chatId,
        message.from,
        message.clientMessageId,
      );
      if (existing) return { message: existing, duplicate: true, adviserId: chat.adviser_id };
      const next = await trx
        .updateTable('chats')
        .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
        .where('id', '=', message.chatId)
        .where('status', 'in', openStatuses)
        .returning('last_seq')
        .executeTakeFirst();
      if (!next) return null;
      const stored: ChatMessage = {
        chatId: message.chatId,
        seq: next.last_seq,
        clientMessageId: message.clientMessageId,
        from: message.from,
        author: message.author ?? chat.customer_name,
        text: message.text,
        sentAt: message.sentAt,
      };
      await trx
        .insertInto('chat_messages')
        .values({
          chat_id: stored.chatId,
          seq: stored.seq,
          sender: stored.from,
          client_message_id: stored.clientMessageId,
          author: stored.author,
          body: stored.text,
          sent_at: stored.sentAt,
        })
        .execute();
      return { message: stored, duplicate: false, adviserId: chat.adviser_id };
    });
  }

  async messages(chatId: string, afterSeq = 0): Promise<ChatMessage[]> {
    const rows = await this.context.db
      .selectFrom('chat_messages')
      .select(messageColumns)
      .where('chat_id', '=', chatId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .execute();
    return rows.map(messageFromRow);
  }

  async acknowledge(
    chatId: string,
    party: ChatParty,
    upToSeq: number,
    heldBy?: string,
    session?: string,
  ): Promise<boolean> {
    if (this.receipts) return this.receipts.run({ chatId, party, upToSeq, heldBy, session });
    return this.acknowledgeOne({ chatId, party, upToSeq, heldBy, session });
  }

  /**
   * Several chats' receipts in one statement (each chat at most once), answered in order;
   * a lone receipt goes through the same statement.
   */
  private async acknowledgeMany(receipts: Receipt[]): Promise<boolean[]> {
    let rows;
    try {
      rows = (await this.context.db.executeQuery(this.receiptStatement(receiptInputs(receipts))))
        .rows;
    } catch (error) {
      // Another process's batch locked the same chats in the opposite order.
      if (receipts.length === 1 || !isLockConflict(error)) throw error;
      return Promise.all(
        receipts.map(async (receipt) => (await this.acknowledgeMany([receipt]))[0] ?? false),
      );
    }
    const moved = new Set(rows.map((row) => row.n));
    return receipts.map((_, index) => moved.has(index));
  }

  /**
   * acknowledgeOne for many chats, either party in each: the receipts come in as arrays,
   * so the statement is built once (./built-once.ts). PostgreSQL only (unnest).
   */
  private readonly receiptStatement = builtOnce(receiptColumns, (columns) => {
    const input = sql<{
      n: number;
      chat_id: string;
      party: ChatParty;
      up_to: number;
      held_by: string | null;
      session: string | null;
    }>`unnest(${columns.n}::integer[], ${columns.chat_id}::text[], ${columns.party}::text[], ${columns.up_to}::integer[], ${columns.held_by}::text[], ${columns.session}::text[])`.as<'input'>(
      sql`input(n, chat_id, party, up_to, held_by, session)`,
    );
    return this.context.db
      .updateTable('chats')
      .from(input)
      .set((eb) => {
        // Up to the last message there is, and never back, for the party the receipt is from.
        const movedTo = eb
          .case()
          .when('chats.last_seq', '<', eb.ref('input.up_to'))
          .then(eb.ref('chats.last_seq'))
          .else(eb.ref('input.up_to'))
          .end();
        return {
          customer_acked_seq: eb
            .case()
            .when('input.party', '=', 'customer')
            .then(movedTo)
            .else(eb.ref('chats.customer_acked_seq'))
            .end(),
          adviser_acked_seq: eb
            .case()
            .when('input.party', '=', 'adviser')
            .then(movedTo)
            .else(eb.ref('chats.adviser_acked_seq'))
            .end(),
        };
      })
      .whereRef('chats.id', '=', 'input.chat_id')
      .where((eb) => {
        const acked = eb
          .case()
          .when('input.party', '=', 'customer')
          .then(eb.ref('chats.customer_acked_seq'))
          .else(eb.ref('chats.adviser_acked_seq'))
          .end();
        return eb.and([
          eb(acked, '<', eb.ref('input.up_to')),
          eb(acked, '<', eb.ref('chats.last_seq')),
        ]);
      })
      .where(batchedChecks)
      .returning('input.n');
  });

  private async acknowledgeOne({
    chatId,
    party,
    upToSeq,
    heldBy,
    session,
  }: Receipt): Promise<boolean> {
    const column = party === 'customer' ? 'customer_acked_seq' : 'adviser_acked_seq';
    // Up to the last message there is, and never back: written as CASE and a WHERE
    // because the two engines spell the scalar min and max differently.
    const result = await this.context.db
      .updateTable('chats')
      .set(column, (eb) =>
        eb
          .case()
          .when('last_seq', '<', upToSeq)
          .then(eb.ref('last_seq'))
          .else(eb.val(upToSeq))
          .end(),
      )
      .where('id', '=', chatId)
      .where(column, '<', upToSeq)
      .where((eb) => eb(column, '<', eb.ref('last_seq')))
      .$if(heldBy !== undefined, (update) => update.where('adviser_id', '=', heldBy ?? null))
      .$if(session !== undefined, (update) => update.where(sessionLive(session ?? '')))
      .executeTakeFirst();
    return changedRows(result) > 0;
  }

  async markAnswered(
    chatId: string,
    adviserId: string,
    at: string,
    waitedMs: number,
  ): Promise<boolean> {
    const result = await this.context.db
      .updateTable('chats')
      .set({ status: 'connected', adviser_id: adviserId, answered_at: at, waited_ms: waitedMs })
      .where('id', '=', chatId)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  async markEnded(chatId: string, at: string, endedBy: ChatEndedBy): Promise<boolean> {
    const result = await this.context.db
      .updateTable('chats')
      .set({ status: 'ended', ended_at: at, ended_by: endedBy })
      .where('id', '=', chatId)
      .where('status', 'in', openStatuses)
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  markAbandoned(chatId: string, at: string, waitedMs: number): Promise<boolean> {
    return inTransaction(this.context.db, async (trx) => {
      const row = await trx
        .updateTable('chats')
        .set({ status: 'abandoned', ended_at: at, ended_by: 'customer', waited_ms: waitedMs })
        .where('id', '=', chatId)
        .where('status', '=', 'queued')
        .returning('queued_at')
        .executeTakeFirst();
      if (!row) return false;
      await this.recordAbandonmentOn(trx, 'chat', chatId, row.queued_at, at, waitedMs);
      return true;
    });
  }

  recordAbandonment(
    kind: 'chat' | 'call',
    contactId: string,
    queuedAt: string,
    leftAt: string,
    waitedMs: number,
  ): Promise<void> {
    return this.recordAbandonmentOn(this.context.db, kind, contactId, queuedAt, leftAt, waitedMs);
  }

  private async recordAbandonmentOn(
    db: Executor,
    kind: 'chat' | 'call',
    contactId: string,
    queuedAt: string,
    leftAt: string,
    waitedMs: number,
  ): Promise<void> {
    // One record per contact: the first departure counts, a repeat is no error.
    await db
      .insertInto('queue_abandonments')
      .values({
        kind,
        contact_id: contactId,
        queued_at: queuedAt,
        left_at: leftAt,
        waited_ms: waitedMs,
        left_hour: londonHour(leftAt),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async setTranscriptEmail(chatId: string, email: string): Promise<boolean> {
    const result = await this.context.db
      .updateTable('chats')
      .set({ transcript_email: email })
      .where('id', '=', chatId)
      .where('status', 'in', ['queued', 'connected', 'ended'])
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  async unfinished(): Promise<StoredChat[]> {
    const rows = await this.context.db
      .selectFrom('chats')
      .select(chatColumns)
      .where('status', 'in', openStatuses)
      // Chats joining in the same millisecond keep their order by the place each joined at.
      .orderBy('queued_at')
      .orderBy('position_at_join')
      .orderBy('id')
      .execute();
    return rows.map(chatFromRow);
  }

  async connectedFor(adviserId: string): Promise<StoredChat[]> {
    const rows = await this.context.db
      .selectFrom('chats')
      .select(chatColumns)
      .where('adviser_id', '=', adviserId)
      .where('status', '=', 'connected')
      .orderBy('answered_at')
      .orderBy('id')
      .execute();
    return rows.map(chatFromRow);
  }

  async recentAnswers(limit: number): Promise<RecentAnswer[]> {
    const rows = await this.context.db
      .selectFrom('chats')
      .select(['answered_at', 'waited_ms', 'position_at_join'])
      .where('answered_at', 'is not', null)
      .where('waited_ms', 'is not', null)
      .$narrowType<{ answered_at: NotNull; waited_ms: NotNull }>()
      .orderBy('answered_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((row) => ({
      answeredAt: row.answered_at,
      waitedMs: row.waited_ms,
      positionAtJoin: row.position_at_join,
    }));
  }

  async abandonedSince(since: string): Promise<number> {
    const row = await this.context.db
      .selectFrom('queue_abandonments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('left_at', '>=', since)
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
