// `npm start`: builds the desk, starts the central server on its embedded
// defaults (SQLite in .data/server, demo accounts on first start) and the
// adviser desk: in Electron where its binary exists, otherwise in browser mode
// on a loopback URL. Ctrl-C stops everything, letting the desk drain its outbox.
// The central server can be stopped and started again from this terminal
// (`server stop`, `server start`) while the desk keeps running, so the desk's
// outbox can be seen holding work and delivering it once the server is back;
// a server that stops by itself is reported, and the desk keeps running too.
// The desk's key is printed to this terminal only: a command line (Chromium's
// included) is readable by every user of the machine, so Chromium is started
// on the desk's one-time launch link instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from './processes';

const { values: options } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '.data' },
    port: { type: 'string', default: '4300' },
    'desk-port': { type: 'string', default: '4310' },
    browser: { type: 'boolean', default: false },
    'no-open': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`Usage: npm start -- [--browser] [--no-open] [--port 4300] [--desk-port 4310] [--data-dir .data]
  --browser    serve the desk in browser mode even where Electron can run
  --no-open    do not open the desk in Chromium's app mode
  --no-build   use the desk already built in dist/ (tests; the test command builds it)
  --port       central server port (loopback)
  --desk-port  browser-mode desk port (loopback)
  --data-dir   where the server and desk keep their SQLite files`);
  process.exit(0);
}

const dataDir = resolve(options['data-dir']);
const vite = join('node_modules', '.bin', 'vite');

/** The Electron binary, if this machine has one; never triggers a download. */
function findElectronBinary(): string | null {
  try {
    const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const pathFile = join(electronDir, 'path.txt');
    const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
    const binary = override ? join(override, relative) : join(electronDir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function findChromium(): string | null {
  for (const candidate of [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function build(args: string[], what: string): void {
  console.log(`building ${what}…`);
  const result = spawnSync(vite, ['build', '--logLevel', 'error', ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`could not build ${what}`);
    process.exit(1);
  }
}

/** The desk, once started; the server comes and goes beside it. */
let desk: StartedProcess | null = null;
let server: StartedProcess | null = null;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // Desk first, so it can hand its outbox to the server before the server goes.
    if (desk) await stopProcess(desk);
    if (server) await stopProcess(server);
  }
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function watchDesk(started: StartedProcess, name: string): void {
  void started.exited.then((code) => {
    if (stopping) return;
    console.error(`${name} stopped unexpectedly (${code}); stopping everything`);
    void stopAll(1);
  });
}

const electronBinary = options.browser ? null : findElectronBinary();
if (!options['no-build']) {
  build([], 'the desk');
  if (electronBinary) build(['--config', 'vite.electron.config.ts'], 'the Electron shell');
}

let serverPort = options.port;

/** Starts the central server; again after a stop, on the port the desk already knows. */
async function startServer(): Promise<StartedProcess> {
  const started = await startProcess({
    name: 'central server',
    ...tsEntry('server/main.ts', [
      '--data-dir',
      join(dataDir, 'server'),
      '--port',
      serverPort,
      '--host',
      '127.0.0.1',
    ]),
    readyPattern: /server listening on (\S+)/,
    onLine: (line) => console.log(`[server] ${line}`),
  });
  serverPort = new URL(started.readyValue).port;
  server = started;
  void started.exited.then((code) => {
    if (stopping || server !== started) return;
    server = null;
    console.error(
      `the central server stopped (${code}); the desk keeps running and holds what it cannot deliver. ` +
        'Type "server start" to start it again.',
    );
  });
  return started;
}

const first = await startServer().catch((error: Error) => {
  console.error(error.message);
  return process.exit(1);
});
const deskArgs = ['--data-dir', join(dataDir, 'desk'), '--server', first.readyValue];

if (electronBinary) {
  const child = spawn(electronBinary, ['.', ...deskArgs], { stdio: 'inherit' });
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')),
  );
  desk = { child, readyValue: '', exited };
  // Closing the Electron window is how an adviser quits: take the server down too.
  void exited.then(() => void stopAll(0));
} else {
  console.log(
    options.browser
      ? 'browser mode requested: serving the desk on loopback'
      : 'Electron binary not available on this machine: serving the desk in browser mode instead',
  );
  const launch: { url: string | null } = { url: null };
  const started = await startProcess({
    name: 'desk',
    ...tsEntry('electron/browser-mode.ts', [
      ...deskArgs,
      '--port',
      options['desk-port'],
      '--renderer',
      'dist/renderer',
    ]),
    readyPattern: /desk ready: (\S+)/,
    onLine: (line) => {
      const launchLine = /^desk launch: (\S+)$/.exec(line);
      // Not echoed: it is for Chromium, and works only once.
      if (launchLine?.[1]) launch.url = launchLine[1];
      else console.log(`[desk] ${line}`);
    },
  }).catch(async (error: Error) => {
    console.error(error.message);
    return stopAll(1);
  });
  desk = started;
  watchDesk(started, 'the desk');
  console.log(
    `\nAdviser desk: ${started.readyValue}\nSign in as demo-adviser / helpline-demo. Ctrl-C stops everything.\n`,
  );
  const chromium = findChromium();
  const canShowWindow =
    process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!options['no-open'] && chromium && canShowWindow && launch.url) {
    const browser = spawn(
      chromium,
      [
        `--app=${launch.url}`,
        `--user-data-dir=${join(dataDir, 'chromium-profile')}`,
        '--no-first-run',
      ],
      { stdio: 'ignore', detached: false },
    );
    browser.on('error', () => console.log('could not open Chromium; open the URL above yourself'));
  }
}

// Commands typed here while everything runs.
const commands: Record<string, () => Promise<void>> = {
  'server stop': async () => {
    const running = server;
    if (!running) return console.log('the central server is not running');
    server = null;
    console.log('stopping the central server; the desk keeps running');
    await stopProcess(running);
    console.log('the central server stopped. Type "server start" to start it again.');
  },
  'server start': async () => {
    if (server) return console.log('the central server is already running');
    await startServer().then(
      () => console.log('the central server is running again; the desk reconnects by itself'),
      (error: Error) => console.error(`the central server did not start: ${error.message}`),
    );
  },
  status: async () => {
    console.log(`central server: ${server ? `running on port ${serverPort}` : 'stopped'}`);
  },
  help: async () => {
    console.log('commands: server stop, server start, status, help (Ctrl-C stops everything)');
  },
};
console.log('Type "help" for the commands this terminal takes.');
let working: Promise<void> = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = commands[line.trim().toLowerCase()];
  if (!command) {
    if (line.trim()) console.log(`unknown command "${line.trim()}"; type "help"`);
    return;
  }
  working = working.then(command);
});
