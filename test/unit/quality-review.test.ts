// A review's lifecycle as pure decisions: who may save, publish, acknowledge,
// dispute and resolve, when, and what each leaves behind. The server applies
// these in one transaction; here they are checked on their own, against a
// contact driven through the real machine.
import { describe, expect, it } from 'vitest';
import { defaultForm } from '../../shared/quality/form';
import { draftAnswersFromPrefill, prefillReview } from '../../shared/quality/prefill';
import {
  calibrationComplete,
  decideAcknowledge,
  decideDispute,
  decideReassign,
  decideResolution,
  decideSave,
  disputeDeadline,
  type ReviewState,
} from '../../shared/quality/review';
import { reviewAnswerSchema, type ReviewAnswer } from '../../shared/quality/scoring';
import { fullCall } from '../support/quality-contacts';

const record = fullCall({ adviserId: 'alex', start: '2026-11-16T10:00:00.000Z' });
const prefill = prefillReview(defaultForm, record);
if (!prefill.ok) throw new Error(prefill.error.message);

const complete: ReviewAnswer[] = [
  ...draftAnswersFromPrefill(prefill.value),
  { itemId: 'barriers_explored', value: 'yes' },
  { itemId: 'next_steps_good', value: 3 },
  { itemId: 'open_questions_rapport', value: 2 },
  { itemId: 'information_accurate', value: 4 },
].map((answer) => reviewAnswerSchema.parse(answer));

const draft: ReviewState = {
  adviserId: 'alex',
  reviewerId: 'taylor',
  purpose: 'sample',
  status: 'draft',
  answers: [],
  version: 0,
  publishedAt: null,
  acknowledgedVersion: null,
  disputes: [],
};
const publishedAt = '2026-11-23T09:00:00.000Z';
const published: ReviewState = {
  ...draft,
  status: 'published',
  answers: complete,
  version: 1,
  publishedAt,
};

describe('saving and publishing', () => {
  it('is the assigned reviewer’s alone, and only while a draft', () => {
    const save = { form: defaultForm, record, answers: complete, publish: false };
    expect(decideSave({ ...save, review: draft, by: 'robin' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(decideSave({ ...save, review: published, by: 'taylor' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/only through a dispute/) },
    });
  });

  it('keeps an incomplete draft with what stops it, and refuses to publish it', () => {
    const partial = complete.slice(0, 3);
    const saved = decideSave({
      review: draft,
      form: defaultForm,
      record,
      by: 'taylor',
      answers: partial,
      publish: false,
    });
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value).toMatchObject({ status: 'draft', score: null });
    expect(saved.value.problems).toHaveLength(7);
    const refused = decideSave({
      review: draft,
      form: defaultForm,
      record,
      by: 'taylor',
      answers: partial,
      publish: true,
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'The review cannot be published yet: 7 things to put right.',
      },
    });
  });

  it('asks why a proposal from the record was overridden', () => {
    const overridden = complete.map((answer) =>
      answer.itemId === 'transcript_offered' ? { ...answer, value: 'no' as const } : answer,
    );
    const refused = decideSave({
      review: draft,
      form: defaultForm,
      record,
      by: 'taylor',
      answers: overridden,
      publish: true,
    });
    // One problem for the item: its missing comment, not also the override.
    expect(refused.ok ? [] : refused.error.issues).toEqual([
      {
        path: 'answers.transcript_offered',
        message:
          '“A transcript was offered” was not met: say why in a comment, so the adviser knows what to change.',
      },
    ]);
    const withReason = overridden.map((answer) =>
      answer.itemId === 'transcript_offered'
        ? { ...answer, comment: 'Declined before it was really offered' }
        : answer,
    );
    const accepted = decideSave({
      review: draft,
      form: defaultForm,
      record,
      by: 'taylor',
      answers: withReason,
      publish: true,
    });
    if (!accepted.ok) throw new Error(accepted.error.message);
    // Of 20: everything met but transcript (1), next steps 3/4 of 4 (-1), rapport 2/4 of 2 (-1).
    expect(accepted.value.score?.percentage).toBeCloseTo(85, 12);
    expect(accepted.value.status).toBe('published');
  });
});

