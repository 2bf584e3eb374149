// The chat area's state on the page, outside React: offers, the adviser's
// chats, availability and the queue, kept current from the desk's pushed
// events and loaded whole when the page (re)loads, since pushes sent while
// the page was away are lost. One per desk bridge, shared by every component.
import type {
  ChatDesk,
  DeskBridge,
  DeskEventPayload,
  LiveChat,
} from '../../../shared/ipc/contract';
import type { ResultError, Result } from '../../../shared/result';
import type {
  AdviserAvailability,
  AdviserPresence,
  ChatOffer,
  QueueStats,
} from '../../../shared/wire/chat';

/** An offer with the moment, on this page's clock, after which it can no longer be accepted. */
export interface HeldOffer {
  offer: ChatOffer;
  deadline: number;
  /** When this page heard of the offer, on its own clock: the wait shown grows from there. */
  heardAt: number;
}

export interface ChatDeskState {
  offers: readonly HeldOffer[];
  chats: readonly LiveChat[];
  presence: AdviserPresence | null;
  queue: QueueStats | null;
  /**
   * When this page heard the queue figures, on its own clock: the longest wait
   * they give is counted on from there (the server sends figures when the
   * queue changes, and only every 15 seconds while it does not).
   */
  queueHeardAt: number | null;
  /** Chats with an interaction on this page, in the order they were accepted. */
  liveChatIds: readonly string[];
  /** The chat on screen while several are live. */
  selected: string | null;
  /** Why the last request from the chat area failed, if it did. */
  problem: ResultError | null;
}

const emptyState: ChatDeskState = {
  offers: [],
  chats: [],
  presence: null,
  queue: null,
  queueHeardAt: null,
  liveChatIds: [],
  selected: null,
  problem: null,
};

/**
 * When an offer runs out on this page's clock. The server's clock may differ
 * from the desk's, so the offer's own length (expiresAt - offeredAt) is counted
 * from when the page heard of it, and never beyond the server's deadline.
 */
export function offerDeadline(offer: ChatOffer, heardAt: number): number {
  const length = Math.max(0, Date.parse(offer.expiresAt) - Date.parse(offer.offeredAt));
  return Math.min(heardAt + length, Math.max(heardAt, Date.parse(offer.expiresAt)));
}

export class ChatDeskModel {
  private current: ChatDeskState = emptyState;
  private readonly listeners = new Set<() => void>();
  /** Chats accepted on this page, with when they were offered: only these become interactions here. */
  private readonly acceptedHere = new Map<string, string>();

  constructor(
    private readonly desk: DeskBridge,
    private readonly clock: () => number = () => Date.now(),
  ) {
    desk.onChatOffered((offer) => this.addOffer(offer));
    desk.onChatOfferWithdrawn(({ chatId }) => this.removeOffer(chatId));
    desk.onChatUpdated((chat) => this.upsertChat(chat));
    desk.onQueueStats((queue) => this.set({ queue, queueHeardAt: this.clock() }));
    desk.onAvailabilityChanged((presence) => this.set({ presence }));
  }

  state = (): ChatDeskState => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Loads everything whole: on page load and whenever the page's link to the desk comes back. */
  async refresh(): Promise<void> {
    const answer = await this.desk.chatDesk(null);
    if (!answer.ok) return this.set({ problem: answer.error });
    this.adopt(answer.value);
  }

  /** When a chat accepted on this page was offered to the adviser; null for any other chat. */
  acceptedHereAfterOffer(chatId: string): string | null {
    return this.acceptedHere.get(chatId) ?? null;
  }

  async accept(chatId: string): Promise<Result<LiveChat>> {
    const answer = await this.desk.acceptChat({ chatId });
    if (!answer.ok) {
      this.set({ problem: answer.error });
      // An offer that can no longer be accepted is gone from the server too.
      if (answer.error.code === 'not_found' || answer.error.code === 'conflict')
        this.removeOffer(chatId);
      return answer;
    }
    const offeredAt =
      this.current.offers.find((held) => held.offer.chatId === chatId)?.offer.offeredAt ??
      answer.value.answeredAt ??
      answer.value.queuedAt;
    this.acceptedHere.set(chatId, offeredAt);
    this.removeOffer(chatId);
    this.upsertChat(answer.value);
    this.set({ selected: chatId, problem: null });
    return answer;
  }

