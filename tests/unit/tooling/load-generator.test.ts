/**
 * The load test's generator (tests/load/generator.ts, #16), run for real against a loopback
 * server that answers everything and records what arrives, when, and on which connection.
 *
 * The mix: each fan pays
 * once per gap (the platform's per-session limit); the fans must do so as independent fans
 * would, spread over the gap, not all in the same millisecond: 60 fans paying at once every
 * 2.5 s made the probe accepts that met the burst wait up to 180 ms (2026-12-04), which set
 * the SSE figure's p95 at half the mix's rates.
 *
 * Accepts: every phase is a new generator process with no connection open. Opening them all
 * inside the timed open loop made a storm of new connections in its first half second (97 of
 * them in one run with two workers, p50 114 ms each, against 6 ms on an open one), and those
 * set the half-peak p99 (125 ms, every slow accept in that first half second; 2026-12-04).
 * And a generator must not start timing while its sibling is still starting up on the same
 * cores: each says it is ready, and all are told to go together.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { nowMs } from '../../bench/harness';
import type { Task, TaskResult } from '../../load/generator';

const FANS = 12;
const FAN_GAP_MS = 2_500;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Arrival {
  method: string;
  at: number;
  /** The connection it came on, numbered in the order they were opened. */
  connection: number;
}

async function recordingPlatform(
  answerAfterMs = 0,
): Promise<{ url: string; topUps: Array<{ token: string; at: number }>; arrivals: Arrival[] }> {
  const topUps: Array<{ token: string; at: number }> = [];
  const arrivals: Arrival[] = [];
  const connections = new WeakMap<object, number>();
  let opened = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'POST' && request.url === '/v1/wallet/topups')
      topUps.push({ token: String(request.headers.authorization), at: nowMs() });
    arrivals.push({
      method: request.method ?? '',
      at: nowMs(),
      connection: connections.get(request.socket) ?? -1,
    });
    request.resume();
    request.on('end', () => {
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
      }, answerAfterMs);
    });
  });
  server.on('connection', (socket) => connections.set(socket, opened++));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  cleanups.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, topUps, arrivals };
}

/**
 * Runs one generator process as the orchestrator does; an accept generator is told to go
 * once it says it is ready, after `beforeGo` (the test's look at what it did meanwhile).
 */
async function runGenerator(
  task: Task,
  beforeGo: () => Promise<void> = async () => {},
  word: 'go' | 'stop' = 'go',
): Promise<TaskResult | null> {
  const dir = mkdtempSync(join(tmpdir(), 'load-gen-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const taskFile = join(dir, 'task.json');
  const resultFile = join(dir, 'result.json');
  writeFileSync(taskFile, JSON.stringify(task));
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('tests/load/generator.ts'), taskFile, resultFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  cleanups.push(() => child.exitCode === null && child.kill());
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  if (task.kind === 'decide') {
    await new Promise<void>((ready) =>
      createInterface({ input: child.stdout }).on('line', (line) => line === 'ready' && ready()),
    );
    await beforeGo();
    child.stdin.write(`${word}\n`);
  }
  const code = await exited;
  if (word === 'stop') {
    // Told to stop before its clock started: it ends at once, with no result.
    expect(code).not.toBe(0);
    return null;
  }
  expect(code).toBe(0);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as TaskResult;
}

it('spreads the fans over their gap: each pays once per gap, not all of them at once', async () => {
  const { url, topUps } = await recordingPlatform();
  const result = await runGenerator({
    kind: 'mixed',
    url,
    maxMs: FAN_GAP_MS + 500,
    fans: Array.from({ length: FANS }, (_, f) => ({ token: `fan-${f}` })),
    handles: ['creator'],
    priceMinor: 500,
    decide: [],
    readers: [],
    deciders: 0,
    feedReaders: 0,
    pace: null,
  });

  const byFan = new Map<string, number[]>();
  for (const { token, at } of topUps) byFan.set(token, [...(byFan.get(token) ?? []), at]);
  // Every fan paid, none sooner than a gap after its last payment (the mix's end included).
  expect(byFan.size).toBe(FANS);
  for (const times of byFan.values())
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThan(FAN_GAP_MS - 50);
  // The first payments span most of a gap (evenly: 11/12 of it), not a few milliseconds.
  const starts = [...byFan.values()].map((times) => times[0] as number);
  expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThan(FAN_GAP_MS / 2);
  expect(result?.ops.topUp?.statuses).toEqual({ 200: topUps.length });
}, 20_000);

it('opens its connections before an accept phase starts: every timed accept goes out on one already open', async () => {
  // Each accept takes 20 ms to answer: at 250/s about five are in flight, and more at the start.
  const { url, arrivals } = await recordingPlatform(20);
  const items = Array.from({ length: 250 }, (_, i) => ({
    token: 'owner',
    messageId: `m${i}`,
    action: 'accept' as const,
  }));
  const result = await runGenerator({ kind: 'decide', url, items, concurrency: 16, ratePerSecond: 250, maxMs: 5_000 });

  const accepts = arrivals.filter((a) => a.method === 'POST');
  expect(accepts).toHaveLength(items.length);
  expect(result?.ops.accept?.statuses).toEqual({ 200: items.length });
  // Opened before the first accept was sent (its clock had not started): none during the phase.
  const firstAcceptAt = Math.min(...accepts.map((a) => a.at));
  const openedBefore = new Set(arrivals.filter((a) => a.at < firstAcceptAt).map((a) => a.connection));
  expect(openedBefore.size).toBe(16);
  expect(accepts.filter((a) => !openedBefore.has(a.connection))).toEqual([]);
  // The opening reads are not accepts, and not counted as any operation of the phase.
  expect(Object.keys(result?.ops ?? {})).toEqual(['accept']);
}, 20_000);

it('starts timing accepts only when told to go: ready (loaded and connected) first, then nothing until go', async () => {
  const { url, arrivals } = await recordingPlatform();
  const items = Array.from({ length: 20 }, (_, i) => ({
    token: 'owner',
    messageId: `m${i}`,
    action: 'accept' as const,
  }));
  let toldAt = 0;
  const result = await runGenerator(
    { kind: 'decide', url, items, concurrency: 4, ratePerSecond: null, maxMs: 5_000 },
    async () => {
      // Ready: connected, and not one accept sent, however long the others take to be ready.
      await new Promise((wait) => setTimeout(wait, 500));
      expect(arrivals.filter((a) => a.method === 'POST')).toEqual([]);
      expect(new Set(arrivals.map((a) => a.connection)).size).toBe(4);
      toldAt = nowMs();
    },
  );
  const accepts = arrivals.filter((a) => a.method === 'POST');
  expect(accepts).toHaveLength(items.length);
  expect(accepts.every((a) => a.at >= toldAt)).toBe(true);
  expect(result?.ops.accept?.statuses).toEqual({ 200: items.length });
}, 20_000);

it('ends at once, sending no accept, when told to stop instead of go (a sibling failed to get ready)', async () => {
  const { url, arrivals } = await recordingPlatform();
  const items = [{ token: 'owner', messageId: 'm0', action: 'accept' as const }];
  const startedAt = nowMs();
  await runGenerator(
    { kind: 'decide', url, items, concurrency: 2, ratePerSecond: null, maxMs: 5_000 },
    undefined,
    'stop',
  );
  // Well inside the minute it would otherwise wait for a go.
  expect(nowMs() - startedAt).toBeLessThan(15_000);
  expect(arrivals.filter((a) => a.method === 'POST')).toEqual([]);
}, 20_000);
