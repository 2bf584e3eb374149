// The desk's chat service against a fake central server behind the same link
// interface: messages resent until acknowledged (after a reconnect too) and
// never sent twice, received messages kept once and acknowledged by sequence,
// gaps refilled, and a reconnect that rebuilds every conversation whole.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConnectionState, LiveChat } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/result';
import {
  chatLimits,
  deskMessageSendSchema,
  type AdviserPresence,
  type ChatMessage,
  type ChatOffer,
  type ChatSession,
  type QueueStats,
} from '../../shared/wire/chat';
import {
  DeskChats,
  registerChatHandlers,
  type ChatPushName,
  type ChatRequestName,
  type ChatServerLink,
} from '../../electron/services/chat';
import { DeskHandlerRegistry } from '../../electron/services/handlers';

const adviser = { id: 'demo-adviser', displayName: 'Alex Adviser' };
const at = (second: number) => new Date(Date.UTC(2026, 10, 29, 10, 0, second)).toISOString();

/**
 * What happens to one request: answered; `unreachable` (never reached the
 * server); `lost_answer` (applied by the server, but the answer never came back).
 */
type Outcome = 'answer' | 'unreachable' | 'lost_answer';

/** A small central server for one adviser's chats, with scriptable failures. */
class FakeChatServer implements ChatServerLink {
  online = true;
  readonly sessions = new Map<string, ChatSession>();
  readonly offers = new Map<string, ChatOffer>();
  readonly requests: { event: ChatRequestName; payload: unknown }[] = [];
  /** Every cumulative receipt the desk sent, per chat. */
  readonly receipts: { chatId: string; upToSeq: number }[] = [];
  /** Texts the server will not take (as for a chat it considers closed to this desk). */
  readonly refusing = new Set<string>();
  decide: (event: ChatRequestName, payload: unknown) => Outcome = () => 'answer';
  private presence: AdviserPresence = {
    availability: 'offline',
    since: at(0),
    activeChats: 0,
    maxChats: 2,
    onCall: false,
  };
  private readonly queue: QueueStats = {
    chatsWaiting: 0,
    callsWaiting: 0,
    longestChatWaitSeconds: 0,
    longestCallWaitSeconds: 0,
    longestWaitSeconds: 0,
    advisersAvailable: 1,
    abandonedToday: 0,
    at: at(0),
  };
  private clock = 100;
  private readonly pushListeners = new Set<(event: ChatPushName, payload: unknown) => void>();
  private readonly connectedListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  connected(): boolean {
    return this.online;
  }

  user() {
    return adviser;
  }

  async request(event: ChatRequestName, payload: unknown): Promise<Result<unknown>> {
    this.requests.push({ event, payload });
    if (!this.online) return fail('unavailable', 'Not connected to the central server');
    await Promise.resolve();
    const outcome = this.decide(event, payload);
    if (outcome === 'unreachable') return fail('unavailable', 'Not connected');
    const answer = this.apply(event, payload);
    if (outcome === 'lost_answer') return fail('unavailable', 'No answer in time');
    return ok(answer);
  }

  onPush(listener: (event: ChatPushName, payload: unknown) => void): () => void {
    this.pushListeners.add(listener);
    return () => this.pushListeners.delete(listener);
  }

  onConnected(listener: () => void): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  // ---- what the test does to the server

  offer(customerName = 'Sam'): ChatOffer {
    const chatId = randomUUID();
    const offer: ChatOffer = {
      chatId,
      customerName,
      age: 16,
      queuedAt: at(1),
      offeredAt: at(2),
      expiresAt: at(32),
    };
    this.sessions.set(chatId, {
      chatId,
      customerName,
      age: 16,
      status: 'queued',
      queuedAt: at(1),
      answeredAt: null,
      endedAt: null,
      endedBy: null,
      transcriptEmail: null,
      messages: [],
    });
    this.offers.set(chatId, offer);
    this.push('chat:offered', offer);
    return offer;
  }

  /** The customer writes; `delivered: false` is a push lost on the way (the desk was away). */
  customerSays(chatId: string, text: string, delivered = true): ChatMessage {
    const message = this.store(chatId, 'customer', `c-${randomUUID()}`, text);
    if (delivered) this.push('chat:message', message);
    return message;
  }

  push(event: ChatPushName, payload: unknown): void {
    if (!this.online) return;
    for (const listener of this.pushListeners) listener(event, payload);
  }

