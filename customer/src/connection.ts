// The customer's chat with the helpline, over a CustomerLink (link.ts): start,
// take back after a drop or a reload, send and receive. It keeps what a
// dropped signal or a reload must not lose (kept.ts): the resume token and
// the young person's messages not yet acknowledged. Those go one at a time, in
// the order written, and only once the chat has been taken back on the
// current connection; each goes again, with the same client id, until the
// server acknowledges it (the server answers a repeat as a duplicate, so
// nothing is stored or shown twice). A message is given up only when the
// server refuses it for good (too long, not valid) or the chat is over.
// No DOM here: the page (main.ts) renders what the listeners hear.
import type { z } from 'zod';
import {
  fail,
  ok,
  parseAnswer,
  resultSchema,
  type Result,
  type ResultError,
} from '../../shared/result';
import {
  chatConnectedSchema,
  chatEndedSchema,
  chatMessageAckSchema,
  chatMessageSchema,
  customerChatResumedSchema,
  customerChatStateSchema,
  partyTypingSchema,
  queuePositionSchema,
  transcriptRequestedSchema,
  type ChatConnected,
  type ChatEnded,
  type ChatMessage,
  type ChatMessageAck,
  type CustomerChatResumed,
  type CustomerChatStart,
  type CustomerChatState,
  type QueuePosition,
  type TranscriptRequested,
} from '../../shared/wire/chat';
import { readKeptChat, writeKeptChat, type KeptChatStorage, type UnsentMessage } from './kept';
import type { CustomerLink, CustomerPushName, CustomerRequestName } from './link';
import { SeenSeqs } from './transcript';

/** Why one of ours has not gone yet. */
export type WaitingFor = 'connection' | 'slow-down';

export interface ChatListeners {
  /** Online or not: the page says so and keeps what was typed. */
  online(online: boolean): void;
  state(state: CustomerChatState | CustomerChatResumed): void;
  queue(queue: QueuePosition): void;
  connected(connected: ChatConnected): void;
  /** A stored message to show: each seq once, possibly out of order (the page places it by seq). */
  message(message: ChatMessage): void;
  /** One of ours was stored (it now has its seq). */
  delivered(clientMessageId: string, seq: number, sentAt: string): void;
  /** One of ours is waiting: for the connection, or because the server asked us to slow down. */
  waiting(clientMessageId: string, waitingFor: WaitingFor): void;
  /** One of ours will not be sent; the reason is in words to show. */
  refused(clientMessageId: string, error: ResultError): void;
  typing(typing: boolean): void;
  ended(ended: ChatEnded): void;
}

export interface RetryPolicy {
  /** First wait before sending again; doubles each time, up to capMs. */
  baseMs: number;
  capMs: number;
}

export interface CustomerConnectionOptions {
  link: CustomerLink;
  storage: KeptChatStorage;
  listeners: ChatListeners;
  /** Spacing of resends while connected but unanswered (default 500 ms, up to 15 s). */
  retry?: RetryPolicy;
  /** How long `start` waits for a connection that is still coming up (default 10 s). */
  connectWaitMs?: number;
  random?: () => number;
}

/** 16 random bytes as base64url: works where `crypto.randomUUID` does not (plain http). */
export function newClientMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Answers the server gives, parsed before anything is believed. */
const answers = {
  state: resultSchema(customerChatStateSchema),
  resumed: resultSchema(customerChatResumedSchema),
  ack: resultSchema(chatMessageAckSchema),
  ended: resultSchema(chatEndedSchema),
  transcript: resultSchema(transcriptRequestedSchema),
};

/** Refusals that mean the message itself will never be taken: shown as not sent, with the reason. */
const finalRefusals: readonly ResultError['code'][] = [
  'invalid_input',
  'payload_too_large',
  'forbidden',
  'unauthenticated',
];

/** The server refills a connection's message allowance about once a second. */
const slowDownMs = 1_000;

const chatOver: ResultError = {
  code: 'conflict',
  message: 'The chat had ended.',
};

