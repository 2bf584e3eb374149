// `npm start`'s launcher as a newcomer uses it: the central server can be
// stopped and started again from its terminal while the desk keeps running (the
// README's "stop the server and the items wait"), on the port the desk
// already knows, and SIGTERM still stops everything cleanly. Uses the desk the
// test command has already built.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../../scripts/processes';

const dataDir = mkdtempSync(join(tmpdir(), 'adviser-desk-launcher-'));
const lines: string[] = [];
let launcher: StartedProcess | null = null;

afterAll(async () => {
  if (launcher) await stopProcess(launcher);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Resolves once the launcher has printed a line matching `pattern` after `from` lines. */
async function printed(pattern: RegExp, from = 0): Promise<string> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const line = lines.slice(from).find((each) => pattern.test(each));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the launcher never printed ${pattern}; it printed:\n${lines.join('\n')}`);
}

function type(command: string): number {
  const from = lines.length;
  launcher?.child.stdin?.write(`${command}\n`);
  return from;
}

it('stops and starts the central server while the desk keeps running, then stops everything on SIGTERM', async () => {
  launcher = await startProcess({
    name: 'launcher',
    ...tsEntry('scripts/start.ts', [
      '--browser',
      '--no-open',
      '--no-build',
      '--port',
      '0',
      '--desk-port',
      '0',
      '--data-dir',
      dataDir,
    ]),
    readyPattern: /^Adviser desk: (\S+)$/,
    onLine: (line) => lines.push(line),
    stdin: true,
  });
  const deskUrl = launcher.readyValue;
  const serverUrl = /server listening on (\S+)/.exec(await printed(/server listening on/))?.[1];
  expect((await fetch(`${serverUrl}/healthz`)).status).toBe(200);

  let from = type('server stop');
  await printed(/^the central server stopped\. Type "server start"/, from);
  await expect(fetch(`${serverUrl}/healthz`)).rejects.toThrow();
  // The desk is still there, and says so.
  expect((await fetch(deskUrl)).status).toBe(200);
  from = type('status');
  await printed(/^central server: stopped$/, from);

  from = type('server start');
  await printed(/the central server is running again/, from);
  // On the port the desk already knows.
  expect((await fetch(`${serverUrl}/healthz`)).status).toBe(200);
  from = type('serve stop');
  await printed(/unknown command "serve stop"; type "help"/, from);

  const started = launcher;
  launcher = null;
  started.child.kill('SIGTERM');
  expect(await started.exited).toBe(0);
});
