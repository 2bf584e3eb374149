// Browser mode: the desk services in plain Node, serving the built renderer on
// 127.0.0.1 and carrying the desk API over a WebSocket guarded by a per-launch
// key and an Origin check. When ready it prints `desk launch: <url>` (a
// one-time link for a browser it starts itself) and then `desk ready: <url>`.
//   npx tsx electron/browser-mode.ts --data-dir .data/desk --server http://127.0.0.1:4300 --port 0 --renderer dist/renderer [--key-file <path>]
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  bridgeClientMessageSchema,
  bridgePath,
  maxBridgeMessageBytes,
  type BridgeServerMessage,
} from '../shared/ipc/socket-bridge';
import { createDeskServices, type DeskServices } from './services/desk';
import { DESK_KEY_FILE, keptKeyFile } from './services/desk-keys';
import { createDeskLogger, standardError, type DeskLogger } from './services/logging';
import { readDeskConfig } from './desk-config';
import { rendererSecurityHeaders } from './shell-policy';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** The Electron shell's headers, with the loopback bridge socket allowed (shell-policy.ts). */
const securityHeaders = rendererSecurityHeaders({ bridgeSocket: true });

/** Where the one-time launch link is answered: `/launch/<code>`. */
export const launchPathPrefix = '/launch/';

export interface BrowserModeOptions {
  dataDir: string;
  serverUrl: string;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** How long the launch link works if nobody opens it; two minutes unless a test says otherwise. */
  launchLinkLifetimeMs?: number;
  /** Where the desk services log; silent unless given. */
  log?: DeskLogger;
  /** The file holding the database key; `desk.key` in the data folder unless given. */
  keyFile?: string;
  /** Days delivered work stays on the desk; 30 unless given. */
  retentionDays?: number;
}

export interface BrowserModeDesk {
  /** The URL to open, with the per-launch key in its fragment. */
  url: string;
  /**
   * A link that works once and for a short while, and sends the page to `url`.
   * It is what the launcher puts on a browser's command line, where every user
   * of the machine can read it (ps): the key itself never goes there.
   */
  launchUrl: string;
  origin: string;
  key: string;
  desk: DeskServices;
  close(): Promise<void>;
}

