// Quality review end to end, in real Chromium against desks in browser mode
// and the real central server. A team leader draws the week's sample and
// reviews a sampled call beside its replay: goes to the record's evidence,
// is told in words what stops publishing, pins an answer to a moment, and
// publishes with the network down; the outbox delivers it when the server is
// back. The adviser sees it, goes to the pinned moment, acknowledges it and
// disputes one item; a second team leader resolves it into a new version.
// Three team leaders score a calibration session blind, and it shows their
// agreement, then its agreement over time as a chart with its table. A team
// leader passes a draft review to another, recorded with why; sets an
// adviser's improvement target, which the report and the adviser both show;
// and makes the form's next version in the editor, told what to put right,
// and publishes it.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { isoWeekOf } from '../../server/quality/weeks';
import { openStorage } from '../../server/storage/storage';
import type { StaffMember } from '../../shared/domain/people';
import type { InteractionRecord } from '../../shared/interaction/record';
import {
  calibrationSessionSchema,
  formListSchema,
  reviewListSchema,
  reviewViewSchema,
  type CalibrationSession,
} from '../../shared/wire/quality';
import { concernCall, fullCall } from '../support/quality-contacts';
import {
  eventually,
  launchBrowser,
  openSignedInDesk,
  serverAccessToken,
  startExtraDesk,
  startProduct,
  type ExtraDesk,
  type Product,
} from './harness';
import { DeskPage } from './pages/desk';
import { QualityPage } from './pages/quality';
import { laptop, screenshot } from './screens';

let browser: Browser | null = null;
let product: Product;
let readerDesk: ExtraDesk;
/** The calls delivered for the week: a full call, one with a safeguarding concern, and an older one. */
let records: InteractionRecord[] = [];
/** Who reviews the call with the concern, and the team leader who will resolve its dispute. */
let reviewer = '';
let resolver = '';
const thirdLeader = { username: 'casey-leader', password: 'casey-leader-password' };
/** The calibration session the three team leaders scored, once its agreement is known. */
let scoredSession: CalibrationSession | null = null;

const names: Record<string, string> = {
  'demo-leader': 'Taylor Leader',
  'demo-leader-2': 'Robin Leader',
};

