import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * scripts/test-reports.mjs reads the runners' JSON reports for npm test's closing line.
 * The reports below keep the fields of real vitest and Playwright reports that it reads.
 */
const { countTests, skippedIn } = (await import('../../../scripts/test-reports.mjs' as string)) as {
  countTests: (report: string) => { passed: number; failed: number; skipped: number } | null;
  skippedIn: (report: string) => string[];
};

const dir = mkdtempSync(join(tmpdir(), 'test-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, data: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data));
  return path;
};

const electronReason = "Electron's binary is not present (npm install does not download it)";
const playwright = write('playwright.json', {
  config: { rootDir: join(process.cwd(), 'tests/e2e') },
  suites: [
    {
      title: 'electron/first-run.spec.ts',
      file: 'electron/first-run.spec.ts',
      specs: [
        {
          title: 'Electron: first run',
          tests: [
            {
              projectName: 'electron',
              status: 'skipped',
              annotations: [{ type: 'skip', description: electronReason }],
            },
          ],
        },
      ],
    },
    {
      title: 'shell.spec.ts',
      file: 'shell.spec.ts',
      specs: [{ title: 'first run', tests: [{ projectName: 'chromium', status: 'expected', annotations: [] }] }],
      suites: [
        {
          title: 'nested',
          specs: [{ title: 'fixme', tests: [{ projectName: 'chromium', status: 'skipped', annotations: [] }] }],
        },
      ],
    },
  ],
  stats: { expected: 1, skipped: 2, unexpected: 0, flaky: 0 },
});

const vitest = write('vitest.json', {
  numPassedTests: 3,
  numFailedTests: 1,
  numPendingTests: 2,
  numTodoTests: 1,
  testResults: [
    {
      name: join(process.cwd(), 'tests/integration/server/platform.postgres.test.ts'),
      assertionResults: [
        { ancestorTitles: ['platform on PostgreSQL — skipped: no database'], title: 'a', status: 'skipped' },
        { ancestorTitles: ['platform on PostgreSQL — skipped: no database', 'inner'], title: 'b', status: 'pending' },
      ],
    },
    {
      name: join(process.cwd(), 'tests/unit/x.test.ts'),
      assertionResults: [
        { ancestorTitles: [], title: 'later', status: 'todo' },
        { ancestorTitles: ['x'], title: 'ok', status: 'passed' },
        { ancestorTitles: ['x'], title: 'broken', status: 'failed' },
      ],
    },
  ],
});

describe('npm test reading the runners’ reports', () => {
  it('counts a skipped Playwright test as skipped, not passed, and says why', () => {
    expect(countTests(playwright)).toEqual({ passed: 1, failed: 0, skipped: 2 });
    expect(skippedIn(playwright)).toEqual([
      `tests/e2e/electron/first-run.spec.ts › Electron: first run (electron): ${electronReason}`,
      'tests/e2e/shell.spec.ts › fixme (chromium): no reason given',
    ]);
  });

  it('counts vitest skips and todos as skipped, grouped by file and the describe that says why', () => {
    expect(countTests(vitest)).toEqual({ passed: 3, failed: 1, skipped: 3 });
    expect(skippedIn(vitest)).toEqual([
      '2 in tests/integration/server/platform.postgres.test.ts › platform on PostgreSQL — skipped: no database',
      '1 in tests/unit/x.test.ts › later',
    ]);
  });

  it('has nothing to count when the runner wrote no report', () => {
    expect(countTests(join(dir, 'missing.json'))).toBeNull();
    expect(skippedIn(join(dir, 'missing.json'))).toEqual([]);
  });
});
