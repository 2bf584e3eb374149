// Builders for the desk services' tests: a valid completed interaction record
// and follow-up booking, made through the shared machine's own summary.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DESK_KEY_FILE, keptKeyFile } from '../../electron/services/desk-keys';
import { openLocalDb, type LocalDb } from '../../electron/services/local-db';
import type { StringEncryptor } from '../../electron/services/session-key';
import { initialInteractionContext, summaryOf } from '../../shared/interaction/machine';
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';

export function tempDataDir(label = 'desk'): string {
  return mkdtempSync(join(tmpdir(), `adviser-${label}-`));
}

/**
 * Opens a desk's database as the desk services leave it: encrypted with the
 * key file in its data folder (what browser mode and the services' default use).
 */
export function openDeskDb(dataDir: string): LocalDb {
  return openLocalDb(dataDir, { key: keptKeyFile(join(dataDir, DESK_KEY_FILE), dataDir) });
}

/**
 * A reversible stand-in for the operating system's key store (Electron's
 * safeStorage); another mark is another machine's, which cannot open it.
 */
export const xorEncryptor = (available = true, mark = 0x5a): StringEncryptor => ({
  isEncryptionAvailable: () => available,
  encryptString: (plainText) =>
    Buffer.concat([Buffer.of(mark), Buffer.from(plainText).map((byte) => byte ^ mark)]),
  decryptString(encrypted) {
    // Like safeStorage, it throws on what it did not seal.
    if (encrypted[0] !== mark) throw new Error('Error while decrypting the ciphertext');
    return Buffer.from(encrypted.subarray(1).map((byte) => byte ^ mark)).toString();
  },
});

export function completedRecord(
  deskId: string,
  overrides: Partial<InteractionRecord> = {},
): InteractionRecord {
  const context = initialInteractionContext();
  const offeredAt = '2026-11-20T10:00:00.000Z';
  context.call = { ...context.call, offeredAt, connectedAt: '2026-11-20T10:00:05.000Z' };
  const record: InteractionRecord = {
    id: randomUUID(),
    machineVersion: 1,
    channel: 'voice',
    adviserId: 'adviser-1',
    deskId,
    contactRef: `call-${randomUUID()}`,
    startedAt: offeredAt,
    completedAt: '2026-11-20T10:20:00.000Z',
    summary: summaryOf(context),
    journal: [],
    ...overrides,
  };
  if (overrides.journal) return record;
  // The contact's offer, as the machine records it: a journal every version replays.
  const offered = {
    type: 'OFFERED',
    at: offeredAt,
    interactionId: record.id,
    channel: record.channel,
    contactRef: record.contactRef,
  };
  return { ...record, journal: [{ at: offeredAt, event: offered }] };
}

export function followUpFor(record: InteractionRecord): FollowUpBooking {
  return {
    id: randomUUID(),
    interactionId: record.id,
    adviserId: record.adviserId,
    slotStart: '2026-12-22T10:00:00.000Z',
    contactMethod: 'phone',
    contactAddress: '07700900123',
    consentRecorded: true,
    createdAt: '2026-11-20T10:18:00.000Z',
  };
}