export class CustomerConnection {
  private readonly link: CustomerLink;
  private readonly storage: KeptChatStorage;
  private readonly listeners: ChatListeners;
  private readonly retry: RetryPolicy;
  private readonly connectWaitMs: number;
  private readonly random: () => number;
  private resumeToken: string | null = null;
  private chatId: string | null = null;
  /** Messages written and not yet acknowledged, in the order written. */
  private unsent: UnsentMessage[] = [];
  private seen = new SeenSeqs();
  /** The highest seq receipted to the server (which keeps the highest it was told). */
  private receipted = 0;
  /** Counts connections up and down, so an answer meant for an earlier one is not believed. */
  private epoch = 0;
  /** The current connection holds the chat (started or taken back on it): sending may begin. */
  private ready = false;
  private over = false;
  private sending = false;
  private retryAttempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: (() => void)[];

  constructor(options: CustomerConnectionOptions) {
    this.link = options.link;
    this.storage = options.storage;
    this.listeners = options.listeners;
    this.retry = options.retry ?? { baseMs: 500, capMs: 15_000 };
    this.connectWaitMs = options.connectWaitMs ?? 10_000;
    this.random = options.random ?? Math.random;
    const kept = readKeptChat(this.storage);
    if (kept) {
      this.resumeToken = kept.resumeToken;
      this.unsent = kept.unsent;
    }
    this.unsubscribe = [
      this.link.onConnected(() => this.connectionUp()),
      this.link.onDisconnected(() => this.connectionDown()),
      this.link.onPush((event, payload) => this.receive(event, payload)),
    ];
    if (this.link.connected()) this.connectionUp();
  }

  get hasChat(): boolean {
    return this.resumeToken !== null;
  }

  /** Messages kept from before a reload that are still to go, for the page to show as sending. */
  unsentMessages(): readonly UnsentMessage[] {
    return [...this.unsent];
  }

  // ------------------------------------------------------------ the connection

  private connectionUp(): void {
    this.epoch += 1;
    this.ready = false;
    this.listeners.online(true);
    if (this.resumeToken && !this.over) void this.resume();
  }

  private connectionDown(): void {
    this.epoch += 1;
    this.ready = false;
    this.sending = false;
    this.clearRetry();
    this.listeners.online(false);
    for (const message of this.unsent) {
      this.listeners.waiting(message.clientMessageId, 'connection');
    }
  }

  /**
   * Pushes come only for the chat this connection joined; before the page
   * knows its id (a reload, before the resume's answer is read) they are
   * taken as its own rather than lost.
   */
  private ours(chatId: string): boolean {
    return this.chatId === null || chatId === this.chatId;
  }

  private receive(event: CustomerPushName, payload: unknown): void {
    // Every push is parsed: a page must not trust even its own server blindly.
    switch (event) {
      case 'chat:queue': {
        const queue = queuePositionSchema.safeParse(payload);
        if (queue.success && this.ours(queue.data.chatId)) this.listeners.queue(queue.data);
        return;
      }
      case 'chat:connected': {
        const connected = chatConnectedSchema.safeParse(payload);
        if (connected.success && this.ours(connected.data.chatId)) {
          this.listeners.connected(connected.data);
        }
        return;
      }
      case 'chat:message': {
        const message = chatMessageSchema.safeParse(payload);
        if (message.success && this.ours(message.data.chatId)) this.take(message.data);
        return;
      }
      case 'chat:typing': {
        const typing = partyTypingSchema.safeParse(payload);
        if (typing.success && this.ours(typing.data.chatId)) {
          this.listeners.typing(typing.data.typing);
        }
        return;
      }
      case 'chat:ended': {
        const ended = chatEndedSchema.safeParse(payload);
        if (ended.success && this.ours(ended.data.chatId)) this.finished(ended.data);
        return;
      }
    }
  }

  private async ask<T>(
    event: CustomerRequestName,
    payload: unknown,
    schema: z.ZodType<Result<T>>,
  ): Promise<Result<T>> {
    return parseAnswer(
      await this.link.request(event, payload),
      schema,
      'The helpline answered oddly',
    );
  }

