// The contracts of transcript delivery: what the sender needs from storage,
// and the two ways a transcript leaves the server (email over SMTP, and a
// text-message provider). Implementations sit beside this file.
import type { TranscriptRequest } from '../../shared/documents/transcript';
import type { QueuedTranscript } from '../storage/types';

/**
 * A queued transcript this sender has claimed. It carries no document: the
 * sender composes one from the interaction record the server holds (see
 * compose.ts), so nothing a desk wrote is ever mailed as it was sent.
 */
export interface ClaimedTranscript {
  interactionId: string;
  via: QueuedTranscript['via'];
  /** As queued; the sender checks it against the record's own choice before using it. */
  address: string;
  /** The held interaction record as stored (JSON), or null if it is no longer held. */
  heldRecord: string | null;
  /** Including the attempt this claim starts. */
  attempts: number;
  /** Names this claim; a mark made with a lapsed claim's token changes nothing. */
  claimToken: string;
}

/** A transcript that is failing or has failed, as operators see it. */
export interface FailingTranscript extends QueuedTranscript {
  lastError: string | null;
  /** When the next attempt is due; null once it has failed for good. */
  nextAttemptAt: string | null;
}

/**
 * What the sender reads and writes. Claim, send, then mark: a claim lasts
 * until `leaseUntil`, so a sender that dies mid-send leaves the transcript to
 * be claimed again once the lease lapses (which may send it twice; it is
 * recorded as sent once).
 */
export interface TranscriptDeliveryStore {
  /**
   * Queues a transcript of one of this adviser's held interactions, as the
   * ingest writer does: a StorageConflictError when no such record is held yet
   * (the desk tries again) or a transcript of it is already queued. Listeners
   * of `onQueued` hear of it once it has committed.
   */
  queue(request: TranscriptRequest, adviserId: string, receivedAt: string): Promise<void>;
  /** Claims the transcript most overdue, counting the attempt; null when none is due. */
  claimNext(now: string, leaseUntil: string, claimToken: string): Promise<ClaimedTranscript | null>;
  /** Records the transcript as sent; false if this claim no longer holds it. */
  markSent(interactionId: string, claimToken: string, sentAt: string): Promise<boolean>;
  /** Records a failed attempt and when to try again; false if this claim no longer holds it. */
  markRetry(
    interactionId: string,
    claimToken: string,
    error: string,
    nextAttemptAt: string,
  ): Promise<boolean>;
  /** Gives up: the transcript is left failed for an operator; false if this claim no longer holds it. */
  markFailed(interactionId: string, claimToken: string, error: string): Promise<boolean>;
  /** The earliest time a queued transcript becomes claimable; null when nothing is queued. */
  nextDueAt(): Promise<string | null>;
  /** Failed transcripts, and queued ones whose last attempt failed; newest requested first. */
  listFailing(limit: number): Promise<FailingTranscript[]>;
  /**
   * Calls `listener` whenever a transcript queued in this process has
   * committed (another process's are found by the sender's own polling).
   * Returns a function that removes the listener.
   */
  onQueued(listener: () => void): () => void;
}

/** One email as the sender hands it to a relay. */
export interface TranscriptEmail {
  /** One mailbox, already parsed by shared/domain/contact-address.ts; never a list or a header. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Made from the interaction id, so a resend after a crash is recognisable as the same message. */
  messageId: string;
}

/**
 * A refusal that will not change however often the message is sent again (an
 * SMTP 5xx for the recipient or the message): the sender gives up at once
 * instead of retrying. Anything else a relay or provider throws is retried.
 */
export class PermanentRefusalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentRefusalError';
  }
}

export interface EmailRelay {
  /**
   * Resolves once the relay has accepted the message; rejects with the relay's
   * answer otherwise, as a PermanentRefusalError when it is final.
   */
  send(email: TranscriptEmail): Promise<void>;
  close(): void;
}

/** One text message to a customer's phone. */
export interface TranscriptTextMessage {
  /** One UK mobile number in E.164 (+447…), parsed by shared/domain/contact-address.ts. */
  to: string;
  subject: string;
  body: string;
  /** The same reference a resend would carry, as the email's Message-ID does. */
  reference: string;
}

/**
 * Where text messages go. The default keeps them in the mail sink folder; an
 * SMS gateway implements the same interface.
 */
export interface TextMessageProvider {
  /**
   * Resolves once the provider has taken the message; rejects with a reason
   * otherwise, as a PermanentRefusalError when the number can never take it.
   */
  send(message: TranscriptTextMessage): Promise<void>;
}
