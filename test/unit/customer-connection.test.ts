// The customer page's connection (customer/src/connection.ts) over a fake link
// and a small fake helpline: messages written while the connection is down
// wait, nothing is sent before the chat is taken back, a refusal during a
// resume never drops a message, a resend after a lost acknowledgement is kept
// once, final refusals are shown with their reason, a rate limit is waited
// out, a reload keeps what was not sent, and the resume backlog is shown whole
// however the live messages raced it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CustomerConnection,
  type ChatListeners,
  type WaitingFor,
} from '../../customer/src/connection';
import { MemoryKeptChat } from '../../customer/src/kept.testing';
import {
  FakeCustomerLink,
  type FakeAnswer,
  type FakeRequest,
} from '../../customer/src/link.testing';
import { Transcript } from '../../customer/src/transcript';
import { fail, ok, type ResultError } from '../../shared/result';
import type { ChatMessage } from '../../shared/wire/chat';

const chatId = '6f1c1a52-3c1e-4c55-9a53-0d6f1d0b7a11';
const resumeToken = 'r'.repeat(43);
const at = '2026-11-30T12:00:00.000Z';

/** The server's side, enough of it: one chat, one sequence, repeats answered as duplicates. */
class FakeHelpline {
  messages: ChatMessage[] = [];
  /** The connection that holds the chat (started or resumed on it). */
  holder: number | null = null;
  status: 'queued' | 'connected' | 'ended' = 'connected';
  /** A refusal for the next chat:message, whatever it is. */
  refuseNext: ResultError | null = null;
  /** Hold the answer to chat:message (stored or not), to lose it in a drop. */
  holdMessages = false;

  answer(request: FakeRequest): FakeAnswer {
    const payload = request.payload as Record<string, unknown>;
    switch (request.event) {
      case 'chat:start':
        this.holder = request.connection;
        return ok({
          chatId,
          resumeToken,
          status: 'queued',
          queue: { chatId, position: 1, expectedWaitSeconds: null, basedOnAnswered: 0 },
          adviserName: null,
          name: 'Jo',
        });
      case 'chat:resume': {
        this.holder = request.connection;
        const after = Number(payload.lastSeenSeq);
        return ok({
          chatId,
          resumeToken,
          status: this.status,
          queue: null,
          adviserName: 'Alex',
          name: 'Jo',
          messages: this.messages.filter((message) => message.seq > after),
          endedBy: this.status === 'ended' ? 'adviser' : null,
        });
      }
      case 'chat:message': {
        if (this.holder !== request.connection) {
          return fail('conflict', 'Start a chat (or take yours back) first');
        }
        if (this.refuseNext) {
          const refusal = this.refuseNext;
          this.refuseNext = null;
          return { ok: false, error: refusal };
        }
        const clientMessageId = String(payload.clientMessageId);
        const kept = this.messages.find(
          (message) => message.from === 'customer' && message.clientMessageId === clientMessageId,
        );
        const stored = kept ?? this.store('customer', clientMessageId, String(payload.text));
        if (this.holdMessages) return 'hold';
        return ok({ chatId, clientMessageId, seq: stored.seq, sentAt: at, duplicate: !!kept });
      }
      case 'chat:end':
        this.status = 'ended';
        return ok({ chatId, endedBy: 'customer', at });
      case 'chat:transcript':
        return ok({ chatId, email: String(payload.email) });
    }
  }

  store(from: 'customer' | 'adviser', clientMessageId: string, text: string): ChatMessage {
    const message: ChatMessage = {
      chatId,
      seq: this.messages.length + 1,
      clientMessageId,
      from,
      author: from === 'customer' ? 'Jo' : 'Alex',
      text,
      sentAt: at,
    };
    this.messages.push(message);
    return message;
  }

  customerTexts(): string[] {
    return this.messages.filter((m) => m.from === 'customer').map((m) => m.text);
  }
}

