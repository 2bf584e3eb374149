// The service dashboard over HTTP (shared/wire/dashboard.ts), for team
// leaders: the figures for a range of London days, and the improvement plan.
// The live board is pushed on the desk socket (./live.ts), not asked for here.
import { fail, ok, parseInput } from '../../shared/result';
import {
  dashboardQuerySchema,
  improvementActionInputSchema,
  type ImprovementPlan,
} from '../../shared/wire/dashboard';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import type { KyselyDashboard } from '../storage/dashboard';
import { londonHourOf } from '../storage/dashboard-columns';
import { dashboardFigures, improvementPlan, type QualityReviews } from './service';

export interface DashboardRouteDependencies {
  dashboard: KyselyDashboard;
  /** "Next steps good" is read from the quality reviews, as Quality reports read it. */
  quality: QualityReviews;
  now?: () => Date;
}

export function registerDashboardRoutes(
  routes: SafeRoutes,
  deps: DashboardRouteDependencies,
): void {
  const now = deps.now ?? (() => new Date());
  const today = () => londonHourOf(now()).slice(0, 10);

  const plan = async (): Promise<ImprovementPlan> => ({
    actions: await improvementPlan(deps.dashboard, deps.quality, today()),
    owners: await deps.dashboard.owners(),
  });

  routes.staff(
    'get',
    '/api/dashboard/figures',
    'dashboard.read',
    async (_staff, request, response) => {
      const query = parseInput(dashboardQuerySchema, request.query, 'Dashboard question');
      if (!query.ok) return sendResult(response, query);
      sendResult(response, ok(await dashboardFigures(deps.dashboard, deps.quality, query.value)));
    },
  );

  routes.staff(
    'get',
    '/api/dashboard/plan',
    'dashboard.read',
    async (_staff, _request, response) => {
      sendResult(response, ok(await plan()));
    },
  );

  routes.staff(
    'post',
    '/api/dashboard/plan',
    'dashboard.plan',
    async (staff, request, response) => {
      const input = parseInput(improvementActionInputSchema, request.body, 'Improvement action');
      if (!input.ok) return sendResult(response, input);
      if (input.value.targetDate < input.value.startedOn) {
        return sendResult(
          response,
          fail('invalid_input', 'The target date is before the start date'),
        );
      }
      const added = await deps.dashboard.addAction(input.value, staff.id, now().toISOString());
      if (!added) return sendResult(response, fail('invalid_input', 'There is no such owner'));
      sendResult(response, ok(await plan()), 201);
    },
  );
}
