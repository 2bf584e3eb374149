// Starts a real central server on port 0 with its data in a fresh temp folder
// (and, for `engine: 'postgres'`, a fresh database on the test PostgreSQL
// server), and signs desks in over real HTTP and socket.io. Shared by every
// integration test that needs the server.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { StaffMember } from '../../shared/domain/people';
import type { DeskToServerEvents, ServerToDeskEvents } from '../../shared/wire/socket';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app';
import { demoPassword } from '../../server/demo-accounts';
import type { Engine } from '../../server/storage/database';
import { testDatabase } from '../support/storage';

export type TestDeskSocket = Socket<ServerToDeskEvents, DeskToServerEvents>;

export interface SignedIn {
  sessionToken: string;
  accessToken: string;
  user: StaffMember;
}

export interface TestServer {
  /** The running server; replaced by `restart()`. */
  server: RunningServer;
  engine: Engine;
  dataDir: string;
  /** The PostgreSQL database's URL; null on SQLite. */
  databaseUrl: string | null;
  /** Server output, for a failing test's diagnostics. */
  log: string[];
  signIn(username: string, password?: string): Promise<SignedIn>;
  /** Signs in and connects a desk socket; resolves once the handshake is accepted. */
  connectDesk(username: string, deskId?: string): Promise<TestDeskSocket>;
  /** Connects with a handshake of your choosing; resolves with the socket or the refusal. */
  tryConnect(auth: unknown): Promise<{ socket: TestDeskSocket } | { refused: string }>;
  /** Stops the server and starts a new one on the same data folder (and the same port). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: Omit<ServerOptions, 'dataDir' | 'databaseUrl'> & {
    /** Where the data is kept; a fresh folder (and database) by default, removed on close. */
    dataDir?: string;
    databaseUrl?: string | null;
    /** SQLite by default. */
    engine?: Engine;
  } = {},
): Promise<TestServer> {
  const engine = options.engine ?? (options.databaseUrl ? 'postgres' : 'sqlite');
  const fresh = options.dataDir === undefined ? await testDatabase(engine, 'server') : null;
  const dataDir = options.dataDir ?? fresh?.dataDir ?? '';
  const databaseUrl = options.databaseUrl ?? fresh?.databaseUrl ?? null;
  const log: string[] = [];
  const sockets = new Set<TestDeskSocket>();
  const launch = (port = 0) =>
    startServer({
      host: '127.0.0.1',
      ...options,
      port,
      dataDir,
      databaseUrl,
      log: (line) => log.push(line),
    });

  let server: RunningServer;
  try {
    server = await launch();
  } catch (error) {
    await fresh?.drop();
    throw error;
  }
  const harness: TestServer = {
    server,
    engine,
    dataDir,
    databaseUrl,
    log,

    async signIn(username, password = demoPassword) {
      const base = harness.server.url;
      const session = (await (
        await fetch(`${base}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        })
      ).json()) as { ok: boolean; value: { sessionToken: string; user: StaffMember } };
      if (!session.ok) throw new Error(`${username} could not sign in: ${JSON.stringify(session)}`);
      const access = (await (
        await fetch(`${base}/api/session/token`, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.value.sessionToken}` },
        })
      ).json()) as { ok: boolean; value: { token: string } };
      if (!access.ok) throw new Error(`${username} got no access token: ${JSON.stringify(access)}`);
      return {
        sessionToken: session.value.sessionToken,
        accessToken: access.value.token,
        user: session.value.user,
      };
    },

    async connectDesk(username, deskId = randomUUID()) {
      const { accessToken } = await harness.signIn(username);
      const attempt = await harness.tryConnect({ token: accessToken, deskId });
      if ('refused' in attempt) throw new Error(`desk for ${username} refused: ${attempt.refused}`);
      return attempt.socket;
    },

    tryConnect(auth) {
      const socket: TestDeskSocket = io(harness.server.url, {
        transports: ['websocket'],
        reconnection: false,
        auth: auth as Record<string, unknown>,
      });
      sockets.add(socket);
      return new Promise((resolve) => {
        socket.once('connect', () => resolve({ socket }));
        socket.once('connect_error', (error) => {
          socket.close();
          resolve({ refused: error.message });
        });
      });
    },

    async restart() {
      for (const socket of sockets) socket.close();
      sockets.clear();
      const port = harness.server.port;
      await harness.server.close();
      harness.server = await launch(port);
    },

    async close() {
      for (const socket of sockets) socket.close();
      sockets.clear();
      await harness.server.close();
      await fresh?.drop();
    },
  };
  return harness;
}
