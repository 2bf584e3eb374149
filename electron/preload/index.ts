// The sandboxed preload: exposes the desk API to the renderer as named
// functions only (never ipcRenderer itself), shaped exactly as DeskBridge.
// It reads channel names from the light list, not the contract's schemas: the
// renderer parses every answer and event itself (shared/ipc/bridge-client.ts),
// so nothing here needs zod.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { deskEventChannels, deskRequestChannels } from '../../shared/ipc/channels';
import type {
  DeskBridge,
  DeskEventName,
  DeskEventPayload,
  DeskRequestInput,
  DeskRequestName,
  DeskRequestOutput,
} from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';

/** Forwards one request; the answer's type is what the renderer gets once it has parsed it. */
function request<K extends DeskRequestName>(name: K) {
  const channel = deskRequestChannels[name];
  return (input: DeskRequestInput<K>): Promise<Result<DeskRequestOutput<K>>> =>
    ipcRenderer.invoke(channel, input);
}

/** Subscribes to one pushed event; the listener gets the payload alone, never the IPC event. */
function subscribe<K extends DeskEventName>(name: K) {
  const channel = deskEventChannels[name];
  return (listener: (payload: DeskEventPayload<K>) => void): (() => void) => {
    const forward = (_event: IpcRendererEvent, payload: DeskEventPayload<K>) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  };
}

// Written out name by name so `satisfies` proves the object is the whole
// DeskBridge and nothing more: a request added to the contract fails to compile here.
const desk = {
  status: request('status'),
  signIn: request('signIn'),
  signOut: request('signOut'),
  answerCall: request('answerCall'),
  endCall: request('endCall'),
  declineCall: request('declineCall'),
  completeInteraction: request('completeInteraction'),
  searchKnowledge: request('searchKnowledge'),
  openArticle: request('openArticle'),
  knowledgeSyncStatus: request('knowledgeSyncStatus'),
  openExternalLink: request('openExternalLink'),
  submitKnowledgeEdit: request('submitKnowledgeEdit'),
  knowledgeDraftsAwaitingReview: request('knowledgeDraftsAwaitingReview'),
  approveKnowledgeDraft: request('approveKnowledgeDraft'),
  rejectKnowledgeDraft: request('rejectKnowledgeDraft'),
  retireKnowledgeArticle: request('retireKnowledgeArticle'),
  knowledgeReviewDue: request('knowledgeReviewDue'),
  chatDesk: request('chatDesk'),
  acceptChat: request('acceptChat'),
  declineChat: request('declineChat'),
  openChat: request('openChat'),
  sendChatMessage: request('sendChatMessage'),
  setTyping: request('setTyping'),
  endChat: request('endChat'),
  setAvailability: request('setAvailability'),
  raiseSafeguardingConcern: request('raiseSafeguardingConcern'),
  acknowledgeSafeguardingConcern: request('acknowledgeSafeguardingConcern'),
  openSafeguardingConcerns: request('openSafeguardingConcerns'),
  safeguardingHistory: request('safeguardingHistory'),
  safeguardingProtocol: request('safeguardingProtocol'),
  safeguardingOutcomes: request('safeguardingOutcomes'),
  dismissSafeguardingOutcome: request('dismissSafeguardingOutcome'),
  listHistory: request('listHistory'),
  openHistory: request('openHistory'),
  revealHistory: request('revealHistory'),
  historyRecording: request('historyRecording'),
  personalDataViews: request('personalDataViews'),
  earlierInteractions: request('earlierInteractions'),
  listTraining: request('listTraining'),
  openTraining: request('openTraining'),
  saveTraining: request('saveTraining'),
  removeTraining: request('removeTraining'),
  clearTraining: request('clearTraining'),
  addTrainingMark: request('addTrainingMark'),
  removeTrainingMark: request('removeTrainingMark'),
  listForms: request('listForms'),
  listReviews: request('listReviews'),
  openReview: request('openReview'),
  startReview: request('startReview'),
  saveReview: request('saveReview'),
  acknowledgeReview: request('acknowledgeReview'),
  disputeReview: request('disputeReview'),
  resolveDispute: request('resolveDispute'),
  flagForReview: request('flagForReview'),
  listSamples: request('listSamples'),
  drawSample: request('drawSample'),
  openSample: request('openSample'),
  listCalibrations: request('listCalibrations'),
  openCalibration: request('openCalibration'),
  createCalibration: request('createCalibration'),
  closeCalibration: request('closeCalibration'),
  listReviewers: request('listReviewers'),
  qualityReport: request('qualityReport'),
  qualityReportTrend: request('qualityReportTrend'),
  saveFormDraft: request('saveFormDraft'),
  publishFormVersion: request('publishFormVersion'),
  reassignReview: request('reassignReview'),
  agreementTrend: request('agreementTrend'),
  listAdvisers: request('listAdvisers'),
  listTargets: request('listTargets'),
  setTarget: request('setTarget'),
  withdrawTarget: request('withdrawTarget'),
  followUpsToday: request('followUpsToday'),
  ringFollowUp: request('ringFollowUp'),
  rebookFollowUp: request('rebookFollowUp'),
  withdrawFollowUp: request('withdrawFollowUp'),
  followUpCapacity: request('followUpCapacity'),
  dashboardFigures: request('dashboardFigures'),
  improvementPlan: request('improvementPlan'),
  addImprovementAction: request('addImprovementAction'),
  outcomeCodes: request('outcomeCodes'),
  serviceHours: request('serviceHours'),
  liveBoard: request('liveBoard'),
  onStatusChanged: subscribe('statusChanged'),
  onCallOffered: subscribe('callOffered'),
  onCallEnded: subscribe('callEnded'),
  onCallOfferWithdrawn: subscribe('callOfferWithdrawn'),
  onKnowledgeSyncChanged: subscribe('knowledgeSyncChanged'),
  onChatOffered: subscribe('chatOffered'),
  onChatOfferWithdrawn: subscribe('chatOfferWithdrawn'),
  onChatUpdated: subscribe('chatUpdated'),
  onQueueStats: subscribe('queueStats'),
  onAvailabilityChanged: subscribe('availabilityChanged'),
  onSafeguardingAlerts: subscribe('safeguardingAlerts'),
  onSafeguardingOutcomes: subscribe('safeguardingOutcomes'),
  onLiveBoardChanged: subscribe('liveBoardChanged'),
} satisfies DeskBridge;

contextBridge.exposeInMainWorld('desk', desk);
