// The chat store's contract, the same expectations on SQLite and PostgreSQL:
// one sequence per chat with no gap or repeat however many appends race, a
// resent message answered with the copy kept, status changes taken once, the
// receipts that never move back, and the queue's abandonments.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { KyselyChatStore } from '../../server/chat/store';
import type { NewChat, NewChatMessage } from '../../server/chat/types';
import type { StoreContext } from '../../server/storage/database';
import type { ChatParty } from '../../shared/wire/chat';
import { describeEachEngine, type TestStoreContext } from '../support/storage';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 30, 10, minutes)).toISOString();

function newChat(overrides: Partial<NewChat> = {}): NewChat {
  return {
    id: randomUUID(),
    resumeTokenHash: randomUUID(),
    customerName: 'Jo',
    age: 15,
    deviceKeyHash: null,
    queuedAt: at(0),
    positionAtJoin: 1,
    ...overrides,
  };
}

function message(
  chatId: string,
  from: ChatParty,
  text: string,
  clientMessageId: string = randomUUID(),
): NewChatMessage {
  return {
    chatId,
    from,
    clientMessageId,
    author: from === 'customer' ? 'Jo' : 'Alex',
    text,
    sentAt: at(1),
  };
}

/** An adviser's account: a chat's adviser must be one. */
async function adviser(context: StoreContext, username = `adviser-${randomUUID()}`) {
  const id = randomUUID();
  await context.db
    .insertInto('accounts')
    .values({
      id,
      username,
      display_name: 'Alex Adviser',
      password_hash: 'not a real hash',
      created_at: at(0),
    })
    .execute();
  return id;
}

/** A session for `adviserId` that is live for the whole of a test's hour; its token hash. */
async function liveSession(context: TestStoreContext, adviserId: string): Promise<string> {
  const session = randomUUID();
  await context.db
    .insertInto('sessions')
    .values({ token_hash: session, account_id: adviserId, created_at: at(0), expires_at: at(59) })
    .execute();
  return session;
}

async function setUp(open: () => Promise<TestStoreContext>) {
  const context = await open();
  const store = new KyselyChatStore(context);
  return { context, store, adviserId: await adviser(context) };
}

