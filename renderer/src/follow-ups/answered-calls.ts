// The hand-over of a follow-up call the customer answered: the day's list
// rings, and the interaction area guides the call as a follow-up interaction.
// One hand-over per desk bridge, shared by the components on the page, as the
// chat area's state is (renderer/src/chat/chat-desk.ts).
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { AnsweredFollowUpCall } from '../interaction/live-interaction';

type Taker = (call: AnsweredFollowUpCall) => void;

const takers = new WeakMap<DeskBridge, Set<Taker>>();

/** The interaction area takes answered follow-up calls while it is on the page. */
export function takeAnsweredFollowUps(desk: DeskBridge, taker: Taker): () => void {
  const set = takers.get(desk) ?? new Set<Taker>();
  takers.set(desk, set);
  set.add(taker);
  return () => set.delete(taker);
}

/** Hands an answered call over; false when nothing on the page can guide it. */
export function handOverAnsweredFollowUp(desk: DeskBridge, call: AnsweredFollowUpCall): boolean {
  const set = takers.get(desk);
  if (!set || set.size === 0) return false;
  for (const taker of set) taker(call);
  return true;
}
