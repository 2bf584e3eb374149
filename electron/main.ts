// The Electron shell: app lifecycle, one locked-down window showing the
// renderer from our own app:// origin, the desk services in a utility process
// of their own (electron/desk-services.ts) so that this thread never waits on
// SQLite or the network, and a clean shutdown that hands the outbox its chance
// to finish.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  net,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
} from 'electron';
// CommonJS: its exports are read from the default import under ESM.
import electronUpdater from 'electron-updater';
import { readDeskConfig, type DeskConfig } from './desk-config';
import { registerDeskIpc } from './ipc-main';
import { DeskServicesClient, type MessageLink } from './services/host-protocol';
import { createDeskLogger, deskLogFile, type DeskLogger } from './services/logging';
import { DESK_KEY_FILE, keptDeskKeys, type DeskKeys } from './services/desk-keys';
import {
  navigationDecision,
  permissionGranted,
  rendererOrigin,
  rendererScheme,
  serveRendererRequest,
} from './shell-policy';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = resolve(here, '..', 'renderer');
const preloadPath = join(here, 'preload.cjs');
const servicesPath = join(here, 'desk-services.js');

// Arguments after the app path (--data-dir, --server) and the environment, as in browser mode.
const config = readDeskConfig(process.argv.slice(app.isPackaged ? 1 : 2), process.env, {
  strict: false,
});

