// The desk's knowledge sync as a process of its own, for the crash test to kill
// with SIGKILL mid-sync and start again on the same data folder. It opens the
// desk database as the desk does and pulls from the real server's change feed.
//   node --import tsx test/integration/desk-knowledge-sync-process.ts \
//     --data-dir <folder> --server <url> --token <access token> --page-size 7 --pause-ms 25
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { KnowledgeReplica } from '../../knowledge-base/replica';
import { HttpKnowledgeFeed, type KnowledgeFeed } from '../../electron/services/knowledge-feed';
import { KnowledgeSync } from '../../electron/services/knowledge-sync';
import { openLocalDb } from '../../electron/services/local-db';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    server: { type: 'string' },
    token: { type: 'string' },
    'page-size': { type: 'string', default: '7' },
    'pause-ms': { type: 'string', default: '0' },
  },
});
const dataDir = values['data-dir'];
const serverUrl = values.server;
const token = values.token;
if (!dataDir || !serverUrl || !token) {
  console.error('--data-dir, --server and --token are required');
  process.exit(2);
}
const pauseMs = Number(values['pause-ms']);

const db = openLocalDb(dataDir);
const replica = new KnowledgeReplica(db);
const http = new HttpKnowledgeFeed({ serverUrl, accessToken: async () => token });
// A pause before each request widens the gaps between pages, so the kill lands mid-sync.
const feed: KnowledgeFeed = {
  async changesSince(since, limit) {
    console.log(`request since ${since}`);
    if (pauseMs > 0) await sleep(pauseMs);
    return http.changesSince(since, limit);
  },
};
const sync = new KnowledgeSync(db, replica, feed, { pageSize: Number(values['page-size']) });
sync.onStatus((status) => {
  if (status.progress && status.progress.pages > 0) {
    console.log(`page ${status.progress.pages} cursor ${status.cursor}`);
  }
});

console.log(`sync starting: cursor ${replica.cursor()}`);
const outcome = await sync.sync();
if (!outcome.ok) {
  console.error(`sync failed: ${outcome.error.message}`);
  process.exit(1);
}
console.log(`sync done: cursor ${outcome.value.cursor} articles ${outcome.value.articleCount}`);
db.close();
