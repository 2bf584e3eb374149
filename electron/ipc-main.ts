// The only place that calls ipcMain. Registers exactly the contract's request
// channels, answers only our own window's main frame on our own origin, hands
// untrusted input to the desk services, and forwards pushed events.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { deskEvents, deskRequestNames, deskRequests } from '../shared/ipc/contract';
import { fail } from '../shared/result';
import type { DeskServicesPort } from './services/desk';
import { pageOrigin } from './shell-policy';

/** True when the request comes from our window's top frame showing our renderer. */
function fromOurRenderer(
  event: IpcMainInvokeEvent,
  window: BrowserWindow,
  rendererOrigin: string,
): boolean {
  const frame = event.senderFrame;
  if (!frame || window.isDestroyed()) return false;
  if (event.sender !== window.webContents || frame !== window.webContents.mainFrame) return false;
  return pageOrigin(frame.url) === rendererOrigin;
}

/** Wires the desk API to one window; returns a function that removes every handler and listener. */
export function registerDeskIpc(
  window: BrowserWindow,
  desk: DeskServicesPort,
  rendererOrigin: string,
): () => void {
  const channels = deskRequestNames.map((name) => {
    const { channel } = deskRequests[name];
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!fromOurRenderer(event, window, rendererOrigin)) {
        return fail('forbidden', 'This window may not use the desk');
      }
      return desk.dispatch(name, input);
    });
    return channel;
  });

  const stopEvents = desk.onEvent((name, payload) => {
    if (!window.isDestroyed()) window.webContents.send(deskEvents[name].channel, payload);
  });

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    stopEvents();
  };
}
