// Finds the desk API for this page: the preload's `window.desk` in Electron, or
// in browser mode a WebSocket bridge to the desk services that served the page.
import { checkedDeskBridge, transportFromPreload } from '../../../shared/ipc/bridge-client';
import type { DeskBridge } from '../../../shared/ipc/contract';
import { bridgeUrl } from '../../../shared/ipc/socket-bridge';
import { connectSocketDesk, type DeskLink } from './socket-client';

/** Where the launch key survives a reload once it is gone from the address bar. */
const keyStorageName = 'adviser-desk.desk-api-key';

export type DeskConnection =
  { ok: true; desk: DeskBridge; link: DeskLink } | { ok: false; problem: string };

/** Electron's IPC does not drop, so its link is always open. */
const alwaysOpen: DeskLink = { state: () => 'open', onChange: () => () => undefined };

/**
 * The desk services open this page at `/#key=<secret>`. The key is moved out of
 * the address bar (so it is not shared by copying the address, or kept in history)
 * into this tab's session storage, so a reload still works.
 */
export function takeLaunchKey(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('key');
  if (fromHash) {
    window.sessionStorage.setItem(keyStorageName, fromHash);
    window.history.replaceState(
      window.history.state,
      '',
      window.location.pathname + window.location.search,
    );
    return fromHash;
  }
  return window.sessionStorage.getItem(keyStorageName);
}

export function obtainDesk(): DeskConnection {
  if (window.desk) {
    // Parsed here exactly as browser mode parses what its WebSocket brings.
    const desk = checkedDeskBridge(transportFromPreload(window.desk), {
      onDropped: (reason) => console.error(`The desk API dropped an answer: ${reason}`),
      onListenerError: (name, error) => console.error(`A ${name} listener failed`, error),
    });
    return { ok: true, desk, link: alwaysOpen };
  }
  const key = takeLaunchKey();
  if (!key) {
    return {
      ok: false,
      problem:
        'This page needs the link the desk printed when it started. Open that link again to reach the desk.',
    };
  }
  const url = bridgeUrl(window.location.origin, key);
  // Lives as long as the page: the browser closes the socket when the page goes.
  const { desk, link } = connectSocketDesk({ url, WebSocket: window.WebSocket });
  return { ok: true, desk, link };
}
