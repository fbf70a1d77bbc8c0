/**
 * Reading the test runners' JSON reports (vitest, Playwright) for `npm test`'s closing
 * line: how many passed, failed and were skipped, and which were skipped and why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

/** Counts from the runners' JSON reports, for the one closing line CI reads. */
export function countTests(report) {
  if (!existsSync(report)) return null;
  const data = JSON.parse(readFileSync(report, 'utf8'));
  if ('numPassedTests' in data) {
    return {
      passed: data.numPassedTests,
      failed: data.numFailedTests,
      skipped: data.numPendingTests + data.numTodoTests,
    };
  }
  const stats = data.stats ?? {};
  return {
    passed: stats.expected ?? 0,
    failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0),
    skipped: stats.skipped ?? 0,
  };
}
/**
 * What a report skipped and why: Playwright gives each skipped test's reason; vitest gives
 * none, so its skips are counted per file and top-level describe (whose title says why).
 */
export function skippedIn(report) {
  if (!existsSync(report)) return [];
  const data = JSON.parse(readFileSync(report, 'utf8'));
  const where = (file) => relative(process.cwd(), resolve(data.config?.rootDir ?? '', file));
  if ('numPassedTests' in data) {
    const groups = new Map();
    for (const file of data.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (!['skipped', 'pending', 'todo'].includes(test.status)) continue;
        const key = `${where(file.name)} › ${test.ancestorTitles?.[0] ?? test.title}`;
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
    }
    return [...groups].map(([key, count]) => `${count} in ${key}`);
  }
  const lines = [];
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue;
        const reason = test.annotations?.find((a) => a.type === 'skip')?.description || 'no reason given';
        lines.push(`${where(file)} › ${spec.title} (${test.projectName}): ${reason}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, suite.file ?? file);
  };
  for (const suite of data.suites ?? []) walk(suite, suite.file ?? '');
  return lines;
}
