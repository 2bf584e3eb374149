// Starts the product for one end-to-end test exactly as `npm start` does in
// browser mode (central server and desk as separate processes, each with its
// own data folder under a fresh temp folder), and a real Chromium to drive it.
// A test fails if a page throws an uncaught error, and a failed test prints
// what the product and the browser said while it ran.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../../scripts/processes';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app';
import { demoPassword } from '../../server/demo-accounts';
import { DeskChatPage } from './pages/chat';
import { DeskPage } from './pages/desk';
import { SignInPage } from './pages/sign-in';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Flags for a locked-down machine: no sandbox as root, no GPU, and no calls home.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Every log a test may need when it fails, and how much of it earlier tests have already shown. */
interface WatchedLog {
  lines: string[];
  shownUpTo: number;
  /** Dropped after the test in which its product stopped has been reported. */
  stopped: boolean;
}

const watchedLogs = new Set<WatchedLog>();
/** The browser's uncaught page errors and console errors, for every page of every context. */
const browserLog: WatchedLog = { lines: [], shownUpTo: 0, stopped: false };
watchedLogs.add(browserLog);
/** Uncaught page errors not yet charged to a test. */
const pageErrors: string[] = [];

function watch(lines: string[]): WatchedLog {
  const watched = { lines, shownUpTo: 0, stopped: false };
  watchedLogs.add(watched);
  return watched;
}

/**
 * Registered by importing the harness, since every end-to-end file does: an
 * uncaught error in any page fails the test during which it happened (the
 * product's own pages must never throw; an expected failure is shown, not
 * thrown), and a failed test prints the log lines that came while it ran.
 * Console errors are printed but do not fail a test: the browser logs some
 * for expected events, such as a socket refused while a test has stopped the
 * server on purpose.
 */
afterEach((context) => {
  const thrown = pageErrors.splice(0);
  if (context.task.result?.state === 'fail' || thrown.length > 0) {
    console.error(`What the product said during "${context.task.name}":\n${unshownLines()}`);
  }
  for (const watched of watchedLogs) {
    watched.shownUpTo = watched.lines.length;
    if (watched.stopped) watchedLogs.delete(watched);
  }
  if (thrown.length > 0) {
    throw new Error(`A page threw ${thrown.length} uncaught error(s):\n${thrown.join('\n')}`);
  }
});

/** An error after the last test (while the file tears down) still fails the file. */
afterAll(() => {
  const thrown = pageErrors.splice(0);
  if (thrown.length > 0) {
    console.error(`What the product said after the last test:\n${unshownLines()}`);
    throw new Error(`A page threw ${thrown.length} uncaught error(s):\n${thrown.join('\n')}`);
  }
});

const maxLinesShown = 400;

function unshownLines(): string {
  const lines = [...watchedLogs].flatMap((watched) => watched.lines.slice(watched.shownUpTo));
  if (lines.length === 0) return '(nothing)';
  const hidden = lines.length - maxLinesShown;
  const shown = hidden > 0 ? [`… ${hidden} earlier lines`, ...lines.slice(hidden)] : lines;
  return shown.join('\n');
}

/** Listens to every page the browser will open, whichever test or page object opens it. */
function watchPages(browser: Browser): void {
  browser.on('context', (context) => {
    context.on('weberror', (webError) => {
      const error = webError.error();
      const where = webError.page()?.url() ?? 'a page';
      const line = `[page error] ${where}: ${error.stack ?? error.message}`;
      pageErrors.push(line);
      browserLog.lines.push(line);
    });
    context.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.page()?.url() ?? 'a page';
      browserLog.lines.push(`[console error] ${where}: ${message.text()}`);
    });
  });
}

/**
 * Launches Chromium. Without a browser, end-to-end tests skip on a developer's
 * machine but fail under CI=true, where a missing browser is a broken setup.
 */
export async function launchBrowser(): Promise<Browser | null> {
  try {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
    });
    watchPages(browser);
    return browser;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`CI=true and Chromium could not start at ${chromiumPath}: ${String(error)}`, {
        cause: error,
      });
    }
    console.warn(`Skipping end-to-end tests: Chromium could not start (${String(error)})`);
    return null;
  }
}

