// The test run's tally (scripts/test.ts): no failure hides in it. A file that
// failed without a failed test of its own counts the tests it could not run as
// failed, skipped tests show in the last line, and that line keeps its form.
import { describe, expect, it } from 'vitest';
import { tallyLine, tallySuites, type VitestReport } from '../../scripts/test';

type FileResult = VitestReport['testResults'][number];

function file(
  name: string,
  status: 'passed' | 'failed',
  tests: Record<string, string>,
): FileResult {
  return {
    name,
    status,
    assertionResults: Object.entries(tests).map(([fullName, testStatus]) => ({
      fullName,
      status: testStatus,
    })),
  };
}

const passing = (name: string, count: number) =>
  file(
    name,
    'passed',
    Object.fromEntries(Array.from({ length: count }, (_, index) => [`${name} ${index}`, 'passed'])),
  );

describe('the test tally', () => {
  it('counts every test an end-to-end file could not run, when the browser cannot start under CI=true', () => {
    // As vitest reports it: beforeAll threw, so the file failed and its tests were skipped.
    const noBrowser = (name: string, count: number) =>
      file(
        name,
        'failed',
        Object.fromEntries(
          Array.from({ length: count }, (_, index) => [`${name} ${index}`, 'skipped']),
        ),
      );
    const report: VitestReport = {
      testResults: [
        passing('unit', 453),
        noBrowser('guided-call', 4),
        noBrowser('knowledge', 2),
        noBrowser('web-chat', 10),
      ],
    };
    const tally = tallySuites(report, false);
    expect(tally).toMatchObject({ passed: 453, failed: 16, skipped: 0 });
    expect(tally.failures).toEqual([
      '4 tests could not run in guided-call',
      '2 tests could not run in knowledge',
      '10 tests could not run in web-chat',
    ]);
    expect(tallyLine(tally)).toBe('tests: 453 passed, 16 failed, 0 skipped');
  });

  it('counts each failed test once, and does not count its file again', () => {
    const report: VitestReport = {
      testResults: [
        file('outbox', 'failed', { a: 'passed', b: 'failed', c: 'failed', d: 'skipped' }),
      ],
    };
    const tally = tallySuites(report, false);
    expect(tally).toMatchObject({ passed: 1, failed: 2, skipped: 1, failures: ['b', 'c'] });
  });

  it('counts a file that failed with no tests at all (it did not load) once', () => {
    const report: VitestReport = {
      testResults: [passing('fine', 3), file('broken', 'failed', {})],
    };
    expect(tallySuites(report, false)).toMatchObject({
      passed: 3,
      failed: 1,
      skipped: 0,
      failures: ['broken failed'],
    });
  });

  it('counts a file whose tests passed but whose closing hook threw once', () => {
    const report: VitestReport = {
      testResults: [file('teardown', 'failed', { a: 'passed', b: 'passed' })],
    };
    expect(tallySuites(report, false)).toMatchObject({ passed: 2, failed: 1, skipped: 0 });
  });

  it('shows tests skipped in a file that did not fail as skipped, not as passed', () => {
    const report: VitestReport = {
      testResults: [
        passing('unit', 2),
        file('e2e without a browser', 'passed', { a: 'skipped', b: 'skipped', c: 'todo' }),
        file('pending', 'passed', { d: 'pending' }),
      ],
    };
    const tally = tallySuites(report, true);
    expect(tally).toMatchObject({ passed: 2, failed: 0, skipped: 4, failures: [] });
    expect(tallyLine(tally)).toBe('tests: 2 passed, 0 failed, 4 skipped');
  });

  it('fails the run once when vitest failed outside any test and nothing else was counted', () => {
    const report: VitestReport = { testResults: [passing('unit', 5)] };
    expect(tallySuites(report, false)).toMatchObject({
      passed: 5,
      failed: 1,
      failures: ['vitest exited with an error'],
    });
    expect(tallySuites(report, true)).toMatchObject({ passed: 5, failed: 0, failures: [] });
  });
});
