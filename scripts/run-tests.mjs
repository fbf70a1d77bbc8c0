#!/usr/bin/env node
/**
 * `npm test`: every check the project has, in order, stopping at the first failure with
 * a non-zero exit. Steps are listed here so CI and people run exactly the same thing.
 *   typecheck  each target with its own compiler settings (shared: no Node/DOM, …)
 *   lint       Biome, formatter + linter for the whole repo
 *   boundaries the import rules of docs/architecture.md
 *   unit+integration  vitest (real SQLite files, real server on loopback; PostgreSQL from
 *              TEST_DATABASE_URL or a throwaway cluster, see test-postgres.mjs)
 *   e2e        Playwright in Chromium through the browser host
 * `npm test -- --only=unit` runs a single step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { providePostgres } from './test-postgres.mjs';
import { countTests, skippedIn } from './test-reports.mjs';

const targets = {
  shared: 'shared',
  renderer: 'renderer',
  core: 'electron/core',
  electron: 'electron/main',
  server: 'server',
  tests: 'tests',
};
const hasSources = (dir) =>
  existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => /\.tsx?$/.test(String(f)));
const steps = [
  ...Object.entries(targets).map(([t, dir]) =>
    hasSources(dir)
      ? { name: `typecheck:${t}`, group: 'typecheck', cmd: ['npx', 'tsc', '-p', `tsconfig.${t}.json`] }
      : { name: `typecheck:${t}`, group: 'typecheck', empty: `${dir} has no TypeScript yet` },
  ),
  { name: 'lint', group: 'lint', cmd: ['npx', 'biome', 'check', '.'] },
  { name: 'boundaries', group: 'boundaries', cmd: ['npx', 'tsx', 'scripts/check-boundaries.ts'] },
  {
    name: 'unit+integration',
    group: 'unit',
    cmd: [
      'npx',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=test-results/vitest.json',
    ],
    report: 'test-results/vitest.json',
    postgres: true,
  },
];
if (existsSync('playwright.config.ts')) {
  // The Playwright config writes test-results/playwright.json with its JSON reporter.
  steps.push({ name: 'e2e', group: 'e2e', cmd: ['npx', 'playwright', 'test'], report: 'test-results/playwright.json' });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = () => `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const selected = only ? steps.filter((s) => s.group === only || s.name === only) : steps;
if (selected.length === 0) {
  console.error(`No test step named ${only}. Steps: ${[...new Set(steps.map((s) => s.group))].join(', ')}`);
  process.exit(2);
}

/** Runs the steps in order; resolves with the exit code of the first that failed, or 0. */
async function runSteps() {
  let postgres = null;
  try {
    for (const step of selected) {
      const t0 = Date.now();
      console.log(`\n▶ ${step.name}`);
      if (step.empty) {
        console.log(`– ${step.name}: nothing to check (${step.empty})`);
        continue;
      }
      if (step.postgres && !postgres) {
        postgres = await providePostgres();
        console.log(postgres.note);
        if (postgres.url) process.env.TEST_DATABASE_URL = postgres.url;
      }
      if (step.report) rmSync(step.report, { force: true });
      const result = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit', env: process.env });
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      const counts = step.report ? countTests(step.report) : null;
      if (counts) for (const key of Object.keys(totals)) totals[key] += counts[key];
      const skipped = step.report ? skippedIn(step.report) : [];
      if (skipped.length > 0)
        console.log(`\nskipped in ${step.name}:\n${skipped.map((line) => `  – ${line}`).join('\n')}`);
      if (result.status !== 0) {
        if (step.report && totals.failed === 0) totals.failed = 1; // a runner that crashed still failed
        console.error(`\n✖ ${step.name} failed after ${seconds}s (exit ${result.status ?? result.signal})`);
        console.error(summary());
        return result.status || 1;
      }
      console.log(`✔ ${step.name} (${seconds}s)`);
    }
    return 0;
  } finally {
    postgres?.stop();
  }
}

const started = Date.now();
// Ctrl+C reaches the running step by itself; this process only waits for it, so the
// throwaway cluster is still removed.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
const code = await runSteps().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(summary());
  return 1;
});
if (code !== 0) process.exit(code);
console.log(summary());
console.log(`\nAll ${selected.length} test steps passed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
