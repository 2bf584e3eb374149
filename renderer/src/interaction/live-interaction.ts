// One live interaction on the desk: the machine's actor, its journal, and a
// write to the local store after every transition. No React and no DOM here,
// so it is tested in Node against fake IndexedDB.
import { createActor, type Actor } from 'xstate';
import { newId } from '../../../shared/domain/ids';
import {
  appendToJournal,
  INTERACTION_MACHINE_VERSION,
  interactionMachine,
  replay,
  type InteractionEvent,
  type InteractionSnapshot,
  type SafeguardingRaisedEmitted,
} from '../../../shared/interaction/machine';
import type { Channel, JournalEntry } from '../../../shared/interaction/record';
import type { InteractionStore, StoredInteraction } from './store';

/** Any event without its time: `LiveInteraction.send` stamps it as it happens. */
export type UnstampedEvent = InteractionEvent extends infer E
  ? E extends InteractionEvent
    ? Omit<E, 'at'>
    : never
  : never;

export interface LiveView {
  snapshot: InteractionSnapshot;
  journal: readonly JournalEntry[];
  /** Set when the last write to the local store failed; the interaction is still live in memory. */
  saveProblem: string | null;
}

export interface OfferedContact {
  contactRef: string;
  channel: Channel;
  offeredAt: string;
}

export class LiveInteraction {
  private readonly actor: Actor<typeof interactionMachine>;
  private journal: JournalEntry[];
  private view: LiveView;
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly store: InteractionStore,
    readonly id: string,
    readonly contactRef: string,
    readonly adviserId: string,
    journal: JournalEntry[],
    snapshot?: InteractionSnapshot,
    private readonly clock: () => string = () => new Date().toISOString(),
  ) {
    this.journal = journal;
    this.actor = createActor(interactionMachine, snapshot ? { snapshot } : {});
    this.actor.start();
    this.view = { snapshot: this.actor.getSnapshot(), journal, saveProblem: null };
  }

  /** A new interaction for a call or chat just offered: the offer is its first journal entry. */
  static offered(
    store: InteractionStore,
    adviserId: string,
    contact: OfferedContact,
    clock?: () => string,
  ): LiveInteraction {
    const interaction = new LiveInteraction(
      store,
      newId(),
      contact.contactRef,
      adviserId,
      [],
      undefined,
      clock,
    );
    interaction.sendStamped({
      type: 'OFFERED',
      interactionId: interaction.id,
      channel: contact.channel,
      contactRef: contact.contactRef,
      at: contact.offeredAt,
    });
    return interaction;
  }

  /**
   * Rebuilds an interaction from the local store by replaying its journal, and
   * says whether that matches the stored snapshot. The journal is what the
   * record carries, so on a mismatch the replay wins.
   */
  static restore(
    store: InteractionStore,
    stored: StoredInteraction,
    clock?: () => string,
  ): { interaction: LiveInteraction; matchesStoredSnapshot: boolean } {
    const replayed = replay(stored.journal);
    const persisted = interactionMachine.getPersistedSnapshot(replayed);
    const matchesStoredSnapshot = JSON.stringify(persisted) === JSON.stringify(stored.snapshot);
    const interaction = new LiveInteraction(
      store,
      stored.id,
      stored.contactRef,
      stored.adviserId,
      stored.journal,
      replayed,
      clock,
    );
    return { interaction, matchesStoredSnapshot };
  }

  /** Sends an event happening now. Events after the interaction has finished are dropped, not journaled. */
  send(event: UnstampedEvent): void {
    this.sendStamped({ ...event, at: this.clock() } as InteractionEvent);
  }

  private sendStamped(event: InteractionEvent): void {
    if (this.actor.getSnapshot().status !== 'active') return;
    this.journal = appendToJournal(this.journal, event);
    this.actor.send(event);
    this.view = { ...this.view, snapshot: this.actor.getSnapshot(), journal: this.journal };
    this.persist();
    this.notify();
  }

  private persist(): void {
    const row: StoredInteraction = {
      id: this.id,
      contactRef: this.contactRef,
      adviserId: this.adviserId,
      machineVersion: INTERACTION_MACHINE_VERSION,
      snapshot: this.actor.getPersistedSnapshot(),
      journal: this.journal,
      updatedAt: this.journal.at(-1)?.at ?? this.clock(),
    };
    // Chained so writes land in the order the events happened.
    this.writes = this.writes.then(() =>
      this.store.save(row).then(
        () => this.setSaveProblem(null),
        (error: unknown) =>
          this.setSaveProblem(error instanceof Error ? error.message : String(error)),
      ),
    );
  }

  private setSaveProblem(problem: string | null): void {
    if (this.view.saveProblem === problem) return;
    this.view = { ...this.view, saveProblem: problem };
    this.notify();
  }

  /** Resolves once every write so far has reached the store. */
  saved(): Promise<void> {
    return this.writes;
  }

  /** Forgets the interaction locally, after its record is safely in the desk's outbox. */
  async discard(): Promise<void> {
    await this.writes;
    await this.store.remove(this.id);
    this.actor.stop();
  }

  onSafeguardingRaised(listener: (raised: SafeguardingRaisedEmitted) => void): () => void {
    return this.actor.on('safeguarding.raised', listener).unsubscribe;
  }

  // useSyncExternalStore's contract: a stable subscribe and a snapshot that changes only on change.
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): LiveView => this.view;

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
