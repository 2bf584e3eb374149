// ChatStore on the server's SQLite database (the tables of migration 007).
// A message and its chat's sequence move together in one transaction, so two
// messages can never share a seq and a crash never leaves a gap.
import type { Database, Statement } from 'better-sqlite3';
import type { ChatMessage, ChatParty } from '../../shared/wire/chat';
import type {
  ChatEndedBy,
  ChatStatus,
  ChatStore,
  NewChat,
  NewChatMessage,
  RecentAnswer,
  StoredChat,
} from './types';

interface ChatRow {
  id: string;
  customer_name: string;
  age: number | null;
  status: ChatStatus;
  queued_at: string;
  position_at_join: number;
  adviser_id: string | null;
  answered_at: string | null;
  waited_ms: number | null;
  ended_at: string | null;
  ended_by: ChatEndedBy | null;
  transcript_email: string | null;
  last_seq: number;
  customer_acked_seq: number;
  adviser_acked_seq: number;
}

interface MessageRow {
  chat_id: string;
  seq: number;
  sender: ChatParty;
  client_message_id: string;
  author: string;
  body: string;
  sent_at: string;
}

const chatColumns = `id, customer_name, age, status, queued_at, position_at_join, adviser_id,
  answered_at, waited_ms, ended_at, ended_by, transcript_email, last_seq,
  customer_acked_seq, adviser_acked_seq`;

const messageColumns = 'chat_id, seq, sender, client_message_id, author, body, sent_at';

