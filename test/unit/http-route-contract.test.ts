// The HTTP contract (shared/wire/routes.ts): each route declared once, its
// path parameters matching its pattern, concrete paths built with every
// parameter encoded and the query read as the server reads it, and no desk
// code spelling an API path of its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineRoute,
  pathParamNames,
  queryString,
  routePath,
  type RouteContract,
} from '../../shared/wire/route-contract';
import { history, httpRoutes, quality, training } from '../../shared/wire/routes';
import { historyQuerySchema } from '../../shared/wire/history';

const everyRoute = (): [string, RouteContract][] =>
  Object.entries(httpRoutes).flatMap(([area, routes]) =>
    Object.entries(routes).map(([name, route]): [string, RouteContract] => [
      `${area}.${name}`,
      route,
    ]),
  );

const repository = new URL('../../', import.meta.url).pathname;

/** Every TypeScript source file under a folder of the repository. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(join(repository, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the HTTP contract', () => {
  it('declares each method and path once', () => {
    const seen = new Map<string, string>();
    for (const [name, route] of everyRoute()) {
      const key = `${route.method} ${route.path}`;
      expect(seen.get(key), `${name} repeats ${key}`).toBeUndefined();
      seen.set(key, name);
    }
    expect(seen.size).toBeGreaterThan(80);
  });

  it('gives every route with parameters a schema naming exactly those parameters', () => {
    for (const [name, route] of everyRoute()) {
      const names = pathParamNames(route.path).sort();
      if (names.length === 0) {
        expect(route.params, name).toBeUndefined();
        continue;
      }
      const schema = route.params;
      expect(schema instanceof z.ZodObject, name).toBe(true);
      if (schema instanceof z.ZodObject)
        expect(Object.keys(schema.shape).sort(), name).toEqual(names);
    }
  });

  it('names the input of every route that takes one, for its invalid_input message', () => {
    for (const [name, route] of everyRoute()) {
      if (route.params || route.query || route.body) expect(route.what, name).toBeTruthy();
    }
  });

  it('has a JSON answer schema for every API route, and a raw marker only for files and pages', () => {
    for (const [name, route] of everyRoute()) {
      if (typeof route.answer === 'string') {
        expect(['binary', 'page', 'files'], name).toContain(route.answer);
        if (route.answer !== 'binary') expect(route.path.startsWith('/api/'), name).toBe(false);
      } else {
        expect(route.answer instanceof z.ZodType, name).toBe(true);
      }
    }
  });
});

describe('routePath', () => {
  it('fills each parameter, percent-encoded so it cannot step into another segment', () => {
    expect(routePath(training.removeMark, { params: { id: 'a/../b', markId: 'x y?z#' } })).toBe(
      '/api/training/a%2F..%2Fb/marks/x%20y%3Fz%23',
    );
    expect(
      routePath(quality.publishFormVersion, { params: { formId: 'scorecard', version: 3 } }),
    ).toBe('/api/quality/forms/scorecard/versions/3/publish');
  });

  it('refuses at run time a parameter the types were told was there', () => {
    const unchecked: RouteContract = defineRoute({
      method: 'get',
      path: '/api/things/:id',
      answer: z.null(),
    });
    expect(() => routePath(unchecked, {})).toThrow(/needs its id/);
  });

  it('writes booleans as the server reads them, leaves out absent words, and no ? for none', () => {
    const path = routePath(history.list, {
      query: { text: 'exam results & more', safeguarding: true, withinRemit: false, limit: 25 },
    });
    expect(path).toBe(
      '/api/history?text=exam%20results%20%26%20more&safeguarding=true&withinRemit=false&limit=25',
    );
    const parsed = historyQuerySchema.parse(
      Object.fromEntries(new URLSearchParams(path.split('?')[1])),
    );
    expect(parsed).toMatchObject({
      text: 'exam results & more',
      safeguarding: true,
      withinRemit: false,
      limit: 25,
    });
    expect(routePath(history.list, { query: {} })).toBe('/api/history');
    expect(routePath(quality.forms, {})).toBe('/api/quality/forms');
    expect(queryString({ a: undefined, b: null, c: 0 })).toBe('c=0');
  });

  it('refuses in its types a call without the parameters, or with parts the route does not take', () => {
    // Never run: these lines are checked by the type-check, which fails if any compiles.
    const typeChecks = () => [
      // @ts-expect-error the review's id is missing
      routePath(quality.openReview, {}),
      // @ts-expect-error the mark needs markId as well
      routePath(training.removeMark, { params: { id: 'x' } }),
      // @ts-expect-error the version is a number as the server reads it
      routePath(quality.publishFormVersion, { params: { formId: 'f', version: 'three' } }),
      // @ts-expect-error the forms listing takes no parameters
      routePath(quality.forms, { params: { id: 'x' } }),
      // @ts-expect-error limit is read as a number
      routePath(history.list, { query: { limit: 'many' } }),
    ];
    expect(typeof typeChecks).toBe('function');
  });
});

describe('the desk and the renderer', () => {
  it('spell no API path of their own: every one comes from the contract', () => {
    const spelled = ['electron', 'renderer', 'customer/src']
      .flatMap(sourcesUnder)
      .filter((file) => /['"`]\/api\//.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(repository.length));
    expect(spelled).toEqual([]);
  });
});
