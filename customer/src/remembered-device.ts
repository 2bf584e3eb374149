// A device the customer asked to be remembered: a random key kept in the
// browser's localStorage (it outlasts the tab, unlike the kept chat) and sent
// with each chat, so the adviser sees that customer's earlier chats. Never by
// default: the page starts unticked unless this device was remembered before,
// and unticking it forgets the key. The server keeps only the key's hash.
import { deviceKeySchema } from '../../shared/wire/chat';

/** Where the key lives (localStorage on the page: remembered-device.local.ts); never throws. */
export interface DeviceKeyStorage {
  read(): string | null;
  write(value: string): void;
  remove(): void;
}

/** The key kept on this device, if it is remembered and the key is well formed. */
export function rememberedKey(storage: DeviceKeyStorage): string | null {
  const parsed = deviceKeySchema.safeParse(storage.read());
  return parsed.success ? parsed.data : null;
}

/** Remembers this device (a new key unless one is kept) and answers its key. */
export function rememberDevice(storage: DeviceKeyStorage): string {
  const kept = rememberedKey(storage);
  if (kept) return kept;
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const key = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  storage.write(key);
  return key;
}

export function forgetDevice(storage: DeviceKeyStorage): void {
  storage.remove();
}
