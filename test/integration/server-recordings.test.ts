// Call recordings from the simulated telephony side: an answered call that
// ends leaves a real WAV file in the server's data folder, referenced from the
// call, as long as the call was connected (within the simulator's bounds), and
// only the adviser who took it and team leaders may fetch it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telephonyKeyFile } from '../../server/secrets';
import { recordingBounds, recordingSampleRate } from '../../server/telephony/recording';
import type { CallOffer } from '../../shared/wire/socket';
import { startTestServer, type TestDeskSocket, type TestServer } from './server-harness';

let harness: TestServer;
let telephonyKey: string;
/** The server's clock, moved by the tests so a call lasts exactly as long as they say. */
let clock = Date.parse('2026-11-30T10:00:00.000Z');

beforeAll(async () => {
  harness = await startTestServer({ now: () => clock });
  telephonyKey = readFileSync(join(harness.dataDir, telephonyKeyFile), 'utf8').trim();
});

afterAll(async () => {
  await harness.close();
});

async function offerTo(desk: TestDeskSocket, adviser: string): Promise<string> {
  // Routing rings only an adviser who has chosen Available.
  expect(
    await desk.emitWithAck('adviser:availability', { availability: 'available' }),
  ).toMatchObject({ ok: true });
  const ringing = new Promise<CallOffer>((resolve) => desk.once('call:offered', resolve));
  const response = await fetch(`${harness.server.url}/api/telephony/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telephony-key': telephonyKey },
    body: JSON.stringify({ adviser, cli: '07700900123' }),
  });
  expect(response.status).toBe(201);
  return (await ringing).callId;
}

/** A call answered, connected for `connectedMs` on the server's clock, then ended by the adviser. */
async function callLasting(desk: TestDeskSocket, adviser: string, connectedMs: number) {
  const callId = await offerTo(desk, adviser);
  clock += 2_000;
  expect(await desk.emitWithAck('call:answer', { callId })).toMatchObject({ ok: true });
  clock += connectedMs;
  expect(await desk.emitWithAck('call:end', { callId })).toEqual({ ok: true, value: null });
  return callId;
}

async function fetchRecording(callId: string, username: string | null) {
  const token = username ? (await harness.signIn(username)).accessToken : null;
  return fetch(`${harness.server.url}/api/calls/${callId}/recording`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

interface WaveFile {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  samples: Int16Array;
}

/** Reads a canonical RIFF/WAVE file, checking every size field agrees with the bytes. */
function readWave(bytes: Buffer): WaveFile {
  expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
  expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
  expect(bytes.toString('ascii', 8, 12)).toBe('WAVE');
  expect(bytes.toString('ascii', 12, 16)).toBe('fmt ');
  expect(bytes.readUInt32LE(16)).toBe(16);
  expect(bytes.toString('ascii', 36, 40)).toBe('data');
  const dataBytes = bytes.readUInt32LE(40);
  expect(dataBytes).toBe(bytes.length - 44);
  const channels = bytes.readUInt16LE(22);
  const sampleRate = bytes.readUInt32LE(24);
  const bitsPerSample = bytes.readUInt16LE(34);
  expect(bytes.readUInt32LE(28)).toBe((sampleRate * channels * bitsPerSample) / 8);
  expect(bytes.readUInt16LE(32)).toBe((channels * bitsPerSample) / 8);
  const samples = new Int16Array(dataBytes / 2);
  for (let index = 0; index < samples.length; index += 1)
    samples[index] = bytes.readInt16LE(44 + index * 2);
  return { format: bytes.readUInt16LE(20), channels, sampleRate, bitsPerSample, samples };
}

const seconds = (wave: WaveFile) => wave.samples.length / wave.sampleRate;
const loudest = (wave: WaveFile) =>
  wave.samples.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);

describe('call recordings', () => {
  it('keeps a WAV as long as the call was connected, referenced from the call, for the adviser who took it', async () => {
    const desk = await harness.connectDesk('demo-adviser');
    const callId = await callLasting(desk, 'demo-adviser', 4_500);

    const call = await harness.server.storage.calls.find(callId);
    expect(call?.recordingRef).toEqual(expect.any(String));
    expect(existsSync(join(harness.dataDir, 'recordings', call?.recordingRef ?? 'none'))).toBe(
      true,
    );

    const response = await fetchRecording(callId, 'demo-adviser');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const wave = readWave(Buffer.from(await response.arrayBuffer()));
    expect(wave).toMatchObject({
      format: 1,
      channels: 1,
      sampleRate: recordingSampleRate,
      bitsPerSample: 16,
    });
    expect(seconds(wave)).toBe(4.5);
    // Tones, not silence: DTMF pairs at a little over two thirds of full scale.
    expect(loudest(wave)).toBeGreaterThan(16_000);
  });

  it('keeps recordings short: a long call is capped, a very short one has the minimum', async () => {
    const desk = await harness.connectDesk('demo-adviser');
    const long = await callLasting(desk, 'demo-adviser', 25 * 60_000);
    const short = await callLasting(desk, 'demo-adviser', 200);
    const lengthOf = async (callId: string) =>
      seconds(
        readWave(Buffer.from(await (await fetchRecording(callId, 'demo-leader')).arrayBuffer())),
      );
    expect(await lengthOf(long)).toBe(recordingBounds.maxMs / 1_000);
    expect(await lengthOf(short)).toBe(recordingBounds.minMs / 1_000);
  });

  it('serves it to team leaders, and refuses trainers, other advisers and strangers', async () => {
    const desk = await harness.connectDesk('demo-adviser');
    const callId = await callLasting(desk, 'demo-adviser', 3_000);

    expect((await fetchRecording(callId, 'demo-leader')).status).toBe(200);
    // A trainer hears recordings once the history view hides personal data; not before.
    expect((await fetchRecording(callId, 'demo-trainer')).status).toBe(403);

    const otherAdviser = await fetchRecording(callId, 'demo-adviser-2');
    expect(otherAdviser.status).toBe(403);
    expect(await otherAdviser.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await fetchRecording(callId, 'demo-editor')).status).toBe(403);
    expect((await fetchRecording(callId, null)).status).toBe(401);
    expect((await fetchRecording('no-such-call', 'demo-leader')).status).toBe(404);
  });

  it('has no recording for a call that ended before it was answered', async () => {
    const desk = await harness.connectDesk('demo-adviser');
    const callId = await offerTo(desk, 'demo-adviser');
    const hangUp = await fetch(`${harness.server.url}/api/telephony/calls/${callId}/end`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telephony-key': telephonyKey },
      body: '{}',
    });
    expect(hangUp.status).toBe(200);
    expect((await harness.server.storage.calls.find(callId))?.recordingRef).toBeNull();
    const response = await fetchRecording(callId, 'demo-adviser');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
