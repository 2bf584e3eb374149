// Runs every check the project has, in the order a reviewer would: lint, format,
// type-checks, builds, then the unit, integration and end-to-end suites. Each
// lint/type/build step counts as one test; the last line sums everything in the
// form CI reads: `tests: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(step: Step): boolean {
  console.log(`\n▶ ${step.name}`);
  const result = spawnSync(step.command, step.args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

for (const step of checks) {
  if (run(step)) passed += 1;
  else {
    failed += 1;
    failures.push(step.name);
  }
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites: number;
  testResults: { assertionResults: unknown[]; status: string; name: string }[];
}

const reportDir = mkdtempSync(join(tmpdir(), 'adviser-desk-tests-'));
const reportFile = join(reportDir, 'vitest.json');
const suitesOk = run({
  name: 'unit, integration and end-to-end suites',
  command: bin('vitest'),
  args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`],
});
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJson;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A file that fails to load has no test results of its own: count it once.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && file.assertionResults.length === 0,
  );
  failed += brokenFiles.length;
  for (const file of brokenFiles) failures.push(`could not run ${file.name}`);
  if (!suitesOk && report.numFailedTests === 0 && brokenFiles.length === 0) {
    failed += 1;
    failures.push('vitest exited with an error');
  }
} catch {
  failed += 1;
  failures.push('vitest produced no report');
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}

if (failures.length > 0) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