export interface Product {
  dataDir: string;
  serverUrl: string;
  deskUrl: string;
  server: StartedProcess;
  desk: StartedProcess;
  log: string[];
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface ProductOptions {
  /** postgres://… runs the central server on PostgreSQL; SQLite in its data folder otherwise. */
  databaseUrl?: string | null;
  /** Starts the server with a clock the telephony simulator may move (moveServerClock). */
  simulatedClock?: boolean;
}

/** The central server's command line for a product's data folder. */
function serverEntry(dataDir: string, port: string, options: ProductOptions) {
  return tsEntry('server/main.ts', [
    '--data-dir',
    join(dataDir, 'server'),
    '--port',
    port,
    '--host',
    '127.0.0.1',
    // Web chat closes at night; the suite must not depend on when CI runs.
    '--service-hours',
    '00:00-24:00',
    ...(options.databaseUrl ? ['--database', options.databaseUrl] : []),
    ...(options.simulatedClock ? ['--simulated-clock'] : []),
  ]);
}

export async function startProduct(options: ProductOptions = {}): Promise<Product> {
  const dataDir = mkdtempSync(join(tmpdir(), 'adviser-desk-e2e-'));
  const log: string[] = [];
  const watchedLog = watch(log);
  let serverPort = '0';
  const launchServer = async () => {
    const started = await startProcess({
      name: 'central server',
      ...serverEntry(dataDir, serverPort, options),
      readyPattern: /server listening on (\S+)/,
      onLine: (line) => log.push(`[server] ${line}`),
    });
    // Restarts reuse the first port so the desk finds the server again.
    serverPort = new URL(started.readyValue).port;
    return started;
  };
  let server = await launchServer();
  const serverUrl = server.readyValue;
  const desk = await startProcess({
    name: 'desk',
    ...tsEntry('electron/browser-mode.ts', [
      '--data-dir',
      join(dataDir, 'desk'),
      '--server',
      serverUrl,
      '--port',
      '0',
      '--renderer',
      'dist/renderer',
    ]),
    readyPattern: /desk ready: (\S+)/,
    onLine: (line) => log.push(`[desk] ${line}`),
  });
  const product: Product = {
    dataDir,
    serverUrl,
    deskUrl: desk.readyValue,
    server,
    desk,
    log,
    async startServer() {
      server = await launchServer();
      product.server = server;
    },
    async stopServer() {
      await stopProcess(server);
    },
    async stop() {
      watchedLog.stopped = true;
      await stopProcess(desk);
      await stopProcess(server);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return product;
}

/** A POST to the simulated telephony platform's own API, with its key. */
async function telephonyPost(product: Product, path: string, body: unknown): Promise<unknown> {
  const key = readFileSync(join(product.dataDir, 'server', 'telephony.key'), 'utf8').trim();
  const response = await fetch(`${product.serverUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telephony-key': key },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as {
    ok: boolean;
    value?: unknown;
    error?: { message: string };
  };
  if (!answer.ok) throw new Error(`${path} refused: ${answer.error?.message ?? response.status}`);
  return answer.value;
}

/** Moves the server's clock forward (a product started with `simulatedClock`). */
export async function moveServerClock(product: Product, at: string): Promise<void> {
  await telephonyPost(product, '/api/telephony/clock', { at });
}

/** Whether the simulator's customer on `number` picks up when a follow-up rings them. */
export async function customerAnswers(
  product: Product,
  number: string,
  answers: boolean,
): Promise<void> {
  await telephonyPost(product, '/api/telephony/customers', { number, answers });
}

/** The simulated telephony platform offers a call, as `npm run call` does. */
export async function offerCall(product: Product, adviser: string, cli: string): Promise<string> {
  const key = readFileSync(join(product.dataDir, 'server', 'telephony.key'), 'utf8').trim();
  const response = await fetch(`${product.serverUrl}/api/telephony/calls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telephony-key': key },
    body: JSON.stringify({ adviser, cli }),
  });
  const body = (await response.json()) as {
    ok: boolean;
    value?: { callId: string };
    error?: { message: string };
  };
  if (!body.ok || !body.value)
    throw new Error(`call not offered: ${body.error?.message ?? response.status}`);
  return body.value.callId;
}

/** Signs in over HTTP and returns an access token, to read what the server holds. */
export async function serverAccessToken(
  product: Pick<Product, 'serverUrl'>,
  username: string,
  password = demoPassword,
): Promise<string> {
  const post = async (path: string, init: RequestInit) => {
    const response = await fetch(`${product.serverUrl}${path}`, { method: 'POST', ...init });
    const body = (await response.json()) as { ok: boolean; value: Record<string, unknown> };
    if (!body.ok) throw new Error(`${path} refused`);
    return body.value;
  };
  const session = await post('/api/session', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const access = await post('/api/session/token', {
    headers: { authorization: `Bearer ${String(session.sessionToken)}` },
  });
  return String(access.token);
}

export async function serverList<T>(product: Product, path: string, token: string): Promise<T[]> {
  const response = await fetch(`${product.serverUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { ok: boolean; value: T[] | { items: T[] } };
  if (!body.ok) throw new Error(`${path} refused`);
  return Array.isArray(body.value) ? body.value : body.value.items;
}

export async function openDesk(
  browser: Browser,
  product: Product,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  // Its errors are watched with every other page's (watchPages).
  const page = await context.newPage();
  await page.goto(product.deskUrl);
  await page.waitForSelector('html[data-desk-ready="true"]');
  return { context, page };
}

/**
 * Opens the desk signed in as `username` and online. The desk services keep
 * whoever signed in across renderer reloads, so the form appears only the first time.
 */
export async function openSignedInDesk(
  browser: Browser,
  product: Product,
  username: string,
  password = demoPassword,
): Promise<Page> {
  const { page } = await openDesk(browser, product);
  await page.waitForSelector('html[data-desk-screen="desk"], html[data-desk-screen="sign-in"]');
  if ((await page.locator('html').getAttribute('data-desk-screen')) === 'sign-in') {
    await new SignInPage(page).signIn(username, password);
  }
  await new DeskPage(page).waitForConnection('online');
  // Staff who take live work sign in Offline, and routing rings only an adviser who is
  // Available (calls rung to them by name too): as an adviser would, choose Available first.
  if ((await page.getByLabel('Availability').count()) > 0) {
    await new DeskChatPage(page).setAvailability('Available');
  }
  return page;
}

/**
 * One browser and one product for a test file: started before its first test,
 * stopped after its last. Read `browser` and `product` inside the tests; a test
 * without a browser skips itself (and fails under CI=true, in launchBrowser).
 */
export function sharedProduct(options: ProductOptions = {}): {
  readonly browser: Browser | null;
  readonly product: Product;
} {
  let browser: Browser | null = null;
  let product: Product | null = null;
  beforeAll(async () => {
    browser = await launchBrowser();
    if (browser) product = await startProduct(options);
  });
  afterAll(async () => {
    await browser?.close();
    if (product) await product.stop();
  });
  return {
    get browser() {
      return browser;
    },
    get product() {
      if (!product) throw new Error('The product has not started');
      return product;
    },
  };
}

/** Asks again until `probe` finds something: the outbox, sync and mail are asynchronous. */
export async function eventually<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    const found = await probe();
    if (found !== null) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A second desk process (browser mode) against the same central server, with its own data folder. */
export interface ExtraDesk {
  deskUrl: string;
  desk: StartedProcess;
  /** The product as seen from this desk, for `openDesk(browser, extra.view)`. */
  view: Product;
  /** Stops this desk only; call it before the product's own stop(), which removes the data folder. */
  stop(): Promise<void>;
}

/**
 * A second central server process beside the product's, on the same data
 * folder and the same PostgreSQL database, as a load balancer would spread
 * them. Stop it before the product's own stop().
 */
export async function startSecondServer(
  product: Product,
  options: ProductOptions,
): Promise<{ url: string; process: StartedProcess; stop(): Promise<void> }> {
  const started = await startProcess({
    name: 'second central server',
    ...serverEntry(product.dataDir, '0', options),
    readyPattern: /server listening on (\S+)/,
    onLine: (line) => product.log.push(`[server 2] ${line}`),
  });
  return { url: started.readyValue, process: started, stop: () => stopProcess(started) };
}

/**
 * The desk services hold one signed-in user, so a test with two people on
 * their own desks (an adviser and a team leader) needs a second desk process.
 */
export async function startExtraDesk(product: Product, name = 'desk-2'): Promise<ExtraDesk> {
  const desk = await startProcess({
    name,
    ...tsEntry('electron/browser-mode.ts', [
      '--data-dir',
      join(product.dataDir, name),
      '--server',
      product.serverUrl,
      '--port',
      '0',
      '--renderer',
      'dist/renderer',
    ]),
    readyPattern: /desk ready: (\S+)/,
    onLine: (line) => product.log.push(`[${name}] ${line}`),
  });
  return {
    deskUrl: desk.readyValue,
    desk,
    view: { ...product, deskUrl: desk.readyValue, desk },
    stop: () => stopProcess(desk),
  };
}

/**
 * The central server started in this process, on a clock the test may move
 * (service hours), for what the server itself serves to a browser, such as the
 * customer chat page at /chat (built into dist/customer by `vite build`).
 */
export async function startServerInProcess(
  options: { now?: () => number; chat?: ServerOptions['chat'] } = {},
): Promise<{ server: RunningServer; dataDir: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'adviser-desk-e2e-server-'));
  const server = await startServer({ dataDir, port: 0, host: '127.0.0.1', ...options });
  return {
    server,
    dataDir,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
