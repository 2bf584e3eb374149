// An honest expected wait for a customer in the chat queue, from how long
// recently answered chats actually waited. Each answer is kept as "seconds
// waited per place in the queue at joining"; the estimate is the median of
// those, times the customer's place. With too few recent answers it says
// nothing (null) rather than guess: the page then says it cannot tell yet.

export interface AnsweredWait {
  answeredAt: number;
  waitedMs: number;
  positionAtJoin: number;
}

export interface WaitEstimateOptions {
  /** Answers older than this are ignored: a quiet morning says little about a busy evening. */
  windowMs?: number;
  /** Fewer recent answers than this and no estimate is given. */
  minimumAnswers?: number;
  /** Only the latest this many answers count. */
  keep?: number;
}

export class WaitEstimator {
  private answers: AnsweredWait[] = [];
  private readonly windowMs: number;
  private readonly minimumAnswers: number;
  private readonly keep: number;

  constructor(options: WaitEstimateOptions = {}) {
    this.windowMs = options.windowMs ?? 2 * 60 * 60 * 1000;
    this.minimumAnswers = options.minimumAnswers ?? 3;
    this.keep = options.keep ?? 30;
  }

  record(answer: AnsweredWait): void {
    this.answers.push(answer);
    this.answers.sort((a, b) => a.answeredAt - b.answeredAt);
    if (this.answers.length > this.keep) this.answers = this.answers.slice(-this.keep);
  }

  /** The estimate for someone at `position` now, and how many answers it rests on. */
  estimate(position: number, now: number): { seconds: number | null; basedOn: number } {
    const recent = this.answers.filter((answer) => now - answer.answeredAt <= this.windowMs);
    if (recent.length < this.minimumAnswers) return { seconds: null, basedOn: recent.length };
    const perPlace = recent
      .map((answer) => answer.waitedMs / Math.max(1, answer.positionAtJoin))
      .sort((a, b) => a - b);
    const middle = Math.floor(perPlace.length / 2);
    const median =
      perPlace.length % 2 === 1
        ? (perPlace[middle] ?? 0)
        : ((perPlace[middle - 1] ?? 0) + (perPlace[middle] ?? 0)) / 2;
    return { seconds: Math.round((median * Math.max(1, position)) / 1000), basedOn: recent.length };
  }
}