function chatFromRow(row: ChatRow): StoredChat {
  return {
    id: row.id,
    customerName: row.customer_name,
    age: row.age,
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

export class SqliteChatStore implements ChatStore {
  /** Prepared once per SQL text: every message and receipt runs several of these. */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private statement(sql: string): Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  create(chat: NewChat): void {
    this.statement(
      `INSERT INTO chats (id, resume_token_hash, customer_name, age, status, queued_at, position_at_join)
         VALUES (?, ?, ?, ?, 'queued', ?, ?)`,
    ).run(
      chat.id,
      chat.resumeTokenHash,
      chat.customerName,
      chat.age,
      chat.queuedAt,
      chat.positionAtJoin,
    );
  }

  find(id: string): StoredChat | null {
    const row = this.statement(`SELECT ${chatColumns} FROM chats WHERE id = ?`).get(id) as
      ChatRow | undefined;
    return row ? chatFromRow(row) : null;
  }

  findByResumeTokenHash(hash: string): StoredChat | null {
    const row = this.statement(`SELECT ${chatColumns} FROM chats WHERE resume_token_hash = ?`).get(
      hash,
    ) as ChatRow | undefined;
    return row ? chatFromRow(row) : null;
  }

  findMessage(chatId: string, from: ChatParty, clientMessageId: string): ChatMessage | null {
    const row = this.statement(
      `SELECT ${messageColumns} FROM chat_messages
          WHERE chat_id = ? AND sender = ? AND client_message_id = ?`,
    ).get(chatId, from, clientMessageId) as MessageRow | undefined;
    return row ? messageFromRow(row) : null;
  }

  append(message: NewChatMessage): { message: ChatMessage; duplicate: boolean } | null {
    return this.db.transaction(() => {
      // Checked inside the transaction, so a repeat is found however close behind the first it comes.
      const existing = this.findMessage(message.chatId, message.from, message.clientMessageId);
      if (existing) return { message: existing, duplicate: true };
      const next = this.statement(
        `UPDATE chats SET last_seq = last_seq + 1
            WHERE id = ? AND status IN ('queued', 'connected') RETURNING last_seq`,
      ).get(message.chatId) as { last_seq: number } | undefined;
      if (!next) return null;
      this.statement(
        `INSERT INTO chat_messages (${messageColumns}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        message.chatId,
        next.last_seq,
        message.from,
        message.clientMessageId,
        message.author,
        message.text,
        message.sentAt,
      );
      const stored: ChatMessage = {
        chatId: message.chatId,
        seq: next.last_seq,
        clientMessageId: message.clientMessageId,
        from: message.from,
        author: message.author,
        text: message.text,
        sentAt: message.sentAt,
      };
      return { message: stored, duplicate: false };
    })();
  }

  messages(chatId: string, afterSeq = 0): ChatMessage[] {
    return (
      this.statement(
        `SELECT ${messageColumns} FROM chat_messages WHERE chat_id = ? AND seq > ? ORDER BY seq`,
      ).all(chatId, afterSeq) as MessageRow[]
    ).map(messageFromRow);
  }

  acknowledge(chatId: string, party: ChatParty, upToSeq: number): void {
    // The column name comes from a closed set, never from input.
    const column = party === 'customer' ? 'customer_acked_seq' : 'adviser_acked_seq';
    this.statement(
      `UPDATE chats SET ${column} = max(${column}, min(?, last_seq)) WHERE id = ?`,
    ).run(upToSeq, chatId);
  }

  markAnswered(chatId: string, adviserId: string, at: string, waitedMs: number): boolean {
    return (
      this.statement(
        `UPDATE chats SET status = 'connected', adviser_id = ?, answered_at = ?, waited_ms = ?
            WHERE id = ? AND status = 'queued'`,
      ).run(adviserId, at, waitedMs, chatId).changes === 1
    );
  }

  markEnded(chatId: string, at: string, endedBy: ChatEndedBy): boolean {
    return (
      this.statement(
        `UPDATE chats SET status = 'ended', ended_at = ?, ended_by = ?
            WHERE id = ? AND status IN ('queued', 'connected')`,
      ).run(at, endedBy, chatId).changes === 1
    );
  }

  markAbandoned(chatId: string, at: string, waitedMs: number): boolean {
    return this.db.transaction(() => {
      const row = this.statement(
        `UPDATE chats SET status = 'abandoned', ended_at = ?, ended_by = 'customer', waited_ms = ?
            WHERE id = ? AND status = 'queued' RETURNING queued_at`,
      ).get(at, waitedMs, chatId) as { queued_at: string } | undefined;
      if (!row) return false;
      this.recordAbandonment('chat', chatId, row.queued_at, at, waitedMs);
      return true;
    })();
  }

  recordAbandonment(
    kind: 'chat' | 'call',
    contactId: string,
    queuedAt: string,
    leftAt: string,
    waitedMs: number,
  ): void {
    this.statement(
      `INSERT INTO queue_abandonments (kind, contact_id, queued_at, left_at, waited_ms)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(kind, contactId, queuedAt, leftAt, waitedMs);
  }

  setTranscriptEmail(chatId: string, email: string): boolean {
    return (
      this.statement(
        `UPDATE chats SET transcript_email = ? WHERE id = ? AND status IN ('queued', 'connected', 'ended')`,
      ).run(email, chatId).changes === 1
    );
  }

  unfinished(): StoredChat[] {
    return (
      this.statement(
        `SELECT ${chatColumns} FROM chats WHERE status IN ('queued', 'connected') ORDER BY queued_at, rowid`,
      ).all() as ChatRow[]
    ).map(chatFromRow);
  }

  connectedFor(adviserId: string): StoredChat[] {
    return (
      this.statement(
        `SELECT ${chatColumns} FROM chats WHERE adviser_id = ? AND status = 'connected' ORDER BY answered_at, rowid`,
      ).all(adviserId) as ChatRow[]
    ).map(chatFromRow);
  }

  recentAnswers(limit: number): RecentAnswer[] {
    const rows = this.statement(
      `SELECT answered_at, waited_ms, position_at_join FROM chats
          WHERE answered_at IS NOT NULL ORDER BY answered_at DESC LIMIT ?`,
    ).all(limit) as { answered_at: string; waited_ms: number; position_at_join: number }[];
    return rows.reverse().map((row) => ({
      answeredAt: row.answered_at,
      waitedMs: row.waited_ms,
      positionAtJoin: row.position_at_join,
    }));
  }

  abandonedSince(since: string): number {
    return (
      this.statement('SELECT count(*) AS n FROM queue_abandonments WHERE left_at >= ?').get(
        since,
      ) as { n: number }
    ).n;
  }
}
