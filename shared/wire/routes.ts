// Every route of the central server's HTTP API, declared once (issue #16):
// the server registers each of these with who may call it
// (server/http/safe-routes.ts), and the desk services, the customer page and
// the mail page call them by name. Grouped by area as the wire files are.
import { z } from 'zod';
import { credentialsSchema } from '../domain/people';
import { followUpBookingSchema, interactionRecordSchema } from '../interaction/record';
import { outcomeCodeAnswerSchema } from '../interaction/outcome-codes';
import {
  articleIdSchema,
  knowledgeArticleSchema,
  knowledgeChangePageSchema,
} from '../knowledge/article';
import { formIdSchema } from '../quality/form';
import { chatRefSchema, queuedCallRequestSchema, queuedCallSchema } from './chat';
import { chat } from './chat-routes';
import {
  dashboardFiguresSchema,
  dashboardQuerySchema,
  improvementActionInputSchema,
  improvementPlanSchema,
} from './dashboard';
import {
  followUpAttemptResultSchema,
  followUpCallSchema,
  followUpCapacityQuerySchema,
  followUpCapacitySchema,
  followUpListSchema,
  followUpPathSchema,
  followUpRebookSchema,
  followUpWithdrawSchema,
} from './follow-ups';
import {
  earlierInteractionsSchema,
  historyPageSchema,
  historyQuerySchema,
  historyViewSchema,
  personalDataViewListSchema,
  revealRequestSchema,
} from './history';
import {
  accessGrantSchema,
  healthSchema,
  listQuerySchema,
  sessionGrantSchema,
  telephonyCallOfferedSchema,
  telephonyCallPathSchema,
  telephonyCallRequestSchema,
} from './http';
import {
  changeFeedQuerySchema,
  draftApprovalSchema,
  draftListQuerySchema,
  draftRejectionSchema,
  knowledgeDraftSchema,
  knowledgeEditSchema,
  retireArticleSchema,
  reviewDueArticleSchema,
  serverSearchAnswerSchema,
  serverSearchQuerySchema,
} from './knowledge';
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
  reassignInputSchema,
  reportQuerySchema,
  reportTrendQuerySchema,
  reportTrendSchema,
  resolutionInputSchema,
  reviewAnswersInputSchema,
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
} from './quality';
import { safeguardingHistoryQuerySchema, safeguardingHistorySchema } from './safeguarding';
import { callEndedSchema } from './socket';
import {
  clearanceDecisionSchema,
  newTrainingMarkSchema,
  trainingEntryInputSchema,
  trainingEntrySchema,
  trainingListSchema,
  trainingMarkSchema,
  trainingQuerySchema,
  trainingViewSchema,
} from './training';
import {
  failingTranscriptListSchema,
  mailListSchema,
  mailMessageSchema,
  mailPathSchema,
  queuedTranscriptListSchema,
} from './transcripts';
import { defineRoute as route } from './route-contract';

/** Most records are named by a UUID in the path. */
const idPath = z.object({ id: z.uuid() });
/** What a deletion answers. */
export const removedSchema = z.object({ removed: z.literal(true) });

export const health = {
  check: route({ method: 'get', path: '/healthz', answer: healthSchema }),
};

/** Sign-in, access tokens and sign-out: each takes the session token, not an access token. */
export const session = {
  signIn: route({
    method: 'post',
    path: '/api/session',
    what: 'Sign-in details',
    body: credentialsSchema,
    answer: sessionGrantSchema,
  }),
  accessToken: route({ method: 'post', path: '/api/session/token', answer: accessGrantSchema }),
  signOut: route({ method: 'delete', path: '/api/session', answer: z.null() }),
};

