// The desk-to-server protocol version: a server takes desks at its own version
// or older (one that sends no version is the first), and refuses a newer desk
// at the handshake, which then says why instead of losing what it sends.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerConnection } from '../../electron/services/server-connection';
import { InMemorySessionStore } from '../../electron/services/session-store.testing';
import { demoPassword } from '../../server/demo-accounts';
import { deskProtocolVersion, deskTooNewError } from '../../shared/wire/socket';
import { startTestServer, type TestServer } from './server-harness';

let harness: TestServer;

beforeAll(async () => {
  harness = await startTestServer();
});

afterAll(async () => {
  await harness?.close();
});

describe('the protocol version in the desk handshake', () => {
  it('accepts a desk at the server version, and one that sends no version', async () => {
    const { accessToken } = await harness.signIn('demo-adviser');
    for (const auth of [
      { token: accessToken, deskId: randomUUID(), protocol: deskProtocolVersion },
      { token: accessToken, deskId: randomUUID() },
    ]) {
      const attempt = await harness.tryConnect(auth);
      expect('socket' in attempt).toBe(true);
      if ('socket' in attempt) attempt.socket.close();
    }
  });

  it('refuses a desk newer than the server', async () => {
    const { accessToken } = await harness.signIn('demo-adviser');
    const attempt = await harness.tryConnect({
      token: accessToken,
      deskId: randomUUID(),
      protocol: deskProtocolVersion + 1,
    });
    expect(attempt).toEqual({ refused: deskTooNewError });
  });

  it('tells the adviser on a newer desk why it cannot connect, and stops retrying', async () => {
    const connection = new ServerConnection({
      serverUrl: harness.server.url,
      deskId: randomUUID(),
      sessionStore: new InMemorySessionStore(),
      protocolVersion: deskProtocolVersion + 1,
    });
    try {
      const offline = new Promise<void>((resolve) =>
        connection.on('state', (state) => {
          if (state === 'offline' && connection.problem) resolve();
        }),
      );
      const signedIn = await connection.signIn({
        username: 'demo-adviser',
        password: demoPassword,
      });
      expect(signedIn.ok).toBe(true);
      await offline;
      expect(connection.state).toBe('offline');
      expect(connection.problem).toMatch(/newer than the helpline server/);
      expect(connection.currentSocket()?.active).toBe(false);
    } finally {
      connection.close();
    }
  });
});
