// The renderer's checked bridge, over a scripted transport standing in for the
// Electron preload: answers and events are parsed exactly as browser mode parses
// them, and the preload's light channel list stays equal to the contract's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkedDeskBridge,
  transportFromPreload,
  type DeskTransport,
  type UncheckedDeskBridge,
} from '../../shared/ipc/bridge-client';
import { deskEventChannels, deskRequestChannels } from '../../shared/ipc/channels';
import {
  deskEventNames,
  deskEvents,
  deskRequestNames,
  deskRequests,
  subscriberName,
  type DeskStatus,
} from '../../shared/ipc/contract';

const deskStatus: DeskStatus = {
  deskId: '2f1d9a56-5d43-4b8e-9f0a-3c1f4f1f8e21',
  serverUrl: 'http://127.0.0.1:4300',
  user: null,
  connection: 'online',
  outbox: { waiting: 0, failed: 0, lastDeliveredAt: null, lastError: null, nextAttemptAt: null },
};

/** A transport whose answers the test scripts, and whose events the test pushes. */
function scriptedTransport(answer: (name: string, input: unknown) => unknown) {
  const pushers = new Map<string, (payload: unknown) => void>();
  let subscriptions = 0;
  const transport: DeskTransport = {
    request: async (name, input) => answer(name, input),
    subscribe(name, listener) {
      subscriptions += 1;
      pushers.set(name, listener);
      return () => pushers.delete(name);
    },
  };
  return {
    transport,
    push: (name: string, payload: unknown) => pushers.get(name)?.(payload),
    subscriptions: () => subscriptions,
  };
}

describe('the preload channel list', () => {
  it('names every request and event of the contract, on the same channels', () => {
    expect(Object.keys(deskRequestChannels).sort()).toEqual([...deskRequestNames].sort());
    expect(Object.keys(deskEventChannels).sort()).toEqual([...deskEventNames].sort());
    for (const name of deskRequestNames) {
      expect(deskRequestChannels[name]).toBe(deskRequests[name].channel);
    }
    for (const name of deskEventNames) {
      expect(deskEventChannels[name]).toBe(deskEvents[name].channel);
    }
  });

  it('has no channel twice', () => {
    const channels = [...Object.values(deskRequestChannels), ...Object.values(deskEventChannels)];
    expect(new Set(channels).size).toBe(channels.length);
  });

  it('is all the preload takes from shared/ at run time (types aside), so no schema rides along', () => {
    const preload = readFileSync(
      new URL('../../electron/preload/index.ts', import.meta.url),
      'utf8',
    );
    const valueImports = [...preload.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)].map(
      (match) => match[1],
    );
    expect(valueImports).toEqual(['electron', '../../shared/ipc/channels']);
    const channels = readFileSync(new URL('../../shared/ipc/channels.ts', import.meta.url), 'utf8');
    expect(channels).not.toMatch(/^import (?!type )/m);
  });
});

describe('the checked desk bridge', () => {
  it('passes a well-formed answer through', async () => {
    const { transport } = scriptedTransport(() => ({ ok: true, value: deskStatus }));
    const desk = checkedDeskBridge(transport);
    await expect(desk.status(null)).resolves.toEqual({ ok: true, value: deskStatus });
  });

  it('passes an error envelope through as it came', async () => {
    const refusal = { ok: false, error: { code: 'unauthenticated', message: 'No match.' } };
    const desk = checkedDeskBridge(scriptedTransport(() => refusal).transport);
    await expect(desk.signIn({ username: 'a', password: 'b' })).resolves.toEqual(refusal);
  });

  it('turns an answer that breaks the contract into an internal error', async () => {
    const dropped: string[] = [];
    const { transport } = scriptedTransport(() => ({
      ok: true,
      value: { ...deskStatus, connection: 'sideways' },
    }));
    const desk = checkedDeskBridge(transport, { onDropped: (reason) => dropped.push(reason) });
    const result = await desk.status(null);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
    expect(dropped).toEqual(['malformed answer to status']);
  });

  it('answers unavailable when the transport itself fails', async () => {
    const desk = checkedDeskBridge({
      request: () => Promise.reject(new Error('handler gone')),
      subscribe: () => () => undefined,
    });
    const result = await desk.status(null);
    expect(result.ok ? 'ok' : result.error.code).toBe('unavailable');
  });

  it('parses each event once, drops a malformed one, and isolates a failing listener', () => {
    const dropped: string[] = [];
    const failures: string[] = [];
    const scripted = scriptedTransport(() => null);
    const desk = checkedDeskBridge(scripted.transport, {
      onDropped: (reason) => dropped.push(reason),
      onListenerError: (name) => failures.push(name),
    });
    const heard: DeskStatus[] = [];
    desk.onStatusChanged(() => {
      throw new Error('a broken screen');
    });
    const stop = desk.onStatusChanged((status) => heard.push(status));
    desk.onStatusChanged((status) => heard.push(status));
    expect(scripted.subscriptions()).toBe(1);

    scripted.push('statusChanged', { ...deskStatus, deskId: 'not a uuid' });
    expect(heard).toEqual([]);
    expect(dropped).toEqual(['malformed statusChanged event']);

    scripted.push('statusChanged', deskStatus);
    expect(heard).toEqual([deskStatus, deskStatus]);
    expect(failures).toEqual(['statusChanged']);

    stop();
    scripted.push('statusChanged', deskStatus);
    expect(heard).toHaveLength(3);
  });

  it('reads the preload object by name, for requests and events alike', async () => {
    const preload: Record<string, unknown> = {};
    let pushStatus: (payload: unknown) => void = () => undefined;
    for (const name of deskRequestNames) {
      preload[name] = async (input: unknown) => ({
        ok: true,
        value: name === 'status' ? deskStatus : input,
      });
    }
    for (const name of deskEventNames) {
      preload[subscriberName(name)] = (listener: (payload: unknown) => void) => {
        if (name === 'statusChanged') pushStatus = listener;
        return () => undefined;
      };
    }
    const desk = checkedDeskBridge(transportFromPreload(preload as UncheckedDeskBridge));
    await expect(desk.status(null)).resolves.toEqual({ ok: true, value: deskStatus });
    const heard: DeskStatus[] = [];
    desk.onStatusChanged((status) => heard.push(status));
    pushStatus(deskStatus);
    pushStatus({ nonsense: true });
    expect(heard).toEqual([deskStatus]);
  });
});