/** The simulated telephony side, behind its own key. */
export const clockMoveSchema = z.object({ at: z.iso.datetime({ offset: true }) });
export const customerBehaviourSchema = z.object({
  number: z.string().min(3).max(30),
  answers: z.boolean(),
});
export const telephony = {
  offerCall: route({
    method: 'post',
    path: '/api/telephony/calls',
    what: 'Call offer',
    body: telephonyCallRequestSchema,
    answer: telephonyCallOfferedSchema,
  }),
  endCall: route({
    method: 'post',
    path: '/api/telephony/calls/:callId/end',
    what: 'Call',
    params: telephonyCallPathSchema,
    answer: callEndedSchema,
  }),
  // A call with no caller line identity may come with no body at all.
  queueCall: route({
    method: 'post',
    path: '/api/telephony/queue',
    what: 'Call',
    body: queuedCallRequestSchema.optional().transform((call) => call ?? {}),
    answer: queuedCallSchema,
  }),
  /** Only on a server started with a simulated clock. */
  moveClock: route({
    method: 'post',
    path: '/api/telephony/clock',
    what: 'Clock',
    body: clockMoveSchema,
    answer: z.object({ now: z.iso.datetime({ offset: true }) }),
  }),
  customerAnswers: route({
    method: 'post',
    path: '/api/telephony/customers',
    what: 'Customer',
    body: customerBehaviourSchema,
    answer: z.object({ number: z.string(), answers: z.boolean() }),
  }),
};

export const history = {
  list: route({
    method: 'get',
    path: '/api/history',
    what: 'History query',
    query: historyQuerySchema,
    answer: historyPageSchema,
  }),
  open: route({
    method: 'get',
    path: '/api/history/:id',
    what: 'Interaction',
    params: idPath,
    answer: historyViewSchema,
  }),
  reveal: route({
    method: 'post',
    path: '/api/history/:id/original',
    what: 'Reason',
    params: idPath,
    body: revealRequestSchema,
    answer: historyViewSchema,
  }),
  callEarlier: route({
    method: 'get',
    path: '/api/calls/:callId/earlier',
    what: 'Call',
    params: telephonyCallPathSchema,
    answer: earlierInteractionsSchema,
  }),
  chatEarlier: route({
    method: 'get',
    path: '/api/chats/:chatId/earlier',
    what: 'Chat',
    params: chatRefSchema,
    answer: earlierInteractionsSchema,
  }),
  /** A call's recording: the bytes, for the adviser who took it and team leaders. */
  callRecording: route({
    method: 'get',
    path: '/api/calls/:callId/recording',
    what: 'Call',
    params: telephonyCallPathSchema,
    answer: 'binary',
  }),
  personalDataViews: route({
    method: 'get',
    path: '/api/audit/personal-data',
    what: 'Listing query',
    query: listQuerySchema,
    answer: personalDataViewListSchema,
  }),
  /** The held interaction records, newest first. */
  interactions: route({
    method: 'get',
    path: '/api/interactions',
    what: 'Listing query',
    query: listQuerySchema,
    answer: z.object({ items: z.array(interactionRecordSchema) }),
  }),
};

export const training = {
  list: route({
    method: 'get',
    path: '/api/training',
    what: 'Training library query',
    query: trainingQuerySchema,
    answer: trainingListSchema,
  }),
  open: route({
    method: 'get',
    path: '/api/training/:id',
    what: 'Training entry',
    params: idPath,
    answer: trainingViewSchema,
  }),
  recording: route({
    method: 'get',
    path: '/api/training/:id/recording',
    what: 'Training entry',
    params: idPath,
    answer: 'binary',
  }),
  save: route({
    method: 'post',
    path: '/api/training/:id',
    what: 'Training entry',
    params: idPath,
    body: trainingEntryInputSchema,
    answer: trainingEntrySchema,
  }),
  remove: route({
    method: 'delete',
    path: '/api/training/:id',
    what: 'Training entry',
    params: idPath,
    answer: removedSchema,
  }),
  clear: route({
    method: 'post',
    path: '/api/training/:id/clearance',
    what: 'Clearance',
    params: idPath,
    body: clearanceDecisionSchema,
    answer: trainingEntrySchema,
  }),
  addMark: route({
    method: 'post',
    path: '/api/training/:id/marks',
    what: 'Bookmark or note',
    params: idPath,
    body: newTrainingMarkSchema,
    answer: trainingMarkSchema,
  }),
  removeMark: route({
    method: 'delete',
    path: '/api/training/:id/marks/:markId',
    what: 'Bookmark or note',
    params: z.object({ id: z.uuid(), markId: z.uuid() }),
    answer: removedSchema,
  }),
};

