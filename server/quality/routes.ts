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
import type { StaffMember } from '../../shared/domain/people';
import { calibrationAgreement } from '../../shared/quality/agreement';
import { defaultForm, findItem, interactionFacts } from '../../shared/quality/form';
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
import { fail, ok, type Result } from '../../shared/result';
import { quality as routesOf } from '../../shared/wire/routes';
import type { HistoryRecording } from '../../shared/wire/history';
import {
  type CalibrationList,
  type CalibrationSession,
  type Sample,
  type ReviewView,
  type StaffRef,
} from '../../shared/wire/quality';
import { callRecordingPath, heldRecording } from '../history/routes';
import type { Reply, SafeRoutes } from '../http/safe-routes';
import type { RouteAnswerIn } from '../../shared/wire/route-contract';
import { authorize } from '../permissions/policy';
import { redactRecord } from '../redaction';
import { londonDate, londonDayStart } from '../../shared/time/london';
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
import { targetsWithProgress } from './targets';
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
  const readable = async (staff: StaffMember, id: string): Promise<Result<StoredReview>> => {
    const review = await quality.review(id);
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
    reply: Reply<RouteAnswerIn<typeof routesOf.openReview>>,
  ) => {
    if (!changed.ok) return reply(changed);
    reply(await viewOf(staff, changed.value));
  };

  // -------------------------------------------------------------------------
  // Forms

  routes.staff(routesOf.forms, 'quality.read', async (staff, _input, reply) => {
    const [forms, notes] = await Promise.all([quality.forms(), quality.formNotes()]);
    // A draft is the team leaders' work in progress: nobody else is asked it, so nobody else sees it.
    const editor = authorize(staff, 'quality.forms').ok;
    const published = new Set(
      forms.filter((form) => form.status === 'published').map((f) => `${f.id}@${f.version}`),
    );
    reply(
      ok({
        forms: editor ? forms : forms.filter((form) => form.status === 'published'),
        notes: editor
          ? notes
          : notes.filter((note) => published.has(`${note.formId}@${note.version}`)),
      }),
    );
  });

  routes.staff(routesOf.saveFormDraft, 'quality.forms', async (staff, { params, body }, reply) => {
    const { basedOn, title, sections } = body;
    const saved = await quality.saveFormDraft(
      params.formId,
      { basedOn, content: { title, sections } },
      staff.id,
      now().toISOString(),
    );
    reply(saved);
  });

  routes.staff(routesOf.publishFormVersion, 'quality.forms', async (staff, { params }, reply) => {
    // New reviews take the newest published version from now on; reviews begun keep theirs.
    const published = await quality.publishFormVersion(
      params.formId,
      params.version,
      staff.id,
      now().toISOString(),
    );
    reply(published);
  });

  // -------------------------------------------------------------------------
  // Reviews

  routes.staff(routesOf.listReviews, 'quality.read', async (staff, { query }, reply) => {
    const scope = query.scope ?? (isLeader(staff) ? 'assigned' : 'about_me');
    // Only a team leader reads reviews beyond those about themselves.
    const leader = authorize(staff, 'quality.review');
    if (scope !== 'about_me' && !leader.ok) return reply(leader);
    if (scope === 'about_me' && !authorize(staff, 'quality.respond').ok) {
      // A team leader who takes no live work has no reviews about them.
      return reply(ok({ reviews: [] }));
    }
    const reviews = await quality.listReviews({
      ...(scope === 'assigned' ? { reviewerId: staff.id } : {}),
      ...(scope === 'about_me' ? { adviserId: staff.id } : {}),
      publishedOnly: scope === 'about_me',
      withoutCalibration: scope === 'about_me',
      blindFor: staff.id,
      status: query.status,
      purpose: query.purpose,
      limit: query.limit,
    });
    reply(ok({ reviews }));
  });

  routes.staff(routesOf.startReview, 'quality.review', async (staff, { body }, reply) => {
    const form = await quality.latestPublishedForm(defaultForm.id);
    if (!form) return reply(fail('unavailable', 'No scorecard form is published'));
    const created = await quality.createReview({
      interactionId: body.interactionId,
      reviewerId: staff.id,
      form,
      purpose: 'adhoc',
      at: now().toISOString(),
    });
    if (!created.ok) return reply(created);
    const view = await viewOf(staff, created.value);
    reply(view, 201);
  });

  routes.staff(routesOf.openReview, 'quality.read', async (staff, { params }, reply) => {
    const review = await readable(staff, params.id);
    if (!review.ok) return reply(review);
    reply(await viewOf(staff, review.value));
  });

  const saveRoute = (route: typeof routesOf.saveReviewDraft | typeof routesOf.publishReview) =>
    routes.staff(route, 'quality.review', async (staff, { params, body }, reply) => {
      const review = await readable(staff, params.id);
      if (!review.ok) return reply(review);
      // The same store method as a save delivered through a desk's outbox.
      const saved = await quality.saveAnswers(
        review.value.id,
        staff.id,
        { answers: body.answers, publish: route === routesOf.publishReview },
        now().toISOString(),
      );
      await answerWithView(staff, saved, reply);
    });
  saveRoute(routesOf.saveReviewDraft);
  saveRoute(routesOf.publishReview);

  routes.staff(routesOf.acknowledge, 'quality.respond', async (staff, { params, body }, reply) => {
    const review = await readable(staff, params.id);
    if (!review.ok) return reply(review);
    const done = await quality.acknowledge(
      review.value.id,
      staff.id,
      body.comment,
      now().toISOString(),
    );
    await answerWithView(staff, done, reply);
  });

  routes.staff(routesOf.dispute, 'quality.respond', async (staff, { params, body }, reply) => {
    const review = await readable(staff, params.id);
    if (!review.ok) return reply(review);
    const done = await quality.dispute(
      review.value.id,
      staff.id,
      body.items,
      now().toISOString(),
      windowDays,
    );
    await answerWithView(staff, done, reply);
  });

  routes.staff(
    routesOf.resolveDispute,
    'quality.resolve',
    async (staff, { params, body }, reply) => {
      const review = await readable(staff, params.id);
      if (!review.ok) return reply(review);
      const done = await quality.resolve(
        review.value.id,
        staff.id,
        params.itemId,
        body,
        now().toISOString(),
      );
      await answerWithView(staff, done, reply);
    },
  );

  routes.staff(routesOf.reassign, 'quality.reassign', async (staff, { params, body }, reply) => {
    const review = await readable(staff, params.id);
    if (!review.ok) return reply(review);
    const moved = await quality.reassign(
      review.value.id,
      staff.id,
      body.reviewerId,
      body.reason,
      now().toISOString(),
    );
    await answerWithView(staff, moved, reply);
  });

  // -------------------------------------------------------------------------
  // Flags

  routes.staff(routesOf.flag, 'quality.flag', async (staff, { body }, reply) => {
    const flagged = await quality.flag(
      body.interactionId,
      staff.id,
      body.note,
      now().toISOString(),
    );
    reply(flagged, 201);
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

  routes.staff(routesOf.samples, 'quality.sample', async (_staff, _input, reply) => {
    reply(ok({ samples: await quality.samples(52) }));
  });

  routes.staff(routesOf.drawSample, 'quality.sample', async (staff, { body }, reply) => {
    const { week, dryRun } = body;
    const range = isoWeekRange(week);
    const samplingRequest: SamplingRequest = {
      seed: body.seed ?? newSeed(),
      week,
      perAdviser: body.perAdviser ?? perAdviser,
      interactions: await quality.sampleCandidates(range.from, range.to),
      // The reviewers are the team leaders: the sampler never gives one their own interaction.
      reviewerIds: await quality.teamLeaderIds(),
    };
    const drawn = drawWeeklySample(samplingRequest);
    if (!drawn.ok) return reply(drawn);
    const drawnAt = now().toISOString();
    if (dryRun) {
      const sample = await sampleOf({
        id: null,
        sample: drawn.value,
        drawnBy: staff.id,
        drawnAt,
        reviewIds: new Map(),
      });
      return reply(ok(sample));
    }
    const form = await quality.latestPublishedForm(defaultForm.id);
    if (!form) return reply(fail('unavailable', 'No scorecard form is published'));
    const recorded = await quality.recordSample({
      request: samplingRequest,
      sample: drawn.value,
      form,
      drawnBy: staff.id,
      drawnAt,
    });
    if (!recorded.ok) return reply(recorded);
    reply(ok(await sampleOf(recorded.value)), 201);
  });

  routes.staff(routesOf.openSample, 'quality.sample', async (_staff, { params }, reply) => {
    const stored = await quality.sample(params.id);
    if (!stored) return reply(fail('not_found', 'There is no such sample'));
    // Drawn again from what was recorded: the seed, the rules and the interactions as they were.
    const check = checkSample(stored.sample, stored.request);
    reply(
      ok({
        sample: await sampleOf(stored),
        reproduces: check.ok,
        check: check.ok
          ? `Drawn again from seed ${stored.sample.seed} and the ${stored.request.interactions.length} interactions recorded with it, it chooses the same interactions and reviewers.`
          : check.error.message,
      }),
    );
  });

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

  routes.staff(routesOf.calibrations, 'quality.calibrate', async (_staff, _input, reply) => {
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
    reply(ok({ sessions }));
  });

  routes.staff(routesOf.createCalibration, 'quality.calibrate', async (staff, { body }, reply) => {
    const form = await quality.latestPublishedForm(defaultForm.id);
    if (!form) return reply(fail('unavailable', 'No scorecard form is published'));
    const created = await quality.createCalibration({
      ...body,
      form,
      by: staff.id,
      at: now().toISOString(),
    });
    if (!created.ok) return reply(created);
    reply(ok(await sessionOf(staff, created.value)), 201);
  });

  routes.staff(routesOf.openCalibration, 'quality.calibrate', async (staff, { params }, reply) => {
    const stored = await quality.calibration(params.id);
    if (!stored) return reply(fail('not_found', 'There is no such session'));
    reply(ok(await sessionOf(staff, stored)));
  });

  routes.staff(routesOf.closeCalibration, 'quality.calibrate', async (staff, { params }, reply) => {
    const closed = await quality.closeCalibration(params.id, staff.id, now().toISOString());
    if (!closed) return reply(fail('not_found', 'There is no such session'));
    reply(ok(await sessionOf(staff, closed)));
  });

  routes.staff(routesOf.agreementTrend, 'quality.calibrate', async (_staff, { query }, reply) => {
    const { from, to } = query;
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
    reply(ok(agreementTrend({ from, to, sessions, forms: await quality.forms() })));
  });

  /** The team leaders a calibration session may have as reviewers. */
  routes.staff(routesOf.reviewers, 'quality.calibrate', async (_staff, _input, reply) => {
    const ids = await quality.teamLeaderIds();
    const names = await quality.staffNames(ids);
    const reviewers = ids
      .map((id) => ({ id, name: names.get(id) ?? id }))
      .sort((a, b) => a.name.localeCompare(b.name));
    reply(ok({ reviewers }));
  });

  // -------------------------------------------------------------------------
  // Reports

  routes.staff(routesOf.report, 'quality.report', async (_staff, { query }, reply) => {
    const { from, to, adviserId } = query;
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
      londonDate(now()),
    );
    reply(ok(qualityReport({ from, to }, reviews, forms, targets)));
  });

  /** The report's figures per week or month of the range, for the team and one adviser. */
  routes.staff(routesOf.reportTrend, 'quality.report', async (_staff, { query }, reply) => {
    const { from, to, by, adviserId } = query;
    let adviser: StaffRef | null = null;
    if (adviserId) {
      if (!(await quality.adviserIds()).includes(adviserId)) {
        return reply(fail('not_found', 'There is no such adviser'));
      }
      const names = await quality.staffNames([adviserId]);
      adviser = { id: adviserId, name: names.get(adviserId) ?? adviserId };
    }
    // The team's reviews: the adviser's line is drawn from the same rows.
    const reviews = await quality.reportReviews(londonDayStart(from), londonDayStart(to, 1), null);
    const forms = await quality.forms();
    reply(ok(reportTrend({ from, to, by, reviews, forms, adviser })));
  });

  // -------------------------------------------------------------------------
  // Improvement targets

  /** The advisers a team leader may set targets for. */
  routes.staff(routesOf.advisers, 'quality.targets', async (_staff, _input, reply) => {
    const ids = await quality.adviserIds();
    const names = await quality.staffNames(ids);
    const advisers = ids
      .map((id) => ({ id, name: names.get(id) ?? id }))
      .sort((a, b) => a.name.localeCompare(b.name));
    reply(ok({ advisers }));
  });

  routes.staff(routesOf.targets, 'quality.read', async (staff, { query }, reply) => {
    // A team leader reads everyone's; an adviser only their own, whatever they ask for.
    const everyone = authorize(staff, 'quality.targets').ok;
    if (!everyone && query.adviserId !== undefined && query.adviserId !== staff.id) {
      const allowed = authorize(staff, 'quality.read', query.adviserId);
      if (!allowed.ok) return reply(allowed);
    }
    const adviserId = everyone ? query.adviserId : staff.id;
    const stored = await quality.targets({
      ...(adviserId ? { adviserId } : {}),
      includeWithdrawn: query.includeWithdrawn ?? false,
      limit: 500,
    });
    const today = londonDate(now());
    reply(ok({ today, targets: await targetsWithProgress(quality, stored, today) }));
  });

  routes.staff(routesOf.setTarget, 'quality.targets', async (staff, { body }, reply) => {
    const { itemId } = body;
    if (itemId !== null) {
      const forms = await quality.forms();
      if (!forms.some((form) => form.status === 'published' && findItem(form, itemId))) {
        return reply(
          fail('invalid_input', 'Target is not valid', [
            { path: 'itemId', message: 'No published scorecard form has that item' },
          ]),
        );
      }
    }
    const added = await quality.addTarget(body, staff.id, now().toISOString());
    if (!added.ok) return reply(added);
    const [target] = await targetsWithProgress(quality, [added.value], londonDate(now()));
    reply(target ? ok(target) : fail('internal', 'The target was not kept'), 201);
  });

  routes.staff(
    routesOf.withdrawTarget,
    'quality.targets',
    async (staff, { params, body }, reply) => {
      const withdrawn = await quality.withdrawTarget(
        params.id,
        staff.id,
        body.reason,
        now().toISOString(),
      );
      if (!withdrawn.ok) return reply(withdrawn);
      const [target] = await targetsWithProgress(quality, [withdrawn.value], londonDate(now()));
      reply(target ? ok(target) : fail('internal', 'The target was not kept'));
    },
  );
}
