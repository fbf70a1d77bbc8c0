import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Core } from '../../electron/core';
import { type CallInput, type CallName, type CallOutput, dispatchCall } from '../../shared/contract';

/**
 * What the core and renderer benches share: a seeded platform in its own process (so only
 * the client's work counts against the measured event loop), and calls into a core the
 * way a transport makes them.
 */
export interface BenchPlatform {
  url: string;
  email: string;
  password: string;
  inboxId: string;
  handle: string;
  fanToken: string;
  seeded: number;
  platformNow: number;
  /** With several inboxes: one account managing all of them. */
  manager: { email: string; password: string; inboxIds: string[] } | null;
  /** The platform's database: "postgres", "pglite" (in memory) or "pglite on disk". */
  engine: string;
  /** How long starting and seeding it took (on PostgreSQL with the seeded tables' VACUUM (ANALYZE)). */
  seedMs: number;
  /** The platform's own process (node itself, not a wrapper: its RSS and CPU are the platform's). */
  process: ChildProcess;
}

/**
 * PostgreSQL, as in production, when TEST_DATABASE_URL is set; PGlite otherwise.
 * BENCH_PLATFORM_DB=pglite|postgres chooses either way.
 */
export function benchPlatformDb(): 'pglite' | 'postgres' {
  const chosen = process.env.BENCH_PLATFORM_DB;
  if (chosen === 'pglite' || chosen === 'postgres') return chosen;
  if (chosen) throw new Error(`BENCH_PLATFORM_DB must be pglite or postgres, not ${chosen}`);
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/** `inboxes` creators with `messages` each (and, with more than one, a manager of them all). */
export async function startBenchPlatform(messages: number, label: string, inboxes = 1): Promise<BenchPlatform> {
  // Node itself with tsx's loader, not the tsx wrapper: the child's pid is then the platform's,
  // so its resident memory is what /proc reports for that pid.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve('tests/fixtures/core/bench-platform.ts'), String(messages), String(inboxes)],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_PLATFORM_DB: benchPlatformDb() } },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((res, rej) => {
    lines.once('line', res);
    child.once('exit', (code) => rej(new Error(`bench platform exited with ${code}`)));
  });
  child.on('exit', (code, signal) => {
    if (code !== 0) console.error(`  [${label}] bench platform exited (code ${code}, signal ${signal})`);
  });
  return { ...(JSON.parse(first) as Omit<BenchPlatform, 'process'>), process: child };
}

export async function callCore<N extends CallName>(core: Core, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await dispatchCall(core.handlers, name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as CallOutput<N>;
}
