// What every socket.io handler on the server needs for its answer and for the
// checks made before any handler runs: desks, customers and the safeguarding
// relay share these, installed once per namespace (see guardNamespace).
import type { Namespace, Socket } from 'socket.io';
import { fail, type Result, type ResultError } from '../../shared/result';
import type { LogLine } from '../logging';

export type Reply = (result: Result<unknown>) => void;

/** Where a refusal goes when the client sent no acknowledgement to answer through. */
export type Unanswered = (error: ResultError) => void;

/**
 * The answer to an event: through its acknowledgement when it has one; a
 * refusal of an event sent without one is pushed as `event:refused`, so the
 * client still hears why nothing happened.
 */
export function replyTo(ack: unknown, unanswered?: Unanswered): Reply {
  if (typeof ack === 'function') return (result) => (ack as Reply)(result);
  return (result) => {
    if (!result.ok) unanswered?.(result.error);
  };
}

/** Deeper than any payload the product sends (an interaction record is about ten levels). */
export const maxEventDepth = 32;

/**
 * How deep the arguments nest, counted without recursion so a hostile frame
 * cannot exhaust the stack; stops counting once past `limit`.
 */
export function eventDepth(args: unknown[], limit = maxEventDepth): number {
  let deepest = 0;
  const pending: { value: unknown; depth: number }[] = args.map((value) => ({ value, depth: 1 }));
  while (pending.length > 0) {
    const { value, depth } = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(value)) pending.push({ value: child, depth: depth + 1 });
  }
  return deepest;
}

/**
 * Whether any string or key in the values holds a NUL character. No text a
 * person types holds one, and PostgreSQL refuses to store one, so every input
 * carrying one is refused where it enters (events here, HTTP bodies and query
 * strings in server/http/routes.ts). Walked without recursion; call after eventDepth.
 */
export function holdsNul(values: unknown[]): boolean {
  const pending = [...values];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

/** Bytes an event's arguments take as JSON, the way socket.io sends them. Call after eventDepth. */
export function eventSize(args: unknown[]): number {
  let size = 0;
  for (const argument of args) {
    if (typeof argument === 'function') continue;
    size += Buffer.byteLength(JSON.stringify(argument) ?? '');
  }
  return size;
}

export interface NamespaceGuard {
  /** The events this namespace takes; any other is refused. */
  events: ReadonlySet<string>;
  /** The largest event, in bytes of JSON. socket.io's own ceiling is set above it, so an event over it gets an answer. */
  maxBytes: number;
  log: LogLine;
}

type AnySocket = Socket<Record<string, (...args: never[]) => void>>;

/** Pushes a refusal to a socket whose event had no acknowledgement. */
export function refusedTo(socket: Pick<AnySocket, 'emit'>, event: string): Unanswered {
  return (error) =>
    (socket.emit as (name: string, ...args: unknown[]) => boolean)('event:refused', {
      event,
      error,
    });
}

/**
 * Checks every event on every socket of a namespace before any handler sees
 * it: a known name, nesting depth, no NUL characters, then size. Installed as the namespace's
 * first connection listener, so its middleware runs before any other.
 */
export function guardNamespace(namespace: Namespace, guard: NamespaceGuard): void {
  namespace.on('connection', (socket: Socket) => {
    socket.use((packet, next) => {
      const [event, ...rest] = packet as [unknown, ...unknown[]];
      const name = typeof event === 'string' ? event : String(event);
      const last = rest[rest.length - 1];
      const reply = replyTo(last, refusedTo(socket as unknown as AnySocket, name));
      try {
        if (typeof event !== 'string' || !guard.events.has(event)) {
          return reply(fail('not_found', `The server takes no event called ${name.slice(0, 64)}`));
        }
        const args = typeof last === 'function' ? rest.slice(0, -1) : rest;
        if (eventDepth(args) > maxEventDepth) {
          return reply(
            fail('invalid_input', `The message nests deeper than ${maxEventDepth} levels`),
          );
        }
        if (holdsNul(args)) {
          return reply(fail('invalid_input', 'The message holds a NUL character'));
        }
        if (eventSize(args) > guard.maxBytes) {
          return reply(
            fail('payload_too_large', `The message is larger than ${guard.maxBytes} bytes`),
          );
        }
      } catch (error) {
        guard.log(
          `checking ${name.slice(0, 64)} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          'error',
        );
        return reply(fail('internal', 'Something went wrong on the central server'));
      }
      next();
    });
  });
}
