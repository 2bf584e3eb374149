// The safeguarding history over HTTP: recent concerns, open and acknowledged,
// with who raised and acknowledged each, when, and what was done. For whoever
// the policy alerts to concerns as they happen (`safeguarding.watch`): the
// same people are answerable for what was done about them afterwards.
import { ok } from '../../shared/result';
import { safeguarding } from '../../shared/wire/routes';
import type { SafeRoutes } from '../http/safe-routes';
import type { SafeguardingStore } from './types';

export function registerSafeguardingRoutes(routes: SafeRoutes, store: SafeguardingStore): void {
  routes.staff(safeguarding.concerns, 'safeguarding.watch', async (_staff, { query }, reply) => {
    reply(ok({ concerns: await store.history(query.limit) }));
  });
}
