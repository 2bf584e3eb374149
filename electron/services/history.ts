// Interaction history on the desk: finding past interactions, opening one to
// replay, seeing its personal data with a reason, and hearing its recording;
// the training library and quality reviews, which replay the same way.
// All of it is the central server's (it hides personal data before anything
// leaves it, and records every reveal), so each request needs the desk online
// and calls the server's HTTP API with the desk's short-lived access token.
// The token stays here: the renderer gets parsed answers and audio bytes only.
import { z } from 'zod';
import {
  recordingChunkBytes,
  type ConnectionState,
  type deskRequests,
  type HistoryRecordingChunk,
} from '../../shared/ipc/contract';
import { fail, ok, resultSchema, type Result } from '../../shared/result';
import type { HistoryPage, HistoryView } from '../../shared/wire/history';
import type { TrainingView } from '../../shared/wire/training';
import type { ReviewView } from '../../shared/wire/quality';
import type { DashboardQuery, ImprovementActionInput } from '../../shared/wire/dashboard';
import type { JsonRoute, RouteAnswer, RouteCall } from '../../shared/wire/route-contract';
import { dashboard, history as historyRoutes, quality, training } from '../../shared/wire/routes';
import type { DeskHandlerRegistry } from './handlers';
import type { ReviewDrafts } from './review-drafts';
import { serverJson } from './server-json';

/** What the history client needs from the server connection. */
export interface HistoryConnection {
  readonly state: ConnectionState;
  requestToken(): Promise<string | null>;
}

export interface DeskHistoryOptions {
  serverUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Refused beyond this: a recording is held in memory while it is handed over. */
  maxRecordingBytes?: number;
}

type ListInput = z.output<typeof deskRequests.listHistory.input>;
type RevealInput = z.output<typeof deskRequests.revealHistory.input>;
type RecordingInput = z.output<typeof deskRequests.historyRecording.input>;
type TrainingListInput = z.output<typeof deskRequests.listTraining.input>;
type TrainingSaveInput = z.output<typeof deskRequests.saveTraining.input>;
type TrainingClearInput = z.output<typeof deskRequests.clearTraining.input>;
type TrainingMarkInput = z.output<typeof deskRequests.addTrainingMark.input>;
type TrainingMarkRef = z.output<typeof deskRequests.removeTrainingMark.input>;
type ReviewListInput = z.output<typeof deskRequests.listReviews.input>;
type AcknowledgeInput = z.output<typeof deskRequests.acknowledgeReview.input>;
type DisputeRequest = z.output<typeof deskRequests.disputeReview.input>;
type ResolveInput = z.output<typeof deskRequests.resolveDispute.input>;
type FlagInput = z.output<typeof deskRequests.flagForReview.input>;
type DrawInput = z.output<typeof deskRequests.drawSample.input>;
type NewCalibrationInput = z.output<typeof deskRequests.createCalibration.input>;
type ReportInput = z.output<typeof deskRequests.qualityReport.input>;
type ReportTrendInput = z.output<typeof deskRequests.qualityReportTrend.input>;
type FormDraftRequest = z.output<typeof deskRequests.saveFormDraft.input>;
type FormPublishRequest = z.output<typeof deskRequests.publishFormVersion.input>;
type ReassignRequest = z.output<typeof deskRequests.reassignReview.input>;
type TrendInput = z.output<typeof deskRequests.agreementTrend.input>;
type TargetListInput = z.output<typeof deskRequests.listTargets.input>;
type TargetInput = z.output<typeof deskRequests.setTarget.input>;
type TargetWithdrawRequest = z.output<typeof deskRequests.withdrawTarget.input>;

/** A recording fetched once and handed to the renderer piece by piece. */
interface HeldRecording {
  id: string;
  path: string;
  contentType: string;
  bytes: Buffer;
}

const offline = () =>
  fail(
    'unavailable',
    'Interaction history is on the central server, and the desk is not connected to it just now',
  );

export class DeskHistory {
  private readonly fetch: typeof fetch;
  /**
   * Where each opened interaction's recording is, as the server named it. Only
   * these paths are ever fetched for the renderer, so it cannot aim the token
   * at anything else.
   */
  private readonly recordingPaths = new Map<string, string>();
  /** One recording at a time: a replay plays one, and a long call's audio is large. */
  private held: HeldRecording | null = null;

