// The sandboxed preload: exposes the desk API to the renderer as named
// functions only (never ipcRenderer itself), shaped exactly as DeskBridge.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  deskEvents,
  deskRequests,
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

const bridge = {
  status: (input) => ipcRenderer.invoke(deskRequests.status.channel, input),
  signIn: (input) => ipcRenderer.invoke(deskRequests.signIn.channel, input),
  signOut: (input) => ipcRenderer.invoke(deskRequests.signOut.channel, input),
  answerCall: (input) => ipcRenderer.invoke(deskRequests.answerCall.channel, input),
  endCall: (input) => ipcRenderer.invoke(deskRequests.endCall.channel, input),
  completeInteraction: (input) =>
    ipcRenderer.invoke(deskRequests.completeInteraction.channel, input),
  searchKnowledge: (input) => ipcRenderer.invoke(deskRequests.searchKnowledge.channel, input),
  openArticle: (input) => ipcRenderer.invoke(deskRequests.openArticle.channel, input),
  knowledgeSyncStatus: (input) =>
    ipcRenderer.invoke(deskRequests.knowledgeSyncStatus.channel, input),
  openExternalLink: (input) => ipcRenderer.invoke(deskRequests.openExternalLink.channel, input),
  onStatusChanged: (listener) => subscribe('statusChanged', listener),
  onCallOffered: (listener) => subscribe('callOffered', listener),
  onCallEnded: (listener) => subscribe('callEnded', listener),
  onKnowledgeSyncChanged: (listener) => subscribe('knowledgeSyncChanged', listener),
} satisfies DeskBridge;

contextBridge.exposeInMainWorld('desk', bridge);
