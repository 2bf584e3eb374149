// The desk's database encrypted at rest (decision 0036): the file is never
// plain SQLite and opens only with its key; a wrong key is refused clearly and
// changes nothing; what an adviser writes never reaches the disk as text; an
// existing plain desk is encrypted on its first open with a key, every row
// kept, and a crash part-way leaves a desk that opens; the knowledge writer's
// worker opens the file with the key it is handed; browser mode keeps its key
// where the operator says, and makes no new one when that file is missing.
// The cipher is AEGIS-256 (decision 0047): a desk encrypted before it with
// ChaCha20 is converted on its next open, every row kept, a crash part-way
// leaving a desk that opens, and a wrong key refused as before.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type * as FileSystem from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { articleFixture, pageOf } from '../../knowledge-base/testing';
import { KnowledgeReplica } from '../../knowledge-base/replica';
import { startBrowserMode, type BrowserModeDesk } from '../../electron/browser-mode';
import { createDeskServices, type DeskServices } from '../../electron/services/desk';
import { DESK_KEY_FILE, DeskKeyError, keptKeyFile } from '../../electron/services/desk-keys';
import { InteractionStore } from '../../electron/services/interactions';
import { createDeskLogger } from '../../electron/services/logging';
import { WorkerReplicaWriter } from '../../electron/services/knowledge-writer';
import {
  DeskDatabaseKeyError,
  deskIdOf,
  LOCAL_DB_FILE,
  openLocalDb,
  readSetting,
  writeSetting,
  type LocalDb,
} from '../../electron/services/local-db';
import {
  chacha20Connection,
  chacha20Desk,
  cipherOf,
} from '../../electron/services/local-db-cipher.testing';
import { Outbox } from '../../electron/services/outbox';
import { FakeServerTransport } from '../../electron/services/outbox-transport.testing';
import type { InteractionRecord } from '../../shared/interaction/record';
import { completedRecord, followUpFor, openDeskDb, tempDataDir } from './desk-fixtures';

// The file system as it is, except that a test can make one rename fail, as a
// crash just before it would leave things.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof FileSystem>();
  return { ...fs, renameSync: vi.fn(fs.renameSync) };
});

const plainHeader = 'SQLite format 3\0';
const headerOf = (file: string) => readFileSync(file).subarray(0, 16).toString('latin1');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function closing<T extends LocalDb>(db: T): T {
  cleanups.push(() => {
    if (db.open) db.close();
  });
  return db;
}

/** A record whose safeguarding concern and stage notes carry `text`, as an adviser types them. */
function recordNoting(deskId: string, text: string): InteractionRecord {
  const record = completedRecord(deskId);
  const raisedAt = '2026-11-20T10:06:00.000Z';
  record.summary.notes = { barriers: text };
  record.summary.safeguarding = [
    {
      id: randomUUID(),
      category: 'abuse_neglect',
      whatWasSaid: text,
      immediateRisk: false,
      raisedAt,
      raisedDuringStage: 'barriers',
      escalatedTo: 'Team leader',
      escalatedAt: raisedAt,
      actions: [],
      resolvedAt: null,
      outcome: null,
    },
  ];
  return record;
}

/**
 * Every row of every table, virtual and shadow tables included, as text. An
 * empty sqlite_sequence is left out: it outlives the last AUTOINCREMENT table
 * (desk migration 0005), and a copy of the file leaves it behind.
 */
function everyRow(db: LocalDb): Record<string, string[]> {
  const tables = (
    db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all() as string[]
  ).filter(
    (name) =>
      name !== 'sqlite_sequence' || db.prepare('SELECT 1 FROM sqlite_sequence').get() !== undefined,
  );
  return Object.fromEntries(
    tables.map((table) => [
      table,
      db
        .prepare(`SELECT * FROM "${table}"`)
        .all()
        .map((row) =>
          JSON.stringify(row, (_key, value: unknown) =>
            Buffer.isBuffer(value) ? value.toString('hex') : value,
          ),
        )
        .sort(),
    ]),
  );
}

/**
 * A copy of the desk in `file`'s folder as a crash leaves it, taken while the
 * desk is open: its latest changes still in the WAL beside the file.
 */