describe('acknowledging', () => {
  it('is the adviser’s, once per version, and not while a dispute is open', () => {
    expect(decideAcknowledge({ review: published, by: 'alex' })).toEqual({
      ok: true,
      value: { status: 'acknowledged', acknowledgedVersion: 1 },
    });
    expect(decideAcknowledge({ review: published, by: 'taylor' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(decideAcknowledge({ review: draft, by: 'alex' })).toMatchObject({ ok: false });
    expect(
      decideAcknowledge({
        review: { ...published, status: 'acknowledged', acknowledgedVersion: 1 },
        by: 'alex',
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(
      decideAcknowledge({ review: { ...published, status: 'disputed' }, by: 'alex' }),
    ).toMatchObject({ ok: false, error: { message: expect.stringMatching(/once the dispute/) } });
    // A resolution's new version is acknowledged in its turn, and the review stays resolved.
    expect(
      decideAcknowledge({
        review: { ...published, status: 'resolved', version: 2, acknowledgedVersion: 1 },
        by: 'alex',
      }),
    ).toEqual({ ok: true, value: { status: 'resolved', acknowledgedVersion: 2 } });
    expect(
      decideAcknowledge({ review: { ...published, purpose: 'calibration' }, by: 'alex' }),
    ).toMatchObject({ ok: false });
  });
});

describe('disputing', () => {
  const dispute = (review: ReviewState, at: string, itemId = 'next_steps_good') =>
    decideDispute({
      review,
      form: defaultForm,
      by: 'alex',
      items: [{ itemId, reason: 'The actions were specific and owned' }],
      at,
      windowDays: 14,
    });

  it('is open to the adviser until the window closes, to the millisecond', () => {
    const deadline = disputeDeadline(publishedAt, 14);
    expect(deadline).toBe('2026-12-07T09:00:00.000Z');
    expect(dispute(published, deadline)).toMatchObject({ ok: true, value: { status: 'disputed' } });
    const late = new Date(Date.parse(deadline) + 1).toISOString();
    expect(dispute(published, late)).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'The time to dispute this review ended on 7 December 2026 at 09:00',
      },
    });
  });

  it('takes only answered items of the form, once per review', () => {
    const at = '2026-11-24T09:00:00.000Z';
    expect(dispute(published, at, 'no_such_item')).toMatchObject({
      ok: false,
      error: { issues: [{ message: 'The form has no item called “no_such_item”' }] },
    });
    // No safeguarding concern was raised, so the item was never scored.
    expect(dispute(published, at, 'safeguarding_handled')).toMatchObject({
      ok: false,
      error: { issues: [{ message: expect.stringMatching(/was not scored/) }] },
    });
    expect(dispute({ ...published, status: 'disputed' }, at)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(dispute({ ...published, status: 'resolved' }, at)).toMatchObject({ ok: false });
    expect(
      decideDispute({
        review: published,
        form: defaultForm,
        by: 'sam',
        items: [{ itemId: 'next_steps_good', reason: 'Not mine but still' }],
        at,
        windowDays: 14,
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('resolving', () => {
  const disputed: ReviewState = {
    ...published,
    status: 'disputed',
    disputes: [
      { itemId: 'next_steps_good', reason: 'Specific', raisedAt: publishedAt, outcome: null },
      { itemId: 'information_accurate', reason: 'Right', raisedAt: publishedAt, outcome: null },
    ],
  };
  const resolve = (
    by: string,
    outcome: 'upheld' | 'partly' | 'rejected',
    answer: { value: ReviewAnswer['value']; comment?: string } | null,
    review = disputed,
  ) =>
    decideResolution({
      review,
      form: defaultForm,
      record,
      by,
      itemId: 'next_steps_good',
      outcome,
      answer,
    });

  it('is for another team leader: not the reviewer, not the adviser', () => {
    expect(resolve('taylor', 'rejected', null)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(resolve('alex', 'rejected', null)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('changes the answer when upheld, scores it again, and resolves the review with the last item', () => {
    const upheld = resolve('robin', 'upheld', { value: 4 });
    if (!upheld.ok) throw new Error(upheld.error.message);
    expect(upheld.value).toMatchObject({ changed: true, status: 'disputed' });
    // Of 20: all met but rapport 2/4 of 2 (-1): 95.
    expect(upheld.value.score?.percentage).toBeCloseTo(95, 12);
    expect(upheld.value.answers.find((a) => a.itemId === 'next_steps_good')?.value).toBe(4);

    const last: ReviewState = {
      ...disputed,
      disputes: [
        { ...disputed.disputes[0]!, outcome: null },
        { ...disputed.disputes[1]!, outcome: 'rejected' },
      ],
    };
    expect(resolve('robin', 'rejected', null, last)).toMatchObject({
      ok: true,
      value: { changed: false, status: 'resolved', score: null },
    });
  });

  it('refuses an upheld dispute that changes nothing, and a rejection with an answer', () => {
    expect(resolve('robin', 'upheld', { value: 3 })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'answer.value' }] },
    });
    expect(resolve('robin', 'partly', { value: 3 })).toMatchObject({ ok: false });
    expect(resolve('robin', 'partly', { value: 3, comment: 'Specific, not owned' })).toMatchObject({
      ok: true,
      value: { changed: true },
    });
    expect(resolve('robin', 'rejected', { value: 4 })).toMatchObject({ ok: false });
    // A new failing answer still needs its comment.
    expect(resolve('robin', 'upheld', { value: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});

describe('calibration', () => {
  it('stays blind until every reviewer has published or the session is closed', () => {
    const reviews = [{ status: 'published' as const }, { status: 'draft' as const }];
    expect(calibrationComplete({ closedAt: null, reviews })).toBe(false);
    expect(calibrationComplete({ closedAt: publishedAt, reviews })).toBe(true);
    expect(
      calibrationComplete({
        closedAt: null,
        reviews: [{ status: 'published' }, { status: 'published' }],
      }),
    ).toBe(true);
  });
});

describe('passing a review to another team leader', () => {
  const robin = { id: 'robin', name: 'Robin Leader', isTeamLeader: true };

  it('moves a draft, answers and all, to another team leader', () => {
    const started = { ...draft, answers: complete.slice(0, 3) };
    expect(decideReassign({ review: started, by: 'taylor', to: robin })).toEqual({
      ok: true,
      value: { reviewerId: 'robin' },
    });
    // Any team leader may move it, not only the one who has it.
    expect(decideReassign({ review: started, by: 'casey', to: robin }).ok).toBe(true);
  });

  it('never moves a published review, nor a calibration review', () => {
    expect(decideReassign({ review: published, by: 'taylor', to: robin })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/already published/) },
    });
    const calibration = { ...draft, purpose: 'calibration' as const };
    expect(decideReassign({ review: calibration, by: 'taylor', to: robin })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/measures the reviewer/) },
    });
  });

  it('gives nobody a review of their own work, and moves nothing of one’s own', () => {
    expect(
      decideReassign({
        review: draft,
        by: 'taylor',
        to: { id: 'alex', name: 'Alex Adviser', isTeamLeader: true },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [
          {
            path: 'reviewerId',
            message: 'Alex Adviser took this interaction, and nobody reviews their own work',
          },
        ],
      },
    });
    expect(decideReassign({ review: draft, by: 'alex', to: robin })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('refuses the team leader who has it already, and anyone who is not a team leader', () => {
    expect(
      decideReassign({
        review: draft,
        by: 'robin',
        to: { id: 'taylor', name: 'Taylor Leader', isTeamLeader: true },
      }),
    ).toMatchObject({
      ok: false,
      error: { issues: [{ message: 'The review is already assigned to Taylor Leader' }] },
    });
    expect(
      decideReassign({
        review: draft,
        by: 'taylor',
        to: { id: 'jordan', name: 'Jordan Trainer', isTeamLeader: false },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        issues: [
          { message: 'Jordan Trainer is not a team leader: reviews are written by team leaders' },
        ],
      },
    });
  });
});