  async decline(chatId: string): Promise<void> {
    const declined = this.current.offers.find((held) => held.offer.chatId === chatId);
    const answer = await this.desk.declineChat({ chatId });
    // Only the offer declined goes: routing may offer the same chat here again (once nobody
    // else has room), and that new offer can arrive before this answer does.
    if (answer.ok) this.removeOffer(chatId, declined);
    this.set({ problem: answer.ok ? null : answer.error });
  }

  /** Makes sure a chat is held (after a reload or a desk restart) and returns it. */
  async open(chatId: string): Promise<Result<LiveChat>> {
    const answer = await this.desk.openChat({ chatId });
    if (answer.ok) this.upsertChat(answer.value);
    return answer;
  }

  send(chatId: string, text: string) {
    return this.desk.sendChatMessage({ chatId, text });
  }

  setTyping(chatId: string, typing: boolean) {
    return this.desk.setTyping({ chatId, typing });
  }

  end(chatId: string) {
    return this.desk.endChat({ chatId });
  }

  async setAvailability(availability: AdviserAvailability): Promise<void> {
    const answer = await this.desk.setAvailability({ availability });
    this.set(answer.ok ? { presence: answer.value, problem: null } : { problem: answer.error });
  }

  select(chatId: string): void {
    if (this.current.liveChatIds.includes(chatId)) this.set({ selected: chatId });
  }

  /** Told by the interaction host which chats have an interaction on this page. */
  setLiveChats(chatIds: readonly string[]): void {
    const same =
      chatIds.length === this.current.liveChatIds.length &&
      chatIds.every((id, index) => this.current.liveChatIds[index] === id);
    if (same) return;
    const selected =
      this.current.selected !== null && chatIds.includes(this.current.selected)
        ? this.current.selected
        : (chatIds[0] ?? null);
    this.set({ liveChatIds: [...chatIds], selected });
  }

  /** Whether an interaction's screen is the one shown: always for calls; for chats, the selected one. */
  isShown(chatId: string | null): boolean {
    return chatId === null || this.current.selected === null || this.current.selected === chatId;
  }

  chat(chatId: string): LiveChat | undefined {
    return this.current.chats.find((chat) => chat.chatId === chatId);
  }

  clearProblem(): void {
    this.set({ problem: null });
  }

  private adopt(desk: ChatDesk): void {
    const now = this.clock();
    const known = new Map(this.current.offers.map((held) => [held.offer.chatId, held]));
    this.set({
      offers: desk.offers.map(
        (offer) =>
          known.get(offer.chatId) ?? { offer, deadline: offerDeadline(offer, now), heardAt: now },
      ),
      chats: desk.chats,
      presence: desk.presence,
      queue: desk.queue,
      queueHeardAt: desk.queue ? now : null,
      problem: null,
    });
  }

  private addOffer(offer: DeskEventPayload<'chatOffered'>): void {
    if (this.current.offers.some((held) => held.offer.chatId === offer.chatId)) return;
    const heardAt = this.clock();
    const held = { offer, deadline: offerDeadline(offer, heardAt), heardAt };
    this.set({ offers: [...this.current.offers, held] });
  }

  /** Takes the chat's offer off the page; with `only`, just that offer and not a newer one. */
  private removeOffer(chatId: string, only?: HeldOffer): void {
    const goes = (held: HeldOffer) =>
      held.offer.chatId === chatId && (only === undefined || held === only);
    if (!this.current.offers.some(goes)) return;
    this.set({ offers: this.current.offers.filter((held) => !goes(held)) });
  }

  private upsertChat(chat: LiveChat): void {
    const others = this.current.chats.filter((held) => held.chatId !== chat.chatId);
    const index = this.current.chats.findIndex((held) => held.chatId === chat.chatId);
    const chats = [...others];
    chats.splice(index === -1 ? chats.length : index, 0, chat);
    this.set({ chats });
  }

  private set(change: Partial<ChatDeskState>): void {
    this.current = { ...this.current, ...change };
    for (const listener of this.listeners) listener();
  }
}

const models = new WeakMap<DeskBridge, ChatDeskModel>();

/** The page's one chat model for this desk bridge, made on first use. */
export function chatDeskFor(desk: DeskBridge): ChatDeskModel {
  let model = models.get(desk);
  if (!model) {
    model = new ChatDeskModel(desk);
    models.set(desk, model);
    void model.refresh();
  }
  return model;
}
