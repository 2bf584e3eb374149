// Transcripts on every channel, through the real server on SQLite and on
// PostgreSQL: a desk delivers the record and the transcript request over
// socket.io, the sender composes the transcript from the record it holds and
// mails it to the embedded SMTP sink (or a relay the test runs), text messages
// land in the sink through the default provider, a relay that refuses for now
// is retried on a clock the test moves while one that refuses for good is not,
// addresses that carry more than one recipient are refused at ingest, only
// team leaders see the sink, and two server processes' senders sharing one
// database mail each transcript once.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComposedDocument } from '../../shared/documents/action-plan';
import {
  transcriptDocumentFor,
  transcriptRequestFor,
  type TranscriptRequest,
} from '../../shared/documents/transcript';
import { toInteractionRecord } from '../../shared/interaction/machine';
import type { InteractionRecord } from '../../shared/interaction/record';
import { ContactScript, type ScriptedEvent } from '../../shared/interaction/script';
import { stageIds } from '../../shared/interaction/taxonomy';
import type { OutboxItem } from '../../shared/wire/outbox';
import type { RunningServer } from '../../server/app';
import { openStorage } from '../../server/storage/storage';
import type { ServerStorage } from '../../server/storage/types';
import { startTranscriptDelivery, type TranscriptDelivery } from '../../server/transcripts';
import type { DeliveryOutcome } from '../../server/transcripts/sender';
import { engines, testDatabase } from '../support/storage';
import {
  startTestServer,
  type SignedIn,
  type TestDeskSocket,
  type TestServer,
} from './server-harness';

type Via = TranscriptRequest['via'];

/** Longer than any test may run: the sender then starts a send only when hinted or woken. */
const noIdleCheckMs = 24 * 60 * 60_000;

interface Contact {
  record: InteractionRecord;
  request: TranscriptRequest;
  /** What the desk (and so the server) composes from the record. */
  document: ComposedDocument;
}

/** A completed contact, driven through the real machine, whose customer asked for a transcript. */
function contactWithTranscript(
  adviserId: string,
  deskId: string,
  via: Via,
  address: string,
  mainPoints = 'Routes into animal care: college courses and apprenticeships.',
): Contact {
  const interactionId = randomUUID();
  const call = new ContactScript('2026-11-20T10:00:00.000Z').send(
    { type: 'OFFERED', interactionId, channel: 'voice', contactRef: `call-${interactionId}` },
    { type: 'ANSWER' },
    { type: 'UPDATE_CALLER', callerType: 'young_person', age: 15, withinRemit: true },
    { type: 'UPDATE_MAIN_POINTS', text: mainPoints },
    {
      type: 'ADD_ACTION',
      action: {
        id: 'a1',
        description: 'Look at two college open days',
        owner: 'customer',
        due: null,
      },
    },
    { type: 'CHOOSE_TRANSCRIPT', decision: 'send', via, address },
    { type: 'END_CALL' },
    ...stageIds.map((stage): ScriptedEvent => ({
      type: 'MARK_NOT_COVERED',
      stage,
      reason: 'Not needed here',
    })),
    { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
    { type: 'COMPLETE' },
  );
  const made = toInteractionRecord(call.snapshot, { adviserId, deskId, journal: call.journal });
  if (!made.ok) throw new Error(made.error.message);
  const request = transcriptRequestFor(made.value.record);
  if (!request) throw new Error('the contact should have asked for a transcript');
  return { record: made.value.record, request, document: transcriptDocumentFor(made.value.record) };
}

const outboxItem = <K extends OutboxItem['kind']>(
  kind: K,
  record: InteractionRecord,
  payload: Extract<OutboxItem, { kind: K }>['payload'],
) =>
  ({
    id: randomUUID(),
    stream: `interaction:${record.id}`,
    createdAt: new Date().toISOString(),
    kind,
    payload,
  }) as OutboxItem;

/** Delivers the record and then its transcript request, as the desk's outbox does; returns the request item. */
async function deliverContact(desk: TestDeskSocket, contact: Contact): Promise<OutboxItem> {
  const recordItem = outboxItem('interaction.completed', contact.record, contact.record);
  expect(await desk.emitWithAck('outbox:deliver', recordItem)).toMatchObject({ ok: true });
  const transcriptItem = outboxItem('transcript.requested', contact.record, contact.request);
  expect(await desk.emitWithAck('outbox:deliver', transcriptItem)).toMatchObject({
    ok: true,
    value: { status: 'applied' },
  });
  return transcriptItem;
}

/** Resolves with the sender's next outcome for this interaction; listen before it can happen. */
function nextOutcome(server: RunningServer, interactionId: string): Promise<DeliveryOutcome> {
  return new Promise((resolve) => {
    const stop = server.transcripts.sender.onOutcome((outcome) => {
      if (outcome.interactionId !== interactionId) return;
      stop();
      resolve(outcome);
    });
  });
}

/**
 * Delivers, from a desk, a new contact whose customer asked for an email
 * transcript to `address`; `first` settles with the sender's first outcome for it.
 */
async function deliverEmailTranscript(
  from: { server: RunningServer; desk: TestDeskSocket; deskId: string; adviserId: string },
  address: string,
): Promise<{ contact: Contact; first: Promise<DeliveryOutcome> }> {
  const contact = contactWithTranscript(from.adviserId, from.deskId, 'email', address);
  const first = nextOutcome(from.server, contact.record.id);
  await deliverContact(from.desk, contact);
  return { contact, first };
}

async function getJson<T>(server: RunningServer, path: string, accessToken?: string) {
  const response = await fetch(`${server.url}${path}`, {
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
  });
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; value: T; error?: { code: string } },
  };
}