async function signedInUser(username: string): Promise<StaffMember> {
  const response = await fetch(`${product.serverUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'helpline-demo' }),
  });
  const body = (await response.json()) as { value: { user: StaffMember } };
  return body.value.user;
}

/** Delivers a completed interaction as the adviser's desk would, through the outbox event. */
async function deliver(record: InteractionRecord): Promise<void> {
  const token = await serverAccessToken(product, 'demo-adviser');
  const socket = io(product.serverUrl, {
    transports: ['websocket'],
    auth: { token, deskId: randomUUID() },
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const answer = (await socket.emitWithAck('outbox:deliver', {
    id: randomUUID(),
    stream: `interaction:${record.id}`,
    createdAt: new Date().toISOString(),
    kind: 'interaction.completed',
    payload: record,
  })) as { ok: boolean };
  socket.close();
  expect(answer.ok).toBe(true);
}

async function api(
  token: string,
  path: string,
  body?: unknown,
): Promise<{ ok: boolean; value?: unknown }> {
  const response = await fetch(`${product.serverUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as { ok: boolean; value?: unknown };
}

async function signInOnReaderDesk(username: string, password?: string): Promise<Page> {
  if (!browser) throw new Error('no browser');
  return openSignedInDesk(browser, readerDesk.view, username, password);
}

async function signOut(page: Page): Promise<void> {
  await new DeskPage(page).signOut();
  await page.context().close();
}

beforeAll(async () => {
  browser = await launchBrowser();
  if (!browser) return;
  product = await startProduct();
  readerDesk = await startExtraDesk(product);
  const alex = await signedInUser('demo-adviser');
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  // Two calls this week (minutes apart, so both in it) and one the week before last.
  records = [
    fullCall({ adviserId: alex.id, start: minutesAgo(20) }),
    concernCall({ adviserId: alex.id, start: minutesAgo(10) }),
    fullCall({ adviserId: alex.id, start: minutesAgo(60 * 24 * 9) }),
  ];
  for (const record of records) await deliver(record);
});

afterAll(async () => {
  await browser?.close();
  await readerDesk?.stop();
  if (product) await product.stop();
});

describe('quality review, end to end', () => {
  it('a team leader draws the week’s sample, reviews a sampled call beside its replay, and publishes it with the network down', async (context) => {
    if (!browser) return context.skip();
    const concern = records[1];
    if (!concern) throw new Error('no call');

    // Taylor draws this week's sample; two calls, two team leaders: one each.
    const taylor = await signInOnReaderDesk('demo-leader');
    const quality = new QualityPage(taylor);
    await quality.open('Weekly sample');
    const form = taylor.getByRole('form', { name: 'Sample' });
    await form.getByLabel('Week').fill(isoWeekOf(new Date(concern.completedAt)));
    await form.getByLabel('Interactions per adviser').fill('3');
    await form.getByLabel(/^Seed/).fill('7');
    await form.getByRole('button', { name: 'Draw and assign reviews' }).click();
    const drawn = taylor.getByRole('table', { name: /^Drawn: 2 of 2 interactions/ });
    await drawn.waitFor();
    await expect(drawn.getByRole('row').count()).resolves.toBe(3);
    const concernRow = drawn.getByRole('row').filter({ hasText: 'Safeguarding concern' });
    const reviewerName = await concernRow.getByRole('cell').nth(3).innerText();
    reviewer = reviewerName === 'Taylor Leader' ? 'demo-leader' : 'demo-leader-2';
    resolver = reviewer === 'demo-leader' ? 'demo-leader-2' : 'demo-leader';
    expect(names[reviewer]).toBe(reviewerName);
    // Drawn again from its seed, it is the same sample.
    await taylor.getByRole('button', { name: /Draw again and compare/ }).click();
    await taylor.getByText(/chooses the same interactions and reviewers/).waitFor();
    await signOut(taylor);

    // The reviewer opens it from "Assigned to me", beside the replay.
    const leader = await signInOnReaderDesk(reviewer);
    const review = new QualityPage(leader);
    await review.open('Reviews');
    await review.openReview(/Voice call on/);
    const safeguarding = review.item(/The safeguarding concern was handled/);
    await safeguarding.getByText(/From the record: Yes\./).waitFor();
    await expect(safeguarding.innerText()).resolves.toMatch(
      /escalated to Duty team leader 15 seconds later/,
    );
    await expect(review.momentNumber()).resolves.toBe(1);
    await safeguarding.getByRole('button', { name: /Safeguarding concern raised/ }).click();
    // Raised at 1:15: the sixth event (offered, answered, caller, stage, status, concern).
    await expect(review.momentNumber()).resolves.toBe(6);

    // Publishing too early says what is missing, in words, and takes the reader there.
    await review.side().getByRole('button', { name: 'Publish to the adviser' }).click();
    const problems = review.side().getByRole('alert');
    await problems.getByText(/cannot be published yet: 3 things to put right/).waitFor();
    await problems.getByRole('button', { name: /Answer “The next steps were good”/ }).click();
    await expect(
      leader.evaluate<string>('document.activeElement?.getAttribute("name") ?? ""'),
    ).resolves.toBe('answer-next_steps_good');

    await review.answer(/The next steps were good/, /^2:/, 'One action, and not a specific one.');
    await review.answer(/Open questions/, /^4:/);
    await review.answer(/accurate and current/, /^0:/);
    // The accuracy answer is pinned to the moment the replay is at.
    await review.controls().getByRole('button', { name: 'Next event', exact: true }).click();
    await expect(review.momentNumber()).resolves.toBe(7);
    await review
      .item(/accurate and current/)
      .getByRole('button', { name: /Pin to this moment/ })
      .click();
    await review
      .item(/accurate and current/)
      .getByText('Pinned:')
      .waitFor();
    await review.side().getByRole('button', { name: 'Publish to the adviser' }).click();
    await problems
      .getByText(/“The information given was accurate and current” was not met/)
      .waitFor();
    await review
      .item(/accurate and current/)
      .getByLabel(/^Comment/)
      .fill('The entry grades quoted were last year’s.');
    await review
      .side()
      .getByText(/^Score: 72\.2%/)
      .waitFor();

    // The network goes; the publish is kept on the desk and delivered once it is back.
    await product.stopServer();
    await leader.waitForSelector('[data-connection]:not([data-connection="online"])');
    await review.side().getByRole('button', { name: 'Publish to the adviser' }).click();
    await review
      .side()
      .getByText(/Published on this desk/)
      .waitFor();
    await expect(
      review.side().getByRole('button', { name: 'Publish to the adviser' }).isDisabled(),
    ).resolves.toBe(true);
    await product.startServer();
    await new DeskPage(leader).waitForConnection('online');
    await eventually('the publish to reach the server', async () => {
      await leader.reload();
      await review.controls().waitFor();
      return (await leader.locator('.quality-facts').innerText()).includes('Published')
        ? true
        : null;
    });
    await review
      .publishedItem(/accurate and current/)
      .getByText('Not met')
      .waitFor();
    await signOut(leader);
  });

  it('the adviser sees it, goes to its pinned moment, acknowledges it, and disputes one item', async (context) => {
    if (!browser || !reviewer) return context.skip();
    const adviser = await openSignedInDesk(browser, product, 'demo-adviser');
    const quality = new QualityPage(adviser);
    await quality.open();
    const list = adviser.getByRole('table', { name: 'Reviews of my work' });
    await list.getByRole('row').nth(1).waitFor();
    // Only the published review: the other call's review is still a draft.
    await expect(list.getByRole('row').count()).resolves.toBe(2);
    await quality.openReview(/Voice call on/);
    const accuracy = quality.publishedItem(/accurate and current/);
    await accuracy.getByText('The entry grades quoted were last year’s.').waitFor();
    await accuracy.getByRole('button', { name: /Go to the pinned moment, 1:30/ }).click();
    await expect(quality.momentNumber()).resolves.toBe(7);

    await quality.side().getByLabel('Your comment (optional)').fill('Thanks, I will check.');
    await quality.side().getByRole('button', { name: 'Acknowledge' }).click();
    await quality.side().getByText('Acknowledged. The reviewer can see your comment.').waitFor();

    await accuracy.getByRole('checkbox').check();
    await accuracy.getByLabel('Why you disagree').fill('Too short');
    await quality
      .side()
      .getByRole('button', { name: /Send the dispute \(1 item\)/ })
      .click();
    await quality
      .side()
      .getByText(/Say why you disagree \(at least 10 characters\)/)
      .waitFor();
    await accuracy
      .getByLabel('Why you disagree')
      .fill('The grades were checked against this year’s prospectus.');
    await quality
      .side()
      .getByRole('button', { name: /Send the dispute/ })
      .click();
    await quality.side().getByText('Dispute sent. Another team leader will resolve it.').waitFor();
    await adviser.locator('.quality-facts').getByText('Disputed', { exact: true }).waitFor();
  });

  it('a second team leader resolves the disputed item into a new version', async (context) => {
    if (!browser || !resolver) return context.skip();
    const leader = await signInOnReaderDesk(resolver);
    const quality = new QualityPage(leader);
    await quality.open('Reviews');
    await leader.getByLabel('Show').selectOption({ label: 'All reviews' });
    await leader.getByLabel('Status', { exact: true }).selectOption({ label: 'Disputed' });
    await quality.openReview(/Voice call on/);
    const disputed = quality.side().locator('.quality-disputed');
    await disputed.getByText(/One item is disputed/).waitFor();
    await disputed.getByRole('button', { name: /accurate and current/ }).click();
    const form = leader.getByRole('form', { name: /Resolve the dispute/ });
    await form.getByRole('radio', { name: /^Upheld/ }).check();
    await form
      .getByRole('group', { name: 'The answer it should have' })
      .getByRole('radio', { name: /^3:/ })
      .check();
    await form.getByLabel(/^Why/).fill('Checked the prospectus: the grades given were right.');
    await form.getByRole('button', { name: 'Record the resolution' }).click();
    await quality.side().getByText('Resolution recorded.').waitFor();
    const versions = quality.side().locator('.quality-versions');
    await versions.getByText(/Version 1: published by/).waitFor();
    await versions.getByText(/Version 2: changed by a resolution by/).waitFor();
    await quality
      .side()
      .getByText(/^84\.7%/)
      .waitFor();
    await quality
      .publishedItem(/accurate and current/)
      .getByText(/Upheld by .* “Checked the prospectus/)
      .waitFor();
    await signOut(leader);
  });

  it('a calibration session of three team leaders, scored blind, shows their agreement', async (context) => {
    if (!browser) return context.skip();
    // A third team leader, made through the server's own account store.
    const storage = await openStorage({ dataDir: join(product.dataDir, 'server') });
    try {
      await storage.accounts.create({
        username: thirdLeader.username,
        displayName: 'Casey Leader',
        roles: ['team_leader'],
        passwordHash: await hashPassword(thirdLeader.password),
      });
    } finally {
      await storage.close();
    }

    const taylor = await signInOnReaderDesk('demo-leader');
    const quality = new QualityPage(taylor);
    await quality.open('Calibration');
    const start = taylor.getByRole('form', { name: 'Start a calibration session' });
    await start.getByLabel('Title').fill('This week’s calibration');
    const calls = start.getByRole('group', { name: /Interactions to score/ }).getByRole('checkbox');
    await calls.nth(2).waitFor();
    await expect(calls.count()).resolves.toBe(3);
    await calls.nth(0).check();
    await calls.nth(2).check();
    const leaders = start.getByRole('group', { name: /Reviewers/ }).getByRole('checkbox');
    await leaders.nth(2).waitFor();
    await expect(leaders.count()).resolves.toBe(3);
    await start.getByRole('button', { name: 'Start the session' }).click();
    await taylor.getByRole('heading', { name: 'Calibration: This week’s calibration' }).waitFor();
    await taylor.getByText('0 of 6 reviews published').waitFor();
    await taylor.getByText(/Scoring is blind/).waitFor();
    const sessionId = /#\/quality\/calibration\/([0-9a-f-]+)/.exec(taylor.url())?.[1] ?? '';

    // Each reviewer scores both calls; they read the judgement items differently.
    const judgements: Record<string, [number, number, number]> = {
      'demo-leader': [3, 3, 4],
      'demo-leader-2': [2, 3, 4],
      [thirdLeader.username]: [4, 1, 3],
    };
    for (const [username, [nextSteps, rapport, accuracy]] of Object.entries(judgements)) {
      const token = await serverAccessToken(
        product,
        username,
        username === thirdLeader.username ? thirdLeader.password : undefined,
      );
      const assigned = reviewListSchema.parse(
        (await api(token, '/api/quality/reviews?scope=assigned&purpose=calibration')).value,
      ).reviews;
      expect(assigned).toHaveLength(2);
      for (const summary of assigned) {
        const view = reviewViewSchema.parse(
          (await api(token, `/api/quality/reviews/${summary.id}`)).value,
        );
        const judged: Record<string, string | number> = {
          barriers_explored: 'yes',
          next_steps_good: nextSteps,
          open_questions_rapport: rapport,
          information_accurate: accuracy,
        };
        const answers = [
          ...(view.prefill?.proposals ?? []).map((proposal) => ({
            itemId: proposal.itemId,
            value: proposal.answer ?? 'yes',
          })),
          // Only the judgement items shown for this call (a barrier item only where one was recorded).
          ...(view.prefill?.judgementItemIds ?? []).map((itemId) => ({
            itemId,
            value: judged[itemId],
          })),
        ];
        const published = await api(token, `/api/quality/reviews/${summary.id}/publish`, {
          answers,
        });
        expect(published.ok).toBe(true);
      }
      if (username === 'demo-leader-2') {
        // Two of three have published: still blind, so no agreement and only Taylor's own reviews.
        await taylor.reload();
        await taylor.getByText('4 of 6 reviews published').waitFor();
        await expect(
          taylor.getByRole('heading', { name: 'Reviewers’ agreement' }).count(),
        ).resolves.toBe(0);
        await expect(
          taylor.getByRole('table', { name: 'Every review in the session' }).count(),
        ).resolves.toBe(0);
      }
    }
    const token = await serverAccessToken(product, 'demo-leader');
    const session = calibrationSessionSchema.parse(
      (await api(token, `/api/quality/calibration/${sessionId}`)).value,
    );
    const alpha = session.agreement?.form.alpha;
    expect(typeof alpha).toBe('number');
    scoredSession = session;

    await taylor.reload();
    await taylor.getByRole('heading', { name: 'Reviewers’ agreement' }).waitFor();
    await taylor.getByText('6 of 6 reviews published').waitFor();
    await taylor.getByText(`α = ${(alpha ?? Number.NaN).toFixed(2)}`).waitFor();
    await expect(taylor.getByText(/across 3 reviewers/).count()).resolves.toBe(1);
    const perItem = taylor.getByRole('table', { name: 'Agreement per item' });
    await perItem.getByRole('row', { name: /The next steps were good/ }).waitFor();
    const flagged = session.agreement?.flaggedItemIds ?? [];
    await expect(perItem.getByText('Low agreement: reword.').count()).resolves.toBe(flagged.length);
    // Agreement over time: the session is listed with its figure.
    await quality.open('Calibration');
    await taylor
      .getByRole('table', { name: 'Calibration sessions, newest first' })
      .getByRole('row', { name: /This week’s calibration/ })
      .getByText((alpha ?? Number.NaN).toFixed(2))
      .waitFor();
    await signOut(taylor);
  });

  it('shows reviewers’ agreement over time as a chart, with its table beside it', async (context) => {
    if (!browser || !scoredSession?.agreement) return context.skip();
    const { agreement } = scoredSession;
    const taylor = await signInOnReaderDesk('demo-leader');
    const quality = new QualityPage(taylor);
    await quality.open('Calibration');
    const trend = taylor.getByRole('region', { name: 'Agreement over time' });
    const table = taylor.getByRole('table', {
      name: 'Agreement on the review’s score per calibration session',
    });
    const row = table.getByRole('row', { name: /This week’s calibration/ });
    await row.waitFor();
    await row.getByText((agreement.form.alpha ?? Number.NaN).toFixed(2)).waitFor();
    await row.getByRole('rowheader', { name: isoWeekOf(new Date()) }).waitFor();
    // The same figures drawn as a line: one point for the one complete session.
    await expect(trend.locator('figure svg.recharts-surface').count()).resolves.toBe(1);
    await expect(trend.locator('.recharts-line-dots circle').count()).resolves.toBe(1);

    // One item's agreement over time, from the same sessions.
    await taylor
      .getByLabel('Agreement on', { exact: true })
      .selectOption({ label: 'The next steps were good' });
    const nextSteps = agreement.items.find((item) => item.itemId === 'next_steps_good');
    const itemTable = taylor.getByRole('table', {
      name: 'Agreement on “The next steps were good” per calibration session',
    });
    await itemTable
      .getByRole('row', { name: /This week’s calibration/ })
      .getByText(nextSteps?.alpha === null || !nextSteps ? '—' : nextSteps.alpha.toFixed(2))
      .waitFor();
    // A range with no session in it says so.
    await taylor.getByLabel('Sessions started from').fill('2025-01-01');
    await taylor.getByLabel('to (included)').fill('2025-01-31');
    await trend.getByRole('button', { name: 'Show' }).click();
    await trend.getByText(/No calibration session started in this range/).waitFor();
    await signOut(taylor);
  });

  it('a team leader passes a draft review to another team leader, and the move is recorded', async (context) => {
    if (!browser || !resolver) return context.skip();
    // The other sampled call went to the other team leader, and is still a draft.
    const leader = await signInOnReaderDesk(resolver);
    const quality = new QualityPage(leader);
    await quality.open('Reviews');
    await leader.getByLabel('Status', { exact: true }).selectOption({ label: 'Draft' });
    await quality.openReview(/Voice call on/);
    await quality.side().getByRole('button', { name: 'Publish to the adviser' }).waitFor();
    await leader.getByRole('button', { name: 'Pass to another team leader' }).click();
    const form = leader.getByRole('form', { name: 'Pass the review to another team leader' });
    await form.getByLabel('Team leader', { exact: true }).selectOption({ label: 'Casey Leader' });
    await form.getByLabel(/^Why it moves/).fill('Away');
    await form.getByRole('button', { name: 'Pass it on' }).click();
    await form.getByText(/Say why it moves \(at least 10 characters\)/).waitFor();
    await form
      .getByLabel(/^Why it moves/)
      .fill('On leave until Monday; Casey has the fewest reviews this week.');
    await form.getByRole('button', { name: 'Pass it on' }).click();
    await leader.getByText('Passed to Casey Leader: it is on their list now.').waitFor();
    await leader
      .getByRole('list', { name: 'Passed between team leaders' })
      .getByText(`Passed from ${names[resolver]} to Casey Leader by ${names[resolver]} on`, {
        exact: false,
      })
      .waitFor();
    // No longer theirs to write: the scorecard is read, not answered.
    await expect(
      quality.side().getByRole('button', { name: 'Publish to the adviser' }).count(),
    ).resolves.toBe(0);
    const reviewId = /#\/quality\/([0-9a-f-]+)/.exec(leader.url())?.[1] ?? '';
    await signOut(leader);

    const token = await serverAccessToken(product, thirdLeader.username, thirdLeader.password);
    const assigned = reviewListSchema.parse(
      (await api(token, '/api/quality/reviews?scope=assigned&status=draft')).value,
    ).reviews;
    expect(assigned.map((review) => review.id)).toContain(reviewId);
  });

  it('a team leader sets an adviser’s improvement target; the report and the adviser show where it stands', async (context) => {
    if (!browser) return context.skip();
    const taylor = await signInOnReaderDesk('demo-leader');
    const quality = new QualityPage(taylor);
    await quality.open('Reports');
    const set = taylor.getByRole('form', { name: 'Set an improvement target' });
    await set.getByLabel('Adviser', { exact: true }).selectOption({ label: 'Alex Adviser' });
    await set.getByLabel('What it measures').selectOption({
      label: 'Reviews passed (no must-pass item failed)',
    });
    await set.getByLabel('At least (%)').fill('90');
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await set.getByLabel('From', { exact: true }).fill(weekAgo);
    await set.getByLabel(/^What was agreed/).fill('Short');
    await set.getByRole('button', { name: 'Set the target' }).click();
    await set.getByText(/Say what was agreed at the performance review/).waitFor();
    await set
      .getByLabel(/^What was agreed/)
      .fill('Every safeguarding concern escalated at once; checked each month.');
    await set.getByRole('button', { name: 'Set the target' }).click();
    await set.getByText(/^Target set for Alex Adviser: Reviews passed/).waitFor();

    await taylor.getByRole('button', { name: 'Show the report' }).click();
    const targets = taylor.getByRole('table', {
      name: /^Improvement targets running in this range/,
    });
    const row = targets.getByRole('row', { name: /Alex Adviser/ });
    // The one published review of Alex's work passed: on track, 100% of 1.
    await row.getByText('On track').waitFor();
    await row.getByText('100.0% (1 review)').waitFor();
    await signOut(taylor);

    const adviser = await openSignedInDesk(browser, product, 'demo-adviser');
    await new QualityPage(adviser).open();
    const own = adviser.getByRole('table', {
      name: 'Your improvement targets, from your performance reviews',
    });
    await own
      .getByRole('row', { name: /Reviews passed/ })
      .getByText('On track')
      .waitFor();
    await adviser.context().close();
  });

  it('a team leader reads the report over time, week by week and month by month, for the team and one adviser', async (context) => {
    if (!browser) return context.skip();
    const taylor = await signInOnReaderDesk('demo-leader');
    await taylor.setViewportSize({ width: 1366, height: 768 });
    const quality = new QualityPage(taylor);
    await quality.open('Reports');
    const overTime = taylor.getByRole('form', { name: 'Report over time' });
    // The last twelve weeks for the team at first: thirteen London weeks, the first and last cut.
    const team = taylor.getByRole('table', { name: 'The team, per week' });
    await team.getByRole('row').nth(13).waitFor();
    await expect(team.getByRole('row').count()).resolves.toBe(14);
    // Nothing was reviewed twelve weeks ago: that week reads none, not zero.
    const oldest = team.getByRole('row').nth(1);
    await expect(oldest.getByRole('cell').allInnerTexts()).resolves.toEqual([
      'none',
      'none',
      'none',
      'none',
      'none',
    ]);
    await overTime.getByLabel('Adviser beside the team').selectOption({ label: 'Alex Adviser' });
    await overTime.getByRole('button', { name: 'Show over time' }).click();
    const alex = taylor.getByRole('table', { name: 'Alex Adviser, per week' });
    // Alex's one published review passed; the weeks it is not in read none.
    await alex.getByRole('cell', { name: '100% (1 of 1)' }).waitFor();
    const chart = taylor.getByRole('figure', {
      name: /^Average score per week: the team and Alex/,
    });
    // A line for the team and one for Alex; a week alone between empty ones is a dot.
    await chart.locator('.recharts-line-dot').first().waitFor();
    await expect(chart.locator('.recharts-line').count()).resolves.toBe(2);
    await taylor.getByLabel('Draw').selectOption({ label: 'Next steps good' });
    await taylor.getByRole('figure', { name: /^Next steps good per week/ }).waitFor();
    const items = taylor.getByRole('table', {
      name: /^Each item’s pass rate per week: Alex Adviser/,
    });
    await items.getByRole('rowheader').first().waitFor();
    await taylor.getByRole('heading', { name: 'Over time' }).scrollIntoViewIfNeeded();
    await screenshot(taylor, 'quality-report-trend-week', laptop);

    await overTime.getByLabel('By').selectOption({ label: 'Month' });
    await overTime.getByRole('button', { name: 'Show over time' }).click();
    const months = taylor.getByRole('table', { name: 'The team, per month' });
    await months.getByRole('row').nth(1).waitFor();
    // Twelve weeks back reaches into three or four months; the current one holds the reviews.
    const monthRows = await months.getByRole('row').count();
    expect(monthRows).toBeGreaterThanOrEqual(4);
    expect(monthRows).toBeLessThanOrEqual(5);
    await expect(
      months
        .getByRole('row')
        .nth(monthRows - 1)
        .getByRole('cell')
        .first()
        .innerText(),
    ).resolves.not.toBe('none');
    await taylor.getByRole('heading', { name: 'Over time' }).scrollIntoViewIfNeeded();
    await screenshot(taylor, 'quality-report-trend-month', laptop);

    // A range the server would refuse is told on the desk.
    await overTime.getByLabel('to (included)').fill('2020-01-01');
    await overTime.getByRole('button', { name: 'Show over time' }).click();
    await taylor.getByText('The end of the range comes before its start').waitFor();
    await signOut(taylor);
  });

  it('a team leader makes the form’s next version, is told what to put right, and publishes it', async (context) => {
    if (!browser) return context.skip();
    const taylor = await signInOnReaderDesk('demo-leader');
    const quality = new QualityPage(taylor);
    await quality.open('Forms');
    const versions = taylor.getByRole('table', { name: 'Versions of “Interaction quality”' });
    await versions.getByRole('row').nth(1).waitFor();
    await expect(versions.getByRole('row').count()).resolves.toBe(2);
    await taylor.getByRole('button', { name: 'Make version 2' }).click();
    const editor = quality.formEditor();
    await editor.getByRole('heading', { name: 'Version 2 of the form (draft)' }).waitFor();

    // A new item, written from the keyboard: the focus goes to its question.
    await editor.getByRole('button', { name: 'Add an item to section 1' }).click();
    await taylor.keyboard.type('Goals and career ideas were drawn out');
    const goals = quality.editorItem(/^Item 1\.2: Goals and career ideas were drawn out/);
    await expect(goals.getByLabel('Name in reports').inputValue()).resolves.toBe(
      'goals_and_career_ideas_were_drawn_out',
    );
    await goals.getByLabel(/^Weight/).fill('');
    await goals.getByLabel('A comment is needed').selectOption({
      label: 'Always, whatever the answer',
    });
    await goals.getByLabel('the contact was within remit').check();

    // Saving tells what is wrong, where, and takes the reader there.
    await editor.getByRole('button', { name: 'Save draft' }).click();
    const summary = editor.getByRole('alert');
    await summary.getByText(/One thing to put right before the form can be saved/).waitFor();
    await summary
      .getByRole('button', {
        name: 'Section 1 (“Starting point”), item 2 (“Goals and career ideas were drawn out”): Give the weight as a number',
      })
      .click();
    const weight = goals.getByLabel(/^Weight/);
    await expect(quality.focusedId()).resolves.toBe(await weight.getAttribute('id'));
    await expect(weight.getAttribute('aria-invalid')).resolves.toBe('true');
    await taylor.keyboard.type('1');
    // Moved up with its button: it is now the first item, where Move up can go no
    // further, so the focus stays with the item on its Move down.
    await goals.getByRole('button', { name: /^Move up/ }).click();
    const moved = quality.editorItem(/^Item 1\.1: Goals and career ideas were drawn out/);
    await moved.waitFor();
    await expect(moved.getByRole('button', { name: /^Move up/ }).isDisabled()).resolves.toBe(true);
    await expect(quality.focusedId()).resolves.toBe(
      await moved.getByRole('button', { name: /^Move down/ }).getAttribute('id'),
    );

    await editor.getByRole('button', { name: 'Save draft' }).click();
    await editor.getByText(/^Saved as a draft: version 2\./).waitFor();
    await editor.getByRole('button', { name: 'Publish version 2…' }).click();
    const confirm = editor.getByRole('alertdialog');
    await confirm.getByText(/it can never be changed afterwards/).waitFor();
    await confirm.getByRole('button', { name: 'Yes, publish version 2' }).click();
    await taylor
      .getByText('Version 2 of “Interaction quality” is published. Every new review uses it.')
      .waitFor();
    await versions
      .getByRole('row', { name: /^2 Published/ })
      .getByText(/Taylor Leader/)
      .first()
      .waitFor();
    await taylor.getByRole('button', { name: 'Make version 3' }).waitFor();
    await signOut(taylor);

    const token = await serverAccessToken(product, 'demo-adviser');
    const { forms } = formListSchema.parse((await api(token, '/api/quality/forms')).value);
    const published = forms.find((form) => form.version === 2);
    expect(published?.status).toBe('published');
    expect(published?.sections[0]?.items.map((item) => [item.id, item.commentRequired])).toEqual([
      ['goals_and_career_ideas_were_drawn_out', 'always'],
      ['status_captured', undefined],
    ]);
    expect(published?.sections[0]?.items[0]?.condition).toEqual({ when: 'within_remit' });
  });
});