  /** Resolves true once connected, or false after `connectWaitMs`. */
  private whenConnected(): Promise<boolean> {
    if (this.link.connected()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(false);
      }, this.connectWaitMs);
      const stop = this.link.onConnected(() => {
        clearTimeout(timer);
        stop();
        resolve(true);
      });
    });
  }

  // ------------------------------------------------------------ starting and taking back

  async start(details: CustomerChatStart): Promise<Result<CustomerChatState>> {
    if (!(await this.whenConnected())) {
      return fail('unavailable', 'No connection to the helpline: check your connection');
    }
    const epoch = this.epoch;
    const answer = await this.ask('chat:start', details, answers.state);
    if (!answer.ok) return answer;
    this.resumeToken = answer.value.resumeToken;
    this.chatId = answer.value.chatId;
    this.unsent = [];
    this.seen = new SeenSeqs();
    this.receipted = 0;
    this.over = false;
    this.keep();
    this.listeners.state(answer.value);
    // The chat was started on the connection that answered; if that one has gone, the new one takes it back.
    if (epoch === this.epoch) this.ready = true;
    else if (this.link.connected()) void this.resume();
    return ok(answer.value);
  }

  /**
   * Takes the chat back on this connection: shows what was missed (from the
   * unbroken run of seqs seen, so a gap is filled whatever arrived after it),
   * then sends what is still unacknowledged.
   */
  private async resume(): Promise<void> {
    const resumeToken = this.resumeToken;
    if (!resumeToken) return;
    const epoch = this.epoch;
    this.clearRetry();
    const lastSeenSeq = this.seen.contiguous();
    const answer = await this.ask('chat:resume', { resumeToken, lastSeenSeq }, answers.resumed);
    // A newer connection takes the chat back for itself.
    if (epoch !== this.epoch || resumeToken !== this.resumeToken) return;
    if (!answer.ok) {
      if (answer.error.code === 'not_found') {
        // The server no longer knows the chat: nothing written can reach anyone now,
        // and the token is no use to a reload either.
        this.resumeToken = null;
        this.finished({
          chatId: this.chatId ?? '',
          endedBy: 'service',
          at: new Date().toISOString(),
        });
        return;
      }
      this.later(() => void this.resume());
      return;
    }
    const resumed = answer.value;
    this.chatId = resumed.chatId;
    this.ready = true;
    this.retryAttempt = 0;
    // The server has everything up to lastSeenSeq as read.
    this.receipted = Math.max(this.receipted, lastSeenSeq);
    this.listeners.state(resumed);
    for (const message of resumed.messages) this.take(message);
    if (resumed.status === 'ended') {
      this.finished({
        chatId: resumed.chatId,
        endedBy: resumed.endedBy ?? 'customer',
        at: new Date().toISOString(),
      });
      return;
    }
    this.acknowledge();
    void this.pump();
  }

  /** A stored message, live or from the backlog: shown once per seq; one of ours is no longer unsent. */
  private take(message: ChatMessage): void {
    if (
      message.from === 'customer' &&
      this.settle(message.clientMessageId, message.seq, message.sentAt)
    ) {
      this.acknowledge();
      return;
    }
    if (!this.seen.add(message.seq)) return;
    this.listeners.message(message);
    this.acknowledge();
  }

  /** One of ours is stored: out of the outbox, and its seq counts as seen. False when it was not unsent. */
  private settle(clientMessageId: string, seq: number, sentAt: string): boolean {
    const before = this.unsent.length;
    this.unsent = this.unsent.filter((message) => message.clientMessageId !== clientMessageId);
    if (this.unsent.length === before) return false;
    this.keep();
    this.seen.add(seq);
    this.listeners.delivered(clientMessageId, seq, sentAt);
    return true;
  }

  /** Receipts are cumulative: the unbroken run, so a message missed is asked for again on resume. */
  private acknowledge(): void {
    const upToSeq = this.seen.contiguous();
    if (!this.ready || upToSeq <= this.receipted) return;
    this.receipted = upToSeq;
    this.link.notify('chat:ack', { upToSeq });
  }

  // ------------------------------------------------------------ sending

  /**
   * Takes a message to send; the page shows it as sending at once. It goes
   * when the chat is held on a live connection, after those written before it.
   */
  send(text: string, clientMessageId = newClientMessageId()): string {
    if (this.over || !this.resumeToken) {
      this.listeners.refused(clientMessageId, chatOver);
      return clientMessageId;
    }
    this.unsent.push({ clientMessageId, text });
    this.keep();
    if (!this.link.connected()) this.listeners.waiting(clientMessageId, 'connection');
    void this.pump();
    return clientMessageId;
  }

  /** Sends the first unsent message; on its acknowledgement, the next. One at a time keeps them in order. */
  private async pump(): Promise<void> {
    if (this.sending || this.retryTimer || !this.ready || this.over) return;
    const next = this.unsent[0];
    if (!next) return;
    const epoch = this.epoch;
    this.sending = true;
    const answer = await this.ask(
      'chat:message',
      { clientMessageId: next.clientMessageId, text: next.text },
      answers.ack,
    );
    if (epoch !== this.epoch) return; // the connection went; the next one resumes and sends again
    this.sending = false;
    if (!this.unsent.includes(next)) {
      // Settled meanwhile (it came back in a backlog), or the chat was let go.
      void this.pump();
      return;
    }
    if (answer.ok) {
      this.delivered(next, answer.value);
      return;
    }
    const { code } = answer.error;
    if (finalRefusals.includes(code)) {
      this.unsent = this.unsent.filter((message) => message !== next);
      this.keep();
      this.listeners.refused(next.clientMessageId, answer.error);
      void this.pump();
      return;
    }
    if (code === 'rate_limited') {
      this.listeners.waiting(next.clientMessageId, 'slow-down');
      this.later(() => void this.pump(), slowDownMs);
      return;
    }
    if (code === 'conflict' || code === 'not_found') {
      // This connection does not hold the chat (or the chat is over): take it back, and the
      // resume says which. Never a reason to drop the message.
      this.ready = false;
      this.later(() => void this.resume(), 0);
      return;
    }
    // No answer in time, or trouble on the server: the same message (same client id) goes
    // again, so a lost acknowledgement is answered as a duplicate rather than kept twice.
    if (this.link.connected()) this.later(() => void this.pump());
  }

  private delivered(message: UnsentMessage, ack: ChatMessageAck): void {
    this.retryAttempt = 0;
    this.settle(message.clientMessageId, ack.seq, ack.sentAt);
    this.acknowledge();
    void this.pump();
  }

  /** Runs `then` after a wait that grows with each retry; at least `atLeastMs`. */
  private later(then: () => void, atLeastMs = 0): void {
    this.clearRetry();
    this.retryAttempt += 1;
    const grown = Math.min(this.retry.capMs, this.retry.baseMs * 2 ** (this.retryAttempt - 1));
    // Spread out, so many pages dropped together do not all come back in the same instant.
    const spread = this.retryAttempt === 1 && atLeastMs === 0 ? 0 : grown * (0.5 + this.random());
    const epoch = this.epoch;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        if (epoch === this.epoch) then();
      },
      Math.max(atLeastMs, spread),
    );
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  // ------------------------------------------------------------ the rest of the chat

  typing(typing: boolean): void {
    if (this.ready && !this.over) this.link.notify('chat:typing', { typing });
  }

  requestTranscript(email: string): Promise<Result<TranscriptRequested>> {
    return this.ask('chat:transcript', { email }, answers.transcript);
  }

  async end(): Promise<Result<ChatEnded>> {
    const answer = await this.ask('chat:end', {}, answers.ended);
    if (answer.ok) this.finished(answer.value);
    return answer;
  }

  private finished(ended: ChatEnded): void {
    if (this.over) return;
    this.over = true;
    this.clearRetry();
    const unsent = this.unsent;
    this.unsent = [];
    this.keep();
    for (const message of unsent) this.listeners.refused(message.clientMessageId, chatOver);
    this.listeners.ended(ended);
  }

  /** Lets go of the ended chat so a new one can start, on a fresh connection. */
  forget(): void {
    this.resumeToken = null;
    this.chatId = null;
    this.unsent = [];
    this.seen = new SeenSeqs();
    this.receipted = 0;
    this.over = false;
    this.clearRetry();
    this.keep();
    // The server ties a chat to a connection: a fresh one starts clean.
    this.link.renew();
  }

  /** Stops listening (tests; a page simply unloads). */
  close(): void {
    this.clearRetry();
    for (const stop of this.unsubscribe) stop();
    this.link.close();
  }

  private keep(): void {
    writeKeptChat(
      this.storage,
      this.resumeToken ? { resumeToken: this.resumeToken, unsent: this.unsent } : null,
    );
  }
}
