import { describe, expect, it } from 'vitest';
import {
  forgetDevice,
  rememberDevice,
  rememberedKey,
  type DeviceKeyStorage,
} from '../../customer/src/remembered-device';
import { customerChatStartSchema } from '../../shared/wire/chat';

function memoryStorage(initial: string | null = null): DeviceKeyStorage & { value: string | null } {
  const storage = {
    value: initial,
    read: () => storage.value,
    write: (value: string) => {
      storage.value = value;
    },
    remove: () => {
      storage.value = null;
    },
  };
  return storage;
}

describe('a remembered chat device', () => {
  it('is not remembered until asked, then keeps one key the server accepts', () => {
    const storage = memoryStorage();
    expect(rememberedKey(storage)).toBeNull();
    const key = rememberDevice(storage);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rememberDevice(storage)).toBe(key);
    expect(rememberedKey(storage)).toBe(key);
    expect(customerChatStartSchema.parse({ name: 'Jade', deviceKey: key }).deviceKey).toBe(key);
  });

  it('makes a different key on each device', () => {
    const keys = new Set(Array.from({ length: 50 }, () => rememberDevice(memoryStorage())));
    expect(keys.size).toBe(50);
  });

  it('replaces a kept value that is not a key, and forgets when asked', () => {
    const storage = memoryStorage('<script>');
    expect(rememberedKey(storage)).toBeNull();
    const key = rememberDevice(storage);
    expect(key).not.toBe('<script>');
    forgetDevice(storage);
    expect(rememberedKey(storage)).toBeNull();
  });

  it('is refused by the server when it is too short to be secret', () => {
    expect(customerChatStartSchema.safeParse({ name: 'Jade', deviceKey: 'abc' }).success).toBe(
      false,
    );
  });
});
