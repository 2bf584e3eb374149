// The service dashboard over HTTP (shared/wire/dashboard.ts), for team
// leaders: the figures for a range of London days, and the improvement plan.
// The live board is pushed on the desk socket (./live.ts), not asked for here.
import { fail, ok } from '../../shared/result';
import type { ImprovementPlan } from '../../shared/wire/dashboard';
import { dashboard } from '../../shared/wire/routes';
import type { SafeRoutes } from '../http/safe-routes';
import type { KyselyDashboard } from '../storage/dashboard';
import { londonDate } from '../../shared/time/london';
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
  const today = () => londonDate(now());

  const plan = async (): Promise<ImprovementPlan> => ({
    actions: await improvementPlan(deps.dashboard, deps.quality, today()),
    owners: await deps.dashboard.owners(),
  });

  routes.staff(dashboard.figures, 'dashboard.read', async (_staff, { query }, reply) => {
    reply(ok(await dashboardFigures(deps.dashboard, deps.quality, query)));
  });

  routes.staff(dashboard.plan, 'dashboard.read', async (_staff, _input, reply) => {
    reply(ok(await plan()));
  });

  routes.staff(dashboard.addAction, 'dashboard.plan', async (staff, { body: action }, reply) => {
    if (action.targetDate < action.startedOn) {
      return reply(fail('invalid_input', 'The target date is before the start date'));
    }
    const added = await deps.dashboard.addAction(action, staff.id, now().toISOString());
    if (!added) return reply(fail('invalid_input', 'There is no such owner'));
    reply(ok(await plan()), 201);
  });
}
