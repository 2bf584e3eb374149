// The simulated telephony side: a call offered over HTTP rings on the
// adviser's connected desk, is answered and ended from the desk or by the
// customer, and a second answer or end is a conflict. A call rung to a named
// adviser is routing's decision: it rings only an adviser who is available,
// whichever server process the call comes in on.
// Also drives the `npm run call` command against the running server.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/app';
import { telephonyKeyFile } from '../../server/secrets';
import type { AdviserAvailability, AdviserPresence } from '../../shared/wire/chat';
import type { CallEnded, CallOffer } from '../../shared/wire/socket';
import { postgresAvailable } from '../support/postgres';
import { startTestServer, type TestDeskSocket, type TestServer } from './server-harness';

let harness: TestServer;
let telephonyKey: string;

beforeAll(async () => {
  harness = await startTestServer();
  telephonyKey = readFileSync(join(harness.dataDir, telephonyKeyFile), 'utf8').trim();
});

afterAll(async () => {
  await harness.close();
});

async function telephony(path: string, body: unknown, key = telephonyKey) {
  const response = await fetch(`${harness.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telephony-key': key },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; value?: { callId: string } },
  };
}

async function choose(desk: TestDeskSocket, availability: AdviserAvailability) {
  const chosen = await desk.emitWithAck('adviser:availability', { availability });
  if (!chosen.ok) throw new Error(`availability refused: ${chosen.error.message}`);
  return chosen.value;
}

/** A desk whose adviser has chosen Available, as an adviser does before taking calls. */
async function availableDesk(username: string): Promise<TestDeskSocket> {
  const desk = await harness.connectDesk(username);
  await choose(desk, 'available');
  return desk;
}

const nextOffer = (desk: TestDeskSocket) =>
  new Promise<CallOffer>((resolve) => desk.once('call:offered', resolve));
const nextEnded = (desk: TestDeskSocket) =>
  new Promise<CallEnded>((resolve) => desk.once('call:ended', resolve));

describe('telephony simulator', () => {
  it('rings the adviser’s desk; the desk answers and ends; a second answer or end is a conflict', async () => {
    const desk = await availableDesk('demo-adviser');
    const ringing = nextOffer(desk);
    const offered = await telephony('/api/telephony/calls', {
      adviser: 'demo-adviser',
      cli: '07700900123',
    });
    expect(offered.status).toBe(201);
    const offer = await ringing;
    expect(offer).toMatchObject({
      callId: offered.body.value?.callId,
      channel: 'voice',
      cli: '07700900123',
    });

    const answered = await desk.emitWithAck('call:answer', { callId: offer.callId });
    expect(answered).toMatchObject({ ok: true, value: { callId: offer.callId } });
    expect(await desk.emitWithAck('call:answer', { callId: offer.callId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    expect(await desk.emitWithAck('call:end', { callId: offer.callId })).toEqual({
      ok: true,
      value: null,
    });
    expect(await desk.emitWithAck('call:end', { callId: offer.callId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await harness.server.storage.calls.find(offer.callId)).toMatchObject({
      cli: '07700900123',
      connectedAt: expect.any(String),
      endedAt: expect.any(String),
      endedBy: 'adviser',
    });
  });

  it('tells the desk when the customer hangs up, and refuses a second hang-up', async () => {
    const desk = await availableDesk('demo-adviser');
    const ringing = nextOffer(desk);
    await telephony('/api/telephony/calls', { adviser: 'demo-adviser' });
    const offer = await ringing;
    expect(offer.cli).toBeNull();
    await desk.emitWithAck('call:answer', { callId: offer.callId });

    const hangUp = nextEnded(desk);
    const ended = await telephony(`/api/telephony/calls/${offer.callId}/end`, {});
    expect(ended.status).toBe(200);
    expect(await hangUp).toMatchObject({ callId: offer.callId, endedBy: 'customer' });
    expect(await telephony(`/api/telephony/calls/${offer.callId}/end`, {})).toMatchObject({
      status: 409,
      body: { ok: false },
    });
    expect(await desk.emitWithAck('call:end', { callId: offer.callId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('does not let another adviser answer the call', async () => {
    const desk = await availableDesk('demo-adviser');
    const otherDesk = await harness.connectDesk('demo-adviser-2');
    const ringing = nextOffer(desk);
    await telephony('/api/telephony/calls', { adviser: 'demo-adviser' });
    const offer = await ringing;
    expect(await otherDesk.emitWithAck('call:answer', { callId: offer.callId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await otherDesk.emitWithAck('call:answer', { wrong: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    // The caller gives up: the adviser's line is free for the tests that follow.
    expect((await telephony(`/api/telephony/calls/${offer.callId}/end`, {})).status).toBe(200);
  });

  it('rings only an adviser routing has as available, says why not, and holds their line while it rings', async () => {
    // demo-leader also advises; signed in, but has not chosen Available.
    const desk = await harness.connectDesk('demo-leader');
    const rang: CallOffer[] = [];
    desk.on('call:offered', (offer) => rang.push(offer));
    const presences: AdviserPresence[] = [];
    desk.on('adviser:presence', (presence) => presences.push(presence));

    for (const [availability, said] of [
      ['offline', 'Offline'],
      ['busy', 'Busy'],
      ['break', 'on a break'],
      ['wrap-up', 'in wrap-up'],
    ] as const) {
      if (availability !== 'offline') await choose(desk, availability);
      const refused = await telephony('/api/telephony/calls', { adviser: 'demo-leader' });
      expect(refused.status).toBe(409);
      expect(JSON.stringify(refused.body)).toContain(`The adviser is ${said}`);
    }
    // Anything rung would have reached the desk before the answer to this, on the same socket.
    await choose(desk, 'available');
    expect(rang).toEqual([]);

    const ringing = nextOffer(desk);
    const offered = await telephony('/api/telephony/calls', { adviser: 'demo-leader' });
    expect(offered.status).toBe(201);
    const offer = await ringing;
    // Ringing, the call fills the adviser's room: routing offers nothing on top of it.
    await choose(desk, 'available');
    expect(presences.at(-1)).toMatchObject({ availability: 'available', onCall: true });

    expect((await telephony(`/api/telephony/calls/${offer.callId}/end`, {})).status).toBe(200);
    expect((await choose(desk, 'available')).onCall).toBe(false);
    // Left available, this desk would be offered the queued calls of the tests that follow.
    desk.disconnect();
  });

  it('passes a declined call on: rung straight to the adviser, it stops ringing on their other desk and queues for the next adviser; routed from the queue, it goes to the next adviser', async () => {
    const desk = await availableDesk('demo-adviser');
    const sameAdviser = await harness.connectDesk('demo-adviser');
    const other = await availableDesk('demo-adviser-2');
    const ringing = nextOffer(desk);
    await telephony('/api/telephony/calls', { adviser: 'demo-adviser', cli: '07700900321' });
    const direct = await ringing;

    // Only the adviser it rings for may decline it.
    expect(await other.emitWithAck('call:decline', { callId: direct.callId })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const stopped = nextEnded(sameAdviser);
    const passedOn = nextOffer(other);
    expect(await desk.emitWithAck('call:decline', { callId: direct.callId })).toEqual({
      ok: true,
      value: null,
    });
    expect(await stopped).toMatchObject({ callId: direct.callId, endedBy: 'adviser' });
    expect(await harness.server.storage.calls.find(direct.callId)).toMatchObject({
      connectedAt: null,
      endedAt: expect.any(String),
      endedBy: 'adviser',
    });
    // The caller was not turned away: the queue offers them to the other adviser.
    const queued = await passedOn;
    expect(queued).toMatchObject({ cli: '07700900321' });
    expect(queued.callId).not.toBe(direct.callId);
    expect(await other.emitWithAck('call:answer', { callId: queued.callId })).toMatchObject({
      ok: true,
    });
    // Their wait counts from when the call first rang, not from the decline.
    expect((await harness.server.storage.calls.find(queued.callId))?.offeredAt).toBe(
      direct.offeredAt,
    );
    // Answered, a call can no longer be declined.
    expect(await other.emitWithAck('call:decline', { callId: queued.callId })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await other.emitWithAck('call:end', { callId: queued.callId })).toMatchObject({
      ok: true,
    });

    // A call from the queue, declined by whoever routing offered it to, goes to the other.
    const offeredTo = (to: TestDeskSocket) => nextOffer(to).then((offer) => ({ to, offer }));
    const firstOffer = Promise.race([offeredTo(desk), offeredTo(other)]);
    const fromQueue = await telephony('/api/telephony/queue', { cli: '07700900654' });
    const callId = fromQueue.body.value?.callId;
    const first = await firstOffer;
    expect(first.offer.callId).toBe(callId);
    const secondDesk = first.to === desk ? other : desk;
    const offeredNext = nextOffer(secondDesk);
    expect(await first.to.emitWithAck('call:decline', { callId })).toEqual({
      ok: true,
      value: null,
    });
    expect((await offeredNext).callId).toBe(callId);
    // The caller gives up while offered: the advisers' lines are free for the tests that follow.
    expect((await telephony(`/api/telephony/calls/${String(callId)}/end`, {})).status).toBe(200);
  });

  it('refuses a call for an adviser who is not signed in on any desk', async () => {
    const answer = await telephony('/api/telephony/calls', { adviser: 'demo-editor' });
    expect(answer.status).toBe(409);
    expect(JSON.stringify(answer.body)).toContain('not signed in on any desk');
    expect((await telephony('/api/telephony/calls', { adviser: 'nobody' })).status).toBe(404);
    expect((await telephony('/api/telephony/calls', { adviser: 'demo-trainer' })).status).toBe(404);
    expect((await telephony('/api/telephony/calls/no-such-call/end', {})).status).toBe(404);
  });

  it('refuses a wrong or missing telephony key', async () => {
    expect(
      (await telephony('/api/telephony/calls', { adviser: 'demo-adviser' }, 'wrong')).status,
    ).toBe(401);
    const response = await fetch(`${harness.server.url}/api/telephony/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ adviser: 'demo-adviser' }),
    });
    expect(response.status).toBe(401);
  });
});

