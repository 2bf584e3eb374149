// The knowledge writer's worker thread (see knowledge-writer.ts): its own
// connection to the desk's database, opened as the desk opens it and with the
// database key it is handed, writing one page at a time in the order asked.
// The desk has already migrated (and encrypted) the file.
import { parentPort, workerData } from 'node:worker_threads';
import { KnowledgeReplica } from '../../knowledge-base/replica';
import { fail, ok, type Result } from '../../shared/result';
import { writerWorkerDataSchema, type WriterAnswer, type WriterRequest } from './knowledge-writer';
import { openDeskConnection } from './local-db';

const port = parentPort;
if (!port) throw new Error('The knowledge writer runs as a worker thread');

// Opened with the desk's own database key: the file is encrypted at rest.
const { file, key } = writerWorkerDataSchema.parse(workerData);
const db = openDeskConnection(file, key === null ? null : Buffer.from(key));
const replica = new KnowledgeReplica(db);

function answer(request: WriterRequest): Result<unknown> {
  switch (request.kind) {
    case 'apply':
      return replica.applyParsedPage(request.page);
    case 'optimize':
      replica.optimize();
      return ok(null);
    case 'close':
      db.close();
      return ok(null);
  }
}

port.on('message', (request: WriterRequest) => {
  let result: Result<unknown>;
  try {
    result = answer(request);
  } catch (error) {
    result = fail('internal', `The knowledge writer failed: ${(error as Error).message}`);
  }
  port.postMessage({ id: request.id, result } satisfies WriterAnswer);
  if (request.kind === 'close') port.close();
});
