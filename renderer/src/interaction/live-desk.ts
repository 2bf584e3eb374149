// The live interactions on this desk, outside React: offers become
// interactions, reloads restore them, finished ones are let go. Components
// subscribe to it; it never does work inside a React state updater.
import type { Channel } from '../../../shared/interaction/record';
import type { CallOffer } from '../../../shared/wire/socket';
import { LiveInteraction, type AnsweredFollowUpCall } from './live-interaction';
import type { InteractionStore } from './store';

export class LiveDesk {
  private interactions: readonly LiveInteraction[] = [];
  /**
   * Each offered call's caller line as the telephony side gave it (null when
   * withheld). Personal data, so it stays in memory for the call card and is
   * never written to the journal; after a reload the card no longer has it.
   */
  private readonly callerLines = new Map<string, string | null>();
  private readonly listeners = new Set<() => void>();
  /** Interactions whose stored snapshot did not match a replay of their journal. */
  mismatchedOnRestore: string[] = [];

  constructor(
    readonly store: InteractionStore,
    readonly adviserId: string,
  ) {}

  private restoring: Promise<void> | null = null;

  /** Brings back what the store holds for this adviser, once however often it is asked (StrictMode asks twice). */
  restore(): Promise<void> {
    this.restoring ??= this.restoreOnce();
    return this.restoring;
  }

  private async restoreOnce(): Promise<void> {
    const rows = await this.store.listLive(this.adviserId);
    const restored: LiveInteraction[] = [];
    for (const row of rows) {
      if (this.interactions.some((interaction) => interaction.id === row.id)) continue;
      const { interaction, matchesStoredSnapshot } = LiveInteraction.restore(this.store, row);
      if (!matchesStoredSnapshot) this.mismatchedOnRestore = [...this.mismatchedOnRestore, row.id];
      restored.push(interaction);
    }
    if (restored.length > 0) this.set([...restored, ...this.interactions]);
  }

  /** A call offered, or a web chat accepted (renderer/src/chat/follow-chats.ts). */
  offer(
    offer: Pick<CallOffer, 'callId' | 'offeredAt'> & { channel: Channel; cli?: string | null },
  ): LiveInteraction {
    if (offer.cli !== undefined) this.callerLines.set(offer.callId, offer.cli);
    const existing = this.byContact(offer.callId);
    if (existing) return existing;
    const interaction = LiveInteraction.offered(this.store, this.adviserId, {
      contactRef: offer.callId,
      channel: offer.channel,
      offeredAt: offer.offeredAt,
    });
    this.set([...this.interactions, interaction]);
    return interaction;
  }

  /**
   * A follow-up call the customer answered becomes a follow-up interaction,
   * guided by the follow-up variant of the machine. The same call twice is one interaction.
   */
  answeredFollowUp(call: AnsweredFollowUpCall): LiveInteraction {
    const existing = this.byContact(call.callId);
    if (existing) return existing;
    const interaction = LiveInteraction.answeredFollowUp(this.store, this.adviserId, call);
    this.set([...this.interactions, interaction]);
    return interaction;
  }

  /** The caller's number for an offered call; undefined when this desk never heard it (a reload). */
  callerLine(contactRef: string): string | null | undefined {
    return this.callerLines.get(contactRef);
  }

  byContact(contactRef: string): LiveInteraction | undefined {
    return this.interactions.find((interaction) => interaction.contactRef === contactRef);
  }

  async release(interaction: LiveInteraction): Promise<void> {
    this.callerLines.delete(interaction.contactRef);
    this.set(this.interactions.filter((candidate) => candidate !== interaction));
    await interaction.discard();
  }

  list = (): readonly LiveInteraction[] => this.interactions;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: readonly LiveInteraction[]): void {
    this.interactions = next;
    for (const listener of this.listeners) listener();
  }
}
