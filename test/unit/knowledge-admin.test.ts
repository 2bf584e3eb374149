// Authoring and review from the desk, against the real central server on a
// loopback port and real SQLite files: an edit written with the server down is
// queued and becomes a draft when it returns; a reviewer on another desk
// approves it and the author's desk search shows it; an edit of a copy that
// changed since needs the conflict acknowledged; review needs the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskServices, type DeskServices } from '../../electron/services/desk';
import { demoPassword } from '../../server/demo-accounts';
import type { DeskStatus, KnowledgeSyncStatus } from '../../shared/ipc/contract';
import {
  knowledgeArticleSchema,
  knowledgeSearchAnswerSchema,
  type KnowledgeArticle,
} from '../../shared/knowledge/article';
import { knowledgeDraftSchema, reviewDueArticleSchema } from '../../shared/wire/knowledge';
import { z } from 'zod';
import { startCentralServer, type CentralServer } from '../integration/desk-server-access';

const root = mkdtempSync(join(tmpdir(), 'adviser-knowledge-admin-'));
const serverDir = join(root, 'server');
let server: CentralServer;
let serverUp = false;
let port = 0;
let author: DeskServices;
let editor: DeskServices;

const draftList = z.object({ items: z.array(knowledgeDraftSchema) });

function waitForStatus(desk: DeskServices, test: (status: DeskStatus) => boolean) {
  return new Promise<DeskStatus>((resolve) => {
    if (test(desk.status())) return resolve(desk.status());
    const stop = desk.onEvent((...event) => {
      if (event[0] !== 'statusChanged' || !test(event[1])) return;
      stop();
      resolve(event[1]);
    });
  });
}

function waitForSync(desk: DeskServices, test: (status: KnowledgeSyncStatus) => boolean) {
  return new Promise<KnowledgeSyncStatus>((resolve) => {
    void desk.dispatch('knowledgeSyncStatus', null).then((current) => {
      if (current.ok && test(current.value as KnowledgeSyncStatus)) {
        stop();
        resolve(current.value as KnowledgeSyncStatus);
      }
    });
    const stop = desk.onEvent((...event) => {
      if (event[0] !== 'knowledgeSyncChanged' || !test(event[1])) return;
      stop();
      resolve(event[1]);
    });
  });
}

async function signedInDesk(name: string, username: string): Promise<DeskServices> {
  const desk = createDeskServices({
    dataDir: join(root, name),
    serverUrl: server.url,
    outbox: { backoff: { baseMs: 50, capMs: 500 } },
  });
  desk.start();
  const signedIn = await desk.dispatch('signIn', { username, password: demoPassword });
  if (!signedIn.ok) throw new Error(signedIn.error.message);
  await waitForStatus(desk, (status) => status.connection === 'online');
  await waitForSync(desk, (status) => status.state === 'idle' && status.articleCount > 0);
  return desk;
}

async function article(desk: DeskServices, id: string): Promise<KnowledgeArticle> {
  const opened = await desk.dispatch('openArticle', { id });
  if (!opened.ok) throw new Error(opened.error.message);
  return knowledgeArticleSchema.parse(opened.value);
}

function contentOf(copy: KnowledgeArticle) {
  const { version: _version, status: _status, ...content } = copy;
  return content;
}

async function drafts(desk: DeskServices) {
  const answer = await desk.dispatch('knowledgeDraftsAwaitingReview', null);
  if (!answer.ok) throw new Error(answer.error.message);
  return draftList.parse(answer.value).items;
}

async function firstHit(desk: DeskServices, text: string): Promise<string> {
  const answer = await desk.dispatch('searchKnowledge', { text });
  if (!answer.ok) throw new Error(answer.error.message);
  const id = knowledgeSearchAnswerSchema.parse(answer.value).results[0]?.id;
  if (!id) throw new Error(`nothing found for ${text}`);
  return id;
}

async function titlesFound(desk: DeskServices, text: string): Promise<string[]> {
  const answer = await desk.dispatch('searchKnowledge', { text });
  if (!answer.ok) throw new Error(answer.error.message);
  return knowledgeSearchAnswerSchema.parse(answer.value).results.map((hit) => hit.title);
}

beforeAll(async () => {
  server = await startCentralServer(serverDir);
  serverUp = true;
  port = server.port;
  author = await signedInDesk('author-desk', 'demo-adviser');
  editor = await signedInDesk('editor-desk', 'demo-editor');
}, 60_000);

