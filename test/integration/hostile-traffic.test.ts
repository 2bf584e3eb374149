// Hostile traffic against the real server on a loopback port: the two
// requests that used to stop it, then a generated corpus of malformed HTTP
// requests and socket.io frames (fast-check). After every case the health
// check must pass: nobody who can reach the server can stop it.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { describeEachEngine } from '../support/storage';
import { startTestServer, type TestServer } from './server-harness';

let harness: TestServer;
let httpCases = 0;
let frameCases = 0;

async function healthy(): Promise<boolean> {
  const response = await fetch(`${harness.server.url}/healthz`);
  return response.status === 200 && ((await response.json()) as { ok: boolean }).ok;
}

/** Sends raw bytes on a fresh connection and waits for the server to answer or close. */
function sendRaw(bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(harness.server.port, '127.0.0.1');
    let answer = '';
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(finish, 1_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.end(bytes);
  });
}

/** JSON text nested `depth` levels deep: too deep for JSON.stringify to make, as a hostile client writes it by hand. */
const nestedJson = (depth: number): string =>
  '[{"a":'.repeat(depth / 2) + '"bottom"' + '}]'.repeat(depth / 2);

/** Opens a raw engine.io WebSocket joined to a namespace, the way socket.io-client would, but writing frames by hand. */
async function rawSocket(namespace: string, auth?: Record<string, string>): Promise<WebSocket> {
  const url = `${harness.server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  const joined = nextFrame(ws, (frame) => frame.startsWith('40') || frame.startsWith('44'));
  const authText = auth ? JSON.stringify(auth) : '';
  ws.send(namespace === '/' ? `40${authText}` : `40${namespace},${authText}`);
  const answer = await joined;
  if (!answer.startsWith('40')) throw new Error(`joining ${namespace} was refused: ${answer}`);
  return ws;
}

/** The next text frame (that matches, when a test is given). */
function nextFrame(
  ws: WebSocket,
  matches: (frame: string) => boolean = () => true,
): Promise<string> {
  return new Promise((resolve) => {
    const listen = (data: WebSocket.RawData) => {
      const frame = String(data);
      if (frame === '2') return ws.send('3');
      if (!matches(frame)) return;
      ws.off('message', listen);
      resolve(frame);
    };
    ws.on('message', listen);
  });
}

describeEachEngine('hostile traffic', (_open, engine) => {
  beforeAll(async () => {
    httpCases = 0;
    frameCases = 0;
    harness = await startTestServer({ engine });
  });

  afterAll(async () => {
    console.log(
      `hostile traffic [${engine}]: ${httpCases} HTTP requests and ${frameCases} socket frames, health check passed after each`,
    );
    await harness?.close();
  });

  describe('the requests that used to stop the server', () => {
    it('answers a socket.io polling handshake once, without Express answering it too', async () => {
      const response = await fetch(`${harness.server.url}/socket.io/?EIO=4&transport=polling`);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^0\{"sid":/);
      expect(await healthy()).toBe(true);
    });

    it('refuses an event nested 6,000 deep on the customers’ namespace and on a desk', async () => {
      const customer = await rawSocket('/customer');
      const refusal = nextFrame(customer);
      customer.send(`42/customer,7["chat:start",${nestedJson(6_000)}]`);
      expect(await refusal).toMatch(
        /^43\/customer,7\[\{"ok":false,"error":\{"code":"invalid_input"/,
      );
      customer.close();

      const { accessToken } = await harness.signIn('demo-adviser');
      const desk = await rawSocket('/', { token: accessToken, deskId: randomUUID() });
      // The desk hears its presence, offers and queue figures first; the answer is the frame with ack id 9.
      const deskRefusal = nextFrame(desk, (frame) => frame.startsWith('439'));
      desk.send(`429["outbox:deliver",${nestedJson(6_000)}]`);
      expect(await deskRefusal).toMatch(/^439\[\{"ok":false,"error":\{"code":"invalid_input"/);
      desk.close();
      expect(await healthy()).toBe(true);
    });

    it('refuses a NUL character in any event, body, path or query, on every engine', async () => {
      const customer = await rawSocket('/customer');
      const refusal = nextFrame(customer);
      customer.send('42/customer,8["chat:start",{"name":"Sam\\u0000","age":16}]');
      expect(await refusal).toMatch(
        /^43\/customer,8\[\{"ok":false,"error":\{"code":"invalid_input"/,
      );
      customer.close();
      const { accessToken } = await harness.signIn('demo-editor');
      for (const [path, init] of [
        [
          '/api/session',
          { method: 'POST', body: JSON.stringify({ username: 'a\u0000', password: 'x' }) },
        ],
        ['/api/knowledge/search?q=care%00ers', { method: 'GET' }],
        ['/api/knowledge/drafts/d%00/approve', { method: 'POST', body: '{}' }],
      ] as const) {
        const response = await fetch(`${harness.server.url}${path}`, {
          ...init,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        });
        expect(response.status, path).toBe(400);
        expect(await response.json()).toMatchObject({
          ok: false,
          error: { code: 'invalid_input' },
        });
      }
      expect(await healthy()).toBe(true);
    });

    it('answers an event sent without an acknowledgement with an event:refused push', async () => {
      const desk = await harness.connectDesk('demo-trainer');
      const refused = new Promise<unknown>((resolve) => desk.once('event:refused', resolve));
      desk.emit('chat:typing', { chatId: 'x', typing: true });
      expect(await refused).toMatchObject({ event: 'chat:typing', error: { code: 'forbidden' } });
      const unknown = new Promise<unknown>((resolve) => desk.once('event:refused', resolve));
      (desk.emit as (name: string, ...args: unknown[]) => void)('no:such-event', {});
      expect(await unknown).toMatchObject({ event: 'no:such-event', error: { code: 'not_found' } });
      desk.close();
    });
  });

  const methods = ['GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'BREW', ''];
  const paths = [
    '/healthz',
    '/api/session',
    '/api/session/token',
    '/api/interactions?limit=-1',
    '/api/knowledge/changes?since=abc',
    '/api/knowledge/articles/..%2f..%2fetc%2fpasswd',
    '/api/calls/%00/recording',
    '/api/telephony/calls',
    '/api/mail/%ZZ',
    '/chat/../../package.json',
    '/socket.io/?EIO=4&transport=polling',
    '/socket.io/?EIO=3&transport=polling&sid=nope',
    '/socket.io/?EIO=4&transport=websocket',
    '/mail/not-a-uuid',
  ];

  const jsonBody = fc.oneof(
    fc.json({ maxDepth: 6 }),
    fc.constantFrom(
      '{"__proto__":{"admin":true}}',
      '{"username":{"$gt":""},"password":[]}',
      nestedJson(5_000),
      '{"username": ',
      '\u0000\u0001\u0002',
      '[' + '1,'.repeat(20_000) + '1]',
    ),
  );

  const httpRequest = fc.oneof(
    // A structured request with hostile parts.
    fc
      .record({
        method: fc.constantFrom(...methods),
        path: fc.oneof(fc.constantFrom(...paths), fc.webPath(), fc.string({ maxLength: 300 })),
        contentType: fc.constantFrom(
          'application/json',
          'application/json; charset=utf-16',
          'text/plain',
          'multipart/form-data; boundary=x',
          '',
        ),
        authorization: fc.constantFrom(
          '',
          'Bearer x.y',
          'Bearer ' + 'a'.repeat(5_000),
          'Basic ???',
        ),
        declaredLength: fc.option(fc.integer({ min: -5, max: 10_000_000 })),
        body: jsonBody,
      })
      .map(({ method, path, contentType, authorization, declaredLength, body }) => {
        const bytes = Buffer.from(body, 'utf8');
        const headers = [
          `${method} ${path.replace(/[\r\n ]/g, '') || '/'} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Connection: close',
          ...(contentType ? [`Content-Type: ${contentType}`] : []),
          ...(authorization ? [`Authorization: ${authorization}`] : []),
          `Content-Length: ${declaredLength ?? bytes.length}`,
        ];
        return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
      }),
    // Bytes that are hardly HTTP at all.
    fc.uint8Array({ maxLength: 2_000 }).map((bytes) => Buffer.from(bytes)),
    fc
      .string({ maxLength: 500 })
      .map((text) => Buffer.from(`GET /${text} HTTP/1.1\r\nHost: x\r\n${text}\r\n\r\n`, 'utf8')),
  );

  describe('a generated corpus of malformed HTTP requests', () => {
    it('leaves the server answering its health check after every one', async () => {
      await fc.assert(
        fc.asyncProperty(httpRequest, async (bytes) => {
          await sendRaw(bytes);
          httpCases += 1;
          return healthy();
        }),
        { numRuns: 600 },
      );
    });
  });

  const eventNames = [
    'chat:start',
    'chat:message',
    'chat:resume',
    'chat:typing',
    'chat:ack',
    'chat:end',
    'chat:transcript',
    'outbox:deliver',
    'constructor',
    '__proto__',
    'hasOwnProperty',
  ];

  const socketFrame = fc.oneof(
    // An event with a generated payload, with or without an acknowledgement id.
    fc
      .record({
        event: fc.oneof(fc.constantFrom(...eventNames), fc.string({ maxLength: 40 })),
        payload: fc.oneof(
          fc.jsonValue({ maxDepth: 8 }).map((value) => JSON.stringify(value) ?? 'null'),
          fc.constant(nestedJson(6_000)),
          fc.constant(JSON.stringify({ text: 'x'.repeat(300_000) })),
        ),
        ackId: fc.option(fc.nat({ max: 1_000_000 })),
      })
      .map(
        ({ event, payload, ackId }) =>
          `42/customer,${ackId ?? ''}[${JSON.stringify(event)},${payload}]`,
      ),
    // Packets that do not parse, or name odd types and namespaces.
    fc.string({ maxLength: 400 }).map((text) => `4${text}`),
    fc.string({ maxLength: 400 }),
    fc.constantFrom(
      '42/customer,["chat:start"',
      '42/customer,{"not":"an array"}',
      '42/customer,[]',
      '42/customer,[null]',
      '45/customer,1-["chat:start",{"_placeholder":true,"num":99}]',
      '43/customer,7[{}]',
      '41/customer,',
      '40/nowhere,',
      '2probe',
      '6',
    ),
  );

  describe('a generated corpus of socket.io frames on the customers’ namespace', () => {
    it('leaves the server answering its health check after every one', async () => {
      let ws = await rawSocket('/customer');
      try {
        await fc.assert(
          fc.asyncProperty(socketFrame, async (frame) => {
            // A frame that closes the connection (as a parse error should) gets a new one for the next.
            if (ws.readyState !== WebSocket.OPEN) ws = await rawSocket('/customer');
            ws.send(frame);
            frameCases += 1;
            return healthy();
          }),
          { numRuns: 600 },
        );
      } finally {
        ws.close();
      }
    });
  });
});