const formPath = z.object({ formId: formIdSchema });
const reviewWithAnswers = {
  what: 'Answers',
  params: idPath,
  body: reviewAnswersInputSchema,
  answer: reviewViewSchema,
} as const;

export const quality = {
  forms: route({ method: 'get', path: '/api/quality/forms', answer: formListSchema }),
  saveFormDraft: route({
    method: 'post',
    path: '/api/quality/forms/:formId/draft',
    what: 'The form',
    params: formPath,
    body: formDraftInputSchema,
    answer: formVersionSchema,
  }),
  publishFormVersion: route({
    method: 'post',
    path: '/api/quality/forms/:formId/versions/:version/publish',
    what: 'Form version',
    params: formPath.extend({ version: z.coerce.number().int().positive() }),
    answer: formVersionSchema,
  }),
  listReviews: route({
    method: 'get',
    path: '/api/quality/reviews',
    what: 'Review list query',
    query: reviewQuerySchema,
    answer: reviewListSchema,
  }),
  startReview: route({
    method: 'post',
    path: '/api/quality/reviews',
    what: 'Review',
    body: newReviewSchema,
    answer: reviewViewSchema,
  }),
  openReview: route({
    method: 'get',
    path: '/api/quality/reviews/:id',
    what: 'Review',
    params: idPath,
    answer: reviewViewSchema,
  }),
  saveReviewDraft: route({
    method: 'post',
    path: '/api/quality/reviews/:id/draft',
    ...reviewWithAnswers,
  }),
  publishReview: route({
    method: 'post',
    path: '/api/quality/reviews/:id/publish',
    ...reviewWithAnswers,
  }),
  acknowledge: route({
    method: 'post',
    path: '/api/quality/reviews/:id/acknowledgement',
    what: 'Acknowledgement',
    params: idPath,
    body: acknowledgementInputSchema,
    answer: reviewViewSchema,
  }),
  dispute: route({
    method: 'post',
    path: '/api/quality/reviews/:id/disputes',
    what: 'Dispute',
    params: idPath,
    body: disputeInputSchema,
    answer: reviewViewSchema,
  }),
  resolveDispute: route({
    method: 'post',
    path: '/api/quality/reviews/:id/disputes/:itemId/resolution',
    what: 'Resolution',
    params: z.object({ id: z.uuid(), itemId: formIdSchema }),
    body: resolutionInputSchema,
    answer: reviewViewSchema,
  }),
  reassign: route({
    method: 'post',
    path: '/api/quality/reviews/:id/reassignment',
    what: 'Reassignment',
    params: idPath,
    body: reassignInputSchema,
    answer: reviewViewSchema,
  }),
  flag: route({
    method: 'post',
    path: '/api/quality/flags',
    what: 'Request for review',
    body: flagInputSchema,
    answer: flagSchema,
  }),
  samples: route({ method: 'get', path: '/api/quality/samples', answer: sampleListSchema }),
  drawSample: route({
    method: 'post',
    path: '/api/quality/samples',
    what: 'Sample',
    body: drawSampleInputSchema,
    answer: sampleSchema,
  }),
  openSample: route({
    method: 'get',
    path: '/api/quality/samples/:id',
    what: 'Sample',
    params: idPath,
    answer: sampleCheckSchema,
  }),
  calibrations: route({
    method: 'get',
    path: '/api/quality/calibration',
    answer: calibrationListSchema,
  }),
  createCalibration: route({
    method: 'post',
    path: '/api/quality/calibration',
    what: 'Calibration session',
    body: newCalibrationSchema,
    answer: calibrationSessionSchema,
  }),
  openCalibration: route({
    method: 'get',
    path: '/api/quality/calibration/:id',
    what: 'Calibration session',
    params: idPath,
    answer: calibrationSessionSchema,
  }),
  closeCalibration: route({
    method: 'post',
    path: '/api/quality/calibration/:id/close',
    what: 'Calibration session',
    params: idPath,
    answer: calibrationSessionSchema,
  }),
  agreementTrend: route({
    method: 'get',
    path: '/api/quality/agreement',
    what: 'Agreement query',
    query: agreementTrendQuerySchema,
    answer: agreementTrendSchema,
  }),
  /** The team leaders a calibration session may have as reviewers. */
  reviewers: route({ method: 'get', path: '/api/quality/reviewers', answer: reviewerListSchema }),
  report: route({
    method: 'get',
    path: '/api/quality/reports',
    what: 'Report query',
    query: reportQuerySchema,
    answer: qualityReportSchema,
  }),
  reportTrend: route({
    method: 'get',
    path: '/api/quality/reports/trend',
    what: 'Report query',
    query: reportTrendQuerySchema,
    answer: reportTrendSchema,
  }),
  /** The advisers a team leader may set targets for. */
  advisers: route({ method: 'get', path: '/api/quality/advisers', answer: adviserListSchema }),
  targets: route({
    method: 'get',
    path: '/api/quality/targets',
    what: 'Target query',
    query: targetQuerySchema,
    answer: targetListSchema,
  }),
  setTarget: route({
    method: 'post',
    path: '/api/quality/targets',
    what: 'Target',
    body: targetInputSchema,
    answer: targetSchema,
  }),
  withdrawTarget: route({
    method: 'post',
    path: '/api/quality/targets/:id/withdrawal',
    what: 'Withdrawal',
    params: idPath,
    body: targetWithdrawalSchema,
    answer: targetSchema,
  }),
};

