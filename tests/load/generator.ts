/**
 * One load-generating process of `npm run load`: reads a task (JSON file, argv[2]), runs it
 * against the platform on loopback, writes its result (JSON file, argv[3]). Every loop is
 * bounded by a count (its work list) and by time (maxMs). Kept apart from the platform's
 * processes so that generating load never steals the server's event loop.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { nowMs } from '../bench/harness';

export interface OpStats {
  /** Milliseconds per request, in the order they finished. */
  latencies: number[];
  /** When each of those requests left, in ms after this generator's clock started (same order). */
  sentAt: number[];
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
      /**
       * Null: the deciders and feed readers each send their next request as soon as the last
       * one answers (closed loop: the mix runs as fast as the machine lets it). Set: requests
       * start at these rates whatever the answers (open loop), as the half-peak accepts do.
       */
      pace: { decidesPerSecond: number; feedReadsPerSecond: number } | null;
    };

export interface TaskResult {
  ops: OpResults;
  elapsedMs: number;
  /**
   * CPU this generator used while running its task (user + system, ms; getrusage, the
   * counters /proc shows): what generating the load cost on the cores the platform shares.
   */
  cpuMs: number;
  /** sse: per stream, pairs of (head, `nowMs()` it arrived at: the machine's monotonic clock, which every process shares) for each head after the first. */
  streams?: number[][];
}

const ISSUE_LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/;

function stats(results: OpResults, op: string): OpStats {
  let s = results[op];
  if (!s) {
    s = { latencies: [], sentAt: [], statuses: {} };
    results[op] = s;
  }
  return s;
}

/**
 * Where every request goes, and the keep-alive sockets they reuse. Node's own HTTP client,
 * not fetch: the load is generated on the cores the platform runs on, and fetch's request
 * and response objects and body streams cost more CPU per request than the platform's
 * accept does (measured with `cpuMs`).
 */
let target: { hostname: string; port: number } = { hostname: '127.0.0.1', port: 80 };
const agent = new http.Agent({ keepAlive: true });

/** Bodies that never change, as the bytes sent: not stringified again per request. */
const DECIDE_BODIES = { accept: '{}', refund: JSON.stringify({ reason: 'cannot_answer' }) } as const;

