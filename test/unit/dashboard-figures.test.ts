// The dashboard's figures against a small data set worked out by hand: the
// columns each record gives, the service-level formula with short abandons
// left out, averages per answered contact, occupancy, and buckets laid on
// London's calendar (weeks from Monday, a day the clocks change on).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../../shared/interaction/record';
import {
  bucketFrame,
  bucketsOf,
  contactFigures,
  guidanceFigures,
  mondayOf,
  noAbandons,
  noInteractions,
  noOutcomes,
  outcomeFigures,
  type InteractionSums,
  type OutcomeSums,
} from '../../server/dashboard/figures';
import { planFigureValue } from '../../server/dashboard/service';
import { dashboardColumns } from '../../server/storage/dashboard-columns';
import { dashboardQuerySchema } from '../../shared/wire/dashboard';
import { completedRecord } from './desk-fixtures';
import { followUpIds, followUpRecord } from './follow-up-call-script';

const sums = (partial: Partial<InteractionSums>): InteractionSums => ({
  ...noInteractions,
  ...partial,
});

describe('the columns a record gives the dashboard', () => {
  it('times the answer, holds and wrap-up, and reads what was offered', () => {
    const base = completedRecord(randomUUID());
    const record: InteractionRecord = {
      ...base,
      completedAt: '2026-11-20T10:20:00.000Z',
      summary: {
        ...base.summary,
        call: {
          ...base.summary.call,
          offeredAt: '2026-11-20T10:00:00.000Z',
          connectedAt: '2026-11-20T10:00:12.000Z',
          holds: [
            { from: '2026-11-20T10:05:00.000Z', to: '2026-11-20T10:06:30.000Z' },
            { from: '2026-11-20T10:10:00.000Z', to: '2026-11-20T10:10:30.000Z' },
          ],
          endedAt: '2026-11-20T10:15:00.000Z',
          endedBy: 'customer',
          wrapUpStartedAt: null,
        },
        followUp: { decision: 'declined', at: '2026-11-20T10:14:00.000Z' },
        transcript: { decision: 'declined' },
        serviceQuestions: { outcome: 'skipped', reason: 'Short of time' },
        caller: { ...base.summary.caller, age: 15, region: 'yorkshire-and-the-humber' },
      },
    };
    expect(dashboardColumns(record)).toEqual({
      completed_hour: '2026-11-20T10',
      answer_seconds: 12,
      hold_seconds: 120,
      wrap_seconds: 300,
      follow_up_offered: 1,
      transcript_offered: 1,
      service_questions_skipped: 1,
      follow_up_booking_id: null,
      follow_up_change: null,
      follow_up_status_first: null,
      follow_up_status_now: null,
      customer_age_group: '15_and_under',
      customer_region: 'yorkshire-and-the-humber',
    });
  });

  it('reads what a follow-up interaction found: its booking, the change, the status then and now', () => {
    const record = followUpRecord({ statusAtFirstContact: 'neet', statusNow: 'training' });
    expect(dashboardColumns(record)).toMatchObject({
      completed_hour: '2025-05-27T10',
      follow_up_booking_id: followUpIds.bookingId,
      follow_up_change: 'better',
      follow_up_status_first: 'neet',
      follow_up_status_now: 'training',
      follow_up_offered: 0,
    });
    const unrecorded = followUpRecord({ change: null, statusAtFirstContact: null });
    expect(dashboardColumns(unrecorded)).toMatchObject({
      follow_up_booking_id: followUpIds.bookingId,
      follow_up_change: null,
      follow_up_status_first: null,
    });
  });
});

