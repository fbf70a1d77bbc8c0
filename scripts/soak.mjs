#!/usr/bin/env node
/**
 * `npm run soak [-- <schedules>]`: the crash test (tests/integration/core/crash.test.ts) with
 * many schedules (default 1,000), outside CI. Prints the test's summary line, or why it failed.
 */
import { spawn } from 'node:child_process';

const schedules = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(schedules) || schedules < 1) {
  console.error('usage: npm run soak [-- <schedules>]');
  process.exit(2);
}
const started = Date.now();
const child = spawn(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', 'tests/integration/core/crash.test.ts'],
  { env: { ...process.env, CRASH_SCHEDULES: String(schedules) }, stdio: ['ignore', 'pipe', 'inherit'] },
);
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk.toString();
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const summary = /crash summary: .*/.exec(output)?.[0];
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (code === 0 && summary) console.log(`\nsoak ok — ${summary} (wall ${minutes} min)`);
  else console.log(`\nsoak FAILED after ${minutes} min (exit ${code}); the test's own output above says where`);
  process.exit(code ?? 1);
});
