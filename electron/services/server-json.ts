// One JSON request from the desk services to the central server's HTTP API,
// with the desk's access token, its answer parsed against the result envelope
// of the expected schema. Never rejects: an unreachable server and an answer
// the desk cannot read are both results the caller shows.
import type { z } from 'zod';
import { fail, resultSchema, type Result } from '../../shared/result';

export interface ServerJsonOptions {
  serverUrl: string;
  fetch: typeof fetch;
  timeoutMs?: number;
}

export async function serverJson<T extends z.ZodType>(
  options: ServerJsonOptions,
  request: { method: string; path: string; token: string; body?: unknown },
  schema: T,
): Promise<Result<z.output<T>>> {
  const { method, path, token, body } = request;
  let status: number;
  let answer: unknown;
  try {
    const response = await options.fetch(new URL(path, options.serverUrl), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
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
  const parsed = resultSchema(schema).safeParse(answer);
  if (!parsed.success) {
    return fail(
      status >= 500 || status === 404 ? 'unavailable' : 'internal',
      `The central server gave an answer the desk cannot read (HTTP ${status})`,
    );
  }
  return parsed.data as Result<z.output<T>>;
}
