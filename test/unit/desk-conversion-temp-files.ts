// Run in a process of its own by the desk encryption tests, with SQLITE_TMPDIR
// naming an empty folder: converts the desk's file in the folder given (its key
// on standard input) as the desk's first open does, while a worker thread
// watches this process's open files, and prints every file it saw open in that
// folder (Linux: /proc/self/fd). SQLite reads SQLITE_TMPDIR once, when it
// starts, hence the process.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LOCAL_DB_FILE } from '../../electron/services/database-file';
import { DESK_BUSY_TIMEOUT_MS } from '../../electron/services/local-db';
import { openKeyedDatabase } from '../../electron/services/local-db-cipher';

/** Polls /proc/self/fd from its own thread: the conversion holds the main one throughout. */
function watchOpenFiles(under: string, stop: SharedArrayBuffer) {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const { readdirSync, readlinkSync } = require('node:fs');
     const stop = new Int32Array(workerData.stop);
     const seen = new Set();
     parentPort.postMessage('watching');
     while (Atomics.load(stop, 0) === 0) {
       for (const fd of readdirSync('/proc/self/fd')) {
         try {
           const target = readlinkSync('/proc/self/fd/' + fd);
           if (target.startsWith(workerData.under)) seen.add(target);
         } catch {}
       }
     }
     parentPort.postMessage([...seen]);`,
    { eval: true, workerData: { under, stop } },
  );
  const answer = (wanted: (message: unknown) => boolean) =>
    new Promise<unknown>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (message: unknown) => {
        if (wanted(message)) resolve(message);
      });
    });
  return {
    watching: answer((message) => message === 'watching'),
    seen: answer(Array.isArray) as Promise<string[]>,
  };
}

const dataDir = process.argv[2] ?? '';
const temporary = process.env.SQLITE_TMPDIR ?? '';
if (dataDir === '' || temporary === '') throw new Error('needs a data folder and SQLITE_TMPDIR');
const key = Buffer.from(readFileSync(0, 'utf8').trim(), 'hex');
const stop = new SharedArrayBuffer(4);
const watcher = watchOpenFiles(temporary, stop);
await watcher.watching;
openKeyedDatabase(join(dataDir, LOCAL_DB_FILE), key, DESK_BUSY_TIMEOUT_MS).close();
Atomics.store(new Int32Array(stop), 0, 1);
console.log(JSON.stringify({ seen: await watcher.seen, left: readdirSync(temporary) }));