function stoppedMidWork(file: string, label: string): string {
  const crashed = tempDataDir(label);
  for (const suffix of ['', '-wal']) {
    copyFileSync(`${file}${suffix}`, join(crashed, `${LOCAL_DB_FILE}${suffix}`));
  }
  return crashed;
}

/**
 * What every desk brought to AEGIS-256 must be: AEGIS-256 with its key, no
 * trace of `marker` on disk, no side copy left, owner-only, and `rows` read
 * back when it is opened again.
 */
function expectBroughtToAegis(
  folder: string,
  key: Buffer,
  marker: string,
  rows: Record<string, string[]>,
): void {
  const file = join(folder, LOCAL_DB_FILE);
  expect(cipherOf(file, key)).toBe('aegis-256');
  expect(readFileSync(file).includes(marker)).toBe(false);
  expect(existsSync(`${file}.encrypting`)).toBe(false);
  if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  // Once is enough: the next open with the key finds it AEGIS-256 and reads it as it is.
  const reopened = closing(openLocalDb(folder, { key }));
  expect(everyRow(reopened)).toEqual(rows);
}

/** The rows of a desk made by plainDeskWithRows or chacha20DeskWithRows cover every part of the schema. */
function expectEveryPart(rows: Record<string, string[]>): void {
  expect(Object.keys(rows)).toEqual(
    expect.arrayContaining(['interactions', 'follow_ups', 'outbox', 'settings', 'knowledge_fts']),
  );
  expect(rows.interactions).toHaveLength(25);
}

/** A desk from before encryption at rest: a plain file with rows in every part of the schema. */
function plainDeskWithRows(dataDir: string, marker: string): LocalDb {
  return withRows(openLocalDb(dataDir), marker);
}

/** A desk encrypted before decision 0047, as its build made it, with rows in every part of the schema. */
function chacha20DeskWithRows(dataDir: string, key: Buffer, marker: string): LocalDb {
  return withRows(chacha20Desk(join(dataDir, LOCAL_DB_FILE), key), marker);
}

/** `db` with a desk's rows in every part of the schema, the FTS5 index's included, carrying `marker`. */
function withRows(db: LocalDb, marker: string): LocalDb {
  const deskId = deskIdOf(db);
  writeSetting(db, 'safeguarding_protocol', `Call the team leader. ${marker}`);
  const outbox = new Outbox(db, new FakeServerTransport());
  const interactions = new InteractionStore(db, outbox, deskId);
  for (let index = 0; index < 25; index += 1) {
    const record = recordNoting(deskId, `${marker} ${index}`);
    const done = interactions.complete({ record, followUp: followUpFor(record) });
    expect(done.ok).toBe(true);
  }
  const applied = new KnowledgeReplica(db).applyParsedPage(
    pageOf([
      articleFixture({ id: 'apprenticeships', body: `Apprenticeships explained. ${marker}` }),
      articleFixture({ id: 'college-bursary', body: 'The 16 to 19 Bursary Fund.' }),
    ]),
  );
  expect(applied.ok).toBe(true);
  return db;
}

