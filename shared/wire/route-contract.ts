// What one route of the central server's HTTP API is, declared once for both
// ends (./routes.ts): its method, its path pattern (Express style, `:name`
// for each parameter), the schemas of what it takes, and the schema of the
// `value` its result envelope carries. The server parses with these before a
// handler runs; the desk builds its paths from them and parses the answer
// with them, so neither side spells a path or guesses a shape.
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'delete';

/**
 * Answers that are not a result envelope of JSON: `binary` is a file (a
 * call's recording), `page` an HTML page, `files` the static files under a
 * path. A refusal is still an envelope.
 */
export type RawAnswer = 'binary' | 'page' | 'files';

export interface RouteContract {
  readonly method: HttpMethod;
  readonly path: string;
  /** Names the input in an `invalid_input` message: "Review is not valid". */
  readonly what?: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** The schema of the envelope's `value`, or what kind of raw answer it is. */
  readonly answer: z.ZodType | RawAnswer;
}

export type JsonRoute = RouteContract & { readonly answer: z.ZodType };
export type RawRoute = RouteContract & { readonly answer: RawAnswer };

/** Declares a route, keeping its literal path and its schemas' own types. */
export const defineRoute = <const R extends RouteContract>(route: R): R => route;

/** The `:name` parameters of a path pattern, as a union of their names. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type Parsed<R, K extends 'params' | 'query' | 'body'> = R extends {
  readonly [P in K]: infer S extends z.ZodType;
}
  ? z.output<S>
  : undefined;

/** What a handler is given: each part of the request as its schema parsed it. */
export interface RouteInput<R extends RouteContract> {
  params: Parsed<R, 'params'>;
  query: Parsed<R, 'query'>;
  body: Parsed<R, 'body'>;
}

/** The parameters a path needs: as the server will read them, or one string per `:name`. */
export type RouteParams<R extends RouteContract> = R extends {
  readonly params: infer S extends z.ZodType;
}
  ? z.output<S>
  : [PathParamNames<R['path']>] extends [never]
    ? undefined
    : Record<PathParamNames<R['path']>, string>;

/**
 * The query a caller may send: optional where the server has a default, and
 * each word of the type the server reads it as (a query string carries only
 * text, so the server coerces it back).
 */
export type RouteQuery<R extends RouteContract> = R extends {
  readonly query: infer S extends z.ZodType;
}
  ? { [K in keyof z.input<S>]: K extends keyof z.output<S> ? z.output<S>[K] : never }
  : undefined;

export type RouteBody<R extends RouteContract> = R extends {
  readonly body: infer S extends z.ZodType;
}
  ? z.input<S>
  : undefined;

/** What the server may send as a route's `value`: anything its schema accepts. */
export type RouteAnswerIn<R extends JsonRoute> = z.input<R['answer']>;
/** What the desk reads from a route's `value`, once parsed. */
export type RouteAnswer<R extends JsonRoute> = z.output<R['answer']>;

// A part the route does not take cannot be passed; one it needs cannot be left out.
type Slot<K extends string, T> = [T] extends [undefined]
  ? { readonly [P in K]?: never }
  : object extends T
    ? { readonly [P in K]?: T }
    : { readonly [P in K]: T };

/** A call of a route: its path parameters, query and body, each typed by the contract. */
export type RouteCall<R extends RouteContract> = Slot<'params', RouteParams<R>> &
  Slot<'query', RouteQuery<R>> &
  Slot<'body', RouteBody<R>>;

type QueryWord = string | number | boolean | null | undefined;

/**
 * Query-string words as the server's query schemas read them: booleans as
 * `true`/`false`, numbers in figures, and nothing at all for an absent one.
 */
export function queryString(input: Readonly<Record<string, QueryWord>>): string {
  // Built by hand: shared code runs where URLSearchParams may not be declared.
  return Object.entries(input)
    .flatMap(([key, value]) => {
      if (value === undefined || value === null) return [];
      const word = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
      return [`${encodeURIComponent(key)}=${encodeURIComponent(word)}`];
    })
    .join('&');
}

const isQueryWords = (value: unknown): value is Readonly<Record<string, QueryWord>> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every(
    (word) => word === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof word),
  );

/**
 * The concrete path of a route: each `:name` replaced by its parameter,
 * percent-encoded so a value cannot step into another segment, then the query.
 */
export function routePath<R extends RouteContract>(
  route: R,
  call: Pick<RouteCall<R>, 'params' | 'query'>,
): string {
  const params: Readonly<Record<string, unknown>> = call.params ?? {};
  const path = route.path.replace(/:([A-Za-z]\w*)/g, (_match, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new Error(`${route.method.toUpperCase()} ${route.path} needs its ${name}`);
    }
    return encodeURIComponent(String(value));
  });
  const query: unknown = call.query;
  if (query !== undefined && !isQueryWords(query)) {
    throw new Error(`${route.method.toUpperCase()} ${route.path} has a query it cannot send`);
  }
  const words = query === undefined ? '' : queryString(query);
  return words ? `${path}?${words}` : path;
}

/** The `:name` parameters of a path pattern, in order. */
export const pathParamNames = (path: string): string[] =>
  [...path.matchAll(/:([A-Za-z]\w*)/g)].map((match) => match[1] ?? '');