/** The page, as far as these tests look: its transcript, and what each listener heard. */
function page() {
  const transcript = new Transcript();
  const heard = {
    messages: [] as ChatMessage[],
    delivered: [] as [string, number][],
    waiting: [] as [string, WaitingFor][],
    refused: [] as [string, ResultError][],
    ended: 0,
    online: [] as boolean[],
  };
  const listeners: ChatListeners = {
    online: (online) => heard.online.push(online),
    state: () => undefined,
    queue: () => undefined,
    connected: () => undefined,
    message(message) {
      heard.messages.push(message);
      transcript.received(message);
    },
    delivered(clientMessageId, seq, sentAt) {
      heard.delivered.push([clientMessageId, seq]);
      transcript.delivered(clientMessageId, seq, sentAt);
    },
    waiting: (clientMessageId, waitingFor) => heard.waiting.push([clientMessageId, waitingFor]),
    refused(clientMessageId, error) {
      heard.refused.push([clientMessageId, error]);
      transcript.refused(clientMessageId, error.message);
    },
    typing: () => undefined,
    ended: () => {
      heard.ended += 1;
    },
  };
  return { transcript, heard, listeners };
}

let helpline: FakeHelpline;
let link: FakeCustomerLink;
let storage: MemoryKeptChat;
let shown: ReturnType<typeof page>;
let connection: CustomerConnection;

function open(): CustomerConnection {
  link = new FakeCustomerLink();
  link.server = (request) => helpline.answer(request);
  shown = page();
  connection = new CustomerConnection({
    link,
    storage,
    listeners: shown.listeners,
    retry: { baseMs: 100, capMs: 1_000 },
    random: () => 0.5,
  });
  return connection;
}

/** As the page does: shown as sending, then handed over. */
function write(text: string, id = `id-${text.replace(/\W/g, '')}-0000`): string {
  shown.transcript.written(id, text);
  return connection.send(text, id);
}

/** Lets pending answers, and the sends and immediate retries they lead to, run. */
const settle = async () => {
  for (let turn = 0; turn < 5; turn += 1) await vi.advanceTimersByTimeAsync(0);
};

/** The fake helpline's answer to a request the test held back. */
function answerTo(request: FakeRequest | undefined) {
  if (!request) throw new Error('no request is held');
  const answer = helpline.answer(request);
  if (answer === 'hold') throw new Error('the helpline would hold this answer too');
  return answer;
}

beforeEach(async () => {
  vi.useFakeTimers();
  helpline = new FakeHelpline();
  storage = new MemoryKeptChat();
  open();
  link.connect();
  const started = await connection.start({ name: 'Jo', age: 15 });
  expect(started.ok).toBe(true);
});

afterEach(() => {
  connection.close();
  vi.useRealTimers();
});

