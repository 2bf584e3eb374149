// The time routing runs on: a reading and one-shot timers. The server uses the
// real ones; tests use a clock they move by hand, so offer time-outs and waits
// are exact without sleeping.
export interface RoutingClock {
  now(): number;
  /** Calls `fire` once after `ms`; the returned function cancels it. */
  after(ms: number, fire: () => void): () => void;
}

/** Real timers, with the server's (possibly moved) clock for readings. */
export function systemClock(now: () => number = Date.now): RoutingClock {
  return {
    now,
    after(ms, fire) {
      const timer = setTimeout(fire, ms);
      // A pending offer must not keep a closing server's process alive.
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
}

/** A clock that moves only when told to; due timers fire in time order as it passes them. */
export class ManualClock implements RoutingClock {
  private timers: { at: number; order: number; fire: () => void }[] = [];
  private order = 0;

  constructor(private current = Date.UTC(2026, 10, 30, 10, 0, 0)) {}

  now(): number {
    return this.current;
  }

  after(ms: number, fire: () => void): () => void {
    const timer = { at: this.current + ms, order: this.order++, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves the clock on by `ms`, firing each timer that falls due on the way, earliest first. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fire();
    }
    this.current = target;
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}

/**
 * Runs `work` once for any number of requests in one turn, and at most once
 * every `everyMs`: the first request in a while runs after the turn's other
 * changes; later ones wait for the rest of the interval and run together.
 */
export class Coalesced {
  private pending = false;
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private cancelTimer: () => void = () => undefined;

  constructor(
    private readonly clock: RoutingClock,
    private readonly everyMs: number,
    private readonly work: () => void,
  ) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    const run = () => {
      this.pending = false;
      this.cancelTimer = () => undefined;
      this.lastRunAt = this.clock.now();
      this.work();
    };
    const wait = this.lastRunAt + this.everyMs - this.clock.now();
    if (wait <= 0) queueMicrotask(run);
    else this.cancelTimer = this.clock.after(wait, run);
  }

  cancel(): void {
    this.cancelTimer();
  }
}
