// `npm run bench`: every benchmark, each printing its figures beside a baseline
// measured in the same run on the same machine. Options:
//   --only outbox|knowledge|channels|history|redaction|dashboard|desk-thread|desk-upgrade   run one part
//   --articles N              knowledge corpus size, the desk thread's first sync and the upgraded desk's replica (default 100,000)
//   --items N                 outbox items to drain, here and in the desk thread part, and the upgraded desk's interactions (default 10,000)
//   --customers N, --advisers N   live channels (default 1,000 and 200)
//   --interactions N          history and dashboard rows on each engine (default 1,000,000)
// docs/benchmarks.md says what each figure means.
import { performance } from 'node:perf_hooks';
import { runChannelsBench } from './channels';
import { runDashboardBench } from './dashboard';
import { runDeskThreadBench } from './desk-thread';
import { runDeskUpgradeBench } from './desk-upgrade';
import { runHistoryBench } from './history';
import { runKnowledgeBench } from './knowledge';
import { runOutboxBench } from './outbox';
import { runRedactionBench } from './redaction';
import { wholeNumberArgument } from './timing';

const option = (name: string, fallback: number) =>
  wholeNumberArgument(process.argv, name, fallback);

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? null : (process.argv[onlyAt + 1] ?? '');
const parts = {
  outbox: () => runOutboxBench({ items: option('items', 10_000), log }),
  knowledge: () => runKnowledgeBench({ articles: option('articles', 100_000), log }),
  channels: () =>
    runChannelsBench({
      customers: option('customers', 1_000),
      advisers: option('advisers', 200),
      log,
    }),
  history: () => runHistoryBench({ interactions: option('interactions', 1_000_000), log }),
  redaction: () => runRedactionBench({ log }),
  dashboard: () => runDashboardBench({ interactions: option('interactions', 1_000_000), log }),
  'desk-thread': () =>
    runDeskThreadBench({
      articles: option('articles', 100_000),
      items: option('items', 10_000),
      log,
    }),
  'desk-upgrade': () =>
    runDeskUpgradeBench({
      articles: option('articles', 100_000),
      items: option('items', 10_000),
      log,
    }),
};
if (only !== null && !(only in parts)) {
  throw new Error(`--only takes one of ${Object.keys(parts).join(', ')}`);
}

function log(line: string): void {
  console.log(line);
}

for (const [name, run] of Object.entries(parts)) {
  if (only !== null && name !== only) continue;
  const started = performance.now();
  console.log(`\n== ${name} ==`);
  await run();
  console.log(`(${name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
