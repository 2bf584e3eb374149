// The interaction record keeps each article pointed to as the young person is
// shown it (title and public link at that moment), through the journal, so a
// replay gives the same record; records and journals made before it existed
// still parse and replay to exactly what they held.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactRecord } from '../../server/redaction/record';
import {
  interactionEventSchema,
  replay,
  summaryOf,
  toInteractionRecord,
} from '../../shared/interaction/machine';
import { interactionRecordSchema } from '../../shared/interaction/record';
import { ContactScript, type ScriptedEvent } from '../../shared/interaction/script';
import { stageIds } from '../../shared/interaction/taxonomy';

const interactionId = '0c9a3f1e-5b7d-4e2a-9c8b-6d4f2a1e3b5c';
const astronaut = {
  title: 'Astronaut and careers in the UK space sector',
  url: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
};

function completed(...work: ScriptedEvent[]) {
  const call = new ContactScript('2025-03-03T10:00:00.000Z').send(
    { type: 'OFFERED', interactionId, channel: 'voice', contactRef: 'call-7' },
    { type: 'ANSWER' },
    ...work,
    { type: 'END_CALL' },
    ...stageIds.map((stage): ScriptedEvent => ({
      type: 'MARK_NOT_COVERED',
      stage,
      reason: 'Not needed for the test',
    })),
    { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
    { type: 'COMPLETE' },
  );
  const built = toInteractionRecord(call.snapshot, {
    adviserId: 'demo-adviser',
    deskId: '11111111-2222-4333-8444-555555555555',
    journal: call.journal,
  });
  if (!built.ok) throw new Error(built.error.message);
  return built.value.record;
}

describe('articles pointed to, as shown', () => {
  it('are kept with their title and link, once each, and go when removed', () => {
    const record = completed(
      { type: 'POINT_TO_ARTICLE', articleId: 'astronaut-and-uk-space-sector', shown: astronaut },
      // Pointed to again after an edit: the first showing stands, the plan lists it once.
      {
        type: 'POINT_TO_ARTICLE',
        articleId: 'astronaut-and-uk-space-sector',
        shown: { title: 'Edited since', url: 'https://www.example.org/' },
      },
      {
        type: 'POINT_TO_ARTICLE',
        articleId: 'graphic-design-careers',
        shown: { title: 'Graphic design careers', url: null },
      },
      { type: 'REMOVE_ARTICLE', articleId: 'graphic-design-careers' },
    );
    expect(record.summary.nextSteps.articleIds).toEqual(['astronaut-and-uk-space-sector']);
    expect(record.summary.nextSteps.articleLinks).toEqual([
      { articleId: 'astronaut-and-uk-space-sector', ...astronaut },
    ]);
    expect(interactionRecordSchema.parse(record)).toEqual(record);
  });

  it('replay from the journal, parsed as a journal from outside is, to the same summary', () => {
    const record = completed({
      type: 'POINT_TO_ARTICLE',
      articleId: 'astronaut-and-uk-space-sector',
      shown: astronaut,
    });
    const parsed = record.journal.map((entry) => ({
      at: entry.at,
      event: interactionEventSchema.parse(entry.event),
    }));
    expect(summaryOf(replay(parsed).context)).toEqual(record.summary);
  });

  it('in an older journal (ids only) replay to a summary without links, as before', () => {
    const record = completed({ type: 'POINT_TO_ARTICLE', articleId: 'bursary-fund-16-to-19' });
    expect(record.summary.nextSteps.articleIds).toEqual(['bursary-fund-16-to-19']);
    expect(record.summary.nextSteps).not.toHaveProperty('articleLinks');
    expect(JSON.stringify(record)).not.toContain('articleLinks');
  });

  it('leave the kept version 1 record parsing exactly as it was written', () => {
    const path = join(import.meta.dirname, '../fixtures/journals/v1.json');
    const written = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const record = interactionRecordSchema.parse(written);
    expect(record.summary.nextSteps.articleIds).toEqual(['apprenticeships-explained']);
    expect(record.summary.nextSteps.articleLinks).toBeUndefined();
    expect(summaryOf(replay(record.journal).context)).toEqual(record.summary);
  });

  it('survive redaction for history: the redacted record still parses and replays to itself', () => {
    const record = completed(
      { type: 'POINT_TO_ARTICLE', articleId: 'astronaut-and-uk-space-sector', shown: astronaut },
      { type: 'NOTE', stage: 'nextSteps', text: 'Sam wants to fly. Call Sam on 07700 900123.' },
    );
    const redacted = redactRecord(record);
    expect(redacted.summary.nextSteps.articleLinks).toHaveLength(1);
    expect(summaryOf(replay(redacted.journal).context)).toEqual(redacted.summary);
  });
});