protocol.registerSchemesAsPrivileged([
  { scheme: rendererScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let desk: DeskServicesClient | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting = false;

/** Serves the built renderer under app://desk/, never a file outside its folder, with our CSP. */
function serveRenderer(): void {
  protocol.handle(rendererScheme, (request) =>
    serveRendererRequest(rendererDir, request.url, (file) =>
      net.fetch(pathToFileURL(file).toString()),
    ),
  );
}

/** Navigation and new windows follow one policy: ours stays, a checked link opens outside, the rest is refused. */
function followLink(target: string, inWindow: boolean): boolean {
  const decision = navigationDecision(target, { inWindow });
  if (decision.action === 'open-externally') void shell.openExternal(decision.url);
  return decision.action === 'stay';
}

function createWindow(services: DeskServicesClient): BrowserWindow {
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
    if (!followLink(target, true)) event.preventDefault();
  });
  window.webContents.on('will-redirect', (event, target) => {
    if (!followLink(target, true)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    followLink(url, false);
    return { action: 'deny' };
  });

  // The renderer blocks unload while an interaction is in progress; ask before
  // losing it. The question is asked without blocking: a synchronous dialog
  // would stop the desk services (outbox, sync, IPC) in this process while open.
  // The unload is refused now; if the adviser says close anyway, it is repeated
  // and let through once.
  let closeRequested = false;
  let leaveConfirmed = false;
  let asking = false;
  window.on('close', () => {
    closeRequested = true;
  });
  window.webContents.on('will-prevent-unload', (event) => {
    if (leaveConfirmed) {
      leaveConfirmed = false;
      event.preventDefault();
      return;
    }
    const wasClosing = closeRequested;
    closeRequested = false;
    if (asking) return;
    asking = true;
    void dialog
      .showMessageBox(window, {
        type: 'question',
        buttons: ['Keep working', 'Close anyway'],
        defaultId: 0,
        cancelId: 0,
        title: 'An interaction is in progress',
        message: 'An interaction is in progress. Close the desk anyway?',
        detail: 'What you have recorded so far is kept and will be there when you reopen the desk.',
      })
      .then(({ response }) => {
        asking = false;
        if (response !== 1 || window.isDestroyed()) return;
        leaveConfirmed = true;
        if (wasClosing) window.close();
        else window.webContents.reload();
      });
  });

  void window.loadURL(`${rendererOrigin}/index.html`);
  return window;
}

/** How often a running desk looks for a new release. */
const updateCheckIntervalMs = 4 * 60 * 60 * 1000;

/**
 * Keeps the installed desk up to date from the helpline's feed, when one is
 * configured: downloads in the background and installs when the adviser next
 * closes the desk, never by restarting it under a call. electron-updater checks
 * each download's checksum from the feed, and its publisher signature on Windows.
 */
function keepUpdated(config: DeskConfig, log: DeskLogger): void {
  if (!app.isPackaged || config.updateUrl === null) return;
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = log.child({ module: 'updates' });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.setFeedURL({
    provider: 'generic',
    url: config.updateUrl,
    channel: config.updateChannel,
  });
  autoUpdater.on('update-downloaded', (info) =>
    log.info({ version: info.version }, 'update downloaded; installed when the desk next closes'),
  );
  const check = () => {
    autoUpdater
      .checkForUpdates()
      .catch((error: unknown) =>
        log.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'update check failed',
        ),
      );
  };
  check();
  setInterval(check, updateCheckIntervalMs).unref();
}

async function start(): Promise<void> {
  await app.whenReady();
  // The desk needs no camera, microphone, notifications, devices or location:
  // requests, checks and device access are all answered by one policy.
  session.defaultSession.setPermissionRequestHandler((_contents, permission, decide, details) =>
    decide(permissionGranted(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionGranted(permission, requestingOrigin),
  );
  session.defaultSession.setDevicePermissionHandler(() => false);
  serveRenderer();

  if (!config.ok) {
    await dialog.showMessageBox({
      type: 'error',
      title: 'Adviser Desk',
      message: 'The desk is not set up correctly.',
      detail: config.error.message,
    });
    app.exit(2);
    return;
  }
  const dataDir = config.value.dataDir ? resolve(config.value.dataDir) : app.getPath('userData');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    dialog.showErrorBox('Adviser Desk', 'The desk is not built. Run npm run build first.');
    app.exit(1);
    return;
  }
  // The shell's own lines (the services write theirs to desk.log from their process).
  const log = createDeskLogger({
    destination: deskLogFile(join(dataDir, 'logs', 'shell.log')),
    level: config.value.logLevel,
  });
  // The database and session keys, kept under safeStorage, which works only in this process.
  let keys: DeskKeys;
  try {
    keys = keptDeskKeys(dataDir, safeStorage);
  } catch (error) {
    await cannotOpenData(error instanceof Error ? error.message : String(error));
    return;
  }
  if (keys.keptIn === 'key-file') {
    log.warn(
      { keyFile: join(dataDir, DESK_KEY_FILE) },
      'no key store on this computer: the database key is kept in a file in the data folder',
    );
  } else if (
    process.platform === 'linux' &&
    safeStorage.getSelectedStorageBackend() === 'basic_text'
  ) {
    // Electron's fallback where it finds no key ring: sealed, but with a password built into Electron.
    log.warn(
      'no key ring found: the desk keys are sealed no better than a key file would keep them',
    );
  }
  const child = utilityProcess.fork(servicesPath, [], {
    serviceName: 'Adviser Desk services',
    stdio: 'inherit',
  });
  const link: MessageLink = {
    post: (message) => child.postMessage(message),
    onMessage(listener) {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
  };
  // Shown while the services convert the desk's file (a first start after an
  // update), closed once they are open: nothing else is on screen until then.
  const conversionNotice = new AbortController();
  const services = new DeskServicesClient(
    link,
    {
      // Links from knowledge articles, already checked by the desk services.
      openExternal: (url) => shell.openExternal(url),
      converting({ bytes }) {
        void dialog.showMessageBox({
          type: 'info',
          title: 'Adviser Desk',
          message: 'Adviser Desk is updating the data kept on this computer.',
          detail: `It is re-encrypting ${Math.ceil(bytes / 1_048_576)} MB once, after an update. This can take a few minutes on a full desk. Please leave it running: the desk opens by itself when it is done.`,
          signal: conversionNotice.signal,
        });
      },
    },
    {},
    (problem) => log.warn(problem),
  );
  child.once('exit', (code) => {
    services.closed(`The desk services stopped (exit code ${code})`);
    if (quitting) return;
    // Everything they held is on disk (the outbox, the local records) and the renderer keeps
    // its interactions in IndexedDB: starting again loses nothing.
    log.error({ code }, 'desk services stopped unexpectedly; the desk starts again');
    app.relaunch();
    app.exit(1);
  });
  const opened = await services.open({
    dataDir,
    serverUrl: config.value.serverUrl,
    logLevel: config.value.logLevel,
    sessionKey: keys.sessionKey?.toString('base64') ?? null,
    databaseKey: keys.databaseKey.toString('base64'),
    retentionDays: config.value.retentionDays,
  });
  conversionNotice.abort();
  if (!opened.ok) {
    quitting = true;
    child.kill();
    await cannotOpenData(opened.error.message);
    return;
  }
  desk = services;
  desk.start();
  mainWindow = createWindow(desk);
  keepUpdated(config.value, log);

  app.on('activate', () => {
    if (!mainWindow && desk) mainWindow = createWindow(desk);
  });
}

/** Says why the desk cannot open its data folder, and exits: starting again would not help. */
async function cannotOpenData(detail: string): Promise<void> {
  await dialog.showMessageBox({
    type: 'error',
    title: 'Adviser Desk',
    message: 'The desk could not open its data.',
    detail,
  });
  app.exit(1);
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
