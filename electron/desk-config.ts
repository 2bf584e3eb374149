// The desk's settings, read in one place for both hosts (Electron and browser
// mode): command-line options first, then the environment, then defaults, and
// checked before anything starts.
import { parseArgs } from 'node:util';
import { fail, ok, type Result } from '../shared/result';
import { defaultRetentionDays } from './services/retention';
import { checkServerUrl, checkUpdateUrl } from './shell-policy';

export const defaultServerUrl = 'http://127.0.0.1:4300';

export interface DeskConfig {
  /** The central server, https unless it is this machine. */
  serverUrl: string;
  /** The data folder, when given; each host has its own default. */
  dataDir: string | null;
  /** Browser mode only: where it serves the page (0 picks a free port). */
  port: number;
  /** Browser mode only: the built renderer. */
  rendererDir: string;
  /**
   * Browser mode only: the file holding the desk database's key, when given;
   * by default `desk.key` in the data folder. Made on first start.
   */
  keyFile: string | null;
  /** pino level for the desk's log. */
  logLevel: string;
  /**
   * Electron only: the helpline's update feed (a plain HTTPS folder holding what
   * `npm run dist` makes); null, the default, checks for no updates.
   */
  updateUrl: string | null;
  /** Which releases in the feed the desk takes: `latest`, or `beta` for a pilot group. */
  updateChannel: UpdateChannel;
  /** Days delivered work (outbox items, local records) stays on the desk; 30 by default. */
  retentionDays: number;
}

export const updateChannels = ['latest', 'beta'] as const;
export type UpdateChannel = (typeof updateChannels)[number];

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the desk's configuration. `env` is passed in rather than read here so
 * tests (and hosts) say exactly what the desk sees:
 *   --server / HELPLINE_SERVER_URL, --data-dir / DESK_DATA_DIR,
 *   --port, --renderer, --key-file / DESK_KEY_FILE, LOG_LEVEL,
 *   --update-url / DESK_UPDATE_URL, DESK_UPDATE_CHANNEL,
 *   --retention-days / DESK_RETENTION_DAYS.
 */
export function readDeskConfig(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: { strict: boolean } = { strict: true },
): Result<DeskConfig> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        'data-dir': { type: 'string' },
        server: { type: 'string' },
        port: { type: 'string' },
        renderer: { type: 'string' },
        'key-file': { type: 'string' },
        'update-url': { type: 'string' },
        'retention-days': { type: 'string' },
      },
      // Electron and Chromium add switches of their own, so the shell reads leniently.
      strict: options.strict,
    }));
  } catch (error) {
    return fail('invalid_input', error instanceof Error ? error.message : String(error));
  }
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;

  const serverUrl = checkServerUrl(
    text(values.server) ?? text(env.HELPLINE_SERVER_URL) ?? defaultServerUrl,
  );
  if (!serverUrl.ok) return serverUrl;

  const portText = text(values.port) ?? '4310';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    return fail('invalid_input', `--port must be a port number, not "${portText}"`);
  }
  const logLevel = text(env.LOG_LEVEL) ?? 'info';
  if (!logLevels.includes(logLevel)) {
    return fail('invalid_input', `LOG_LEVEL must be one of ${logLevels.join(', ')}`);
  }
  const updateText = text(values['update-url']) ?? text(env.DESK_UPDATE_URL);
  const updateUrl = updateText === undefined ? ok(null) : checkUpdateUrl(updateText);
  if (!updateUrl.ok) return updateUrl;
  const updateChannel = text(env.DESK_UPDATE_CHANNEL) ?? 'latest';
  if (!isUpdateChannel(updateChannel)) {
    return fail('invalid_input', `DESK_UPDATE_CHANNEL must be one of ${updateChannels.join(', ')}`);
  }
  const retentionText =
    text(values['retention-days']) ?? text(env.DESK_RETENTION_DAYS) ?? String(defaultRetentionDays);
  const retentionDays = Number(retentionText);
  if (!/^\d+$/.test(retentionText) || retentionDays < 1 || retentionDays > 3650) {
    return fail(
      'invalid_input',
      `--retention-days must be a whole number of days from 1 to 3650, not "${retentionText}"`,
    );
  }
  return ok({
    serverUrl: serverUrl.value,
    dataDir: text(values['data-dir']) ?? text(env.DESK_DATA_DIR) ?? null,
    port,
    rendererDir: text(values.renderer) ?? 'dist/renderer',
    keyFile: text(values['key-file']) ?? text(env.DESK_KEY_FILE) ?? null,
    logLevel,
    updateUrl: updateUrl.value,
    updateChannel,
    retentionDays,
  });
}

const isUpdateChannel = (value: string): value is UpdateChannel =>
  (updateChannels as readonly string[]).includes(value);