  drop(): void {
    this.online = false;
    for (const listener of this.stateListeners) listener('reconnecting');
  }

  reconnect(): void {
    this.online = true;
    for (const listener of this.stateListeners) listener('online');
    for (const listener of this.connectedListeners) listener();
  }

  signOut(): void {
    this.online = false;
    for (const listener of this.stateListeners) listener('signed_out');
  }

  session(chatId: string): ChatSession {
    const session = this.sessions.get(chatId);
    if (!session) throw new Error(`no chat ${chatId}`);
    return session;
  }

  sends(): string[] {
    return this.requests
      .filter((request) => request.event === 'chat:send')
      .map((request) => (request.payload as { clientMessageId: string }).clientMessageId);
  }

  private store(
    chatId: string,
    from: 'customer' | 'adviser',
    clientMessageId: string,
    text: string,
  ): ChatMessage {
    const session = this.session(chatId);
    const message: ChatMessage = {
      chatId,
      seq: session.messages.length + 1,
      clientMessageId,
      from,
      author: from === 'customer' ? session.customerName : adviser.displayName,
      text,
      sentAt: at((this.clock += 1)),
    };
    session.messages.push(message);
    return message;
  }

  private apply(event: ChatRequestName, payload: unknown): Result<unknown> {
    const ref = payload as { chatId: string };
    switch (event) {
      case 'chat:accept': {
        if (!this.offers.delete(ref.chatId)) return fail('not_found', 'No such offer');
        const session = this.session(ref.chatId);
        session.status = 'connected';
        session.answeredAt = at(3);
        return ok(structuredClone(session));
      }
      case 'chat:decline':
        this.offers.delete(ref.chatId);
        return ok(null);
      case 'chat:send': {
        const parsed = deskMessageSendSchema.safeParse(payload);
        if (!parsed.success) return fail('invalid_input', 'Message is not valid');
        const { chatId, clientMessageId, text } = parsed.data;
        const session = this.session(chatId);
        const earlier = session.messages.find((m) => m.clientMessageId === clientMessageId);
        if (earlier) {
          return ok({
            chatId,
            clientMessageId,
            seq: earlier.seq,
            sentAt: earlier.sentAt,
            duplicate: true,
          });
        }
        if (session.status === 'ended') return fail('conflict', 'This chat has ended');
        if (this.refusing.has(text))
          return fail('forbidden', 'The server will not take this message');
        const stored = this.store(chatId, 'adviser', clientMessageId, text);
        return ok({
          chatId,
          clientMessageId,
          seq: stored.seq,
          sentAt: stored.sentAt,
          duplicate: false,
        });
      }
      case 'chat:ack':
        this.receipts.push(payload as { chatId: string; upToSeq: number });
        return ok(null);
      case 'chat:typing':
        return ok(null);
      case 'chat:end': {
        const session = this.session(ref.chatId);
        session.status = 'ended';
        session.endedAt = at(90);
        session.endedBy = 'adviser';
        return ok({ chatId: ref.chatId, endedBy: 'adviser', at: at(90) });
      }
      case 'chat:resume':
        return ok({
          chats: [...this.sessions.values()]
            .filter((session) => session.status === 'connected')
            .map((session) => structuredClone(session)),
          offers: [...this.offers.values()],
          presence: this.presence,
          queue: this.queue,
        });
      case 'chat:log': {
        const session = this.sessions.get(ref.chatId);
        return session ? ok(structuredClone(session)) : fail('not_found', 'No such chat');
      }
      case 'adviser:availability':
        this.presence = {
          ...this.presence,
          availability: (payload as { availability: AdviserPresence['availability'] }).availability,
        };
        return ok(this.presence);
    }
  }
}

function setUp(options: ConstructorParameters<typeof DeskChats>[1] = {}) {
  const server = new FakeChatServer();
  let ids = 0;
  const chats = new DeskChats(server, {
    // Resends follow at once: the tests wait on what happens, never on time.
    retryBackoff: { baseMs: 1, capMs: 1 },
    newId: () => `desk-message-${(ids += 1).toString().padStart(4, '0')}`,
    now: () => at(50),
    ...options,
  });
  const updates: LiveChat[] = [];
  chats.onEvent((name, payload) => {
    if (name === 'chatUpdated') updates.push(payload);
  });
  return { server, chats, updates };
}

