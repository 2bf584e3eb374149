// Runs every check the project has, in the order a reviewer would: lint, format,
// type-checks, builds, then the unit, integration and end-to-end suites. Each
// lint/type/build step counts as one test; the last line sums everything in the
// form CI reads: `tests: N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of vitest's JSON report the tally reads. */
export interface VitestReport {
  testResults: {
    name: string;
    /** 'failed' when the file itself failed (a hook, a load error) or any of its tests did. */
    status: string;
    assertionResults: { fullName: string; status: string }[];
  }[];
}

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** What failed, for the line before the tally. */
  failures: string[];
}

/**
 * Counts the suites' tests so that no failure hides. Every failed test counts
 * once. A file that failed without a failed test of its own (a hook threw, the
 * file did not load, the browser could not start under CI=true) could not run
 * its tests: each test it skipped counts as failed, or the file once if it has
 * none. A test skipped in a file that did not fail (a developer's machine with
 * no browser, `it.skip`) is skipped, and says so in the last line.
 * `suitesExitedOk` is vitest's exit status: an error it reports outside any
 * test (an unhandled rejection) fails the run once if nothing else did.
 */
export function tallySuites(report: VitestReport, suitesExitedOk: boolean): Tally {
  const tally: Tally = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const file of report.testResults) {
    const results = file.assertionResults;
    const fileFailedAlone =
      file.status === 'failed' && !results.some((test) => test.status === 'failed');
    let couldNotRun = 0;
    for (const test of results) {
      if (test.status === 'passed') tally.passed += 1;
      else if (test.status === 'failed') {
        tally.failed += 1;
        tally.failures.push(test.fullName);
      } else if (fileFailedAlone) couldNotRun += 1;
      else tally.skipped += 1;
    }
    if (fileFailedAlone) {
      tally.failed += Math.max(couldNotRun, 1);
      tally.failures.push(
        couldNotRun > 0
          ? `${couldNotRun} ${couldNotRun === 1 ? 'test' : 'tests'} could not run in ${file.name}`
          : `${file.name} failed`,
      );
    }
  }
  if (!suitesExitedOk && tally.failed === 0) {
    tally.failed += 1;
    tally.failures.push('vitest exited with an error');
  }
  return tally;
}

/** The last line of the run, alone on its line: what CI reads. */
export function tallyLine(tally: Pick<Tally, 'passed' | 'failed' | 'skipped'>): string {
  return `tests: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`;
}

interface Step {
  name: string;
  command: string;
  args: string[];
}

const bin = (name: string) => join('node_modules', '.bin', name);

const checks: Step[] = [
  { name: 'lint', command: bin('eslint'), args: ['.', '--max-warnings=0'] },
  { name: 'format', command: bin('prettier'), args: ['--check', '.'] },
  { name: 'types: shared', command: bin('tsc'), args: ['-p', 'tsconfig.shared.json'] },
  { name: 'types: node', command: bin('tsc'), args: ['-p', 'tsconfig.node.json'] },
  { name: 'types: web', command: bin('tsc'), args: ['-p', 'tsconfig.web.json'] },
  { name: 'types: customer page', command: bin('tsc'), args: ['-p', 'customer/tsconfig.json'] },
  // The end-to-end suite drives the built renderer, and the Electron shell must
  // always build even where its binary cannot run.
  { name: 'build: renderer', command: bin('vite'), args: ['build', '--logLevel', 'warn'] },
  {
    name: 'build: electron shell',
    command: bin('vite'),
    args: ['build', '--config', 'vite.electron.config.ts', '--logLevel', 'warn'],
  },
];

function run(step: Step): boolean {
  console.log(`\n▶ ${step.name}`);
  const result = spawnSync(step.command, step.args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function main(): void {
  const tally: Tally = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const step of checks) {
    if (run(step)) tally.passed += 1;
    else {
      tally.failed += 1;
      tally.failures.push(step.name);
    }
  }

  const reportDir = mkdtempSync(join(tmpdir(), 'adviser-desk-tests-'));
  const reportFile = join(reportDir, 'vitest.json');
  const suitesOk = run({
    name: 'unit, integration and end-to-end suites',
    command: bin('vitest'),
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`],
  });
  try {
    const suites = tallySuites(
      JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport,
      suitesOk,
    );
    tally.passed += suites.passed;
    tally.failed += suites.failed;
    tally.skipped += suites.skipped;
    tally.failures.push(...suites.failures);
  } catch {
    tally.failed += 1;
    tally.failures.push('vitest produced no report');
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }

  if (tally.failures.length > 0) console.log(`\nFailed: ${tally.failures.join('; ')}`);
  console.log(tallyLine(tally));
  process.exitCode = tally.failed === 0 ? 0 : 1;
}

// Imported by its unit test for the tally; run as a script, it runs everything.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
