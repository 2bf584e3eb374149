// Follow-up calls over HTTP (shared/wire/follow-ups.ts), and the simulator's
// switch for whether a customer answers when rung (behind the telephony key).
import { z } from 'zod';
import { ok, parseInput } from '../../shared/result';
import {
  followUpCapacityQuerySchema,
  followUpPathSchema,
  followUpRebookSchema,
  followUpWithdrawSchema,
} from '../../shared/wire/follow-ups';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import type { TelephonySimulator } from '../telephony/simulator';
import { parseUkPhoneNumber } from '../../shared/domain/contact-address';
import type { FollowUpService } from './service';

const customerBehaviourSchema = z.object({
  number: z.string().min(3).max(30),
  answers: z.boolean(),
});

/** Moves forward only: a clock going back would un-send reminders and re-open attempts. */
const clockMoveSchema = z.object({ at: z.iso.datetime({ offset: true }) });

export function registerFollowUpRoutes(
  routes: SafeRoutes,
  service: FollowUpService,
  telephony: TelephonySimulator,
  moveClock: ((to: number) => number) | null,
): void {
  routes.staff(
    'get',
    '/api/follow-ups/today',
    'follow-up.call',
    async (staff, _request, response) => {
      sendResult(response, ok(await service.dayList(staff)));
    },
  );

  routes.staff(
    'get',
    '/api/follow-ups/capacity',
    'follow-up.capacity',
    async (_staff, request, response) => {
      const query = parseInput(followUpCapacityQuerySchema, request.query, 'Capacity query');
      if (!query.ok) return sendResult(response, query);
      sendResult(response, ok(await service.capacity(query.value.from, query.value.to)));
    },
  );

  routes.staff('get', '/api/follow-ups/:id', 'follow-up.call', async (staff, request, response) => {
    const path = parseInput(followUpPathSchema, request.params, 'Follow-up');
    if (!path.ok) return sendResult(response, path);
    sendResult(response, await service.find(staff, path.value.id));
  });

  routes.staff(
    'post',
    '/api/follow-ups/:id/attempts',
    'follow-up.call',
    async (staff, request, response) => {
      const path = parseInput(followUpPathSchema, request.params, 'Follow-up');
      if (!path.ok) return sendResult(response, path);
      sendResult(response, await service.attempt(staff, path.value.id), 201);
    },
  );

  routes.staff(
    'post',
    '/api/follow-ups/:id/rebook',
    'follow-up.call',
    async (staff, request, response) => {
      const path = parseInput(followUpPathSchema, request.params, 'Follow-up');
      if (!path.ok) return sendResult(response, path);
      const body = parseInput(followUpRebookSchema, request.body, 'Rebooking');
      if (!body.ok) return sendResult(response, body);
      sendResult(response, await service.rebook(staff, path.value.id, body.value.slotStart));
    },
  );

  routes.staff(
    'post',
    '/api/follow-ups/:id/withdraw',
    'follow-up.call',
    async (staff, request, response) => {
      const path = parseInput(followUpPathSchema, request.params, 'Follow-up');
      if (!path.ok) return sendResult(response, path);
      const body = parseInput(followUpWithdrawSchema, request.body, 'Withdrawal');
      if (!body.ok) return sendResult(response, body);
      sendResult(response, await service.withdraw(staff, path.value.id, body.value.reason));
    },
  );

  // Registered only on a server started with a simulated clock; elsewhere the path is not there.
  if (moveClock) {
    routes.telephony('post', '/api/telephony/clock', (_caller, request, response) => {
      const body = parseInput(clockMoveSchema, request.body, 'Clock');
      if (!body.ok) return sendResult(response, body);
      const at = moveClock(Date.parse(body.value.at));
      sendResult(response, ok({ now: new Date(at).toISOString() }));
    });
  }

  routes.telephony('post', '/api/telephony/customers', (_caller, request, response) => {
    const body = parseInput(customerBehaviourSchema, request.body, 'Customer');
    if (!body.ok) return sendResult(response, body);
    const number = parseUkPhoneNumber(body.value.number);
    if (!number.ok) return sendResult(response, number);
    telephony.setCustomerAnswers(number.value, body.value.answers);
    sendResult(response, ok({ number: number.value, answers: body.value.answers }));
  });
}
