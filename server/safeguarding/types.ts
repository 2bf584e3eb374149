// What the central server keeps of safeguarding concerns, behind an interface
// so the socket handlers and the ingest applier never see SQL.
import type {
  SafeguardingAcknowledge,
  SafeguardingAcknowledged,
  SafeguardingAlert,
  SafeguardingHistoryEntry,
  SafeguardingOutcome,
  SafeguardingRaise,
} from '../../shared/wire/safeguarding';

/** How a concern reached the server first: over the socket as it was raised, or from the outbox. */
export type SafeguardingChannel = 'live' | 'outbox';

export interface StoredSafeguardingConcern extends SafeguardingAlert {
  receivedVia: SafeguardingChannel;
  acknowledged: SafeguardingAcknowledged | null;
}

export type AcknowledgeOutcome =
  | {
      status: 'acknowledged' | 'already_acknowledged';
      acknowledged: SafeguardingAcknowledged;
      /** The concern acknowledged, to tell the adviser who raised it. */
      concern: SafeguardingAlert;
    }
  | { status: 'not_found' };

export interface SafeguardingStore {
  /**
   * Keeps a concern once by its id: a repeat from the same adviser (live and
   * then from the outbox, or a retry) is a duplicate and changes nothing; the
   * same id from another adviser is a StorageConflictError. Listeners hear of
   * a new concern once it has committed.
   */
  raise(
    raise: SafeguardingRaise,
    adviserId: string,
    receivedAt: string,
    via: SafeguardingChannel,
  ): Promise<'raised' | 'duplicate'>;
  find(concernId: string): Promise<StoredSafeguardingConcern | null>;
  /** Concerns no team leader has acknowledged yet: immediate risk first, then the longest waiting. */
  listOpen(): Promise<SafeguardingAlert[]>;
  /** The most recent concerns, open and acknowledged, newest first. */
  history(limit: number): Promise<SafeguardingHistoryEntry[]>;
  /** Records the first acknowledgement with what was done; a later one answers with the first. */
  acknowledge(
    acknowledge: SafeguardingAcknowledge,
    leaderId: string,
    at: string,
  ): Promise<AcknowledgeOutcome>;
  /** The adviser's acknowledged concerns their desk has not yet shown them, oldest first. */
  untoldOutcomes(adviserId: string): Promise<SafeguardingOutcome[]>;
  /** Records that the raising adviser has been shown the acknowledgement; false if not theirs, open, or told already. */
  adviserTold(concernId: string, adviserId: string, at: string): Promise<boolean>;
  /** Called after commit for each concern kept for the first time, whichever way it came. */
  onRaised(listener: (alert: SafeguardingAlert) => void): () => void;
}
