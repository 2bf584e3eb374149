// Follow-up calls over HTTP (shared/wire/follow-ups.ts), and the simulator's
// switch for whether a customer answers when rung (behind the telephony key).
import { ok } from '../../shared/result';
import { followUps, telephony as telephonyRoutes } from '../../shared/wire/routes';
import type { SafeRoutes } from '../http/safe-routes';
import type { TelephonySimulator } from '../telephony/simulator';
import { parseUkPhoneNumber } from '../../shared/domain/contact-address';
import type { FollowUpService } from './service';

export function registerFollowUpRoutes(
  routes: SafeRoutes,
  service: FollowUpService,
  telephony: TelephonySimulator,
  moveClock: ((to: number) => number) | null,
): void {
  routes.staff(followUps.today, 'follow-up.call', async (staff, _input, reply) => {
    reply(ok(await service.dayList(staff)));
  });

  routes.staff(followUps.capacity, 'follow-up.capacity', async (_staff, { query }, reply) => {
    reply(ok(await service.capacity(query.from, query.to)));
  });

  routes.staff(followUps.open, 'follow-up.call', async (staff, { params }, reply) => {
    reply(await service.find(staff, params.id));
  });

  routes.staff(followUps.ring, 'follow-up.call', async (staff, { params }, reply) => {
    reply(await service.attempt(staff, params.id), 201);
  });

  routes.staff(followUps.rebook, 'follow-up.call', async (staff, { params, body }, reply) => {
    reply(await service.rebook(staff, params.id, body.slotStart));
  });

  routes.staff(followUps.withdraw, 'follow-up.call', async (staff, { params, body }, reply) => {
    reply(await service.withdraw(staff, params.id, body.reason));
  });

  // Registered only on a server started with a simulated clock; elsewhere the path is not there.
  // The clock moves forward only: going back would un-send reminders and re-open attempts.
  if (moveClock) {
    routes.telephony(telephonyRoutes.moveClock, (_caller, { body }, reply) => {
      const at = moveClock(Date.parse(body.at));
      reply(ok({ now: new Date(at).toISOString() }));
    });
  }

  routes.telephony(telephonyRoutes.customerAnswers, (_caller, { body }, reply) => {
    const number = parseUkPhoneNumber(body.number);
    if (!number.ok) return reply(number);
    telephony.setCustomerAnswers(number.value, body.answers);
    reply(ok({ number: number.value, answers: body.answers }));
  });
}
