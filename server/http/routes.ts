// The central server's HTTP API: sign-in and access tokens, the simulated
// telephony side (behind its own key), listings, and a health check. Every
// body is parsed with a schema from shared/ and answered with an envelope.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { StaffMember } from '../../shared/domain/people';
import { limits } from '../../shared/limits';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import {
  listQuerySchema,
  telephonyCallPathSchema,
  telephonyCallRequestSchema,
  type TelephonyCallOffered,
} from '../../shared/wire/http';
import { queuedCallRequestSchema, type QueuedCall } from '../../shared/wire/chat';
import type { CallEnded } from '../../shared/wire/socket';
import { bearerToken, type StaffAuth } from '../auth/staff-auth';
import type { KnowledgeService } from '../knowledge/service';
import type { ServerStorage } from '../storage/types';
import { registerCallRecordingRoute } from '../telephony/recording';
import type { TelephonyPlatform } from '../telephony/types';
import { sendResult } from './envelope';
import { registerKnowledgeRoutes } from './knowledge-routes';

export interface HttpDependencies {
  auth: StaffAuth;
  storage: ServerStorage;
  telephony: TelephonyPlatform;
  telephonyKey: string;
  knowledge: KnowledgeService;
  /** Team leaders' view of the mail sink and failing transcripts (server/transcripts/routes.ts). */
  mailRoutes: express.Router;
  /** Whether this staff member has at least one desk connected right now. */
  hasConnectedDesk(staffId: string): Promise<boolean>;
  /** The customer chat page and service hours (server/chat/routes.ts). */
  chatRoutes?: express.Router;
  /** The call queue: calls with no adviser named, offered by routing (server/chat/service.ts). */
  callQueue?: {
    queueCall(cli: string | null): QueuedCall;
    callerLeftQueue(callId: string): boolean;
  };
  log(line: string): void;
}

/** Roles that see every adviser's work, not only their own. */
const overseeingRoles = new Set(['team_leader', 'trainer']);

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the key.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function createHttpApp(deps: HttpDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: limits.maxHttpBodyBytes }));

  const staffFromAccess = (request: Request): Result<StaffMember> => {
    const staff = deps.auth.authenticateAccess(bearerToken(request.headers.authorization));
    return staff
      ? ok(staff)
      : fail('unauthenticated', 'Sign in first: the access token is missing, wrong or out of date');
  };

  const telephonyAllowed = (request: Request): boolean => {
    const key = request.headers['x-telephony-key'];
    return typeof key === 'string' && sameSecret(key, deps.telephonyKey);
  };

  app.get('/healthz', (_request, response) => sendResult(response, ok({ status: 'ok' as const })));

  app.post('/api/session', async (request, response) => {
    sendResult(response, await deps.auth.signIn(request.body));
  });

  app.post('/api/session/token', (request, response) => {
    sendResult(response, deps.auth.issueAccessToken(bearerToken(request.headers.authorization)));
  });

  app.delete('/api/session', (request, response) => {
    sendResult(response, deps.auth.signOut(bearerToken(request.headers.authorization)));
  });

  const listing =
    <T>(list: (filter: { adviserId: string | null; limit: number }) => T[]) =>
    (request: Request, response: Response) => {
      const staff = staffFromAccess(request);
      if (!staff.ok) return sendResult(response, staff);
      const query = parseInput(listQuerySchema, request.query, 'Listing query');
      if (!query.ok) return sendResult(response, query);
      const seesAll = staff.value.roles.some((role) => overseeingRoles.has(role));
      const items = list({ adviserId: seesAll ? null : staff.value.id, limit: query.value.limit });
      sendResult(response, ok({ items }));
    };

  app.get(
    '/api/interactions',
    listing((filter) => deps.storage.interactions.list(filter)),
  );
  app.get(
    '/api/follow-ups',
    listing((filter) => deps.storage.followUps.list(filter)),
  );
  app.get(
    '/api/transcripts',
    listing((filter) => deps.storage.transcripts.list(filter)),
  );

  app.post('/api/telephony/calls', async (request, response) => {
    if (!telephonyAllowed(request)) {
      return sendResult(response, fail('unauthenticated', 'The telephony key is missing or wrong'));
    }
    const call = parseInput(telephonyCallRequestSchema, request.body, 'Call offer');
    if (!call.ok) return sendResult(response, call);
    const adviser = deps.storage.accounts.findByUsername(call.value.adviser);
    if (!adviser || !adviser.roles.includes('adviser')) {
      return sendResult(
        response,
        fail('not_found', `There is no adviser with the username ${call.value.adviser}`),
      );
    }
    if (!(await deps.hasConnectedDesk(adviser.id))) {
      return sendResult(
        response,
        fail(
          'conflict',
          `${adviser.username} is not signed in on any desk, so the call cannot ring anywhere`,
        ),
      );
    }
    const offer = deps.telephony.offer(adviser.id, call.value.cli ?? null);
    if (!offer.ok) return sendResult(response, offer);
    deps.log(`call ${offer.value.callId} offered to ${adviser.username}`);
    const offered: TelephonyCallOffered = {
      callId: offer.value.callId,
      adviser: adviser.username,
      offeredAt: offer.value.offeredAt,
    };
    sendResult(response, ok(offered), 201);
  });

  app.post('/api/telephony/calls/:callId/end', (request, response) => {
    if (!telephonyAllowed(request)) {
      return sendResult(response, fail('unauthenticated', 'The telephony key is missing or wrong'));
    }
    const path = parseInput(telephonyCallPathSchema, request.params, 'Call');
    if (!path.ok) return sendResult(response, path);
    // A caller who hangs up while still queued is an abandonment, not a call that ended.
    if (deps.callQueue?.callerLeftQueue(path.value.callId)) {
      const left: CallEnded = {
        callId: path.value.callId,
        endedBy: 'customer',
        at: new Date().toISOString(),
      };
      return sendResult(response, ok(left));
    }
    const ended: Result<CallEnded> = deps.telephony.end(path.value.callId, 'customer', null);
    sendResult(response, ended);
  });

  app.post('/api/telephony/queue', (request, response) => {
    if (!telephonyAllowed(request)) {
      return sendResult(response, fail('unauthenticated', 'The telephony key is missing or wrong'));
    }
    if (!deps.callQueue) return sendResult(response, fail('unavailable', 'There is no call queue'));
    const call = parseInput(queuedCallRequestSchema, request.body ?? {}, 'Call');
    if (!call.ok) return sendResult(response, call);
    sendResult(response, ok(deps.callQueue.queueCall(call.value.cli ?? null)), 201);
  });

  registerKnowledgeRoutes(app, deps.knowledge, staffFromAccess);
  if (deps.chatRoutes) app.use(deps.chatRoutes);
  registerCallRecordingRoute(app, deps.storage.calls, staffFromAccess);
  app.use(deps.mailRoutes);

  app.use((_request, response) =>
    sendResult(response, fail('not_found', 'There is nothing at this address')),
  );

  const answerErrors: ErrorRequestHandler = (error: unknown, _request, response, _next) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') {
      return sendResult(
        response,
        fail(
          'payload_too_large',
          `The request body is larger than ${limits.maxHttpBodyBytes} bytes`,
        ),
      );
    }
    if (type === 'entity.parse.failed')
      return sendResult(response, fail('invalid_input', 'The request body is not valid JSON'));
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendResult(response, fail('invalid_input', 'The request could not be read'));
    }
    deps.log(
      `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    sendResult(response, fail('internal', 'Something went wrong on the central server'));
  };
  app.use(answerErrors);
  return app;
}
