// The desk API: the one typed contract between the renderer and the desk
// services (Electron main process, or the plain-Node desk in browser mode).
// Requests map a name to input and output schemas; pushed events map a name to
// a payload schema. Main parses every input; the renderer parses every answer and
// event (bridge-client.ts). The preload reads channel names from channels.ts.
import { z } from 'zod';
import { outcomeCodeSettingSchema } from '../interaction/outcome-codes';
import { serviceHoursSettingSchema } from '../time/service-hours';
import { credentialsSchema, staffMemberSchema } from '../domain/people';
import { deliveredInteractionRecordSchema } from '../interaction/delivered-record';
import { followUpBookingSchema } from '../interaction/record';
import {
  articleContentSchema,
  articleIdSchema,
  knowledgeArticleSchema,
  knowledgeCursorSchema,
  knowledgeSearchAnswerSchema,
  knowledgeSearchQuerySchema,
} from '../knowledge/article';
import type { Result } from '../result';
import {
  earlierInteractionsSchema,
  historyPageSchema,
  historyQuerySchema,
  historyViewSchema,
  personalDataViewListSchema,
  revealRequestSchema,
} from '../wire/history';
import {
  clearanceDecisionSchema,
  newTrainingMarkSchema,
  trainingEntryInputSchema,
  trainingEntrySchema,
  trainingListSchema,
  trainingMarkSchema,
  trainingQuerySchema,
  trainingViewSchema,
} from '../wire/training';
import {
  acknowledgementInputSchema,
  adviserListSchema,
  agreementTrendQuerySchema,
  agreementTrendSchema,
  calibrationListSchema,
  calibrationSessionSchema,
  disputeInputSchema,
  drawSampleInputSchema,
  flagInputSchema,
  flagSchema,
  formDraftInputSchema,
  formListSchema,
  formVersionSchema,
  newCalibrationSchema,
  newReviewSchema,
  qualityReportSchema,
  reportTrendQuerySchema,
  reportTrendSchema,
  reassignInputSchema,
  reportQuerySchema,
  resolutionInputSchema,
  reviewerListSchema,
  reviewListSchema,
  reviewQuerySchema,
  reviewViewSchema,
  sampleCheckSchema,
  sampleListSchema,
  sampleSchema,
  targetInputSchema,
  targetListSchema,
  targetQuerySchema,
  targetSchema,
  targetWithdrawalSchema,
} from '../wire/quality';
import { formIdSchema } from '../quality/form';
import { reviewAnswerSchema } from '../quality/scoring';
import {
  followUpAttemptResultSchema,
  followUpCallSchema,
  followUpCapacitySchema,
  followUpListSchema,
  followUpWithdrawSchema,
} from '../wire/follow-ups';
import {
  dashboardFiguresSchema,
  dashboardQuerySchema,
  improvementActionInputSchema,
  improvementPlanSchema,
  liveBoardSchema,
} from '../wire/dashboard';
import {
  safeguardingAcknowledgedSchema,
  safeguardingAcknowledgeSchema,
  safeguardingConcernRefSchema,
  safeguardingHistoryQuerySchema,
  safeguardingHistorySchema,
  safeguardingOpenListSchema,
  safeguardingOutcomeListSchema,
  safeguardingProtocolSchema,
  safeguardingRaisedOnDeskSchema,
  safeguardingRaiseSchema,
} from '../wire/safeguarding';
import {
  draftApprovalSchema,
  draftRejectionSchema,
  knowledgeDraftSchema,
  knowledgeEditSchema,
  retireArticleSchema,
  reviewDueArticleSchema,
} from '../wire/knowledge';
import {
  callConnectedSchema,
  callEndedSchema,
  callOfferSchema,
  callRefSchema,
} from '../wire/socket';
import {
  adviserPresenceSchema,
  availabilityChangeSchema,
  callOfferWithdrawnSchema,
  chatEndedSchema,
  chatOfferSchema,
  chatOfferWithdrawnSchema,
  chatRefSchema,
  chatTextSchema,
  chatPartySchema,
  chatSessionSchema,
  clientMessageIdSchema,
  customerLeftSchema,
  deskTypingSchema,
  queueStatsSchema,
} from '../wire/chat';

