// Work on one key (a chat) runs one piece at a time, in the order it was asked
// for; work on different keys runs side by side. Routing decides in memory and
// the store records it: while one decision awaits its write, the next event on
// the same chat (an accept, the customer leaving, a message) waits its turn
// instead of acting on a picture that is about to change.

export class KeyedTurns {
  /** The last piece of work queued on each key, settled or not; gone once the key is idle. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` once every earlier piece on `key` has finished, whether it succeeded or not. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running. */
  get busyKeys(): number {
    return this.tails.size;
  }

  /** Resolves once no key has work left, including work queued while waiting. */
  async settled(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
