// Redaction of one record and of free text: the summary, chat and journal
// agree after redaction (a replay of the redacted journal redraws the
// redacted summary), placeholders are numbered once per person, the input is
// never changed, checksums hold, and public numbers stay.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay, summaryOf } from '../../shared/interaction/machine';
import {
  interactionRecordSchema,
  type InteractionRecord,
  type JournalEntry,
} from '../../shared/interaction/record';
import {
  isPlausibleNiNumber,
  isPublicNumber,
  isValidNhsNumber,
  isValidUln,
  isValidUpn,
  PlaceholderNumbering,
  placeholderForStandIn,
  publicNumbers,
  redactRecord,
  redactRecordWith,
  redactText,
} from '../../server/redaction';
import { upnCheckLetter } from '../../server/redaction/checksums';
import { completedRecord } from './desk-fixtures';

const interactionId = '6f7c1a54-3f0b-4a59-9a53-0d7c2b4b7f10';
const t = (second: number): string => new Date(Date.UTC(2026, 10, 20, 10, 0, second)).toISOString();

/** A web chat as a young person writes one, journaled as the desk would. */
function chatJournal(): JournalEntry[] {
  const events: { type: string; [field: string]: unknown }[] = [
    { type: 'OFFERED', interactionId, channel: 'webchat', contactRef: 'chat-123' },
    { type: 'ANSWER' },
    {
      type: 'CHAT_MESSAGE',
      line: {
        seq: 1,
        from: 'customer',
        text: 'hi im jade, im in year 11 at oakwood academy',
        at: t(2),
      },
    },
    {
      type: 'CHAT_MESSAGE',
      line: {
        seq: 2,
        from: 'adviser',
        text: 'Hi Jade, what would you like to talk about?',
        at: t(3),
      },
    },
    {
      type: 'CHAT_MESSAGE',
      line: {
        seq: 3,
        from: 'customer',
        text: 'my mums number is 07700 900123 she wants me to do a levels',
        at: t(4),
      },
    },
    { type: 'NOTE', stage: 'startingPoint', text: 'jade, yr 11 at Oakwood Academy' },
    {
      type: 'NOTE',
      stage: 'startingPoint',
      text: 'jade, yr 11 at Oakwood Academy. mum on 07700-900-123. Lives in Reading',
    },
    { type: 'UPDATE_STARTING_POINT', goals: 'jade wants to be a nurse, grade 4 in maths' },
    {
      type: 'UPDATE_MAIN_POINTS',
      text: 'Jade to email jade.smith2009@gmail.com to the college; Childline 0800 1111 given',
    },
    {
      type: 'CHOOSE_TRANSCRIPT',
      decision: 'send',
      via: 'email',
      address: 'jade.smith2009@gmail.com',
    },
  ];
  return events.map((event, index) => ({ at: t(index), event: { ...event, at: t(index) } }));
}

function chatRecord(): InteractionRecord {
  const journal = chatJournal();
  const snapshot = replay(journal);
  return completedRecord('8d1f7a4e-2f43-4f4e-9f5e-3c1d2b9a0e11', {
    id: interactionId,
    channel: 'webchat',
    contactRef: 'chat-123',
    summary: summaryOf(snapshot.context),
    journal,
  });
}