export const connectionStates = [
  'signed_out',
  'connecting',
  'online',
  'reconnecting',
  'offline',
] as const;
export const connectionStateSchema = z.enum(connectionStates);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const outboxStatusSchema = z.object({
  /** Items written locally and not yet acknowledged by the server. */
  waiting: z.number().int().nonnegative(),
  /** Items the server refused as invalid: kept, shown, never retried blindly. */
  failed: z.number().int().nonnegative(),
  lastDeliveredAt: z.iso.datetime({ offset: true }).nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.iso.datetime({ offset: true }).nullable(),
});
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

export const deskStatusSchema = z.object({
  deskId: z.uuid(),
  serverUrl: z.string(),
  user: staffMemberSchema.nullable(),
  connection: connectionStateSchema,
  /** Why the desk cannot connect though signed in (for example a server older than the desk). */
  connectionProblem: z.string().max(500).nullish(),
  outbox: outboxStatusSchema,
});
export type DeskStatus = z.infer<typeof deskStatusSchema>;

export const completeInteractionSchema = z.object({
  record: deliveredInteractionRecordSchema,
  followUp: followUpBookingSchema.nullable(),
});
export type CompleteInteraction = z.infer<typeof completeInteractionSchema>;

export const knowledgeSyncStates = ['idle', 'syncing', 'error'] as const;

/** Where the desk's knowledge replica stands against the server's change feed. */
export const knowledgeSyncStatusSchema = z.object({
  /** The highest server version the replica holds. */
  cursor: knowledgeCursorSchema,
  state: z.enum(knowledgeSyncStates),
  /** Set while a pull runs; percent only when the feed's newest version is known (from a push hint). */
  progress: z
    .object({
      pages: z.number().int().nonnegative(),
      applied: z.number().int().nonnegative(),
      percent: z.number().int().min(0).max(100).nullable(),
    })
    .nullable(),
  lastSyncedAt: z.iso.datetime({ offset: true }).nullable(),
  /** Why the last pull stopped, while state is error. */
  lastError: z.string().nullable(),
  articleCount: z.number().int().nonnegative(),
});
export type KnowledgeSyncStatus = z.infer<typeof knowledgeSyncStatusSchema>;

/**
 * The answer to openExternalLink. The desk services check every link (https,
 * not a private or loopback host) whoever opens it. In Electron they open it in
 * the system browser themselves (`openedBy: 'desk'`). In browser mode the page
 * already is in the system browser and the desk services may run where no
 * browser can be started, so they hand back the checked URL (`openedBy:
 * 'renderer'`) and the renderer opens exactly that with `noopener`.
 */
export const externalLinkAnswerSchema = z.object({
  url: z.url({ protocol: /^https$/ }),
  openedBy: z.enum(['desk', 'renderer']),
});
export type ExternalLinkAnswer = z.infer<typeof externalLinkAnswerSchema>;

/** One message of a live chat as the desk shows it: confirmed by the server, or still on its way. */
export const deskChatMessageSchema = z.object({
  clientMessageId: clientMessageIdSchema,
  /** The chat's sequence number; null while the adviser's message waits for the server's acknowledgement. */
  seq: z.number().int().positive().nullable(),
  from: chatPartySchema,
  author: z.string(),
  text: z.string(),
  sentAt: z.iso.datetime({ offset: true }),
  /** 'refused': the server will not take it (for example the chat has ended); never retried. */
  delivery: z.enum(['sent', 'sending', 'refused']),
  problem: z.string().nullable(),
});
export type DeskChatMessage = z.infer<typeof deskChatMessageSchema>;

/** A chat the adviser accepted, whole: the server's session plus what only the desk knows. */
export const liveChatSchema = chatSessionSchema.omit({ messages: true }).extend({
  messages: z.array(deskChatMessageSchema),
  customerTyping: z.boolean(),
  customerLeft: customerLeftSchema.omit({ chatId: true }).nullable(),
});
export type LiveChat = z.infer<typeof liveChatSchema>;

/** Everything the chat area shows, for a renderer that has just (re)loaded. */
export const chatDeskSchema = z.object({
  offers: z.array(chatOfferSchema),
  chats: z.array(liveChatSchema),
  /** Null until the server has said (after the first connection). */
  presence: adviserPresenceSchema.nullable(),
  queue: queueStatsSchema.nullable(),
});
export type ChatDesk = z.infer<typeof chatDeskSchema>;

const none = z.null();

