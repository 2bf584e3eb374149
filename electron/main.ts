// The Electron shell: app lifecycle, one locked-down window showing the
// renderer from our own app:// origin, the desk services underneath, and a
// clean shutdown that hands the outbox its chance to finish.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { app, BrowserWindow, dialog, net, protocol, safeStorage, session, shell } from 'electron';
import { registerDeskIpc } from './ipc-main';
import { createDeskServices, type DeskServices } from './services/desk';
import { EncryptedSessionStore } from './services/session-store';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = resolve(here, '..', 'renderer');
const preloadPath = join(here, 'preload.cjs');
const RENDERER_SCHEME = 'app';
const rendererOrigin = `${RENDERER_SCHEME}://desk`;

const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // A call recording plays from memory the desk services handed over (never a URL with a token).
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

// Arguments after the app path: --data-dir and --server, as in browser mode.
const { values: options } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: {
    'data-dir': { type: 'string' },
    server: { type: 'string', default: process.env.HELPLINE_SERVER_URL ?? 'http://127.0.0.1:4300' },
  },
  strict: false,
});

protocol.registerSchemesAsPrivileged([
  { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let desk: DeskServices | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting = false;

/** Serves the built renderer under app://desk/, never a file outside its folder. */
function serveRenderer(): void {
  protocol.handle(RENDERER_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== 'desk') return new Response('Not found', { status: 404 });
    let wanted: string;
    try {
      wanted = normalize(join(rendererDir, decodeURIComponent(url.pathname)));
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const isFile =
      wanted.startsWith(rendererDir + sep) &&
      (statSync(wanted, { throwIfNoEntry: false })?.isFile() ?? false);
    // Page routes fall back to index.html, as in browser mode.
    const file = isFile ? wanted : join(rendererDir, 'index.html');
    return net.fetch(pathToFileURL(file).toString());
  });
}

/** Links the adviser may open outside the desk: web pages only, checked before handing to the OS. */
function originOf(target: string): string | null {
  try {
    return new URL(target).origin;
  } catch {
    return null;
  }
}

function isSafeExternalLink(target: string): boolean {
  try {
    const url = new URL(target);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

function createWindow(services: DeskServices): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Adviser Desk',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  const stopIpc = registerDeskIpc(window, services, rendererOrigin);
  window.on('closed', () => {
    stopIpc();
    mainWindow = null;
  });
  window.once('ready-to-show', () => window.show());

  window.webContents.on('will-navigate', (event, target) => {
    if (originOf(target) === rendererOrigin) return;
    event.preventDefault();
    if (isSafeExternalLink(target)) void shell.openExternal(target);
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // The renderer blocks unload while an interaction is in progress; ask before losing it.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question',
      buttons: ['Keep working', 'Close anyway'],
      defaultId: 0,
      cancelId: 0,
      title: 'An interaction is in progress',
      message: 'An interaction is in progress. Close the desk anyway?',
      detail: 'What you have recorded so far is kept and will be there when you reopen the desk.',
    });
    if (choice === 1) event.preventDefault();
  });

  void window.loadURL(`${rendererOrigin}/index.html`);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.webRequest.onHeadersReceived((details, respond) => {
    respond({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy],
      },
    });
  });
  // The desk needs no camera, notifications or other permissions from the page.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, decide) =>
    decide(false),
  );
  serveRenderer();

  const dataDir =
    typeof options['data-dir'] === 'string'
      ? resolve(options['data-dir'])
      : app.getPath('userData');
  const serverUrl = typeof options.server === 'string' ? options.server : 'http://127.0.0.1:4300';
  if (!existsSync(join(rendererDir, 'index.html'))) {
    dialog.showErrorBox('Adviser Desk', 'The desk is not built. Run npm run build first.');
    app.exit(1);
    return;
  }
  desk = createDeskServices({
    dataDir,
    serverUrl,
    sessionStore: (db) => new EncryptedSessionStore(db, safeStorage),
    // Links from knowledge articles, already checked by the desk services.
    openExternal: (url) => shell.openExternal(url),
  });
  desk.start();
  mainWindow = createWindow(desk);

  app.on('activate', () => {
    if (!mainWindow && desk) mainWindow = createWindow(desk);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', (event) => {
  if (quitting || !desk) return;
  // Hold the quit until deliveries in flight are acknowledged and the database is closed.
  event.preventDefault();
  quitting = true;
  void desk.stop().finally(() => app.quit());
});

// Any other page trying to open a webview or a window is refused outright.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  start().catch((error: unknown) => {
    dialog.showErrorBox(
      'Adviser Desk could not start',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
  });
}
