// The conversation as the customer page shows it, without the DOM: every
// message once, in seq order, with the young person's own messages that are
// still on their way (or were refused) after them. Messages can arrive out of
// order after a reconnect (a live message ahead of the resume backlog), so
// what has been shown is a set of seqs, never "the highest seq seen".
import type { ChatMessage, ChatParty } from '../../shared/wire/chat';

/** The seqs shown so far: each shown once, and the unbroken run from 1 to resume from. */
export class SeenSeqs {
  private readonly seen = new Set<number>();
  private unbroken = 0;

  /** Records a seq; false when it was already seen. */
  add(seq: number): boolean {
    if (this.seen.has(seq)) return false;
    this.seen.add(seq);
    while (this.seen.has(this.unbroken + 1)) this.unbroken += 1;
    return true;
  }

  has(seq: number): boolean {
    return this.seen.has(seq);
  }

  /** The highest seq below which every message has been seen: what to resume from. */
  contiguous(): number {
    return this.unbroken;
  }
}

export type Delivery = 'sending' | 'waiting' | 'sent' | 'refused';

export interface TranscriptEntry {
  clientMessageId: string;
  from: ChatParty;
  /** "You" for the young person's own messages, the adviser's first name for theirs. */
  author: string;
  text: string;
  /** Null until the server has stored it. */
  seq: number | null;
  /** When the server stored it (the time shown beside it); null until then. */
  sentAt: string | null;
  delivery: Delivery;
  /** Why a message is waiting or was not sent, in words to show. */
  problem: string | null;
}

/** Where an entry now sits: just before `before`, or last when that is null. */
export interface Placement {
  entry: TranscriptEntry;
  before: TranscriptEntry | null;
}

interface Placed {
  entry: TranscriptEntry;
  /** Seq for stored messages; a refused one stays just after what was shown when it was refused; unsent ones last. */
  order: number;
}

const keyOf = (from: ChatParty, clientMessageId: string) => `${from}/${clientMessageId}`;

export class Transcript {
  private placed: Placed[] = [];
  private readonly byKey = new Map<string, Placed>();
  private readonly bySeq = new Map<number, Placed>();

  entries(): TranscriptEntry[] {
    return this.placed.map((placed) => placed.entry);
  }

  clear(): void {
    this.placed = [];
    this.byKey.clear();
    this.bySeq.clear();
  }

  /** The young person wrote a message: shown at once, after everything stored. */
  written(clientMessageId: string, text: string): Placement {
    const existing = this.byKey.get(keyOf('customer', clientMessageId));
    if (existing) return this.placementOf(existing);
    const entry: TranscriptEntry = {
      clientMessageId,
      from: 'customer',
      author: 'You',
      text,
      seq: null,
      sentAt: null,
      delivery: 'sending',
      problem: null,
    };
    return this.place({ entry, order: Number.POSITIVE_INFINITY });
  }

  /**
   * A stored message arrived (live, or in the resume backlog). Null when it is
   * already shown; a message of ours already shown as sending is marked sent.
   */
  received(message: ChatMessage): Placement | null {
    if (this.bySeq.has(message.seq)) return null;
    const own = this.byKey.get(keyOf(message.from, message.clientMessageId));
    if (own) return this.delivered(message.clientMessageId, message.seq, message.sentAt);
    const entry: TranscriptEntry = {
      clientMessageId: message.clientMessageId,
      from: message.from,
      author: message.from === 'customer' ? 'You' : message.author,
      text: message.text,
      seq: message.seq,
      sentAt: message.sentAt,
      delivery: 'sent',
      problem: null,
    };
    return this.place({ entry, order: message.seq });
  }

  /** One of ours was stored with this seq: it moves to its place in the conversation. */
  delivered(clientMessageId: string, seq: number, sentAt: string): Placement | null {
    const placed = this.byKey.get(keyOf('customer', clientMessageId));
    if (!placed) return null;
    const holder = this.bySeq.get(seq);
    if (holder && holder !== placed) return null;
    placed.entry.seq = seq;
    placed.entry.sentAt = sentAt;
    placed.entry.delivery = 'sent';
    placed.entry.problem = null;
    placed.order = seq;
    return this.place(placed);
  }

  /** One of ours is waiting (offline, or asked to slow down); it keeps its place. */
  waiting(clientMessageId: string, problem: string): TranscriptEntry | null {
    const placed = this.byKey.get(keyOf('customer', clientMessageId));
    if (!placed || placed.entry.delivery === 'sent' || placed.entry.delivery === 'refused') {
      return null;
    }
    placed.entry.delivery = 'waiting';
    placed.entry.problem = problem;
    return placed.entry;
  }

  /** Back online: ours that were waiting are on their way again. Returns those changed. */
  backOnline(): TranscriptEntry[] {
    const changed: TranscriptEntry[] = [];
    for (const { entry } of this.placed) {
      if (entry.delivery !== 'waiting') continue;
      entry.delivery = 'sending';
      entry.problem = null;
      changed.push(entry);
    }
    return changed;
  }

  /** One of ours will not be sent: it stays where it was in the conversation, marked with why. */
  refused(clientMessageId: string, problem: string): Placement | null {
    const placed = this.byKey.get(keyOf('customer', clientMessageId));
    if (!placed || placed.entry.delivery === 'sent') return null;
    placed.entry.delivery = 'refused';
    placed.entry.problem = problem;
    let shownUpTo = 0;
    for (const other of this.placed) {
      if (other.entry.seq !== null) shownUpTo = Math.max(shownUpTo, other.order);
    }
    placed.order = shownUpTo + 0.5;
    return this.place(placed);
  }

  private place(placed: Placed): Placement {
    const at = this.placed.indexOf(placed);
    if (at >= 0) this.placed.splice(at, 1);
    // After everything of the same order (written order among unsent ones), before anything later.
    let index = this.placed.findIndex((other) => other.order > placed.order);
    if (index < 0) index = this.placed.length;
    this.placed.splice(index, 0, placed);
    this.byKey.set(keyOf(placed.entry.from, placed.entry.clientMessageId), placed);
    if (placed.entry.seq !== null) this.bySeq.set(placed.entry.seq, placed);
    return this.placementOf(placed);
  }

  private placementOf(placed: Placed): Placement {
    const index = this.placed.indexOf(placed);
    return { entry: placed.entry, before: this.placed[index + 1]?.entry ?? null };
  }
}
