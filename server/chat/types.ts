// What the chat service keeps: chats, their messages in one sequence per chat,
// and abandonments. Implemented once, for SQLite and PostgreSQL, in store.ts;
// every change of a chat's status is conditional, so callers racing each
// other learn from the answer whether theirs was the change that counted.
import type { ChatMessage, ChatParty } from '../../shared/wire/chat';

export type ChatStatus = 'queued' | 'connected' | 'ended' | 'abandoned';
export type ChatEndedBy = 'customer' | 'adviser' | 'service';

export interface StoredChat {
  id: string;
  customerName: string;
  age: number | null;
  /** The hash of a remembered device's key; null when the customer did not ask. */
  deviceKeyHash: string | null;
  status: ChatStatus;
  queuedAt: string;
  positionAtJoin: number;
  adviserId: string | null;
  answeredAt: string | null;
  waitedMs: number | null;
  endedAt: string | null;
  endedBy: ChatEndedBy | null;
  transcriptEmail: string | null;
  lastSeq: number;
  customerAckedSeq: number;
  adviserAckedSeq: number;
}

export interface NewChat {
  id: string;
  resumeTokenHash: string;
  customerName: string;
  age: number | null;
  /** The hash of a remembered device's key; null when the customer did not ask. */
  deviceKeyHash: string | null;
  queuedAt: string;
  positionAtJoin: number;
}

export interface NewChatMessage {
  chatId: string;
  from: ChatParty;
  clientMessageId: string;
  /** Left out for a customer's message: the chat's customer name, read as the message is kept. */
  author?: string;
  text: string;
  sentAt: string;
  /** An adviser's message: the adviser who must hold the chat, or it is as if there were no chat. */
  heldBy?: string;
  /**
   * An adviser's message: the desk's session (its token hash), which must still exist as
   * the message is kept, or it is as if there were no chat. Signing out on any process
   * stops the next message at once, with no read of the session before the write.
   */
  session?: string;
}

/** A message as kept, and who held its chat at that moment (null while it waits). */
export interface AppendedMessage {
  message: ChatMessage;
  duplicate: boolean;
  adviserId: string | null;
}

export interface RecentAnswer {
  answeredAt: string;
  waitedMs: number;
  positionAtJoin: number;
}

export interface ChatStore {
  create(chat: NewChat): Promise<void>;
  find(id: string): Promise<StoredChat | null>;
  findByResumeTokenHash(hash: string): Promise<StoredChat | null>;
  /**
   * Stores a message with the chat's next seq, in one transaction. A repeat of
   * a client message id from the same party returns the stored copy with
   * `duplicate: true`. Null when the chat is over or not there (or, for an adviser,
   * not theirs, or their session has ended); a customer may write while still queued,
   * and the adviser reads it on answering. One statement on PostgreSQL in the usual
   * case: the chat is found, its seq taken and the message kept together.
   */
  append(message: NewChatMessage): Promise<AppendedMessage | null>;
  /** The message a party sent with this client id, if it was kept. */
  findMessage(
    chatId: string,
    from: ChatParty,
    clientMessageId: string,
  ): Promise<ChatMessage | null>;
  /** Messages with seq above `afterSeq`, in order. */
  messages(chatId: string, afterSeq?: number): Promise<ChatMessage[]>;
  /**
   * Moves a party's receipt forward, never back and never past the last message; true
   * when it moved. With `heldBy`, only in a chat that adviser holds; with `session`, only
   * while that desk session still exists.
   */
  acknowledge(
    chatId: string,
    party: ChatParty,
    upToSeq: number,
    heldBy?: string,
    session?: string,
  ): Promise<boolean>;
  /** queued -> connected; false if it was no longer queued. */
  markAnswered(chatId: string, adviserId: string, at: string, waitedMs: number): Promise<boolean>;
  /** connected (or queued) -> ended; false if it had already ended or been abandoned. */
  markEnded(chatId: string, at: string, endedBy: ChatEndedBy): Promise<boolean>;
  /** queued -> abandoned, with the wait, in the abandonment record too. */
  markAbandoned(chatId: string, at: string, waitedMs: number): Promise<boolean>;
  /** A call that left the queue before an answer. */
  recordAbandonment(
    kind: 'chat' | 'call',
    contactId: string,
    queuedAt: string,
    leftAt: string,
    waitedMs: number,
  ): Promise<void>;
  setTranscriptEmail(chatId: string, email: string): Promise<boolean>;
  /** Chats not yet finished (queued or connected), oldest first: taken back after a restart. */
  unfinished(): Promise<StoredChat[]>;
  /** Chats the adviser holds now, oldest first. */
  connectedFor(adviserId: string): Promise<StoredChat[]>;
  /** The latest answered chats, newest last. */
  recentAnswers(limit: number): Promise<RecentAnswer[]>;
  /** Abandonments recorded since `since` (for the day's figure). */
  abandonedSince(since: string): Promise<number>;
}
