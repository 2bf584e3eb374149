// The transcript sender: one loop per server process that claims a due
// transcript, composes it from the held record, sends it (email through the
// relay, text through the provider), then marks it. Every process sharing a
// database runs one; the claim gives each transcript to one of them. Sent at
// least once, recorded as sent once: a crash after the send and before the
// mark leaves the claim to lapse, and the transcript is sent again with the
// same Message-ID, so the copy is recognisable. A refusal that cannot change
// (an address that does not parse, an SMTP 5xx) fails it at once; anything
// else is retried. The loop sleeps until the next transcript is due or a new
// one is queued.
import { randomUUID } from 'node:crypto';
import type { UsefulLink } from '../../shared/documents/action-plan';
import type { KnowledgeArticle } from '../../shared/knowledge/article';
import { articlesToDescribe, describeHeldArticle, prepareTranscript } from './compose';
import { mayRetry, retryDelayMs, type RetryPolicy } from './retry';
import {
  PermanentRefusalError,
  type ClaimedTranscript,
  type EmailRelay,
  type TextMessageProvider,
  type TranscriptDeliveryStore,
} from './types';
import type { LogLine } from '../logging';

export type DeliveryOutcome =
  | { kind: 'sent'; interactionId: string; attempts: number }
  | {
      kind: 'retry';
      interactionId: string;
      attempts: number;
      error: string;
      nextAttemptAt: string;
    }
  | { kind: 'failed'; interactionId: string; attempts: number; error: string };

export interface TranscriptSenderOptions {
  store: TranscriptDeliveryStore;
  email: EmailRelay;
  textMessages: TextMessageProvider;
  /** The domain of the From address: Message-IDs are made in it. */
  messageIdDomain: string;
  retry: RetryPolicy;
  now: () => number;
  /** [0, 1), for jitter. */
  random: () => number;
  log: LogLine;
  /** The longest sleep with nothing due; idleCheckMs by default. */
  idleCheckMs?: number;
  /**
   * The server's current copy of an article (published or retired), for a
   * record that names an article without the title and link the young person
   * was shown. Without it such an article is left out of the document.
   */
  articles?: (articleId: string) => Promise<KnowledgeArticle | null>;
}

/**
 * How long a claim holds: several times the relay's timeouts (smtp-relay.ts),
 * so a live sender marks before its claim lapses unless a relay trickles its
 * answers for minutes; then markSent says so and the copy is logged.
 */
export const claimLeaseMs = 5 * 60_000;

/**
 * The longest sleep with nothing due. Another server process sharing the
 * database queues transcripts without waking this one; this bounds how long
 * such a transcript waits.
 */
export const idleCheckMs = 60_000;

/** The Message-ID (and a text message's reference) for an interaction's transcript. */
export const transcriptMessageId = (interactionId: string, domain: string) =>
  `<${interactionId}.transcript@${domain}>`;

const reasonOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export class TranscriptSender {
  private stopped = false;
  private running: Promise<void> | null = null;
  /** Set by wake(); a sleep that starts after a hint returns at once. */
  private hinted = false;
  private endSleep: (() => void) | null = null;
  private readonly outcomeListeners = new Set<(outcome: DeliveryOutcome) => void>();

  constructor(private readonly options: TranscriptSenderOptions) {}

  private get idleMs(): number {
    return this.options.idleCheckMs ?? idleCheckMs;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** A hint that something may be due: a transcript queued, or the clock moved. */
  wake(): void {
    this.hinted = true;
    this.endSleep?.();
  }

  /** Listens to every attempt's outcome; returns a function that stops listening. */
  onOutcome(listener: (outcome: DeliveryOutcome) => void): () => void {
    this.outcomeListeners.add(listener);
    return () => this.outcomeListeners.delete(listener);
  }

  /** Finishes the send in progress (bounded by the relay's timeouts) and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.endSleep?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.hinted = false;
      try {
        const claimed = await this.claim();
        if (claimed) {
          await this.deliver(claimed);
          continue;
        }
        await this.sleep(await this.untilNextDue());
      } catch (error) {
        // A storage failure (a locked or full disk): keep the loop alive and look again later.
        this.options.log(`transcript sender: ${reasonOf(error)}`, 'warn');
        await this.sleep(this.idleMs);
      }
    }
  }

  private claim(): Promise<ClaimedTranscript | null> {
    const now = this.options.now();
    return this.options.store.claimNext(
      new Date(now).toISOString(),
      new Date(now + claimLeaseMs).toISOString(),
      randomUUID(),
    );
  }

  private async untilNextDue(): Promise<number> {
    const due = await this.options.store.nextDueAt();
    if (due === null) return this.idleMs;
    const wait = (due === '' ? 0 : Date.parse(due)) - this.options.now();
    return Math.min(this.idleMs, Math.max(0, wait));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped || this.hinted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.endSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endSleep = done;
    });
  }

  private async deliver(transcript: ClaimedTranscript): Promise<void> {
    const { store, log } = this.options;
    let described: Map<string, UsefulLink>;
    try {
      described = await this.describeArticles(transcript);
    } catch (error) {
      // The knowledge store could not be read: nothing about the transcript is wrong, so try again.
      await this.failed(
        transcript,
        `could not read the articles it points to: ${reasonOf(error)}`,
        'transient',
      );
      return;
    }
    const prepared = prepareTranscript(transcript, (articleId) => described.get(articleId) ?? null);
    if (!prepared.ok) {
      await this.failed(transcript, prepared.error.message, 'permanent');
      return;
    }
    const { to, document } = prepared.value;
    const messageId = transcriptMessageId(transcript.interactionId, this.options.messageIdDomain);
    try {
      if (to.via === 'email') {
        await this.options.email.send({
          to: to.address,
          subject: document.subject,
          text: document.text,
          html: document.html,
          messageId,
        });
      } else {
        await this.options.textMessages.send({
          to: to.address,
          subject: document.subject,
          body: document.text,
          reference: messageId,
        });
      }
    } catch (error) {
      await this.failed(
        transcript,
        reasonOf(error),
        error instanceof PermanentRefusalError ? 'permanent' : 'transient',
      );
      return;
    }
    if (!(await store.markSent(transcript.interactionId, transcript.claimToken, this.nowIso()))) {
      // Only when this send outlived its claim and another sender took the
      // transcript over: it was sent twice, and the other sender records it.
      log(`transcript ${transcript.interactionId} sent after its claim lapsed; not recorded twice`);
    }
    this.emit({
      kind: 'sent',
      interactionId: transcript.interactionId,
      attempts: transcript.attempts,
    });
  }

  /** Titles and links for the articles the record names without them, from the server's copies. */
  private async describeArticles(transcript: ClaimedTranscript): Promise<Map<string, UsefulLink>> {
    const described = new Map<string, UsefulLink>();
    const { articles } = this.options;
    if (!articles) return described;
    for (const articleId of articlesToDescribe(transcript)) {
      const article = await articles(articleId);
      if (article) described.set(articleId, describeHeldArticle(article));
    }
    return described;
  }

  private async failed(
    transcript: ClaimedTranscript,
    error: string,
    refusal: 'permanent' | 'transient',
  ): Promise<void> {
    const { store, retry, log } = this.options;
    const { interactionId, claimToken, attempts } = transcript;
    if (refusal === 'permanent') {
      // Sending again would be refused the same way (and RFC 5321 asks a
      // client not to repeat a request refused with 5xx).
      await store.markFailed(interactionId, claimToken, error);
      log(`transcript ${interactionId} refused for good (${error}); left for an operator`, 'error');
      this.emit({ kind: 'failed', interactionId, attempts, error });
    } else if (mayRetry(retry, attempts)) {
      const delay = retryDelayMs(retry, attempts, this.options.random);
      const nextAttemptAt = new Date(this.options.now() + delay).toISOString();
      await store.markRetry(interactionId, claimToken, error, nextAttemptAt);
      log(
        `transcript ${interactionId} attempt ${attempts} failed (${error}); next at ${nextAttemptAt}`,
      );
      this.emit({ kind: 'retry', interactionId, attempts, error, nextAttemptAt });
    } else {
      await store.markFailed(interactionId, claimToken, error);
      log(
        `transcript ${interactionId} failed after ${attempts} attempts (${error}); left for an operator`,
      );
      this.emit({ kind: 'failed', interactionId, attempts, error });
    }
  }

  private nowIso(): string {
    return new Date(this.options.now()).toISOString();
  }

  private emit(outcome: DeliveryOutcome): void {
    for (const listener of this.outcomeListeners) {
      try {
        listener(outcome);
      } catch (error) {
        this.options.log(`transcript outcome listener failed: ${reasonOf(error)}`, 'error');
      }
    }
  }
}
