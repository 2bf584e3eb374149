// Quality review over real HTTP and a desk's outbox, on each engine: a week's
// sample drawn from the held interactions (every concern and flag, a random
// few per adviser, spread over the team leaders, never their own) and drawn
// again from its recorded seed; a review saved and published, refused with
// every problem in words, with N/A and must-pass items scored; the adviser
// reading, acknowledging and disputing it; another team leader resolving the
// dispute into a new version; blind calibration with its agreement; reports
// that never count calibration.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { shiftDay } from '../../shared/quality/targets';
import type { InteractionRecord } from '../../shared/interaction/record';
import { calibrationAgreement } from '../../shared/quality/agreement';
import {
  defaultForm,
  interactionFacts,
  publishForm,
  reviseForm,
  type ScorecardForm,
} from '../../shared/quality/form';
import { drawWeeklySample } from '../../shared/quality/sampling';
import type { ReviewAnswerInput } from '../../shared/quality/scoring';
import type { OutboxItem } from '../../shared/wire/outbox';
import {
  agreementTrendSchema,
  calibrationListSchema,
  calibrationSessionSchema,
  flagSchema,
  formListSchema,
  formVersionSchema,
  qualityReportSchema,
  reportTrendSchema,
  reviewListSchema,
  reviewViewSchema,
  sampleCheckSchema,
  sampleSchema,
  targetListSchema,
  targetSchema,
  type ImprovementTarget,
  type ReviewView,
  type Sample,
} from '../../shared/wire/quality';
import { isoWeekOf } from '../../server/quality/weeks';
import { londonDate } from '../../shared/time/london';
import { concernCall, fullCall } from '../support/quality-contacts';
import { engines } from '../support/storage';
import { startTestServer, type SignedIn, type TestServer } from './server-harness';