function runCallCommand(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/call.ts', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TELEPHONY_KEY: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the call command', () => {
  it('offers a call with the key from the data folder, and ends it', async () => {
    const desk = await availableDesk('demo-adviser-2');
    const ringing = nextOffer(desk);
    const common = ['--server', harness.server.url, '--data-dir', harness.dataDir];
    const offered = await runCallCommand([
      '--adviser',
      'demo-adviser-2',
      '--cli',
      '07700900123',
      ...common,
    ]);
    expect(offered.code).toBe(0);
    const offer = await ringing;
    expect(offered.stdout.trim()).toBe(`call ${offer.callId} offered to demo-adviser-2`);

    const hangUp = nextEnded(desk);
    const ended = await runCallCommand(['--end', offer.callId, ...common]);
    expect(ended.code).toBe(0);
    expect(await hangUp).toMatchObject({ callId: offer.callId, endedBy: 'customer' });
  });

  it('says clearly why a call could not be offered, and exits non-zero', async () => {
    const common = ['--server', harness.server.url, '--data-dir', harness.dataDir];
    const notSignedIn = await runCallCommand(['--adviser', 'demo-editor', ...common]);
    expect(notSignedIn.code).toBe(1);
    expect(notSignedIn.stderr).toContain('not signed in on any desk');

    // Signed in, but not available: the command says so rather than ringing an empty chair.
    const onBreak = await harness.connectDesk('demo-editor');
    await choose(onBreak, 'break');
    const notAvailable = await runCallCommand(['--adviser', 'demo-editor', ...common]);
    expect(notAvailable.code).toBe(1);
    expect(notAvailable.stderr).toContain('refused (conflict): The adviser is on a break');

    const noServer = await runCallCommand([
      '--adviser',
      'demo-adviser',
      '--server',
      'http://127.0.0.1:1',
      '--data-dir',
      harness.dataDir,
    ]);
    expect(noServer.code).toBe(1);
    expect(noServer.stderr).toContain('is not answering');

    const badArgs = await runCallCommand(['--cli', '07700900123', ...common]);
    expect(badArgs.code).toBe(2);
    expect(badArgs.stderr).toContain('Usage');
  });
});