describeEachEngine('chat store', (open, engine) => {
  describe('chats', () => {
    it('keeps a new chat as queued, found by id and by its resume token hash', async () => {
      const { store } = await setUp(open);
      const chat = newChat({ age: null, deviceKeyHash: 'hash-of-a-remembered-device' });
      await store.create(chat);
      const expected = {
        id: chat.id,
        customerName: 'Jo',
        age: null,
        deviceKeyHash: 'hash-of-a-remembered-device',
        status: 'queued',
        queuedAt: chat.queuedAt,
        positionAtJoin: 1,
        adviserId: null,
        answeredAt: null,
        waitedMs: null,
        endedAt: null,
        endedBy: null,
        transcriptEmail: null,
        lastSeq: 0,
        customerAckedSeq: 0,
        adviserAckedSeq: 0,
      };
      expect(await store.find(chat.id)).toEqual(expected);
      expect(await store.findByResumeTokenHash(chat.resumeTokenHash)).toEqual(expected);
      expect(await store.find(randomUUID())).toBeNull();
      expect(await store.findByResumeTokenHash('unknown')).toBeNull();
    });

    it('refuses a second chat with the same resume token hash', async () => {
      const { store } = await setUp(open);
      const chat = newChat();
      await store.create(chat);
      await expect(
        store.create(newChat({ resumeTokenHash: chat.resumeTokenHash })),
      ).rejects.toThrow();
    });
  });

  describe('messages', () => {
    it('take one sequence per chat across both parties, kept in order and read after a seq', async () => {
      const { store, adviserId } = await setUp(open);
      const chat = newChat();
      const other = newChat({ positionAtJoin: 2 });
      await store.create(chat);
      await store.create(other);
      // A customer may write while still queued; the adviser reads it on answering.
      const early = await store.append(message(chat.id, 'customer', 'anyone there?'));
      expect(early).toMatchObject({ duplicate: false, message: { seq: 1, text: 'anyone there?' } });
      expect(await store.markAnswered(chat.id, adviserId, at(2), 120_000)).toBe(true);
      await store.append(message(chat.id, 'adviser', 'Hi Jo'));
      await store.append(message(other.id, 'customer', 'hello'));
      const third = await store.append(message(chat.id, 'customer', 'I want to be a vet'));
      expect(third?.message).toEqual({
        chatId: chat.id,
        seq: 3,
        clientMessageId: third?.message.clientMessageId,
        from: 'customer',
        author: 'Jo',
        text: 'I want to be a vet',
        sentAt: at(1),
      });

      expect((await store.messages(chat.id)).map((m) => [m.seq, m.from, m.text])).toEqual([
        [1, 'customer', 'anyone there?'],
        [2, 'adviser', 'Hi Jo'],
        [3, 'customer', 'I want to be a vet'],
      ]);
      expect((await store.messages(chat.id, 1)).map((m) => m.seq)).toEqual([2, 3]);
      expect(await store.messages(chat.id, 3)).toEqual([]);
      expect((await store.messages(other.id)).map((m) => m.seq)).toEqual([1]);
      expect((await store.find(chat.id))?.lastSeq).toBe(3);
    });

    it('keep text exactly as written', async () => {
      const { store } = await setUp(open);
      const chat = newChat();
      await store.create(chat);
      const hostile = [
        "'; DROP TABLE chats; --",
        '<script>alert(1)</script>',
        'abc\u202Eexe.txt\u202C and 🙂 \u2066isolate\u2069',
        '   spaces kept   ',
      ];
      for (const text of hostile) await store.append(message(chat.id, 'customer', text));
      expect((await store.messages(chat.id)).map((m) => m.text)).toEqual(hostile);
    });

    it('answer a repeated client message id with the copy kept, marked duplicate, using no seq', async () => {
      const { store } = await setUp(open);
      const chat = newChat();
      await store.create(chat);
      const id = randomUUID();
      const first = await store.append(message(chat.id, 'customer', 'once', id));
      const again = await store.append(message(chat.id, 'customer', 'once, edited', id));
      expect(again).toEqual({ message: first?.message, duplicate: true, adviserId: null });
      expect(await store.findMessage(chat.id, 'customer', id)).toEqual(first?.message);
      // The same id from the other party is another message.
      const reply = await store.append(message(chat.id, 'adviser', 'reply', id));
      expect(reply).toMatchObject({ duplicate: false, message: { seq: 2, from: 'adviser' } });
      expect(await store.findMessage(chat.id, 'adviser', randomUUID())).toBeNull();
      expect((await store.messages(chat.id)).map((m) => m.text)).toEqual(['once', 'reply']);
    });

    it('are refused once the chat is over, but a repeat of one kept is still answered', async () => {
      const { store } = await setUp(open);
      const chat = newChat();
      await store.create(chat);
      const id = randomUUID();
      const kept = await store.append(message(chat.id, 'customer', 'bye', id));
      expect(await store.markEnded(chat.id, at(5), 'customer')).toBe(true);
      expect(await store.append(message(chat.id, 'customer', 'too late'))).toBeNull();
      expect(await store.append(message(chat.id, 'customer', 'bye', id))).toEqual({
        message: kept?.message,
        duplicate: true,
        adviserId: null,
      });
      expect(await store.append(message(randomUUID(), 'customer', 'no such chat'))).toBeNull();

      const abandoned = newChat({ positionAtJoin: 2 });
      await store.create(abandoned);
      await store.markAbandoned(abandoned.id, at(3), 180_000);
      expect(await store.append(message(abandoned.id, 'customer', 'hello?'))).toBeNull();
      expect((await store.find(chat.id))?.lastSeq).toBe(1);
    });

    it('from an adviser are kept only in a chat that adviser holds', async () => {
      const { context, store, adviserId } = await setUp(open);
      const other = await adviser(context);
      const chat = newChat();
      await store.create(chat);
      // Queued: nobody holds it yet.
      expect(
        await store.append({ ...message(chat.id, 'adviser', 'early'), heldBy: adviserId }),
      ).toBeNull();
      await store.markAnswered(chat.id, adviserId, at(2), 1_000);
      expect(
        await store.append({ ...message(chat.id, 'adviser', 'not mine'), heldBy: other }),
      ).toBeNull();
      const id = randomUUID();
      const kept = await store.append({
        ...message(chat.id, 'adviser', 'mine', id),
        heldBy: adviserId,
      });
      expect(kept).toMatchObject({ duplicate: false, message: { seq: 1, text: 'mine' } });
      expect(
        await store.append({ ...message(chat.id, 'adviser', 'mine', id), heldBy: adviserId }),
      ).toEqual({
        message: kept?.message,
        duplicate: true,
        adviserId,
      });
      expect((await store.messages(chat.id)).map((m) => m.text)).toEqual(['mine']);
    });

    it("from a customer are written under the chat's name and say who holds the chat", async () => {
      const { store, adviserId } = await setUp(open);
      const chat = newChat({ customerName: 'Kim' });
      await store.create(chat);
      const { author: _author, ...waiting } = message(chat.id, 'customer', 'anyone there?');
      expect(await store.append(waiting)).toMatchObject({
        duplicate: false,
        adviserId: null,
        message: { seq: 1, author: 'Kim', text: 'anyone there?' },
      });
      await store.markAnswered(chat.id, adviserId, at(2), 1_000);
      const { author: _again, ...answered } = message(chat.id, 'customer', 'hello');
      const kept = await store.append(answered);
      expect(kept).toMatchObject({
        duplicate: false,
        adviserId,
        message: { seq: 2, author: 'Kim' },
      });
      // A repeat says the same, and is kept once.
      expect(await store.append(answered)).toEqual({ ...kept, duplicate: true });
      expect((await store.messages(chat.id)).map((m) => [m.author, m.text])).toEqual([
        ['Kim', 'anyone there?'],
        ['Kim', 'hello'],
      ]);
    });

    it("from an adviser's desk are kept, and its receipts move, only while its session exists", async () => {
      const { context, store, adviserId } = await setUp(open);
      const session = await liveSession(context, adviserId);
      const chat = newChat();
      await store.create(chat);
      await store.markAnswered(chat.id, adviserId, at(2), 1_000);
      await store.append(message(chat.id, 'customer', 'hi'));
      const onDesk = (text: string) => ({
        ...message(chat.id, 'adviser', text),
        heldBy: adviserId,
        session,
      });
      expect(await store.append(onDesk('hello'))).toMatchObject({
        duplicate: false,
        adviserId,
        message: { seq: 2 },
      });
      expect(
        await store.append({ ...onDesk('another desk'), session: 'a session never made' }),
      ).toBeNull();
      expect(await store.acknowledge(chat.id, 'adviser', 1, adviserId, session)).toBe(true);
      // Signed out: nothing more is kept or moved on it, on either path of the write.
      await context.db.deleteFrom('sessions').where('token_hash', '=', session).execute();
      expect(await store.append(onDesk('after signing out'))).toBeNull();
      await context.db.transaction().execute(async (trx) => {
        const inWork = new KyselyChatStore({ db: trx, engine, afterCommit: (effect) => effect() });
        expect(await inWork.append(onDesk('in a unit of work'))).toBeNull();
      });
      expect(await store.acknowledge(chat.id, 'adviser', 3, adviserId, session)).toBe(false);
      expect(await store.find(chat.id)).toMatchObject({ lastSeq: 2, adviserAckedSeq: 1 });
      expect((await store.messages(chat.id)).map((m) => m.text)).toEqual(['hi', 'hello']);
    });

    it('written at once in many chats are each answered as if written alone', async () => {
      // On PostgreSQL what arrives together is written in one statement (decision 0042):
      // every message and receipt must still get its own answer, refusals included.
      const { context, store, adviserId } = await setUp(open);
      const otherAdviser = await adviser(context);
      const session = await liveSession(context, adviserId);
      const chats = Array.from({ length: 8 }, (_, index) =>
        newChat({ positionAtJoin: index + 1, customerName: `Jo${index}` }),
      );
      for (const chat of chats) {
        await store.create(chat);
        await store.markAnswered(chat.id, adviserId, at(2), 1_000);
        await store.append(message(chat.id, 'customer', 'first'));
      }
      const [open0, open1, open2, ended, notTheirs, signedOut, repeated, queued] = chats.map(
        (chat) => chat.id,
      ) as [string, string, string, string, string, string, string, string];
      await store.markEnded(ended, at(3), 'customer');
      const kept = await store.append(message(repeated, 'customer', 'once', 'the-same-id'));
      const fromDesk = (chatId: string, text: string, overrides: Partial<NewChatMessage> = {}) => ({
        ...message(chatId, 'adviser', text),
        heldBy: adviserId,
        session,
        ...overrides,
      });
      const fromCustomer = { ...message(open1, 'customer', 'as Jo1'), author: undefined };
      const answers = await Promise.all([
        store.append(fromDesk(open0, 'hello 0')),
        store.append(fromCustomer),
        store.append(fromDesk(open2, 'hello 2')),
        store.append(fromDesk(ended, 'too late')),
        store.append(fromDesk(notTheirs, 'not mine', { heldBy: otherAdviser })),
        store.append(fromDesk(signedOut, 'gone', { session: 'a session never made' })),
        store.append(message(repeated, 'customer', 'once', 'the-same-id')),
        store.append(fromDesk(queued, 'hello 7')),
      ]);
      expect(answers.map((answer) => answer?.message.seq ?? null)).toEqual([
        2,
        2,
        2,
        null,
        null,
        null,
        kept?.message.seq,
        2,
      ]);
      expect(answers[1]).toMatchObject({ adviserId, message: { author: 'Jo1', text: 'as Jo1' } });
      expect(answers[0]).toMatchObject({
        duplicate: false,
        message: { author: 'Alex', chatId: open0 },
      });
      expect(answers[6]).toMatchObject({ duplicate: true });

      const receipts = await Promise.all([
        store.acknowledge(open0, 'adviser', 1, adviserId, session),
        store.acknowledge(open1, 'customer', 5),
        store.acknowledge(open2, 'adviser', 2, adviserId, 'a session never made'),
        store.acknowledge(ended, 'customer', 1),
        store.acknowledge(notTheirs, 'adviser', 1, otherAdviser, session),
        store.acknowledge(signedOut, 'customer', 0),
        store.acknowledge(repeated, 'adviser', 2, adviserId, session),
        store.acknowledge(queued, 'customer', 2),
      ]);
      expect(receipts).toEqual([true, true, false, true, false, false, true, true]);
      const read = await Promise.all(chats.map((chat) => store.find(chat.id)));
      expect(read.map((chat) => [chat?.customerAckedSeq, chat?.adviserAckedSeq])).toEqual([
        [0, 1],
        [2, 0],
        [0, 0],
        [1, 0],
        [0, 0],
        [0, 0],
        [0, 2],
        [2, 0],
      ]);
    });

    it('appended by both parties at once take seqs 1 to 50 with no gap and no repeat', async () => {
      const { store, adviserId } = await setUp(open);
      const chat = newChat();
      await store.create(chat);
      await store.markAnswered(chat.id, adviserId, at(1), 60_000);
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, n) =>
          store.append(message(chat.id, n % 2 === 0 ? 'customer' : 'adviser', `m${n}`)),
        ),
      );
      expect(appended.every((answer) => answer?.duplicate === false)).toBe(true);
      const seqs = appended.map((answer) => answer?.message.seq ?? 0).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, n) => n + 1));
      const stored = await store.messages(chat.id);
      expect(stored.map((m) => m.seq)).toEqual(seqs);
      // Each stored message is the one its append was told of.
      for (const answer of appended) {
        expect(stored[(answer?.message.seq ?? 0) - 1]).toEqual(answer?.message);
      }
      expect((await store.find(chat.id))?.lastSeq).toBe(50);
    });

    it('resent while the first copy is still being written are answered as duplicates', async () => {
      const { store, adviserId } = await setUp(open);
      const chat = newChat();
      await store.create(chat);
      await store.markAnswered(chat.id, adviserId, at(1), 60_000);
      // Twenty messages from each side, every one sent twice at the same moment.
      const sends = Array.from({ length: 40 }, (_, n) =>
        message(chat.id, n % 2 === 0 ? 'customer' : 'adviser', `m${n}`),
      );
      // Each pair side by side, so the two copies run at the same moment on two connections.
      const appended = await Promise.all(
        sends.flatMap((send) => [store.append({ ...send }), store.append({ ...send })]),
      );
      const fresh = appended.filter((answer) => answer?.duplicate === false);
      const repeats = appended.filter((answer) => answer?.duplicate === true);
      expect(fresh).toHaveLength(40);
      expect(repeats).toHaveLength(40);
      expect(fresh.map((answer) => answer?.message.seq).sort((a = 0, b = 0) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, n) => n + 1),
      );
      for (const repeat of repeats) {
        const original = fresh.find(
          (answer) =>
            answer?.message.clientMessageId === repeat?.message.clientMessageId &&
            answer?.message.from === repeat?.message.from,
        );
        expect(repeat?.message).toEqual(original?.message);
      }
      expect(await store.messages(chat.id)).toHaveLength(40);
    });

    it('joins the transaction of a unit of work: a repeat there does not spoil it, and a rollback keeps nothing', async () => {
      const { context, store } = await setUp(open);
      const chat = newChat();
      await store.create(chat);
      const id = randomUUID();
      const kept = await store.append(message(chat.id, 'customer', 'kept', id));

      await context.db.transaction().execute(async (trx) => {
        const inWork = new KyselyChatStore({ db: trx, engine, afterCommit: (effect) => effect() });
        expect(await inWork.append(message(chat.id, 'customer', 'kept', id))).toEqual({
          message: kept?.message,
          duplicate: true,
          adviserId: null,
        });
        // The transaction is still good for more writes after the repeat.
        expect(await inWork.append(message(chat.id, 'adviser', 'reply'))).toMatchObject({
          message: { seq: 2 },
        });
      });

      const rolledBack = new Error('the unit of work failed');
      await expect(
        context.db.transaction().execute(async (trx) => {
          const inWork = new KyselyChatStore({
            db: trx,
            engine,
            afterCommit: (effect) => effect(),
          });
          await inWork.append(message(chat.id, 'customer', 'lost'));
          await inWork.markEnded(chat.id, at(9), 'customer');
          throw rolledBack;
        }),
      ).rejects.toBe(rolledBack);
      expect((await store.messages(chat.id)).map((m) => m.text)).toEqual(['kept', 'reply']);
      expect(await store.find(chat.id)).toMatchObject({ status: 'queued', lastSeq: 2 });
    });
  });

  describe('receipts', () => {
    it('move forward only, each party on its own, and never past the last message', async () => {
      const { store } = await setUp(open);
      const chat = newChat();
      await store.create(chat);
      for (const text of ['one', 'two', 'three']) {
        await store.append(message(chat.id, 'customer', text));
      }
      await store.acknowledge(chat.id, 'adviser', 2);
      expect(await store.find(chat.id)).toMatchObject({ adviserAckedSeq: 2, customerAckedSeq: 0 });
      await store.acknowledge(chat.id, 'adviser', 1);
      expect((await store.find(chat.id))?.adviserAckedSeq).toBe(2);
      await store.acknowledge(chat.id, 'adviser', 99);
      expect((await store.find(chat.id))?.adviserAckedSeq).toBe(3);
      await store.acknowledge(chat.id, 'customer', 3);
      expect(await store.find(chat.id)).toMatchObject({ adviserAckedSeq: 3, customerAckedSeq: 3 });
      // Unknown chats are no error.
      await store.acknowledge(randomUUID(), 'customer', 1);
    });

    it("say whether they moved, and with an adviser named move only in that adviser's chat", async () => {
      const { context, store, adviserId } = await setUp(open);
      const other = await adviser(context);
      const chat = newChat();
      await store.create(chat);
      await store.markAnswered(chat.id, adviserId, at(2), 1_000);
      for (const text of ['one', 'two']) await store.append(message(chat.id, 'customer', text));
      expect(await store.acknowledge(chat.id, 'adviser', 1, other)).toBe(false);
      expect((await store.find(chat.id))?.adviserAckedSeq).toBe(0);
      expect(await store.acknowledge(chat.id, 'adviser', 1, adviserId)).toBe(true);
      expect(await store.acknowledge(chat.id, 'adviser', 1, adviserId)).toBe(false);
      expect(await store.acknowledge(chat.id, 'adviser', 2)).toBe(true);
      expect((await store.find(chat.id))?.adviserAckedSeq).toBe(2);
    });
  });

  describe('status changes', () => {
    it('answer a queued chat once, with the adviser, time and wait', async () => {
      const { context, store, adviserId } = await setUp(open);
      const other = await adviser(context);
      const chat = newChat();
      await store.create(chat);
      expect(await store.markAnswered(chat.id, adviserId, at(2), 120_000)).toBe(true);
      expect(await store.markAnswered(chat.id, other, at(3), 180_000)).toBe(false);
      expect(await store.find(chat.id)).toMatchObject({
        status: 'connected',
        adviserId,
        answeredAt: at(2),
        waitedMs: 120_000,
      });
      expect(await store.markAnswered(randomUUID(), adviserId, at(2), 0)).toBe(false);
    });

    it('end a queued or connected chat once, saying who ended it', async () => {
      const { store, adviserId } = await setUp(open);
      const connected = newChat();
      const queued = newChat({ positionAtJoin: 2 });
      await store.create(connected);
      await store.create(queued);
      await store.markAnswered(connected.id, adviserId, at(2), 120_000);
      expect(await store.markEnded(connected.id, at(7), 'adviser')).toBe(true);
      expect(await store.markEnded(connected.id, at(8), 'customer')).toBe(false);
      expect(await store.find(connected.id)).toMatchObject({
        status: 'ended',
        endedAt: at(7),
        endedBy: 'adviser',
      });
      expect(await store.markEnded(queued.id, at(3), 'service')).toBe(true);
      expect(await store.markAnswered(queued.id, adviserId, at(4), 0)).toBe(false);
      expect(await store.find(queued.id)).toMatchObject({ status: 'ended', endedBy: 'service' });
    });

    it('abandon only a chat still queued, recording the wait once', async () => {
      const { store, adviserId } = await setUp(open);
      const waiting = newChat({ queuedAt: at(0) });
      const answered = newChat({ queuedAt: at(1), positionAtJoin: 2 });
      await store.create(waiting);
      await store.create(answered);
      await store.markAnswered(answered.id, adviserId, at(2), 60_000);
      expect(await store.markAbandoned(waiting.id, at(3), 180_000)).toBe(true);
      expect(await store.markAbandoned(waiting.id, at(4), 240_000)).toBe(false);
      expect(await store.markAbandoned(answered.id, at(4), 180_000)).toBe(false);
      expect(await store.find(waiting.id)).toMatchObject({
        status: 'abandoned',
        endedAt: at(3),
        endedBy: 'customer',
        waitedMs: 180_000,
      });
      expect(await store.markEnded(waiting.id, at(5), 'customer')).toBe(false);
      expect(await store.abandonedSince(at(0))).toBe(1);
    });

    it('racing, an answer and an abandonment of one chat: exactly one wins', async () => {
      const { store, adviserId } = await setUp(open);
      for (let round = 0; round < 10; round += 1) {
        const chat = newChat({ positionAtJoin: round + 1 });
        await store.create(chat);
        const [answered, abandoned] = await Promise.all([
          store.markAnswered(chat.id, adviserId, at(2), 120_000),
          store.markAbandoned(chat.id, at(2), 120_000),
        ]);
        expect([answered, abandoned].filter(Boolean)).toHaveLength(1);
        expect((await store.find(chat.id))?.status).toBe(answered ? 'connected' : 'abandoned');
      }
    });
  });

  describe('abandonments and figures', () => {
    it('count calls and chats that left the queue since a time, each contact once', async () => {
      const { store } = await setUp(open);
      const callId = randomUUID();
      await store.recordAbandonment('call', callId, at(0), at(2), 120_000);
      await store.recordAbandonment('call', callId, at(0), at(3), 180_000);
      await store.recordAbandonment('call', randomUUID(), at(10), at(20), 600_000);
      // A chat and a call may share an id: they are different contacts.
      await store.recordAbandonment('chat', callId, at(0), at(2), 120_000);
      expect(await store.abandonedSince(at(0))).toBe(3);
      expect(await store.abandonedSince(at(3))).toBe(1);
      expect(await store.abandonedSince(at(21))).toBe(0);
    });

    it('keep a transcript address for a chat not abandoned', async () => {
      const { store, adviserId } = await setUp(open);
      const chat = newChat();
      const left = newChat({ positionAtJoin: 2 });
      await store.create(chat);
      await store.create(left);
      expect(await store.setTranscriptEmail(chat.id, 'jo@example.org')).toBe(true);
      await store.markAnswered(chat.id, adviserId, at(2), 0);
      await store.markEnded(chat.id, at(3), 'customer');
      expect(await store.setTranscriptEmail(chat.id, 'jo@example.com')).toBe(true);
      expect((await store.find(chat.id))?.transcriptEmail).toBe('jo@example.com');
      await store.markAbandoned(left.id, at(3), 0);
      expect(await store.setTranscriptEmail(left.id, 'x@example.org')).toBe(false);
      expect(await store.setTranscriptEmail(randomUUID(), 'x@example.org')).toBe(false);
    });

    it('list unfinished chats oldest first, joiners of the same moment in the order they joined', async () => {
      const { store, adviserId } = await setUp(open);
      // Ids that sort against the order of joining, so only the place can order them.
      const late = newChat({ id: 'a-late', queuedAt: at(5), positionAtJoin: 1 });
      const second = newChat({ id: 'b-second', queuedAt: at(1), positionAtJoin: 2 });
      const first = newChat({ id: 'c-first', queuedAt: at(1), positionAtJoin: 1 });
      const over = newChat({ id: 'd-over', queuedAt: at(0), positionAtJoin: 1 });
      for (const chat of [late, second, first, over]) await store.create(chat);
      await store.markAnswered(second.id, adviserId, at(2), 60_000);
      await store.markEnded(over.id, at(1), 'customer');
      expect((await store.unfinished()).map((chat) => [chat.id, chat.status])).toEqual([
        ['c-first', 'queued'],
        ['b-second', 'connected'],
        ['a-late', 'queued'],
      ]);
    });

    it("list an adviser's connected chats in the order they were answered", async () => {
      const { context, store, adviserId } = await setUp(open);
      const other = await adviser(context);
      const chats = Array.from({ length: 4 }, (_, n) => newChat({ positionAtJoin: n + 1 }));
      for (const chat of chats) await store.create(chat);
      const [one, two, three, four] = chats.map((chat) => chat.id);
      if (!one || !two || !three || !four) throw new Error('four chats were made');
      await store.markAnswered(two, adviserId, at(2), 0);
      await store.markAnswered(one, adviserId, at(3), 0);
      await store.markAnswered(three, other, at(1), 0);
      await store.markAnswered(four, adviserId, at(4), 0);
      await store.markEnded(four, at(5), 'adviser');
      expect((await store.connectedFor(adviserId)).map((chat) => chat.id)).toEqual([two, one]);
      expect((await store.connectedFor(other)).map((chat) => chat.id)).toEqual([three]);
      expect(await store.connectedFor(randomUUID())).toEqual([]);
    });

    it('give the latest answers, newest last, for the wait estimate', async () => {
      const { store, adviserId } = await setUp(open);
      for (let n = 0; n < 5; n += 1) {
        const chat = newChat({ queuedAt: at(n), positionAtJoin: n + 1 });
        await store.create(chat);
        await store.markAnswered(chat.id, adviserId, at(10 + n), (n + 1) * 1_000);
      }
      // Never answered: no part of the estimate.
      const left = newChat({ queuedAt: at(30) });
      await store.create(left);
      await store.markAbandoned(left.id, at(40), 600_000);
      expect(await store.recentAnswers(3)).toEqual([
        { answeredAt: at(12), waitedMs: 3_000, positionAtJoin: 3 },
        { answeredAt: at(13), waitedMs: 4_000, positionAtJoin: 4 },
        { answeredAt: at(14), waitedMs: 5_000, positionAtJoin: 5 },
      ]);
      expect(await store.recentAnswers(30)).toHaveLength(5);
    });
  });
});

