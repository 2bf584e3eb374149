// The desk's settings, read once for both hosts: options over environment over
// defaults, and a server address that is not https off this machine refused.
import { describe, expect, it } from 'vitest';
import { defaultServerUrl, readDeskConfig } from '../../electron/desk-config';

describe('the desk configuration', () => {
  it('has defaults that run against a local server', () => {
    expect(readDeskConfig([], {})).toEqual({
      ok: true,
      value: {
        serverUrl: defaultServerUrl,
        dataDir: null,
        port: 4310,
        rendererDir: 'dist/renderer',
        keyFile: null,
        logLevel: 'info',
        updateUrl: null,
        updateChannel: 'latest',
        retentionDays: 30,
      },
    });
  });

  it('takes the command line over the environment', () => {
    const env = {
      HELPLINE_SERVER_URL: 'https://env.example.org',
      DESK_DATA_DIR: '/env/desk',
      DESK_KEY_FILE: '/env/keys/desk.key',
    };
    const fromEnv = readDeskConfig([], env);
    expect(fromEnv.ok && fromEnv.value).toMatchObject({
      serverUrl: 'https://env.example.org',
      dataDir: '/env/desk',
      keyFile: '/env/keys/desk.key',
    });
    const fromArgs = readDeskConfig(
      [
        '--server',
        'https://args.example.org',
        '--data-dir',
        '/args/desk',
        '--port',
        '0',
        '--key-file',
        '/args/keys/desk.key',
      ],
      env,
    );
    expect(fromArgs.ok && fromArgs.value).toMatchObject({
      serverUrl: 'https://args.example.org',
      dataDir: '/args/desk',
      port: 0,
      keyFile: '/args/keys/desk.key',
    });
  });

  it('takes a retention period in whole days, from the command line over the environment', () => {
    const fromEnv = readDeskConfig([], { DESK_RETENTION_DAYS: '90' });
    expect(fromEnv.ok && fromEnv.value.retentionDays).toBe(90);
    const fromArgs = readDeskConfig(['--retention-days', '7'], { DESK_RETENTION_DAYS: '90' });
    expect(fromArgs.ok && fromArgs.value.retentionDays).toBe(7);
    for (const wrong of ['0', '1.5', 'a month', '3651']) {
      const refused = readDeskConfig(['--retention-days', wrong], {});
      expect(refused.ok ? '' : refused.error.message).toMatch(/--retention-days must be/);
    }
  });

  it('refuses plain http to another machine, a bad port or log level, with the reason', () => {
    const http = readDeskConfig(['--server', 'http://helpline.example.org'], {});
    expect(http.ok ? '' : http.error.message).toMatch(/https/);
    expect(readDeskConfig(['--port', 'eighty'], {}).ok).toBe(false);
    expect(readDeskConfig([], { LOG_LEVEL: 'loud' }).ok).toBe(false);
  });

  it('takes an update feed only over https, and a known channel', () => {
    const fromEnv = readDeskConfig([], {
      DESK_UPDATE_URL: 'https://updates.helpline.example.org/desk/',
      DESK_UPDATE_CHANNEL: 'beta',
    });
    expect(fromEnv.ok && fromEnv.value).toMatchObject({
      updateUrl: 'https://updates.helpline.example.org/desk',
      updateChannel: 'beta',
    });
    const fromArgs = readDeskConfig(['--update-url', 'https://args.example.org/feed'], {
      DESK_UPDATE_URL: 'https://env.example.org/feed',
    });
    expect(fromArgs.ok && fromArgs.value).toMatchObject({
      updateUrl: 'https://args.example.org/feed',
    });
    const http = readDeskConfig([], { DESK_UPDATE_URL: 'http://updates.example.org' });
    expect(http.ok ? '' : http.error.message).toBe(
      'The update feed address must start with https:// (plain http is allowed only for this machine): http://updates.example.org',
    );
    const channel = readDeskConfig([], { DESK_UPDATE_CHANNEL: 'nightly' });
    expect(channel.ok ? '' : channel.error.message).toBe(
      'DESK_UPDATE_CHANNEL must be one of latest, beta',
    );
  });

  it('is strict about unknown options in browser mode, lenient under Electron', () => {
    expect(readDeskConfig(['--no-such-option'], {}).ok).toBe(false);
    expect(readDeskConfig(['--no-sandbox-thing', 'app'], {}, { strict: false }).ok).toBe(true);
  });
});
