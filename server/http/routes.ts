// The central server's HTTP API: sign-in and access tokens, the simulated
// telephony side (behind its own key), listings, and a health check. Every
// route is a route of the contract (shared/wire/routes.ts) declared with who
// may call it (./safe-routes.ts): its input is parsed with the contract's
// schemas before a handler runs, and every answer is an envelope.
import express, { type ErrorRequestHandler, type Request } from 'express';
import helmet from 'helmet';
import type { StaffMember } from '../../shared/domain/people';
import { serverApiPolicy } from '../../shared/http/security-headers';
import { limits } from '../../shared/limits';
import { fail, ok, type Result } from '../../shared/result';
import type { ListQuery, TelephonyCallOffered } from '../../shared/wire/http';
import type { QueuedCall } from '../../shared/wire/chat';
import { httpRoutes } from '../../shared/wire/routes';
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
  // helmet sends the well-known headers nobody here needs to choose (HSTS,
  // X-Frame-Options and the like). Every policy we do choose is the shared
  // module's, so helmet's default directives must not be merged into it. The
  // chat and mail pages put their own policies over this one.
  app.use(
    helmet({ contentSecurityPolicy: { useDefaults: false, directives: serverApiPolicy.csp } }),
  );
  app.use('/api', (_request, response, next) => {
    response.set(serverApiPolicy.headers);
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

  routes.public(httpRoutes.health.check, (_caller, _input, reply) => reply(ok({ status: 'ok' })));

  routes.public(httpRoutes.session.signIn, async (_caller, { body }, reply, request) => {
    reply(await deps.auth.signIn(body, clientAddress(request)));
  });

  // Both take the session token itself, not an access token: they are where access starts and ends.
  routes.public(httpRoutes.session.accessToken, async (_caller, _input, reply, request) => {
    reply(await deps.auth.issueAccessToken(bearerToken(request.headers.authorization)));
  });

  routes.public(httpRoutes.session.signOut, async (_caller, _input, reply, request) => {
    reply(await deps.auth.signOut(bearerToken(request.headers.authorization)));
  });

  // A listing holds customers' personal data, so it needs that action too; the
  // narrower scope of the two filters what it returns.
  const listing =
    <T>(action: Action, list: (filter: ListFilter) => Promise<T[]>) =>
    async (
      staff: StaffMember,
      { query }: { query: ListQuery },
      reply: (result: Result<{ items: T[] }>) => void,
    ) => {
      const filter = listingFilter(staff, action, 'personal-data.read');
      if (!filter.ok) return reply(filter);
      const items = await list({ adviserId: filter.value.ownerId, limit: query.limit });
      reply(ok({ items }));
    };

  routes.staff(
    httpRoutes.history.interactions,
    'interaction.read',
    listing('interaction.read', (filter) => deps.storage.interactions.list(filter)),
  );
  routes.staff(
    httpRoutes.followUps.list,
    'follow-up.read',
    listing('follow-up.read', (filter) => deps.storage.followUps.list(filter)),
  );
  routes.staff(
    httpRoutes.transcripts.list,
    'transcript.read',
    listing('transcript.read', (filter) => deps.storage.transcripts.list(filter)),
  );

  routes.telephony(httpRoutes.telephony.offerCall, async (_caller, { body: call }, reply) => {
    const adviser = await deps.storage.accounts.findByUsername(call.adviser);
    if (!adviser || !authorize(adviser, 'live.take').ok) {
      return reply(fail('not_found', `There is no adviser with the username ${call.adviser}`));
    }
    if (!(await deps.hasConnectedDesk(adviser.id))) {
      return reply(
        fail(
          'conflict',
          `${adviser.username} is not signed in on any desk, so the call cannot ring anywhere`,
        ),
      );
    }
    const offer = await deps.telephony.offer(adviser.id, call.cli ?? null);
    if (!offer.ok) return reply(offer);
    deps.log(`call ${offer.value.callId} offered to ${adviser.username}`);
    const offered: TelephonyCallOffered = {
      callId: offer.value.callId,
      adviser: adviser.username,
      offeredAt: offer.value.offeredAt,
    };
    reply(ok(offered), 201);
  });

  routes.telephony(httpRoutes.telephony.endCall, async (_caller, { params }, reply) => {
    // A caller who hangs up while still queued is an abandonment, not a call that ended.
    if (await deps.callQueue?.callerLeftQueue(params.callId)) {
      const left: CallEnded = {
        callId: params.callId,
        endedBy: 'customer',
        at: new Date().toISOString(),
      };
      return reply(ok(left));
    }
    reply(await deps.telephony.end(params.callId, 'customer', null));
  });

  routes.telephony(httpRoutes.telephony.queueCall, async (_caller, { body: call }, reply) => {
    if (!deps.callQueue) return reply(fail('unavailable', 'There is no call queue'));
    reply(ok(await deps.callQueue.queueCall(call.cli ?? null)), 201);
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
