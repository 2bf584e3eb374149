// Reviewers' agreement over time: complete sessions only (a blind one shows
// no figure), oldest first, each in the ISO week it started on London's clock,
// with its alpha on the score and per item, and every item named by the words
// of the newest form version that has it.
import { describe, expect, it } from 'vitest';
import { agreementTrend, type TrendSession } from '../../server/quality/agreement-trend';
import type { AlphaResult, CalibrationAgreement } from '../../shared/quality/agreement';
import { defaultForm, publishForm, reviseForm } from '../../shared/quality/form';

const alpha = (value: number | null): AlphaResult => ({
  level: 'nominal',
  alpha: value,
  undefinedBecause: value === null ? 'no_variation' : null,
  pairableUnits: 2,
  pairableValues: 6,
  observedDisagreement: 0,
  expectedDisagreement: 0,
});

function agreement(formAlpha: number | null, items: Record<string, number | null>) {
  const value: CalibrationAgreement = {
    formId: defaultForm.id,
    formVersion: 1,
    threshold: 0.667,
    reviewerIds: ['r1', 'r2', 'r3'],
    interactionIds: ['i1', 'i2'],
    items: Object.entries(items).map(([itemId, held]) => ({
      ...alpha(held),
      itemId,
      flagged: held !== null && held < 0.667,
    })),
    form: {
      ...alpha(formAlpha),
      level: 'interval',
      flagged: formAlpha !== null && formAlpha < 0.667,
    },
    spread: [],
    flaggedItemIds: [],
    unscored: [],
  };
  return value;
}

function session(
  id: string,
  createdAt: string,
  complete: boolean,
  held: CalibrationAgreement | null,
): TrendSession {
  return {
    complete,
    agreement: complete ? held : null,
    stored: {
      id,
      title: `Session ${id}`,
      formId: defaultForm.id,
      formVersion: 1,
      createdBy: { id: 'l1', name: 'Taylor Leader' },
      createdAt,
      closedAt: null,
      interactionIds: ['i1', 'i2'],
      reviewers: [],
      reviews: [],
    },
  };
}

// Version 2 rewords the next-steps item: the trend names it as version 2 does.
const revised = reviseForm(defaultForm, (content) => ({
  ...content,
  sections: content.sections.map((section) => ({
    ...section,
    items: section.items.map((item) =>
      item.id === 'next_steps_good' ? { ...item, prompt: 'The next steps were specific' } : item,
    ),
  })),
}));
if (!revised.ok) throw new Error(revised.error.message);
const version2 = publishForm(revised.value);
if (!version2.ok) throw new Error(version2.error.message);

const ids = {
  autumn: '00000000-0000-4000-8000-000000000001',
  spring: '00000000-0000-4000-8000-000000000002',
  blind: '00000000-0000-4000-8000-000000000003',
};

describe('agreement over time', () => {
  const trend = agreementTrend({
    from: '2026-03-01',
    to: '2026-11-30',
    forms: [defaultForm, version2.value],
    sessions: [
      // Given newest first, as the store might: the trend runs oldest first.
      session(
        ids.autumn,
        '2026-11-22T23:30:00.000Z',
        true,
        agreement(0.82, { next_steps_good: 0.9 }),
      ),
      session(ids.blind, '2026-11-25T09:00:00.000Z', false, agreement(0.1, {})),
      session(
        ids.spring,
        '2026-03-29T23:30:00.000Z',
        true,
        agreement(0.41, { next_steps_good: 0.55, custom_item: null }),
      ),
    ],
  });

  it('shows complete sessions only, oldest first, and counts the blind ones', () => {
    expect(trend.sessions.map((point) => point.id)).toEqual([ids.spring, ids.autumn]);
    expect(trend.incomplete).toBe(1);
    expect(trend).toMatchObject({ threshold: 0.667, reliable: 0.8 });
  });

  it('places each session in the ISO week it started on London’s clock', () => {
    // 23:30 UTC on Sunday 29 March 2026 is 00:30 BST on Monday 30 March: week 14.
    // 23:30 UTC on Sunday 22 November is 23:30 GMT the same Sunday: still week 47.
    expect(trend.sessions.map((point) => point.week)).toEqual(['2026-W14', '2026-W47']);
  });

  it('carries alpha on the score and per item, flagged below 0.667', () => {
    expect(trend.sessions[0]).toMatchObject({
      reviewers: 3,
      interactions: 2,
      form: { alpha: 0.41, flagged: true, undefinedBecause: null },
      items: [
        { itemId: 'next_steps_good', alpha: 0.55, flagged: true },
        { itemId: 'custom_item', alpha: null, undefinedBecause: 'no_variation', flagged: false },
      ],
    });
    expect(trend.sessions[1]?.form).toEqual({
      alpha: 0.82,
      undefinedBecause: null,
      flagged: false,
    });
  });

  it('names every item measured by the newest form version that has it', () => {
    expect(trend.items).toEqual([
      { itemId: 'next_steps_good', prompt: 'The next steps were specific' },
      // No form has it: its id is all there is to show.
      { itemId: 'custom_item', prompt: 'custom_item' },
    ]);
  });
});