const week = '2026-W47';
const day = (date: number, hour = 10) =>
  `2026-11-${String(date).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
const thirdLeaderPassword = 'third-leader-password';

/**
 * Version 2 of the default form: rapport may be answered N/A (a contact too
 * short to judge it). Published before any review, so every review is scored
 * against it.
 */
function formVersion2(): ScorecardForm {
  const draft = reviseForm(defaultForm, (content) => ({
    ...content,
    sections: content.sections.map((section) => ({
      ...section,
      items: section.items.map((item) =>
        item.id === 'open_questions_rapport' && item.answer.kind === 'scale'
          ? { ...item, answer: { ...item.answer, notApplicableAllowed: true } }
          : item,
      ),
    })),
  }));
  if (!draft.ok) throw new Error(draft.error.message);
  const published = publishForm(draft.value);
  if (!published.ok) throw new Error(published.error.message);
  return published.value;
}

interface Answer {
  status: number;
  body: {
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string; issues?: { path: string; message: string }[] };
  };
}

describe.each(engines)('quality review on %s', (engine) => {
  let harness: TestServer;
  let alex: SignedIn;
  let sam: SignedIn;
  let taylor: SignedIn;
  let robin: SignedIn;
  let casey: SignedIn;
  let trainer: SignedIn;
  /** Team leaders by account id. */
  const leaders = new Map<string, SignedIn>();
  const alexCalls: InteractionRecord[] = [];
  let alexConcern: InteractionRecord;
  const samCalls: InteractionRecord[] = [];
  let taylorCall: InteractionRecord;
  /** Completed the week after the sample's: never sampled, so free for an ad hoc review. */
  let outsideWeek: InteractionRecord;
  let sample: Sample;

  async function deliver(username: string, record: InteractionRecord): Promise<void> {
    const desk = await harness.connectDesk(username, record.deskId);
    const item: OutboxItem = {
      id: randomUUID(),
      stream: `interaction:${record.id}`,
      createdAt: new Date().toISOString(),
      kind: 'interaction.completed',
      payload: record,
    };
    expect(await desk.emitWithAck('outbox:deliver', item)).toMatchObject({ ok: true });
    desk.close();
  }

  async function request(who: SignedIn, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${harness.server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${who.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  const expectOk = (answer: Answer, status = 200) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    return answer.body.value;
  };

  const opened = async (who: SignedIn, reviewId: string): Promise<ReviewView> =>
    reviewViewSchema.parse(expectOk(await request(who, `/api/quality/reviews/${reviewId}`)));

  const listed = async (who: SignedIn, query = '') =>
    reviewListSchema.parse(expectOk(await request(who, `/api/quality/reviews${query}`))).reviews;

  /** A desk signed in as this staff member (any password: the access token is already theirs). */
  const deskOf = async (who: SignedIn) => {
    const attempt = await harness.tryConnect({ token: who.accessToken, deskId: randomUUID() });
    if ('refused' in attempt) throw new Error(attempt.refused);
    return attempt.socket;
  };

  /** The sampled review of an interaction, and the team leader it went to. */
  const reviewOf = (interactionId: string) => {
    const item = sample.items.find((held) => held.interaction.id === interactionId);
    const reviewer = item?.reviewer ? leaders.get(item.reviewer.id) : undefined;
    if (!item?.reviewId || !reviewer) throw new Error(`no sampled review of ${interactionId}`);
    return { reviewId: item.reviewId, reviewer };
  };

  /** Another team leader than these, who may resolve. */
  const anotherLeader = (...not: string[]) => {
    const found = [...leaders.values()].find((leader) => !not.includes(leader.user.id));
    if (!found) throw new Error('no other team leader');
    return found;
  };

  beforeAll(async () => {
    harness = await startTestServer({ engine, quality: { perAdviser: 1 } });
    const passwordHash = await hashPassword(thirdLeaderPassword);
    await harness.server.storage.accounts.create({
      username: 'casey-leader',
      displayName: 'Casey Leader',
      roles: ['team_leader'],
      passwordHash,
    });
    alex = await harness.signIn('demo-adviser');
    sam = await harness.signIn('demo-adviser-2');
    taylor = await harness.signIn('demo-leader');
    robin = await harness.signIn('demo-leader-2');
    casey = await harness.signIn('casey-leader', thirdLeaderPassword);
    trainer = await harness.signIn('demo-trainer');
    for (const leader of [taylor, robin, casey]) leaders.set(leader.user.id, leader);
    const { quality } = harness.server.storage;
    // Version 1 was kept at start-up, and a held version is never rewritten.
    expect(await quality.ensureForm(defaultForm, day(1))).toBe('held');
    expect(await quality.ensureForm({ ...defaultForm, title: 'Changed' }, day(1))).toBe('differs');
    expect((await quality.form(defaultForm.id, 1))?.title).toBe('Interaction quality');
    expect(await quality.ensureForm(formVersion2(), day(1))).toBe('added');

    for (const date of [16, 17, 18]) {
      alexCalls.push(fullCall({ adviserId: alex.user.id, start: day(date) }));
    }
    alexConcern = concernCall({ adviserId: alex.user.id, start: day(19) });
    for (const date of [16, 20])
      samCalls.push(fullCall({ adviserId: sam.user.id, start: day(date) }));
    taylorCall = fullCall({ adviserId: taylor.user.id, start: day(21) });
    for (const record of [...alexCalls, alexConcern]) await deliver('demo-adviser', record);
    for (const record of samCalls) await deliver('demo-adviser-2', record);
    await deliver('demo-leader', taylorCall);
    // Outside the week: never sampled for it.
    outsideWeek = fullCall({ adviserId: alex.user.id, start: day(23, 12) });
    await deliver('demo-adviser', outsideWeek);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('lists the default form and its version 2, and lets an adviser flag only their own interaction', async () => {
    const { forms } = formListSchema.parse(expectOk(await request(alex, '/api/quality/forms')));
    expect(forms.map((form) => [form.id, form.version, form.status])).toEqual([
      ['interaction_quality', 2, 'published'],
      ['interaction_quality', 1, 'published'],
    ]);
    const flag = flagSchema.parse(
      expectOk(
        await request(alex, '/api/quality/flags', {
          interactionId: alexCalls[2]?.id,
          note: 'The customer was upset; was I too quick?',
        }),
        201,
      ),
    );
    expect(flag.interactionId).toBe(alexCalls[2]?.id);
    expect(
      (await request(sam, '/api/quality/flags', { interactionId: alexCalls[2]?.id, note: 'Mine?' }))
        .status,
    ).toBe(404);
    expect((await request(trainer, '/api/quality/forms')).status).toBe(403);
  });

  it('draws a week’s sample: concerns and flags always, one more per adviser, spread over team leaders, reproducible from its seed', async () => {
    const seed = 20_261_116;
    const preview = sampleSchema.parse(
      expectOk(await request(taylor, '/api/quality/samples', { week, seed, dryRun: true })),
    );
    expect(preview.id).toBeNull();
    expect(preview.items.every((item) => item.reviewId === null)).toBe(true);

    sample = sampleSchema.parse(
      expectOk(await request(taylor, '/api/quality/samples', { week, seed }), 201),
    );
    expect(sample).toMatchObject({
      week,
      seed,
      perAdviser: 1,
      population: { interactions: 7, advisers: 3 },
    });
    const picked = (adviserId: string) =>
      sample.items.filter((item) => item.interaction.adviserId === adviserId);
    // Alex: the concern and the flagged call always, and one of the other two at random.
    const alexItems = picked(alex.user.id);
    expect(alexItems).toHaveLength(3);
    expect(alexItems.find((item) => item.interaction.id === alexConcern.id)?.reasons).toEqual([
      'safeguarding',
    ]);
    expect(alexItems.find((item) => item.interaction.id === alexCalls[2]?.id)?.reasons).toEqual([
      'flagged',
    ]);
    expect(picked(sam.user.id).map((item) => item.reasons)).toEqual([['random']]);
    expect(picked(taylor.user.id)).toHaveLength(1);
    // Every review has a team leader, never the adviser of the interaction, and loads are even.
    for (const item of sample.items) {
      expect(item.reviewer).not.toBeNull();
      expect(item.reviewer?.id).not.toBe(item.interaction.adviserId);
      expect(item.reviewId).not.toBeNull();
    }
    expect(sample.loads.map((load) => load.reviews).sort()).toEqual([1, 2, 2]);
    // The flagged call's review says why it is there.
    const flagged = reviewOf(alexCalls[2]?.id ?? '');
    expect((await opened(flagged.reviewer, flagged.reviewId)).review.purpose).toBe('flagged');

    // The same seed draws the same sample, through the API and from the recorded request.
    const again = sampleSchema.parse(
      expectOk(await request(robin, '/api/quality/samples', { week, seed, dryRun: true })),
    );
    const chosen = (drawn: Sample) =>
      drawn.items.map((item) => [item.interaction.id, item.reasons, item.reviewer?.id]);
    expect(chosen(again)).toEqual(chosen(sample));
    expect(chosen(preview)).toEqual(chosen(sample));
    const checked = sampleCheckSchema.parse(
      expectOk(await request(robin, `/api/quality/samples/${sample.id}`)),
    );
    expect(checked.reproduces).toBe(true);
    expect(checked.check).toContain(`seed ${seed}`);
    // Drawn here from the week's interactions as they were delivered: the same
    // interactions, digest and reviewers; and another seed would have drawn
    // another of Alex's, so the seed is what makes it this sample.
    const population = [...alexCalls, alexConcern, ...samCalls, taylorCall].map((record) => ({
      id: record.id,
      adviserId: record.adviserId,
      completedAt: record.completedAt,
      safeguardingRaised: record.summary.safeguarding.length > 0,
      abandonedOrDropped: false,
      flaggedForReview: record.id === alexCalls[2]?.id,
    }));
    const drawLocally = (withSeed: number) => {
      const drawn = drawWeeklySample({
        seed: withSeed,
        week,
        perAdviser: 1,
        interactions: population,
        reviewerIds: [...leaders.keys()],
      });
      if (!drawn.ok) throw new Error(drawn.error.message);
      return drawn.value;
    };
    const local = drawLocally(seed);
    expect(local.populationDigest).toBe(sample.populationDigest);
    expect(local.selections.map((s) => [s.interactionId, s.reasons, s.reviewerId])).toEqual(
      chosen(sample),
    );
    const alexRandom = (drawn: ReturnType<typeof drawLocally>) =>
      drawn.selections
        .filter((s) => s.adviserId === alex.user.id && s.reasons.includes('random'))
        .map((s) => s.interactionId);
    expect(
      Array.from({ length: 20 }, (_, n) => alexRandom(drawLocally(n))).some(
        (ids) => ids.join() !== alexRandom(local).join(),
      ),
    ).toBe(true);

    // A week is drawn once.
    const twice = await request(robin, '/api/quality/samples', { week });
    expect(twice.status).toBe(409);
    expect(twice.body.error?.message).toMatch(/already drawn by Taylor Leader/);
    expect((await request(alex, '/api/quality/samples', { week })).status).toBe(403);
  });

  it('publishes a review only when nothing is left to put right, scoring N/A out of the maximum and must-pass apart', async () => {
    const { reviewId, reviewer } = reviewOf(alexConcern.id);
    const draft = await opened(reviewer, reviewId);
    expect(draft.may.edit).toBe(true);
    expect(draft.view.redacted).toBe(true);
    expect(draft.form.version).toBe(2);
    // The record proposes the objective items, the safeguarding one included, with evidence.
    const proposals = new Map(draft.prefill?.proposals.map((p) => [p.itemId, p]));
    expect(proposals.get('safeguarding_handled')?.answer).toBe('yes');
    expect(proposals.get('safeguarding_handled')?.reason).toMatch(
      /escalated to Duty team leader 15 seconds later/,
    );
    expect(proposals.get('status_captured')?.evidence[0]?.index).toBe(4);
    expect(draft.prefill?.judgementItemIds).toEqual([
      'next_steps_good',
      'open_questions_rapport',
      'information_accurate',
    ]);

    const proposed: ReviewAnswerInput[] = [...proposals.values()].map((p) => ({
      itemId: p.itemId,
      value: p.answer ?? 'yes',
      moment: p.evidence[0]
        ? { index: p.evidence[0].index, at: p.evidence[0].at, offsetMs: p.evidence[0].offsetMs }
        : null,
    }));
    const saved = reviewViewSchema.parse(
      expectOk(
        await request(reviewer, `/api/quality/reviews/${reviewId}/draft`, { answers: proposed }),
      ),
    );
    expect(saved.review.status).toBe('draft');
    expect(saved.problems.map((problem) => problem.path)).toEqual([
      'answers.next_steps_good',
      'answers.open_questions_rapport',
      'answers.information_accurate',
    ]);

    // Every problem at once, in words: a failed item with no comment, an N/A the
    // item does not take, an unanswered item, an override of the record with no reason.
    const refused = await request(reviewer, `/api/quality/reviews/${reviewId}/publish`, {
      answers: [
        ...proposed.filter((answer) => answer.itemId !== 'transcript_offered'),
        { itemId: 'transcript_offered', value: 'not_applicable' },
        { itemId: 'information_accurate', value: 0 },
        { itemId: 'open_questions_rapport', value: 'not_applicable' },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toBe(
      'The review cannot be published yet: 3 things to put right.',
    );
    expect(refused.body.error?.issues).toEqual([
      {
        path: 'answers.transcript_offered',
        message: '“A transcript was offered” cannot be answered N/A.',
      },
      {
        path: 'answers.information_accurate',
        message:
          '“The information given was accurate and current” was not met: say why in a comment, so the adviser knows what to change.',
      },
      { path: 'answers.next_steps_good', message: 'Answer “The next steps were good”.' },
    ]);
    expect((await opened(reviewer, reviewId)).review.status).toBe('draft');

    // A complete draft is scored: a must-pass "no" fails the review whatever the percentage.
    const complete: ReviewAnswerInput[] = [
      ...proposed.filter((answer) => answer.itemId !== 'safeguarding_handled'),
      { itemId: 'next_steps_good', value: 2, comment: 'Only one action, and not a specific one' },
      { itemId: 'open_questions_rapport', value: 'not_applicable', comment: 'Too short to judge' },
      { itemId: 'information_accurate', value: 3 },
    ];
    const failing = reviewViewSchema.parse(
      expectOk(
        await request(reviewer, `/api/quality/reviews/${reviewId}/draft`, {
          answers: [
            ...complete,
            { itemId: 'safeguarding_handled', value: 'no', comment: 'No referral was made' },
          ],
        }),
      ),
    );
    expect(failing.problems).toEqual([]);
    // Counted: 2+2+1+2+1+1 met, next steps 2/4 of 4, accuracy 3/4 of 3, rapport N/A: 13.25 of 16.
    expect(failing.score?.percentage).toBeCloseTo(82.8125, 10);
    expect(failing.score?.critical).toEqual({
      result: 'fail',
      failedItemIds: ['safeguarding_handled'],
    });
    expect(failing.score?.passed).toBe(false);

    const published = reviewViewSchema.parse(
      expectOk(
        await request(reviewer, `/api/quality/reviews/${reviewId}/publish`, {
          answers: [...complete, { itemId: 'safeguarding_handled', value: 'yes' }],
        }),
      ),
    );
    expect(published.review).toMatchObject({ status: 'published', version: 1, passed: true });
    expect(published.score?.percentage).toBeCloseTo(82.8125, 10);
    expect(published.score?.critical.result).toBe('pass');
    expect(
      published.versions.map((version) => [version.version, version.kind, version.reason]),
    ).toEqual([[1, 'published', 'Published']]);
    expect(published.may.edit).toBe(false);
    // Published never changes but through a dispute.
    expect(
      (await request(reviewer, `/api/quality/reviews/${reviewId}/draft`, { answers: complete }))
        .status,
    ).toBe(409);
    // Only the team leader it is assigned to writes it.
    const other = reviewOf(alexCalls[2]?.id ?? '');
    const notMine = anotherLeader(other.reviewer.user.id);
    expect(
      (await request(notMine, `/api/quality/reviews/${other.reviewId}/draft`, { answers: [] }))
        .status,
    ).toBe(403);
  });

  it('shows the adviser only published reviews of their own work, to acknowledge and dispute; another team leader resolves into a new version', async () => {
    const { reviewId, reviewer } = reviewOf(alexConcern.id);
    const drafts = reviewOf(alexCalls[2]?.id ?? '');
    const mine = await listed(alex);
    expect(mine.map((review) => review.id)).toEqual([reviewId]);
    expect((await request(alex, `/api/quality/reviews/${drafts.reviewId}`)).status).toBe(404);
    expect((await request(sam, `/api/quality/reviews/${reviewId}`)).status).toBe(404);
    expect(await listed(sam)).toEqual([]);

    const asAdviser = await opened(alex, reviewId);
    expect(asAdviser.may).toEqual({
      edit: false,
      acknowledge: true,
      dispute: true,
      resolve: false,
      reassign: false,
    });
    expect(asAdviser.disputeUntil).not.toBeNull();
    const acknowledged = reviewViewSchema.parse(
      expectOk(
        await request(alex, `/api/quality/reviews/${reviewId}/acknowledgement`, {
          comment: 'Thanks, I will push for a referral next time.',
        }),
      ),
    );
    expect(acknowledged.review.status).toBe('acknowledged');
    expect(acknowledged.acknowledgement).toMatchObject({
      version: 1,
      comment: 'Thanks, I will push for a referral next time.',
    });
    expect(
      (await request(alex, `/api/quality/reviews/${reviewId}/acknowledgement`, {})).status,
    ).toBe(409);

    const short = await request(alex, `/api/quality/reviews/${reviewId}/disputes`, {
      items: [{ itemId: 'information_accurate', reason: 'No' }],
    });
    expect(short.status).toBe(400);
    expect(short.body.error?.issues?.[0]?.message).toMatch(/Say why you disagree/);
    const disputed = reviewViewSchema.parse(
      expectOk(
        await request(alex, `/api/quality/reviews/${reviewId}/disputes`, {
          items: [
            {
              itemId: 'information_accurate',
              reason: 'The college entry requirements I gave were checked against the article.',
            },
          ],
        }),
      ),
    );
    expect(disputed.review).toMatchObject({ status: 'disputed', openDisputes: 1 });
    expect(
      (
        await request(alex, `/api/quality/reviews/${reviewId}/disputes`, {
          items: [{ itemId: 'next_steps_good', reason: 'And this one too, please.' }],
        })
      ).status,
    ).toBe(409);

    const resolution = {
      outcome: 'upheld',
      reason: 'Checked the article: the requirements given were right.',
      answer: { value: 4 },
    };
    const path = `/api/quality/reviews/${reviewId}/disputes/information_accurate/resolution`;
    // Not the reviewer, not the adviser, and only a team leader.
    expect((await request(reviewer, path, resolution)).status).toBe(403);
    expect((await request(alex, path, resolution)).status).toBe(403);
    const resolver = anotherLeader(reviewer.user.id, alex.user.id);
    const asResolver = await opened(resolver, reviewId);
    expect(asResolver.may.resolve).toBe(true);
    const upheldSame = await request(resolver, path, { ...resolution, answer: { value: 3 } });
    expect(upheldSame.status).toBe(400);
    expect(upheldSame.body.error?.issues?.[0]?.message).toMatch(
      /Choose the answer you now agree with/,
    );

    const resolved = reviewViewSchema.parse(expectOk(await request(resolver, path, resolution)));
    expect(resolved.review).toMatchObject({ status: 'resolved', version: 2, openDisputes: 0 });
    // Accuracy now 3 of 3: 14 of 16.
    expect(resolved.score?.percentage).toBeCloseTo(87.5, 10);
    expect(
      resolved.versions.map((version) => [version.version, version.kind, version.writtenBy.id]),
    ).toEqual([
      [1, 'published', reviewer.user.id],
      [2, 'resolution', resolver.user.id],
    ]);
    expect(resolved.versions[1]?.reason).toBe(resolution.reason);
    expect(
      resolved.versions[0]?.answers.find((a) => a.itemId === 'information_accurate')?.value,
    ).toBe(3);
    expect(resolved.disputes).toEqual([
      expect.objectContaining({
        itemId: 'information_accurate',
        raisedBy: { id: alex.user.id, name: 'Alex Adviser' },
        resolution: expect.objectContaining({
          outcome: 'upheld',
          by: expect.objectContaining({ id: resolver.user.id }),
          version: 2,
        }),
      }),
    ]);
    expect((await request(resolver, path, resolution)).status).toBe(409);
    // The new version is the adviser's to acknowledge.
    expect((await opened(alex, reviewId)).may.acknowledge).toBe(true);
  });

  it('takes a review’s answers through a desk’s outbox, once, by the reviewer only, refusing a publish with problems', async () => {
    const { reviewId, reviewer } = reviewOf(
      samCalls.find((call) => sample.items.some((item) => item.interaction.id === call.id))?.id ??
        '',
    );
    const answers =
      (await opened(reviewer, reviewId)).prefill?.proposals.map((p) => ({
        itemId: p.itemId,
        value: p.answer ?? 'yes',
      })) ?? [];
    const desk = await deskOf(reviewer);
    const save = (publish: boolean, extra: ReviewAnswerInput[] = []): OutboxItem => ({
      id: randomUUID(),
      stream: `quality-review:${reviewId}`,
      createdAt: new Date().toISOString(),
      kind: 'quality.review.saved',
      payload: {
        reviewId,
        answers: [...answers, ...extra].map((answer) => ({ comment: '', moment: null, ...answer })),
        publish,
        savedAt: new Date().toISOString(),
      },
    });
    const draft = save(false);
    expect(await desk.emitWithAck('outbox:deliver', draft)).toEqual({
      ok: true,
      value: { id: draft.id, status: 'applied' },
    });
    expect(await desk.emitWithAck('outbox:deliver', draft)).toEqual({
      ok: true,
      value: { id: draft.id, status: 'duplicate' },
    });
    const early = save(true);
    const refused = await desk.emitWithAck('outbox:deliver', early);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await opened(reviewer, reviewId)).review.status).toBe('draft');

    const someoneElse = await deskOf(anotherLeader(reviewer.user.id));
    const theirs = save(true, [
      { itemId: 'barriers_explored', value: 'yes' },
      { itemId: 'next_steps_good', value: 3 },
      { itemId: 'open_questions_rapport', value: 3 },
      { itemId: 'information_accurate', value: 4 },
    ]);
    expect(await someoneElse.emitWithAck('outbox:deliver', theirs)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const adviserDesk = await deskOf(alex);
    expect(await adviserDesk.emitWithAck('outbox:deliver', theirs)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await desk.emitWithAck('outbox:deliver', theirs)).toMatchObject({ ok: true });
    const published = await opened(reviewer, reviewId);
    expect(published.review).toMatchObject({ status: 'published', version: 1 });
    // Met: status 2, barriers 2, skills 2, actions 1, follow-up 2, transcript 1, service 1;
    // next steps 3/4 of 4, rapport 3/4 of 2, accuracy 4/4 of 3: 18.5 of 20.
    expect(published.score?.percentage).toBeCloseTo(92.5, 10);
    for (const socket of [desk, someoneElse, adviserDesk]) socket.close();
  });

  it('starts an ad hoc review of an interaction outside the sample, once', async () => {
    const unsampled = samCalls.find(
      (call) => !sample.items.some((item) => item.interaction.id === call.id),
    );
    const created = reviewViewSchema.parse(
      expectOk(await request(robin, '/api/quality/reviews', { interactionId: unsampled?.id }), 201),
    );
    expect(created.review).toMatchObject({
      purpose: 'adhoc',
      status: 'draft',
      reviewer: { id: robin.user.id },
    });
    expect(
      (await request(taylor, '/api/quality/reviews', { interactionId: unsampled?.id })).status,
    ).toBe(409);
    // Nobody reviews their own interaction.
    const own = await request(taylor, '/api/quality/reviews', { interactionId: taylorCall.id });
    expect(own.status).toBe(403);
    expect((await listed(robin, '?scope=assigned')).map((review) => review.id)).toContain(
      created.review.id,
    );
  });

  it('runs blind calibration over three reviewers, shows its agreement, and keeps it out of reports', async () => {
    const interactions = [alexCalls[0], alexCalls[1]].filter((call) => call !== undefined);
    const reviewers = [taylor, robin, casey];
    const created = calibrationSessionSchema.parse(
      expectOk(
        await request(taylor, '/api/quality/calibration', {
          title: 'November calibration',
          interactionIds: interactions.map((call) => call.id),
          reviewerIds: reviewers.map((leader) => leader.user.id),
        }),
        201,
      ),
    );
    expect(created).toMatchObject({ total: 6, published: 0, complete: false, agreement: null });
    expect(created.reviews.every((review) => review.reviewer.id === taylor.user.id)).toBe(true);
    // Nobody scores their own work, and only team leaders calibrate.
    expect(
      (
        await request(taylor, '/api/quality/calibration', {
          title: 'Own work',
          interactionIds: [taylorCall.id],
          reviewerIds: [taylor.user.id, robin.user.id],
        })
      ).status,
    ).toBe(400);

    // Each reviewer scores the two calls; judgements differ between reviewers.
    const judgements: Record<string, [number, number, number][]> = {
      [taylor.user.id]: [
        [3, 3, 4],
        [2, 2, 3],
      ],
      [robin.user.id]: [
        [3, 4, 4],
        [2, 2, 2],
      ],
      [casey.user.id]: [
        [4, 3, 4],
        [1, 2, 3],
      ],
    };
    const submitted: { reviewerId: string; interactionId: string; answers: ReviewAnswerInput[] }[] =
      [];
    for (const leader of reviewers) {
      const theirs = (await listed(leader, '?scope=assigned&purpose=calibration')).filter(
        (review) => review.calibrationSessionId === created.id,
      );
      expect(theirs).toHaveLength(2);
      // Blind: another reviewer's calibration review is not there to open.
      const others = (await listed(leader, '?scope=all&purpose=calibration')).filter(
        (review) => review.reviewer.id !== leader.user.id,
      );
      expect(others).toEqual([]);
      for (const review of theirs) {
        const view = await opened(leader, review.id);
        const unit = interactions.findIndex((call) => call.id === review.interaction.id);
        const [next, rapport, accuracy] = judgements[leader.user.id]?.[unit] ?? [0, 0, 0];
        const answers: ReviewAnswerInput[] = [
          ...(view.prefill?.proposals ?? []).map((p) => ({
            itemId: p.itemId,
            value: p.answer ?? 'yes',
          })),
          { itemId: 'barriers_explored', value: 'yes' },
          { itemId: 'next_steps_good', value: next, comment: next === 0 ? 'None' : '' },
          { itemId: 'open_questions_rapport', value: rapport },
          { itemId: 'information_accurate', value: accuracy },
        ];
        expectOk(await request(leader, `/api/quality/reviews/${review.id}/publish`, { answers }));
        submitted.push({
          reviewerId: leader.user.id,
          interactionId: review.interaction.id,
          answers,
        });
      }
      const session = calibrationSessionSchema.parse(
        expectOk(await request(leader, `/api/quality/calibration/${created.id}`)),
      );
      if (leader !== casey) {
        expect(session.complete).toBe(false);
        expect(session.agreement).toBeNull();
        expect(session.reviews.every((review) => review.reviewer.id === leader.user.id)).toBe(true);
      }
    }

    const session = calibrationSessionSchema.parse(
      expectOk(await request(robin, `/api/quality/calibration/${created.id}`)),
    );
    expect(session).toMatchObject({ complete: true, published: 6, total: 6 });
    expect(session.reviews).toHaveLength(6);
    const form = formVersion2();
    const expected = calibrationAgreement(form, {
      interactions: interactions.map((call) => ({ id: call.id, facts: interactionFacts(call) })),
      reviews: submitted,
    });
    if (!expected.ok) throw new Error(expected.error.message);
    expect(session.agreement?.form.alpha).toBeCloseTo(expected.value.form.alpha ?? Number.NaN, 12);
    expect(session.agreement?.reviewerIds).toHaveLength(3);
    const item = (id: string) => session.agreement?.items.find((held) => held.itemId === id);
    // Every reviewer said yes to every pre-filled item: no variation, so no figure and no flag.
    expect(item('status_captured')).toMatchObject({
      alpha: null,
      undefinedBecause: 'no_variation',
      flagged: false,
    });
    // Rapport: 3, 4, 3 on the first call and 2, 2, 2 on the second, ordinal.
    expect(item('open_questions_rapport')?.alpha).toBeCloseTo(
      expected.value.items.find((held) => held.itemId === 'open_questions_rapport')?.alpha ??
        Number.NaN,
      12,
    );
    expect(session.agreement?.flaggedItemIds).toEqual(expected.value.flaggedItemIds);
    // Once complete, everyone's reviews are open to every team leader.
    const afterComplete = (await listed(taylor, '?scope=all&purpose=calibration')).filter(
      (review) => review.calibrationSessionId === created.id,
    );
    expect(afterComplete).toHaveLength(6);
    const list = calibrationListSchema.parse(
      expectOk(await request(casey, '/api/quality/calibration')),
    );
    expect(list.sessions[0]).toMatchObject({
      id: created.id,
      complete: true,
      interactions: 2,
      reviewers: 3,
    });
    expect(list.sessions[0]?.formAlpha).toBeCloseTo(expected.value.form.alpha ?? Number.NaN, 12);

    // Reports count the week's published reviews and never calibration.
    const report = qualityReportSchema.parse(
      expectOk(await request(robin, '/api/quality/reports?from=2026-11-16&to=2026-11-22')),
    );
    expect(report.team.reviews).toBe(2);
    const alexLine = report.advisers.find((line) => line.adviser?.id === alex.user.id);
    expect(alexLine).toMatchObject({ reviews: 1, criticalFails: 0, passed: 1 });
    expect(alexLine?.averagePercentage).toBeCloseTo(87.5, 10);
    expect(alexLine?.nextStepsGood).toEqual({ scored: 1, good: 0, rate: 0 });
    const samLine = report.advisers.find((line) => line.adviser?.id === sam.user.id);
    expect(samLine?.nextStepsGood).toEqual({ scored: 1, good: 1, rate: 1 });
    expect(
      report.team.items.find((held) => held.itemId === 'open_questions_rapport'),
    ).toMatchObject({
      answered: 1,
      failed: 0,
      passRate: 1,
    });
    expect((await request(alex, '/api/quality/reports?from=2026-11-16&to=2026-11-22')).status).toBe(
      403,
    );
    const backwards = await request(robin, '/api/quality/reports?from=2026-11-22&to=2026-11-16');
    expect(backwards.status).toBe(400);

    // Over time, week by week (London, Monday to Sunday): the week's figures are the
    // report's, the weeks either side have none (not zeros), and calibration never counts.
    const weekly = reportTrendSchema.parse(
      expectOk(
        await request(
          robin,
          `/api/quality/reports/trend?from=2026-11-11&to=2026-11-30&by=week&adviserId=${alex.user.id}`,
        ),
      ),
    );
    expect(weekly.periods).toEqual([
      { key: '2026-W46', from: '2026-11-11', to: '2026-11-15', partial: true },
      { key: '2026-W47', from: '2026-11-16', to: '2026-11-22', partial: false },
      { key: '2026-W48', from: '2026-11-23', to: '2026-11-29', partial: false },
      { key: '2026-W49', from: '2026-11-30', to: '2026-11-30', partial: true },
    ]);
    expect(weekly.team.map((period) => period.reviews)).toEqual([0, 2, 0, 0]);
    expect(weekly.team.map((period) => period.averagePercentage)).toEqual([
      null,
      report.team.averagePercentage,
      null,
      null,
    ]);
    expect(weekly.team[0]).toMatchObject({
      criticalFails: null,
      passed: null,
      nextStepsGood: null,
    });
    expect(weekly.team[1]).toMatchObject({
      criticalFails: report.team.criticalFails,
      passed: { counted: 2, met: report.team.passed },
      nextStepsGood: { counted: 2, met: 1, rate: 0.5 },
    });
    expect(weekly.team[1]?.items).toEqual(
      report.team.items.map(({ itemId, answered, failed, passRate }) => ({
        itemId,
        answered,
        failed,
        passRate,
      })),
    );
    expect(weekly.adviser?.adviser).toEqual({ id: alex.user.id, name: alex.user.displayName });
    expect(weekly.adviser?.periods.map((period) => period.reviews)).toEqual([0, 1, 0, 0]);
    expect(weekly.adviser?.periods[1]?.averagePercentage).toBeCloseTo(87.5, 10);
    expect(weekly.adviser?.periods[1]?.nextStepsGood).toEqual({ counted: 1, met: 0, rate: 0 });
    const monthly = reportTrendSchema.parse(
      expectOk(
        await request(robin, '/api/quality/reports/trend?from=2026-10-01&to=2026-11-30&by=month'),
      ),
    );
    expect(monthly.periods.map((period) => period.key)).toEqual(['2026-10', '2026-11']);
    expect(monthly.team.map((period) => period.reviews)).toEqual([0, 2]);
    expect(monthly.adviser).toBeNull();
    const trendOf = (who: SignedIn, query: string) =>
      request(who, `/api/quality/reports/trend?${query}`);
    expect((await trendOf(alex, 'from=2026-11-01&to=2026-11-30&by=week')).status).toBe(403);
    expect((await trendOf(robin, 'from=2026-11-01&to=2026-11-30&by=day')).status).toBe(400);
    expect((await trendOf(robin, 'from=2024-11-01&to=2026-11-30&by=month')).status).toBe(400);
    expect(
      (await trendOf(robin, 'from=2026-11-01&to=2026-11-30&by=week&adviserId=nobody')).status,
    ).toBe(404);
  });

  it('passes a draft review to another team leader, recorded with why, and moves nothing else', async () => {
    const { reviewId, reviewer } = reviewOf(alexCalls[2]?.id ?? '');
    const started = [
      { itemId: 'barriers_explored', value: 'yes' as const, comment: 'Explored well' },
    ];
    expectOk(
      await request(reviewer, `/api/quality/reviews/${reviewId}/draft`, { answers: started }),
    );
    const to = anotherLeader(reviewer.user.id);
    const by = anotherLeader(reviewer.user.id, to.user.id);
    const move = (who: SignedIn, body: unknown, id = reviewId) =>
      request(who, `/api/quality/reviews/${id}/reassignment`, body);
    const reason = 'Robin is away this week; Casey knows the adviser less well.';

    // Team leaders only, with a reason, to a team leader who does not have it already.
    expect((await move(alex, { reviewerId: to.user.id, reason })).status).toBe(403);
    expect((await move(trainer, { reviewerId: to.user.id, reason })).status).toBe(403);
    const short = await move(by, { reviewerId: to.user.id, reason: 'Away' });
    expect(short.status).toBe(400);
    expect(short.body.error?.issues?.[0]?.message).toMatch(/Say why it moves/);
    const notLeader = await move(by, { reviewerId: sam.user.id, reason });
    expect(notLeader.status).toBe(400);
    expect(notLeader.body.error?.issues).toEqual([
      {
        path: 'reviewerId',
        message: 'Sam Adviser is not a team leader: reviews are written by team leaders',
      },
    ]);
    expect((await move(by, { reviewerId: reviewer.user.id, reason })).status).toBe(400);
    expect((await move(by, { reviewerId: 'nobody-at-all', reason })).status).toBe(400);

    // Any team leader may move it; the draft's answers go with it, and it is recorded.
    const moved = reviewViewSchema.parse(
      expectOk(await move(by, { reviewerId: to.user.id, reason })),
    );
    expect(moved.review.reviewer.id).toBe(to.user.id);
    expect(moved.answers).toMatchObject(started);
    expect(moved.reassignments).toEqual([
      {
        from: { id: reviewer.user.id, name: reviewer.user.displayName },
        to: { id: to.user.id, name: to.user.displayName },
        by: { id: by.user.id, name: by.user.displayName },
        at: expect.any(String),
        reason,
      },
    ]);
    expect((await opened(to, reviewId)).may.edit).toBe(true);
    expect((await opened(reviewer, reviewId)).may).toMatchObject({ edit: false, reassign: true });
    expect((await listed(to, '?scope=assigned')).map((review) => review.id)).toContain(reviewId);
    expect((await listed(reviewer, '?scope=assigned')).map((review) => review.id)).not.toContain(
      reviewId,
    );

    // The one it came from is told where it went, over HTTP and through a desk's outbox:
    // a late draft is dropped as out of date, a late publish is refused.
    const late = await request(reviewer, `/api/quality/reviews/${reviewId}/draft`, {
      answers: [],
    });
    expect(late.status).toBe(409);
    expect(late.body.error?.message).toMatch(
      new RegExp(`is now ${to.user.displayName}’s to finish: these answers were not saved`),
    );
    const desk = await deskOf(reviewer);
    const outboxSave = (publish: boolean): OutboxItem => ({
      id: randomUUID(),
      stream: `quality-review:${reviewId}`,
      createdAt: new Date().toISOString(),
      kind: 'quality.review.saved',
      payload: { reviewId, answers: [], publish, savedAt: new Date().toISOString() },
    });
    expect(await desk.emitWithAck('outbox:deliver', outboxSave(false))).toMatchObject({
      ok: true,
      value: { status: 'applied' },
    });
    expect(await desk.emitWithAck('outbox:deliver', outboxSave(true))).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    desk.close();
    expect((await opened(to, reviewId)).answers).toMatchObject(started);

    // A published review stays with its reviewer; a calibration review with its reviewer.
    const publishedReview = reviewOf(alexConcern.id);
    const stays = await move(by, { reviewerId: to.user.id, reason }, publishedReview.reviewId);
    expect(stays.status).toBe(409);
    expect(stays.body.error?.message).toMatch(/already published/);
    const calibration = (await listed(taylor, '?scope=assigned&purpose=calibration'))[0];
    expect((await move(robin, { reviewerId: casey.user.id, reason }, calibration?.id)).status).toBe(
      409,
    );
    // Nobody moves a review of their own work, nor gives one to its adviser.
    const taylorsOwn = reviewOf(taylorCall.id);
    expect(
      (
        await move(
          taylor,
          {
            reviewerId: anotherLeader(taylor.user.id, taylorsOwn.reviewer.user.id).user.id,
            reason,
          },
          taylorsOwn.reviewId,
        )
      ).status,
    ).toBe(403);
    const toAdviser = await move(
      anotherLeader(taylor.user.id, taylorsOwn.reviewer.user.id),
      { reviewerId: taylor.user.id, reason },
      taylorsOwn.reviewId,
    );
    expect(toAdviser.status).toBe(400);
    expect(toAdviser.body.error?.issues?.[0]?.message).toMatch(/nobody reviews their own work/);
  });

  it('sets advisers’ improvement targets, reads their progress from published reviews, and shows them in reports', async () => {
    const today = londonDate(new Date());
    const running = shiftDay(today, 30);
    const set = async (body: Record<string, unknown>, who: SignedIn = taylor) =>
      request(who, '/api/quality/targets', {
        note: 'Agreed at the November performance review.',
        ...body,
      });
    const added = async (body: Record<string, unknown>) =>
      targetSchema.parse(expectOk(await set(body), 201));

    // Alex's review scored next steps 2 of 4 (not good); Sam's 3 of 4; both passed.
    const week = await added({
      adviserId: alex.user.id,
      measure: 'next_steps_good',
      targetPercent: 50,
      startsOn: '2026-11-16',
      dueOn: '2026-11-22',
    });
    expect(week.progress).toMatchObject({
      state: 'too_few_reviews',
      figure: { value: 0, counted: 1 },
      baseline: { value: null, counted: 0, from: '2026-11-09', to: '2026-11-15' },
    });
    const samScore = await added({
      adviserId: sam.user.id,
      measure: 'average_score',
      targetPercent: 90,
      startsOn: '2026-11-16',
      dueOn: running,
    });
    expect(samScore.progress).toMatchObject({
      state: 'on_track',
      to: today,
      figure: { counted: 1 },
    });
    expect(samScore.progress.figure.value).toBeCloseTo(92.5, 10);
    const passed = await added({
      adviserId: alex.user.id,
      measure: 'reviews_passed',
      targetPercent: 100,
      startsOn: '2026-11-16',
      dueOn: running,
    });
    expect(passed.progress).toMatchObject({
      state: 'on_track',
      figure: { value: 100, counted: 1 },
    });
    const item = await added({
      adviserId: alex.user.id,
      measure: 'item_pass_rate',
      itemId: 'transcript_offered',
      targetPercent: 95,
      startsOn: shiftDay(today, 1),
      dueOn: running,
    });
    expect(item).toMatchObject({
      itemPrompt: 'A transcript was offered',
      progress: { state: 'not_started', figure: { value: null, counted: 0 } },
    });

    // Refused: an unknown item, someone who is not an adviser, one's own, and by an adviser.
    const unknown = await set({
      adviserId: alex.user.id,
      measure: 'item_pass_rate',
      itemId: 'no_such_item',
      targetPercent: 90,
      startsOn: '2026-11-16',
      dueOn: running,
    });
    expect(unknown.body.error?.issues).toEqual([
      { path: 'itemId', message: 'No published scorecard form has that item' },
    ]);
    const target = { measure: 'average_score', targetPercent: 80, startsOn: today, dueOn: running };
    expect((await set({ ...target, adviserId: casey.user.id })).status).toBe(400);
    expect((await set({ ...target, adviserId: taylor.user.id })).status).toBe(403);
    expect((await set({ ...target, adviserId: sam.user.id }, alex)).status).toBe(403);

    // An adviser reads their own targets only; a team leader reads everyone's.
    const mine = targetListSchema.parse(expectOk(await request(alex, '/api/quality/targets')));
    expect(mine.today).toBe(today);
    expect(mine.targets.map((held) => held.id).sort()).toEqual(
      [week.id, passed.id, item.id].sort(),
    );
    expect((await request(alex, `/api/quality/targets?adviserId=${sam.user.id}`)).status).toBe(403);
    expect((await request(trainer, '/api/quality/targets')).status).toBe(403);
    const everyone = targetListSchema.parse(expectOk(await request(robin, '/api/quality/targets')));
    expect(everyone.targets).toHaveLength(4);
    // Newest due date first.
    expect(everyone.targets.at(-1)?.id).toBe(week.id);

    // Reports show the targets running in the range, with whether each is met.
    const report = qualityReportSchema.parse(
      expectOk(await request(robin, '/api/quality/reports?from=2026-11-16&to=2026-11-22')),
    );
    const states = (targets: ImprovementTarget[]) =>
      Object.fromEntries(targets.map((held) => [held.id, held.progress.state]));
    expect(states(report.targets)).toEqual({
      [week.id]: 'too_few_reviews',
      [samScore.id]: 'on_track',
      [passed.id]: 'on_track',
    });
    const samOnly = qualityReportSchema.parse(
      expectOk(
        await request(
          robin,
          `/api/quality/reports?from=2026-11-16&to=2026-11-22&adviserId=${sam.user.id}`,
        ),
      ),
    );
    expect(samOnly.targets.map((held) => held.id)).toEqual([samScore.id]);

    // Withdrawn once, with why; then out of lists and reports unless asked for.
    const withdrawal = { reason: 'Set against the wrong measure; replaced.' };
    expect(
      (await request(alex, `/api/quality/targets/${passed.id}/withdrawal`, withdrawal)).status,
    ).toBe(403);
    const withdrawn = targetSchema.parse(
      expectOk(await request(robin, `/api/quality/targets/${passed.id}/withdrawal`, withdrawal)),
    );
    expect(withdrawn).toMatchObject({
      withdrawal: { by: { id: robin.user.id }, reason: withdrawal.reason },
      progress: { state: 'withdrawn' },
    });
    expect(
      (await request(robin, `/api/quality/targets/${passed.id}/withdrawal`, withdrawal)).status,
    ).toBe(409);
    expect(
      (await request(robin, `/api/quality/targets/${randomUUID()}/withdrawal`, withdrawal)).status,
    ).toBe(404);
    const active = targetListSchema.parse(
      expectOk(await request(alex, '/api/quality/targets')),
    ).targets;
    expect(active.map((held) => held.id)).not.toContain(passed.id);
    const all = targetListSchema.parse(
      expectOk(await request(alex, '/api/quality/targets?includeWithdrawn=true')),
    ).targets;
    expect(all.find((held) => held.id === passed.id)?.progress.state).toBe('withdrawn');
  });

  it('shows reviewers’ agreement over time: one point per complete session, the blind ones only counted', async () => {
    const today = londonDate(new Date());
    const trendOf = async (from: string, to: string) =>
      agreementTrendSchema.parse(
        expectOk(await request(casey, `/api/quality/agreement?from=${from}&to=${to}`)),
      );
    // A second session, scored by two of the three: still blind.
    const second = calibrationSessionSchema.parse(
      expectOk(
        await request(robin, '/api/quality/calibration', {
          title: 'December calibration',
          interactionIds: [samCalls[0]?.id],
          reviewerIds: [robin.user.id, casey.user.id],
        }),
        201,
      ),
    );
    const before = await trendOf(shiftDay(today, -1), shiftDay(today, 1));
    const first = calibrationListSchema
      .parse(expectOk(await request(casey, '/api/quality/calibration')))
      .sessions.find((session) => session.title === 'November calibration');
    expect(before.sessions.map((point) => point.title)).toEqual(['November calibration']);
    expect(before.incomplete).toBe(1);
    expect(before.sessions[0]).toMatchObject({
      week: isoWeekOf(new Date()),
      reviewers: 3,
      interactions: 2,
    });
    expect(before.sessions[0]?.form.alpha).toBeCloseTo(first?.formAlpha ?? Number.NaN, 12);
    expect(before.items.map((held) => held.itemId)).toContain('next_steps_good');

    // Both score it, reading rapport differently: now it is a point too, after the first.
    for (const [leader, rapport] of [
      [robin, 4],
      [casey, 1],
    ] as const) {
      const review = (await listed(leader, '?scope=assigned&purpose=calibration')).find(
        (held) => held.calibrationSessionId === second.id,
      );
      const view = await opened(leader, review?.id ?? '');
      const answers: ReviewAnswerInput[] = [
        ...(view.prefill?.proposals ?? []).map((p) => ({
          itemId: p.itemId,
          value: p.answer ?? 'yes',
        })),
        { itemId: 'barriers_explored', value: 'yes' },
        { itemId: 'next_steps_good', value: 3 },
        { itemId: 'open_questions_rapport', value: rapport },
        { itemId: 'information_accurate', value: 3 },
      ];
      expectOk(await request(leader, `/api/quality/reviews/${review?.id}/publish`, { answers }));
    }
    const after = await trendOf(shiftDay(today, -1), shiftDay(today, 1));
    expect(after.incomplete).toBe(0);
    expect(after.sessions.map((point) => point.title)).toEqual([
      'November calibration',
      'December calibration',
    ]);
    const rapport = after.sessions[1]?.items.find(
      (held) => held.itemId === 'open_questions_rapport',
    );
    // One interaction, two reviewers, 4 against 1: they disagree completely on it.
    expect(rapport?.flagged).toBe(true);

    // A range with no session has no points; a range that runs backwards is refused.
    expect((await trendOf('2026-01-01', '2026-01-31')).sessions).toEqual([]);
    expect(
      (await request(casey, `/api/quality/agreement?from=${today}&to=2026-01-01`)).status,
    ).toBe(400);
    expect((await request(alex, `/api/quality/agreement?from=2026-01-01&to=${today}`)).status).toBe(
      403,
    );
  });

  it('edits a form into a new version: a draft above the published one, refused with every problem by field, published once, then used by new reviews', async () => {
    const forms = async (who: SignedIn) =>
      formListSchema.parse(expectOk(await request(who, '/api/quality/forms')));
    const draftOf = (who: SignedIn, body: unknown) =>
      request(who, `/api/quality/forms/${defaultForm.id}/draft`, body);
    const v2 = formVersion2();
    const withGoals = {
      title: v2.title,
      sections: v2.sections.map((section) =>
        section.id === 'starting_point'
          ? {
              ...section,
              items: [
                ...section.items,
                {
                  id: 'goals_drawn_out',
                  prompt: 'Goals and career ideas were drawn out',
                  guidance: 'What the young person wants, in their own words.',
                  weight: 1,
                  answer: { kind: 'yes_no', notApplicableAllowed: false },
                  mustPass: false,
                  commentRequired: 'always',
                  condition: { when: 'within_remit' },
                },
              ],
            }
          : section,
      ),
    };

    // Team leaders only; a stale base is a conflict; a bad form is refused with every problem by path.
    expect((await draftOf(alex, { basedOn: 2, ...withGoals })).status).toBe(403);
    expect((await draftOf(trainer, { basedOn: 2, ...withGoals })).status).toBe(403);
    expect((await draftOf(robin, { basedOn: 1, ...withGoals })).status).toBe(409);
    const broken = await draftOf(robin, {
      basedOn: 2,
      title: v2.title,
      sections: withGoals.sections.map((section, index) =>
        index === 0
          ? {
              ...section,
              items: section.items.map((held, itemIndex) =>
                itemIndex === 1 ? { ...held, id: 'status_captured', weight: 0 } : held,
              ),
            }
          : section,
      ),
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error?.issues).toEqual([
      { path: 'sections.0.items.1.weight', message: 'A weight is more than 0' },
    ]);
    const duplicate = await draftOf(robin, {
      basedOn: 2,
      title: v2.title,
      sections: withGoals.sections.map((section, index) =>
        index === 0
          ? {
              ...section,
              items: section.items.map((held, itemIndex) =>
                itemIndex === 1 ? { ...held, id: 'status_captured' } : held,
              ),
            }
          : section,
      ),
    });
    expect(duplicate.body.error?.issues).toEqual([
      { path: 'sections.0.items.1.id', message: 'Two items are called "status_captured"' },
    ]);
    expect((await forms(taylor)).forms.map((form) => form.version)).toEqual([2, 1]);

    // Version 3, a draft: for team leaders' eyes, and changed in place until published.
    const saved = formVersionSchema.parse(
      expectOk(await draftOf(robin, { basedOn: 2, ...withGoals })),
    );
    expect(saved.form).toMatchObject({ version: 3, status: 'draft' });
    expect(saved.note).toMatchObject({ savedBy: { id: robin.user.id }, publishedBy: null });
    expect((await forms(alex)).forms.map((form) => form.version)).toEqual([2, 1]);
    expect((await forms(taylor)).forms.map((form) => [form.version, form.status])).toEqual([
      [3, 'draft'],
      [2, 'published'],
      [1, 'published'],
    ]);
    const stale = await draftOf(taylor, { basedOn: 2, ...withGoals });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.message).toMatch(/Version 3 of this form was saved by Robin Leader/);
    const retitled = formVersionSchema.parse(
      expectOk(
        await draftOf(taylor, { basedOn: 3, ...withGoals, title: 'Interaction quality (2027)' }),
      ),
    );
    expect(retitled.form).toMatchObject({
      version: 3,
      status: 'draft',
      title: 'Interaction quality (2027)',
    });
    expect(retitled.note.savedBy?.id).toBe(taylor.user.id);

    // Until published, reviews begun now still use version 2.
    const publish = (who: SignedIn, version: number) =>
      request(who, `/api/quality/forms/${defaultForm.id}/versions/${version}/publish`, {});
    expect((await publish(alex, 3)).status).toBe(403);
    expect((await publish(robin, 2)).status).toBe(409);
    expect((await publish(robin, 9)).status).toBe(404);
    const published = formVersionSchema.parse(expectOk(await publish(robin, 3)));
    expect(published.form.status).toBe('published');
    expect(published.note).toMatchObject({
      savedBy: { id: taylor.user.id },
      publishedBy: { id: robin.user.id },
    });
    const again = await publish(taylor, 3);
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/already published and cannot change/);
    expect((await forms(alex)).forms.map((form) => form.version)).toEqual([3, 2, 1]);
    // Stored as published, exactly as drafted.
    expect(await harness.server.storage.quality.form(defaultForm.id, 3)).toEqual(published.form);

    // A review begun now is scored against version 3 and asks its new item, with a comment always;
    // reviews begun before keep version 2.
    const created = reviewViewSchema.parse(
      expectOk(
        await request(robin, '/api/quality/reviews', { interactionId: outsideWeek.id }),
        201,
      ),
    );
    expect(created.form.version).toBe(3);
    expect(created.prefill?.judgementItemIds).toContain('goals_drawn_out');
    const answers: ReviewAnswerInput[] = [
      ...(created.prefill?.proposals ?? []).map((p) => ({
        itemId: p.itemId,
        value: p.answer ?? 'yes',
      })),
      { itemId: 'barriers_explored', value: 'yes' },
      { itemId: 'next_steps_good', value: 3 },
      { itemId: 'open_questions_rapport', value: 3 },
      { itemId: 'information_accurate', value: 3 },
      { itemId: 'goals_drawn_out', value: 'yes' },
    ];
    const refused = await request(robin, `/api/quality/reviews/${created.review.id}/publish`, {
      answers,
    });
    expect(refused.body.error?.issues).toEqual([
      {
        path: 'answers.goals_drawn_out',
        message:
          '“Goals and career ideas were drawn out” takes a comment whatever the answer: say what you saw.',
      },
    ]);
    const older = reviewOf(taylorCall.id);
    expect((await opened(older.reviewer, older.reviewId)).form.version).toBe(2);
  });
});