interface MailListing {
  id: string;
  channel: 'email' | 'text';
  to: string[];
  subject: string;
  date: string;
  size: number;
  messageId: string | null;
}

interface FailingListing {
  interactionId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

describe.each(engines)('transcripts through the embedded SMTP sink [%s]', (engine) => {
  let harness: TestServer;
  let adviser: SignedIn;
  let leader: SignedIn;
  let desk: TestDeskSocket;
  const deskId = randomUUID();

  const deliverTranscriptTo = (address: string) =>
    deliverEmailTranscript(
      { server: harness.server, desk, deskId, adviserId: adviser.user.id },
      address,
    );

  beforeAll(async () => {
    // No periodic look: each send here must be started by the queue hint.
    harness = await startTestServer({ engine, transcripts: { idleCheckMs: noIdleCheckMs } });
    adviser = await harness.signIn('demo-adviser');
    leader = await harness.signIn('demo-leader');
    desk = await harness.connectDesk('demo-adviser', deskId);
  });

  afterAll(async () => {
    await harness.close();
  });

  const sinkEntries = async () =>
    (
      await getJson<{ items: MailListing[] }>(
        harness.server,
        '/api/mail?limit=200',
        leader.accessToken,
      )
    ).body.value.items;

  it('mails an email transcript to the sink as a .eml with the action plan, subject and To', async () => {
    const { contact, first: outcome } = await deliverTranscriptTo('sam@example.com');
    expect(await outcome).toEqual({ kind: 'sent', interactionId: contact.record.id, attempts: 1 });

    const messageId = `<${contact.record.id}.transcript@careers-helpline.localhost>`;
    const kept = (await sinkEntries()).filter((entry) => entry.messageId === messageId);
    expect(kept).toHaveLength(1);
    const entry = kept[0];
    if (!entry) throw new Error('unreachable');
    expect(entry.channel).toBe('email');
    // The envelope's recipients, as the sink was given them: exactly one.
    expect(entry.to).toEqual(['sam@example.com']);

    const raw = await readFile(join(harness.dataDir, 'mail', `${entry.id}.eml`));
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(contact.document.subject);
    expect(mail.subject).toBe('Your skills action plan from the careers helpline');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : null).toEqual([
      { address: 'sam@example.com', name: '' },
    ]);
    expect(mail.cc).toBeUndefined();
    expect(mail.bcc).toBeUndefined();
    expect(mail.from?.text).toContain('transcripts@careers-helpline.localhost');
    expect(mail.messageId).toBe(messageId);
    expect(mail.text).toContain('Routes into animal care: college courses and apprenticeships.');
    expect(mail.text).toContain('Look at two college open days');
    expect(mail.html).toBe(contact.document.html);

    const [transcript] = (
      await harness.server.storage.transcripts.list({ adviserId: adviser.user.id, limit: 50 })
    ).filter((held) => held.interactionId === contact.record.id);
    expect(transcript).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(transcript?.sentAt).not.toBeNull();
  });

  it('sends one email when the desk delivers the same request twice', async () => {
    const contact = contactWithTranscript(adviser.user.id, deskId, 'email', 'twice@example.com');
    const outcome = nextOutcome(harness.server, contact.record.id);
    const item = await deliverContact(desk, contact);
    // The desk's outbox resends after a lost acknowledgement: the server answers it as done.
    expect(await desk.emitWithAck('outbox:deliver', item)).toEqual({
      ok: true,
      value: { id: item.id, status: 'duplicate' },
    });
    expect(await outcome).toMatchObject({ kind: 'sent' });
    expect(await desk.emitWithAck('outbox:deliver', item)).toMatchObject({
      value: { status: 'duplicate' },
    });
    // The same request as a new item (another desk of the same adviser) is refused, not queued again.
    const otherDesk = await harness.connectDesk('demo-adviser');
    expect(
      await otherDesk.emitWithAck(
        'outbox:deliver',
        outboxItem('transcript.requested', contact.record, contact.request),
      ),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const copies = (await sinkEntries()).filter((entry) => entry.to.includes('twice@example.com'));
    expect(copies).toHaveLength(1);
    const [transcript] = (
      await harness.server.storage.transcripts.list({ adviserId: adviser.user.id, limit: 50 })
    ).filter((held) => held.interactionId === contact.record.id);
    expect(transcript).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('sends a text-message transcript through the provider into the sink', async () => {
    const contact = contactWithTranscript(adviser.user.id, deskId, 'text', '07700 900123');
    const outcome = nextOutcome(harness.server, contact.record.id);
    await deliverContact(desk, contact);
    expect(await outcome).toMatchObject({ kind: 'sent', attempts: 1 });

    const [entry] = (await sinkEntries()).filter(
      (kept) => kept.messageId === `<${contact.record.id}.transcript@careers-helpline.localhost>`,
    );
    // Sent to the number as parsed: E.164, whatever spacing the adviser typed.
    expect(entry).toMatchObject({
      channel: 'text',
      to: ['+447700900123'],
      subject: 'Your skills action plan from the careers helpline',
    });
    const message = await getJson<{ text: string; channel: string }>(
      harness.server,
      `/api/mail/${entry?.id ?? 'missing'}`,
      leader.accessToken,
    );
    expect(message.status).toBe(200);
    expect(message.body.value.text).toBe(contact.document.text);
  });

  it('shows a message as its text part, markup and all, never its HTML', async () => {
    const hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const contact = contactWithTranscript(
      adviser.user.id,
      deskId,
      'email',
      'hostile@example.com',
      hostile,
    );
    const outcome = nextOutcome(harness.server, contact.record.id);
    await deliverContact(desk, contact);
    expect(await outcome).toMatchObject({ kind: 'sent' });
    const [entry] = (await sinkEntries()).filter((kept) => kept.to.includes('hostile@example.com'));
    const message = await getJson<Record<string, unknown>>(
      harness.server,
      `/api/mail/${entry?.id ?? 'missing'}`,
      leader.accessToken,
    );
    expect(message.body.value.text).toContain(hostile);
    expect(Object.keys(message.body.value)).not.toContain('html');
    expect(JSON.stringify(message.body.value)).not.toContain('&lt;script&gt;');
  });

  it('refuses, at ingest, an address that carries more than one recipient or is not a UK mobile', async () => {
    const injected: { via: Via; address: string }[] = [
      { via: 'email', address: 'sam@example.com, boss@example.com' },
      { via: 'email', address: 'sam@example.com;boss@example.com' },
      { via: 'email', address: 'sam@example.com\r\nBcc: everyone@example.com' },
      { via: 'email', address: 'Sam <sam@example.com>, Boss <boss@example.com>' },
      { via: 'text', address: '020 7946 0000' },
      { via: 'text', address: '+1 202 555 0143' },
    ];
    for (const { via, address } of injected) {
      // The record itself is sound; the request names an address the record never held.
      const contact = contactWithTranscript(
        adviser.user.id,
        deskId,
        via,
        via === 'email' ? 'sam@example.com' : '07700 900123',
      );
      expect(
        await desk.emitWithAck(
          'outbox:deliver',
          outboxItem('interaction.completed', contact.record, contact.record),
        ),
      ).toMatchObject({ ok: true });
      const hostile = {
        ...outboxItem('transcript.requested', contact.record, contact.request),
        payload: { interactionId: contact.record.id, via, address },
      };
      expect(await desk.emitWithAck('outbox:deliver', hostile)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', issues: [{ path: 'address' }] },
      });

      // A record whose own transcript choice carries such an address is refused whole.
      const tampered = contactWithTranscript(adviser.user.id, deskId, 'email', 'sam@example.com');
      const record = {
        ...tampered.record,
        summary: { ...tampered.record.summary, transcript: { decision: 'send', via, address } },
      };
      expect(
        await desk.emitWithAck('outbox:deliver', {
          ...outboxItem('interaction.completed', tampered.record, tampered.record),
          payload: record,
        }),
      ).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', issues: [{ path: 'summary.transcript.address' }] },
      });
    }
    expect(await harness.server.storage.transcripts.list({ adviserId: null, limit: 500 })).toEqual(
      expect.not.arrayContaining([
        expect.objectContaining({ address: expect.stringMatching(/,|;|\n|020|\+1/) }),
      ]),
    );
    const leaked = (await sinkEntries()).filter((entry) =>
      entry.to.some((to) => /boss@|everyone@|\+1|2079460000/.test(to)),
    );
    expect(leaked).toEqual([]);
  });

  it('composes the mail from the record it holds, never from the HTML a desk sent, to one recipient', async () => {
    const contact = contactWithTranscript(adviser.user.id, deskId, 'email', 'old-desk@example.com');
    const outcome = nextOutcome(harness.server, contact.record.id);
    expect(
      await desk.emitWithAck(
        'outbox:deliver',
        outboxItem('interaction.completed', contact.record, contact.record),
      ),
    ).toMatchObject({ ok: true });
    // As an item queued by a desk before the server composed transcripts: it
    // still carries a document, here one a tampered desk filled with a phishing link.
    const phishing = {
      subject: 'Your helpline account is locked',
      text: 'Log in at https://phish.example/login to keep your plan',
      html: '<p>Your account is locked. <a href="https://phish.example/login">Log in</a></p>',
    };
    const oldItem = {
      ...outboxItem('transcript.requested', contact.record, contact.request),
      payload: { ...contact.request, document: phishing },
    };
    expect(await desk.emitWithAck('outbox:deliver', oldItem)).toMatchObject({
      ok: true,
      value: { status: 'applied' },
    });
    expect(await outcome).toMatchObject({ kind: 'sent', attempts: 1 });

    const [entry, ...others] = (await sinkEntries()).filter(
      (kept) => kept.messageId === `<${contact.record.id}.transcript@careers-helpline.localhost>`,
    );
    expect(others).toEqual([]);
    expect(entry?.to).toEqual(['old-desk@example.com']);
    const raw = await readFile(join(harness.dataDir, 'mail', `${entry?.id ?? 'missing'}.eml`));
    expect(raw.toString('utf8')).not.toContain('phish.example');
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(contact.document.subject);
    expect(mail.text).toBe(contact.document.text);
    expect(mail.html).toBe(contact.document.html);
    expect(mail.text).toContain('Routes into animal care');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : null).toHaveLength(1);
  });

