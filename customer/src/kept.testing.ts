// Test double for KeptChatStorage: a string in memory that outlives the
// connection using it, the way sessionStorage outlives a page reload.
import type { KeptChatStorage } from './kept';

export class MemoryKeptChat implements KeptChatStorage {
  constructor(public text: string | null = null) {}

  read(): string | null {
    return this.text;
  }

  write(text: string): void {
    this.text = text;
  }

  remove(): void {
    this.text = null;
  }
}
