// A contact written as a script: events in order, each stamped a few seconds
// after the one before. Scenario tests, demo data and benchmarks use it to
// drive the real machine and collect the journal it would have produced.
import { createActor, type Actor } from 'xstate';
import type { InteractionEvent } from './events';
import {
  appendToJournal,
  machineFor,
  type InteractionMachine,
  type InteractionSnapshot,
} from './machine';
import type { InteractionVariant, JournalEntry } from './record';

type Unstamped<E> = E extends InteractionEvent ? Omit<E, 'at'> : never;
export type ScriptedEvent = Unstamped<InteractionEvent>;

export class ContactScript {
  private clock: number;
  private readonly actor: Actor<InteractionMachine>;
  journal: JournalEntry[] = [];

  constructor(
    startAt: string,
    private readonly stepSeconds = 15,
    variant: InteractionVariant = 'guidance',
  ) {
    this.clock = new Date(startAt).getTime();
    this.actor = createActor(machineFor(variant));
    this.actor.start();
  }

  /** The time the next event will carry. */
  get now(): string {
    return new Date(this.clock).toISOString();
  }

  /** Moves the clock on without an event, as a pause in the conversation does. */
  wait(seconds: number): this {
    this.clock += seconds * 1000;
    return this;
  }

  send(...events: ScriptedEvent[]): this {
    for (const unstamped of events) {
      if (this.actor.getSnapshot().status !== 'active') break;
      const event = { ...unstamped, at: this.now } as InteractionEvent;
      this.journal = appendToJournal(this.journal, event);
      this.actor.send(event);
      this.clock += this.stepSeconds * 1000;
    }
    return this;
  }

  get snapshot(): InteractionSnapshot {
    return this.actor.getSnapshot();
  }

  /** The snapshot as it would be stored: what replay must reproduce. */
  persisted(): unknown {
    return this.actor.getPersistedSnapshot();
  }
}
