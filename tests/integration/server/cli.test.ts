/**
 * `npm run server` as people start it: a real process, PGlite in the given folder, on
 * 127.0.0.1 only, stopping cleanly on SIGTERM; and `--workers 2` on PostgreSQL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { LISTENER_APP_NAME } from '../../../server/db/pg';
import { describeWithPostgres, testDatabaseUrl } from '../../helpers/server';

interface Started {
  process: ChildProcess;
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/** `server/cli.ts` with `args`, once it prints the line `listening` matches (its address first). */
async function startCli(args: string[], env: NodeJS.ProcessEnv, listening: RegExp): Promise<Started> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  started.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = listening.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    started.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  return { process: started, url, output: () => output };
}

/** SIGTERM, and the exit code it stopped with. */
async function stop(started: ChildProcess): Promise<number | null> {
  const exit = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
  started.kill('SIGTERM');
  return exit;
}

describe('server CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'creator-inbox-cli-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on 127.0.0.1 with its data folder, answers, and stops on SIGTERM', async () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const started = await startCli(['--data-dir', dataDir], env, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    child = started.process;
    expect(started.output()).toContain(`PGlite in ${dataDir}`);
    const health = await fetch(`${started.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    expect(await stop(started.process)).toBe(0);
    // A cold start (tsx, PGlite's first migration) takes over a minute when the machine is busy.
  }, 180_000);
});

describeWithPostgres('server CLI with --workers', () => {
  const schema = `cli_${randomUUID().replaceAll('-', '')}`;
  let child: ChildProcess | null = null;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('runs two platform processes on one port and one PostgreSQL, one LISTEN connection each, and stops both', async () => {
    const started = await startCli(
      ['--workers', '2'],
      { ...process.env, DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema },
      /listening on (http:\/\/127\.0\.0\.1:\d+) \(PostgreSQL, 2 workers\)/,
    );
    child = started.process;
    const { url } = started;
    for (let i = 0; i < 4; i++) expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const listeners = await client.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
        [`${LISTENER_APP_NAME} ${schema}`],
      );
      expect(listeners.rows).toHaveLength(2);
    } finally {
      await client.end();
    }
    expect(await stop(started.process)).toBe(0);
  }, 90_000);

  it('refuses --workers without PostgreSQL, saying why', async () => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const started = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--workers', '2'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => started.on('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(output).toContain('--workers needs PostgreSQL');
  }, 60_000);
});
