// The safeguarding history over HTTP: recent concerns, open and acknowledged,
// with who raised and acknowledged each, when, and what was done. For whoever
// the policy alerts to concerns as they happen (`safeguarding.watch`): the
// same people are answerable for what was done about them afterwards.
import { ok, parseInput } from '../../shared/result';
import { safeguardingHistoryQuerySchema } from '../../shared/wire/safeguarding';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import type { SafeguardingStore } from './types';

export function registerSafeguardingRoutes(routes: SafeRoutes, store: SafeguardingStore): void {
  routes.staff(
    'get',
    '/api/safeguarding/concerns',
    'safeguarding.watch',
    async (_staff, request, response) => {
      const query = parseInput(
        safeguardingHistoryQuerySchema,
        request.query,
        'Safeguarding history',
      );
      if (!query.ok) return sendResult(response, query);
      sendResult(response, ok({ concerns: await store.history(query.value.limit) }));
    },
  );
}
