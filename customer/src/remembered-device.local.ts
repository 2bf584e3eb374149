// The remembered device's key in the browser's localStorage: it outlasts the
// tab and the browser's restart, on this device only.
import type { DeviceKeyStorage } from './remembered-device';

export function localDeviceKeyStorage(key = 'helpline-remembered-device'): DeviceKeyStorage {
  return {
    read() {
      try {
        return localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    write(value) {
      try {
        localStorage.setItem(key, value);
      } catch {
        // Storage blocked: this chat still carries the key, the next will not.
      }
    },
    remove() {
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing could have been kept to remove.
      }
    },
  };
}
