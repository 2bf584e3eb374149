// The only way a route joins the central server's HTTP API: each is a route
// of the contract in shared/wire/routes.ts, registered with who may call it
// (the public, the telephony side with its key, or staff allowed an action by
// the permission policy). Its handler runs only after that check has passed
// and its path parameters, query and body have parsed with the contract's
// schemas, and what it answers is typed by the contract's answer schema, so
// the server cannot send what the desk cannot read. The declarations are
// kept, so a test can walk every route against every role and
// docs/permissions.md.
import { createHash, timingSafeEqual } from 'node:crypto';
import type express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import type { StaffMember } from '../../shared/domain/people';
import { fail, parseInput, type Result } from '../../shared/result';
import type {
  HttpMethod,
  JsonRoute,
  RawRoute,
  RouteAnswerIn,
  RouteContract,
  RouteInput,
} from '../../shared/wire/route-contract';
import { bearerToken, type StaffAccess, type StaffAuth } from '../auth/staff-auth';
import { authorize, type Action } from '../permissions/policy';
import { sendResult } from './envelope';

export type { HttpMethod };
/** Who may call a route: `public`, `telephony` (the platform's key), or an action of the policy. */
export type RouteAccess = 'public' | 'telephony' | Action;

export interface DeclaredRoute {
  method: HttpMethod;
  path: string;
  access: RouteAccess;
}

/** Answers a route with an envelope of what its contract says it answers. */
export type Reply<T> = (result: Result<T>, successStatus?: number) => void;

type JsonHandler<R extends JsonRoute, Caller> = (
  caller: Caller,
  input: RouteInput<R>,
  reply: Reply<RouteAnswerIn<R>>,
  request: Request,
) => unknown;

/** A file or a page: the handler writes the answer itself. */
type RawHandler<R extends RawRoute, Caller> = (
  caller: Caller,
  input: RouteInput<R>,
  response: Response,
  request: Request,
) => unknown;

type Run<Caller> = (caller: Caller, request: Request, response: Response) => unknown;

export interface SafeRoutesChecks {
  auth: Pick<StaffAuth, 'authenticateAccess'>;
  telephonyKey: string;
}

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the key.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export class SafeRoutes {
  readonly declared: DeclaredRoute[] = [];

  constructor(
    private readonly app: express.Express,
    private readonly checks: SafeRoutesChecks,
  ) {}

  /** The signed-in staff member a request speaks for, or the envelope that says why not. */
  async staffFrom(request: Request): Promise<Result<StaffAccess>> {
    const access = await this.checks.auth.authenticateAccess(
      bearerToken(request.headers.authorization),
    );
    return access
      ? { ok: true, value: access }
      : fail('unauthenticated', 'Sign in first: the access token is missing, wrong or out of date');
  }

  /** A route for staff allowed `action`; finer checks (whose data) stay in the handler. */
  staff<R extends JsonRoute>(route: R, action: Action, handle: JsonHandler<R, StaffMember>): void {
    this.declare(route, action, this.forStaff(action, this.json(route, handle)));
  }

  /** A staff route that answers with a file (a call's recording) rather than JSON. */
  staffRaw<R extends RawRoute>(route: R, action: Action, handle: RawHandler<R, StaffMember>): void {
    this.declare(route, action, this.forStaff(action, this.raw(route, handle)));
  }

  /** A route for the telephony platform, proved by its key. */
  telephony<R extends JsonRoute>(route: R, handle: JsonHandler<R, null>): void {
    const run = this.json(route, handle);
    this.declare(route, 'telephony', (request, response) => {
      const key = request.headers['x-telephony-key'];
      if (typeof key !== 'string' || !sameSecret(key, this.checks.telephonyKey)) {
        return sendResult(
          response,
          fail('unauthenticated', 'The telephony key is missing or wrong'),
        );
      }
      return run(null, request, response);
    });
  }

  /** A route anyone may call: answers that carry no personal data. */
  public<R extends JsonRoute>(route: R, handle: JsonHandler<R, null>): void {
    const run = this.json(route, handle);
    this.declare(route, 'public', (request, response) => run(null, request, response));
  }

  /** A page anyone may load: it carries no data, and signs in to fetch any. */
  publicPage<R extends RawRoute & { answer: 'page' }>(route: R, handle: RawHandler<R, null>): void {
    const run = this.raw(route, handle);
    this.declare(route, 'public', (request, response) => run(null, request, response));
  }

  /** Public files under a path (the customer page's scripts and styles): `route.path` ends `/*`. */
  publicFiles(route: RawRoute & { answer: 'files' }, files: RequestHandler): void {
    if (!route.path.endsWith('/*')) throw new Error(`${route.path} does not name files under it`);
    this.record(route, 'public');
    this.app.use(route.path.slice(0, -2), files);
  }

  private forStaff(action: Action, run: Run<StaffMember>) {
    // Express 5 hands a rejected promise to the error handler, which answers `internal`.
    return async (request: Request, response: Response) => {
      const access = await this.staffFrom(request);
      if (!access.ok) return sendResult(response, access);
      const allowed = authorize(access.value.staff, action);
      if (!allowed.ok) return sendResult(response, allowed);
      return run(access.value.staff, request, response);
    };
  }

  private json<R extends JsonRoute, Caller>(route: R, handle: JsonHandler<R, Caller>): Run<Caller> {
    return (caller, request, response) => {
      const input = inputOf(route, request);
      if (!input.ok) return sendResult(response, input);
      const reply: Reply<RouteAnswerIn<R>> = (result, successStatus) =>
        sendResult(response, result, successStatus);
      return handle(caller, input.value, reply, request);
    };
  }

  private raw<R extends RawRoute, Caller>(route: R, handle: RawHandler<R, Caller>): Run<Caller> {
    return (caller, request, response) => {
      const input = inputOf(route, request);
      if (!input.ok) {
        // A page's address that names nothing is not there, rather than badly asked for.
        return sendResult(
          response,
          route.answer === 'page' ? fail('not_found', 'There is nothing at this address') : input,
        );
      }
      return handle(caller, input.value, response, request);
    };
  }

  private declare(
    route: RouteContract,
    access: RouteAccess,
    handler: (request: Request, response: Response) => unknown,
  ): void {
    this.record(route, access);
    this.app[route.method](route.path, handler);
  }

  private record({ method, path }: RouteContract, access: RouteAccess): void {
    if (this.declared.some((route) => route.method === method && route.path === path)) {
      throw new Error(`${method.toUpperCase()} ${path} is declared twice`);
    }
    this.declared.push({ method, path, access });
  }
}

/**
 * The path parameters, query and body as the route's schemas read them; the
 * first part that does not parse is the `invalid_input` answer.
 */
function inputOf<R extends RouteContract>(route: R, request: Request): Result<RouteInput<R>> {
  const what = route.what ?? 'The request';
  const parts = [
    ['params', route.params, request.params],
    ['query', route.query, request.query],
    ['body', route.body, request.body],
  ] as const;
  const input: Record<string, unknown> = {};
  for (const [part, schema, given] of parts) {
    if (!schema) continue;
    const parsed = parseInput(schema, given, what);
    if (!parsed.ok) return parsed;
    input[part] = parsed.value;
  }
  // Each part is its own schema's output, which is what RouteInput spells out in
  // types; TypeScript cannot follow a loop over the parts to see it.
  return { ok: true, value: input as unknown as RouteInput<R> };
}