  it('shows articles by title and public link as the young person saw them, and every link sent in chat', async () => {
    const interactionId = randomUUID();
    let seq = 0;
    const chat = new ContactScript('2026-11-20T10:00:00.000Z');
    const line = (from: 'customer' | 'adviser', text: string): ScriptedEvent => ({
      type: 'CHAT_MESSAGE',
      line: { seq: (seq += 1), from, text, at: chat.now },
    });
    chat.send(
      { type: 'OFFERED', interactionId, channel: 'webchat', contactRef: `chat-${interactionId}` },
      { type: 'ANSWER' },
      line('customer', 'I want to work in space'),
      // Shown as it stood then; the server's copy is not consulted for it.
      {
        type: 'POINT_TO_ARTICLE',
        articleId: 'astronaut-and-uk-space-sector',
        shown: {
          title: 'Astronaut and careers in the UK space sector (as shown then)',
          url: 'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
        },
      },
      // As an older desk sends it, by id alone: described from the server's copy.
      { type: 'POINT_TO_ARTICLE', articleId: 'bursary-fund-16-to-19' },
      // An id the knowledge network never held: nothing to show, so left out.
      { type: 'POINT_TO_ARTICLE', articleId: 'no-such-article-anywhere' },
      line(
        'adviser',
        'Vet job profile - National Careers Service: https://nationalcareers.service.gov.uk/job-profiles/vet',
      ),
      line('adviser', 'And not this one: https://10.0.0.7/intranet'),
      { type: 'CHOOSE_TRANSCRIPT', decision: 'send', via: 'email', address: 'space@example.org' },
      { type: 'END_CALL' },
      ...stageIds.map((stage): ScriptedEvent => ({
        type: 'MARK_NOT_COVERED',
        stage,
        reason: 'Not needed here',
      })),
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    const made = toInteractionRecord(chat.snapshot, {
      adviserId: adviser.user.id,
      deskId,
      journal: chat.journal,
    });
    if (!made.ok) throw new Error(made.error.message);
    const request = transcriptRequestFor(made.value.record);
    if (!request) throw new Error('the chat should have asked for a transcript');
    const contact = {
      record: made.value.record,
      request,
      document: transcriptDocumentFor(made.value.record),
    };
    const outcome = nextOutcome(harness.server, interactionId);
    await deliverContact(desk, contact);
    expect(await outcome).toMatchObject({ kind: 'sent', attempts: 1 });

    const [entry] = (await sinkEntries()).filter(
      (kept) => kept.messageId === `<${interactionId}.transcript@careers-helpline.localhost>`,
    );
    const raw = await readFile(join(harness.dataDir, 'mail', `${entry?.id ?? 'missing'}.eml`));
    const mail = await simpleParser(raw);
    const text = mail.text ?? '';
    const useful = text.slice(text.indexOf('Useful links'), text.indexOf('Your follow-up call'));
    expect(useful.split('\n').filter((bullet) => bullet.startsWith('* '))).toEqual([
      '* Astronaut and careers in the UK space sector (as shown then) (https://nationalcareers.service.gov.uk/job-profiles/astronaut)',
      '* The 16 to 19 Bursary Fund: vulnerable and discretionary bursaries (https://www.gov.uk/1619-bursary-fund)',
      '* Vet job profile - National Careers Service (https://nationalcareers.service.gov.uk/job-profiles/vet)',
    ]);
    for (const id of [
      'astronaut-and-uk-space-sector',
      'bursary-fund-16-to-19',
      'no-such-article',
    ]) {
      expect(text).not.toContain(id);
    }
    expect(mail.html).toContain(
      '<a href="https://nationalcareers.service.gov.uk/job-profiles/vet">Vet job profile - National Careers Service</a>',
    );
    expect(mail.html).not.toContain('href="https://10.0.0.7');
  });

  it('refuses a request before its record as a conflict, and takes it once the record is held', async () => {
    const contact = contactWithTranscript(adviser.user.id, deskId, 'email', 'early@example.com');
    const request = outboxItem('transcript.requested', contact.record, contact.request);
    expect(await desk.emitWithAck('outbox:deliver', request)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const outcome = nextOutcome(harness.server, contact.record.id);
    expect(
      await desk.emitWithAck(
        'outbox:deliver',
        outboxItem('interaction.completed', contact.record, contact.record),
      ),
    ).toMatchObject({ ok: true });
    // The desk's outbox retries the same item.
    expect(await desk.emitWithAck('outbox:deliver', request)).toMatchObject({
      ok: true,
      value: { status: 'applied' },
    });
    expect(await outcome).toMatchObject({ kind: 'sent', attempts: 1 });
  });

  it('fails at once, sending nothing, a request whose address is not the one its record holds', async () => {
    const contact = contactWithTranscript(adviser.user.id, deskId, 'email', 'chosen@example.com');
    const outcome = nextOutcome(harness.server, contact.record.id);
    expect(
      await desk.emitWithAck(
        'outbox:deliver',
        outboxItem('interaction.completed', contact.record, contact.record),
      ),
    ).toMatchObject({ ok: true });
    expect(
      await desk.emitWithAck(
        'outbox:deliver',
        outboxItem('transcript.requested', contact.record, {
          ...contact.request,
          address: 'someone-else@example.com',
        }),
      ),
    ).toMatchObject({ ok: true });
    expect(await outcome).toMatchObject({ kind: 'failed', attempts: 1 });
    const sent = (await sinkEntries()).filter((entry) =>
      entry.to.some((to) => to === 'someone-else@example.com' || to === 'chosen@example.com'),
    );
    expect(sent).toEqual([]);
  });

  it('lists the sink and failing transcripts to team leaders only', async () => {
    const noToken = await getJson(harness.server, '/api/mail');
    expect(noToken.status).toBe(401);
    expect(noToken.body.error?.code).toBe('unauthenticated');
    const wrongToken = await getJson(harness.server, '/api/mail', 'not-a-token');
    expect(wrongToken.status).toBe(401);
    const asAdviser = await getJson(harness.server, '/api/mail', adviser.accessToken);
    expect(asAdviser.status).toBe(403);
    expect(asAdviser.body.error?.code).toBe('forbidden');
    const trainer = await harness.signIn('demo-trainer');
    expect((await getJson(harness.server, '/api/mail', trainer.accessToken)).status).toBe(403);

    const entries = await sinkEntries();
    expect(entries.length).toBeGreaterThan(0);
    const firstId = entries[0]?.id ?? 'missing';
    expect((await getJson(harness.server, `/api/mail/${firstId}`)).status).toBe(401);
    expect(
      (await getJson(harness.server, `/api/mail/${firstId}`, adviser.accessToken)).status,
    ).toBe(403);
    expect(
      (await getJson(harness.server, `/api/mail/${randomUUID()}`, leader.accessToken)).status,
    ).toBe(404);
    expect(
      (await getJson(harness.server, '/api/mail/..%2Fserver.sqlite', leader.accessToken)).status,
    ).toBe(400);
    expect((await getJson(harness.server, '/api/mail?limit=0', leader.accessToken)).status).toBe(
      400,
    );

    expect((await getJson(harness.server, '/api/transcripts/failing')).status).toBe(401);
    expect(
      (await getJson(harness.server, '/api/transcripts/failing', adviser.accessToken)).status,
    ).toBe(403);
    const failing = await getJson<{ items: FailingListing[] }>(
      harness.server,
      '/api/transcripts/failing',
      leader.accessToken,
    );
    expect(failing.status).toBe(200);
    // Only the request whose address was not its record's (above) has failed.
    expect(failing.body.value.items).toEqual([
      expect.objectContaining({
        status: 'failed',
        attempts: 1,
        lastError: expect.stringMatching(/not the one the interaction record holds/),
        nextAttemptAt: null,
      }),
    ]);
  });

  it('serves the operators’ page without any message data, scripts allowed by hash only', async () => {
    const subject = 'Your skills action plan from the careers helpline';
    for (const path of ['/mail', `/mail/${randomUUID()}`]) {
      const response = await fetch(`${harness.server.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy).toContain("default-src 'none'");
      expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
      const page = await response.text();
      expect(page).not.toContain(subject);
      expect(page).not.toContain('@example.com');
      expect(page).not.toContain('innerHTML');
    }
    expect((await fetch(`${harness.server.url}/mail/not-an-id`)).status).toBe(404);
  });

  it('refuses mail from anyone without the sink’s per-start password', async () => {
    const sink = harness.server.transcripts.sink;
    if (!sink) throw new Error('the embedded sink should be running');
    const before = (await sinkEntries()).length;
    const stranger = createTransport({ host: sink.host, port: sink.port, secure: false });
    await expect(
      stranger.sendMail({
        from: 'someone@example.com',
        to: 'victim@example.com',
        subject: 'Not from the helpline',
        text: 'spoofed',
      }),
    ).rejects.toMatchObject({ responseCode: 530 });
    stranger.close();
    expect((await sinkEntries()).length).toBe(before);
  });
});

/**
 * A relay the test controls: it answers 451 to every message until told to
 * accept, and answers RCPT TO for the recipients in `refusing` with their code.
 */
async function startTestRelay() {
  const accepted: Buffer[] = [];
  const relay = {
    accepting: false,
    accepted,
    /** Each accepted message's envelope recipients, in the order accepted. */
    envelopes: [] as string[][],
    /** Recipient → the SMTP code RCPT TO is answered with. */
    refusing: new Map<string, number>(),
    /** Every RCPT TO the relay was asked, refused or not. */
    recipientsAsked: [] as string[],
    port: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      relay.recipientsAsked.push(address.address);
      const code = relay.refusing.get(address.address);
      if (code === undefined) return callback();
      const answer = code >= 500 ? 'No such mailbox here' : 'Mailbox busy, try again later';
      callback(Object.assign(new Error(answer), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (!relay.accepting) {
          const refusal = Object.assign(new Error('Try again later: mailbox busy'), {
            responseCode: 451,
          });
          return callback(refusal);
        }
        accepted.push(Buffer.concat(chunks));
        relay.envelopes.push(session.envelope.rcptTo.map((recipient) => recipient.address));
        callback(null, 'Queued');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  relay.port = (server.server.address() as { port: number }).port;
  return relay;
}

describe.each(engines)('transcripts through a relay that refuses, then accepts [%s]', (engine) => {
  let harness: TestServer;
  let adviser: SignedIn;
  let desk: TestDeskSocket;
  let relay: Awaited<ReturnType<typeof startTestRelay>>;
  const deskId = randomUUID();

  const deliverTranscriptTo = (address: string) =>
    deliverEmailTranscript(
      { server: harness.server, desk, deskId, adviserId: adviser.user.id },
      address,
    );
  // The server's clock: the test moves it past each retry's due time.
  let clock = Date.now();
  const retryStepMs = 60_000;

  beforeAll(async () => {
    relay = await startTestRelay();
    harness = await startTestServer({
      engine,
      now: () => clock,
      transcripts: {
        smtpUrl: `smtp://127.0.0.1:${relay.port}`,
        from: 'Careers helpline <transcripts@helpline.example>',
        retry: { baseDelayMs: retryStepMs, maxDelayMs: retryStepMs, maxAttempts: 3 },
        random: () => 0.5,
        idleCheckMs: noIdleCheckMs,
      },
    });
    adviser = await harness.signIn('demo-adviser');
    desk = await harness.connectDesk('demo-adviser', deskId);
  });

  afterAll(async () => {
    await harness.close();
    await relay.close();
  });

  /** Moves the clock past the next retry and tells the sender; resolves with the attempt's outcome. */
  async function retryNow(interactionId: string): Promise<DeliveryOutcome> {
    const outcome = nextOutcome(harness.server, interactionId);
    clock += retryStepMs + 1;
    harness.server.transcripts.sender.wake();
    return outcome;
  }

  const failingFor = async (interactionId: string) => {
    // Tokens are short-lived and the clock moves, so sign in afresh.
    const leader = await harness.signIn('demo-leader');
    const failing = await getJson<{ items: FailingListing[] }>(
      harness.server,
      '/api/transcripts/failing',
      leader.accessToken,
    );
    return failing.body.value.items.find((item) => item.interactionId === interactionId);
  };

  it('retries with backoff, records attempts and the relay’s answer, and sends once it accepts', async () => {
    relay.accepting = false;
    const { contact, first } = await deliverTranscriptTo('retry@example.com');

    const firstOutcome = await first;
    expect(firstOutcome).toMatchObject({ kind: 'retry', attempts: 1 });
    expect(firstOutcome.kind === 'retry' && firstOutcome.error).toMatch(/451/);
    // Equal jitter with random 0.5: three quarters of the step.
    expect(firstOutcome.kind === 'retry' && Date.parse(firstOutcome.nextAttemptAt)).toBe(
      clock + retryStepMs * 0.75,
    );
    expect(await failingFor(contact.record.id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: expect.stringMatching(/451/),
    });

    expect(await retryNow(contact.record.id)).toMatchObject({ kind: 'retry', attempts: 2 });
    expect(relay.accepted).toHaveLength(0);

    relay.accepting = true;
    expect(await retryNow(contact.record.id)).toEqual({
      kind: 'sent',
      interactionId: contact.record.id,
      attempts: 3,
    });

    expect(relay.accepted).toHaveLength(1);
    expect(relay.envelopes).toEqual([['retry@example.com']]);
    const mail = await simpleParser(relay.accepted[0] ?? Buffer.alloc(0));
    expect(mail.messageId).toBe(`<${contact.record.id}.transcript@helpline.example>`);
    expect(mail.from?.text).toContain('transcripts@helpline.example');
    expect(mail.text).toContain('Look at two college open days');

    const [transcript] = (
      await harness.server.storage.transcripts.list({ adviserId: adviser.user.id, limit: 50 })
    ).filter((held) => held.interactionId === contact.record.id);
    expect(transcript).toMatchObject({
      status: 'sent',
      attempts: 3,
      lastError: expect.stringMatching(/451/),
    });
    // Sent transcripts leave the operators' failing list.
    expect(await failingFor(contact.record.id)).toBeUndefined();
  });

  it('sends a transcript still waiting for a retry when the server stops, after it starts again', async () => {
    relay.accepting = false;
    const { contact, first } = await deliverTranscriptTo('restart@example.com');
    expect(await first).toMatchObject({ kind: 'retry', attempts: 1 });

    await harness.restart();
    desk = await harness.connectDesk('demo-adviser', deskId);
    relay.accepting = true;
    expect(await retryNow(contact.record.id)).toMatchObject({ kind: 'sent', attempts: 2 });
    const copies = relay.accepted.filter((raw) => raw.toString('utf8').includes(contact.record.id));
    expect(copies).toHaveLength(1);
  });

  it('gives up at once when the relay refuses the recipient for good (5xx), and never tries again', async () => {
    relay.accepting = true;
    relay.refusing.set('no-such-person@example.com', 550);
    const { contact, first } = await deliverTranscriptTo('no-such-person@example.com');
    const outcome = await first;
    expect(outcome).toMatchObject({ kind: 'failed', attempts: 1 });
    expect(outcome.kind === 'failed' && outcome.error).toMatch(/550/);
    expect(await failingFor(contact.record.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(/550/),
      nextAttemptAt: null,
    });

    // However far the clock moves, the relay is not asked again.
    clock += 100 * retryStepMs;
    const { first: laterOutcome } = await deliverTranscriptTo('after-550@example.com');
    expect(await laterOutcome).toMatchObject({ kind: 'sent', attempts: 1 });
    expect(
      relay.recipientsAsked.filter((address) => address === 'no-such-person@example.com'),
    ).toHaveLength(1);
  });

  it('keeps retrying a recipient the relay refuses for now (4xx)', async () => {
    relay.accepting = true;
    relay.refusing.set('greylisted@example.com', 450);
    const { contact, first } = await deliverTranscriptTo('greylisted@example.com');
    expect(await first).toMatchObject({ kind: 'retry', attempts: 1 });
    relay.refusing.delete('greylisted@example.com');
    expect(await retryNow(contact.record.id)).toMatchObject({ kind: 'sent', attempts: 2 });
    expect(relay.envelopes.at(-1)).toEqual(['greylisted@example.com']);
  });

  it('marks a transcript failed after the last attempt and shows it to operators', async () => {
    relay.accepting = false;
    const before = relay.accepted.length;
    const { contact, first } = await deliverTranscriptTo('gone@example.com');
    expect(await first).toMatchObject({ kind: 'retry', attempts: 1 });
    expect(await retryNow(contact.record.id)).toMatchObject({ kind: 'retry', attempts: 2 });
    expect(await retryNow(contact.record.id)).toMatchObject({ kind: 'failed', attempts: 3 });

    expect(await failingFor(contact.record.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: expect.stringMatching(/451/),
      nextAttemptAt: null,
    });
    // A failed transcript is not tried again, however far the clock moves.
    relay.accepting = true;
    clock += 10 * retryStepMs;
    const { first: laterOutcome } = await deliverTranscriptTo('later@example.com');
    expect(await laterOutcome).toMatchObject({ kind: 'sent', attempts: 1 });
    expect(relay.accepted.length).toBe(before + 1);
    expect(await harness.server.storage.transcripts.list({ adviserId: null, limit: 50 })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ interactionId: contact.record.id, status: 'failed' }),
      ]),
    );
  });
});

