// The desk API's one entry point: each domain registers handlers for names in
// the contract (shared/ipc/contract.ts); dispatch parses untrusted input with
// the contract's schema before a handler sees it, and always answers an envelope.
import type { z } from 'zod';
import {
  deskRequestNames,
  deskRequests,
  type DeskRequestName,
  type DeskRequestOutput,
} from '../../shared/ipc/contract';
import { fail, parseInput, type Result } from '../../shared/result';
import { silentDeskLogger, type DeskLogger } from './logging';

export type DeskHandlerInput<K extends DeskRequestName> = z.output<
  (typeof deskRequests)[K]['input']
>;

export type DeskHandler<K extends DeskRequestName> = (
  input: DeskHandlerInput<K>,
) => Result<DeskRequestOutput<K>> | Promise<Result<DeskRequestOutput<K>>>;

type AnyHandler = (input: unknown) => Result<unknown> | Promise<Result<unknown>>;

export class DuplicateHandlerError extends Error {
  override name = 'DuplicateHandlerError';
}

const isRequestName = (name: string): name is DeskRequestName =>
  Object.prototype.hasOwnProperty.call(deskRequests, name);

export class DeskHandlerRegistry {
  private readonly handlers = new Map<DeskRequestName, AnyHandler>();

  constructor(private readonly log: DeskLogger = silentDeskLogger()) {}

  /** Registers one domain's handler; a second registration of a name is a start-up bug, so it throws. */
  register<K extends DeskRequestName>(name: K, handler: DeskHandler<K>): void {
    if (!isRequestName(name)) throw new Error(`"${String(name)}" is not in the desk API contract`);
    if (this.handlers.has(name))
      throw new DuplicateHandlerError(`A handler for "${name}" is already registered`);
    this.handlers.set(name, handler as AnyHandler);
  }

  /** Names in the contract nobody has registered: checked once at start-up. */
  missing(): DeskRequestName[] {
    return deskRequestNames.filter((name) => !this.handlers.has(name));
  }

  assertComplete(): void {
    const missing = this.missing();
    if (missing.length > 0) throw new Error(`No handler registered for: ${missing.join(', ')}`);
  }

  /** Answers one request from the renderer. `name` and `input` are untrusted. */
  async dispatch(name: string, input: unknown): Promise<Result<unknown>> {
    if (typeof name !== 'string' || !isRequestName(name))
      return fail('not_found', 'No such desk request');
    const handler = this.handlers.get(name);
    if (!handler) return fail('not_found', `The desk cannot answer "${name}" yet`);
    const parsed = parseInput(deskRequests[name].input, input, `${name} input`);
    if (!parsed.ok) return parsed;
    try {
      return await handler(parsed.value);
    } catch (error) {
      // The details stay in the desk's log; the renderer gets a message safe to show.
      this.log.error({ request: name, err: error }, 'desk request failed');
      return fail('internal', 'Something went wrong on the desk; please try again');
    }
  }
}
