// Quality review over HTTP (shared/wire/quality.ts). Team leaders draw the
// week's sample, write reviews beside the replay, resolve disputes, run blind
// calibration and read reports; an adviser reads reviews of their own work
// once published, acknowledges them, disputes items within the window, and
// flags their own interactions for review. Every route is declared with its
// action; who may see which review is decided here, per review.
//
// The interaction in a review is always redacted, as in the training
// library; its pre-fill is made from the held record and redacted before it
// leaves (its reasons quote what the adviser typed).
import { randomInt } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import type { StaffMember } from '../../shared/domain/people';
import { calibrationAgreement } from '../../shared/quality/agreement';
import { defaultForm, findItem, formIdSchema, interactionFacts } from '../../shared/quality/form';
import { prefillReview } from '../../shared/quality/prefill';
import {
  calibrationComplete,
  decideAcknowledge,
  defaultDisputeWindowDays,
  disputeDeadline,
  publishProblems,
} from '../../shared/quality/review';
import { checkSample, drawWeeklySample, type SamplingRequest } from '../../shared/quality/sampling';
import { scoreReview } from '../../shared/quality/scoring';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import type { HistoryRecording } from '../../shared/wire/history';
import {
  acknowledgementInputSchema,
  agreementTrendQuerySchema,
  disputeInputSchema,
  drawSampleInputSchema,
  flagInputSchema,
  formDraftInputSchema,
  newCalibrationSchema,
  newReviewSchema,
  reassignInputSchema,
  reportQuerySchema,
  reportTrendQuerySchema,
  resolutionInputSchema,
  reviewAnswersInputSchema,
  reviewQuerySchema,
  targetInputSchema,
  targetQuerySchema,
  targetWithdrawalSchema,
  type CalibrationList,
  type CalibrationSession,
  type Sample,
  type ReviewView,
  type StaffRef,
} from '../../shared/wire/quality';
import { callRecordingPath, heldRecording } from '../history/routes';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import { authorize } from '../permissions/policy';
import { redactRecord } from '../redaction';
import { londonDayStart } from '../storage/history';
import type {
  CallStore,
  HeldInteraction,
  HistoryStore,
  QualityStore,
  RecordRedaction,
  StoredCalibration,
  StoredReview,
  StoredSample,
} from '../storage/types';
import { agreementTrend, type TrendSession } from './agreement-trend';
import { reportTrend } from './report-trend';
import { qualityReport } from './reports';
import { londonDayOf, targetsWithProgress } from './targets';
import { isoWeekRange } from './weeks';

export interface QualityOptions {
  /** Days an adviser has to dispute a published review (14 unless set). */
  disputeWindowDays?: number;
  /** Interactions drawn at random per adviser each week, unless a draw says otherwise (3 unless set). */
  perAdviser?: number;
}

export interface QualityRouteDependencies extends QualityOptions {
  quality: QualityStore;
  history: HistoryStore;
  calls: CallStore;
  redact?: RecordRedaction;
  now?: () => Date;
  /** A new sample's seed when the draw names none. */
  seed?: () => number;
}

const reviewPathSchema = z.object({ id: z.uuid() });
const resolutionPathSchema = z.object({ id: z.uuid(), itemId: formIdSchema });
const formPathSchema = z.object({ formId: formIdSchema });
const formVersionPathSchema = z.object({
  formId: formIdSchema,
  version: z.coerce.number().int().positive(),
});
/** Calibration sessions a trend reads at most: two years of weekly sessions. */
const trendSessions = 104;

const isLeader = (staff: StaffMember) => authorize(staff, 'quality.review').ok;

/**
 * Whether this reader may see this review at all. Team leaders see every
 * review but the blind ones (another reviewer's calibration review of a
 * session still under way); an adviser sees reviews of their own work once
 * published, never calibration. Anything else is "not found".
 */
