// The history store's contract, on both engines: every filter, both sorts,
// pages by cursor across many rows with nothing missed or repeated, days in
// Europe/London, full-text search over the redacted text only (a phone number
// typed in a note finds nothing), and the audit of personal-data views.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InteractionRecord, InteractionSummary } from '../../shared/interaction/record';
import type { HistoryQueryInput, HistoryRow } from '../../shared/wire/history';
import { historyPageSchema, historyQuerySchema } from '../../shared/wire/history';
import { encodeHistoryCursor, KyselyHistory } from '../../server/storage/history';
import { KyselyAccounts } from '../../server/storage/stores';
import { KyselyChatStore } from '../../server/chat/store';
import { searchTextFor } from '../../server/history/indexer';
import { londonDayStart } from '../../shared/time/london';
import { describeEachEngine, holdInteraction, type TestStoreContext } from '../support/storage';
import { completedRecord } from '../unit/desk-fixtures';

const deskId = randomUUID();

/** A completed record by `adviserId` at `completedAt`, with its summary changed by `change`. */
function recordAt(
  adviserId: string,
  completedAt: string,
  change: (summary: InteractionSummary) => Partial<InteractionSummary> = () => ({}),
  overrides: Partial<InteractionRecord> = {},
): InteractionRecord {
  const base = completedRecord(deskId, { adviserId, completedAt, ...overrides });
  const startedAt = new Date(Date.parse(completedAt) - 20 * 60_000).toISOString();
  const connectedAt = new Date(Date.parse(startedAt) + 5_000).toISOString();
  const summary: InteractionSummary = {
    ...base.summary,
    call: { ...base.summary.call, offeredAt: startedAt, connectedAt, endedAt: completedAt },
  };
  return { ...base, startedAt, summary: { ...summary, ...change(summary) } };
}

const query = (input: HistoryQueryInput = {}) => historyQuerySchema.parse(input);

/** `manyMatches` 1 makes either engine walk the page order for every search rather than sort the matches. */
async function setUp(open: () => Promise<TestStoreContext>, manyMatches?: number) {
  const context = await open();
  const accounts = new KyselyAccounts(context);
  const account = (username: string, displayName: string) =>
    accounts.create({ username, displayName, roles: ['adviser'], passwordHash: 'scrypt$unused' });
  const sam = await account('sam', 'Sam Adviser');
  const jo = await account('jo', 'Jo Adviser');
  const history = new KyselyHistory(context, manyMatches);
  const hold = async (record: InteractionRecord) => {
    await holdInteraction(context, record);
    // As the history indexer does behind the ingest.
    await history.indexSearchText(searchTextFor, 10);
    return record;
  };
  /** Every page of `input`, followed by cursor, as ids; fails on a page longer than asked. */
  const allPages = async (input: HistoryQueryInput, scope: string | null = null) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 1_000; pages += 1) {
      const page = await history.page(query({ ...input, cursor }), { adviserId: scope });
      if (!page.ok) throw new Error(page.error.message);
      historyPageSchema.parse(page.value);
      expect(page.value.rows.length).toBeLessThanOrEqual(Number(input.limit ?? 25));
      ids.push(...page.value.rows.map((row) => row.id));
      if (page.value.nextCursor === null) return ids;
      cursor = page.value.nextCursor;
    }
    throw new Error('the pages never ended');
  };
  const ids = async (input: HistoryQueryInput, scope: string | null = null) => {
    const page = await history.page(query({ limit: 100, ...input }), { adviserId: scope });
    if (!page.ok) throw new Error(page.error.message);
    return page.value.rows.map((row) => row.id);
  };
  return { context, sam, jo, history, hold, allPages, ids };
}

