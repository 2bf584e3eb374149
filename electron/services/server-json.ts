// One JSON request from the desk services to the central server's HTTP API:
// a route of the contract (shared/wire/routes.ts) called with its typed path
// parameters, query and body, and the desk's token; its answer parsed against
// the result envelope of the route's answer schema. Never rejects: an
// unreachable server and an answer the desk cannot read are both results the
// caller shows.
import { fail, resultSchema, type Result } from '../../shared/result';
import {
  routePath,
  type JsonRoute,
  type RouteAnswer,
  type RouteCall,
} from '../../shared/wire/route-contract';

export interface ServerJsonOptions {
  serverUrl: string;
  fetch: typeof fetch;
  timeoutMs?: number;
}

/**
 * Calls `route`. The token is an access token, or for the routes where
 * access starts and ends the session token; null where none is needed.
 */
export async function serverJson<R extends JsonRoute>(
  options: ServerJsonOptions,
  route: R,
  call: RouteCall<R>,
  token: string | null,
): Promise<Result<RouteAnswer<R>>> {
  const { body } = call;
  let status: number;
  let answer: unknown;
  try {
    const response = await options.fetch(new URL(routePath(route, call), options.serverUrl), {
      method: route.method.toUpperCase(),
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    status = response.status;
    answer = await response.json().catch(() => undefined);
  } catch {
    return fail('unavailable', 'The central server cannot be reached');
  }
  const parsed = resultSchema(route.answer).safeParse(answer);
  if (!parsed.success) {
    return fail(
      status >= 500 || status === 404 ? 'unavailable' : 'internal',
      `The central server gave an answer the desk cannot read (HTTP ${status})`,
    );
  }
  return parsed.data as Result<RouteAnswer<R>>;
}