describe('the desk database encrypted at rest', () => {
  it('is not plain SQLite on disk and opens only with its key; a wrong key is refused and changes nothing', () => {
    const dataDir = tempDataDir('encrypted');
    const key = randomBytes(32);
    const db = openLocalDb(dataDir, { key });
    writeSetting(db, 'greeting', 'kept');
    db.close();
    const file = join(dataDir, LOCAL_DB_FILE);
    expect(headerOf(file)).not.toBe(plainHeader);
    const before = readFileSync(file);

    expect(() => openLocalDb(dataDir, { key: randomBytes(32) })).toThrow(DeskDatabaseKeyError);
    expect(() => openLocalDb(dataDir, { key: randomBytes(32) })).toThrow(
      /^The desk's database \(.*desk\.sqlite\) cannot be opened with this key/,
    );
    expect(() => openLocalDb(dataDir)).toThrow(/is encrypted and cannot be opened without its key/);
    expect(readFileSync(file).equals(before)).toBe(true);

    const again = closing(openLocalDb(dataDir, { key }));
    expect(readSetting(again, 'greeting')).toBe('kept');
  });

  it('keeps what an adviser writes off the disk as text, in the file and its WAL', async () => {
    const dataDir = tempDataDir('encrypted-notes');
    const desk: DeskServices = createDeskServices({
      dataDir,
      serverUrl: 'http://127.0.0.1:9',
      transport: () => new FakeServerTransport(),
    });
    cleanups.push(() => desk.stop());
    const note = `Disclosed at school: ${randomUUID()}`;
    const record = recordNoting(desk.deskId, note);
    await expect(
      desk.dispatch('completeInteraction', { record, followUp: followUpFor(record) }),
    ).resolves.toMatchObject({ ok: true });
    const files = ['', '-wal'].map((suffix) => join(dataDir, `${LOCAL_DB_FILE}${suffix}`));
    const onDisk = () => files.filter(existsSync).some((file) => readFileSync(file).includes(note));
    // While the desk runs, the note is in the WAL, encrypted like the file.
    expect(statSync(files[1] ?? '').size).toBeGreaterThan(0);
    expect(onDisk()).toBe(false);
    await desk.stop();
    expect(onDisk()).toBe(false);
    expect(headerOf(join(dataDir, LOCAL_DB_FILE))).not.toBe(plainHeader);
    // It was written: the desk's key reads it back.
    const db = closing(openDeskDb(dataDir));
    const stored = db.prepare('SELECT record FROM interactions').pluck().get();
    expect(String(stored)).toContain(note);
  });

  it('encrypts an existing plain desk on its first open with a key, keeping every row', () => {
    const dataDir = tempDataDir('plain-desk');
    const marker = `plain-marker-${randomUUID()}`;
    const plain = plainDeskWithRows(dataDir, marker);
    const rows = everyRow(plain);
    const file = join(dataDir, LOCAL_DB_FILE);
    const crashed = stoppedMidWork(file, 'plain-desk-crashed');
    plain.close();
    expect(statSync(join(crashed, `${LOCAL_DB_FILE}-wal`)).size).toBeGreaterThan(0);
    expect(headerOf(join(crashed, LOCAL_DB_FILE))).toBe(plainHeader);

    for (const folder of [dataDir, crashed]) {
      const key = randomBytes(32);
      const encrypted = openLocalDb(folder, { key });
      expect(everyRow(encrypted)).toEqual(rows);
      encrypted.close();
      expect(headerOf(join(folder, LOCAL_DB_FILE))).not.toBe(plainHeader);
      expect(() => openLocalDb(folder)).toThrow(DeskDatabaseKeyError);
      expectBroughtToAegis(folder, key, marker, rows);
    }
    expectEveryPart(rows);
  });

  it('opens a plain desk whose encryption a crash cut short, and finishes it', () => {
    const dataDir = tempDataDir('plain-desk-interrupted');
    const plain = plainDeskWithRows(dataDir, 'interrupted');
    const rows = everyRow(plain);
    plain.close();
    // What a crash before the rename leaves: the plain file as it was, and a part-written copy.
    const file = join(dataDir, LOCAL_DB_FILE);
    writeFileSync(`${file}.encrypting`, randomBytes(4096));
    writeFileSync(`${file}.encrypting-journal`, randomBytes(512));

    const key = randomBytes(32);
    const db = closing(openLocalDb(dataDir, { key }));
    expect(everyRow(db)).toEqual(rows);
    expect(headerOf(file)).not.toBe(plainHeader);
    expect(existsSync(`${file}.encrypting`)).toBe(false);
    expect(existsSync(`${file}.encrypting-journal`)).toBe(false);
  });

  it('leaves a plain desk as it is while another program has it open, and encrypts it after', () => {
    const dataDir = tempDataDir('plain-desk-in-use');
    const earlier = closing(plainDeskWithRows(dataDir, 'in use'));
    const rows = everyRow(earlier);
    const key = randomBytes(32);
    expect(() => openLocalDb(dataDir, { key })).toThrow(/is in use by another program/);
    const file = join(dataDir, LOCAL_DB_FILE);
    expect(headerOf(file)).toBe(plainHeader);
    expect(existsSync(`${file}.encrypting`)).toBe(false);
    // The earlier desk goes on working, on the plain file.
    writeSetting(earlier, 'still', 'working');
    earlier.close();

    const db = closing(openLocalDb(dataDir, { key }));
    expect(readSetting(db, 'still')).toBe('working');
    expect(everyRow(db).interactions).toEqual(rows.interactions);
    expect(headerOf(file)).not.toBe(plainHeader);
  });

  it("gives the knowledge writer's worker the key, and without it the worker cannot write", async () => {
    const dataDir = tempDataDir('encrypted-writer');
    const key = randomBytes(32);
    const db = closing(openLocalDb(dataDir, { key }));
    const writer = new WorkerReplicaWriter(db.name, { key });
    cleanups.push(() => writer.close());
    const page = pageOf([articleFixture({ id: 'traineeships', title: 'Traineeships' })]);
    await expect(writer.applyPage(page)).resolves.toMatchObject({ ok: true });
    expect(new KnowledgeReplica(db).article('traineeships')?.title).toBe('Traineeships');

    const keyless = new WorkerReplicaWriter(db.name);
    cleanups.push(() => keyless.close());
    const refused = await keyless.applyPage(pageOf([articleFixture({ id: 'other' })]));
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error.message).toMatch(/cannot be opened without its key/);
  });
});