/**
 * A history listing as the renderer asks for it: the server's query, with its
 * yes/no filters as booleans (the desk services write them into the query
 * string the way the server reads them).
 */
export const historyListRequestSchema = historyQuerySchema.extend({
  followUpBooked: z.boolean().optional(),
  safeguarding: z.boolean().optional(),
  withinRemit: z.boolean().optional(),
  transcriptSent: z.boolean().optional(),
  notCovered: z.boolean().optional(),
  statusCaptured: z.boolean().optional(),
  followUpOffered: z.boolean().optional(),
  transcriptOffered: z.boolean().optional(),
  serviceQuestionsSkipped: z.boolean().optional(),
  followUpCall: z.boolean().optional(),
});
export type HistoryListRequest = z.input<typeof historyListRequestSchema>;

/**
 * The most of a recording one answer carries. Audio crosses the desk API in
 * pieces (base64 in JSON, so browser mode's WebSocket carries it as Electron's
 * IPC does), each well within the bridge's message limit.
 */
export const recordingChunkBytes = 1_048_576;

/** One piece of a recording, from `offset`; the renderer asks until it has `totalBytes`. */
export const historyRecordingChunkSchema = z.object({
  contentType: z.string().regex(/^audio\/[a-z0-9.+-]+$/i),
  totalBytes: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  base64: z.string().max(Math.ceil(recordingChunkBytes / 3) * 4),
});
export type HistoryRecordingChunk = z.infer<typeof historyRecordingChunkSchema>;

/**
 * An article the adviser wrote or edited on the desk. The desk names the draft
 * and dates it; `baseVersion` is the version of the replica's copy the adviser
 * edited (null for a new article), so the server can tell a conflicting edit.
 */
export const knowledgeEditRequestSchema = z.object({
  content: articleContentSchema,
  baseVersion: knowledgeEditSchema.shape.baseVersion,
  note: knowledgeEditSchema.shape.note,
});
export type KnowledgeEditRequest = z.input<typeof knowledgeEditRequestSchema>;
const draftRefSchema = z.object({ draftId: z.uuid() });

/**
 * A review's answers written on the desk, to keep as the draft or to publish.
 * They go to the server through the outbox, so a review can be written with
 * the network down.
 */
export const reviewSaveRequestSchema = z.object({
  reviewId: z.uuid(),
  answers: z.array(reviewAnswerSchema).max(200),
  publish: z.boolean(),
});
export type ReviewSaveRequest = z.input<typeof reviewSaveRequestSchema>;

/** A save of this review still in the desk's outbox: waiting to be delivered, or refused. */
export const pendingReviewSaveSchema = z.object({
  answers: z.array(reviewAnswerSchema),
  publish: z.boolean(),
  savedAt: z.iso.datetime({ offset: true }),
  state: z.enum(['waiting', 'failed']),
  /** Why the server refused it (failed), or why the last delivery did not go (waiting). */
  error: z.string().nullable(),
});
export type PendingReviewSave = z.infer<typeof pendingReviewSaveSchema>;

/** A review opened on the desk: the server's view, and the newest save of it not yet delivered. */
export const deskReviewViewSchema = reviewViewSchema.extend({
  pending: pendingReviewSaveSchema.nullable(),
});
export type DeskReviewView = z.infer<typeof deskReviewViewSchema>;