afterAll(async () => {
  await author?.stop();
  await editor?.stop();
  if (serverUp) await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('knowledge authoring and review from the desk', () => {
  it('queues an edit made with the server down, delivers it as a draft, and publishes it on approval', async () => {
    const id = await firstHit(author, 'apprenticeship');
    const copy = await article(author, id);

    await server.close();
    serverUp = false;
    await waitForStatus(author, (status) => status.connection !== 'online');

    // Review needs the server; the desk says so rather than failing obscurely.
    expect(await author.dispatch('knowledgeReviewDue', null)).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });

    const newTitle = `${copy.title} (checked with employers)`;
    const submitted = await author.dispatch('submitKnowledgeEdit', {
      content: { ...contentOf(copy), title: newTitle },
      baseVersion: copy.version,
      note: 'Employers confirmed the pay rates.',
    });
    expect(submitted).toMatchObject({ ok: true, value: { articleId: id } });
    expect(author.status().outbox.waiting).toBe(1);
    // Until it is approved the desk's search shows the published copy.
    expect(await titlesFound(author, newTitle)).not.toContain(newTitle);

    server = await startCentralServer(serverDir, port);
    serverUp = true;
    await waitForStatus(
      author,
      (status) => status.connection === 'online' && status.outbox.waiting === 0,
    );
    expect(author.status().outbox.failed).toBe(0);
    await waitForStatus(editor, (status) => status.connection === 'online');

    const waiting = await drafts(editor);
    const draft = waiting.find((candidate) => candidate.articleId === id);
    expect(draft).toMatchObject({
      baseVersion: copy.version,
      conflict: null,
      status: 'awaiting-review',
      note: 'Employers confirmed the pay rates.',
      content: { title: newTitle },
    });
    if (!draft) throw new Error('no draft');
    if (!submitted.ok) throw new Error('not submitted');
    expect(draft.draftId).toBe((submitted.value as { draftId: string }).draftId);

    // The author cannot approve their own draft; the server says why.
    expect(
      await author.dispatch('approveKnowledgeDraft', { draftId: draft.draftId }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const approved = await editor.dispatch('approveKnowledgeDraft', { draftId: draft.draftId });
    expect(approved).toMatchObject({
      ok: true,
      value: { id, title: newTitle, status: 'published' },
    });
    const published = approved.ok ? knowledgeArticleSchema.parse(approved.value).version : 0;
    // The push hint brings the new version to the author's desk without a request of its own.
    await waitForSync(author, (status) => status.cursor >= published && status.state === 'idle');
    expect(await titlesFound(author, 'checked employers')).toContain(newTitle);
    expect(await article(author, id)).toMatchObject({ title: newTitle, version: published });
  }, 60_000);

  it('makes a draft whose copy changed since a conflict the reviewer must acknowledge', async () => {
    const id = await firstHit(author, 'nursing');
    const copy = await article(author, id);

    // Two edits of the same copy: once the first is published, the second is out of date.
    const submit = (summary: string) =>
      author.dispatch('submitKnowledgeEdit', {
        content: { ...contentOf(copy), summary, body: `${copy.body}\n\n${summary}\n` },
        baseVersion: copy.version,
        note: '',
      });
    const firstEdit = await submit('First change: the bursary figures for this year.');
    const secondEdit = await submit('Second change: placements and shift patterns explained.');
    expect(firstEdit.ok && secondEdit.ok).toBe(true);
    await waitForStatus(author, (status) => status.outbox.waiting === 0);

    const ids = [firstEdit, secondEdit].map((edit) =>
      edit.ok ? (edit.value as { draftId: string }).draftId : '',
    );
    const approvedFirst = await editor.dispatch('approveKnowledgeDraft', { draftId: ids[0] });
    expect(approvedFirst).toMatchObject({ ok: true });
    const publishedVersion = approvedFirst.ok
      ? knowledgeArticleSchema.parse(approvedFirst.value).version
      : 0;

    const second = (await drafts(editor)).find((draft) => draft.draftId === ids[1]);
    expect(second?.conflict).toMatchObject({
      currentVersion: publishedVersion,
      base: { summary: copy.summary },
      current: { summary: 'First change: the bursary figures for this year.' },
    });
    expect(await editor.dispatch('approveKnowledgeDraft', { draftId: ids[1] })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(
      await editor.dispatch('approveKnowledgeDraft', {
        draftId: ids[1],
        acknowledgeConflict: true,
        currentVersion: publishedVersion,
      }),
    ).toMatchObject({
      ok: true,
      value: { summary: 'Second change: placements and shift patterns explained.' },
    });
  }, 60_000);

  it('rejects with a reason, refuses a new article under a taken id, and lists review-due articles', async () => {
    const id = await firstHit(author, 'teaching');
    const copy = await article(author, id);

    expect(
      await author.dispatch('submitKnowledgeEdit', {
        content: contentOf(copy),
        baseVersion: null,
        note: '',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', issues: [{ path: 'content.id' }] },
    });

    const submitted = await author.dispatch('submitKnowledgeEdit', {
      content: { ...contentOf(copy), title: 'Teaching: a title nobody checked' },
      baseVersion: copy.version,
      note: '',
    });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const draftId = (submitted.value as { draftId: string }).draftId;
    await waitForStatus(author, (status) => status.outbox.waiting === 0);

    expect(await editor.dispatch('rejectKnowledgeDraft', { draftId, reason: ' ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(
      await editor.dispatch('rejectKnowledgeDraft', { draftId, reason: 'Keep the current title.' }),
    ).toMatchObject({
      ok: true,
      value: { draftId, status: 'rejected', rejectionReason: 'Keep the current title.' },
    });
    expect((await drafts(editor)).some((draft) => draft.draftId === draftId)).toBe(false);

    const due = await editor.dispatch('knowledgeReviewDue', null);
    expect(due.ok).toBe(true);
    if (due.ok) {
      const items = z.object({ items: z.array(reviewDueArticleSchema) }).parse(due.value).items;
      const today = new Date().toISOString().slice(0, 10);
      for (const item of items) expect(item.reviewBy <= today).toBe(true);
    }

    // Retiring is a reviewer's decision; the adviser is refused by the server.
    expect(
      await author.dispatch('retireKnowledgeArticle', { articleId: id, reason: 'Out of date' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const retired = await editor.dispatch('retireKnowledgeArticle', {
      articleId: id,
      reason: 'Replaced by a newer guide',
    });
    expect(retired).toMatchObject({ ok: true });
    const version = retired.ok ? (retired.value as { version: number }).version : 0;
    await waitForSync(author, (status) => status.cursor >= version && status.state === 'idle');
    expect(await author.dispatch('openArticle', { id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  }, 60_000);
});