describe.each(engines)('two server processes sending from one database [%s]', (engine) => {
  it('mails each of 20 queued transcripts exactly once', async () => {
    const where = await testDatabase(engine, 'two-senders');
    const opened: (ServerStorage & { close(): Promise<void> })[] = [];
    const deliveries: TranscriptDelivery[] = [];
    const log: string[] = [];
    try {
      const first = await openStorage({ dataDir: where.dataDir, databaseUrl: where.databaseUrl });
      opened.push(first);
      // PostgreSQL: a second storage with its own pool, as another server
      // process has. SQLite: one process holds one connection (a second would
      // block the event loop while the first is in a transaction), so the two
      // senders share it and still each claim through the database.
      const second =
        engine === 'postgres'
          ? await openStorage({ dataDir: where.dataDir, databaseUrl: where.databaseUrl })
          : first;
      if (second !== first) opened.push(second);

      const adviser = await first.accounts.create({
        username: 'adviser',
        displayName: 'Alex Adviser',
        roles: ['adviser'],
        passwordHash: 'scrypt$test',
      });
      const deskId = randomUUID();
      const contacts = Array.from({ length: 20 }, (_, n) =>
        contactWithTranscript(adviser.id, deskId, 'email', `both-${n}@example.com`),
      );
      const receivedAt = new Date().toISOString();
      for (const contact of contacts) {
        await first.ingest.applyOnce(
          {
            deskId,
            itemId: randomUUID(),
            kind: 'transcript.requested',
            stream: `interaction:${contact.record.id}`,
            deliveredBy: adviser.id,
            appliedAt: receivedAt,
          },
          async (writer) => {
            await writer.saveInteraction(contact.record, receivedAt);
            await writer.queueTranscript(contact.request, adviser.id, receivedAt);
          },
        );
      }

      // Each sender with its own data folder and embedded sink, as each server
      // process has; both look for due transcripts every few milliseconds.
      const started = await Promise.all(
        [first, second].map(async (storage, n) => {
          const dataDir = join(where.dataDir, `process-${n}`);
          return startTranscriptDelivery({
            dataDir,
            store: storage.transcriptDelivery,
            now: Date.now,
            log: (line) => log.push(`${n}: ${line}`),
            options: { idleCheckMs: 20 },
          });
        }),
      );
      deliveries.push(...started);

      const sentCount = async () =>
        (await first.transcripts.list({ adviserId: null, limit: 100 })).filter(
          (transcript) => transcript.status === 'sent',
        ).length;
      await expect.poll(sentCount, { timeout: 30_000, interval: 50 }).toBe(20);

      const mailed = (
        await Promise.all(deliveries.map((delivery) => delivery.folder.list(100)))
      ).flat();
      const timesMailed = (interactionId: string) =>
        mailed.filter(
          (entry) => entry.messageId === `<${interactionId}.transcript@careers-helpline.localhost>`,
        ).length;
      expect(mailed).toHaveLength(20);
      expect(contacts.map((contact) => timesMailed(contact.record.id))).toEqual(
        contacts.map(() => 1),
      );
      expect(log.filter((line) => /claim lapsed|sender:/.test(line))).toEqual([]);
      expect(
        (await first.transcripts.list({ adviserId: null, limit: 100 })).map(
          (transcript) => transcript.attempts,
        ),
      ).toEqual(contacts.map(() => 1));
    } finally {
      for (const delivery of deliveries) await delivery.close();
      for (const storage of opened) await storage.close();
      await where.drop();
    }
  });
});
