// Encryption with the key that protects the adviser's session in the desk's
// database. The desk services run in a utility process (electron/desk-services.ts),
// where Electron's safeStorage does not work, so the main process keeps this
// key in the data folder under safeStorage (desk-keys.ts) and hands it over at
// start; the services encrypt with it. Nothing here touches the database: the
// main process loads no SQLite.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The part of Electron's safeStorage the desk uses; declared here so services never import electron. */
export interface StringEncryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Encrypts with a 256-bit key (AES-256-GCM: a fresh 96-bit nonce per message,
 * the tag checked on decryption). Used where the desk services run in their
 * own process: Electron's safeStorage works only in the main process, so the
 * main process keeps this key under it (desk-keys.ts) and hands it
 * over at start. Null: no key store on this machine, nothing is kept.
 */
export function keyEncryptor(key: Buffer | null): StringEncryptor {
  if (key !== null && key.length !== 32) throw new Error('The session key must be 32 bytes');
  return {
    isEncryptionAvailable: () => key !== null,
    encryptString(plainText) {
      if (key === null) throw new Error('No session key');
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const sealed = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([nonce, cipher.getAuthTag(), sealed]);
    },
    decryptString(encrypted) {
      if (key === null) throw new Error('No session key');
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