/** Request channels: name -> IPC channel, input schema, output schema. */
export const deskRequests = {
  status: { channel: 'desk:status', input: none, output: deskStatusSchema },
  signIn: { channel: 'session:sign-in', input: credentialsSchema, output: staffMemberSchema },
  signOut: { channel: 'session:sign-out', input: none, output: none },
  answerCall: { channel: 'call:answer', input: callRefSchema, output: callConnectedSchema },
  endCall: { channel: 'call:end', input: callRefSchema, output: none },
  declineCall: { channel: 'call:decline', input: callRefSchema, output: none },
  completeInteraction: {
    channel: 'interaction:complete',
    input: completeInteractionSchema,
    output: z.object({ queued: z.number().int().nonnegative() }),
  },
  searchKnowledge: {
    channel: 'knowledge:search',
    input: knowledgeSearchQuerySchema,
    output: knowledgeSearchAnswerSchema,
  },
  openArticle: {
    channel: 'knowledge:open-article',
    input: z.object({ id: articleIdSchema }),
    output: knowledgeArticleSchema,
  },
  /** The panel mounts after the last push; this is where it starts from. */
  knowledgeSyncStatus: {
    channel: 'knowledge:sync-status',
    input: none,
    output: knowledgeSyncStatusSchema,
  },
  openExternalLink: {
    channel: 'link:open-external',
    input: z.object({ url: z.string().min(1).max(2_048) }),
    output: externalLinkAnswerSchema,
  },
  // Authoring (queued through the outbox, so it works offline) and review (needs the server).
  submitKnowledgeEdit: {
    channel: 'knowledge:submit-edit',
    input: knowledgeEditRequestSchema,
    output: z.object({ draftId: z.uuid(), articleId: articleIdSchema }),
  },
  knowledgeDraftsAwaitingReview: {
    channel: 'knowledge:drafts-awaiting-review',
    input: none,
    output: z.object({ items: z.array(knowledgeDraftSchema) }),
  },
  approveKnowledgeDraft: {
    channel: 'knowledge:approve-draft',
    input: draftRefSchema.extend(draftApprovalSchema.shape),
    output: knowledgeArticleSchema,
  },
  rejectKnowledgeDraft: {
    channel: 'knowledge:reject-draft',
    input: draftRefSchema.extend(draftRejectionSchema.shape),
    output: knowledgeDraftSchema,
  },
  retireKnowledgeArticle: {
    channel: 'knowledge:retire-article',
    input: z.object({ articleId: articleIdSchema }).extend(retireArticleSchema.shape),
    output: z.object({ version: z.number().int().positive() }),
  },
  knowledgeReviewDue: {
    channel: 'knowledge:review-due',
    input: none,
    output: z.object({ items: z.array(reviewDueArticleSchema) }),
  },
  // Live web chat (issue 5): the adviser's chats, held by the desk services (electron/services/chat.ts).
  chatDesk: { channel: 'chat:desk', input: none, output: chatDeskSchema },
  acceptChat: { channel: 'chat:accept', input: chatRefSchema, output: liveChatSchema },
  declineChat: { channel: 'chat:decline', input: chatRefSchema, output: none },
  /** A chat this adviser held, from the desk or else from the server's log (after a desk restart). */
  openChat: { channel: 'chat:open', input: chatRefSchema, output: liveChatSchema },
  sendChatMessage: {
    channel: 'chat:send',
    input: z.object({ chatId: chatRefSchema.shape.chatId, text: chatTextSchema }),
    output: deskChatMessageSchema,
  },
  setTyping: { channel: 'chat:typing', input: deskTypingSchema, output: none },
  endChat: { channel: 'chat:end', input: chatRefSchema, output: chatEndedSchema },
  setAvailability: {
    channel: 'adviser:availability',
    input: availabilityChangeSchema,
    output: adviserPresenceSchema,
  },
  // Safeguarding: a raise is queued durably and sent live when online; acknowledging needs the server.
  raiseSafeguardingConcern: {
    channel: 'safeguarding:raise',
    input: safeguardingRaiseSchema,
    output: safeguardingRaisedOnDeskSchema,
  },
  acknowledgeSafeguardingConcern: {
    channel: 'safeguarding:acknowledge',
    input: safeguardingAcknowledgeSchema,
    output: safeguardingAcknowledgedSchema,
  },
  /** Recent concerns, open and acknowledged (needs the server). */
  safeguardingHistory: {
    channel: 'safeguarding:history',
    input: safeguardingHistoryQuerySchema,
    output: safeguardingHistorySchema,
  },
  /** The immediate-risk protocol: the server's last one kept on the desk, or the default. */
  safeguardingProtocol: {
    channel: 'safeguarding:protocol',
    input: none,
    output: safeguardingProtocolSchema,
  },
  /** On an adviser's desk: acknowledgements of their concerns not yet dismissed. */
  safeguardingOutcomes: {
    channel: 'safeguarding:outcomes',
    input: none,
    output: safeguardingOutcomeListSchema,
  },
  dismissSafeguardingOutcome: {
    channel: 'safeguarding:dismiss-outcome',
    input: safeguardingConcernRefSchema,
    output: safeguardingOutcomeListSchema,
  },
  /** The alert region mounts after the last push; this is where it starts from. */
  openSafeguardingConcerns: {
    channel: 'safeguarding:open',
    input: none,
    output: safeguardingOpenListSchema,
  },
  // Interaction history (issue 12): the server's, over HTTP with the desk's access token.
  listHistory: {
    channel: 'history:list',
    input: historyListRequestSchema,
    output: historyPageSchema,
  },
  openHistory: {
    channel: 'history:open',
    input: z.object({ id: z.uuid() }),
    output: historyViewSchema,
  },
  /** The original, personal data shown: the server records who asked and why. */
  revealHistory: {
    channel: 'history:reveal',
    input: z.object({ id: z.uuid() }).extend(revealRequestSchema.shape),
    output: historyViewSchema,
  },
  /**
   * The recording of an interaction opened with openHistory or revealHistory.
   * The desk services fetch it with the access token, which never reaches the
   * renderer, and only from the path the server named for that interaction.
   */
  historyRecording: {
    channel: 'history:recording',
    input: z.object({ id: z.uuid(), offset: z.number().int().nonnegative() }),
    output: historyRecordingChunkSchema,
  },
  /** Every recorded view of personal data, for team leaders. */
  personalDataViews: {
    channel: 'history:personal-data-views',
    input: none,
    output: personalDataViewListSchema,
  },
  /** The caller's earlier interactions with the service, for the call or chat being taken. */
  earlierInteractions: {
    channel: 'history:earlier',
    input: z.union([callRefSchema, chatRefSchema]),
    output: earlierInteractionsSchema,
  },
  // The training library (issue 12), on the same server API and token as the history.
  listTraining: {
    channel: 'training:list',
    input: trainingQuerySchema,
    output: trainingListSchema,
  },
  /** An entry opened to replay, always redacted; its recording plays through historyRecording. */
  openTraining: {
    channel: 'training:open',
    input: z.object({ id: z.uuid() }),
    output: trainingViewSchema,
  },
  /** Adds an interaction to the library (awaiting clearance), or edits its entry. */
  saveTraining: {
    channel: 'training:save',
    input: z.object({ id: z.uuid(), entry: trainingEntryInputSchema }),
    output: trainingEntrySchema,
  },
  removeTraining: {
    channel: 'training:remove',
    input: z.object({ id: z.uuid() }),
    output: z.object({ removed: z.literal(true) }),
  },
  /** A team leader clears an entry for trainees, or refuses it with a reason. */
  clearTraining: {
    channel: 'training:clear',
    input: z.object({ id: z.uuid(), decision: clearanceDecisionSchema }),
    output: trainingEntrySchema,
  },
  addTrainingMark: {
    channel: 'training:add-mark',
    input: z.object({ id: z.uuid(), mark: newTrainingMarkSchema }),
    output: trainingMarkSchema,
  },
  removeTrainingMark: {
    channel: 'training:remove-mark',
    input: z.object({ id: z.uuid(), markId: z.uuid() }),
    output: z.object({ removed: z.literal(true) }),
  },
  // Quality review (issue 13): read from the server; a review's answers go through the outbox.
  listForms: { channel: 'quality:forms', input: none, output: formListSchema },
  listReviews: { channel: 'quality:list', input: reviewQuerySchema, output: reviewListSchema },
  /** A review beside its interaction's replay (redacted), with any save still on this desk. */
  openReview: {
    channel: 'quality:open',
    input: z.object({ id: z.uuid() }),
    output: deskReviewViewSchema,
  },
  /** A team leader reviews an interaction outside the sample. */
  startReview: { channel: 'quality:start', input: newReviewSchema, output: reviewViewSchema },
  /** Queued in the outbox with the review's other saves, in order; answered once it is queued. */
  saveReview: {
    channel: 'quality:save',
    input: reviewSaveRequestSchema,
    output: z.object({ queued: z.literal(true), savedAt: z.iso.datetime({ offset: true }) }),
  },
  acknowledgeReview: {
    channel: 'quality:acknowledge',
    input: z.object({ id: z.uuid(), acknowledgement: acknowledgementInputSchema }),
    output: reviewViewSchema,
  },
  disputeReview: {
    channel: 'quality:dispute',
    input: z.object({ id: z.uuid(), dispute: disputeInputSchema }),
    output: reviewViewSchema,
  },
  resolveDispute: {
    channel: 'quality:resolve',
    input: z.object({
      id: z.uuid(),
      itemId: z.string().min(1).max(64),
      resolution: resolutionInputSchema,
    }),
    output: reviewViewSchema,
  },
  flagForReview: { channel: 'quality:flag', input: flagInputSchema, output: flagSchema },
  listSamples: { channel: 'quality:samples', input: none, output: sampleListSchema },
  drawSample: {
    channel: 'quality:draw-sample',
    input: drawSampleInputSchema,
    output: sampleSchema,
  },
  openSample: {
    channel: 'quality:sample',
    input: z.object({ id: z.uuid() }),
    output: sampleCheckSchema,
  },
  listCalibrations: { channel: 'quality:calibrations', input: none, output: calibrationListSchema },
  openCalibration: {
    channel: 'quality:calibration',
    input: z.object({ id: z.uuid() }),
    output: calibrationSessionSchema,
  },
  createCalibration: {
    channel: 'quality:create-calibration',
    input: newCalibrationSchema,
    output: calibrationSessionSchema,
  },
  closeCalibration: {
    channel: 'quality:close-calibration',
    input: z.object({ id: z.uuid() }),
    output: calibrationSessionSchema,
  },
  listReviewers: { channel: 'quality:reviewers', input: none, output: reviewerListSchema },
  qualityReport: {
    channel: 'quality:report',
    input: reportQuerySchema,
    output: qualityReportSchema,
  },
  /** The report's figures per week or month of a range, for the team and one adviser. */
  qualityReportTrend: {
    channel: 'quality:report-trend',
    input: reportTrendQuerySchema,
    output: reportTrendSchema,
  },
  /** The form editor: the next version saved as a draft, then published (it never changes after). */
  saveFormDraft: {
    channel: 'quality:save-form-draft',
    input: z.object({ formId: formIdSchema, draft: formDraftInputSchema }),
    output: formVersionSchema,
  },
  publishFormVersion: {
    channel: 'quality:publish-form',
    input: z.object({ formId: formIdSchema, version: z.number().int().positive() }),
    output: formVersionSchema,
  },
  /** A draft review passed to another team leader, recorded with why. */
  reassignReview: {
    channel: 'quality:reassign',
    input: z.object({ id: z.uuid(), reassignment: reassignInputSchema }),
    output: reviewViewSchema,
  },
  /** Reviewers' agreement per calibration session over a range of days. */
  agreementTrend: {
    channel: 'quality:agreement-trend',
    input: agreementTrendQuerySchema,
    output: agreementTrendSchema,
  },
  listAdvisers: { channel: 'quality:advisers', input: none, output: adviserListSchema },
  listTargets: { channel: 'quality:targets', input: targetQuerySchema, output: targetListSchema },
  setTarget: { channel: 'quality:set-target', input: targetInputSchema, output: targetSchema },
  withdrawTarget: {
    channel: 'quality:withdraw-target',
    input: z.object({ id: z.uuid(), withdrawal: targetWithdrawalSchema }),
    output: targetSchema,
  },
  // Follow-up calls (issue 14): the server's, on the same token as the history.
  /** Due today and overdue: the adviser's own, then those offered to the team. */
  followUpsToday: { channel: 'follow-ups:today', input: none, output: followUpListSchema },
  /** Rings the customer once through the telephony platform and records the attempt. */
  ringFollowUp: {
    channel: 'follow-ups:ring',
    input: z.object({ id: z.uuid() }),
    output: followUpAttemptResultSchema,
  },
  /** A new slot in the window; the desk asks only once the customer has agreed to it. */
  rebookFollowUp: {
    channel: 'follow-ups:rebook',
    input: z.object({ id: z.uuid(), slotStart: z.iso.datetime({ offset: true }) }),
    output: followUpCallSchema,
  },
  withdrawFollowUp: {
    channel: 'follow-ups:withdraw',
    input: z.object({ id: z.uuid(), reason: followUpWithdrawSchema.shape.reason }),
    output: followUpCallSchema,
  },
  /** How many follow-ups each day of a window holds, when booking one. */
  followUpCapacity: {
    channel: 'follow-ups:capacity',
    input: z.object({ from: z.iso.date(), to: z.iso.date() }),
    output: followUpCapacitySchema,
  },
  // The service dashboard (issue 14), for team leaders, on the same server API and token.
  dashboardFigures: {
    channel: 'dashboard:figures',
    input: dashboardQuerySchema,
    output: dashboardFiguresSchema,
  },
  improvementPlan: {
    channel: 'dashboard:plan',
    input: none,
    output: improvementPlanSchema,
  },
  /** Adds an action to the plan; answers the whole plan again. */
  addImprovementAction: {
    channel: 'dashboard:add-action',
    input: improvementActionInputSchema,
    output: improvementPlanSchema,
  },
  /** The wrap-up outcome codes as the desk holds them (cached from the server, so it works offline). */
  outcomeCodes: {
    channel: 'wrap-up:outcome-codes',
    input: none,
    output: outcomeCodeSettingSchema,
  },
  /** The helpline's service hours as the desk holds them (cached from the server), for booking follow-ups. */
  serviceHours: {
    channel: 'follow-ups:service-hours',
    input: none,
    output: serviceHoursSettingSchema,
  },
  /** The live board as the server last pushed it; null until it has (or for a desk not sent it). */
  liveBoard: {
    channel: 'dashboard:live-board',
    input: none,
    output: liveBoardSchema.nullable(),
  },
} as const satisfies Record<string, { channel: string; input: z.ZodType; output: z.ZodType }>;