describe('contact-centre figures', () => {
  // Hand-computed: 8 answered (6 within 20 s), 4 abandoned of which 1 short (under 5 s).
  // Offered 12; service level 6 / (12 - 1) = 0.5454...; ASA 96 s / 8 = 12 s.
  // Connected 2,400 s with 240 s of hold: talk 2,160 / 8 = 270, hold 30, wrap 960 / 8 = 120,
  // handle (2,400 + 960) / 8 = 420. Occupancy 3,360 / (2 adviser-hours × 3,600) = 0.4666...
  const answered = sums({
    answered: 8,
    answeredInTarget: 6,
    answerSeconds: 96,
    answerTimed: 8,
    connectedSeconds: 2400,
    holdSeconds: 240,
    wrapSeconds: 960,
    activeAdviserHours: 2,
  });
  const figures = contactFigures(answered, { abandoned: 4, shortAbandoned: 1 });

  it('states offered, answered and abandoned with short abandons apart', () => {
    expect(figures).toMatchObject({ offered: 12, answered: 8, abandoned: 4, shortAbandoned: 1 });
  });

  it('takes short abandons out of the service level only', () => {
    expect(figures.serviceLevel).toBeCloseTo(6 / 11, 10);
    expect(planFigureValue('abandonRate', figures, guidanceFigures(answered))).toBeCloseTo(4 / 12);
  });

  it('averages speed of answer and handle time per answered contact', () => {
    expect(figures).toMatchObject({
      averageSpeedOfAnswerSeconds: 12,
      averageTalkSeconds: 270,
      averageHoldSeconds: 30,
      averageWrapSeconds: 120,
      averageHandleSeconds: 420,
    });
    expect(figures.occupancy).toBeCloseTo(3360 / 7200, 10);
  });

  it('says nothing rather than zero when there is nothing to divide by', () => {
    const none = contactFigures(noInteractions, noAbandons);
    expect(none).toMatchObject({
      offered: 0,
      serviceLevel: null,
      averageSpeedOfAnswerSeconds: null,
      averageHandleSeconds: null,
      occupancy: null,
    });
    // Every contact left within the short-abandon threshold: no service to measure.
    expect(
      contactFigures(noInteractions, { abandoned: 2, shortAbandoned: 2 }).serviceLevel,
    ).toBeNull();
  });
});

describe('guidance figures and the plan', () => {
  const guidance = guidanceFigures(
    sums({
      answered: 10,
      statusCaptured: 8,
      followUpOffered: 9,
      followUpTaken: 3,
      transcriptOffered: 7,
      transcriptSent: 5,
    }),
  );

  it('shares of interactions, and take-up as a share of offers', () => {
    const contact = contactFigures(noInteractions, noAbandons);
    expect(planFigureValue('statusCaptured', contact, guidance)).toBeCloseTo(0.8);
    expect(planFigureValue('followUpTaken', contact, guidance)).toBeCloseTo(3 / 9);
    expect(planFigureValue('transcriptSent', contact, guidance)).toBeCloseTo(0.5);
  });
});

const outcomes = (partial: Partial<OutcomeSums>): OutcomeSums => ({ ...noOutcomes, ...partial });

describe('outcomes at follow-up', () => {
  // Six follow-up calls: 4 better, 1 no change, 1 with the change not recorded;
  // three were NEET at first contact, and two of those have left NEET.
  const six = outcomes({
    completed: 6,
    better: 4,
    same: 1,
    worse: 0,
    neetAtFirstContact: 3,
    leftNeet: 2,
  });

  it('takes positive change over every completed follow-up, an unrecorded change included', () => {
    const figures = outcomeFigures(six);
    expect(figures.positiveChange).toBeCloseTo(4 / 6);
    expect(figures.changeNotRecorded).toBe(1);
  });

  it('takes leaving NEET over those NEET at first contact only', () => {
    expect(outcomeFigures(six).leftNeetShare).toBeCloseTo(2 / 3);
    expect(outcomeFigures(outcomes({ completed: 2, better: 2 })).leftNeetShare).toBeNull();
  });

  it('says nothing rather than zero when no follow-up was completed', () => {
    expect(outcomeFigures(noOutcomes)).toEqual({
      completed: 0,
      better: 0,
      same: 0,
      worse: 0,
      changeNotRecorded: 0,
      positiveChange: null,
      neetAtFirstContact: 0,
      leftNeet: 0,
      leftNeetShare: null,
    });
  });

  it('folds outcomes into the same buckets as the other figures', () => {
    const weeks = bucketsOf(
      { from: '2026-11-16', to: '2026-11-29', granularity: 'week' },
      [],
      [],
      [
        { key: '2026-11-17', sums: outcomes({ completed: 1, better: 1 }) },
        { key: '2026-11-22', sums: outcomes({ completed: 2, same: 1, neetAtFirstContact: 1 }) },
        { key: '2026-11-23', sums: six },
      ],
    );
    expect(weeks.map((week) => [week.outcomes.completed, week.outcomes.positiveChange])).toEqual([
      [3, 1 / 3],
      [6, 4 / 6],
    ]);
    expect(weeks[0]?.outcomes.neetAtFirstContact).toBe(1);
    expect(weeks[0]?.outcomes.leftNeetShare).toBe(0);
  });
});

