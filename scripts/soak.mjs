#!/usr/bin/env node
/**
 * `npm run soak [-- <schedules>]`: the crash test (tests/integration/core/crash.test.ts) with
 * many schedules (default 1,000), outside CI. Prints the test's summary line with the wall
 * time and the load average before and after, or why it failed.
 * The platform runs on PostgreSQL (TEST_DATABASE_URL, or a throwaway cluster as `npm test`
 * starts one; in-process PGlite where there is none); CRASH_LANES sets the concurrent lanes,
 * CRASH_SEED replays a run's random delays.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { providePostgres } from './test-postgres.mjs';

const schedules = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(schedules) || schedules < 1) {
  console.error('usage: npm run soak [-- <schedules>]');
  process.exit(2);
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const postgres = await providePostgres();
console.log(postgres.note);
const loadBefore = load();
const started = Date.now();
const child = spawn(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', 'tests/integration/core/crash.test.ts'],
  {
    env: {
      ...process.env,
      CRASH_SCHEDULES: String(schedules),
      ...(postgres.url ? { TEST_DATABASE_URL: postgres.url } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk.toString();
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  postgres.stop();
  const summary = /crash summary: .*/.exec(output)?.[0];
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const loads = `load average before ${loadBefore}, after ${load()}`;
  if (code === 0 && summary) console.log(`\nsoak ok — ${summary} (wall ${minutes} min; ${loads})`);
  else
    console.log(`\nsoak FAILED after ${minutes} min (exit ${code}; ${loads}); the test's own output above says where`);
  process.exit(code ?? 1);
});
