// The desk services in a process of their own, as Electron runs them: the
// real services (local database, outbox, server connection) on one end of a
// message port, the main process's client on the other. Node's own
// MessageChannel stands in for Electron's utility-process port (the Electron
// binary cannot run here); messages cross it by structured clone, as there.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskServices } from '../../electron/services/desk';
import {
  DeskServicesClient,
  serveDeskServices,
  type MessageLink,
  type ServicesOpen,
} from '../../electron/services/host-protocol';
import { keptDeskKeys } from '../../electron/services/desk-keys';
import {
  DeskDatabaseKeyError,
  deskIdOf,
  LOCAL_DB_FILE,
  openLocalDb,
} from '../../electron/services/local-db';
import { chacha20Desk } from '../../electron/services/local-db-cipher.testing';
import { servicesOptionsFrom } from '../../electron/services/services-open';
import { tempDataDir, xorEncryptor } from './desk-fixtures';

const linkOver = (port: MessagePort): MessageLink => ({
  post: (message) => port.postMessage(message),
  onMessage(listener) {
    port.on('message', listener);
    return () => port.off('message', listener);
  },
});

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** The services process's end served with the real desk services, and the main process's client. */
function servicesProcess() {
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  const opened: string[] = [];
  const problems: string[] = [];
  const served = serveDeskServices(
    linkOver(channel.port2),
    (open: ServicesOpen, host) => {
      opened.push(open.dataDir);
      // As electron/desk-services.ts makes them: the folder, the server and the keys from
      // `open`, and the main process's links and conversion notice through `host`.
      return createDeskServices(servicesOptionsFrom(open, host));
    },
    (problem) => problems.push(problem),
  );
  const openedLinks: string[] = [];
  const conversions: number[] = [];
  const clientProblems: string[] = [];
  const client = new DeskServicesClient(
    linkOver(channel.port1),
    {
      openExternal(url) {
        openedLinks.push(url);
        return Promise.resolve();
      },
      converting: ({ bytes }) => conversions.push(bytes),
    },
    { stopTimeoutMs: 5_000 },
    (problem) => clientProblems.push(problem),
  );
  return { client, served, opened, problems, openedLinks, conversions, clientProblems, channel };
}

/** What the main process sends: its keys are kept under the key store, here a stand-in. */
const openWith = (dataDir: string) => {
  const keys = keptDeskKeys(dataDir, xorEncryptor());
  return {
    dataDir,
    // Nothing listens here: the desk works offline, as it must.
    serverUrl: 'http://127.0.0.1:9',
    logLevel: 'silent',
    sessionKey: keys.sessionKey?.toString('base64') ?? null,
    databaseKey: keys.databaseKey.toString('base64'),
    retentionDays: 30,
  };
};

