// What the transcript sender is built from, apart from its store (whose
// contract is test/integration/storage-transcripts.test.ts): preparing a
// claimed transcript from the held record, the backoff steps, the settings,
// and the sink folder's index.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareTranscript } from '../../server/transcripts/compose';
import { MailFolder, mailIndexFile } from '../../server/transcripts/mail-folder';
import { mayRetry, retryDelayMs, type RetryPolicy } from '../../server/transcripts/retry';
import { resolveTranscriptSettings } from '../../server/transcripts/settings';
import { completedRecord } from '../unit/desk-fixtures';

describe('preparing a claimed transcript', () => {
  const claim = (address: string, transcript: unknown, via: 'email' | 'text' = 'email') => {
    const record = completedRecord(randomUUID(), { adviserId: 'a1' });
    return prepareTranscript({
      interactionId: record.id,
      via,
      address,
      heldRecord: JSON.stringify({ ...record, summary: { ...record.summary, transcript } }),
      attempts: 1,
      claimToken: 'c1',
    });
  };

  it('sends to the record’s own choice, normalised', () => {
    expect(
      claim('+447700900123', { decision: 'send', via: 'text', address: '07700 900123' }, 'text'),
    ).toMatchObject({ ok: true, value: { to: { via: 'text', address: '+447700900123' } } });
  });

  it('refuses, for good, an address the record does not hold, a record that asks for none, one that is gone, and an address held by an older server that no longer parses', () => {
    const sam = { decision: 'send', via: 'email', address: 'sam@example.com' };
    expect(claim('other@example.com', sam)).toMatchObject({ ok: false });
    expect(claim('sam@example.com', { decision: 'declined' })).toMatchObject({ ok: false });
    expect(
      prepareTranscript({
        interactionId: randomUUID(),
        via: 'email',
        address: 'sam@example.com',
        heldRecord: null,
        attempts: 1,
        claimToken: 'c1',
      }),
    ).toMatchObject({ ok: false });
    const listed = 'sam@example.com, boss@example.com';
    expect(claim(listed, { decision: 'send', via: 'email', address: listed })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/summary\.transcript\.address/) },
    });
  });
});

describe('the retry policy', () => {
  const policy: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 10_000, maxAttempts: 4 };

  it('doubles each step up to the cap, keeping at least half of each step', () => {
    expect([1, 2, 3, 4, 5, 40].map((attempts) => retryDelayMs(policy, attempts, () => 0))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
    expect(
      [1, 2, 3, 4, 5].map((attempts) => retryDelayMs(policy, attempts, () => 0.999999)),
    ).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });

  it('allows attempts up to the maximum', () => {
    expect([1, 3, 4, 5].map((attempts) => mayRetry(policy, attempts))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('transcript settings', () => {
  it('uses the sink by default and needs a From address for a real relay', () => {
    expect(resolveTranscriptSettings({})).toMatchObject({
      ok: true,
      value: { smtpUrl: null, sinkPort: 0, messageIdDomain: 'careers-helpline.localhost' },
    });
    expect(
      resolveTranscriptSettings({ smtpUrl: 'smtp://user:pass@relay.example:587' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/TRANSCRIPT_FROM/) },
    });
    expect(
      resolveTranscriptSettings({
        smtpUrl: 'smtp://user:pass@relay.example:587',
        from: 'Careers helpline <transcripts@helpline.example.org>',
        sinkPort: '2525',
      }),
    ).toMatchObject({
      ok: true,
      value: {
        smtpUrl: 'smtp://user:pass@relay.example:587',
        messageIdDomain: 'helpline.example.org',
        sinkPort: 2525,
      },
    });
    for (const bad of [
      { smtpUrl: 'http://relay.example' },
      { from: 'not an address' },
      { sinkPort: 'many' },
      { sinkPort: 70000 },
    ]) {
      expect(resolveTranscriptSettings(bad)).toMatchObject({ ok: false });
    }
  });
});

describe('the mail sink folder', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'adviser-mail-folder-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists newest first and skips an index line torn by a crash', async () => {
    const folder = new MailFolder(dataDir, () => Date.parse('2026-11-20T12:00:00.000Z'));
    const first = await folder.keepText({
      to: '07700 900123',
      subject: 'Your plan',
      body: 'First\n\nwith a blank line',
      reference: '<one@example>',
    });
    const second = await folder.keepText({
      to: '07700 900456',
      subject: 'Your plan',
      body: 'Second',
      reference: '<two@example>',
    });
    appendFileSync(join(folder.dir, mailIndexFile), '{"id":"torn');
    expect((await folder.list(10)).map((entry) => entry.id)).toEqual([second.id, first.id]);

    // The next start ends the torn line, so what is kept after it is listed.
    const reopened = new MailFolder(dataDir, () => Date.parse('2026-11-20T12:01:00.000Z'));
    const third = await reopened.keepText({
      to: '07700 900789',
      subject: 'Your plan',
      body: 'Third',
      reference: '<three@example>',
    });
    expect((await reopened.list(10)).map((entry) => entry.id)).toEqual([
      third.id,
      second.id,
      first.id,
    ]);
    expect(await reopened.read(first.id)).toMatchObject({
      entry: { channel: 'text', to: ['07700 900123'] },
      text: 'First\n\nwith a blank line',
    });
    expect(await folder.read(randomUUID())).toBeNull();
  });
});