// A direct call may come in on any server process; routing lives in one of them
// (decision 0014). The process that takes the call asks the routing owner, so
// an adviser who is not available is not rung whichever process the call
// reached. Off CI, a machine without PostgreSQL skips this part.
describe.skipIf(!postgresAvailable() && !process.env.CI)(
  'direct calls through a process that does not route',
  () => {
    let owner: TestServer;
    let other: RunningServer;

    beforeAll(async () => {
      owner = await startTestServer({ engine: 'postgres' });
      // The second process on the same database and data folder: the first owns routing.
      other = await startServer({
        dataDir: owner.dataDir,
        databaseUrl: owner.databaseUrl,
        port: 0,
        host: '127.0.0.1',
        log: (line) => owner.log.push(`[second process] ${line}`),
      });
    });

    afterAll(async () => {
      await other?.close();
      await owner?.close();
    });

    it('rings only when the routing owner has the adviser as available', async () => {
      const key = readFileSync(join(owner.dataDir, telephonyKeyFile), 'utf8').trim();
      const ringThroughOther = async () => {
        const response = await fetch(`${other.url}/api/telephony/calls`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telephony-key': key },
          body: JSON.stringify({ adviser: 'demo-adviser' }),
        });
        return { status: response.status, body: JSON.stringify(await response.json()) };
      };
      expect(other.url).not.toBe(owner.server.url);
      expect(owner.log).toContain('routing: this process routes chats and calls');
      // The adviser's desk is on the owner; the call comes in on the other process.
      const desk = await owner.connectDesk('demo-adviser');
      const offline = await ringThroughOther();
      expect(offline.status).toBe(409);
      expect(offline.body).toContain('The adviser is Offline');

      await choose(desk, 'available');
      const ringing = nextOffer(desk);
      expect((await ringThroughOther()).status).toBe(201);
      const offer = await ringing;
      expect(await desk.emitWithAck('call:answer', { callId: offer.callId })).toMatchObject({
        ok: true,
      });
      expect(await desk.emitWithAck('call:end', { callId: offer.callId })).toMatchObject({
        ok: true,
      });

      await choose(desk, 'busy');
      const busy = await ringThroughOther();
      expect(busy.status).toBe(409);
      expect(busy.body).toContain('The adviser is Busy');
    });
  },
);
