// The running server registers exactly the routes of the HTTP contract
// (shared/wire/routes.ts): none it serves is missing from the contract, and
// none declared there is left unserved. Started with a simulated clock, so the
// clock route the contract declares for training and tests is served too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes } from '../../shared/wire/routes';
import { startTestServer, type TestServer } from './server-harness';

let harness: TestServer;

beforeAll(async () => {
  harness = await startTestServer({ simulatedClock: true });
});

afterAll(async () => {
  await harness.close();
});

describe('the server and the HTTP contract', () => {
  it('serve the same routes, each once', () => {
    const served = harness.server.routes.map((route) => `${route.method} ${route.path}`);
    const declared = Object.values(httpRoutes).flatMap((area) =>
      Object.values(area).map((route) => `${route.method} ${route.path}`),
    );
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual([...declared].sort());
  });
});
