// Follow-up calls on the desk: the day's list, ringing the customer through
// the central server's telephony, rebooking, withdrawing, and the capacity of
// each day when booking. All of it is the server's (it owns the clock the
// list is "today" by, and the telephony), so each request needs the desk
// online and calls the server's HTTP API with the desk's access token.
import type { z } from 'zod';
import type { deskRequests } from '../../shared/ipc/contract';
import { fail, type Result } from '../../shared/result';
import type { JsonRoute, RouteAnswer, RouteCall } from '../../shared/wire/route-contract';
import { followUps } from '../../shared/wire/routes';
import type { DeskHandlerRegistry } from './handlers';
import type { HistoryConnection } from './history';
import { serverJson } from './server-json';

type RebookInput = z.output<typeof deskRequests.rebookFollowUp.input>;
type WithdrawInput = z.output<typeof deskRequests.withdrawFollowUp.input>;
type CapacityInput = z.output<typeof deskRequests.followUpCapacity.input>;

export class DeskFollowUps {
  private readonly fetch: typeof fetch;

  constructor(
    private readonly connection: HistoryConnection,
    private readonly options: { serverUrl: string; fetch?: typeof fetch; timeoutMs?: number },
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  today() {
    return this.call(followUps.today, {});
  }

  ring({ id }: { id: string }) {
    return this.call(followUps.ring, { params: { id } });
  }

  rebook({ id, slotStart }: RebookInput) {
    return this.call(followUps.rebook, {
      params: { id },
      body: { slotStart, consentRecorded: true },
    });
  }

  withdraw({ id, reason }: WithdrawInput) {
    return this.call(followUps.withdraw, { params: { id }, body: { reason } });
  }

  capacity({ from, to }: CapacityInput) {
    return this.call(followUps.capacity, { query: { from, to } });
  }

  private async call<R extends JsonRoute>(
    route: R,
    call: RouteCall<R>,
  ): Promise<Result<RouteAnswer<R>>> {
    if (this.connection.state !== 'online') {
      return fail(
        'unavailable',
        'Follow-up calls are made through the central server, and the desk is not connected to it just now',
      );
    }
    const token = await this.connection.requestToken();
    if (!token) {
      return fail(
        'unauthenticated',
        'The desk could not get an access token from the central server',
      );
    }
    return serverJson(
      { serverUrl: this.options.serverUrl, fetch: this.fetch, timeoutMs: this.options.timeoutMs },
      route,
      call,
      token,
    );
  }
}

/** The follow-up requests of the desk API. */
export function registerFollowUpHandlers(
  registry: DeskHandlerRegistry,
  followUps: DeskFollowUps,
): void {
  registry.register('followUpsToday', () => followUps.today());
  registry.register('ringFollowUp', (input) => followUps.ring(input));
  registry.register('rebookFollowUp', (input) => followUps.rebook(input));
  registry.register('withdrawFollowUp', (input) => followUps.withdraw(input));
  registry.register('followUpCapacity', (input) => followUps.capacity(input));
}
