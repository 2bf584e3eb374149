// The customer's connection to the helpline: one chat over socket.io's
// `/customer` namespace. It keeps what a dropped signal or a reload must not
// lose: the resume token (sessionStorage, this tab only), the highest message
// seq shown, and messages sent but not yet acknowledged, which go again (same
// client id, so never twice) once the chat is taken back.
import { io, type Socket } from 'socket.io-client';
import type { Result } from '../../shared/result';
import {
  chatConnectedSchema,
  chatEndedSchema,
  chatMessageSchema,
  customerChatResumedSchema,
  customerChatStateSchema,
  partyTypingSchema,
  queuePositionSchema,
  type ChatConnected,
  type ChatEnded,
  type ChatMessage,
  type ChatMessageAck,
  type CustomerChatResumed,
  type CustomerChatState,
  type CustomerToServerEvents,
  type QueuePosition,
  type ServerToCustomerEvents,
} from '../../shared/wire/chat';

const storageKey = 'helpline-chat';

interface Kept {
  resumeToken: string;
}

export interface ChatListeners {
  /** Online or not: the page says so and keeps what was typed. */
  online(online: boolean): void;
  state(state: CustomerChatState | CustomerChatResumed): void;
  queue(queue: QueuePosition): void;
  connected(connected: ChatConnected): void;
  /** A message to show: each seq once, in order. */
  message(message: ChatMessage): void;
  /** One of ours was stored (it now has its seq). */
  delivered(clientMessageId: string, seq: number): void;
  typing(typing: boolean): void;
  ended(ended: ChatEnded): void;
}

type CustomerSocket = Socket<ServerToCustomerEvents, CustomerToServerEvents>;

/** 16 random bytes as base64url: works where `crypto.randomUUID` does not (plain http). */
export function newClientMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const ackTimeoutMs = 10_000;

export class CustomerConnection {
  private readonly socket: CustomerSocket;
  private lastSeenSeq = 0;
  private readonly pending = new Map<string, string>();
  private resumeToken: string | null;

  constructor(private readonly listeners: ChatListeners) {
    this.resumeToken = readKept()?.resumeToken ?? null;
    this.socket = io('/customer', { transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => {
      listeners.online(true);
      if (this.resumeToken) void this.resume();
    });
    this.socket.on('disconnect', () => listeners.online(false));
    // Every push is parsed: a page must not trust even its own server blindly.
    this.socket.on('chat:queue', (input) => {
      const queue = queuePositionSchema.safeParse(input);
      if (queue.success) listeners.queue(queue.data);
    });
    this.socket.on('chat:connected', (input) => {
      const connected = chatConnectedSchema.safeParse(input);
      if (connected.success) listeners.connected(connected.data);
    });
    this.socket.on('chat:message', (input) => {
      const message = chatMessageSchema.safeParse(input);
      if (message.success) this.show(message.data);
    });
    this.socket.on('chat:typing', (input) => {
      const typing = partyTypingSchema.safeParse(input);
      if (typing.success) listeners.typing(typing.data.typing);
    });
    this.socket.on('chat:ended', (input) => {
      const ended = chatEndedSchema.safeParse(input);
      if (ended.success) this.finished(ended.data);
    });
  }

  get hasChat(): boolean {
    return this.resumeToken !== null;
  }

  private ask<T>(event: keyof CustomerToServerEvents, payload: unknown): Promise<Result<T>> {
    const emitter = this.socket.timeout(ackTimeoutMs) as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<Result<T>>;
    };
    return emitter.emitWithAck(event, payload).catch((): Result<T> => ({
      ok: false,
      error: { code: 'unavailable', message: 'No answer from the helpline: check your connection' },
    }));
  }

  async start(name: string, age: number | undefined): Promise<Result<CustomerChatState>> {
    const answer = await this.ask<unknown>(
      'chat:start',
      age === undefined ? { name } : { name, age },
    );
    if (!answer.ok) return answer;
    const state = customerChatStateSchema.safeParse(answer.value);
    if (!state.success)
      return { ok: false, error: { code: 'internal', message: 'The helpline answered oddly' } };
    this.resumeToken = state.data.resumeToken;
    this.lastSeenSeq = 0;
    keep({ resumeToken: state.data.resumeToken });
    this.listeners.state(state.data);
    return { ok: true, value: state.data };
  }

