// The sandboxed preload: exposes the desk API to the renderer as named
// functions only (never ipcRenderer itself), shaped exactly as DeskBridge.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  deskEventNames,
  deskEvents,
  deskRequestNames,
  deskRequests,
  subscriberName,
  type DeskBridge,
  type DeskEventName,
  type DeskEventPayload,
} from '../../shared/ipc/contract';

/** Subscribes to one pushed event; the listener gets the payload alone, never the IPC event. */
function subscribe<K extends DeskEventName>(
  name: K,
  listener: (payload: DeskEventPayload<K>) => void,
): () => void {
  const channel = deskEvents[name].channel;
  const forward = (_event: IpcRendererEvent, payload: DeskEventPayload<K>) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

// Built from the contract's own name lists, as the browser-mode bridge is, so a
// new request or event needs no change here. Each function only forwards: the
// desk services parse every input, and the renderer's calls are typed by DeskBridge.
const bridge: Record<string, unknown> = {};
for (const name of deskRequestNames) {
  bridge[name] = (input: unknown) => ipcRenderer.invoke(deskRequests[name].channel, input);
}
for (const name of deskEventNames) {
  bridge[subscriberName(name)] = (listener: (payload: DeskEventPayload<typeof name>) => void) =>
    subscribe(name, listener);
}

contextBridge.exposeInMainWorld('desk', bridge as DeskBridge);