describe("the desk's cipher, AEGIS-256 (decision 0047)", () => {
  it('writes a new desk with AEGIS-256, which ChaCha20 cannot read', () => {
    const dataDir = tempDataDir('aegis');
    const key = randomBytes(32);
    const db = openLocalDb(dataDir, { key });
    writeSetting(db, 'greeting', 'kept');
    db.close();
    expect(cipherOf(join(dataDir, LOCAL_DB_FILE), key)).toBe('aegis-256');
  });

  it('logs why the first start is slow when it converts the desk, and tells its host', async () => {
    const dataDir = tempDataDir('chacha20-desk-logged');
    const key = randomBytes(32);
    chacha20DeskWithRows(dataDir, key, 'logged').close();
    const lines: string[] = [];
    const conversions: number[] = [];
    const desk = createDeskServices({
      dataDir,
      serverUrl: 'http://127.0.0.1:9',
      databaseKey: key,
      log: createDeskLogger({ destination: { write: (line: string) => void lines.push(line) } }),
      onConversion: ({ bytes }) => conversions.push(bytes),
    });
    await desk.stop();
    const size = conversions[0] ?? 0;
    expect(conversions).toEqual([size]);
    expect(size).toBeGreaterThan(0);
    expect(lines.map((line) => JSON.parse(line) as { msg: string; bytes?: number })).toContainEqual(
      expect.objectContaining({
        bytes: size,
        msg: expect.stringMatching(/^converting the desk's database/),
      }),
    );
  });

  it('converts a desk larger than its page cache without a file in the temporary folder', () => {
    // The rekey rewrites every page through a VACUUM whose scratch database the
    // cipher leaves plain: past the page cache it would spill to a temporary file.
    const dataDir = tempDataDir('chacha20-desk-large');
    const key = randomBytes(32);
    const older = chacha20Desk(join(dataDir, LOCAL_DB_FILE), key);
    const deskId = deskIdOf(older);
    const interactions = new InteractionStore(
      older,
      new Outbox(older, new FakeServerTransport()),
      deskId,
    );
    older.transaction(() => {
      for (let index = 0; index < 16_000; index += 1) {
        expect(interactions.complete({ record: completedRecord(deskId), followUp: null }).ok).toBe(
          true,
        );
      }
    })();
    older.close();
    // Past the library's default page cache, 16,000 KiB.
    expect(statSync(join(dataDir, LOCAL_DB_FILE)).size).toBeGreaterThan(20 * 1_048_576);

    // SQLite reads SQLITE_TMPDIR once, as it starts: the conversion runs in a process of its own.
    const temporary = tempDataDir('sqlite-temporary');
    const converted = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./desk-conversion-temp-files.ts', import.meta.url)),
        dataDir,
      ],
      {
        input: key.toString('hex'),
        encoding: 'utf8',
        env: { ...process.env, SQLITE_TMPDIR: temporary },
      },
    );
    expect(converted.stderr).toBe('');
    expect(JSON.parse(converted.stdout)).toEqual({ seen: [], left: [] });
    expect(cipherOf(join(dataDir, LOCAL_DB_FILE), key)).toBe('aegis-256');
  });

  it('converts a ChaCha20 desk on its next open, keeping every row, and then reads it as it is', () => {
    const dataDir = tempDataDir('chacha20-desk');
    const key = randomBytes(32);
    const marker = `chacha20-marker-${randomUUID()}`;
    const older = chacha20DeskWithRows(dataDir, key, marker);
    const rows = everyRow(older);
    const file = join(dataDir, LOCAL_DB_FILE);
    const crashed = stoppedMidWork(file, 'chacha20-desk-crashed');
    older.close();
    expect(cipherOf(file, key)).toBe('chacha20');
    expect(statSync(join(crashed, `${LOCAL_DB_FILE}-wal`)).size).toBeGreaterThan(0);

    for (const folder of [dataDir, crashed]) {
      const converted = openLocalDb(folder, { key });
      expect(everyRow(converted)).toEqual(rows);
      converted.close();
      expectBroughtToAegis(folder, key, marker, rows);
    }
    expectEveryPart(rows);
  });

  it('removes a part-made copy a crash left beside a ChaCha20 desk, and converts the desk', () => {
    const dataDir = tempDataDir('chacha20-desk-stale-copy');
    const key = randomBytes(32);
    const older = chacha20DeskWithRows(dataDir, key, 'stale copy');
    const rows = everyRow(older);
    older.close();
    const file = join(dataDir, LOCAL_DB_FILE);
    writeFileSync(`${file}.encrypting`, readFileSync(file).subarray(0, 8192));
    writeFileSync(`${file}.encrypting-journal`, randomBytes(512));

    const db = closing(openLocalDb(dataDir, { key }));
    expect(everyRow(db)).toEqual(rows);
    expect(existsSync(`${file}.encrypting`)).toBe(false);
    expect(existsSync(`${file}.encrypting-journal`)).toBe(false);
    db.close();
    expect(cipherOf(file, key)).toBe('aegis-256');
  });

  it('leaves a ChaCha20 desk that opens when its conversion stops before the rename, and converts it on the next open', () => {
    const dataDir = tempDataDir('chacha20-desk-interrupted');
    const key = randomBytes(32);
    const older = chacha20DeskWithRows(dataDir, key, 'interrupted');
    const rows = everyRow(older);
    older.close();
    const file = join(dataDir, LOCAL_DB_FILE);
    vi.mocked(renameSync).mockImplementationOnce(() => {
      throw new Error('power cut');
    });
    expect(() => openLocalDb(dataDir, { key })).toThrow('power cut');
    expect(renameSync).toHaveBeenLastCalledWith(`${file}.encrypting`, file);
    // What the crash left: the ChaCha20 file as it was, and the whole AEGIS-256 copy beside it.
    expect(cipherOf(file, key)).toBe('chacha20');
    expect(cipherOf(`${file}.encrypting`, key)).toBe('aegis-256');
    // The older desk still opens, as its build would open it, and has its rows; a change made
    // now is in the file the next open converts, not in the copy left beside it.
    const earlier = chacha20Connection(file, key);
    expect(everyRow(earlier)).toEqual(rows);
    writeSetting(earlier, 'after', 'the crash');
    earlier.close();

    const db = closing(openLocalDb(dataDir, { key }));
    expect(readSetting(db, 'after')).toBe('the crash');
    expect(everyRow(db).interactions).toEqual(rows.interactions);
    expect(existsSync(`${file}.encrypting`)).toBe(false);
    db.close();
    expect(cipherOf(file, key)).toBe('aegis-256');
  });

  it('refuses a wrong key for a ChaCha20 desk as before, changing nothing, and converts it with its own', () => {
    const dataDir = tempDataDir('chacha20-desk-wrong-key');
    const key = randomBytes(32);
    const older = chacha20DeskWithRows(dataDir, key, 'wrong key');
    const rows = everyRow(older);
    // Stopped mid-work, so the WAL beside the file is part of what must not change.
    const file = join(dataDir, LOCAL_DB_FILE);
    const crashed = tempDataDir('chacha20-desk-wrong-key-crashed');
    const crashedFile = join(crashed, LOCAL_DB_FILE);
    for (const suffix of ['', '-wal']) copyFileSync(`${file}${suffix}`, `${crashedFile}${suffix}`);
    older.close();
    const before = ['', '-wal'].map((suffix) => readFileSync(`${crashedFile}${suffix}`));

    expect(() => openLocalDb(crashed, { key: randomBytes(32) })).toThrow(DeskDatabaseKeyError);
    expect(() => openLocalDb(crashed, { key: randomBytes(32) })).toThrow(
      /^The desk's database \(.*desk\.sqlite\) cannot be opened with this key/,
    );
    const after = ['', '-wal'].map((suffix) => readFileSync(`${crashedFile}${suffix}`));
    expect(after[0]?.equals(before[0] ?? Buffer.alloc(0))).toBe(true);
    expect(after[1]?.equals(before[1] ?? Buffer.alloc(0))).toBe(true);
    expect(existsSync(`${crashedFile}.encrypting`)).toBe(false);
    expect(() => openLocalDb(crashed)).toThrow(/is encrypted and cannot be opened without its key/);

    const db = closing(openLocalDb(crashed, { key }));
    expect(everyRow(db)).toEqual(rows);
    db.close();
    expect(cipherOf(crashedFile, key)).toBe('aegis-256');
  });

  it('leaves a ChaCha20 desk as it is while another program has it open, and converts it after', () => {
    const dataDir = tempDataDir('chacha20-desk-in-use');
    const key = randomBytes(32);
    const earlier = closing(chacha20DeskWithRows(dataDir, key, 'in use'));
    const rows = everyRow(earlier);
    expect(() => openLocalDb(dataDir, { key })).toThrow(/is in use by another program/);
    const file = join(dataDir, LOCAL_DB_FILE);
    expect(existsSync(`${file}.encrypting`)).toBe(false);
    // The earlier desk goes on working, on the ChaCha20 file.
    writeSetting(earlier, 'still', 'working');
    earlier.close();
    expect(cipherOf(file, key)).toBe('chacha20');

    const db = closing(openLocalDb(dataDir, { key }));
    expect(readSetting(db, 'still')).toBe('working');
    expect(everyRow(db).interactions).toEqual(rows.interactions);
    db.close();
    expect(cipherOf(file, key)).toBe('aegis-256');
  });
});

