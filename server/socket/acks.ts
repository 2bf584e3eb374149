// What every socket.io handler on the server needs for its answer and its size
// check: desks, customers and the safeguarding relay share these.
import type { Result } from '../../shared/result';

export type Reply = (result: Result<unknown>) => void;

/** A client may emit without an acknowledgement; the answer then has nowhere to go. */
export function replyTo(ack: unknown): Reply {
  return typeof ack === 'function' ? (result) => (ack as Reply)(result) : () => undefined;
}

/** Bytes an event's arguments take as JSON, the way socket.io sends them. */
export function eventSize(args: unknown[]): number {
  let size = 0;
  for (const argument of args) {
    if (typeof argument === 'function') continue;
    size += Buffer.byteLength(JSON.stringify(argument) ?? '');
  }
  return size;
}