function sameSecret(presented: string | null, key: string): boolean {
  if (presented === null) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveRenderer(
  rendererDir: string,
  request: IncomingMessage,
  response: ServerResponse,
) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...securityHeaders, allow: 'GET, HEAD' }).end();
    return;
  }
  const root = resolve(rendererDir);
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
  } catch {
    response.writeHead(400, securityHeaders).end();
    return;
  }
  const candidate = resolve(join(root, pathname));
  // Never serve outside the renderer folder, however the path is spelled.
  const inside = candidate === root || candidate.startsWith(root + sep);
  let file = join(root, 'index.html');
  if (inside) {
    const found = await stat(candidate).catch(() => null);
    if (found?.isFile()) file = candidate;
    else if (extname(pathname) !== '') {
      // A missing asset is a 404; only page routes fall back to index.html.
      response
        .writeHead(404, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' })
        .end('Not found');
      return;
    }
  }
  const found = await stat(file).catch(() => null);
  if (!found?.isFile()) {
    response
      .writeHead(404, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' })
      .end('The renderer is not built: run npm run build:renderer');
    return;
  }
  response.writeHead(200, {
    ...securityHeaders,
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-length': found.size,
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
}

/**
 * Answers the one-time launch link: the first request with the right code is
 * sent on to the page with the key in its fragment (a fragment is never sent
 * back to a server or in a Referer); any other request, or one after the
 * lifetime, learns nothing.
 */
function answerLaunch(
  request: IncomingMessage,
  response: ServerResponse,
  code: string,
  launch: { redeem(presented: string): string | null },
): void {
  if (request.method !== 'GET') {
    response.writeHead(405, { ...securityHeaders, allow: 'GET' }).end();
    return;
  }
  const target = launch.redeem(code);
  if (target === null) {
    response
      .writeHead(410, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' })
      .end(
        'This launch link has already been used or has expired. Open the desk with the ' +
          'address printed where it was started (the line that begins "desk ready:").\n',
      );
    return;
  }
  response.writeHead(303, { ...securityHeaders, location: target }).end();
}

function refuseUpgrade(
  socket: NodeJS.WritableStream & { destroy(): void },
  status: 401 | 403 | 404,
) {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function carryDeskApi(client: WebSocket, desk: DeskServices): void {
  const send = (message: BridgeServerMessage) => {
    if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
  };
  const unsubscribe = desk.onEvent((name, payload) => send({ type: 'event', name, payload }));
  client.on('close', unsubscribe);
  client.on('message', (data, isBinary) => {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    const parsed = bridgeClientMessageSchema.safeParse(message);
    if (!parsed.success) {
      // Without a well-formed request id there is nobody to answer: a client
      // that sends this is broken, so it is disconnected.
      client.close(1008, 'Malformed desk API message');
      return;
    }
    const { id, name, input } = parsed.data;
    void desk.dispatch(name, input).then((result) => send({ type: 'response', id, result }));
  });
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserModeDesk> {
  const desk = createDeskServices({
    dataDir: options.dataDir,
    serverUrl: options.serverUrl,
    log: options.log,
    ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
    // A plain file readable by its owner alone: Node has no operating system key store.
    databaseKey: keptKeyFile(
      options.keyFile ?? join(options.dataDir, DESK_KEY_FILE),
      options.dataDir,
    ),
  });
  const key = randomBytes(32).toString('base64url');
  const launchCode = randomBytes(32).toString('base64url');
  let launchCodeUsable = true;
  let launchCodeExpiresAt = Infinity;
  const launch = {
    redeem(presented: string): string | null {
      if (!launchCodeUsable || Date.now() > launchCodeExpiresAt) return null;
      if (!sameSecret(presented, launchCode)) return null;
      launchCodeUsable = false;
      return `/#key=${key}`;
    },
  };
  const bridge = new WebSocketServer({ noServer: true, maxPayload: maxBridgeMessageBytes });
  let origin = '';

  const server: Server = createServer((request, response) => {
    const pathname = (request.url ?? '/').split('?')[0] ?? '/';
    if (pathname.startsWith(launchPathPrefix)) {
      answerLaunch(request, response, pathname.slice(launchPathPrefix.length), launch);
      return;
    }
    void serveRenderer(options.rendererDir, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, securityHeaders);
      response.end();
    });
  });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== bridgePath) return refuseUpgrade(socket, 404);
    if (!sameSecret(url.searchParams.get('key'), key)) return refuseUpgrade(socket, 401);
    // Another page in the same browser could know our port; only our own page may talk to the desk.
    if (request.headers.origin !== origin) return refuseUpgrade(socket, 403);
    bridge.handleUpgrade(request, socket, head, (client) => carryDeskApi(client, desk));
  });

  await new Promise<void>((done, failed) => {
    server.once('error', failed);
    server.listen(options.port, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  launchCodeExpiresAt = Date.now() + (options.launchLinkLifetimeMs ?? 120_000);
  desk.start();

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/#key=${key}`,
    launchUrl: `${origin}${launchPathPrefix}${launchCode}`,
    origin,
    key,
    desk,
    close() {
      closing ??= (async () => {
        for (const client of bridge.clients) client.close(1001, 'The desk is stopping');
        bridge.close();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        await desk.stop();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  const config = readDeskConfig(process.argv.slice(2), process.env);
  if (!config.ok) {
    console.error(config.error.message);
    process.exit(2);
  }
  const running = await startBrowserMode({
    dataDir: resolve(config.value.dataDir ?? '.data/desk'),
    serverUrl: config.value.serverUrl,
    rendererDir: resolve(config.value.rendererDir),
    port: config.value.port,
    ...(config.value.keyFile ? { keyFile: resolve(config.value.keyFile) } : {}),
    retentionDays: config.value.retentionDays,
    log: createDeskLogger({ destination: standardError(), level: config.value.logLevel }),
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('the desk did not stop cleanly', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The launch line comes first: a launcher reading this output has both once it sees "desk ready".
  console.log(`desk launch: ${running.launchUrl}`);
  console.log(`desk ready: ${running.url}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error('the desk could not start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