/** Pushed events: name -> IPC channel, payload schema. */
export const deskEvents = {
  statusChanged: { channel: 'desk:status-changed', payload: deskStatusSchema },
  callOffered: { channel: 'call:offered', payload: callOfferSchema },
  callEnded: { channel: 'call:ended', payload: callEndedSchema },
  /** A routed call stopped ringing here: it ran out, was taken elsewhere, or the caller left. */
  callOfferWithdrawn: { channel: 'call:offer-withdrawn', payload: callOfferWithdrawnSchema },
  knowledgeSyncChanged: { channel: 'knowledge:sync-changed', payload: knowledgeSyncStatusSchema },
  chatOffered: { channel: 'chat:offered', payload: chatOfferSchema },
  chatOfferWithdrawn: { channel: 'chat:offer-withdrawn', payload: chatOfferWithdrawnSchema },
  /** The whole conversation, every time: the renderer never has to merge. */
  chatUpdated: { channel: 'chat:updated', payload: liveChatSchema },
  queueStats: { channel: 'queue:stats', payload: queueStatsSchema },
  availabilityChanged: { channel: 'adviser:presence', payload: adviserPresenceSchema },
  /** Every concern still open, on a team leader's desk, whenever that changes. */
  safeguardingAlerts: { channel: 'safeguarding:alerts', payload: safeguardingOpenListSchema },
  /** On an adviser's desk: a team leader acknowledged one of their concerns. */
  safeguardingOutcomes: {
    channel: 'safeguarding:outcomes-changed',
    payload: safeguardingOutcomeListSchema,
  },
  /** On a team leader's desk: the live board, each time the server pushes it. */
  liveBoardChanged: { channel: 'dashboard:board', payload: liveBoardSchema },
} as const satisfies Record<string, { channel: string; payload: z.ZodType }>;

