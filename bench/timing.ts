// What the history and dashboard benchmarks share: p50 and p95 of timed runs,
// printed the same way, and the --interactions argument that sizes them.

export interface Timing {
  p50: number;
  p95: number;
}

export function percentiles(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}

export const show = (timing: Timing) =>
  `p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms`;

/** `--interactions N` from the command line, or undefined for the benchmark's default. */
export function interactionsFromArguments(argv: readonly string[]): number | undefined {
  const flag = argv.indexOf('--interactions');
  if (flag === -1) return undefined;
  const count = Number(argv[flag + 1]);
  if (!Number.isInteger(count) || count < 1)
    throw new Error('--interactions must be a whole number');
  return count;
}