describeEachEngine('history store', (open) => {
  it('filters by every field the history offers, alone and together', async () => {
    const { sam, jo, hold, ids } = await setUp(open);
    const plain = await hold(recordAt(sam.id, '2026-03-02T10:00:00.000Z'));
    const chat = await hold(
      recordAt(jo.id, '2026-03-03T10:00:00.000Z', () => ({}), {
        channel: 'webchat',
        contactRef: randomUUID(),
      }),
    );
    const booked = await hold(
      recordAt(sam.id, '2026-03-04T10:00:00.000Z', () => ({
        followUp: {
          decision: 'accepted',
          bookingId: randomUUID(),
          slotStart: '2026-03-10T10:00:00.000Z',
          contactMethod: 'phone',
          contactAddress: '07700900123',
          consentRecorded: true,
          at: '2026-03-04T09:59:00.000Z',
        },
      })),
    );
    const neet = await hold(
      recordAt(jo.id, '2026-03-05T10:00:00.000Z', (summary) => ({
        startingPoint: { ...summary.startingPoint, status: 'neet' },
      })),
    );
    const concern = await hold(
      recordAt(sam.id, '2026-03-06T10:00:00.000Z', () => ({
        safeguarding: [
          {
            id: randomUUID(),
            category: 'self_harm_suicide',
            whatWasSaid: 'Said they had hurt themselves',
            immediateRisk: false,
            raisedAt: '2026-03-06T09:50:00.000Z',
            raisedDuringStage: 'barriers',
            escalatedTo: null,
            escalatedAt: null,
            actions: [],
            resolvedAt: null,
            outcome: null,
          },
        ],
      })),
    );
    const outside = await hold(
      recordAt(jo.id, '2026-03-07T10:00:00.000Z', (summary) => ({
        caller: { ...summary.caller, withinRemit: false, signpostedTo: 'National Careers Service' },
      })),
    );
    const inside = await hold(
      recordAt(sam.id, '2026-03-08T10:00:00.000Z', (summary) => ({
        caller: { ...summary.caller, withinRemit: true },
      })),
    );
    const sent = await hold(
      recordAt(jo.id, '2026-03-09T10:00:00.000Z', () => ({
        transcript: { decision: 'send', via: 'email', address: 'pat@example.org' },
      })),
    );
    const gaps = await hold(
      recordAt(sam.id, '2026-03-10T10:00:00.000Z', () => ({
        notCovered: { skillsCheck: 'Caller had to go', barriers: 'Ran out of time' },
      })),
    );
    const newestFirst = [gaps, sent, inside, outside, concern, neet, booked, chat, plain].map(
      (record) => record.id,
    );

    expect(await ids({})).toEqual(newestFirst);
    expect(await ids({ adviserId: jo.id })).toEqual([sent.id, outside.id, neet.id, chat.id]);
    expect(await ids({ channel: 'webchat' })).toEqual([chat.id]);
    expect(await ids({ channel: 'voice' })).toEqual(newestFirst.filter((id) => id !== chat.id));
    expect(await ids({ followUpBooked: 'true' })).toEqual([booked.id]);
    expect(await ids({ followUpBooked: 'false' })).toHaveLength(8);
    expect(await ids({ startingStatus: 'neet' })).toEqual([neet.id]);
    expect(await ids({ safeguarding: 'true' })).toEqual([concern.id]);
    expect(await ids({ safeguarding: 'false' })).not.toContain(concern.id);
    expect(await ids({ withinRemit: 'false' })).toEqual([outside.id]);
    expect(await ids({ withinRemit: 'true' })).toEqual([inside.id]);
    expect(await ids({ transcriptSent: 'true' })).toEqual([sent.id]);
    expect(await ids({ notCovered: 'true' })).toEqual([gaps.id]);
    expect(await ids({ notCovered: 'false' })).toHaveLength(8);
    expect(await ids({ from: '2026-03-04', to: '2026-03-06' })).toEqual([
      concern.id,
      neet.id,
      booked.id,
    ]);
    // Together, every filter narrows.
    expect(await ids({ adviserId: sam.id, from: '2026-03-05', safeguarding: 'true' })).toEqual([
      concern.id,
    ]);
    expect(await ids({ adviserId: sam.id, startingStatus: 'neet' })).toEqual([]);
    // A reader limited to their own sees only theirs, whatever they ask for.
    expect(await ids({}, sam.id)).toEqual(
      newestFirst.filter(
        (id) => !(id === chat.id || id === neet.id || id === outside.id || id === sent.id),
      ),
    );
    expect(await ids({ adviserId: jo.id }, sam.id)).toEqual([]);
  });

  it('answers each row with what the filters read, its adviser named, and no snippet without a search', async () => {
    const { sam, hold, history } = await setUp(open);
    const record = await hold(
      recordAt(sam.id, '2026-05-01T12:00:00+01:00', (summary) => ({
        startingPoint: { ...summary.startingPoint, status: 'college' },
        caller: { ...summary.caller, withinRemit: true },
        notCovered: { serviceQuestions: 'Caller had to go' },
      })),
    );
    const page = await history.page(query(), { adviserId: null });
    if (!page.ok) throw new Error(page.error.message);
    const expected: HistoryRow = {
      id: record.id,
      channel: 'voice',
      adviserId: sam.id,
      adviserName: 'Sam Adviser',
      startedAt: '2026-05-01T10:40:00.000Z',
      // Held in UTC whatever offset the desk wrote.
      completedAt: '2026-05-01T11:00:00.000Z',
      talkSeconds: 20 * 60 - 5,
      startingStatus: 'college',
      followUpBooked: false,
      safeguardingRaised: false,
      withinRemit: true,
      transcriptSent: false,
      notCoveredStages: ['serviceQuestions'],
      followUpCall: false,
      snippet: null,
    };
    expect(page.value).toEqual({ rows: [expected], nextCursor: null });
  });

  it('takes whole days in Europe/London, the last one included, across both changes of the clocks', async () => {
    const { sam, hold, ids } = await setUp(open);
    // 00:30 on 1 July in London (BST), though still 30 June in UTC.
    const julyFirst = await hold(recordAt(sam.id, '2026-06-30T23:30:00.000Z'));
    // 23:30 on 30 June in London.
    const juneLast = await hold(recordAt(sam.id, '2026-06-30T22:30:00.000Z'));
    // 23:30 on 31 December in London (GMT), the same instant in UTC.
    const newYearsEve = await hold(recordAt(sam.id, '2026-12-31T23:30:00.000Z'));
    expect(await ids({ from: '2026-07-01', to: '2026-07-01' })).toEqual([julyFirst.id]);
    expect(await ids({ to: '2026-06-30' })).toEqual([juneLast.id]);
    expect(await ids({ from: '2026-12-31', to: '2026-12-31' })).toEqual([newYearsEve.id]);
    expect(await ids({ from: '2027-01-01' })).toEqual([]);

    expect(londonDayStart('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    expect(londonDayStart('2026-03-29', 1)).toBe('2026-03-29T23:00:00.000Z');
    expect(londonDayStart('2026-10-25')).toBe('2026-10-24T23:00:00.000Z');
    expect(londonDayStart('2026-10-25', 1)).toBe('2026-10-26T00:00:00.000Z');
  });

  it('pages through many rows by cursor, newest or oldest first, with none missed or repeated', async () => {
    const { sam, jo, hold, allPages } = await setUp(open);
    const held: InteractionRecord[] = [];
    for (let index = 0; index < 157; index += 1) {
      // Every third shares its minute with the one before: ties are broken by id.
      const minute = index - Math.floor(index / 3);
      const completedAt = new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString();
      held.push(await hold(recordAt(index % 4 === 0 ? jo.id : sam.id, completedAt)));
    }
    const byTime = (a: InteractionRecord, b: InteractionRecord) =>
      a.completedAt.localeCompare(b.completedAt) || a.id.localeCompare(b.id);
    const oldestFirst = [...held].sort(byTime).map((record) => record.id);
    const newestFirst = [...oldestFirst].reverse();

    expect(await allPages({ limit: 10 })).toEqual(newestFirst);
    expect(await allPages({ limit: 10, sort: 'oldest' })).toEqual(oldestFirst);
    expect(await allPages({ limit: 7, sort: 'oldest' })).toEqual(oldestFirst);
    expect(await allPages({ limit: 100 })).toEqual(newestFirst);
    // With a filter, and with a reader's own scope.
    const jos = new Set(held.filter((record) => record.adviserId === jo.id).map((r) => r.id));
    expect(await allPages({ limit: 6, adviserId: jo.id })).toEqual(
      newestFirst.filter((id) => jos.has(id)),
    );
    expect(await allPages({ limit: 9, sort: 'oldest' }, sam.id)).toEqual(
      oldestFirst.filter((id) => !jos.has(id)),
    );
  });

  it('refuses a cursor it did not make, and reads one it did', async () => {
    const { sam, hold, history } = await setUp(open);
    const first = await hold(recordAt(sam.id, '2026-02-01T10:00:00.000Z'));
    const second = await hold(recordAt(sam.id, '2026-02-02T10:00:00.000Z'));
    for (const cursor of [
      'not-base64!',
      Buffer.from('hello').toString('base64url'),
      Buffer.from(JSON.stringify(['yesterday', first.id])).toString('base64url'),
      Buffer.from(JSON.stringify({ completedAt: first.completedAt })).toString('base64url'),
    ]) {
      const page = await history.page(query({ cursor }), { adviserId: null });
      expect(page, cursor).toEqual({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringContaining('cursor') },
      });
    }
    const after = await history.page(
      query({ cursor: encodeHistoryCursor(second.completedAt, second.id) }),
      { adviserId: null },
    );
    expect(after.ok && after.value.rows.map((row) => row.id)).toEqual([first.id]);
  });

  it.each([
    ['sorting the matches', undefined],
    ['walking the page order', 1],
  ])(
    'searches the redacted text of notes and chat, with the passage that matched (%s)',
    async (_plan, manyMatches) => {
      const { sam, jo, hold, history, ids } = await setUp(open, manyMatches);
      const electrician = await hold(
        recordAt(sam.id, '2026-04-01T10:00:00.000Z', (summary) => ({
          notes: { startingPoint: 'Wants to become an electrician after college.' },
          startingPoint: { ...summary.startingPoint, goals: 'Looking at apprenticeships locally.' },
        })),
      );
      const chatted = await hold(
        recordAt(
          jo.id,
          '2026-04-02T10:00:00.000Z',
          () => ({
            chat: [
              {
                seq: 1,
                from: 'customer',
                text: 'hi can u help with apprenticeship stuff',
                at: '2026-04-02T09:45:00.000Z',
              },
              {
                seq: 2,
                from: 'adviser',
                text: 'Of course. Which trade interests you?',
                at: '2026-04-02T09:46:00.000Z',
              },
            ],
          }),
          { channel: 'webchat', contactRef: randomUUID() },
        ),
      );
      await hold(
        recordAt(sam.id, '2026-04-03T10:00:00.000Z', () => ({
          notes: { barriers: 'Worried about the cost of travel to college.' },
        })),
      );

      expect(await ids({ text: 'electrician' })).toEqual([electrician.id]);
      // Stemmed: the word as typed in another form still matches, in notes and chat.
      expect(await ids({ text: 'apprenticeships' })).toEqual([chatted.id, electrician.id]);
      expect(await ids({ text: 'apprenticeship', sort: 'oldest' })).toEqual([
        electrician.id,
        chatted.id,
      ]);
      // Every word is required, and the other filters still apply.
      expect(await ids({ text: 'college electrician' })).toEqual([electrician.id]);
      expect(await ids({ text: 'college', adviserId: jo.id })).toEqual([]);
      expect(await ids({ text: 'plumber' })).toEqual([]);
      // Search syntax is only words: nothing typed is an operator or an error.
      expect(await ids({ text: '"electrician*' })).toEqual([electrician.id]);
      expect(await ids({ text: 'electrician OR plumber' })).toEqual([]);
      expect(await ids({ text: '** ""' })).toEqual([]);

      const page = await history.page(query({ text: 'electrician' }), { adviserId: null });
      if (!page.ok) throw new Error(page.error.message);
      expect(page.value.rows[0]?.snippet).toMatch(/electrician/i);
      expect(page.value.rows[0]?.snippet?.length).toBeLessThanOrEqual(400);
    },
  );

  it.each([
    ['sorting the matches', undefined],
    ['walking the page order', 1],
  ])(
    'cannot find an interaction by a phone number or email address typed in a note (%s)',
    async (_plan, manyMatches) => {
      const { sam, hold, history, ids } = await setUp(open, manyMatches);
      const noted = await hold(
        recordAt(sam.id, '2026-04-05T10:00:00.000Z', () => ({
          notes: {
            followUp:
              'Mum asked us to ring her on 07700 900123 or email pat.jones@example.org after school.',
          },
        })),
      );
      // The rest of the note is found, so the row is indexed.
      expect(await ids({ text: 'school' })).toEqual([noted.id]);
      for (const text of [
        '07700 900123',
        '07700900123',
        '900123',
        'pat.jones@example.org',
        'jones',
      ]) {
        expect(await ids({ text }), text).toEqual([]);
      }
      const page = await history.page(query({ text: 'school' }), { adviserId: null });
      if (!page.ok) throw new Error(page.error.message);
      expect(page.value.rows[0]?.snippet).not.toMatch(/900123|example\.org/);
    },
  );

  it('indexes the redacted text of held interactions behind them, each once, oldest first', async () => {
    const context = await open();
    const accounts = new KyselyAccounts(context);
    const sam = await accounts.create({
      username: 'sam',
      displayName: 'Sam Adviser',
      roles: ['adviser'],
      passwordHash: 'scrypt$unused',
    });
    const history = new KyselyHistory(context);
    const records = ['01', '02', '03', '04', '05'].map((day) =>
      recordAt(sam.id, `2026-04-${day}T10:00:00.000Z`, () => ({
        notes: { startingPoint: `Wants to train as an electrician; ring 07700 900123 (${day}).` },
      })),
    );
    for (const record of records) await holdInteraction(context, record);
    // An unreadable record is held too (written by hand, or by a much older server).
    await context.db
      .updateTable('interactions')
      .set({ record_json: '{"not":"a record"}' })
      .where('id', '=', records[4]?.id ?? '')
      .execute();
    const search = async () => {
      const page = await history.page(query({ text: 'electrician' }), { adviserId: null });
      if (!page.ok) throw new Error(page.error.message);
      return page.value.rows.map((row) => row.id);
    };
    // Written without search text: nothing is found until the indexer has been by.
    expect(await search()).toEqual([]);

    const redacted: string[] = [];
    const counting = (record: InteractionRecord) => {
      redacted.push(record.id);
      return searchTextFor(record);
    };
    // Two indexers at once (two server processes on PostgreSQL) share the work.
    const done = await Promise.all([
      history.indexSearchText(counting, 2),
      history.indexSearchText(counting, 2),
    ]);
    expect(done.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(2);
    while ((await history.indexSearchText(counting, 2)) > 0);
    if (context.engine === 'postgres') expect(new Set(redacted).size).toBe(redacted.length);
    expect([...new Set(redacted)].sort()).toEqual(
      records
        .slice(0, 4)
        .map((record) => record.id)
        .sort(),
    );
    expect((await search()).sort()).toEqual(
      records
        .slice(0, 4)
        .map((record) => record.id)
        .sort(),
    );
    const texts = await context.db
      .selectFrom('interactions')
      .select(['id', 'search_text'])
      .execute();
    for (const row of texts) {
      expect(row.search_text).not.toBeNull();
      expect(row.search_text).not.toContain('900123');
    }
    expect(texts.find((row) => row.id === records[4]?.id)?.search_text).toBe('');
  });

  it('tidies the search index a little at a time until there is nothing left to merge, and finds the same rows', async () => {
    const { context, sam, hold, history, ids } = await setUp(open);
    // Each held separately: on SQLite each write leaves the index a segment of its own.
    const held: InteractionRecord[] = [];
    for (let day = 1; day <= 24; day += 1) {
      held.push(
        await hold(
          recordAt(sam.id, `2026-05-${String(day).padStart(2, '0')}T10:00:00.000Z`, () => ({
            notes: { startingPoint: day % 3 === 0 ? 'Games designer, maybe' : 'Nursing' },
          })),
        ),
      );
    }
    const games = held.filter((_, index) => (index + 1) % 3 === 0).map((record) => record.id);
    const found = async () => (await ids({ text: 'games designer' })).sort();
    expect(await found()).toEqual([...games].sort());

    let steps = 0;
    while (await history.tidySearchIndex(1)) {
      steps += 1;
      if (steps > 1_000) throw new Error('the search index never finished tidying');
    }
    // SQLite had segments to merge, one page at a time; PostgreSQL's autovacuum keeps its own index.
    if (context.engine === 'sqlite') expect(steps).toBeGreaterThan(0);
    else expect(steps).toBe(0);
    expect(await history.tidySearchIndex(1)).toBe(false);
    expect(await found()).toEqual([...games].sort());
  });

  it('finds a held interaction whole, with its adviser, and nothing for an unknown id', async () => {
    const { sam, hold, history } = await setUp(open);
    const record = await hold(recordAt(sam.id, '2026-04-06T10:00:00.000Z'));
    expect(await history.find(record.id)).toEqual({
      record,
      adviserName: 'Sam Adviser',
      known: [],
    });
    expect(await history.find(randomUUID())).toBeNull();
  });

  it('holds beside a record what the server knows of its contact, and indexes its text with them hidden', async () => {
    const { context, sam, hold, history, ids } = await setUp(open);
    const at = '2026-04-09T10:00:00.000Z';
    const callId = randomUUID();
    await context.db
      .insertInto('calls')
      .values({ id: callId, adviser_id: sam.id, cli: '07700 900777', offered_at: at })
      .execute();
    const call = await hold(recordAt(sam.id, at, () => ({}), { contactRef: callId }));
    const chatId = randomUUID();
    const chats = new KyselyChatStore(context);
    await chats.create({
      id: chatId,
      resumeTokenHash: randomUUID(),
      customerName: 'Jade',
      age: 15,
      deviceKeyHash: null,
      queuedAt: at,
      positionAtJoin: 1,
    });
    await chats.setTranscriptEmail(chatId, 'jade.b@example.org');
    // "jade" with no cue that it is a name: only the chat's own name hides it.
    const chat = await hold(
      recordAt(
        sam.id,
        '2026-04-09T11:00:00.000Z',
        (summary) => ({
          nextSteps: { ...summary.nextSteps, mainPoints: 'jade wants to design games' },
        }),
        { channel: 'webchat', contactRef: chatId },
      ),
    );
    expect((await history.find(call.id))?.known).toEqual([
      { kind: 'PHONE', value: '07700 900777' },
    ]);
    expect((await history.find(chat.id))?.known).toEqual([
      { kind: 'NAME', value: 'Jade' },
      { kind: 'EMAIL', value: 'jade.b@example.org' },
    ]);
    expect(await ids({ text: 'design games' })).toEqual([chat.id]);
    expect(await ids({ text: 'jade' })).toEqual([]);
  });

  it('records each view of personal data, and lists them newest first with who and why', async () => {
    const { sam, jo, hold, history } = await setUp(open);
    const record = await hold(recordAt(sam.id, '2026-04-07T10:00:00.000Z'));
    const first = await history.recordView({
      interactionId: record.id,
      viewerId: jo.id,
      reason: 'Checking the follow-up number before calling back',
      viewedAt: '2026-04-08T09:00:00.000Z',
    });
    const second = await history.recordView({
      interactionId: record.id,
      viewerId: sam.id,
      reason: 'Complaint investigation ref 42',
      viewedAt: '2026-04-08T10:00:00+01:00',
    });
    expect(second).toEqual({
      id: expect.any(String),
      interactionId: record.id,
      viewerId: sam.id,
      viewerName: 'Sam Adviser',
      reason: 'Complaint investigation ref 42',
      viewedAt: '2026-04-08T09:00:00.000Z',
    });
    // Same instant: the later id breaks the tie the same way on both engines.
    const listed = await history.listViews(10);
    expect(listed.map((view) => view.id)).toEqual([first.id, second.id].sort().reverse());
    expect(listed).toContainEqual(first);
    expect(await history.listViews(1)).toHaveLength(1);
  });
});

describe('cursors', () => {
  it('are opaque text safe in a query string', () => {
    expect(encodeHistoryCursor('2026-01-01T00:00:00.000Z', randomUUID())).toMatch(/^[\w-]+$/);
  });
});
