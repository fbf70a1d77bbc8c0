/**
 * One load-generating process of `npm run load`: reads a task (JSON file, argv[2]), runs it
 * against the platform on loopback, writes its result (JSON file, argv[3]). Every loop is
 * bounded by a count (its work list) and by time (maxMs). Kept apart from the platform's
 * processes so that generating load never steals the server's event loop.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';

export interface OpStats {
  /** Milliseconds per request, in the order they finished. */
  latencies: number[];
  /** HTTP status → count. */
  statuses: Record<string, number>;
}

export type OpResults = Record<string, OpStats>;

export interface DecideItem {
  token: string;
  messageId: string;
  action: 'accept' | 'refund';
}

export type Task =
  | {
      kind: 'decide';
      url: string;
      items: DecideItem[];
      /** Requests in flight (closed loop) … */
      concurrency: number;
      /** … or, when set, requests started at this rate per second (open loop). */
      ratePerSecond: number | null;
      maxMs: number;
    }
  | { kind: 'sse'; url: string; inboxId: string; tokens: string[]; count: number; maxMs: number }
  | {
      kind: 'mixed';
      url: string;
      maxMs: number;
      fans: Array<{ token: string }>;
      handles: string[];
      priceMinor: number;
      decide: DecideItem[];
      readers: Array<{ token: string; inboxId: string }>;
      deciders: number;
      feedReaders: number;
    };

export interface TaskResult {
  ops: OpResults;
  elapsedMs: number;
  /**
   * CPU this generator used while running its task (user + system, ms; getrusage, the
   * counters /proc shows): what generating the load cost on the cores the platform shares.
   */
  cpuMs: number;
  /** sse: per stream, pairs of (head, wall-clock ms it arrived at) for each head after the first. */
  streams?: number[][];
}

const wallClock = () => performance.timeOrigin + performance.now();
const ISSUE_LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/;

function stats(results: OpResults, op: string): OpStats {
  let s = results[op];
  if (!s) {
    s = { latencies: [], statuses: {} };
    results[op] = s;
  }
  return s;
}

async function timed(
  results: OpResults,
  op: string,
  url: string,
  init: { method: string; token: string; body?: unknown; idempotent?: boolean },
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.idempotent) headers['idempotency-key'] = randomUUID();
  const t0 = performance.now();
  let status = 0;
  let body: unknown = null;
  try {
    const response = await fetch(url, {
      method: init.method,
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    status = response.status;
    body = await response.json().catch(() => null);
  } catch {
    status = 0; // connection refused or reset: counted, never retried blindly
  }
  const s = stats(results, op);
  s.latencies.push(performance.now() - t0);
  s.statuses[String(status)] = (s.statuses[String(status)] ?? 0) + 1;
  return { status, body };
}

function decide(results: OpResults, url: string, item: DecideItem) {
  return timed(results, item.action, `${url}/v1/messages/${item.messageId}/${item.action}`, {
    method: 'POST',
    token: item.token,
    body: item.action === 'accept' ? {} : { reason: 'cannot_answer' },
    idempotent: true,
  });
}

async function runDecide(task: Extract<Task, { kind: 'decide' }>, results: OpResults): Promise<void> {
  const deadline = performance.now() + task.maxMs;
  let next = 0;
  if (task.ratePerSecond === null) {
    await Promise.all(
      Array.from({ length: task.concurrency }, async () => {
        while (next < task.items.length && performance.now() < deadline) {
          const item = task.items[next++];
          if (item) await decide(results, task.url, item);
        }
      }),
    );
    return;
  }
  // Open loop: request i starts at i / rate, however slow earlier answers are; latency then
  // includes any queueing the platform causes (no coordinated omission).
  const interval = 1000 / task.ratePerSecond;
  const start = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  while (next < task.items.length && performance.now() < deadline) {
    const due = start + next * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const item = task.items[next++];
    if (!item) break;
    const p = decide(results, task.url, item).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

/** Opens `count` SSE streams and records when each new head arrives, until told to stop. */
async function runSse(task: Extract<Task, { kind: 'sse' }>): Promise<number[][]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const streams: number[][] = [];
  const requests: http.ClientRequest[] = [];
  const opened = Array.from({ length: task.count }, (_, i) => {
    const times: number[] = [];
    streams.push(times);
    return new Promise<void>((resolve, reject) => {
      let first = true;
      let buffer = '';
      const request = http.get(
        `${task.url}/v1/inboxes/${task.inboxId}/events`,
        { agent, headers: { authorization: `Bearer ${task.tokens[i % task.tokens.length]}` } },
        (response) => {
          if (response.statusCode !== 200) return reject(new Error(`stream ${i}: ${response.statusCode}`));
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            buffer += chunk;
            let boundary = buffer.indexOf('\n\n');
            while (boundary >= 0) {
              const block = buffer.slice(0, boundary);
              buffer = buffer.slice(boundary + 2);
              const id = /^id: (\d+)$/m.exec(block)?.[1];
              if (id !== undefined) {
                if (first) {
                  first = false;
                  resolve();
                } else times.push(Number(id), wallClock());
              }
              boundary = buffer.indexOf('\n\n');
            }
          });
        },
      );
      request.on('error', reject);
      requests.push(request);
    });
  });
  await Promise.all(opened);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, task.maxMs);
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line.trim() === 'stop') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  for (const request of requests) request.destroy();
  agent.destroy();
  return streams;
}

