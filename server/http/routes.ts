// The central server's HTTP API: sign-in and access tokens, the simulated
// telephony side (behind its own key), listings, and a health check. Every
// route is declared with who may call it (./safe-routes.ts), every body is
// parsed with a schema from shared/ and answered with an envelope.
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import helmet from 'helmet';
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
import { authorize, listingFilter, type Action } from '../permissions/policy';
import type { KnowledgeService } from '../knowledge/service';
import { registerSafeguardingRoutes } from '../safeguarding/routes';
import type { ListFilter, ServerStorage } from '../storage/types';
import { registerHistoryRoutes } from '../history/routes';
import { registerDashboardRoutes } from '../dashboard/routes';
import { registerTrainingRoutes } from '../history/training-routes';
import { registerQualityRoutes, type QualityOptions } from '../quality/routes';
import { registerCallRecordingRoute } from '../telephony/recording';
import type { TelephonyPlatform } from '../telephony/types';
import { holdsNul } from '../socket/acks';
import { sendResult } from './envelope';
import { registerKnowledgeRoutes } from './knowledge-routes';
import { SafeRoutes, type DeclaredRoute } from './safe-routes';
import type { LogLine } from '../logging';

export interface HttpDependencies {
  auth: StaffAuth;
  storage: ServerStorage;
  telephony: TelephonyPlatform;
  telephonyKey: string;
  knowledge: KnowledgeService;
  /** Team leaders' view of the mail sink and failing transcripts (server/transcripts/routes.ts). */
  mailRoutes: (routes: SafeRoutes) => void;
  /** Whether this staff member has at least one desk connected right now. */
  hasConnectedDesk(staffId: string): Promise<boolean>;
  /** Follow-up calls (server/follow-ups/routes.ts). */
  followUpRoutes?: (routes: SafeRoutes) => void;
  /** The wrap-up outcome codes desks cache (server/wrap-up/outcome-codes.ts). */
  wrapUpRoutes?: (routes: SafeRoutes) => void;
  /** The customer chat page and service hours (server/chat/routes.ts). */
  chatRoutes?: (routes: SafeRoutes) => void;
  /** The call queue: calls with no adviser named, offered by routing (server/chat/service.ts). */
  callQueue?: {
    queueCall(cli: string | null): QueuedCall | Promise<QueuedCall>;
    callerLeftQueue(callId: string): boolean | Promise<boolean>;
  };
  /** Quality review: the dispute window and the weekly sample's size. */
  quality?: QualityOptions;
  log: LogLine;
}

export interface HttpApi {
  app: express.Express;
  /** Every route with who may call it, for the permission test and docs/permissions.md. */
  routes: readonly DeclaredRoute[];
}

/** The address a request came from, for per-client limits. */
export const clientAddress = (request: Request): string =>
  request.socket.remoteAddress ?? 'unknown';

