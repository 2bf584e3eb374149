// The desk's log file rotates by size and keeps a bounded number of older
// files, without splitting or losing a line across a rotation.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskLogger, deskLogFile } from '../../electron/services/logging';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const sequenceIn = (file: string): number[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { sequence: number }).sequence);

describe('the desk log file', () => {
  it('rotates past its size, keeps the newest files whole and in order, and drops the oldest', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'desk-logs-'));
    folders.push(folder);
    const path = join(folder, 'logs', 'desk.log');
    const file = deskLogFile(path, { maxBytes: 4_000, keep: 2 });
    const log = createDeskLogger({ destination: file });
    for (let sequence = 1; sequence <= 300; sequence += 1) {
      log.info({ sequence, module: 'outbox' }, 'item delivered');
    }
    await file.end();

    expect(readdirSync(join(folder, 'logs')).sort()).toEqual([
      'desk.log',
      'desk.log.1',
      'desk.log.2',
    ]);
    const kept = [`${path}.2`, `${path}.1`, path].map(sequenceIn);
    // Each file is under its limit, give or take the line that passed it.
    for (const name of [`${path}.2`, `${path}.1`]) {
      expect(readFileSync(name).length).toBeGreaterThanOrEqual(4_000);
      expect(readFileSync(name).length).toBeLessThan(4_300);
    }
    // The kept lines are the newest, each once, in the order written, ending with the last.
    const all = kept.flat();
    expect(all.at(-1)).toBe(300);
    expect(all).toEqual(Array.from({ length: all.length }, (_, index) => 301 - all.length + index));
    expect(all.length).toBeLessThan(300);
  });

  it('starts a new file at launch when the one left behind is already full', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'desk-logs-'));
    folders.push(folder);
    const path = join(folder, 'desk.log');
    writeFileSync(path, `${JSON.stringify({ sequence: 0 })}\n`.repeat(200));
    const file = deskLogFile(path, { maxBytes: 1_000, keep: 3 });
    createDeskLogger({ destination: file }).info({ sequence: 1 }, 'desk services starting');
    await file.end();
    expect(sequenceIn(path)).toEqual([1]);
    expect(sequenceIn(`${path}.1`)).toHaveLength(200);
    expect(existsSync(`${path}.2`)).toBe(false);
  });
});