/** Fans topping up and paying, owners and managers deciding, clients paging the feed, all at once. */
async function runMixed(task: Extract<Task, { kind: 'mixed' }>, results: OpResults): Promise<void> {
  const deadline = performance.now() + task.maxMs;
  const live = () => performance.now() < deadline;
  // The platform lets one session send 30 paid messages a minute; each fan stays under it.
  const FAN_GAP_MS = 2_500;
  const fanLoops = task.fans.map(async (fan, f) => {
    for (let i = 0; live(); i++) {
      const started = performance.now();
      await timed(results, 'topUp', `${task.url}/v1/wallet/topups`, {
        method: 'POST',
        token: fan.token,
        body: { amount: { minor: task.priceMinor, currency: 'USD' } },
        idempotent: true,
      });
      const handle = task.handles[(f * 7 + i) % task.handles.length];
      await timed(results, 'sendMessage', `${task.url}/v1/creators/${handle}/messages`, {
        method: 'POST',
        token: fan.token,
        // The seeded inboxes' terms (seedBulk's default 72 h window): a fan pays what they saw.
        body: {
          body: `Load message ${i} from fan ${f}: would you record a birthday greeting?`,
          price: { minor: task.priceMinor, currency: 'USD' },
          responseWindowMs: 72 * 3_600_000,
        },
        idempotent: true,
      });
      const rest = FAN_GAP_MS - (performance.now() - started);
      if (rest > 0 && live()) await new Promise((r) => setTimeout(r, rest));
    }
  });
  let next = 0;
  const deciders = Array.from({ length: task.deciders }, async () => {
    while (next < task.decide.length && live()) {
      const item = task.decide[next++];
      if (item) await decide(results, task.url, item);
    }
  });
  const readers = Array.from({ length: task.feedReaders }, async (_, r) => {
    for (let i = 0; live(); i++) {
      const reader = task.readers[(r + i * 13) % task.readers.length];
      if (!reader) break;
      const after = (i * 37) % 200;
      await timed(results, 'changes', `${task.url}/v1/inboxes/${reader.inboxId}/changes?after=${after}&limit=100`, {
        method: 'GET',
        token: reader.token,
      });
    }
  });
  await Promise.all([...fanLoops, ...deciders, ...readers]);
}

async function main(): Promise<void> {
  const [taskFile, resultFile] = process.argv.slice(2);
  if (!taskFile || !resultFile) throw new Error('usage: generator.ts <task.json> <result.json>');
  const task = JSON.parse(readFileSync(taskFile, 'utf8')) as Task;
  if (!ISSUE_LOOPBACK.test(task.url)) throw new Error(`load goes to loopback only, not ${task.url}`);
  const results: OpResults = {};
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result: TaskResult = { ops: results, elapsedMs: 0, cpuMs: 0 };
  if (task.kind === 'decide') await runDecide(task, results);
  else if (task.kind === 'mixed') await runMixed(task, results);
  else result.streams = await runSse(task);
  result.elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  writeFileSync(resultFile, JSON.stringify(result));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