  constructor(
    private readonly connection: HistoryConnection,
    private readonly options: DeskHistoryOptions,
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  list(input: ListInput): Promise<Result<HistoryPage>> {
    return this.call(historyRoutes.list, { query: input });
  }

  async open({ id }: { id: string }): Promise<Result<HistoryView>> {
    return this.remember(id, await this.call(historyRoutes.open, { params: { id } }));
  }

  async reveal({ id, reason }: RevealInput): Promise<Result<HistoryView>> {
    const answer = await this.call(historyRoutes.reveal, { params: { id }, body: { reason } });
    return this.remember(id, answer);
  }

  personalDataViews() {
    return this.call(historyRoutes.personalDataViews, {});
  }

  /** The caller's earlier interactions, for the adviser taking the call or chat. */
  earlier(contact: { callId: string } | { chatId: string }) {
    return 'callId' in contact
      ? this.call(historyRoutes.callEarlier, { params: { callId: contact.callId } })
      : this.call(historyRoutes.chatEarlier, { params: { chatId: contact.chatId } });
  }

  listTraining(input: TrainingListInput) {
    return this.call(training.list, { query: input });
  }

  /** An entry to replay: its recording, once cleared, comes through the library's own route. */
  async openTraining({ id }: { id: string }): Promise<Result<TrainingView>> {
    const answer = await this.call(training.open, { params: { id } });
    if (!answer.ok) return answer;
    const view = this.remember(id, ok(answer.value.view));
    return view.ok ? answer : view;
  }

  saveTraining({ id, entry }: TrainingSaveInput) {
    return this.call(training.save, { params: { id }, body: entry });
  }

  removeTraining({ id }: { id: string }) {
    return this.call(training.remove, { params: { id } });
  }

  clearTraining({ id, decision }: TrainingClearInput) {
    return this.call(training.clear, { params: { id }, body: decision });
  }

  addTrainingMark({ id, mark }: TrainingMarkInput) {
    return this.call(training.addMark, { params: { id }, body: mark });
  }

  removeTrainingMark({ id, markId }: TrainingMarkRef) {
    return this.call(training.removeMark, { params: { id, markId } });
  }

  listForms() {
    return this.call(quality.forms, {});
  }

  listReviews(input: ReviewListInput) {
    return this.call(quality.listReviews, { query: input });
  }

  /** A review beside its replay: its interaction's recording then plays through `recording`. */
  async openReview({ id }: { id: string }): Promise<Result<ReviewView>> {
    return this.rememberReview(await this.call(quality.openReview, { params: { id } }));
  }

  async startReview({ interactionId }: { interactionId: string }): Promise<Result<ReviewView>> {
    return this.rememberReview(await this.call(quality.startReview, { body: { interactionId } }));
  }

  acknowledgeReview({ id, acknowledgement }: AcknowledgeInput) {
    return this.call(quality.acknowledge, { params: { id }, body: acknowledgement });
  }

  disputeReview({ id, dispute }: DisputeRequest) {
    return this.call(quality.dispute, { params: { id }, body: dispute });
  }

  resolveDispute({ id, itemId, resolution }: ResolveInput) {
    return this.call(quality.resolveDispute, { params: { id, itemId }, body: resolution });
  }

  flagForReview(input: FlagInput) {
    return this.call(quality.flag, { body: input });
  }

  listSamples() {
    return this.call(quality.samples, {});
  }

  drawSample(input: DrawInput) {
    return this.call(quality.drawSample, { body: input });
  }

  openSample({ id }: { id: string }) {
    return this.call(quality.openSample, { params: { id } });
  }

  listCalibrations() {
    return this.call(quality.calibrations, {});
  }

  openCalibration({ id }: { id: string }) {
    return this.call(quality.openCalibration, { params: { id } });
  }

  createCalibration(input: NewCalibrationInput) {
    return this.call(quality.createCalibration, { body: input });
  }

  closeCalibration({ id }: { id: string }) {
    return this.call(quality.closeCalibration, { params: { id } });
  }

  listReviewers() {
    return this.call(quality.reviewers, {});
  }

  qualityReport(input: ReportInput) {
    return this.call(quality.report, { query: input });
  }

  qualityReportTrend(input: ReportTrendInput) {
    return this.call(quality.reportTrend, { query: input });
  }

  saveFormDraft({ formId, draft }: FormDraftRequest) {
    return this.call(quality.saveFormDraft, { params: { formId }, body: draft });
  }

  publishFormVersion({ formId, version }: FormPublishRequest) {
    return this.call(quality.publishFormVersion, { params: { formId, version } });
  }

  reassignReview({ id, reassignment }: ReassignRequest) {
    return this.call(quality.reassign, { params: { id }, body: reassignment });
  }

  agreementTrend(input: TrendInput) {
    return this.call(quality.agreementTrend, { query: input });
  }

  listAdvisers() {
    return this.call(quality.advisers, {});
  }

  listTargets(input: TargetListInput) {
    return this.call(quality.targets, { query: input });
  }

  setTarget(input: TargetInput) {
    return this.call(quality.setTarget, { body: input });
  }

  withdrawTarget({ id, withdrawal }: TargetWithdrawRequest) {
    return this.call(quality.withdrawTarget, { params: { id }, body: withdrawal });
  }

  dashboardFigures(input: DashboardQuery) {
    return this.call(dashboard.figures, { query: input });
  }

  improvementPlan() {
    return this.call(dashboard.plan, {});
  }

  addImprovementAction(input: ImprovementActionInput) {
    return this.call(dashboard.addAction, { body: input });
  }

  async recording({ id, offset }: RecordingInput): Promise<Result<HistoryRecordingChunk>> {
    const path = this.recordingPaths.get(id);
    if (!path) return fail('not_found', 'Open the interaction first; it has no recording to play');
    let held = this.held;
    if (!held || held.id !== id || held.path !== path) {
      const fetched = await this.fetchRecording(path);
      if (!fetched.ok) return fetched;
      held = { id, path, ...fetched.value };
      this.held = held;
    }
    if (offset > held.bytes.length) {
      return fail('invalid_input', 'That offset is past the end of the recording');
    }
    const piece = held.bytes.subarray(offset, offset + recordingChunkBytes);
    return ok({
      contentType: held.contentType,
      totalBytes: held.bytes.length,
      offset,
      base64: piece.toString('base64'),
    });
  }

  /** A review's interaction is remembered like an opened history view, for its recording. */
  private rememberReview(answer: Result<ReviewView>): Result<ReviewView> {
    if (!answer.ok) return answer;
    const view = this.remember(answer.value.review.interaction.id, ok(answer.value.view));
    return view.ok ? answer : view;
  }

  private remember(id: string, answer: Result<HistoryView>): Result<HistoryView> {
    if (!answer.ok) return answer;
    // The server says which record it answered with; a different one is not this request's.
    if (answer.value.record.id !== id) {
      return fail('internal', 'The central server answered with a different interaction');
    }
    if (answer.value.recording) this.recordingPaths.set(id, answer.value.recording.path);
    else this.recordingPaths.delete(id);
    if (this.held?.id === id && this.held.path !== answer.value.recording?.path) this.held = null;
    return answer;
  }

  private async authorised(): Promise<Result<string>> {
    if (this.connection.state !== 'online') return offline();
    const token = await this.connection.requestToken();
    if (!token) {
      return fail(
        'unauthenticated',
        'The desk could not get an access token from the central server',
      );
    }
    return ok(token);
  }

  private async fetchRecording(
    path: string,
  ): Promise<Result<{ contentType: string; bytes: Buffer }>> {
    const token = await this.authorised();
    if (!token.ok) return token;
    const limit = this.options.maxRecordingBytes ?? 200 * 1_048_576;
    try {
      const response = await this.fetch(new URL(path, this.options.serverUrl), {
        headers: { authorization: `Bearer ${token.value}`, accept: 'audio/*, application/json' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      if (!response.ok || !/^audio\/[a-z0-9.+-]+$/i.test(contentType)) {
        // A refusal comes as the usual envelope; say what the server said when it can be read.
        const refusal = resultSchema(z.unknown()).safeParse(
          await response.json().catch(() => undefined),
        );
        if (refusal.success && !refusal.data.ok) return refusal.data;
        return fail(
          'unavailable',
          `The central server did not send the recording (HTTP ${response.status})`,
        );
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > limit) return fail('invalid_input', 'The recording is too large to play here');
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > limit)
        return fail('invalid_input', 'The recording is too large to play here');
      return ok({ contentType: contentType.toLowerCase(), bytes });
    } catch {
      return fail('unavailable', 'The central server cannot be reached');
    }
  }

  /** One request to the server's history API, its answer parsed; never rejects. */
  private async call<R extends JsonRoute>(
    route: R,
    call: RouteCall<R>,
  ): Promise<Result<RouteAnswer<R>>> {
    const token = await this.authorised();
    if (!token.ok) return token;
    return serverJson(
      { serverUrl: this.options.serverUrl, fetch: this.fetch, timeoutMs: this.options.timeoutMs },
      route,
      call,
      token.value,
    );
  }
}

/** The history requests of the desk API. */
export function registerHistoryHandlers(registry: DeskHandlerRegistry, history: DeskHistory): void {
  registry.register('listHistory', (input) => history.list(input));
  registry.register('openHistory', (input) => history.open(input));
  registry.register('revealHistory', (input) => history.reveal(input));
  registry.register('historyRecording', (input) => history.recording(input));
  registry.register('personalDataViews', () => history.personalDataViews());
  registry.register('earlierInteractions', (input) => history.earlier(input));
  registry.register('listTraining', (input) => history.listTraining(input));
  registry.register('openTraining', (input) => history.openTraining(input));
  registry.register('saveTraining', (input) => history.saveTraining(input));
  registry.register('removeTraining', (input) => history.removeTraining(input));
  registry.register('clearTraining', (input) => history.clearTraining(input));
  registry.register('addTrainingMark', (input) => history.addTrainingMark(input));
  registry.register('removeTrainingMark', (input) => history.removeTrainingMark(input));
  registry.register('dashboardFigures', (input) => history.dashboardFigures(input));
  registry.register('improvementPlan', () => history.improvementPlan());
  registry.register('addImprovementAction', (input) => history.addImprovementAction(input));
}

/**
 * The quality-review requests of the desk API: reads and the adviser's and
 * resolver's answers go to the server at once; a reviewer's answers go
 * through the outbox, and an opened review shows the newest of them the
 * server has not acknowledged yet.
 */
export function registerQualityHandlers(
  registry: DeskHandlerRegistry,
  history: DeskHistory,
  drafts: ReviewDrafts,
): void {
  registry.register('listForms', () => history.listForms());
  registry.register('listReviews', (input) => history.listReviews(input));
  registry.register('openReview', async (input) => {
    const opened = await history.openReview(input);
    if (!opened.ok) return opened;
    return ok({ ...opened.value, pending: drafts.pending(input.id) });
  });
  registry.register('startReview', (input) => history.startReview(input));
  registry.register('saveReview', (input) => drafts.save(input));
  registry.register('acknowledgeReview', (input) => history.acknowledgeReview(input));
  registry.register('disputeReview', (input) => history.disputeReview(input));
  registry.register('resolveDispute', (input) => history.resolveDispute(input));
  registry.register('flagForReview', (input) => history.flagForReview(input));
  registry.register('listSamples', () => history.listSamples());
  registry.register('drawSample', (input) => history.drawSample(input));
  registry.register('openSample', (input) => history.openSample(input));
  registry.register('listCalibrations', () => history.listCalibrations());
  registry.register('openCalibration', (input) => history.openCalibration(input));
  registry.register('createCalibration', (input) => history.createCalibration(input));
  registry.register('closeCalibration', (input) => history.closeCalibration(input));
  registry.register('listReviewers', () => history.listReviewers());
  registry.register('qualityReport', (input) => history.qualityReport(input));
  registry.register('qualityReportTrend', (input) => history.qualityReportTrend(input));
  registry.register('saveFormDraft', (input) => history.saveFormDraft(input));
  registry.register('publishFormVersion', (input) => history.publishFormVersion(input));
  registry.register('reassignReview', (input) => history.reassignReview(input));
  registry.register('agreementTrend', (input) => history.agreementTrend(input));
  registry.register('listAdvisers', () => history.listAdvisers());
  registry.register('listTargets', (input) => history.listTargets(input));
  registry.register('setTarget', (input) => history.setTarget(input));
  registry.register('withdrawTarget', (input) => history.withdrawTarget(input));
}