describeEachEngine('chat writes meeting a lock cycle', (open, engine) => {
  it('writes each message again on its own when the batch that held them was aborted', async () => {
    const { context, store, adviserId } = await setUp(open);
    const [first, second, third] = [newChat(), newChat(), newChat()];
    for (const chat of [first, second, third]) {
      await store.create(chat);
      await store.markAnswered(chat.id, adviserId, at(2), 1_000);
    }
    // Another transaction holds the second chat's row, then asks for the first's
    // while a batch holding the first waits for the second: on PostgreSQL a lock
    // cycle, and the batch (the first to check, with the shorter deadlock
    // timeout) is the one aborted. SQLite's one writer never meets a cycle.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder =
      engine === 'postgres'
        ? context.db.transaction().execute(async (trx) => {
            await sql`set local deadlock_timeout = '10s'`.execute(trx);
            await trx
              .updateTable('chats')
              .set({ last_seq: 0 })
              .where('id', '=', second.id)
              .execute();
            locked();
            await held;
            await trx
              .updateTable('chats')
              .set({ last_seq: 0 })
              .where('id', '=', first.id)
              .execute();
          })
        : (locked(), held);
    await lockTaken;
    // The lone first write goes at once; the two behind it go together.
    const alone = store.append(message(third.id, 'customer', 'alone'));
    const together = [
      store.append(message(first.id, 'customer', 'to the first')),
      store.append(message(second.id, 'customer', 'to the second')),
    ];
    await alone;
    if (engine === 'postgres') {
      // Once the batch waits for the second chat's row, close the cycle.
      for (let tries = 0; tries < 200; tries += 1) {
        const { rows } = await sql<{ waiting: number }>`
          select count(*)::int as waiting from pg_stat_activity
          where wait_event_type = 'Lock' and datname = current_database()`.execute(context.db);
        if ((rows[0]?.waiting ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    release();
    await holder;
    const answers = await Promise.all(together);
    expect(answers.map((answer) => answer?.message.text)).toEqual([
      'to the first',
      'to the second',
    ]);
    expect((await store.messages(first.id)).map((m) => m.text)).toEqual(['to the first']);
    expect((await store.messages(second.id)).map((m) => m.text)).toEqual(['to the second']);
  });
});