describe("browser mode's key", () => {
  it('is kept in the file the operator names, made owner only on first start, and needed after', async () => {
    const root = tempDataDir('browser-key');
    const dataDir = join(root, 'desk');
    const keyFile = join(root, 'operator', 'desk.key');
    mkdirSync(join(root, 'renderer'), { recursive: true });
    const start = (withKeyFile: boolean): Promise<BrowserModeDesk> =>
      startBrowserMode({
        dataDir,
        serverUrl: 'http://127.0.0.1:9',
        rendererDir: join(root, 'renderer'),
        port: 0,
        ...(withKeyFile ? { keyFile } : {}),
      });

    const first = await start(true);
    const deskId = first.desk.deskId;
    await first.close();
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dataDir, DESK_KEY_FILE))).toBe(false);

    const second = await start(true);
    expect(second.desk.deskId).toBe(deskId);
    await second.close();
    // Without the operator's file the desk says whose key is missing, and makes none of its own.
    await expect(start(false)).rejects.toThrow(DeskKeyError);
    await expect(start(false)).rejects.toThrow(/is encrypted, and its key is not in .*desk\.key/);
    expect(existsSync(join(dataDir, DESK_KEY_FILE))).toBe(false);
    const db = closing(openLocalDb(dataDir, { key: keptKeyFile(keyFile, dataDir) }));
    expect(deskIdOf(db)).toBe(deskId);
  });
});