export const dashboard = {
  figures: route({
    method: 'get',
    path: '/api/dashboard/figures',
    what: 'Dashboard question',
    query: dashboardQuerySchema,
    answer: dashboardFiguresSchema,
  }),
  plan: route({ method: 'get', path: '/api/dashboard/plan', answer: improvementPlanSchema }),
  addAction: route({
    method: 'post',
    path: '/api/dashboard/plan',
    what: 'Improvement action',
    body: improvementActionInputSchema,
    answer: improvementPlanSchema,
  }),
};

export const followUps = {
  /** Every booking held, newest first: the listing behind the permission tables. */
  list: route({
    method: 'get',
    path: '/api/follow-ups',
    what: 'Listing query',
    query: listQuerySchema,
    answer: z.object({ items: z.array(followUpBookingSchema) }),
  }),
  today: route({ method: 'get', path: '/api/follow-ups/today', answer: followUpListSchema }),
  capacity: route({
    method: 'get',
    path: '/api/follow-ups/capacity',
    what: 'Capacity query',
    query: followUpCapacityQuerySchema,
    answer: followUpCapacitySchema,
  }),
  open: route({
    method: 'get',
    path: '/api/follow-ups/:id',
    what: 'Follow-up',
    params: followUpPathSchema,
    answer: followUpCallSchema,
  }),
  ring: route({
    method: 'post',
    path: '/api/follow-ups/:id/attempts',
    what: 'Follow-up',
    params: followUpPathSchema,
    answer: followUpAttemptResultSchema,
  }),
  rebook: route({
    method: 'post',
    path: '/api/follow-ups/:id/rebook',
    what: 'Rebooking',
    params: followUpPathSchema,
    body: followUpRebookSchema,
    answer: followUpCallSchema,
  }),
  withdraw: route({
    method: 'post',
    path: '/api/follow-ups/:id/withdraw',
    what: 'Withdrawal',
    params: followUpPathSchema,
    body: followUpWithdrawSchema,
    answer: followUpCallSchema,
  }),
};

const draftPath = z.object({ id: z.uuid() });
const articlePath = z.object({ id: articleIdSchema });

