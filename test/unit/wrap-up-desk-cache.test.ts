// The desk's copies of the operator's settings (the outcome codes, the service
// hours): fetched from the server when online, kept in the desk's SQLite
// settings, answered from there with the network down, left as they were when
// the server fails, and the built-in values on a desk that has never reached
// the server.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../shared/ipc/contract';
import { defaultOutcomeCodes, type OutcomeCode } from '../../shared/interaction/outcome-codes';
import { openLocalDb, writeSetting, type LocalDb } from '../../electron/services/local-db';
import { DeskOutcomeCodes, OUTCOME_CODES_SETTING } from '../../electron/services/outcome-codes';
import { DeskServiceHours, SERVICE_HOURS_SETTING } from '../../electron/services/service-hours';
import { defaultServiceHours } from '../../shared/time/service-hours';
import { tempDataDir } from './desk-fixtures';

const operatorCodes: OutcomeCode[] = [
  { id: 'advice_given', label: 'Advice given' },
  { id: 'signposted', label: 'Signposted' },
];

class FakeConnection {
  state: ConnectionState = 'online';
  requestToken = () => Promise.resolve('access-token');
}

/** A server answering with `answer` (a result envelope) and HTTP `status`, counting requests. */
function fakeServer(answer: unknown, status = 200) {
  const requests: { url: string; authorization: string | null }[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    requests.push({
      url: String(input),
      authorization: new Headers(init?.headers).get('authorization'),
    });
    return Promise.resolve(
      new Response(JSON.stringify(answer), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
  return { fetch, requests };
}

const opened: LocalDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function desk(fetch: typeof globalThis.fetch, connection = new FakeConnection()) {
  const db = openLocalDb(tempDataDir('outcome-codes'));
  opened.push(db);
  const codes = new DeskOutcomeCodes(db, connection, {
    serverUrl: 'http://127.0.0.1:4300',
    fetch,
    now: () => new Date('2026-03-02T09:00:00.000Z'),
  });
  return { db, codes, connection };
}

describe('the outcome codes on the desk', () => {
  it('leave the database alone when the desk stops with a fetch still on its way', async () => {
    let answer: (response: Response) => void = () => undefined;
    const slow: typeof globalThis.fetch = () =>
      new Promise<Response>((resolve) => {
        answer = resolve;
      });
    const { db, codes } = desk(slow);
    const refreshing = codes.refresh();
    // The desk stops: its database closes while the server has not answered yet.
    codes.stop();
    db.close();
    opened.splice(opened.indexOf(db), 1);
    answer(
      new Response(JSON.stringify({ ok: true, value: { codes: operatorCodes } }), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    await expect(refreshing).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('are the built-in list on a desk that has never reached the server', async () => {
    const { codes, connection } = desk(
      fakeServer({ ok: true, value: { codes: operatorCodes } }).fetch,
    );
    connection.state = 'offline';
    await expect(codes.forWrapUp()).resolves.toEqual({
      ok: true,
      value: { codes: defaultOutcomeCodes, source: 'built_in', fetchedAt: null },
    });
  });

  it('are fetched with the access token, cached, and answered from the cache offline', async () => {
    const server = fakeServer({ ok: true, value: { codes: operatorCodes } });
    const { codes, connection } = desk(server.fetch);
    await codes.refresh();
    expect(server.requests).toEqual([
      {
        url: 'http://127.0.0.1:4300/api/wrap-up/outcome-codes',
        authorization: 'Bearer access-token',
      },
    ]);
    connection.state = 'offline';
    await expect(codes.forWrapUp()).resolves.toEqual({
      ok: true,
      value: { codes: operatorCodes, source: 'server', fetchedAt: '2026-03-02T09:00:00.000Z' },
    });
    // Answered from the cache: nothing more was asked of the server.
    expect(server.requests).toHaveLength(1);
  });

  it('asks the server first when a wrap-up finds only the built-in list and the desk is online', async () => {
    const server = fakeServer({ ok: true, value: { codes: operatorCodes } });
    const { codes } = desk(server.fetch);
    const answer = await codes.forWrapUp();
    expect(answer.ok && answer.value.codes).toEqual(operatorCodes);
    expect(server.requests).toHaveLength(1);
  });

  it('keep the cached list when the server fails or answers a list that breaks the rules', async () => {
    const good = desk(fakeServer({ ok: true, value: { codes: operatorCodes } }).fetch);
    await good.codes.refresh();
    const cached = good.codes.current();

    const failing = new DeskOutcomeCodes(good.db, good.connection, {
      serverUrl: 'http://127.0.0.1:4300',
      fetch: fakeServer({ ok: false, error: { code: 'internal', message: 'Down' } }, 500).fetch,
    });
    expect((await failing.refresh()).ok).toBe(false);
    expect(failing.current()).toEqual(cached);

    const duplicated = new DeskOutcomeCodes(good.db, good.connection, {
      serverUrl: 'http://127.0.0.1:4300',
      fetch: fakeServer({ ok: true, value: { codes: [operatorCodes[0], operatorCodes[0]] } }).fetch,
    });
    expect((await duplicated.refresh()).ok).toBe(false);
    expect(duplicated.current()).toEqual(cached);
  });

  it('fall back to the built-in list when the cached copy is damaged', () => {
    const { db, codes } = desk(fakeServer(null).fetch);
    writeSetting(db, OUTCOME_CODES_SETTING, '{ not json');
    expect(codes.current().source).toBe('built_in');
    writeSetting(db, OUTCOME_CODES_SETTING, JSON.stringify({ codes: [], source: 'server' }));
    expect(codes.current().codes).toEqual(defaultOutcomeCodes);
  });
});

describe('the service hours on the desk', () => {
  /** The server's public service answer (GET /api/chat/service) with these hours. */
  const serviceAnswer = (opensAt: string, closesAt: string) => ({
    ok: true,
    value: {
      open: true,
      opensAt,
      closesAt,
      timeZone: 'Europe/London',
      nextOpening: '2026-03-02T09:00:00.000Z',
      now: '2026-03-02T09:00:00.000Z',
      emergency: [{ name: 'Childline', how: 'Call 0800 1111' }],
    },
  });

  function deskHours(fetch: typeof globalThis.fetch) {
    const db = openLocalDb(tempDataDir('service-hours'));
    opened.push(db);
    const connection = new FakeConnection();
    const hours = new DeskServiceHours(db, connection, {
      serverUrl: 'http://127.0.0.1:4300',
      fetch,
      now: () => new Date('2026-03-02T09:00:00.000Z'),
    });
    return { db, hours, connection };
  }

  it('are the built-in 08:00 to 22:00 on a desk that has never reached the server', async () => {
    const { hours, connection } = deskHours(fakeServer(serviceAnswer('09:00', '17:00')).fetch);
    connection.state = 'offline';
    await expect(hours.forUse()).resolves.toEqual({
      ok: true,
      value: { hours: defaultServiceHours, source: 'built_in', fetchedAt: null },
    });
  });

  it("are the server's chat hours, asked without a token, and kept for offline", async () => {
    const server = fakeServer(serviceAnswer('09:00', '17:30'));
    const { hours, connection } = deskHours(server.fetch);
    await hours.refresh();
    expect(server.requests).toEqual([
      { url: 'http://127.0.0.1:4300/api/chat/service', authorization: null },
    ]);
    connection.state = 'offline';
    await expect(hours.forUse()).resolves.toEqual({
      ok: true,
      value: {
        hours: { opensAt: { hour: 9, minute: 0 }, closesAt: { hour: 17, minute: 30 } },
        source: 'server',
        fetchedAt: '2026-03-02T09:00:00.000Z',
      },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('keep the cached hours when the server answers hours that do not parse', async () => {
    const good = deskHours(fakeServer(serviceAnswer('09:00', '17:00')).fetch);
    await good.hours.refresh();
    const cached = good.hours.current();
    const broken = new DeskServiceHours(good.db, good.connection, {
      serverUrl: 'http://127.0.0.1:4300',
      fetch: fakeServer(serviceAnswer('18:00', '09:00')).fetch,
    });
    await expect(broken.refresh()).resolves.toMatchObject({ ok: false });
    expect(broken.current()).toEqual(cached);
    writeSetting(good.db, SERVICE_HOURS_SETTING, '{ not json');
    expect(good.hours.current().hours).toEqual(defaultServiceHours);
  });
});