/** Sends one request; resolves to its status once its answer has been read (0: the connection failed). */
function send(method: string, path: string, headers: http.OutgoingHttpHeaders, body: string | undefined) {
  return new Promise<number>((resolve) => {
    const request = http.request({ ...target, method, path, headers, agent }, (response) => {
      // The answer is read to its end (that is when the request is done), not parsed: nothing uses it.
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', () => resolve(0));
      response.resume();
    });
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

/** When this generator's clock started (on "go", for a decide task): what `sentAt` counts from. */
let clockStartedAt = 0;

async function timed(
  results: OpResults,
  op: string,
  path: string,
  init: { method: string; token: string; body?: string; idempotent?: boolean },
): Promise<number> {
  const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${init.token}` };
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(init.body);
  }
  if (init.idempotent) headers['idempotency-key'] = randomUUID();
  const t0 = performance.now();
  // A refused or reset connection is status 0: counted, never retried blindly.
  const status = await send(init.method, path, headers, init.body);
  const s = stats(results, op);
  s.latencies.push(performance.now() - t0);
  s.sentAt.push(t0 - clockStartedAt);
  s.statuses[status] = (s.statuses[status] ?? 0) + 1;
  return status;
}

function decide(results: OpResults, item: DecideItem) {
  return timed(results, item.action, `/v1/messages/${item.messageId}/${item.action}`, {
    method: 'POST',
    token: item.token,
    body: DECIDE_BODIES[item.action],
    idempotent: true,
  });
}

/** A loop's `request(i)` for decisions: the i-th item's, while `live()` and items last. */
function decisions(results: OpResults, items: DecideItem[], live: () => boolean) {
  return (i: number) => {
    const item = i < items.length && live() ? items[i] : undefined;
    return item ? decide(results, item) : null;
  };
}

/**
 * Opens `count` keep-alive connections, one untimed health read on each, all at once (so
 * each needs a socket of its own); they wait in the agent for the phase. An app is
 * connected before its person decides, and each phase is a new process: opened inside the
 * timed loop they were a storm of new connections in its first half second, which set the
 * half-peak p99 (see tests/unit/tooling/load-generator.test.ts).
 */
async function openConnections(count: number): Promise<void> {
  const statuses = await Promise.all(Array.from({ length: count }, () => send('GET', '/healthz', {}, undefined)));
  const failed = statuses.filter((status) => status !== 200);
  if (failed.length > 0) throw new Error(`opening connections: /healthz answered ${failed.join(', ')}`);
}

async function runDecide(task: Extract<Task, { kind: 'decide' }>, results: OpResults): Promise<void> {
  const deadline = performance.now() + task.maxMs;
  const decideNext = decisions(results, task.items, () => performance.now() < deadline);
  if (task.ratePerSecond === null) await closedLoop(task.concurrency, decideNext);
  else await openLoop(task.ratePerSecond, decideNext);
}

/**
 * Closed loop: `clients` at once, each starting the next request (`request(i)`, numbered
 * across all of them) as soon as its last one answered, until `request` answers null.
 */
async function closedLoop(clients: number, request: (i: number) => Promise<unknown> | null): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let step = request(next++); step; step = request(next++)) await step;
    }),
  );
}

/**
 * Open loop: request i starts at i / rate, however slow earlier answers are; latency then
 * includes any queueing the platform causes (no coordinated omission). `request(i)` starts
 * the i-th request, or answers null when there are no more.
 */
async function openLoop(ratePerSecond: number, request: (i: number) => Promise<unknown> | null): Promise<void> {
  const interval = 1000 / ratePerSecond;
  const start = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; ; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const started = request(i);
    if (!started) break;
    const p = started.finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

/**
 * One SSE stream read straight off its socket, open once its first event (the head it
 * starts at) is in; `onHead` then gets each later event's `id:` (its head) and when the
 * read that brought it began. 500 streams hear every change at once, so each
 * read costs as little as it can: no HTTP client, no text decoder, no regular expression.
 * Each event is one write of the platform's, so its `id: N` line arrives in one chunk of the
 * response; the chunk framing around it is skipped, and a line split between two reads is
 * carried over.
 */
/** What every SSE socket of this generator reads into (see `openStream`). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

function openStream(path: string, token: string, onHead: (head: number, at: number) => void): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let headersRead = false;
    let opened = false;
    let carried = '';
    const read = (chunk: string, at: number) => {
      let text = carried + chunk;
      if (!headersRead) {
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) {
          carried = text;
          return;
        }
        const status = text.slice(0, text.indexOf('\r\n'));
        if (!status.startsWith('HTTP/1.1 200 ')) {
          socket.destroy();
          return reject(new Error(`stream ${path}: ${status}`));
        }
        headersRead = true;
        text = text.slice(end + 4);
      }
      let from = 0;
      for (;;) {
        const marker = text.indexOf('\nid: ', from);
        if (marker < 0) {
          // A marker cut short by the read's end is at most its first four characters.
          carried = text.slice(Math.max(from, text.length - 4));
          return;
        }
        const lineEnd = text.indexOf('\n', marker + 5);
        if (lineEnd < 0) {
          carried = text.slice(marker);
          return;
        }
        if (opened) onHead(Number(text.slice(marker + 5, lineEnd)), at);
        else {
          opened = true;
          resolve(socket);
        }
        from = lineEnd;
      }
    };
    // Read into one buffer shared by every stream (each read is parsed before the next one
    // lands), without a stream's 'data' events: no Buffer per read, no readable machinery.
    const socket = net.connect({
      ...target,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes) => {
          read(READ_BUFFER.toString('latin1', 0, bytes), nowMs());
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.write(
      `GET ${path} HTTP/1.1\r\nhost: ${target.hostname}:${target.port}\r\nauthorization: Bearer ${token}\r\naccept: text/event-stream\r\n\r\n`,
    );
    socket.on('error', reject);
  });
}

/**
 * The orchestrator's word on stdin: `go` once every generator of the phase is ready, `stop`
 * to end. True when `word` came; false when `stop` came instead (a sibling failed to get
 * ready) or nothing did within `withinMs`.
 */
function heard(word: 'go' | 'stop', withinMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    const end = (came: boolean) => {
      clearTimeout(timer);
      lines.close();
      resolve(came);
    };
    const timer = setTimeout(() => end(false), withinMs);
    lines.on('line', (line) => {
      const said = line.trim();
      if (said === word) end(true);
      else if (said === 'stop') end(false);
    });
  });
}

/** How long a ready accept generator waits for the others before it gives up. */
const GO_WITHIN_MS = 60_000;

/** Opens `count` SSE streams and records when each new head arrives, until told to stop. */
async function runSse(task: Extract<Task, { kind: 'sse' }>): Promise<number[][]> {
  const streams = Array.from({ length: task.count }, () => [] as number[]);
  const path = `/v1/inboxes/${task.inboxId}/events`;
  const sockets = await Promise.all(
    streams.map((times, i) =>
      openStream(path, task.tokens[i % task.tokens.length] ?? '', (head, at) => times.push(head, at)),
    ),
  );
  process.stdout.write('ready\n');
  await heard('stop', task.maxMs);
  for (const socket of sockets) socket.destroy();
  return streams;
}

/** Fans topping up and paying, owners and managers deciding, clients paging the feed, all at once. */
async function runMixed(task: Extract<Task, { kind: 'mixed' }>, results: OpResults): Promise<void> {
  const deadline = performance.now() + task.maxMs;
  const live = () => performance.now() < deadline;
  // The platform lets one session send 30 paid messages a minute; each fan stays under it.
  const FAN_GAP_MS = 2_500;
  const topUpBody = JSON.stringify({ amount: { minor: task.priceMinor, currency: 'USD' } });
  /** Waits `ms`, unless the mix ends first: then false, and the fan stops. */
  const waitWithinMix = async (ms: number) => {
    if (ms > deadline - performance.now()) return false;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    return true;
  };
  const fanLoops = task.fans.map(async (fan, f) => {
    // Independent fans: each starts at its own point of the gap, so the fans pay spread over
    // it at the same rate. Started together, all of them paid in the same few milliseconds
    // every gap, and a probe that met that burst waited up to 180 ms (2026-12-04).
    if (!(await waitWithinMix((f / task.fans.length) * FAN_GAP_MS))) return;
    for (let i = 0; live(); i++) {
      const started = performance.now();
      await timed(results, 'topUp', '/v1/wallet/topups', {
        method: 'POST',
        token: fan.token,
        body: topUpBody,
        idempotent: true,
      });
      const handle = task.handles[(f * 7 + i) % task.handles.length];
      await timed(results, 'sendMessage', `/v1/creators/${handle}/messages`, {
        method: 'POST',
        token: fan.token,
        // The seeded inboxes' terms (seedBulk's default 72 h window): a fan pays what they saw.
        body: JSON.stringify({
          body: `Load message ${i} from fan ${f}: would you record a birthday greeting?`,
          price: { minor: task.priceMinor, currency: 'USD' },
          responseWindowMs: 72 * 3_600_000,
        }),
        idempotent: true,
      });
      // A next payment that would fall past the mix's end is not made, nor waited for: a fan's
      // last wait stretched the time every rate is divided by (8 s mixes were timed at 10 s),
      // and cut at the end it let the fan pay again sooner than the gap.
      if (!(await waitWithinMix(FAN_GAP_MS - (performance.now() - started)))) return;
    }
  });
  // The i-th feed read of reader r: readers spread over the inboxes and over the feed's start.
  const readFeed = (r: number, i: number) => {
    const reader = task.readers[(r + i * 13) % task.readers.length];
    if (!reader) return null;
    const after = (i * 37) % 200;
    return timed(results, 'changes', `/v1/inboxes/${reader.inboxId}/changes?after=${after}&limit=100`, {
      method: 'GET',
      token: reader.token,
    });
  };
  const decideNext = decisions(results, task.decide, live);
  if (task.pace) {
    const { decidesPerSecond, feedReadsPerSecond } = task.pace;
    await Promise.all([
      ...fanLoops,
      openLoop(decidesPerSecond, decideNext),
      openLoop(feedReadsPerSecond, (i) => (live() ? readFeed(i % task.feedReaders, i) : null)),
    ]);
    return;
  }
  const readers = Array.from({ length: task.feedReaders }, async (_, r) => {
    for (let i = 0; live(); i++) {
      const step = readFeed(r, i);
      if (!step) break;
      await step;
    }
  });
  await Promise.all([...fanLoops, closedLoop(task.deciders, decideNext), ...readers]);
}

async function main(): Promise<void> {
  const [taskFile, resultFile] = process.argv.slice(2);
  if (!taskFile || !resultFile) throw new Error('usage: generator.ts <task.json> <result.json>');
  const task = JSON.parse(readFileSync(taskFile, 'utf8')) as Task;
  if (!ISSUE_LOOPBACK.test(task.url)) throw new Error(`load goes to loopback only, not ${task.url}`);
  const { hostname, port } = new URL(task.url);
  target = { hostname, port: Number(port) || 80 };
  const results: OpResults = {};
  if (task.kind === 'decide') {
    // Before the clock starts: the phase times decisions, not connecting, and not the other
    // generators starting up. A generator that began as soon as it was loaded met its
    // sibling still loading (node, tsx, this file) on the same two cores: requests sent in
    // its first 50 ms took up to 200 ms (2026-12-04), and were the half-peak p99.
    await openConnections(task.concurrency);
    process.stdout.write('ready\n');
    if (!(await heard('go', GO_WITHIN_MS)))
      throw new Error(`stopped, or no go within ${GO_WITHIN_MS} ms of being ready`);
  }
  const t0 = performance.now();
  clockStartedAt = t0;
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
