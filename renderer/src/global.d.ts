// What the Electron preload puts on the page: the desk API as named functions.
// Absent in browser mode, where the page builds the same bridge over a WebSocket.
import type { DeskBridge } from '../../shared/ipc/contract';

declare global {
  interface Window {
    desk?: DeskBridge;
  }
}

export {};
