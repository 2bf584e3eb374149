// What the benchmarks share: percentiles of timed runs, printed the same way,
// and the whole-number arguments that size them (--interactions, --articles, ...).

export interface Timing {
  p50: number;
  p95: number;
}

/** The value `fraction` of the way up the samples (0.5 the median), 0 for none. */
export function percentile(samples: readonly number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

export function percentiles(samples: readonly number[]): Timing {
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}

export const show = (timing: Timing) =>
  `p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms`;

/** `--name N` from the command line as a whole number of at least 1, or `fallback` when absent. */
export function wholeNumberArgument(
  argv: readonly string[],
  name: string,
  fallback: number,
): number;
export function wholeNumberArgument(
  argv: readonly string[],
  name: string,
  fallback?: number,
): number | undefined;
export function wholeNumberArgument(
  argv: readonly string[],
  name: string,
  fallback?: number,
): number | undefined {
  const flag = argv.indexOf(`--${name}`);
  if (flag === -1) return fallback;
  const value = Number(argv[flag + 1]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} takes a whole number, not ${argv[flag + 1] ?? 'nothing'}`);
  }
  return value;
}

/** `--interactions N` from the command line, or undefined for the benchmark's default. */
export function interactionsFromArguments(argv: readonly string[]): number | undefined {
  return wholeNumberArgument(argv, 'interactions');
}
