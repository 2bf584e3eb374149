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
  submitKnowledgeEdit: (input) =>
    ipcRenderer.invoke(deskRequests.submitKnowledgeEdit.channel, input),
  knowledgeDraftsAwaitingReview: (input) =>
    ipcRenderer.invoke(deskRequests.knowledgeDraftsAwaitingReview.channel, input),
  approveKnowledgeDraft: (input) =>
    ipcRenderer.invoke(deskRequests.approveKnowledgeDraft.channel, input),
  rejectKnowledgeDraft: (input) =>
    ipcRenderer.invoke(deskRequests.rejectKnowledgeDraft.channel, input),
  retireKnowledgeArticle: (input) =>
    ipcRenderer.invoke(deskRequests.retireKnowledgeArticle.channel, input),
  knowledgeReviewDue: (input) => ipcRenderer.invoke(deskRequests.knowledgeReviewDue.channel, input),
  chatDesk: (input) => ipcRenderer.invoke(deskRequests.chatDesk.channel, input),
  acceptChat: (input) => ipcRenderer.invoke(deskRequests.acceptChat.channel, input),
  declineChat: (input) => ipcRenderer.invoke(deskRequests.declineChat.channel, input),
  openChat: (input) => ipcRenderer.invoke(deskRequests.openChat.channel, input),
  sendChatMessage: (input) => ipcRenderer.invoke(deskRequests.sendChatMessage.channel, input),
  setTyping: (input) => ipcRenderer.invoke(deskRequests.setTyping.channel, input),
  endChat: (input) => ipcRenderer.invoke(deskRequests.endChat.channel, input),
  setAvailability: (input) => ipcRenderer.invoke(deskRequests.setAvailability.channel, input),
  onStatusChanged: (listener) => subscribe('statusChanged', listener),
  onCallOffered: (listener) => subscribe('callOffered', listener),
  onCallEnded: (listener) => subscribe('callEnded', listener),
  onKnowledgeSyncChanged: (listener) => subscribe('knowledgeSyncChanged', listener),
  onChatOffered: (listener) => subscribe('chatOffered', listener),
  onChatOfferWithdrawn: (listener) => subscribe('chatOfferWithdrawn', listener),
  onChatUpdated: (listener) => subscribe('chatUpdated', listener),
  onQueueStats: (listener) => subscribe('queueStats', listener),
  onAvailabilityChanged: (listener) => subscribe('availabilityChanged', listener),
  raiseSafeguardingConcern: (input) =>
    ipcRenderer.invoke(deskRequests.raiseSafeguardingConcern.channel, input),
  acknowledgeSafeguardingConcern: (input) =>
    ipcRenderer.invoke(deskRequests.acknowledgeSafeguardingConcern.channel, input),
  openSafeguardingConcerns: (input) =>
    ipcRenderer.invoke(deskRequests.openSafeguardingConcerns.channel, input),
  onSafeguardingAlerts: (listener) => subscribe('safeguardingAlerts', listener),
} satisfies DeskBridge;

contextBridge.exposeInMainWorld('desk', bridge);