/** Resolves once the probe finds what it looks for, checked after every pushed desk event. */
function until<T>(chats: DeskChats, probe: () => T | null | undefined | false): Promise<T> {
  return new Promise((resolve) => {
    const check = () => {
      const found = probe();
      if (found) {
        stop();
        resolve(found);
      }
    };
    const stop = chats.onEvent(check);
    check();
  });
}

/** Lets requests already on their way settle; no time passes that a test depends on. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const chatIn = (chats: DeskChats, chatId: string) =>
  chats.view().chats.find((chat) => chat.chatId === chatId);

const texts = (chat: LiveChat | undefined) =>
  chat?.messages.map((message) => `${message.from}:${message.text}:${message.delivery}`);

async function acceptedChat(setup: ReturnType<typeof setUp>) {
  const offer = setup.server.offer();
  expect(setup.chats.view().offers.map((o) => o.chatId)).toEqual([offer.chatId]);
  const accepted = await setup.chats.accept(offer.chatId);
  expect(accepted.ok).toBe(true);
  return offer.chatId;
}

describe('the desk chat service', () => {
  it('holds an accepted chat whole and lets the offer go', async () => {
    const setup = setUp();
    setup.server.customerSays(setup.server.offer('Priya').chatId, 'waiting message', false);
    const chatId = [...setup.server.offers.keys()][0] ?? '';
    const accepted = await setup.chats.accept(chatId);
    expect(accepted.ok && accepted.value.customerName).toBe('Priya');
    expect(accepted.ok && texts(accepted.value)).toEqual(['customer:waiting message:sent']);
    expect(setup.chats.view().offers).toEqual([]);
    // The message that waited in the queue is acknowledged as soon as the desk holds it.
    await settle();
    expect(setup.server.receipts.at(-1)).toEqual({ chatId, upToSeq: 1 });
  });

  it('resends a message until it is acknowledged, and the server stores it once', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    let attempts = 0;
    // Never reached the server, then reached it with the answer lost, then answered.
    setup.server.decide = (event) => {
      if (event !== 'chat:send') return 'answer';
      attempts += 1;
      return attempts === 1 ? 'unreachable' : attempts === 2 ? 'lost_answer' : 'answer';
    };
    const sent = setup.chats.send(chatId, 'Hello, I am Alex.');
    expect(sent.ok && sent.value.delivery).toBe('sending');
    await until(setup.chats, () => chatIn(setup.chats, chatId)?.messages[0]?.delivery === 'sent');
    expect(setup.server.sends()).toEqual([
      'desk-message-0001',
      'desk-message-0001',
      'desk-message-0001',
    ]);
    expect(setup.server.session(chatId).messages.map((m) => m.text)).toEqual(['Hello, I am Alex.']);
    expect(texts(chatIn(setup.chats, chatId))).toEqual(['adviser:Hello, I am Alex.:sent']);
  });

  it('sends messages in the order written, one at a time, even when the first needs resending', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    let firstTries = 0;
    setup.server.decide = (event, payload) => {
      const id = (payload as { clientMessageId?: string }).clientMessageId;
      if (event === 'chat:send' && id === 'desk-message-0001' && (firstTries += 1) < 3)
        return 'lost_answer';
      return 'answer';
    };
    for (const text of ['one', 'two', 'three']) setup.chats.send(chatId, text);
    await until(
      setup.chats,
      () => chatIn(setup.chats, chatId)?.messages.every((m) => m.delivery === 'sent') || null,
    );
    expect(setup.server.session(chatId).messages.map((m) => `${m.seq}:${m.text}`)).toEqual([
      '1:one',
      '2:two',
      '3:three',
    ]);
    expect(chatIn(setup.chats, chatId)?.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('keeps a message written while offline and sends it after the reconnect', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    setup.server.drop();
    setup.chats.send(chatId, 'Are you still there?');
    expect(texts(chatIn(setup.chats, chatId))).toEqual(['adviser:Are you still there?:sending']);
    expect(setup.server.sends()).toEqual([]);
    setup.server.reconnect();
    await until(setup.chats, () => chatIn(setup.chats, chatId)?.messages[0]?.delivery === 'sent');
    expect(setup.server.session(chatId).messages.map((m) => m.text)).toEqual([
      'Are you still there?',
    ]);
  });

  it('does not send again a message the server stored before the connection dropped', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    // The server stores the message, then the connection goes before its answer arrives.
    setup.server.decide = (event) => {
      if (event !== 'chat:send') return 'answer';
      setup.server.online = false;
      return 'lost_answer';
    };
    setup.chats.send(chatId, 'Sent once');
    await settle();
    expect(setup.server.sends()).toHaveLength(1);
    expect(texts(chatIn(setup.chats, chatId))).toEqual(['adviser:Sent once:sending']);
    setup.server.decide = () => 'answer';
    setup.server.reconnect();
    await until(setup.chats, () => chatIn(setup.chats, chatId)?.messages[0]?.delivery === 'sent');
    await settle();
    expect(setup.server.sends()).toHaveLength(1);
    expect(setup.server.session(chatId).messages.map((m) => m.text)).toEqual(['Sent once']);
    expect(texts(chatIn(setup.chats, chatId))).toEqual(['adviser:Sent once:sent']);
  });

  it('shows a message that arrives twice once, and acknowledges by sequence', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    const first = setup.server.customerSays(chatId, 'Hi');
    setup.server.push('chat:message', first);
    setup.server.push('chat:message', structuredClone(first));
    const second = setup.server.customerSays(chatId, 'I want to be a vet');
    setup.server.push('chat:message', second);
    expect(texts(chatIn(setup.chats, chatId))).toEqual([
      'customer:Hi:sent',
      'customer:I want to be a vet:sent',
    ]);
    // What a transcript of this chat would carry: each message once, in order.
    expect(setup.chats.transcriptMessages(chatId)?.map((m) => `${m.from}:${m.text}`)).toEqual([
      'customer:Hi',
      'customer:I want to be a vet',
    ]);
    await settle();
    expect(setup.server.receipts.map((r) => r.upToSeq)).toEqual([1, 2]);
    // Each update carried the conversation whole, never a duplicate inside it.
    for (const update of setup.updates) {
      const seqs = update.messages.map((m) => m.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
    }
  });

  it('fetches the conversation whole when a message is missing from the sequence', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    setup.server.customerSays(chatId, 'first', true);
    setup.server.customerSays(chatId, 'second (lost on the way)', false);
    setup.server.customerSays(chatId, 'third', true);
    await until(setup.chats, () => chatIn(setup.chats, chatId)?.messages.length === 3);
    expect(texts(chatIn(setup.chats, chatId))).toEqual([
      'customer:first:sent',
      'customer:second (lost on the way):sent',
      'customer:third:sent',
    ]);
    expect(setup.server.requests.some((r) => r.event === 'chat:log')).toBe(true);
  });

  it('rebuilds every conversation whole after a reconnect, with offers and presence', async () => {
    const setup = setUp();
    const first = await acceptedChat(setup);
    const second = await acceptedChat(setup);
    setup.server.customerSays(first, 'before the drop');
    setup.server.drop();
    setup.server.customerSays(first, 'while away 1', false);
    setup.server.customerSays(second, 'while away 2', false);
    setup.server.customerSays(first, 'while away 3', false);
    const waiting = setup.server.offer('Jo');
    setup.server.reconnect();
    await until(setup.chats, () => chatIn(setup.chats, first)?.messages.length === 3);
    await until(setup.chats, () => chatIn(setup.chats, second)?.messages.length === 1);
    expect(texts(chatIn(setup.chats, first))).toEqual([
      'customer:before the drop:sent',
      'customer:while away 1:sent',
      'customer:while away 3:sent',
    ]);
    expect(texts(chatIn(setup.chats, second))).toEqual(['customer:while away 2:sent']);
    expect(setup.chats.view().offers.map((o) => o.chatId)).toEqual([waiting.chatId]);
    expect(setup.chats.view().presence?.maxChats).toBe(2);
    await settle();
    expect(setup.server.receipts).toContainEqual({ chatId: first, upToSeq: 3 });
  });

  it('keeps the order when a resync answer crosses a message pushed meanwhile', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    setup.server.drop();
    setup.server.customerSays(chatId, 'while away', false);
    // The next message is pushed after the server took the resync snapshot but before it arrives.
    const original = setup.server.decide;
    setup.server.decide = (event, payload) => {
      if (event === 'chat:resume') {
        queueMicrotask(() => setup.server.customerSays(chatId, 'just after'));
      }
      return original(event, payload);
    };
    setup.server.reconnect();
    await until(setup.chats, () => chatIn(setup.chats, chatId)?.messages.length === 2);
    expect(texts(chatIn(setup.chats, chatId))).toEqual([
      'customer:while away:sent',
      'customer:just after:sent',
    ]);
  });

  it('marks a message the server refuses, does not retry it, and sends the next', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    setup.server.refusing.add('refuse me');
    setup.chats.send(chatId, 'refuse me');
    setup.chats.send(chatId, 'take me');
    await until(setup.chats, () =>
      chatIn(setup.chats, chatId)?.messages.some(
        (m) => m.text === 'take me' && m.delivery === 'sent',
      ),
    );
    const chat = chatIn(setup.chats, chatId);
    // Confirmed messages in sequence; the refused one stays visible, with why.
    expect(chat?.messages.map((m) => `${m.text}:${m.delivery}`)).toEqual([
      'take me:sent',
      'refuse me:refused',
    ]);
    expect(chat?.messages[1]?.problem).toBe('The server will not take this message');
    await settle();
    expect(
      setup.server.requests.filter((r) => (r.payload as { text?: string }).text === 'refuse me'),
    ).toHaveLength(1);
  });

  it('records the customer leaving, the transcript request, and ending the chat', async () => {
    const setup = setUp();
    const chatId = await acceptedChat(setup);
    setup.server.push('chat:typing', { chatId, typing: true });
    expect(chatIn(setup.chats, chatId)?.customerTyping).toBe(true);
    setup.server.push('chat:transcript-requested', {
      chatId,
      email: 'sam@example.org',
      at: at(60),
    });
    expect(chatIn(setup.chats, chatId)?.transcriptEmail).toBe('sam@example.org');
    setup.server.push('chat:customer-left', { chatId, at: at(61), how: 'ended' });
    const chat = chatIn(setup.chats, chatId);
    expect(chat?.customerLeft).toEqual({ at: at(61), how: 'ended' });
    expect(chat?.customerTyping).toBe(false);
    expect(chat?.endedBy).toBe('customer');
    // The adviser's End chat after the customer left needs nothing from the server.
    const ended = await setup.chats.end(chatId);
    expect(ended).toEqual(ok({ chatId, endedBy: 'customer', at: at(61) }));
    expect(setup.chats.send(chatId, 'too late').ok).toBe(false);
  });

  it('passes availability and queue figures on, and forgets everything on sign-out', async () => {
    const setup = setUp();
    const events: string[] = [];
    setup.chats.onEvent((...[name]) => {
      events.push(name);
    });
    const presence = await setup.chats.setAvailability('available');
    expect(presence.ok && presence.value.availability).toBe('available');
    setup.server.push('queue:stats', {
      chatsWaiting: 3,
      callsWaiting: 1,
      longestChatWaitSeconds: 95,
      longestCallWaitSeconds: 20,
      longestWaitSeconds: 95,
      advisersAvailable: 4,
      abandonedToday: 2,
      at: at(70),
    });
    setup.server.push('queue:stats', { chatsWaiting: -1 });
    expect(setup.chats.view().queue?.chatsWaiting).toBe(3);
    expect(events).toEqual(['availabilityChanged', 'queueStats']);
    await acceptedChat(setup);
    setup.server.signOut();
    expect(setup.chats.view()).toEqual({ offers: [], chats: [], presence: null, queue: null });
  });

  it('answers desk API requests through the registry, refusing an over-long message before it is held', async () => {
    const setup = setUp();
    const registry = new DeskHandlerRegistry();
    registerChatHandlers(registry, setup.chats);
    const chatId = await acceptedChat(setup);
    const tooLong = await registry.dispatch('sendChatMessage', {
      chatId,
      text: 'x'.repeat(chatLimits.maxMessageChars + 1),
    });
    expect(tooLong.ok).toBe(false);
    expect(!tooLong.ok && tooLong.error.code).toBe('invalid_input');
    const blank = await registry.dispatch('sendChatMessage', { chatId, text: '   ' });
    expect(!blank.ok && blank.error.code).toBe('invalid_input');
    const hostile = '<script>alert(1)</script>\u202Egnp.exe';
    const sent = await registry.dispatch('sendChatMessage', { chatId, text: hostile });
    expect(sent.ok).toBe(true);
    await until(setup.chats, () => chatIn(setup.chats, chatId)?.messages[0]?.delivery === 'sent');
    // Kept exactly as typed: the desk never rewrites chat text.
    expect(setup.server.session(chatId).messages[0]?.text).toBe(hostile);
    const unknown = await registry.dispatch('openChat', { chatId: randomUUID() });
    expect(!unknown.ok && unknown.error.code).toBe('not_found');
  });
});