describe('buckets', () => {
  it('start weeks on Monday and clip them to the question', () => {
    expect(mondayOf('2026-11-22')).toBe('2026-11-16'); // a Sunday
    expect(mondayOf('2026-11-23')).toBe('2026-11-23');
    const frame = bucketFrame({ from: '2026-11-18', to: '2026-11-24', granularity: 'week' });
    expect(frame.map(({ key, from, to }) => ({ key, from, to }))).toEqual([
      { key: '2026-11-16', from: '2026-11-18', to: '2026-11-22' },
      { key: '2026-11-23', from: '2026-11-23', to: '2026-11-24' },
    ]);
  });

  it('fold days into weeks and months, empty buckets kept', () => {
    const buckets = bucketsOf(
      { from: '2026-10-30', to: '2026-11-02', granularity: 'month' },
      [
        { key: '2026-10', sums: sums({ answered: 2, answeredInTarget: 2 }) },
        { key: '2026-11', sums: sums({ answered: 3, answeredInTarget: 1 }) },
      ],
      [{ key: '2026-11', sums: { abandoned: 1, shortAbandoned: 0 } }],
    );
    expect(
      buckets.map((bucket) => [bucket.key, bucket.from, bucket.to, bucket.contact.offered]),
    ).toEqual([
      ['2026-10', '2026-10-30', '2026-10-31', 2],
      ['2026-11', '2026-11-01', '2026-11-02', 4],
    ]);
    expect(buckets[1]?.contact.serviceLevel).toBeCloseTo(1 / 4);
    const weeks = bucketsOf(
      { from: '2026-11-16', to: '2026-11-29', granularity: 'week' },
      [
        { key: '2026-11-17', sums: sums({ answered: 1 }) },
        { key: '2026-11-22', sums: sums({ answered: 2 }) },
        { key: '2026-11-23', sums: sums({ answered: 4 }) },
      ],
      [],
    );
    expect(weeks.map((week) => week.guidance.interactions)).toEqual([3, 4]);
  });

  it('give a day the clocks go back on its 24 hour keys, the repeated hour counted once', () => {
    const hours = bucketFrame({ from: '2026-10-25', to: '2026-10-25', granularity: 'hour' });
    expect(hours).toHaveLength(24);
    expect(hours[1]).toMatchObject({
      key: '2026-10-25T01',
      hour: '2026-10-25T01',
      from: '2026-10-25',
    });
  });

  it('refuses a question too long for its bucket size', () => {
    expect(
      dashboardQuerySchema.safeParse({ from: '2026-01-01', to: '2026-03-01', granularity: 'hour' })
        .success,
    ).toBe(false);
    expect(dashboardQuerySchema.safeParse({ from: '2026-03-01', to: '2026-01-01' }).success).toBe(
      false,
    );
    expect(
      dashboardQuerySchema.safeParse({ from: '2025-01-01', to: '2026-01-01', granularity: 'month' })
        .success,
    ).toBe(true);
  });
});