describe('the desk services in their own process', () => {
  it('opens the services there, answers requests and forwards their events, and stops them', async () => {
    const dataDir = tempDataDir('services-process');
    const { client, served } = servicesProcess();
    await expect(client.open(openWith(dataDir))).resolves.toEqual({ ok: true, value: null });

    const events: string[] = [];
    client.onEvent((name) => events.push(name));
    const status = await client.dispatch('status', null);
    expect(status).toMatchObject({ ok: true, value: { deskId: client.deskId } });
    client.start();
    // Starting puts the connection to work: its state change arrives as an event.
    await expect.poll(() => events.includes('statusChanged')).toBe(true);
    // A request the contract does not know is answered by the services, not dropped.
    await expect(client.dispatch('noSuchRequest', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    await client.stop();
    await served;
    // Stopped means the database was closed: it opens again here with the key the main
    // process handed over, with the same desk id, and without that key not at all.
    const databaseKey = keptDeskKeys(dataDir, xorEncryptor()).databaseKey;
    const db = openLocalDb(dataDir, { key: databaseKey });
    expect(deskIdOf(db)).toBe(client.deskId);
    db.close();
    expect(() => openLocalDb(dataDir)).toThrow(DeskDatabaseKeyError);
    expect(readFileSync(join(dataDir, LOCAL_DB_FILE)).includes(client.deskId)).toBe(false);
    await expect(client.dispatch('status', null)).resolves.toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });

  it('opens a checked link through the main process, and only a checked one', async () => {
    const { client, served, openedLinks } = servicesProcess();
    await client.open(openWith(tempDataDir('services-links')));
    await expect(
      client.dispatch('openExternalLink', { url: 'https://www.gov.uk/16-19-bursary-fund' }),
    ).resolves.toMatchObject({ ok: true, value: { openedBy: 'desk' } });
    await expect(
      client.dispatch('openExternalLink', { url: 'http://127.0.0.1:8080/admin' }),
    ).resolves.toMatchObject({ ok: false });
    expect(openedLinks).toEqual(['https://www.gov.uk/16-19-bursary-fund']);
    await client.stop();
    await served;
  });

  it('answers every waiting request "unavailable" when the services process ends, and every later one', async () => {
    const { client, channel } = servicesProcess();
    await client.open(openWith(tempDataDir('services-gone')));
    // The services' end stops listening: a request now waits for an answer that never comes.
    channel.port2.removeAllListeners('message');
    const waiting = client.dispatch('status', null);
    client.closed('The desk services stopped (exit code 1)');
    await expect(waiting).resolves.toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'The desk services stopped (exit code 1)' },
    });
    await expect(client.dispatch('status', null)).resolves.toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });

  it('says why the services could not open, and ignores a malformed message on either side', async () => {
    const { client, problems, clientProblems, channel } = servicesProcess();
    channel.port1.postMessage({ type: 'request', id: 42 });
    channel.port2.postMessage({ type: 'ready' });
    // A data folder that is a file: the database cannot be made there.
    const notAFolder = join(tempDataDir('services-broken'), 'file');
    writeFileSync(notAFolder, 'not a folder');
    const opened = await client.open({
      ...openWith(tempDataDir('services-broken-keys')),
      dataDir: notAFolder,
    });
    expect(opened).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(opened.ok ? '' : opened.error.message).toMatch(/^The desk services could not open: /);
    expect(problems).toEqual([expect.stringContaining('ignored')]);
    expect(clientProblems).toEqual([expect.stringContaining('ignored')]);
  });

  it('says so when the database key handed over does not open the database', async () => {
    const dataDir = tempDataDir('services-wrong-key');
    const first = servicesProcess();
    await first.client.open(openWith(dataDir));
    await first.client.stop();
    await first.served;

    // Another machine's key store sealed these keys: the database is not theirs to open.
    const { client } = servicesProcess();
    const otherKeys = keptDeskKeys(tempDataDir('services-other-keys'), xorEncryptor(true, 0x33));
    const opened = await client.open({
      ...openWith(dataDir),
      databaseKey: otherKeys.databaseKey.toString('base64'),
    });
    expect(opened.ok ? '' : opened.error.message).toMatch(
      /^The desk services could not open: The desk's database \(.*desk\.sqlite\) cannot be opened with this key/,
    );
  });

  it('tells the main process before converting a desk an older build encrypted, and opens it', async () => {
    const dataDir = tempDataDir('services-converting');
    const open = openWith(dataDir);
    chacha20Desk(join(dataDir, LOCAL_DB_FILE), Buffer.from(open.databaseKey, 'base64')).close();

    const first = servicesProcess();
    await expect(first.client.open(open)).resolves.toEqual({ ok: true, value: null });
    expect(first.conversions).toEqual([expect.any(Number)]);
    expect(first.conversions[0]).toBeGreaterThan(0);
    await first.client.stop();
    await first.served;

    // Converted once: the next start opens it as it is.
    const second = servicesProcess();
    await expect(second.client.open(open)).resolves.toEqual({ ok: true, value: null });
    expect(second.conversions).toEqual([]);
    await second.client.stop();
  });

  it('waits past its open timeout for services converting the desk, in proportion to its size', async () => {
    const opening = (converting: boolean) => {
      const channel = new MessageChannel();
      ports.push(channel.port1, channel.port2);
      const heard: number[] = [];
      const client = new DeskServicesClient(
        linkOver(channel.port1),
        { openExternal: () => Promise.resolve(), converting: ({ bytes }) => heard.push(bytes) },
        // 10 MB at 1 MB a second: ten seconds more than the 50 ms allowed to open.
        { openTimeoutMs: 50, conversionBytesPerSecond: 1_000_000 },
      );
      // The services' end: says it is converting (or not), then is ready well after 50 ms.
      channel.port2.on('message', () => {
        if (converting) channel.port2.postMessage({ type: 'converting', bytes: 10_000_000 });
        setTimeout(() => channel.port2.postMessage({ type: 'ready', deskId: 'desk' }), 300);
      });
      return { opened: client.open(openWith(tempDataDir('services-slow-open'))), heard };
    };
    const converting = opening(true);
    await expect(converting.opened).resolves.toEqual({ ok: true, value: null });
    expect(converting.heard).toEqual([10_000_000]);
    const notConverting = opening(false);
    await expect(notConverting.opened).resolves.toMatchObject({
      ok: false,
      error: { message: 'The desk services did not open in time' },
    });
  });
});
