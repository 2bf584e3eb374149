// The desk's server connection against the real central server: sign-in
// answers, a stored session resumed on the next start, calls offered and ended
// by the telephony side arriving as desk events, and answering and ending a call.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskStatus } from '../../shared/ipc/contract';
import { staffMemberSchema } from '../../shared/domain/people';
import { createDeskServices, type DeskServices } from '../../electron/services/desk';
import {
  demoAdviser,
  nextEvent,
  startCentralServer,
  type CentralServer,
} from './desk-server-access';

const root = mkdtempSync(join(tmpdir(), 'adviser-desk-connection-'));
let server: CentralServer;
const desks: DeskServices[] = [];

beforeAll(async () => {
  server = await startCentralServer(join(root, 'server'));
});

afterAll(async () => {
  for (const desk of desks) await desk.stop();
  await server?.close();
});

function startDesk(name: string): DeskServices {
  const desk = createDeskServices({ dataDir: join(root, name), serverUrl: server.url });
  desks.push(desk);
  desk.start();
  return desk;
}

function online(desk: DeskServices): Promise<DeskStatus> {
  const current = desk.status();
  if (current.connection === 'online') return Promise.resolve(current);
  return nextEvent(desk, 'statusChanged', (status) => status.connection === 'online');
}

describe('the desk connection to the central server', () => {
  it('answers a wrong password with unauthenticated and stays signed out', async () => {
    const desk = startDesk('wrong-password');
    const answer = await desk.dispatch('signIn', {
      username: demoAdviser.username,
      password: 'not-it',
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(desk.status()).toMatchObject({ connection: 'signed_out', user: null });
  });

  it('signs in, goes online, and resumes the stored session on the next start', async () => {
    const first = startDesk('resume');
    const signedIn = await first.dispatch('signIn', demoAdviser);
    expect(signedIn.ok).toBe(true);
    const user = staffMemberSchema.parse(signedIn.ok ? signedIn.value : null);
    expect(user.username).toBe(demoAdviser.username);
    expect((await online(first)).user).toEqual(user);
    await first.stop();

    const again = startDesk('resume');
    expect(again.status().user).toEqual(user);
    await online(again);

    expect(await again.dispatch('signOut', null)).toEqual({ ok: true, value: null });
    expect(again.status()).toMatchObject({ connection: 'signed_out', user: null });
  });

  it('rings with an offered call, answers it, and ends it', async () => {
    const desk = startDesk('calls');
    const signedIn = await desk.dispatch('signIn', demoAdviser);
    const adviser = staffMemberSchema.parse(signedIn.ok ? signedIn.value : null);
    await online(desk);
    // Routing rings only an adviser who has chosen Available.
    expect(await desk.dispatch('setAvailability', { availability: 'available' })).toMatchObject({
      ok: true,
    });

    const ringing = nextEvent(desk, 'callOffered');
    const offered = await server.telephony.offer(adviser.id, '07700900123');
    if (!offered.ok) throw new Error(offered.error.message);
    expect(await ringing).toEqual(offered.value);

    const answered = await desk.dispatch('answerCall', { callId: offered.value.callId });
    expect(answered).toMatchObject({ ok: true, value: { callId: offered.value.callId } });
    expect(await desk.dispatch('endCall', { callId: offered.value.callId })).toEqual({
      ok: true,
      value: null,
    });
    // Ending it twice is the server's call to refuse; the desk passes its envelope on.
    const again = await desk.dispatch('endCall', { callId: offered.value.callId });
    expect(again.ok).toBe(false);
  });

  it('passes on a hang-up by the customer as a desk event', async () => {
    const desk = startDesk('hang-up');
    const signedIn = await desk.dispatch('signIn', demoAdviser);
    const adviser = staffMemberSchema.parse(signedIn.ok ? signedIn.value : null);
    await online(desk);
    expect(await desk.dispatch('setAvailability', { availability: 'available' })).toMatchObject({
      ok: true,
    });
    const ringing = nextEvent(desk, 'callOffered');
    const offered = await server.telephony.offer(adviser.id, null);
    if (!offered.ok) throw new Error(offered.error.message);
    await ringing;
    const hungUp = nextEvent(desk, 'callEnded', (ended) => ended.callId === offered.value.callId);
    await server.telephony.end(offered.value.callId, 'customer', null);
    expect(await hungUp).toMatchObject({ callId: offered.value.callId, endedBy: 'customer' });
  });

  it('answers call requests with unavailable while signed out', async () => {
    const desk = startDesk('signed-out');
    expect(await desk.dispatch('answerCall', { callId: 'call-1' })).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });
});