  /** Takes the chat back after a reload or reconnect; shows what was missed, then resends what was not acknowledged. */
  private async resume(): Promise<void> {
    if (!this.resumeToken) return;
    const answer = await this.ask<unknown>('chat:resume', {
      resumeToken: this.resumeToken,
      lastSeenSeq: this.lastSeenSeq,
    });
    if (!answer.ok) {
      if (answer.error.code === 'not_found') this.forget();
      return;
    }
    const resumed = customerChatResumedSchema.safeParse(answer.value);
    if (!resumed.success) return;
    this.listeners.state(resumed.data);
    for (const message of resumed.data.messages) {
      // Our own message coming back means the server has it: nothing to resend.
      if (message.from === 'customer') this.pending.delete(message.clientMessageId);
      this.show(message);
    }
    if (resumed.data.status === 'ended') {
      this.finished({
        chatId: resumed.data.chatId,
        endedBy: resumed.data.endedBy ?? 'customer',
        at: new Date().toISOString(),
      });
      return;
    }
    for (const [clientMessageId, text] of [...this.pending])
      await this.deliver(clientMessageId, text);
  }

  private show(message: ChatMessage): void {
    if (message.seq <= this.lastSeenSeq) return;
    this.lastSeenSeq = message.seq;
    this.listeners.message(message);
    this.socket.emit('chat:ack', { upToSeq: this.lastSeenSeq });
  }

  /** Sends a message; the page shows it as sending until `delivered`. */
  async send(
    text: string,
    clientMessageId = newClientMessageId(),
  ): Promise<Result<ChatMessageAck>> {
    this.pending.set(clientMessageId, text);
    return this.deliver(clientMessageId, text);
  }

  private async deliver(clientMessageId: string, text: string): Promise<Result<ChatMessageAck>> {
    const answer = await this.ask<ChatMessageAck>('chat:message', { clientMessageId, text });
    if (answer.ok) {
      this.pending.delete(clientMessageId);
      // Our own message has its place in the sequence; later ones from the adviser follow it.
      if (answer.value.seq === this.lastSeenSeq + 1) {
        this.lastSeenSeq = answer.value.seq;
        this.socket.emit('chat:ack', { upToSeq: this.lastSeenSeq });
      }
      this.listeners.delivered(clientMessageId, answer.value.seq);
    } else if (answer.error.code !== 'unavailable') {
      // Refused for good (too long, too fast, chat over): it will not be sent again by itself.
      this.pending.delete(clientMessageId);
    }
    return answer;
  }

  typing(typing: boolean): void {
    if (this.socket.connected && this.resumeToken) this.socket.emit('chat:typing', { typing });
  }

  requestTranscript(email: string): Promise<Result<unknown>> {
    return this.ask('chat:transcript', { email });
  }

  async end(): Promise<Result<ChatEnded>> {
    const answer = await this.ask<ChatEnded>('chat:end', {});
    if (answer.ok) this.finished(answer.value);
    return answer;
  }

  private finished(ended: ChatEnded): void {
    this.pending.clear();
    this.listeners.ended(ended);
  }

  /** Lets go of the ended chat so a new one can start on this connection. */
  forget(): void {
    this.resumeToken = null;
    this.lastSeenSeq = 0;
    this.pending.clear();
    try {
      sessionStorage.removeItem(storageKey);
    } catch {
      // Storage blocked (a private window's settings): nothing was kept to remove.
    }
    // The server ties a chat to a connection: a fresh one starts clean.
    this.socket.disconnect().connect();
  }
}

function readKept(): Kept | null {
  try {
    const raw = sessionStorage.getItem(storageKey);
    if (!raw) return null;
    const kept = JSON.parse(raw) as Partial<Kept>;
    return typeof kept.resumeToken === 'string' ? { resumeToken: kept.resumeToken } : null;
  } catch {
    return null;
  }
}

function keep(kept: Kept): void {
  try {
    sessionStorage.setItem(storageKey, JSON.stringify(kept));
  } catch {
    // Without storage a reload starts afresh; the chat itself still works.
  }
}
