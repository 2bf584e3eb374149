// Who may send each socket event: the desks' events name an action of the
// permission policy, checked before the handler runs; the customers' events
// are public (a chat is proved by its resume token). Typed over the contracts'
// event maps, so a new event cannot be added without saying who may send it.
import type { CustomerToServerEvents } from '../../shared/wire/chat';
import type { DeskToServerEvents } from '../../shared/wire/socket';
import type { Action } from '../permissions/policy';

export type DeskEventName = keyof DeskToServerEvents;

/** `outbox` means any signed-in staff member, with each item's kind then authorised by its own action. */
export type DeskEventAccess = Action | 'outbox';

export const deskEventAccess: Record<DeskEventName, DeskEventAccess> = {
  'outbox:deliver': 'outbox',
  'outbox:deliverBatch': 'outbox',
  'call:answer': 'live.take',
  'call:end': 'live.take',
  'call:decline': 'live.take',
  'adviser:availability': 'live.take',
  'chat:accept': 'live.take',
  'chat:decline': 'live.take',
  'chat:send': 'live.take',
  'chat:ack': 'live.take',
  'chat:typing': 'live.take',
  'chat:end': 'live.take',
  'chat:resume': 'live.take',
  'chat:log': 'live.take',
  'safeguarding:raise': 'safeguarding.raise',
  'safeguarding:acknowledge': 'safeguarding.acknowledge',
  'safeguarding:told': 'safeguarding.raise',
};

export const customerEventAccess: Record<keyof CustomerToServerEvents, 'public'> = {
  'chat:start': 'public',
  'chat:resume': 'public',
  'chat:message': 'public',
  'chat:ack': 'public',
  'chat:typing': 'public',
  'chat:transcript': 'public',
  'chat:end': 'public',
};
