// Fills in the redacted search text of interactions behind the outbox.
//
// Redacting a record takes tens of milliseconds (the name finder reads every
// note and chat line), far too long for the ingest that answers a desk, so an
// interaction is written without its search text and this indexer redacts it
// a moment later. It takes one record at a time and yields between them, so a
// backlog (an upgrade, a desk that was offline for a week) never holds the
// event loop for more than one record's redaction; live chat goes on beside it.
// With several server processes each runs one, and the store hands a row to
// only one of them (HistoryStore.indexSearchText).
//
// When nothing waits to be indexed it tidies the search index a little at a
// time (HistoryStore.tidySearchIndex): every write leaves SQLite's full-text
// index another segment, and a search that tests rows one by one pays for
// each segment on every row (a two-word search over a million rows took ten
// times as long on the index as written as on the index merged).
import type { InteractionRecord } from '../../shared/interaction/record';
import { redactRecordWith } from '../redaction';
import type { KnownValue } from '../redaction/kinds';
import { searchTextOf } from '../storage/history';
import type { HistoryStore } from '../storage/types';
import type { LogLine } from '../logging';

/**
 * The words a history search may find in a record: its notes and chat, after
 * redaction. The journal is left out: the search reads only the summary, and
 * the journal's keystroke-by-keystroke notes are most of a redaction's work.
 */
export function searchTextFor(
  record: InteractionRecord,
  known: readonly KnownValue[] = [],
): string {
  return searchTextOf(redactRecordWith({ ...record, journal: [] }, { known }));
}

/**
 * Index pages merged per turn: a few milliseconds of writing, so the write
 * lock is never held long, and a million rows' index merged in about a
 * thousand turns.
 */
export const tidyPages = 200;

export interface HistoryIndexerOptions {
  /** How long to wait before looking again once nothing is waiting (default 2 s). */
  idleMs?: number;
}

export interface HistoryIndexer {
  /** Looks at once rather than at the next idle tick (a delivery just arrived). */
  wake(): void;
  /** Finishes the record in hand, then stops. */
  close(): Promise<void>;
}

export function startHistoryIndexer(
  store: Pick<HistoryStore, 'indexSearchText' | 'tidySearchIndex'>,
  log: LogLine,
  options: HistoryIndexerOptions = {},
): HistoryIndexer {
  const idleMs = options.idleMs ?? 2_000;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  let failing = false;

  const rest = (ms: number) =>
    new Promise<void>((resolve) => {
      wakeUp = resolve;
      timer = setTimeout(resolve, ms);
    }).finally(() => {
      if (timer) clearTimeout(timer);
      timer = null;
      wakeUp = null;
    });

  const run = async () => {
    while (!closed) {
      try {
        const done =
          (await store.indexSearchText(searchTextFor, 1)) > 0 ||
          (await store.tidySearchIndex(tidyPages));
        if (failing) log('history: indexing search text again');
        failing = false;
        // Another record (or more tidying) may be waiting: on the next turn of the loop.
        if (done) await new Promise((resolve) => setImmediate(resolve));
        else await rest(idleMs);
      } catch (error) {
        // The database is away (a restart, a failover): try again later, saying so once.
        if (!failing)
          log(`history: cannot index search text yet: ${(error as Error).message}`, 'warn');
        failing = true;
        await rest(idleMs);
      }
    }
  };
  const running = run();

  return {
    wake: () => wakeUp?.(),
    close: async () => {
      closed = true;
      wakeUp?.();
      await running;
    },
  };
}