function visible(
  staff: StaffMember,
  review: StoredReview,
  session: StoredCalibration | null,
): boolean {
  if (isLeader(staff)) {
    if (review.purpose !== 'calibration' || review.reviewerId === staff.id) return true;
    return session !== null && calibrationComplete(session);
  }
  return (
    review.adviserId === staff.id &&
    review.purpose !== 'calibration' &&
    review.status !== 'draft' &&
    authorize(staff, 'quality.read', review.adviserId).ok
  );
}

const notFound = () => fail('not_found', 'There is no such review');

export function registerQualityRoutes(routes: SafeRoutes, deps: QualityRouteDependencies): void {
  const redact = deps.redact ?? redactRecord;
  const now = deps.now ?? (() => new Date());
  const windowDays = deps.disputeWindowDays ?? defaultDisputeWindowDays;
  const perAdviser = deps.perAdviser ?? 3;
  const newSeed = deps.seed ?? (() => randomInt(0, 0x1_0000_0000));
  const { quality, history } = deps;

  /** The review a path names, if this reader may see it. */
  const readable = async (staff: StaffMember, request: Request): Promise<Result<StoredReview>> => {
    const path = parseInput(reviewPathSchema, request.params, 'Review');
    if (!path.ok) return path;
    const review = await quality.review(path.value.id);
    if (!review) return notFound();
    const session = review.calibrationSessionId
      ? await quality.calibration(review.calibrationSessionId)
      : null;
    return visible(staff, review, session) ? ok(review) : notFound();
  };

  /** The recording, for a reader who may hear the call anyway: the history's own rule. */
  const recordingFor = async (
    staff: StaffMember,
    held: HeldInteraction,
  ): Promise<HistoryRecording | null> => {
    const recording = await heldRecording(deps.calls, held.record);
    if (!recording || !authorize(staff, 'recording.listen', recording.call.adviserId).ok)
      return null;
    return {
      path: callRecordingPath(recording.call.id),
      durationSeconds: recording.durationSeconds,
      startedAt: recording.startedAt,
    };
  };

  const viewOf = async (staff: StaffMember, review: StoredReview): Promise<Result<ReviewView>> => {
    const [held, form, summary, versions, disputes, reassignments] = await Promise.all([
      history.find(review.interactionId),
      quality.form(review.formId, review.formVersion),
      quality.summary(review.id),
      quality.versions(review.id),
      quality.disputes(review.id),
      quality.reassignments(review.id),
    ]);
    if (!held || !form || !summary) return fail('not_found', 'The review’s interaction is missing');
    const redacted = redact(held.record, held.known);
    const prefill = prefillReview(form, redacted);
    const draft = review.status === 'draft';
    const problems = draft ? publishProblems(form, held.record, review.answers) : [];
    const draftScore =
      draft && problems.length === 0
        ? scoreReview(form, review.answers, interactionFacts(held.record))
        : null;
    const deadline =
      review.publishedAt === null ? null : disputeDeadline(review.publishedAt, windowDays);
    const adviserOwn = staff.id === review.adviserId && review.purpose !== 'calibration';
    return ok({
      review: summary,
      form,
      view: {
        record: redacted,
        adviserName: held.adviserName,
        redacted: true,
        recording: await recordingFor(staff, held),
        // A review shows the interaction redacted; an original is the history's to show, with a reason.
        mayRevealOriginal: false,
      },
      facts: interactionFacts(held.record),
      prefill: prefill.ok ? prefill.value : null,
      prefillProblem: prefill.ok ? null : prefill.error.message,
      answers: review.answers,
      score: draftScore?.ok ? draftScore.value : review.score,
      problems,
      versions,
      disputes,
      acknowledgement:
        review.acknowledgedAt !== null && review.acknowledgedVersion !== null
          ? {
              at: review.acknowledgedAt,
              version: review.acknowledgedVersion,
              comment: review.acknowledgement ?? '',
            }
          : null,
      disputeUntil: deadline,
      reassignments,
      may: {
        edit: draft && staff.id === review.reviewerId && isLeader(staff),
        acknowledge:
          adviserOwn &&
          authorize(staff, 'quality.respond').ok &&
          decideAcknowledge({ review, by: staff.id }).ok,
        dispute:
          adviserOwn &&
          authorize(staff, 'quality.respond').ok &&
          (review.status === 'published' || review.status === 'acknowledged') &&
          deadline !== null &&
          now().getTime() <= Date.parse(deadline),
        resolve:
          review.status === 'disputed' &&
          authorize(staff, 'quality.resolve').ok &&
          staff.id !== review.reviewerId &&
          staff.id !== review.adviserId,
        // Only a draft moves, never a calibration review, and nobody moves a review of their own work.
        reassign:
          draft &&
          review.purpose !== 'calibration' &&
          authorize(staff, 'quality.reassign').ok &&
          staff.id !== review.adviserId,
      },
    });
  };

  /** Answers a change to a review with the review as it now stands. */
  const answerWithView = async (
    staff: StaffMember,
    changed: Result<StoredReview>,
    response: Parameters<typeof sendResult>[0],
  ) => {
    if (!changed.ok) return sendResult(response, changed);
    sendResult(response, await viewOf(staff, changed.value));
  };

  // -------------------------------------------------------------------------
  // Forms

  routes.staff('get', '/api/quality/forms', 'quality.read', async (staff, _request, response) => {
    const [forms, notes] = await Promise.all([quality.forms(), quality.formNotes()]);
    // A draft is the team leaders' work in progress: nobody else is asked it, so nobody else sees it.
    const editor = authorize(staff, 'quality.forms').ok;
    const published = new Set(
      forms.filter((form) => form.status === 'published').map((f) => `${f.id}@${f.version}`),
    );
    sendResult(
      response,
      ok({
        forms: editor ? forms : forms.filter((form) => form.status === 'published'),
        notes: editor
          ? notes
          : notes.filter((note) => published.has(`${note.formId}@${note.version}`)),
      }),
    );
  });

  routes.staff(
    'post',
    '/api/quality/forms/:formId/draft',
    'quality.forms',
    async (staff, request, response) => {
      const path = parseInput(formPathSchema, request.params, 'Form');
      if (!path.ok) return sendResult(response, path);
      const input = parseInput(formDraftInputSchema, request.body, 'The form');
      if (!input.ok) return sendResult(response, input);
      const { basedOn, title, sections } = input.value;
      const saved = await quality.saveFormDraft(
        path.value.formId,
        { basedOn, content: { title, sections } },
        staff.id,
        now().toISOString(),
      );
      sendResult(response, saved);
    },
  );

  routes.staff(
    'post',
    '/api/quality/forms/:formId/versions/:version/publish',
    'quality.forms',
    async (staff, request, response) => {
      const path = parseInput(formVersionPathSchema, request.params, 'Form version');
      if (!path.ok) return sendResult(response, path);
      // New reviews take the newest published version from now on; reviews begun keep theirs.
      const published = await quality.publishFormVersion(
        path.value.formId,
        path.value.version,
        staff.id,
        now().toISOString(),
      );
      sendResult(response, published);
    },
  );

  // -------------------------------------------------------------------------
  // Reviews

  routes.staff('get', '/api/quality/reviews', 'quality.read', async (staff, request, response) => {
    const query = parseInput(reviewQuerySchema, request.query, 'Review list query');
    if (!query.ok) return sendResult(response, query);
    const scope = query.value.scope ?? (isLeader(staff) ? 'assigned' : 'about_me');
    if (scope !== 'about_me' && !isLeader(staff)) {
      return sendResult(response, authorize(staff, 'quality.review'));
    }
    if (scope === 'about_me' && !authorize(staff, 'quality.respond').ok) {
      // A team leader who takes no live work has no reviews about them.
      return sendResult(response, ok({ reviews: [] }));
    }
    const reviews = await quality.listReviews({
      ...(scope === 'assigned' ? { reviewerId: staff.id } : {}),
      ...(scope === 'about_me' ? { adviserId: staff.id } : {}),
      publishedOnly: scope === 'about_me',
      withoutCalibration: scope === 'about_me',
      blindFor: staff.id,
      status: query.value.status,
      purpose: query.value.purpose,
      limit: query.value.limit,
    });
    sendResult(response, ok({ reviews }));
  });

  routes.staff(
    'post',
    '/api/quality/reviews',
    'quality.review',
    async (staff, request, response) => {
      const input = parseInput(newReviewSchema, request.body, 'Review');
      if (!input.ok) return sendResult(response, input);
      const form = await quality.latestPublishedForm(defaultForm.id);
      if (!form) return sendResult(response, fail('unavailable', 'No scorecard form is published'));
      const created = await quality.createReview({
        interactionId: input.value.interactionId,
        reviewerId: staff.id,
        form,
        purpose: 'adhoc',
        at: now().toISOString(),
      });
      if (!created.ok) return sendResult(response, created);
      const view = await viewOf(staff, created.value);
      sendResult(response, view, 201);
    },
  );

  routes.staff(
    'get',
    '/api/quality/reviews/:id',
    'quality.read',
    async (staff, request, response) => {
      const review = await readable(staff, request);
      if (!review.ok) return sendResult(response, review);
      sendResult(response, await viewOf(staff, review.value));
    },
  );

  const saveRoute = (publish: boolean) =>
    routes.staff(
      'post',
      `/api/quality/reviews/:id/${publish ? 'publish' : 'draft'}`,
      'quality.review',
      async (staff, request, response) => {
        const input = parseInput(reviewAnswersInputSchema, request.body, 'Answers');
        if (!input.ok) return sendResult(response, input);
        const review = await readable(staff, request);
        if (!review.ok) return sendResult(response, review);
        // The same store method as a save delivered through a desk's outbox.
        const saved = await quality.saveAnswers(
          review.value.id,
          staff.id,
          { answers: input.value.answers, publish },
          now().toISOString(),
        );
        await answerWithView(staff, saved, response);
      },
    );
  saveRoute(false);
  saveRoute(true);

  routes.staff(
    'post',
    '/api/quality/reviews/:id/acknowledgement',
    'quality.respond',
    async (staff, request, response) => {
      const input = parseInput(acknowledgementInputSchema, request.body, 'Acknowledgement');
      if (!input.ok) return sendResult(response, input);
      const review = await readable(staff, request);
      if (!review.ok) return sendResult(response, review);
      const done = await quality.acknowledge(
        review.value.id,
        staff.id,
        input.value.comment,
        now().toISOString(),
      );
      await answerWithView(staff, done, response);
    },
  );

  routes.staff(
    'post',
    '/api/quality/reviews/:id/disputes',
    'quality.respond',
    async (staff, request, response) => {
      const input = parseInput(disputeInputSchema, request.body, 'Dispute');
      if (!input.ok) return sendResult(response, input);
      const review = await readable(staff, request);
      if (!review.ok) return sendResult(response, review);
      const done = await quality.dispute(
        review.value.id,
        staff.id,
        input.value.items,
        now().toISOString(),
        windowDays,
      );
      await answerWithView(staff, done, response);
    },
  );

  routes.staff(
    'post',
    '/api/quality/reviews/:id/disputes/:itemId/resolution',
    'quality.resolve',
    async (staff, request, response) => {
      const path = parseInput(resolutionPathSchema, request.params, 'Disputed item');
      if (!path.ok) return sendResult(response, path);
      const input = parseInput(resolutionInputSchema, request.body, 'Resolution');
      if (!input.ok) return sendResult(response, input);
      const review = await readable(staff, request);
      if (!review.ok) return sendResult(response, review);
      const done = await quality.resolve(
        review.value.id,
        staff.id,
        path.value.itemId,
        input.value,
        now().toISOString(),
      );
      await answerWithView(staff, done, response);
    },
  );

  routes.staff(
    'post',
    '/api/quality/reviews/:id/reassignment',
    'quality.reassign',
    async (staff, request, response) => {
      const input = parseInput(reassignInputSchema, request.body, 'Reassignment');
      if (!input.ok) return sendResult(response, input);
      const review = await readable(staff, request);
      if (!review.ok) return sendResult(response, review);
      const moved = await quality.reassign(
        review.value.id,
        staff.id,
        input.value.reviewerId,
        input.value.reason,
        now().toISOString(),
      );
      await answerWithView(staff, moved, response);
    },
  );

  // -------------------------------------------------------------------------
  // Flags

  routes.staff('post', '/api/quality/flags', 'quality.flag', async (staff, request, response) => {
    const input = parseInput(flagInputSchema, request.body, 'Request for review');
    if (!input.ok) return sendResult(response, input);
    const flagged = await quality.flag(
      input.value.interactionId,
      staff.id,
      input.value.note,
      now().toISOString(),
    );
    sendResult(response, flagged, 201);
  });

  // -------------------------------------------------------------------------
  // The weekly sample

  /** A drawn sample on the wire: each interaction's history row, people by name. */
  const sampleOf = async (
    stored: Pick<StoredSample, 'sample' | 'drawnBy' | 'drawnAt'> & {
      id: string | null;
      reviewIds: ReadonlyMap<string, string>;
    },
  ): Promise<Sample> => {
    const { sample } = stored;
    const rows = await quality.interactionRows(
      sample.selections.map((selection) => selection.interactionId),
    );
    const names = await quality.staffNames([stored.drawnBy, ...sample.reviewerIds]);
    const person = (id: string) => ({ id, name: names.get(id) ?? id });
    return {
      id: stored.id,
      week: sample.week,
      seed: sample.seed,
      perAdviser: sample.rules.perAdviser,
      rulesVersion: sample.rules.version,
      method: sample.rules.method,
      populationDigest: sample.populationDigest,
      population: sample.population,
      drawnBy: person(stored.drawnBy),
      drawnAt: stored.drawnAt,
      items: sample.selections.flatMap((selection) => {
        const interaction = rows.get(selection.interactionId);
        if (!interaction) return [];
        return [
          {
            interaction,
            reasons: selection.reasons,
            reviewer: selection.reviewerId === null ? null : person(selection.reviewerId),
            reviewId: stored.reviewIds.get(selection.interactionId) ?? null,
          },
        ];
      }),
      loads: sample.loads.map((load) => ({
        reviewer: person(load.reviewerId),
        reviews: load.reviews,
      })),
    };
  };

  routes.staff(
    'get',
    '/api/quality/samples',
    'quality.sample',
    async (_staff, _request, response) => {
      sendResult(response, ok({ samples: await quality.samples(52) }));
    },
  );

  routes.staff(
    'post',
    '/api/quality/samples',
    'quality.sample',
    async (staff, request, response) => {
      const input = parseInput(drawSampleInputSchema, request.body, 'Sample');
      if (!input.ok) return sendResult(response, input);
      const { week, dryRun } = input.value;
      const range = isoWeekRange(week);
      const samplingRequest: SamplingRequest = {
        seed: input.value.seed ?? newSeed(),
        week,
        perAdviser: input.value.perAdviser ?? perAdviser,
        interactions: await quality.sampleCandidates(range.from, range.to),
        // The reviewers are the team leaders: the sampler never gives one their own interaction.
        reviewerIds: await quality.teamLeaderIds(),
      };
      const drawn = drawWeeklySample(samplingRequest);
      if (!drawn.ok) return sendResult(response, drawn);
      const drawnAt = now().toISOString();
      if (dryRun) {
        const sample = await sampleOf({
          id: null,
          sample: drawn.value,
          drawnBy: staff.id,
          drawnAt,
          reviewIds: new Map(),
        });
        return sendResult(response, ok(sample));
      }
      const form = await quality.latestPublishedForm(defaultForm.id);
      if (!form) return sendResult(response, fail('unavailable', 'No scorecard form is published'));
      const recorded = await quality.recordSample({
        request: samplingRequest,
        sample: drawn.value,
        form,
        drawnBy: staff.id,
        drawnAt,
      });
      if (!recorded.ok) return sendResult(response, recorded);
      sendResult(response, ok(await sampleOf(recorded.value)), 201);
    },
  );

  routes.staff(
    'get',
    '/api/quality/samples/:id',
    'quality.sample',
    async (_staff, request, response) => {
      const path = parseInput(reviewPathSchema, request.params, 'Sample');
      if (!path.ok) return sendResult(response, path);
      const stored = await quality.sample(path.value.id);
      if (!stored) return sendResult(response, fail('not_found', 'There is no such sample'));
      // Drawn again from what was recorded: the seed, the rules and the interactions as they were.
      const check = checkSample(stored.sample, stored.request);
      sendResult(
        response,
        ok({
          sample: await sampleOf(stored),
          reproduces: check.ok,
          check: check.ok
            ? `Drawn again from seed ${stored.sample.seed} and the ${stored.request.interactions.length} interactions recorded with it, it chooses the same interactions and reviewers.`
            : check.error.message,
        }),
      );
    },
  );

  // -------------------------------------------------------------------------
  // Calibration

  /** The session as this reader may see it: blind until complete, then with its agreement. */
  const sessionOf = async (
    staff: StaffMember,
    stored: StoredCalibration,
  ): Promise<CalibrationSession> => {
    const complete = calibrationComplete(stored);
    const rows = await quality.interactionRows(stored.interactionIds);
    return {
      id: stored.id,
      title: stored.title,
      formId: stored.formId,
      formVersion: stored.formVersion,
      createdBy: stored.createdBy,
      createdAt: stored.createdAt,
      closedAt: stored.closedAt,
      interactions: stored.interactionIds.flatMap((id) => {
        const row = rows.get(id);
        return row ? [row] : [];
      }),
      reviewers: stored.reviewers,
      reviews: stored.reviews
        .filter((review) => complete || review.reviewerId === staff.id)
        .map((review) => ({
          id: review.id,
          interactionId: review.interactionId,
          reviewer: { id: review.reviewerId, name: review.reviewerName },
          status: review.status,
          percentage: review.score?.percentage ?? null,
        })),
      published: stored.reviews.filter((review) => review.status !== 'draft').length,
      total: stored.reviews.length,
      complete,
      agreement: complete ? await agreementOf(stored) : null,
    };
  };

  /** Agreement over the published reviews only: a draft left when a session closed is no one's score. */
  const agreementOf = async (stored: StoredCalibration) => {
    const form = await quality.form(stored.formId, stored.formVersion);
    if (!form) return null;
    const interactions = [];
    for (const id of stored.interactionIds) {
      const held = await history.find(id);
      if (held) interactions.push({ id, facts: interactionFacts(held.record) });
    }
    const agreement = calibrationAgreement(form, {
      interactions,
      reviews: stored.reviews
        .filter((review) => review.status !== 'draft')
        .map((review) => ({
          reviewerId: review.reviewerId,
          interactionId: review.interactionId,
          answers: review.answers,
        })),
    });
    return agreement.ok ? agreement.value : null;
  };

  routes.staff(
    'get',
    '/api/quality/calibration',
    'quality.calibrate',
    async (_staff, _request, response) => {
      const sessions: CalibrationList['sessions'] = [];
      for (const stored of await quality.calibrations(50)) {
        const complete = calibrationComplete(stored);
        const agreement = complete ? await agreementOf(stored) : null;
        sessions.push({
          id: stored.id,
          title: stored.title,
          createdAt: stored.createdAt,
          closedAt: stored.closedAt,
          complete,
          interactions: stored.interactionIds.length,
          reviewers: stored.reviewers.length,
          formAlpha: agreement?.form.alpha ?? null,
          flaggedItems: agreement?.flaggedItemIds.length ?? 0,
        });
      }
      sendResult(response, ok({ sessions }));
    },
  );

  routes.staff(
    'post',
    '/api/quality/calibration',
    'quality.calibrate',
    async (staff, request, response) => {
      const input = parseInput(newCalibrationSchema, request.body, 'Calibration session');
      if (!input.ok) return sendResult(response, input);
      const form = await quality.latestPublishedForm(defaultForm.id);
      if (!form) return sendResult(response, fail('unavailable', 'No scorecard form is published'));
      const created = await quality.createCalibration({
        ...input.value,
        form,
        by: staff.id,
        at: now().toISOString(),
      });
      if (!created.ok) return sendResult(response, created);
      sendResult(response, ok(await sessionOf(staff, created.value)), 201);
    },
  );

  routes.staff(
    'get',
    '/api/quality/calibration/:id',
    'quality.calibrate',
    async (staff, request, response) => {
      const path = parseInput(reviewPathSchema, request.params, 'Calibration session');
      if (!path.ok) return sendResult(response, path);
      const stored = await quality.calibration(path.value.id);
      if (!stored) return sendResult(response, fail('not_found', 'There is no such session'));
      sendResult(response, ok(await sessionOf(staff, stored)));
    },
  );

  routes.staff(
    'post',
    '/api/quality/calibration/:id/close',
    'quality.calibrate',
    async (staff, request, response) => {
      const path = parseInput(reviewPathSchema, request.params, 'Calibration session');
      if (!path.ok) return sendResult(response, path);
      const closed = await quality.closeCalibration(path.value.id, staff.id, now().toISOString());
      if (!closed) return sendResult(response, fail('not_found', 'There is no such session'));
      sendResult(response, ok(await sessionOf(staff, closed)));
    },
  );

  routes.staff(
    'get',
    '/api/quality/agreement',
    'quality.calibrate',
    async (_staff, request, response) => {
      const query = parseInput(agreementTrendQuerySchema, request.query, 'Agreement query');
      if (!query.ok) return sendResult(response, query);
      const { from, to } = query.value;
      const stored = await quality.calibrationsStarted(
        londonDayStart(from),
        londonDayStart(to, 1),
        trendSessions,
      );
      const sessions: TrendSession[] = [];
      for (const session of stored) {
        const complete = calibrationComplete(session);
        // A session still being scored is blind: no figure leaves the server for it.
        sessions.push({
          stored: session,
          complete,
          agreement: complete ? await agreementOf(session) : null,
        });
      }
      sendResult(
        response,
        ok(agreementTrend({ from, to, sessions, forms: await quality.forms() })),
      );
    },
  );

  /** The team leaders a calibration session may have as reviewers. */
  routes.staff(
    'get',
    '/api/quality/reviewers',
    'quality.calibrate',
    async (_staff, _request, response) => {
      const ids = await quality.teamLeaderIds();
      const names = await quality.staffNames(ids);
      const reviewers = ids
        .map((id) => ({ id, name: names.get(id) ?? id }))
        .sort((a, b) => a.name.localeCompare(b.name));
      sendResult(response, ok({ reviewers }));
    },
  );

  // -------------------------------------------------------------------------
  // Reports

  routes.staff(
    'get',
    '/api/quality/reports',
    'quality.report',
    async (_staff, request, response) => {
      const query = parseInput(reportQuerySchema, request.query, 'Report query');
      if (!query.ok) return sendResult(response, query);
      const { from, to, adviserId } = query.value;
      const reviews = await quality.reportReviews(
        londonDayStart(from),
        londonDayStart(to, 1),
        adviserId ?? null,
      );
      const forms = await quality.forms();
      const targets = await targetsWithProgress(
        quality,
        await quality.targets({
          ...(adviserId ? { adviserId } : {}),
          overlapping: { from, to },
          includeWithdrawn: false,
          limit: 500,
        }),
        londonDayOf(now()),
      );
      sendResult(response, ok(qualityReport({ from, to }, reviews, forms, targets)));
    },
  );

  /** The report's figures per week or month of the range, for the team and one adviser. */
  routes.staff(
    'get',
    '/api/quality/reports/trend',
    'quality.report',
    async (_staff, request, response) => {
      const query = parseInput(reportTrendQuerySchema, request.query, 'Report query');
      if (!query.ok) return sendResult(response, query);
      const { from, to, by, adviserId } = query.value;
      let adviser: StaffRef | null = null;
      if (adviserId) {
        if (!(await quality.adviserIds()).includes(adviserId)) {
          return sendResult(response, fail('not_found', 'There is no such adviser'));
        }
        const names = await quality.staffNames([adviserId]);
        adviser = { id: adviserId, name: names.get(adviserId) ?? adviserId };
      }
      // The team's reviews: the adviser's line is drawn from the same rows.
      const reviews = await quality.reportReviews(
        londonDayStart(from),
        londonDayStart(to, 1),
        null,
      );
      const forms = await quality.forms();
      sendResult(response, ok(reportTrend({ from, to, by, reviews, forms, adviser })));
    },
  );

  // -------------------------------------------------------------------------
  // Improvement targets

  /** The advisers a team leader may set targets for. */
  routes.staff(
    'get',
    '/api/quality/advisers',
    'quality.targets',
    async (_staff, _request, response) => {
      const ids = await quality.adviserIds();
      const names = await quality.staffNames(ids);
      const advisers = ids
        .map((id) => ({ id, name: names.get(id) ?? id }))
        .sort((a, b) => a.name.localeCompare(b.name));
      sendResult(response, ok({ advisers }));
    },
  );

  routes.staff('get', '/api/quality/targets', 'quality.read', async (staff, request, response) => {
    const query = parseInput(targetQuerySchema, request.query, 'Target query');
    if (!query.ok) return sendResult(response, query);
    // A team leader reads everyone's; an adviser only their own, whatever they ask for.
    const everyone = authorize(staff, 'quality.targets').ok;
    if (!everyone && query.value.adviserId !== undefined && query.value.adviserId !== staff.id) {
      return sendResult(response, authorize(staff, 'quality.read', query.value.adviserId));
    }
    const adviserId = everyone ? query.value.adviserId : staff.id;
    const stored = await quality.targets({
      ...(adviserId ? { adviserId } : {}),
      includeWithdrawn: query.value.includeWithdrawn ?? false,
      limit: 500,
    });
    const today = londonDayOf(now());
    sendResult(response, ok({ today, targets: await targetsWithProgress(quality, stored, today) }));
  });

  routes.staff(
    'post',
    '/api/quality/targets',
    'quality.targets',
    async (staff, request, response) => {
      const input = parseInput(targetInputSchema, request.body, 'Target');
      if (!input.ok) return sendResult(response, input);
      const { itemId } = input.value;
      if (itemId !== null) {
        const forms = await quality.forms();
        if (!forms.some((form) => form.status === 'published' && findItem(form, itemId))) {
          return sendResult(
            response,
            fail('invalid_input', 'Target is not valid', [
              { path: 'itemId', message: 'No published scorecard form has that item' },
            ]),
          );
        }
      }
      const added = await quality.addTarget(input.value, staff.id, now().toISOString());
      if (!added.ok) return sendResult(response, added);
      const [target] = await targetsWithProgress(quality, [added.value], londonDayOf(now()));
      sendResult(response, target ? ok(target) : fail('internal', 'The target was not kept'), 201);
    },
  );

  routes.staff(
    'post',
    '/api/quality/targets/:id/withdrawal',
    'quality.targets',
    async (staff, request, response) => {
      const path = parseInput(reviewPathSchema, request.params, 'Target');
      if (!path.ok) return sendResult(response, path);
      const input = parseInput(targetWithdrawalSchema, request.body, 'Withdrawal');
      if (!input.ok) return sendResult(response, input);
      const withdrawn = await quality.withdrawTarget(
        path.value.id,
        staff.id,
        input.value.reason,
        now().toISOString(),
      );
      if (!withdrawn.ok) return sendResult(response, withdrawn);
      const [target] = await targetsWithProgress(quality, [withdrawn.value], londonDayOf(now()));
      sendResult(response, target ? ok(target) : fail('internal', 'The target was not kept'));
    },
  );
}