export const knowledge = {
  changes: route({
    method: 'get',
    path: '/api/knowledge/changes',
    what: 'Change feed query',
    query: changeFeedQuerySchema,
    answer: knowledgeChangePageSchema,
  }),
  article: route({
    method: 'get',
    path: '/api/knowledge/articles/:id',
    what: 'Article id',
    params: articlePath,
    answer: knowledgeArticleSchema,
  }),
  reviewDue: route({
    method: 'get',
    path: '/api/knowledge/review-due',
    answer: z.object({ items: z.array(reviewDueArticleSchema) }),
  }),
  /** Published articles only: the server's full-text search (a desk searches its replica). */
  search: route({
    method: 'get',
    path: '/api/knowledge/search',
    what: 'Search query',
    query: serverSearchQuerySchema,
    answer: serverSearchAnswerSchema,
  }),
  drafts: route({
    method: 'get',
    path: '/api/knowledge/drafts',
    what: 'Draft listing query',
    query: draftListQuerySchema,
    answer: z.object({ items: z.array(knowledgeDraftSchema) }),
  }),
  /** 201 for a new draft, 200 for a resend answered with the draft already held. */
  submitDraft: route({
    method: 'post',
    path: '/api/knowledge/drafts',
    what: 'Knowledge edit',
    body: knowledgeEditSchema,
    answer: knowledgeDraftSchema,
  }),
  approve: route({
    method: 'post',
    path: '/api/knowledge/drafts/:id/approve',
    what: 'Approval',
    params: draftPath,
    body: draftApprovalSchema.optional(),
    answer: knowledgeArticleSchema,
  }),
  reject: route({
    method: 'post',
    path: '/api/knowledge/drafts/:id/reject',
    what: 'Rejection',
    params: draftPath,
    body: draftRejectionSchema,
    answer: knowledgeDraftSchema,
  }),
  retire: route({
    method: 'post',
    path: '/api/knowledge/articles/:id/retire',
    what: 'Retirement',
    params: articlePath,
    body: retireArticleSchema,
    answer: z.object({ version: z.number().int().positive() }),
  }),
};

export const safeguarding = {
  concerns: route({
    method: 'get',
    path: '/api/safeguarding/concerns',
    what: 'Safeguarding history',
    query: safeguardingHistoryQuerySchema,
    answer: safeguardingHistorySchema,
  }),
};

export { chat };

export const wrapUp = {
  outcomeCodes: route({
    method: 'get',
    path: '/api/wrap-up/outcome-codes',
    answer: outcomeCodeAnswerSchema,
  }),
};

/** Operators' view of transcript delivery and the mail sink, and its page. */
export const transcripts = {
  list: route({
    method: 'get',
    path: '/api/transcripts',
    what: 'Listing query',
    query: listQuerySchema,
    answer: queuedTranscriptListSchema,
  }),
  failing: route({
    method: 'get',
    path: '/api/transcripts/failing',
    what: 'Listing query',
    query: listQuerySchema,
    answer: failingTranscriptListSchema,
  }),
  mail: route({
    method: 'get',
    path: '/api/mail',
    what: 'Listing query',
    query: listQuerySchema,
    answer: mailListSchema,
  }),
  mailMessage: route({
    method: 'get',
    path: '/api/mail/:id',
    what: 'Message',
    params: mailPathSchema,
    answer: mailMessageSchema,
  }),
  page: route({ method: 'get', path: '/mail', answer: 'page' }),
  /** A message's own address, so a link can be shared; the page fetches the message. */
  messagePage: route({
    method: 'get',
    path: '/mail/:id',
    what: 'Message',
    params: mailPathSchema,
    answer: 'page',
  }),
};

/** Every route, by area: what the server registers and the desk calls. */
export const httpRoutes = {
  health,
  session,
  telephony,
  history,
  training,
  quality,
  dashboard,
  followUps,
  knowledge,
  safeguarding,
  wrapUp,
  chat,
  transcripts,
} as const;