export function createHttpApp(deps: HttpDependencies): HttpApi {
  const app = express();
  app.disable('x-powered-by');
  // Security headers on every answer from one place. The API's answers hold
  // personal data, so no cache on the way may keep them; the pages that need
  // a stricter policy (the chat and mail pages) set their own.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  app.use('/api', (_request, response, next) => {
    response.setHeader('cache-control', 'no-store');
    next();
  });
  app.use(express.json({ limit: limits.maxHttpBodyBytes }));
  app.use((request, response, next) => {
    // The path and query as sent (%00), and the parsed body.
    if (/%00/.test(request.originalUrl) || holdsNul([request.body])) {
      return sendResult(response, fail('invalid_input', 'The request holds a NUL character'));
    }
    next();
  });
  const routes = new SafeRoutes(app, { auth: deps.auth, telephonyKey: deps.telephonyKey });

  routes.public('get', '/healthz', (_caller, _request, response) =>
    sendResult(response, ok({ status: 'ok' as const })),
  );

  routes.public('post', '/api/session', async (_caller, request, response) => {
    sendResult(response, await deps.auth.signIn(request.body, clientAddress(request)));
  });

  // Both take the session token itself, not an access token: they are where access starts and ends.
  routes.public('post', '/api/session/token', async (_caller, request, response) => {
    sendResult(
      response,
      await deps.auth.issueAccessToken(bearerToken(request.headers.authorization)),
    );
  });

  routes.public('delete', '/api/session', async (_caller, request, response) => {
    sendResult(response, await deps.auth.signOut(bearerToken(request.headers.authorization)));
  });

  // A listing holds customers' personal data, so it needs that action too; the
  // narrower scope of the two filters what it returns.
  const listing =
    <T>(action: Action, list: (filter: ListFilter) => Promise<T[]>) =>
    async (staff: StaffMember, request: Request, response: Response) => {
      const query = parseInput(listQuerySchema, request.query, 'Listing query');
      if (!query.ok) return sendResult(response, query);
      const filter = listingFilter(staff, action, 'personal-data.read');
      if (!filter.ok) return sendResult(response, filter);
      const items = await list({ adviserId: filter.value.ownerId, limit: query.value.limit });
      sendResult(response, ok({ items }));
    };

  routes.staff(
    'get',
    '/api/interactions',
    'interaction.read',
    listing('interaction.read', (filter) => deps.storage.interactions.list(filter)),
  );
  routes.staff(
    'get',
    '/api/follow-ups',
    'follow-up.read',
    listing('follow-up.read', (filter) => deps.storage.followUps.list(filter)),
  );
  routes.staff(
    'get',
    '/api/transcripts',
    'transcript.read',
    listing('transcript.read', (filter) => deps.storage.transcripts.list(filter)),
  );

  routes.telephony('post', '/api/telephony/calls', async (_caller, request, response) => {
    const call = parseInput(telephonyCallRequestSchema, request.body, 'Call offer');
    if (!call.ok) return sendResult(response, call);
    const adviser = await deps.storage.accounts.findByUsername(call.value.adviser);
    if (!adviser || !authorize(adviser, 'live.take').ok) {
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
    const offer = await deps.telephony.offer(adviser.id, call.value.cli ?? null);
    if (!offer.ok) return sendResult(response, offer);
    deps.log(`call ${offer.value.callId} offered to ${adviser.username}`);
    const offered: TelephonyCallOffered = {
      callId: offer.value.callId,
      adviser: adviser.username,
      offeredAt: offer.value.offeredAt,
    };
    sendResult(response, ok(offered), 201);
  });

  routes.telephony(
    'post',
    '/api/telephony/calls/:callId/end',
    async (_caller, request, response) => {
      const path = parseInput(telephonyCallPathSchema, request.params, 'Call');
      if (!path.ok) return sendResult(response, path);
      // A caller who hangs up while still queued is an abandonment, not a call that ended.
      if (await deps.callQueue?.callerLeftQueue(path.value.callId)) {
        const left: CallEnded = {
          callId: path.value.callId,
          endedBy: 'customer',
          at: new Date().toISOString(),
        };
        return sendResult(response, ok(left));
      }
      const ended: Result<CallEnded> = await deps.telephony.end(
        path.value.callId,
        'customer',
        null,
      );
      sendResult(response, ended);
    },
  );

  routes.telephony('post', '/api/telephony/queue', async (_caller, request, response) => {
    if (!deps.callQueue) return sendResult(response, fail('unavailable', 'There is no call queue'));
    const call = parseInput(queuedCallRequestSchema, request.body ?? {}, 'Call');
    if (!call.ok) return sendResult(response, call);
    sendResult(response, ok(await deps.callQueue.queueCall(call.value.cli ?? null)), 201);
  });

  registerKnowledgeRoutes(routes, deps.knowledge);
  deps.chatRoutes?.(routes);
  registerCallRecordingRoute(routes, deps.storage.calls);
  registerHistoryRoutes(routes, {
    history: deps.storage.history,
    calls: deps.storage.calls,
    chats: deps.storage.chats,
  });
  registerTrainingRoutes(routes, {
    training: deps.storage.training,
    history: deps.storage.history,
    calls: deps.storage.calls,
  });
  registerQualityRoutes(routes, {
    ...deps.quality,
    quality: deps.storage.quality,
    history: deps.storage.history,
    calls: deps.storage.calls,
  });
  registerDashboardRoutes(routes, {
    dashboard: deps.storage.dashboard,
    quality: deps.storage.quality,
  });
  registerSafeguardingRoutes(routes, deps.storage.safeguarding);
  deps.mailRoutes(routes);
  deps.followUpRoutes?.(routes);
  deps.wrapUpRoutes?.(routes);

  app.use((_request, response) =>
    sendResult(response, fail('not_found', 'There is nothing at this address')),
  );

  const answerErrors: ErrorRequestHandler = (error: unknown, _request, response, _next) => {
    // A handler that failed after it began its answer cannot be answered again: end it.
    if (response.headersSent) {
      deps.log(
        `error after the answer began: ${error instanceof Error ? error.message : String(error)}`,
        'error',
      );
      response.destroy();
      return;
    }
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
      'error',
    );
    sendResult(response, fail('internal', 'Something went wrong on the central server'));
  };
  app.use(answerErrors);
  return { app, routes: routes.declared };
}
