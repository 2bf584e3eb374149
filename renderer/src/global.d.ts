// What the Electron preload puts on the page: the desk API as named functions,
// whose answers the page still parses (desk/bridge.ts). Absent in browser mode,
// where the page builds the same checked bridge over a WebSocket.
import type { UncheckedDeskBridge } from '../../shared/ipc/bridge-client';

declare global {
  interface Window {
    desk?: UncheckedDeskBridge;
  }
}

export {};