export type DeskRequestName = keyof typeof deskRequests;
export type DeskEventName = keyof typeof deskEvents;
export type DeskRequestInput<K extends DeskRequestName> = z.input<
  (typeof deskRequests)[K]['input']
>;
export type DeskRequestOutput<K extends DeskRequestName> = z.output<
  (typeof deskRequests)[K]['output']
>;
export type DeskEventPayload<K extends DeskEventName> = z.output<(typeof deskEvents)[K]['payload']>;

/** Subscription helper names: statusChanged -> onStatusChanged. */
export type DeskEventSubscriber<K extends DeskEventName> = `on${Capitalize<K>}`;

/**
 * What the preload (Electron) or the WebSocket client (browser mode) gives the
 * renderer: one named function per request, one `onX` per pushed event that
 * returns an unsubscribe function. Nothing else: no raw send/invoke/on.
 */
export type DeskBridge = {
  [K in DeskRequestName]: (input: DeskRequestInput<K>) => Promise<Result<DeskRequestOutput<K>>>;
} & {
  [K in DeskEventName as DeskEventSubscriber<K>]: (
    listener: (payload: DeskEventPayload<K>) => void,
  ) => () => void;
};

export const deskRequestNames = Object.keys(deskRequests) as DeskRequestName[];
export const deskEventNames = Object.keys(deskEvents) as DeskEventName[];

export function subscriberName<K extends DeskEventName>(name: K): DeskEventSubscriber<K> {
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}` as DeskEventSubscriber<K>;
}
