// In-process listeners a store calls after a commit: the sender's wake-up, the
// live safeguarding alert. One set per storage, shared by the store on the
// database and by the stores of every unit of work, so a listener added once
// hears of writes made either way. Across server processes the news travels
// by other means (the socket.io adapter, the sender's own polling).
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One failing listener neither stops the others nor fails the write that committed. */
  emit(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