describe('redactRecord', () => {
  it('hides every personal value in the summary, chat and journal', () => {
    const record = chatRecord();
    const text = JSON.stringify(redactRecord(record));
    for (const personal of [
      'jade',
      'Jade',
      'oakwood',
      'Oakwood',
      '900123',
      '900-123',
      'jade.smith2009',
    ]) {
      expect(text).not.toContain(personal);
    }
    for (const kept of ['Reading', 'grade 4', '0800 1111', 'year 11', 'a levels']) {
      expect(text).toContain(kept);
    }
  });

  it('numbers one person the same everywhere', () => {
    const redacted = redactRecord(chatRecord());
    const [first, , third] = redacted.summary.chat;
    expect(first?.text).toBe('hi im [NAME 1], im in year 11 at [SCHOOL 1]');
    expect(third?.text).toBe('my mums number is [PHONE 1] she wants me to do a levels');
    expect(redacted.summary.notes.startingPoint).toBe(
      '[NAME 1], yr 11 at [SCHOOL 1]. mum on [PHONE 1]. Lives in Reading',
    );
    expect(redacted.summary.startingPoint.goals).toBe(
      '[NAME 1] wants to be a nurse, grade 4 in maths',
    );
    expect(redacted.summary.nextSteps.mainPoints).toContain('[EMAIL 1]');
  });

  it('keeps the journal and the summary in agreement: replaying the redacted journal redraws the redacted summary', () => {
    const redacted = redactRecord(chatRecord());
    expect(summaryOf(replay(redacted.journal).context)).toEqual(redacted.summary);
  });

  it('writes checked address fields as stand-ins that still parse and replay', () => {
    const redacted = redactRecord(chatRecord());
    expect(redacted.summary.transcript).toEqual({
      decision: 'send',
      via: 'email',
      address: 'email1@redacted.invalid',
    });
    expect(placeholderForStandIn('email1@redacted.invalid')).toBe('[EMAIL 1]');
    expect(placeholderForStandIn('07700900002')).toBe('[PHONE 2]');
    expect(interactionRecordSchema.safeParse(redacted).success).toBe(true);
  });

  it('never changes its input', () => {
    const record = chatRecord();
    const before = structuredClone(record);
    redactRecord(record);
    expect(record).toEqual(before);
  });

  it('hides a value only the server knew (a caller number) wherever it recurs', () => {
    const record = completedRecord('8d1f7a4e-2f43-4f4e-9f5e-3c1d2b9a0e11');
    record.summary.notes = { startingPoint: 'called back on 7700900321 as asked; ask for Kez' };
    const redacted = redactRecordWith(record, {
      known: [
        { kind: 'PHONE', value: '+447700900321' },
        { kind: 'NAME', value: 'Kez' },
      ],
    });
    expect(redacted.summary.notes.startingPoint).toBe(
      'called back on [PHONE 1] as asked; ask for [NAME 1]',
    );
  });

  it('redacts events of types it does not know, in every string but their type and time', () => {
    const record = completedRecord('8d1f7a4e-2f43-4f4e-9f5e-3c1d2b9a0e11', {
      journal: [
        { at: t(0), event: { type: 'contact.offered', at: t(0), caller: 'tyler on 07700 900777' } },
      ],
    });
    const [entry] = redactRecord(record).journal;
    expect(entry?.event).toEqual({
      type: 'contact.offered',
      at: t(0),
      caller: '[NAME 1] on [PHONE 1]',
    });
  });
});

describe('redactText', () => {
  it('shares numbering across texts when given one', () => {
    const numbering = new PlaceholderNumbering();
    expect(redactText('my name is Tyler Brooks', { numbering })).toBe('my name is [NAME 1]');
    expect(redactText('tyler said 07700 900456', { numbering })).toBe('[NAME 1] said [PHONE 1]');
    expect(redactText('ring +44 7700 900456 or 07700 900111', { numbering })).toBe(
      'ring [PHONE 1] or [PHONE 2]',
    );
  });

  it('uses known values with their kinds', () => {
    expect(redactText('Kez said hi', { known: [{ kind: 'NAME', value: 'kez' }] })).toBe(
      '[NAME 1] said hi',
    );
  });

  it('keeps every public number', () => {
    for (const { number } of publicNumbers) {
      expect(redactText(`call ${number} today`)).toBe(`call ${number} today`);
    }
  });

  it('keeps every number the knowledge network gives out', () => {
    const folder = join(import.meta.dirname, '../../knowledge-base/articles');
    const numbers = readdirSync(folder)
      .filter((file) => file.endsWith('.md'))
      .flatMap((file) => [
        ...readFileSync(join(folder, file), 'utf8').matchAll(/^\s*phone: "([^"]+)"/gm),
      ])
      .map((match) => match[1] ?? '');
    expect(numbers.length).toBeGreaterThan(0);
    for (const number of numbers) expect(isPublicNumber(number), number).toBe(true);
  });

  it('keeps the town of Reading, the month of May, grades and years', () => {
    const text = 'I live in Reading, exams start in May, I want grade 4 in Year 11 English';
    expect(redactText(text)).toBe(text);
  });
});

describe('checksums', () => {
  it('checks NHS numbers by modulus 11', () => {
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('943 476 5918')).toBe(false);
    expect(isValidNhsNumber('4010230010')).toBe(true);
  });

  it('checks Unique Learner Numbers', () => {
    expect(isValidUln('5123456707')).toBe(true);
    expect(isValidUln('5123456708')).toBe(false);
    expect(isValidUln('0000000042')).toBe(false);
  });

  it('checks Unique Pupil Numbers by their check letter, temporary ones too', () => {
    expect(upnCheckLetter('823201400012')).toBe('G');
    expect(isValidUpn('G823201400012')).toBe(true);
    expect(isValidUpn('H823201400012')).toBe(false);
    expect(isValidUpn(`${upnCheckLetter('93741051234A')}93741051234A`)).toBe(true);
  });

  it('refuses National Insurance prefixes HMRC never issues', () => {
    expect(isPlausibleNiNumber('AB 12 34 56 C')).toBe(true);
    expect(isPlausibleNiNumber('QQ 12 34 56 C')).toBe(false);
    expect(isPlausibleNiNumber('GB123456A')).toBe(false);
  });

  it('hides a number that fails its checksum only where words say what it is', () => {
    expect(redactText('nhs number 943 476 5918')).toBe('nhs number [NHS NUMBER 1]');
    expect(redactText('ULN 5123456708')).toBe('ULN [ULN 1]');
  });
});
