// The desk API's channel names without its schemas: what the sandboxed preload
// needs to forward calls, kept apart so it does not carry every zod schema. Kept
// by hand; the compiler (below) and a unit test hold it equal to the contract.
import type { deskEvents, deskRequests } from './contract';

/** Request name -> IPC channel. */
export const deskRequestChannels = {
  status: 'desk:status',
  signIn: 'session:sign-in',
  signOut: 'session:sign-out',
  answerCall: 'call:answer',
  endCall: 'call:end',
  completeInteraction: 'interaction:complete',
  searchKnowledge: 'knowledge:search',
  openArticle: 'knowledge:open-article',
  knowledgeSyncStatus: 'knowledge:sync-status',
  openExternalLink: 'link:open-external',
  submitKnowledgeEdit: 'knowledge:submit-edit',
  knowledgeDraftsAwaitingReview: 'knowledge:drafts-awaiting-review',
  approveKnowledgeDraft: 'knowledge:approve-draft',
  rejectKnowledgeDraft: 'knowledge:reject-draft',
  retireKnowledgeArticle: 'knowledge:retire-article',
  knowledgeReviewDue: 'knowledge:review-due',
  chatDesk: 'chat:desk',
  acceptChat: 'chat:accept',
  declineChat: 'chat:decline',
  openChat: 'chat:open',
  sendChatMessage: 'chat:send',
  setTyping: 'chat:typing',
  endChat: 'chat:end',
  setAvailability: 'adviser:availability',
  raiseSafeguardingConcern: 'safeguarding:raise',
  acknowledgeSafeguardingConcern: 'safeguarding:acknowledge',
  openSafeguardingConcerns: 'safeguarding:open',
  listHistory: 'history:list',
  openHistory: 'history:open',
  revealHistory: 'history:reveal',
  historyRecording: 'history:recording',
  personalDataViews: 'history:personal-data-views',
  earlierInteractions: 'history:earlier',
  listTraining: 'training:list',
  openTraining: 'training:open',
  saveTraining: 'training:save',
  removeTraining: 'training:remove',
  clearTraining: 'training:clear',
  addTrainingMark: 'training:add-mark',
  removeTrainingMark: 'training:remove-mark',
} as const satisfies { [K in keyof typeof deskRequests]: (typeof deskRequests)[K]['channel'] };

/** Pushed event name -> IPC channel. */
export const deskEventChannels = {
  statusChanged: 'desk:status-changed',
  callOffered: 'call:offered',
  callEnded: 'call:ended',
  callOfferWithdrawn: 'call:offer-withdrawn',
  knowledgeSyncChanged: 'knowledge:sync-changed',
  chatOffered: 'chat:offered',
  chatOfferWithdrawn: 'chat:offer-withdrawn',
  chatUpdated: 'chat:updated',
  queueStats: 'queue:stats',
  availabilityChanged: 'adviser:presence',
  safeguardingAlerts: 'safeguarding:alerts',
} as const satisfies { [K in keyof typeof deskEvents]: (typeof deskEvents)[K]['channel'] };
