// The permission policy, end to end: docs/permissions.md shows exactly the
// rules, routes and events the code has, and the running server answers every
// route and every event, as each role and as an anonymous caller, the way
// those tables say.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { actions, authorize, outboxAction, type Action } from '../../server/permissions/policy';
import { actionTable, eventTable, routeTable } from '../../server/permissions/tables';
import { deskEventAccess, type DeskEventName } from '../../server/socket/event-access';
import { roles, type Role, type StaffMember } from '../../shared/domain/people';
import { outboxKinds } from '../../shared/wire/outbox';
import { describeEachEngine } from '../support/storage';
import { startTestServer, type TestDeskSocket, type TestServer } from './server-harness';

/** Listings whose rows hold customers' personal data: they need `personal-data.read` as well. */
const personalDataListings = new Set([
  'get /api/interactions',
  'get /api/follow-ups',
  'get /api/transcripts',
]);

const document = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
const password = 'one-role-staff-password';

let harness: TestServer;
/** A staff member holding exactly one role, for each role. */
const staff = new Map<Role, { member: StaffMember; accessToken: string; desk: TestDeskSocket }>();

const held = (role: Role) => {
  const found = staff.get(role);
  if (!found) throw new Error(`no staff member for ${role}`);
  return found;
};

describe('docs/permissions.md', () => {
  it('shows the policy’s actions by role, every route and every event as the code has them', async () => {
    const server = await startTestServer();
    try {
      expect(document).toContain(actionTable());
      expect(document).toContain(routeTable(server.server.routes));
      expect(document).toContain(eventTable());
    } finally {
      await server.close();
    }
  });

  it('names every action in the rules, and every action is given to some role', () => {
    for (const action of actions) {
      expect(roles.some((role) => authorize({ id: 'x', roles: [role] }, action).ok)).toBe(true);
    }
  });
});