describe('sending', () => {
  it('sends in the order written, one at a time, and marks each sent with its seq', async () => {
    write('one');
    write('two');
    write('three');
    await settle();
    expect(helpline.customerTexts()).toEqual(['one', 'two', 'three']);
    expect(shown.heard.delivered.map(([, seq]) => seq)).toEqual([1, 2, 3]);
    expect(
      shown.transcript.entries().map((entry) => [entry.text, entry.seq, entry.delivery]),
    ).toEqual([
      ['one', 1, 'sent'],
      ['two', 2, 'sent'],
      ['three', 3, 'sent'],
    ]);
    expect(connection.unsentMessages()).toEqual([]);
  });

  it('keeps messages written while the connection is down, and sends nothing before the chat is taken back', async () => {
    link.drop();
    const first = write('while offline');
    write('still offline');
    expect(shown.heard.waiting).toContainEqual([first, 'connection']);
    helpline.status = 'connected';
    link.server = (request) =>
      request.event === 'chat:resume' ? 'hold' : helpline.answer(request);
    link.connect();
    await settle();
    // Connected, but the resume has not been answered: nothing else may go.
    expect(link.requests.filter((r) => r.connection === 2).map((r) => r.event)).toEqual([
      'chat:resume',
    ]);
    link.server = (request) => helpline.answer(request);
    link.answerHeld('chat:resume', answerTo(link.heldRequests()[0]));
    await settle();
    expect(helpline.customerTexts()).toEqual(['while offline', 'still offline']);
    expect(link.sent('chat:message').every((request) => request.connection === 2)).toBe(true);
    expect(shown.heard.refused).toEqual([]);
  });

  it('never drops a message refused as conflict during a resume: it takes the chat back and sends it', async () => {
    // The server lost track of which connection holds the chat (the race the old page lost messages to).
    helpline.holder = null;
    write('are you there?');
    await settle();
    expect(link.sent('chat:message')).toHaveLength(2);
    expect(link.sent('chat:resume')).toHaveLength(1);
    expect(helpline.customerTexts()).toEqual(['are you there?']);
    expect(shown.heard.refused).toEqual([]);
    expect(shown.transcript.entries()[0]).toMatchObject({ seq: 1, delivery: 'sent' });
  });

  it('a message stored but whose acknowledgement was lost in a drop comes back in the backlog and is not sent again', async () => {
    helpline.holdMessages = true;
    const id = write('did this arrive?');
    await settle();
    expect(helpline.messages).toHaveLength(1);
    link.drop();
    helpline.holdMessages = false;
    link.connect();
    await settle();
    expect(link.sent('chat:message')).toHaveLength(1);
    expect(shown.heard.delivered).toEqual([[id, 1]]);
    expect(shown.heard.messages).toEqual([]);
    expect(shown.transcript.entries()).toHaveLength(1);
    expect(connection.unsentMessages()).toEqual([]);
  });

  it('a resend answered as a duplicate is shown once', async () => {
    helpline.holdMessages = true;
    const id = write('hello');
    await settle();
    // The answer never comes on this connection; the same id goes again on the next.
    link.drop();
    helpline.holdMessages = false;
    // This time the resume comes from seq 1 already seen elsewhere: only the resend can settle it.
    link.server = (request) => {
      if (request.event !== 'chat:resume') return helpline.answer(request);
      helpline.holder = request.connection;
      return ok({
        chatId,
        resumeToken,
        status: 'connected',
        queue: null,
        adviserName: 'Alex',
        name: 'Jo',
        messages: [],
        endedBy: null,
      });
    };
    link.connect();
    await settle();
    const resent = link.sent('chat:message');
    expect(
      resent.map((request) => (request.payload as { clientMessageId: string }).clientMessageId),
    ).toEqual([id, id]);
    expect(helpline.messages).toHaveLength(1);
    expect(shown.heard.delivered).toEqual([[id, 1]]);
    expect(shown.transcript.entries()).toHaveLength(1);
  });

  it('shows a message refused for good as not sent, with the reason, and goes on with the next', async () => {
    helpline.refuseNext = { code: 'invalid_input', message: 'Message is not valid' };
    const bad = write('first');
    write('second');
    await settle();
    expect(shown.heard.refused).toEqual([
      [bad, { code: 'invalid_input', message: 'Message is not valid' }],
    ]);
    expect(helpline.customerTexts()).toEqual(['second']);
    const first = shown.transcript.entries().find((entry) => entry.clientMessageId === bad);
    expect(first).toMatchObject({ delivery: 'refused', problem: 'Message is not valid' });

    helpline.refuseNext = {
      code: 'payload_too_large',
      message: 'A message can be at most 2000 characters',
    };
    const long = write('third');
    await settle();
    expect(shown.heard.refused.at(-1)).toEqual([
      long,
      { code: 'payload_too_large', message: 'A message can be at most 2000 characters' },
    ]);
    expect(connection.unsentMessages()).toEqual([]);
  });

  it('waits out a rate limit and sends the same message again', async () => {
    helpline.refuseNext = {
      code: 'rate_limited',
      message: 'You are sending messages very quickly',
    };
    const id = write('quick');
    await settle();
    expect(shown.heard.waiting).toEqual([[id, 'slow-down']]);
    expect(helpline.messages).toEqual([]);
    await vi.advanceTimersByTimeAsync(999);
    expect(link.sent('chat:message')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(link.sent('chat:message')).toHaveLength(2);
    expect(helpline.customerTexts()).toEqual(['quick']);
    expect(shown.heard.delivered).toEqual([[id, 1]]);
  });

  it('sends again after no answer in time, with the same client id', async () => {
    link.server = (request) =>
      request.event === 'chat:message'
        ? fail('unavailable', 'No answer')
        : helpline.answer(request);
    const id = write('slow network');
    await settle();
    link.server = (request) => helpline.answer(request);
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    const ids = link
      .sent('chat:message')
      .map((r) => (r.payload as { clientMessageId: string }).clientMessageId);
    expect(new Set(ids)).toEqual(new Set([id]));
    expect(helpline.customerTexts()).toEqual(['slow network']);
  });

  it('a page reload keeps what was not sent, takes the chat back, and sends it then', async () => {
    link.drop();
    write('written before the reload');
    expect(connection.unsentMessages()).toHaveLength(1);
    connection.close();

    // The reloaded page: a new connection on the same tab storage.
    open();
    expect(connection.hasChat).toBe(true);
    expect(connection.unsentMessages().map((message) => message.text)).toEqual([
      'written before the reload',
    ]);
    for (const unsent of connection.unsentMessages()) {
      shown.transcript.written(unsent.clientMessageId, unsent.text);
    }
    link.connect();
    await settle();
    expect(link.requests.map((request) => request.event)).toEqual(['chat:resume', 'chat:message']);
    expect(helpline.customerTexts()).toEqual(['written before the reload']);
    expect(connection.unsentMessages()).toEqual([]);
    expect(JSON.parse(storage.text ?? '{}')).toEqual({ resumeToken, unsent: [] });
  });

  it('messages still unsent when the chat ends are shown as not sent', async () => {
    link.drop();
    const id = write('too late');
    helpline.status = 'ended';
    link.connect();
    await settle();
    expect(shown.heard.ended).toBe(1);
    expect(shown.heard.refused.map(([refusedId, error]) => [refusedId, error.code])).toEqual([
      [id, 'conflict'],
    ]);
    expect(helpline.messages).toEqual([]);
  });
});

describe('receiving', () => {
  it('shows every message of the resume backlog even when a later live message came first', async () => {
    helpline.store('adviser', 'adviser-msg-0001', 'Hi Jo');
    link.push('chat:message', helpline.messages[0]);
    link.drop();
    helpline.store('adviser', 'adviser-msg-0002', 'What do you enjoy?');
    helpline.store('adviser', 'adviser-msg-0003', 'Any subjects?');
    helpline.store('adviser', 'adviser-msg-0004', 'Take your time');
    // The new connection hears the newest live message before its resume is answered.
    link.server = (request) =>
      request.event === 'chat:resume' ? 'hold' : helpline.answer(request);
    link.connect();
    link.push('chat:message', helpline.messages[3]);
    const resume = link.heldRequests()[0];
    expect(resume?.payload).toMatchObject({ lastSeenSeq: 1 });
    link.answerHeld('chat:resume', answerTo(resume));
    await settle();
    expect(shown.heard.messages.map((message) => message.seq)).toEqual([1, 4, 2, 3]);
    expect(shown.transcript.entries().map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
  });

  it('shows a message pushed twice once, and receipts the unbroken run only', async () => {
    helpline.store('adviser', 'adviser-msg-0001', 'one');
    helpline.store('adviser', 'adviser-msg-0002', 'two');
    helpline.store('adviser', 'adviser-msg-0003', 'three');
    link.push('chat:message', helpline.messages[0]);
    link.push('chat:message', helpline.messages[2]);
    link.push('chat:message', helpline.messages[0]);
    expect(shown.heard.messages.map((message) => message.seq)).toEqual([1, 3]);
    expect(link.notices).toEqual([{ event: 'chat:ack', payload: { upToSeq: 1 } }]);
    link.push('chat:message', helpline.messages[1]);
    expect(link.notices.at(-1)).toEqual({ event: 'chat:ack', payload: { upToSeq: 3 } });
  });

  it('ignores a push that is not a valid message', () => {
    link.push('chat:message', { chatId, seq: 'one', text: '<b>' });
    expect(shown.heard.messages).toEqual([]);
  });
});
