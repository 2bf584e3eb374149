// Group commit for the chat's writes on PostgreSQL: what arrives while one
// batch is on its way to the database waits and goes in the next, as one
// statement and one commit. Each write still resolves only once the commit
// that holds it has returned, so an acknowledgement never runs ahead of the
// disk. Idle, a write goes at once and waits for nobody; under load a batch
// holds what arrived during one round trip, so the number of commits a second
// stays near the number of round trips, not the number of messages.

interface Waiting<In, Out> {
  input: In;
  key: string;
  resolve(output: Out): void;
  reject(error: unknown): void;
}

export class WriteBatches<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private sending = false;

  /**
   * `write` answers each input of a batch, in order. `keyOf` names what an input
   * writes (a chat): two inputs with one key never share a batch, since one
   * statement cannot apply both in turn; the later waits for the next.
   */
  constructor(
    private readonly write: (inputs: In[]) => Promise<Out[]>,
    private readonly keyOf: (input: In) => string,
    private readonly maxBatch = 500,
  ) {}

  run(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, key: this.keyOf(input), resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.waiting.length > 0) {
      const batch: Waiting<In, Out>[] = [];
      const later: Waiting<In, Out>[] = [];
      const keys = new Set<string>();
      for (const each of this.waiting) {
        if (batch.length < this.maxBatch && !keys.has(each.key)) {
          keys.add(each.key);
          batch.push(each);
        } else {
          later.push(each);
        }
      }
      this.waiting = later;
      try {
        const outputs = await this.write(batch.map((each) => each.input));
        batch.forEach((each, index) => each.resolve(outputs[index] as Out));
      } catch (error) {
        for (const each of batch) each.reject(error);
      }
    }
    this.sending = false;
  }
}