describeEachEngine('the running server', (_open, engine) => {
  beforeAll(async () => {
    staff.clear();
    harness = await startTestServer({ engine });
    const passwordHash = await hashPassword(password);
    for (const role of roles) {
      const member = await harness.server.storage.accounts.create({
        username: `only-${role.replace('_', '-')}`,
        displayName: `Only ${role}`,
        roles: [role],
        passwordHash,
      });
      const { accessToken } = await harness.signIn(member.username, password);
      const attempt = await harness.tryConnect({ token: accessToken, deskId: randomUUID() });
      if (!('socket' in attempt)) throw new Error(`${role} could not connect: ${attempt.refused}`);
      staff.set(role, { member, accessToken, desk: attempt.socket });
    }
  });

  afterAll(async () => {
    await harness.close();
  });

  describe('every route, as every role and as nobody', () => {
    /** A path with its parameters filled with an id that names nothing. */
    const concrete = (path: string) =>
      path.replace(/:[a-zA-Z]+/g, randomUUID()).replace(/\/\*$/, '/no-such-file.js');

    const takesSessionToken = (method: string, path: string) =>
      (method === 'post' && path === '/api/session/token') ||
      (method === 'delete' && path === '/api/session');

    async function call(method: string, path: string, accessToken: string | null) {
      const response = await fetch(`${harness.server.url}${concrete(path)}`, {
        method: method.toUpperCase(),
        headers: {
          ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
          ...(method === 'get' ? {} : { 'content-type': 'application/json' }),
        },
        ...(method === 'get' ? {} : { body: '{}' }),
      });
      await response.arrayBuffer();
      return response;
    }

    /**
     * The route's own action, and for the listings that carry customers'
     * personal data, `personal-data.read` too (docs/permissions.md): a trainer
     * reads interactions, but only through the history, which hides it.
     */
    const mayCall = (member: StaffMember, method: string, path: string, access: Action) =>
      authorize(member, access).ok &&
      (!personalDataListings.has(`${method} ${path}`) ||
        authorize(member, 'personal-data.read').ok);

    it('answers each as the policy says, with no-store and nosniff on every API answer', async () => {
      let checked = 0;
      for (const route of harness.server.routes) {
        const anonymous = await call(route.method, route.path, null);
        if (route.path.startsWith('/api')) {
          expect(anonymous.headers.get('cache-control'), route.path).toBe('no-store');
        }
        expect(anonymous.headers.get('x-content-type-options'), route.path).toBe('nosniff');
        if (route.access === 'public') {
          const label = `${route.method} ${route.path} is public`;
          expect(anonymous.status, label).not.toBe(403);
          // Exchanging and ending a session take the session token itself: without one, 401 is their answer.
          if (!takesSessionToken(route.method, route.path))
            expect(anonymous.status, label).not.toBe(401);
          checked += 1;
          continue;
        }
        expect(anonymous.status, `${route.method} ${route.path} as nobody`).toBe(401);
        for (const role of roles) {
          const answer = await call(route.method, route.path, held(role).accessToken);
          const label = `${route.method} ${route.path} as ${role}`;
          if (route.access === 'telephony') {
            expect(answer.status, label).toBe(401);
          } else if (mayCall(held(role).member, route.method, route.path, route.access)) {
            expect([401, 403], label).not.toContain(answer.status);
          } else {
            expect(answer.status, label).toBe(403);
          }
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(harness.server.routes.length);
    });
  });

  describe('the interaction history, as every role', () => {
    /** The status each role gets from each history route, with an id that names nothing. */
    const expected: Record<string, Record<Role, number>> = {
      'GET /api/history': { adviser: 200, team_leader: 200, trainer: 200, knowledge_editor: 403 },
      // Allowed to ask: the unknown id is not found.
      'GET /api/history/:id': {
        adviser: 404,
        team_leader: 404,
        trainer: 404,
        knowledge_editor: 403,
      },
      // Allowed to ask: the missing reason is refused before anything is looked up.
      'POST /api/history/:id/original': {
        adviser: 400,
        team_leader: 400,
        trainer: 403,
        knowledge_editor: 403,
      },
      'GET /api/audit/personal-data': {
        adviser: 403,
        team_leader: 200,
        trainer: 403,
        knowledge_editor: 403,
      },
    };

    it('answers each history route as the policy says', async () => {
      const declared = harness.server.routes
        .filter((route) => /^\/api\/(history|audit)/.test(route.path))
        .map((route) => `${route.method.toUpperCase()} ${route.path}`)
        .sort();
      expect(declared).toEqual(Object.keys(expected).sort());
      for (const [route, statuses] of Object.entries(expected)) {
        const [method = 'GET', path = ''] = route.split(' ');
        for (const role of roles) {
          const response = await fetch(
            `${harness.server.url}${path.replace(':id', randomUUID())}`,
            {
              method,
              headers: {
                authorization: `Bearer ${held(role).accessToken}`,
                ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
              },
              ...(method === 'POST' ? { body: '{}' } : {}),
            },
          );
          await response.arrayBuffer();
          expect(response.status, `${route} as ${role}`).toBe(statuses[role]);
        }
      }
    });
  });

  describe('the training library, as every role', () => {
    /** The status each role gets from each library route, with ids that name nothing. */
    const expected: Record<string, Record<Role, number>> = {
      'GET /api/training': { adviser: 200, team_leader: 200, trainer: 200, knowledge_editor: 403 },
      // Allowed to ask: the unknown entry is not found.
      'GET /api/training/:id': {
        adviser: 404,
        team_leader: 404,
        trainer: 404,
        knowledge_editor: 403,
      },
      'GET /api/training/:id/recording': {
        adviser: 404,
        team_leader: 404,
        trainer: 404,
        knowledge_editor: 403,
      },
      // Allowed to curate: the empty body is refused before anything is looked up.
      'POST /api/training/:id': {
        adviser: 403,
        team_leader: 400,
        trainer: 400,
        knowledge_editor: 403,
      },
      'DELETE /api/training/:id': {
        adviser: 403,
        team_leader: 404,
        trainer: 404,
        knowledge_editor: 403,
      },
      'POST /api/training/:id/clearance': {
        adviser: 403,
        team_leader: 400,
        trainer: 403,
        knowledge_editor: 403,
      },
      'POST /api/training/:id/marks': {
        adviser: 403,
        team_leader: 400,
        trainer: 400,
        knowledge_editor: 403,
      },
      'DELETE /api/training/:id/marks/:markId': {
        adviser: 403,
        team_leader: 404,
        trainer: 404,
        knowledge_editor: 403,
      },
    };

    it('answers each library route as the policy says', async () => {
      const declared = harness.server.routes
        .filter((route) => route.path.startsWith('/api/training'))
        .map((route) => `${route.method.toUpperCase()} ${route.path}`)
        .sort();
      expect(declared).toEqual(Object.keys(expected).sort());
      for (const [route, statuses] of Object.entries(expected)) {
        const [method = 'GET', path = ''] = route.split(' ');
        const url = path.replace(':id', randomUUID()).replace(':markId', randomUUID());
        for (const role of roles) {
          const response = await fetch(`${harness.server.url}${url}`, {
            method,
            headers: {
              authorization: `Bearer ${held(role).accessToken}`,
              ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
            },
            ...(method === 'POST' ? { body: '{}' } : {}),
          });
          await response.arrayBuffer();
          expect(response.status, `${route} as ${role}`).toBe(statuses[role]);
        }
      }
    });
  });

  describe('quality review, as every role', () => {
    const only = (role: Role, allowed: number): Record<Role, number> => ({
      adviser: 403,
      team_leader: 403,
      trainer: 403,
      knowledge_editor: 403,
      [role]: allowed,
    });
    /**
     * The status each role gets from each quality route, with ids that name
     * nothing and an empty body: team leaders review, resolve, sample,
     * calibrate, report, edit forms, pass reviews on and set targets;
     * advisers read, acknowledge, dispute and flag their own, and read their
     * own targets; trainers and knowledge editors have no part.
     */
    const expected: Record<string, Record<Role, number>> = {
      'GET /api/quality/forms': { ...only('adviser', 200), team_leader: 200 },
      'GET /api/quality/reviews': { ...only('adviser', 200), team_leader: 200 },
      'POST /api/quality/reviews': only('team_leader', 400),
      // Allowed to ask: the unknown review is not found.
      'GET /api/quality/reviews/:id': { ...only('adviser', 404), team_leader: 404 },
      // Allowed to write: the missing answers are refused before anything is looked up.
      'POST /api/quality/reviews/:id/draft': only('team_leader', 400),
      'POST /api/quality/reviews/:id/publish': only('team_leader', 400),
      // An empty acknowledgement is a valid one (the comment is optional): the review is not found.
      'POST /api/quality/reviews/:id/acknowledgement': only('adviser', 404),
      'POST /api/quality/reviews/:id/disputes': only('adviser', 400),
      // A uuid is not an item id.
      'POST /api/quality/reviews/:id/disputes/:itemId/resolution': only('team_leader', 400),
      'POST /api/quality/flags': only('adviser', 400),
      'GET /api/quality/samples': only('team_leader', 200),
      'POST /api/quality/samples': only('team_leader', 400),
      'GET /api/quality/samples/:id': only('team_leader', 404),
      'GET /api/quality/calibration': only('team_leader', 200),
      'POST /api/quality/calibration': only('team_leader', 400),
      'GET /api/quality/calibration/:id': only('team_leader', 404),
      'GET /api/quality/reviewers': only('team_leader', 200),
      'POST /api/quality/calibration/:id/close': only('team_leader', 404),
      // Allowed to read: the missing range is refused.
      'GET /api/quality/reports': only('team_leader', 400),
      'GET /api/quality/reports/trend': only('team_leader', 400),
      'GET /api/quality/agreement': only('team_leader', 400),
      // A uuid is not a form's name: refused before anything is looked up.
      'POST /api/quality/forms/:formId/draft': only('team_leader', 400),
      'POST /api/quality/forms/:formId/versions/:version/publish': only('team_leader', 400),
      // The missing team leader and reason are refused before the review is looked up.
      'POST /api/quality/reviews/:id/reassignment': only('team_leader', 400),
      'GET /api/quality/advisers': only('team_leader', 200),
      // Advisers read their own targets; team leaders everyone's, and set and withdraw them.
      'GET /api/quality/targets': { ...only('adviser', 200), team_leader: 200 },
      'POST /api/quality/targets': only('team_leader', 400),
      'POST /api/quality/targets/:id/withdrawal': only('team_leader', 400),
    };

    it('answers each quality route as the policy says', async () => {
      const declared = harness.server.routes
        .filter((route) => route.path.startsWith('/api/quality'))
        .map((route) => `${route.method.toUpperCase()} ${route.path}`)
        .sort();
      expect(declared).toEqual(Object.keys(expected).sort());
      for (const [route, statuses] of Object.entries(expected)) {
        const [method = 'GET', path = ''] = route.split(' ');
        const url = path.replace(/:[a-zA-Z]+/g, () => randomUUID());
        for (const role of roles) {
          const response = await fetch(`${harness.server.url}${url}`, {
            method,
            headers: {
              authorization: `Bearer ${held(role).accessToken}`,
              ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
            },
            ...(method === 'POST' ? { body: '{}' } : {}),
          });
          await response.arrayBuffer();
          expect(response.status, `${route} as ${role}`).toBe(statuses[role]);
        }
      }
    });
  });

  describe('every desk event, as every role', () => {
    const emit = (desk: TestDeskSocket, event: DeskEventName, payload: unknown) =>
      new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => {
        (desk.emit as (name: string, ...args: unknown[]) => void)(event, payload, resolve);
      });

    it('refuses each event a role may not send, and lets through each it may', async () => {
      for (const [event, access] of Object.entries(deskEventAccess) as [
        DeskEventName,
        (typeof deskEventAccess)[DeskEventName],
      ][]) {
        if (access === 'outbox') continue;
        for (const role of roles) {
          const answer = await emit(held(role).desk, event, {});
          const label = `${event} as ${role}`;
          if (authorize(held(role).member, access).ok) {
            expect(['forbidden', 'unauthenticated'], label).not.toContain(answer.error?.code);
          } else {
            expect(answer.error?.code, label).toBe('forbidden');
          }
        }
      }
    });

    it('authorises every outbox kind by its own action before looking at the payload', async () => {
      for (const kind of outboxKinds) {
        for (const role of roles) {
          const answer = await emit(held(role).desk, 'outbox:deliver', {
            id: randomUUID(),
            kind,
            stream: `permissions:${kind}`,
            payload: {},
          });
          const label = `outbox ${kind} as ${role}`;
          if (authorize(held(role).member, outboxAction[kind]).ok) {
            expect(answer.error?.code, label).toBe('invalid_input');
          } else {
            expect(answer.error?.code, label).toBe('forbidden');
          }
        }
      }
    });

    it('refuses a desk with no sign-in at the handshake', async () => {
      expect(await harness.tryConnect({ deskId: randomUUID() })).toEqual({
        refused: 'unauthenticated',
      });
    });

    it('offers live work only to those who take it: a trainer cannot become available', async () => {
      const trainer = held('trainer');
      expect(
        await emit(trainer.desk, 'adviser:availability', { availability: 'available' }),
      ).toEqual({
        ok: false,
        error: { code: 'forbidden', message: expect.stringContaining('advisers only') },
      });
    });
  });
});
