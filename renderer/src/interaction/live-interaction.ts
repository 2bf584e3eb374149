// One live interaction on the desk: the machine's actor, its journal, and a
// write to the local store after every transition. No React and no DOM here,
// so it is tested in Node against fake IndexedDB.
import { createActor, type Actor } from 'xstate';
import { newId } from '../../../shared/domain/ids';
import {
  appendToJournal,
  INTERACTION_MACHINE_VERSION,
  machineFor,
  replay,
  type InteractionEvent,
  type InteractionMachine,
  type InteractionSnapshot,
  type InteractionVariant,
  type SafeguardingRaisedEmitted,
} from '../../../shared/interaction/machine';
import type {
  AgreedAction,
  Channel,
  JournalEntry,
  StartingPoint,
} from '../../../shared/interaction/record';
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

/** A follow-up call the customer answered: the call, and what it follows up. */
export interface AnsweredFollowUpCall {
  /** The telephony call id of the answered attempt. */
  callId: string;
  /** When the adviser rang, and when the answer reached the desk (the desk's clock). */
  dialledAt: string;
  answeredAt: string;
  bookingId: string;
  firstInteractionId: string;
  statusAtFirstContact: StartingPoint['status'];
  /** The skills action plan agreed at the first contact. */
  actions: readonly AgreedAction[];
}

export class LiveInteraction {
  private readonly actor: Actor<InteractionMachine>;
  private journal: JournalEntry[];
  private view: LiveView;
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly store: InteractionStore,
    readonly id: string,
    readonly contactRef: string,
    readonly adviserId: string,
    readonly variant: InteractionVariant,
    journal: JournalEntry[],
    snapshot?: InteractionSnapshot,
    private readonly clock: () => string = () => new Date().toISOString(),
  ) {
    this.journal = journal;
    this.actor = createActor(machineFor(variant), snapshot ? { snapshot } : {});
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
      'guidance',
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
   * A follow-up interaction for a follow-up call the customer has just
   * answered. The dial and the answer are journaled, and stored, together: the
   * desk learns of both at once, and a reload must never find the call still
   * ringing on a desk that has already been told it was answered.
   */
  static answeredFollowUp(
    store: InteractionStore,
    adviserId: string,
    call: AnsweredFollowUpCall,
    clock?: () => string,
  ): LiveInteraction {
    const interaction = new LiveInteraction(
      store,
      newId(),
      call.callId,
      adviserId,
      'follow_up',
      [],
      undefined,
      clock,
    );
    interaction.sendStamped(
      {
        type: 'FOLLOW_UP_DIALLED',
        interactionId: interaction.id,
        contactRef: call.callId,
        bookingId: call.bookingId,
        firstInteractionId: call.firstInteractionId,
        statusAtFirstContact: call.statusAtFirstContact,
        actions: [...call.actions],
        at: call.dialledAt,
      },
      // A desk clock a moment behind the one that stamped the dial must not run the call backwards.
      { type: 'ANSWER', at: call.answeredAt < call.dialledAt ? call.dialledAt : call.answeredAt },
    );
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
    const variant = stored.machineVariant;
    const replayed = replay(stored.journal, variant);
    const persisted = machineFor(variant).getPersistedSnapshot(replayed);
    const matchesStoredSnapshot = JSON.stringify(persisted) === JSON.stringify(stored.snapshot);
    const interaction = new LiveInteraction(
      store,
      stored.id,
      stored.contactRef,
      stored.adviserId,
      variant,
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

  /** Sends events in order, then stores the result once: together they are one change. */
  private sendStamped(...events: InteractionEvent[]): void {
    let sent = false;
    for (const event of events) {
      if (this.actor.getSnapshot().status !== 'active') break;
      this.journal = appendToJournal(this.journal, event);
      this.actor.send(event);
      sent = true;
    }
    if (!sent) return;
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
      machineVariant: this.variant,
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
