// The kept chat in the tab's sessionStorage: survives a reload, not a closed tab,
// and is never shared with another tab (each tab is its own chat).
import type { KeptChatStorage } from './kept';

export function sessionKeptChat(key = 'helpline-chat'): KeptChatStorage {
  return {
    read() {
      try {
        return sessionStorage.getItem(key);
      } catch {
        // Storage blocked (a private window's settings): nothing was kept.
        return null;
      }
    },
    write(text) {
      try {
        sessionStorage.setItem(key, text);
      } catch {
        // Without storage a reload starts afresh; the chat itself still works.
      }
    },
    remove() {
      try {
        sessionStorage.removeItem(key);
      } catch {
        // Nothing could have been kept to remove.
      }
    },
  };
}
