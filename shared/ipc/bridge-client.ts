// The renderer's side of the desk API, whichever way it travels: every answer
// and every pushed event is parsed here with the contract's schemas before a
// screen sees it. Electron's preload and browser mode's WebSocket are only
// transports underneath; neither is trusted to have checked anything.
import type { z } from 'zod';
import { fail, resultSchema, type Result } from '../result';
import {
  deskEventNames,
  deskEvents,
  deskRequestNames,
  deskRequests,
  subscriberName,
  type DeskBridge,
  type DeskEventName,
  type DeskEventPayload,
  type DeskRequestName,
} from './contract';

/** What carries requests and events; answers and payloads come back unread. */
export interface DeskTransport {
  request(name: DeskRequestName, input: unknown): Promise<unknown>;
  /** Called at most once per event name; the client fans out to its own listeners. */
  subscribe(name: DeskEventName, listener: (payload: unknown) => void): () => void;
}

export interface CheckedBridgeOptions {
  /** Told about every answer or event that broke the contract and was dropped. */
  onDropped?: (reason: string) => void;
  /** Told when a screen's listener throws; the other listeners still hear the event. */
  onListenerError?: (eventName: DeskEventName, error: unknown) => void;
}

/**
 * The preload's object as the renderer must treat it: the right names, but
 * nothing about what comes back is taken on trust.
 */
export type UncheckedDeskBridge = {
  [K in DeskRequestName]: (input: unknown) => Promise<unknown>;
} & {
  [K in DeskEventName as `on${Capitalize<K>}`]: (
    listener: (payload: unknown) => void,
  ) => () => void;
};

/** A transport over the preload's named functions (Electron). */
export function transportFromPreload(preload: UncheckedDeskBridge): DeskTransport {
  return {
    request: (name, input) => preload[name](input),
    subscribe: (name, listener) => preload[subscriberName(name)](listener),
  };
}

type Listener = (payload: unknown) => void;

export function checkedDeskBridge(
  transport: DeskTransport,
  options: CheckedBridgeOptions = {},
): DeskBridge {
  const dropped = options.onDropped ?? (() => undefined);
  const listenerFailed = options.onListenerError ?? (() => undefined);

  const request = async (name: DeskRequestName, input: unknown): Promise<Result<unknown>> => {
    let answer: unknown;
    try {
      answer = await transport.request(name, input);
    } catch {
      // Electron rejects an invoke whose handler is gone (the window is closing).
      return fail('unavailable', 'The desk services did not answer. Please try again.');
    }
    const parsed = resultSchema(deskRequests[name].output as z.ZodType).safeParse(answer);
    if (parsed.success) return parsed.data as Result<unknown>;
    dropped(`malformed answer to ${name}`);
    return fail(
      'internal',
      `The desk services answered ${name} in a form this screen cannot read.`,
    );
  };

  // One transport subscription per event, parsed once, however many screens listen.
  const listeners = new Map<DeskEventName, Set<Listener>>();
  const receive = (name: DeskEventName, payload: unknown) => {
    const parsed = deskEvents[name].payload.safeParse(payload);
    if (!parsed.success) {
      dropped(`malformed ${name} event`);
      return;
    }
    for (const listener of [...(listeners.get(name) ?? [])]) {
      // One broken screen must not stop the others hearing the event.
      try {
        listener(parsed.data);
      } catch (error) {
        listenerFailed(name, error);
      }
    }
  };
  const subscribe = (name: DeskEventName, listener: Listener) => {
    let forName = listeners.get(name);
    if (!forName) {
      forName = new Set();
      listeners.set(name, forName);
      transport.subscribe(name, (payload) => receive(name, payload));
    }
    forName.add(listener);
    return () => {
      forName.delete(listener);
    };
  };

  // Built from the contract's name lists so a new request or event needs no
  // change here; the cast is sound because every answer and payload is parsed above.
  const bridge: Record<string, unknown> = {};
  for (const name of deskRequestNames) bridge[name] = (input: unknown) => request(name, input);
  for (const name of deskEventNames) {
    bridge[subscriberName(name)] = (listener: (payload: DeskEventPayload<typeof name>) => void) =>
      subscribe(name, listener as Listener);
  }
  return bridge as DeskBridge;
}
