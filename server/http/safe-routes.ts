// The only way a route joins the central server's HTTP API: each is declared
// with who may call it (the public, the telephony side with its key, or staff
// allowed an action by the permission policy), and its handler runs only after
// that check has passed. The declarations are kept, so a test can walk every
// route against every role and docs/permissions.md.
import { createHash, timingSafeEqual } from 'node:crypto';
import type express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import type { StaffMember } from '../../shared/domain/people';
import { fail, type Result } from '../../shared/result';
import { bearerToken, type StaffAccess, type StaffAuth } from '../auth/staff-auth';
import { authorize, type Action } from '../permissions/policy';
import { sendResult } from './envelope';

export type HttpMethod = 'get' | 'post' | 'delete';

/** Who may call a route: `public`, `telephony` (the platform's key), or an action of the policy. */
export type RouteAccess = 'public' | 'telephony' | Action;

export interface DeclaredRoute {
  method: HttpMethod;
  path: string;
  access: RouteAccess;
}

type Handler<Caller> = (caller: Caller, request: Request, response: Response) => unknown;

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
  staff(method: HttpMethod, path: string, action: Action, handle: Handler<StaffMember>): void {
    // Express 5 hands a rejected promise to the error handler, which answers `internal`.
    this.declare(method, path, action, async (request, response) => {
      const access = await this.staffFrom(request);
      if (!access.ok) return sendResult(response, access);
      const allowed = authorize(access.value.staff, action);
      if (!allowed.ok) return sendResult(response, allowed);
      return handle(access.value.staff, request, response);
    });
  }

  /** A route for the telephony platform, proved by its key. */
  telephony(method: HttpMethod, path: string, handle: Handler<null>): void {
    this.declare(method, path, 'telephony', (request, response) => {
      const key = request.headers['x-telephony-key'];
      if (typeof key !== 'string' || !sameSecret(key, this.checks.telephonyKey)) {
        return sendResult(
          response,
          fail('unauthenticated', 'The telephony key is missing or wrong'),
        );
      }
      return handle(null, request, response);
    });
  }

  /** A route anyone may call: pages and answers that carry no personal data. */
  public(method: HttpMethod, path: string, handle: Handler<null>): void {
    this.declare(method, path, 'public', (request, response) => handle(null, request, response));
  }

  /** Public files under a path (the customer page's scripts and styles). */
  publicFiles(path: string, files: RequestHandler): void {
    this.declared.push({ method: 'get', path: `${path}/*`, access: 'public' });
    this.app.use(path, files);
  }

  private declare(
    method: HttpMethod,
    path: string,
    access: RouteAccess,
    handler: (request: Request, response: Response) => unknown,
  ): void {
    if (this.declared.some((route) => route.method === method && route.path === path)) {
      throw new Error(`${method.toUpperCase()} ${path} is declared twice`);
    }
    this.declared.push({ method, path, access });
    this.app[method](path, handler);
  }
}
