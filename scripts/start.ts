// `npm start`: builds the desk, starts the central server on its embedded
// defaults (SQLite in .data/server, demo accounts on first start) and the
// adviser desk: in Electron where its binary exists, otherwise in browser mode
// on a loopback URL. Ctrl-C stops everything, letting the desk drain its outbox.
// The desk's key is printed to this terminal only: a command line (Chromium's
// included) is readable by every user of the machine, so Chromium is started
// on the desk's one-time launch link instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from './processes';

const { values: options } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '.data' },
    port: { type: 'string', default: '4300' },
    'desk-port': { type: 'string', default: '4310' },
    browser: { type: 'boolean', default: false },
    'no-open': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`Usage: npm start -- [--browser] [--no-open] [--port 4300] [--desk-port 4310] [--data-dir .data]
  --browser    serve the desk in browser mode even where Electron can run
  --no-open    do not open the desk in Chromium's app mode
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

const running: StartedProcess[] = [];
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // Desk first, so it can hand its outbox to the server before the server goes.
    for (const started of [...running].reverse()) await stopProcess(started);
  }
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function watchForCrash(started: StartedProcess, name: string): void {
  void started.exited.then((code) => {
    if (stopping) return;
    console.error(`${name} stopped unexpectedly (${code}); stopping everything`);
    void stopAll(1);
  });
}

const electronBinary = options.browser ? null : findElectronBinary();
build([], 'the desk');
if (electronBinary) build(['--config', 'vite.electron.config.ts'], 'the Electron shell');

const serverEntry = tsEntry('server/main.ts', [
  '--data-dir',
  join(dataDir, 'server'),
  '--port',
  options.port,
  '--host',
  '127.0.0.1',
]);
const server = await startProcess({
  name: 'central server',
  ...serverEntry,
  readyPattern: /server listening on (\S+)/,
  onLine: (line) => console.log(`[server] ${line}`),
}).catch((error: Error) => {
  console.error(error.message);
  return process.exit(1);
});
running.push(server);
watchForCrash(server, 'the central server');

const deskArgs = ['--data-dir', join(dataDir, 'desk'), '--server', server.readyValue];

if (electronBinary) {
  const child = spawn(electronBinary, ['.', ...deskArgs], { stdio: 'inherit' });
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')),
  );
  running.push({ child, readyValue: '', exited });
  // Closing the Electron window is how an adviser quits: take the server down too.
  void exited.then(() => void stopAll(0));
} else {
  console.log(
    options.browser
      ? 'browser mode requested: serving the desk on loopback'
      : 'Electron binary not available on this machine: serving the desk in browser mode instead',
  );
  const launch: { url: string | null } = { url: null };
  const desk = await startProcess({
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
  running.push(desk);
  watchForCrash(desk, 'the desk');
  console.log(
    `\nAdviser desk: ${desk.readyValue}\nSign in as demo-adviser / helpline-demo. Ctrl-C stops everything.\n`,
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
