// What the customer page shows, without the DOM (customer/src/transcript.ts):
// seqs seen as a set with the unbroken run to resume from, every message once
// in seq order whatever order it arrived in, the young person's own messages
// moving from sending to their place, refusals staying where they were, and
// what a reload keeps parsed rather than trusted (customer/src/kept.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readKeptChat, writeKeptChat } from '../../customer/src/kept';
import { MemoryKeptChat } from '../../customer/src/kept.testing';
import { SeenSeqs, Transcript } from '../../customer/src/transcript';
import type { ChatMessage } from '../../shared/wire/chat';

const chatId = '6f1c1a52-3c1e-4c55-9a53-0d6f1d0b7a11';

const fromAdviser = (seq: number): ChatMessage => ({
  chatId,
  seq,
  clientMessageId: `adviser-${String(seq).padStart(4, '0')}`,
  from: 'adviser',
  author: 'Alex',
  text: `adviser ${seq}`,
  sentAt: '2026-11-30T12:00:00.000Z',
});

describe('seqs seen', () => {
  it('counts each seq once and resumes from the unbroken run, not the highest', () => {
    const seen = new SeenSeqs();
    expect(seen.add(1)).toBe(true);
    expect(seen.add(4)).toBe(true);
    expect(seen.add(4)).toBe(false);
    expect(seen.contiguous()).toBe(1);
    seen.add(2);
    expect(seen.contiguous()).toBe(2);
    seen.add(3);
    expect(seen.contiguous()).toBe(4);
  });
});

describe('the transcript', () => {
  it('shows a resume backlog whole after a later live message, in seq order, each once', () => {
    const transcript = new Transcript();
    transcript.received(fromAdviser(1));
    transcript.received(fromAdviser(5));
    for (const seq of [2, 3, 4, 5]) transcript.received(fromAdviser(seq));
    expect(transcript.received(fromAdviser(3))).toBeNull();
    expect(transcript.entries().map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('says where each message goes, so the page inserts it before its successor', () => {
    const transcript = new Transcript();
    transcript.received(fromAdviser(1));
    transcript.received(fromAdviser(3));
    const two = transcript.received(fromAdviser(2));
    expect(two?.before?.seq).toBe(3);
    expect(transcript.received(fromAdviser(4))?.before).toBeNull();
  });

  it('keeps our unsent messages last, then moves each to its seq once stored', () => {
    const transcript = new Transcript();
    transcript.received(fromAdviser(1));
    transcript.written('mine-0001', 'first of mine');
    transcript.written('mine-0002', 'second of mine');
    // The adviser's reply was stored before our first message.
    transcript.received(fromAdviser(2));
    expect(transcript.entries().map((entry) => entry.text)).toEqual([
      'adviser 1',
      'adviser 2',
      'first of mine',
      'second of mine',
    ]);
    // Stored, it goes ahead of anything still sending.
    expect(transcript.entries().map((entry) => entry.sentAt)).toEqual([
      fromAdviser(1).sentAt,
      fromAdviser(2).sentAt,
      // Ours have no time until the helpline has stored them.
      null,
      null,
    ]);
    const placed = transcript.delivered('mine-0002', 4, '2026-12-03T14:05:09.000Z');
    expect(placed?.before?.text).toBe('first of mine');
    expect(placed?.entry.sentAt).toBe('2026-12-03T14:05:09.000Z');
    transcript.delivered('mine-0001', 3, '2026-12-03T14:05:08.000Z');
    expect(transcript.entries().map((entry) => [entry.seq, entry.delivery])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
      [3, 'sent'],
      [4, 'sent'],
    ]);
  });

  it('our own message coming back in a backlog marks it sent rather than showing it again', () => {
    const transcript = new Transcript();
    transcript.written('mine-0001', 'hello');
    transcript.received({
      ...fromAdviser(1),
      from: 'customer',
      clientMessageId: 'mine-0001',
      text: 'hello',
    });
    expect(transcript.entries()).toMatchObject([{ seq: 1, delivery: 'sent', author: 'You' }]);
  });

  it('a refused message stays where it was, marked with why, and waiting ones go back to sending', () => {
    const transcript = new Transcript();
    transcript.received(fromAdviser(1));
    transcript.written('mine-0001', 'refused one');
    transcript.written('mine-0002', 'waiting one');
    transcript.refused('mine-0001', 'Message is not valid');
    transcript.waiting('mine-0002', 'Waiting for the connection…');
    transcript.received(fromAdviser(2));
    expect(
      transcript.entries().map((entry) => [entry.text, entry.delivery, entry.problem]),
    ).toEqual([
      ['adviser 1', 'sent', null],
      ['refused one', 'refused', 'Message is not valid'],
      ['adviser 2', 'sent', null],
      ['waiting one', 'waiting', 'Waiting for the connection…'],
    ]);
    expect(transcript.backOnline().map((entry) => entry.text)).toEqual(['waiting one']);
    expect(transcript.entries().at(-1)).toMatchObject({ delivery: 'sending', problem: null });
  });

  it('whatever the order and repeats of arrival, shows every seq once, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 80 }),
        (arrivals) => {
          const transcript = new Transcript();
          const seen = new SeenSeqs();
          for (const seq of arrivals) {
            if (seen.add(seq)) transcript.received(fromAdviser(seq));
          }
          const distinct = [...new Set(arrivals)].sort((a, b) => a - b);
          expect(transcript.entries().map((entry) => entry.seq)).toEqual(distinct);
          let run = 0;
          while (distinct.includes(run + 1)) run += 1;
          expect(seen.contiguous()).toBe(run);
        },
      ),
    );
  });
});

describe('what a reload keeps', () => {
  it('keeps the resume token and the unsent messages, in order', () => {
    const storage = new MemoryKeptChat();
    const kept = {
      resumeToken: 't'.repeat(43),
      unsent: [
        { clientMessageId: 'mine-0001', text: 'one' },
        { clientMessageId: 'mine-0002', text: 'two' },
      ],
    };
    writeKeptChat(storage, kept);
    expect(readKeptChat(storage)).toEqual(kept);
    writeKeptChat(storage, null);
    expect(storage.text).toBeNull();
  });

  it('reads a page kept before the outbox existed, and ignores anything malformed', () => {
    expect(
      readKeptChat(new MemoryKeptChat(JSON.stringify({ resumeToken: 't'.repeat(43) }))),
    ).toEqual({
      resumeToken: 't'.repeat(43),
      unsent: [],
    });
    for (const text of ['not json', '{}', JSON.stringify({ resumeToken: 'short' }), 'null']) {
      expect(readKeptChat(new MemoryKeptChat(text))).toBeNull();
    }
    expect(
      readKeptChat(
        new MemoryKeptChat(
          JSON.stringify({
            resumeToken: 't'.repeat(43),
            unsent: [{ clientMessageId: '<b>', text: 'x' }],
          }),
        ),
      ),
    ).toBeNull();
  });
});
