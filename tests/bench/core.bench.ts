import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Core, createCore, createCoreInWorker, createMemoryVault } from '../../electron/core';
import { AccountStore } from '../../electron/core/store/account-store';
import { applyPage, upsertMessage } from '../../electron/core/store/apply';
import { deferFtsIndexing, indexNextChunk } from '../../electron/core/store/fts';
import { inboxPage, searchMessages } from '../../electron/core/store/queries';
import { homeSearchKey } from '../../electron/core/store/search-key';
import { PlatformClient } from '../../electron/core/sync/http';
import { LineSplitter } from '../../electron/core/sync/line-splitter';
import { parseChangesPage } from '../../electron/core/sync/page-parser';
import type { CallOutput } from '../../shared/contract';
import {
  type ChangesPage,
  MAX_CHANGES_PAGE,
  MAX_SNAPSHOT_CHUNK,
  type Message,
  type RouteResponse,
} from '../../shared/protocol';
import { processTree, readStat } from '../helpers/proc';
import { type BenchPlatform, benchPlatformDb, callCore, startBenchPlatform } from './bench-platform';
import { type Bench, type BenchContext, nowMs, percentile } from './harness';
import { describePostgresCpu, watchPostgresCpu } from './postgres-cpu';
import { watchThreadCpu } from './thread-cpu';

/**
 * The local store and sync engine: bootstrap from a loopback platform (in its own
 * process, so only the client's work counts against its event loop), apply rate against
 * a raw insert of the same rows in the same run, push → SSE → pull latency between two
 * clients, and view/search queries over a locally built 1M-message database.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes message rows straight through the store's own upsert, `batch` rows a transaction,
 * seq counting from `firstSeq`: the floor and the raw baseline measure the same row write the
 * sync engine does, without its parsing and bookkeeping.
 */
function writeMessageRows(db: AccountStore['db'], messages: readonly Message[], batch: number, firstSeq = 1): void {
  for (let i = 0; i < messages.length; i += batch) {
    db.transaction(() => {
      for (const [j, m] of messages.slice(i, i + batch).entries()) upsertMessage(db, m, firstSeq + i + j);
    })();
  }
}

/**
 * Where the core runs: on its worker thread, as both shells run it (`createCoreInWorker`),
 * or on this thread, as they did before (#15), for the same-run baseline.
 */
type CoreThread = 'worker' | 'in-process';

async function newCore(dir: string, platform: BenchPlatform, thread: CoreThread = 'worker') {
  const options = {
    dataDir: dir,
    deviceName: 'bench',
    vault: createMemoryVault(),
    shell: 'browser' as const,
    version: 'bench',
    sync: { undoWindowMs: 0, pollIntervalMs: 60_000 },
  };
  // The platform's test clock, moving with real time from here on.
  const clockOffsetMs = platform.platformNow - Date.now();
  return thread === 'worker'
    ? createCoreInWorker({ ...options, clockOffsetMs })
    : createCore({ ...options, clock: () => Date.now() + clockOffsetMs });
}

/**
 * The same core with every call timed: how long a call from the interface waits for its
 * answer (on a worker core, behind whatever transaction the worker is in).
 */
function timedCalls(core: Core): { core: Core; latencies: number[] } {
  const latencies: number[] = [];
  const handlers = Object.fromEntries(
    Object.entries(core.handlers).map(([name, handler]) => [
      name,
      async (input: unknown) => {
        const t0 = nowMs();
        try {
          return await (handler as (input: unknown) => Promise<unknown>)(input);
        } finally {
          latencies.push(nowMs() - t0);
        }
      },
    ]),
  ) as Core['handlers'];
  return { core: { ...core, handlers }, latencies };
}

/**
 * Watches this thread's event loop (the one that serves the interface) with a 1 ms timer.
 * Each late tick's wall-clock gap is how long callbacks could not run; on a shared 2-core
 * machine much of that is the OS running other processes (the platform, other test
 * suites). The CPU time this thread used during the gap bounds what our own code held the
 * loop for, so a block is the smaller of the two. Both are reported. (This thread's CPU,
 * not the process's: the core's worker thread runs beside it and does not block it.)
 */
function watchEventLoop() {
  let lastWall = nowMs();
  let lastCpu = process.threadCpuUsage();
  let maxBlock = 0;
  let maxWall = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    const wall = nowMs();
    const cpu = process.threadCpuUsage();
    const gap = wall - lastWall - 1;
    const used = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    maxWall = Math.max(maxWall, gap);
    maxBlock = Math.max(maxBlock, Math.min(gap, used));
    lastWall = wall;
    lastCpu = cpu;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      return { maxBlock, maxWall, ticks };
    },
  };
}

/**
 * What one tick of the event-loop watcher costs this thread, in CPU ms, measured idle in
 * the same run: its 1 ms ticks are CPU the client figures include (~4 % of a core while
 * the interface thread is idle, as it mostly is with the core on its worker).
 */
async function watcherCpuPerTick(): Promise<number> {
  const cpu0 = process.threadCpuUsage();
  const loop = watchEventLoop();
  await new Promise((res) => setTimeout(res, 1_000));
  const { ticks } = loop.stop();
  const cpu = process.threadCpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000 / Math.max(1, ticks);
}

/** Resident memory of another process (the platform), from /proc; NaN where there is no /proc. */
function rssOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (ms) each of those processes has used, from /proc; a process that is gone is left out. */
function cpuMsByProcess(pids: number[]): Map<number, number> {
  const ms = new Map<number, number>();
  for (const pid of pids) {
    try {
      ms.set(pid, readStat(`/proc/${pid}/stat`).cpuMs);
    } catch {
      // Ended (or no /proc).
    }
  }
  return ms;
}

/** CPU time (ms) those processes have used, from /proc; NaN where there is no /proc or one has ended. */
function cpuMsOf(pids: number[]): number {
  const ms = cpuMsByProcess(pids);
  if (pids.length === 0 || ms.size < pids.length) return Number.NaN;
  return [...ms.values()].reduce((a, b) => a + b, 0);
}

/**
 * The PostgreSQL server (its postmaster) behind TEST_DATABASE_URL when the bench platform
 * runs on it: its backends' CPU is the platform's too, in other processes. Null on PGlite.
 */
async function postgresServerPid(): Promise<number | null> {
  if (benchPlatformDb() !== 'postgres' || !process.env.TEST_DATABASE_URL) return null;
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return readStat(`/proc/${rows[0]?.pid}/stat`).ppid; // this backend's parent
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

/**
 * How often the bench asks for the sync status when no event has said the sync is done:
 * a safety net only. It polled every 2 ms before, which put ~500 calls a second through
 * the worker's channel (or onto the core's thread) during the very bootstrap being timed.
 */
const STATUS_SAFETY_POLL_MS = 250;

/**
 * Watches, the way the interface does, for an account's sync to finish: on the core's
 * events, subscribed before the sign-in so none is missed. `sync.status` events carry the
 * status (every 100 ms during a bootstrap and at every change of state); `entities.changed`
 * calls `onChanged` (what the person would look at: the interface refetches its lists on
 * that event). Calls to `onChanged` never overlap: changes announced while one runs start
 * one more run after it. A status is also asked for every STATUS_SAFETY_POLL_MS, in case
 * the last status event came before the last change.
 */
function watchSync(core: Core, platform: BenchPlatform, t0: number) {
  const synced = new Set<string>();
  let changedSince = false;
  let wake: () => void = () => {};
  let watching = false;
  const off = core.onEvent((name, payload) => {
    if (name === 'entities.changed') changedSince = true;
    if (name === 'sync.status') {
      const status = payload as CallOutput<'sync.status'>;
      // Only from `until` on: during the sign-in, before its inboxes are added, an account has nothing to sync.
      if (watching && status.bootstrap === null && status.state === 'online') synced.add(status.accountId);
    }
    wake();
  });
  return {
    /** Until `accountId` is synced, calling `onChanged` after each announced change (never two at once). */
    async until(accountId: string, onChanged: () => Promise<void> = async () => {}): Promise<void> {
      const askStatus = () =>
        callCore(core, 'sync.status', { accountId }).then((status) => {
          if (status.bootstrap === null && status.state === 'online') {
            if (process.env.BENCH_DEBUG && !synced.has(accountId)) console.log('  [watchSync] end seen by a poll');
            synced.add(accountId);
          }
          wake();
        }, wake);
      const poll = setInterval(askStatus, STATUS_SAFETY_POLL_MS);
      try {
        watching = true;
        await askStatus();
        changedSince = true; // whatever was announced during the sign-in
        for (;;) {
          if (changedSince) {
            changedSince = false;
            await onChanged();
            continue;
          }
          if (synced.has(accountId)) return;
          if (platform.process.exitCode !== null) throw new Error('the bench platform exited during the bootstrap');
          if (nowMs() - t0 > 1_800_000) throw new Error('the bootstrap did not finish in 30 minutes');
          await new Promise<void>((res) => {
            wake = res;
          });
        }
      } finally {
        clearInterval(poll);
      }
    },
    stop: off,
  };
}

/** The first page of pending messages the issue asks to be readable early (#15). */
const FIRST_PAGE = 50;

/** Targets of the issue at 100k and 1M messages; the quick run's sizes record figures only. */
const BOOTSTRAP_TARGET_MS: Record<string, number> = { '100k': 3_000, '1M': 30_000 };

async function benchBootstrap(
  ctx: BenchContext,
  platform: BenchPlatform,
  label: string,
  thread: CoreThread = 'worker',
): Promise<number> {
  // Only the worker run records the watcher's share; the in-process run need not wait for it.
  const watcherTickCpu = thread === 'worker' ? await watcherCpuPerTick() : Number.NaN;
  const rssAtLaunch = process.memoryUsage().rss;
  const untimed = await newCore(join(ctx.tmpDir, `bootstrap-${thread}`), platform, thread);
  // The sync's growth counts from a running core, as in the app, where the core starts at
  // launch, long before a first sync: its thread and modules are recorded on their own.
  const rssBefore = process.memoryUsage().rss;
  const coreStartRss = rssBefore - rssAtLaunch;
  let rssPeak = rssBefore;
  const platformRssBefore = rssOf(platform.process.pid);
  let platformRssPeak = platformRssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    platformRssPeak = Math.max(platformRssPeak, rssOf(platform.process.pid));
  }, 20);
  const { core, latencies } = timedCalls(untimed);
  let firstPageMs = Number.NaN;
  const postgresServer = await postgresServerPid();
  const watch = watchSync(core, platform, nowMs());
  try {
    const t0 = nowMs();
    const account = await callCore(core, 'accounts.connect', {
      url: platform.url,
      email: platform.email,
      password: platform.password,
    });
    // Sign-in (and the first fetch's one-time setup) is behind us; the bootstrap runs from here.
    const syncStarted = nowMs();
    const signInMs = syncStarted - t0;
    const loop = watchEventLoop();
    // CPU time on both sides: on this shared machine the wall clock mostly measures the
    // neighbours, the CPU time what the bootstrap itself cost.
    const platformPids = processTree(platform.process.pid);
    const platformCpu0 = cpuMsOf(platformPids);
    const postgresCpu = postgresServer === null ? null : watchPostgresCpu(postgresServer);
    const clientCpu0 = process.cpuUsage();
    const uiThreadCpu0 = process.threadCpuUsage();
    const threads = watchThreadCpu();
    const calls0 = latencies.length;
    await watch.until(account.id, async () => {
      if (!Number.isNaN(firstPageMs)) return;
      // The snapshot brings pending messages first, soonest deadline first: the first page
      // of the pending view is what the person needs while the rest arrives. Every bench
      // inbox has far more than a page of them, so a short page is not yet the first page
      // (an empty inbox right after sign-in is not "readable").
      const page = await callCore(core, 'inbox.page', {
        accountId: account.id,
        inboxId: null,
        view: 'pending',
        limit: FIRST_PAGE,
      });
      // From the sync's start (the sign-in answered, the snapshot already asked for), as the issue counts it.
      if (page.rows.length >= FIRST_PAGE) firstPageMs = nowMs() - syncStarted;
    });
    const totalMs = nowMs() - t0;
    const blocks = loop.stop();
    // Read while the core's thread still runs (it ends with the core).
    const threadCpu = threads.stop();
    const postgresCpuByType = postgresCpu?.stop() ?? null;
    const postgresCpuMs = postgresCpuByType?.totalMs ?? null;
    const clientCpu = process.cpuUsage(clientCpu0);
    const uiThreadCpu = process.threadCpuUsage(uiThreadCpu0);
    const callLatencies = latencies.slice(calls0);
    const clientCpuMs = (clientCpu.user + clientCpu.system) / 1000;
    const platformCpuMs = cpuMsOf(platformPids) - platformCpu0;
    ctx.log(`bootstrap of ${platform.seeded} messages, core ${thread}, done in ${(totalMs / 1000).toFixed(1)} s`);
    const worstCallMs = Math.max(...callLatencies);
    if (thread === 'in-process') {
      // The same run's baseline: the core on the thread that serves the interface, as before #15.
      const where = 'core on the interface thread (before #15), same platform and run';
      ctx.record({ name: `core.bootstrap.inProcess.${label}`, value: totalMs, unit: 'ms', notes: where });
      ctx.record({
        name: `core.bootstrap.inProcess.longestEventLoopBlock.${label}`,
        value: blocks.maxBlock,
        unit: 'ms',
        notes: `${where}; longest block of the interface thread`,
      });
      ctx.record({
        name: `core.bootstrap.inProcess.worstCallLatency.${label}`,
        value: worstCallMs,
        unit: 'ms',
        notes: `${where}; slowest of ${callLatencies.length} calls during the bootstrap, from when each was made (a call made while a slice held the thread waited for it before it was made: see the block above)`,
      });
      ctx.record({ name: `core.bootstrap.inProcess.clientCpu.${label}`, value: clientCpuMs, unit: 'ms', notes: where });
      ctx.record({
        name: `core.bootstrap.inProcess.uiThreadCpu.${label}`,
        value: (uiThreadCpu.user + uiThreadCpu.system) / 1000,
        unit: 'ms',
        notes: `${where}; the core's own work is on this thread here, so compare with the worker run's clientCpu`,
      });
      ctx.record({
        name: `core.bootstrap.inProcess.firstPendingPage.${label}`,
        value: firstPageMs,
        unit: 'ms',
        notes: `${where}; from the sync start`,
      });
      ctx.record({ name: `core.bootstrap.inProcess.signIn.${label}`, value: signInMs, unit: 'ms', notes: where });
      return totalMs;
    }
    const sample = (
      await callCore(core, 'inbox.page', { accountId: account.id, inboxId: null, view: 'pending', limit: 1 })
    ).rows[0]?.preview
      .split(/\s+/)
      .find((word) => /^\p{L}{4,}$/u.test(word));
    const found = await callCore(core, 'search', { accountId: account.id, inboxId: null, text: sample ?? '' });
    if (found.rows.length === 0) throw new Error('bootstrap finished without a searchable index');
    // The first earnings visit after the sync: the rollups were folded as the ledger arrived.
    const e0 = nowMs();
    await callCore(core, 'earnings.summary', {
      accountId: account.id,
      inboxId: platform.inboxId,
      period: { kind: '30d' },
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    const earningsMs = nowMs() - e0;
    const target = BOOTSTRAP_TARGET_MS[label];
    ctx.record({
      name: `core.bootstrap.${label}`,
      value: totalMs,
      unit: 'ms',
      ...(target ? { target: { op: '<=' as const, value: target } } : {}),
      notes: `${platform.seeded} messages from the loopback platform's snapshot, FTS index built, earnings folded; sign-in included; core on its worker thread, as the shells run it`,
    });
    ctx.record({
      name: `core.bootstrap.firstPendingPage.${label}`,
      value: firstPageMs,
      unit: 'ms',
      target: { op: '<=', value: 300 },
      notes:
        'from the sync start (accounts.connect answered) until the first 50 pending messages are readable in the pending view, refetched on each entities.changed',
    });
    ctx.record({
      name: `core.bootstrap.signIn.${label}`,
      value: signInMs,
      unit: 'ms',
      notes: 'accounts.connect: the platform checks the password, the core opens the account and starts its sync',
    });
    ctx.record({
      name: `core.earnings.firstSummaryAfterSync.${label}`,
      value: earningsMs,
      unit: 'ms',
      target: { op: '<=', value: 100 },
      notes: '30-day summary in the local zone right after the bootstrap',
    });
    ctx.record({
      name: `core.bootstrap.platformRssGrowth.${label}`,
      value: (platformRssPeak - platformRssBefore) / 2 ** 20,
      unit: 'MiB',
      target: { op: '<=', value: 100 },
      notes: 'peak resident memory of the platform process while it streamed the snapshot',
    });
    ctx.record({ name: `core.bootstrap.rate.${label}`, value: (platform.seeded / totalMs) * 1000, unit: 'messages/s' });
    ctx.record({
      name: `core.bootstrap.clientCpu.${label}`,
      value: clientCpuMs,
      unit: 'ms',
      notes:
        "CPU time of the client process (core worker, SQLite, this bench loop) during the bootstrap; this bench's 1 ms watcher and 20 ms memory sampler tick more often here than in the in-process run, whose thread is held by the core (see uiThreadCpu)",
    });
    ctx.record({
      name: `core.bootstrap.uiThreadCpu.${label}`,
      value: (uiThreadCpu.user + uiThreadCpu.system) / 1000,
      unit: 'ms',
      notes: 'CPU time of the thread that serves the interface (forwarding calls, relaying events, this bench loop)',
    });
    ctx.record({
      name: `core.bootstrap.benchWatcherCpu.${label}`,
      value: watcherTickCpu * blocks.ticks,
      unit: 'ms',
      notes: `this bench's own 1 ms event-loop watcher, part of clientCpu and uiThreadCpu: ${blocks.ticks} ticks × ${(watcherTickCpu * 1000).toFixed(1)} µs of CPU each (measured idle before the run)`,
    });
    ctx.record({
      name: `core.bootstrap.worstCallLatency.${label}`,
      value: worstCallMs,
      unit: 'ms',
      notes: `slowest of ${callLatencies.length} bridge calls (sync.status, the pending page) answered during the bootstrap, from this thread through the worker and back: a call waits for the worker's current transaction`,
    });
    ctx.record({
      name: `core.bootstrap.callLatencyP99.${label}`,
      value: percentile(callLatencies, 99),
      unit: 'ms',
      notes: '99th percentile of the same calls',
    });
    ctx.record({
      name: `core.bootstrap.platformCpu.${label}`,
      value: platformCpuMs,
      unit: 'ms',
      notes: `CPU time of the platform process serving the snapshot and the feed during the bootstrap (${platform.engine === 'postgres' ? 'its PostgreSQL backends are postgresCpu' : 'PGlite runs in it'})`,
    });
    const coreThreadNotes = Object.entries(threadCpu)
      .map(([role, ms]) => `${role} ${Math.round(ms)} ms`)
      .join(', ');
    ctx.record({
      name: `core.bootstrap.coreThreadCpu.${label}`,
      value: threadCpu.coreWorker,
      unit: 'ms',
      notes: `CPU time of the core's worker thread alone, the bootstrap's critical path (it reads, checks and writes every entry); the client's threads: ${coreThreadNotes}`,
    });
    if (postgresCpuMs !== null) {
      ctx.record({
        name: `core.bootstrap.postgresCpu.${label}`,
        value: postgresCpuMs,
        unit: 'ms',
        notes: `CPU time of the PostgreSQL server's processes during the bootstrap, by backend type: ${describePostgresCpu(postgresCpuByType?.byType ?? {})}`,
      });
    }
    ctx.record({
      name: `core.bootstrap.coresBusy.${label}`,
      value: (clientCpuMs + platformCpuMs + (postgresCpuMs ?? 0)) / totalMs,
      unit: 'cores',
      notes: `CPU of the client, the platform and its PostgreSQL together ÷ the bootstrap's wall time: how many cores the bootstrap kept busy (this machine has 2, shared; load ${loadavg()[0]?.toFixed(1)} at the end)`,
    });
    ctx.record({
      name: `core.bootstrap.longestEventLoopBlock.${label}`,
      value: blocks.maxBlock,
      unit: 'ms',
      // One frame: a key press during the sync is answered in the next frame.
      target: { op: '<=', value: 16 },
      notes:
        "longest stretch the thread that serves the interface was held during bootstrap, core on its worker (timer gap bounded by the thread's CPU; platform in another process)",
    });
    ctx.record({
      name: `core.bootstrap.eventLoopDelayWall.${label}`,
      value: blocks.maxWall,
      unit: 'ms',
      notes:
        'longest late timer tick by the wall clock, including time the OS gave other processes on this shared machine',
    });
    ctx.record({
      name: `core.bootstrap.clientRssGrowth.${label}`,
      value: (rssPeak - rssBefore) / 2 ** 20,
      unit: 'MiB',
      target: { op: '<=', value: 200 },
      notes:
        'peak resident memory of the client process (core, SQLite, this bench) during the bootstrap, from the core ready before sign-in',
    });
    ctx.record({
      name: `core.bootstrap.coreStartRss.${label}`,
      value: coreStartRss / 2 ** 20,
      unit: 'MiB',
      notes: `resident memory the core's start added before the sync (core ${thread}; its modules loaded through tsx here, bundled in the app)`,
    });
    return totalMs;
  } finally {
    watch.stop();
    clearInterval(sampler);
    await core.close();
  }
}

/**
 * Reads the inbox's whole snapshot once, untimed, before the measured bootstraps. The
 * platform's first snapshot read is cold (its database pages, its JIT): without this the
 * first bootstrap measured, the worker core's, paid it and the in-process baseline after it
 * did not, which made the worker look 20–40 % dearer in client CPU than it is. Streamed and
 * counted, never held, so it is fine at 1M. With a manager, each of its inboxes is read.
 */
async function warmPlatform(platform: BenchPlatform): Promise<void> {
  const session = await signInToBench(platform, 'bench warm-up');
  for (const inboxId of platform.manager?.inboxIds ?? [platform.inboxId]) {
    const reader = (await fetchSnapshot(platform, session.token, 'snapshot warm-up', inboxId)).body.getReader();
    // Read and dropped: only the platform's side is being warmed.
    while (!(await reader.read()).done) {}
  }
}

/** The bench creator (the manager, where there is one), signed in on a device of its own (each reader of the snapshot below is one). */
function signInToBench(platform: BenchPlatform, deviceName: string) {
  const { email, password } = platform.manager ?? platform;
  return new PlatformClient(platform.url, null).call('signIn', { body: { email, password, deviceName } });
}

/** The bench inbox's whole snapshot in the largest chunks, as a bare reader asks for it. */
async function fetchSnapshot(
  platform: BenchPlatform,
  token: string,
  what: string,
  inboxId = platform.inboxId,
): Promise<Response & { body: ReadableStream<Uint8Array> }> {
  const response = await fetch(new URL(`/v1/inboxes/${inboxId}/snapshot?limit=${MAX_SNAPSHOT_CHUNK}`, platform.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok || !response.body) throw new Error(`${what} failed: HTTP ${response.status}`);
  return response as Response & { body: ReadableStream<Uint8Array> };
}

/**
 * The snapshot stream on its own: a bare reader (fetch, count the bytes, nothing else)
 * reads the whole snapshot of a warm platform in the largest chunks, as the floor does.
 * Three reads, the median recorded, all three and the load average in the notes: the
 * stream's own speed, apart from what the client does with it (#15).
 */
async function benchSnapshotRead(ctx: BenchContext, platform: BenchPlatform, label: string): Promise<void> {
  const session = await signInToBench(platform, 'bench snapshot read');
  const loadBefore = loadavg()[0] ?? 0;
  const reads: Array<{ ms: number; firstByteMs: number; bytes: number }> = [];
  for (let i = 0; i < 3; i++) {
    const r0 = nowMs();
    const reader = (await fetchSnapshot(platform, session.token, 'snapshot read')).body.getReader();
    let bytes = 0;
    let firstByteMs = Number.NaN;
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      if (bytes === 0) firstByteMs = nowMs() - r0;
      bytes += part.value.byteLength;
    }
    reads.push({ ms: nowMs() - r0, firstByteMs, bytes });
  }
  const loadAfter = loadavg()[0] ?? 0;
  const sorted = [...reads].sort((a, b) => a.ms - b.ms);
  const median = sorted[1] as (typeof reads)[number];
  const mib = median.bytes / 2 ** 20;
  ctx.log(`snapshot read: ${mib.toFixed(1)} MiB in ${reads.map((r) => r.ms.toFixed(0)).join(' / ')} ms`);
  ctx.record({
    name: `core.snapshot.read.${label}`,
    value: median.ms,
    unit: 'ms',
    notes: `median of 3 bare reads (${reads.map((r) => r.ms.toFixed(0)).join(' / ')} ms, first byte ${reads.map((r) => r.firstByteMs.toFixed(0)).join(' / ')} ms) of ${mib.toFixed(1)} MiB in chunks of ${MAX_SNAPSHOT_CHUNK}, ${(mib / (median.ms / 1000)).toFixed(1)} MiB/s; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
  });
}

/**
 * The floor a bootstrap is measured against, in the same run: reading the same snapshot
 * bytes over loopback (the bytes only, not decoded), plus the store's plain row write of the
 * same messages with the search index built once at the end. A bootstrap cannot beat both;
 * the ratio says how close it comes. Measured at every size and for a manager's inboxes, so
 * each wall-time target sits beside what this machine's disk and loopback alone take for
 * the same work (#15). The issue sets the ratio's target at the first size only.
 */
async function benchFloor(
  ctx: BenchContext,
  platform: BenchPlatform,
  label: string,
  bootstrapMs: number,
  options: { inboxIds?: readonly string[]; ratioTarget?: boolean } = {},
) {
  const inboxIds = options.inboxIds ?? [platform.inboxId];
  const session = await signInToBench(platform, 'bench floor');
  // Only the bytes' way over loopback is timed, as the bare read above reads them: decoding
  // 170 MiB into one string (what `.text()` does) took another 1.7–1.9 s here (2026-12-03,
  // load 1.2–1.6), which the bootstrap never pays in one piece and which made the floor look
  // slower than the loopback is. The read is its own pass: reading while inserting would let
  // the platform fill the socket meanwhile and hide part of the read.
  let bytes = 0;
  const r0 = nowMs();
  for (const inboxId of inboxIds) {
    const reader = (await fetchSnapshot(platform, session.token, 'snapshot floor read', inboxId)).body.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.byteLength;
  }
  const readMs = nowMs() - r0;
  // Then the messages of a second read, inserted 10,000 rows a transaction as they come (so
  // memory stays flat at 1M); only the inserts and the index are timed.
  const store = new AccountStore(join(ctx.tmpDir, `floor-${label}.sqlite`));
  store.db.transaction(() => deferFtsIndexing(store.db))();
  let insertMs = 0;
  let rows = 0;
  const batch: Message[] = [];
  const flush = () => {
    const i0 = nowMs();
    writeMessageRows(store.db, batch, batch.length, rows + 1);
    insertMs += nowMs() - i0;
    rows += batch.length;
    batch.length = 0;
  };
  for (const inboxId of inboxIds) {
    const reader = (await fetchSnapshot(platform, session.token, 'snapshot floor insert', inboxId)).body.getReader();
    const lines = new LineSplitter();
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      for (const line of lines.push(part.value)) {
        if (line.startsWith('{"seq"') && line.includes('"kind":"message"'))
          batch.push((JSON.parse(line) as { data: Message }).data);
      }
      if (batch.length >= 10_000) flush();
    }
  }
  flush();
  const x0 = nowMs();
  while (!indexNextChunk(store.db, true, Number.MAX_SAFE_INTEGER)) {
    // one pass: the whole index built once
  }
  insertMs += nowMs() - x0;
  store.close();
  const floorMs = readMs + insertMs;
  ctx.log(
    `floor (${label}): ${(bytes / 2 ** 20).toFixed(1)} MiB read in ${readMs.toFixed(0)} ms, ${rows} rows inserted and indexed in ${insertMs.toFixed(0)} ms`,
  );
  ctx.record({
    name: `core.bootstrap.floor.${label}`,
    value: floorMs,
    unit: 'ms',
    notes: `read ${readMs.toFixed(0)} ms (${(bytes / 2 ** 20).toFixed(1)} MiB, ${inboxIds.length} snapshot${inboxIds.length > 1 ? 's one after another' : ''}) + insert and index ${insertMs.toFixed(0)} ms (${rows} messages)`,
  });
  ctx.record({
    name: `core.bootstrap.floorRatio.${label}`,
    value: floorMs / bootstrapMs,
    unit: '×',
    ...(options.ratioTarget ? { target: { op: '>=' as const, value: 0.4 } } : {}),
    notes:
      'floor ÷ bootstrap (the floor is its own record): 1 would be the bootstrap at the speed of the disk and the loopback',
  });
}

async function benchApplyVsRaw(ctx: BenchContext, platform: BenchPlatform): Promise<void> {
  const client = new PlatformClient(platform.url, null);
  const session = await client.call('signIn', {
    body: { email: platform.email, password: platform.password, deviceName: 'bench' },
  });
  const authed = new PlatformClient(platform.url, session.token);
  const pages: unknown[] = [];
  let after = 0;
  for (;;) {
    const raw = (await authed.raw('changes', {
      params: { inboxId: platform.inboxId },
      query: { after, limit: MAX_CHANGES_PAGE },
    })) as ChangesPage;
    // Only the message entries, so both sides write exactly the same rows; the page stays
    // well-formed (its cursor is its last entry) for the parser.
    const changes = raw.changes.filter((c) => c.kind === 'message');
    const last = changes[changes.length - 1];
    if (last) pages.push({ ...raw, changes, nextAfter: last.seq, hasMore: true });
    after = raw.nextAfter;
    if (!raw.hasMore) break;
  }
  const messages: Message[] = pages.flatMap((p) =>
    (p as ChangesPage).changes.filter((c) => c.kind === 'message').map((c) => c.data as Message),
  );

  const applyOnce = (file: string): number => {
    const applied = new AccountStore(join(ctx.tmpDir, file));
    const t0 = nowMs();
    let cursor = 0;
    for (const raw of pages) {
      const { page } = parseChangesPage(raw, { inboxId: platform.inboxId, after: cursor, limit: MAX_CHANGES_PAGE });
      applyPage(applied.db, page, cursor, 0, true);
      cursor = page.nextAfter;
    }
    const ms = nowMs() - t0;
    applied.close();
    return ms;
  };

  // Baseline: the same message rows, same table and indexes, the store's own row write
  // (`upsertMessage`) and nothing else: no parsing, checks, triage or cursor.
  const rawOnce = (file: string): number => {
    const raw = new AccountStore(join(ctx.tmpDir, file));
    raw.db.transaction(() => deferFtsIndexing(raw.db))();
    const t0 = nowMs();
    writeMessageRows(raw.db, messages, 1000);
    const ms = nowMs() - t0;
    raw.close();
    return ms;
  };

  // Alternate the two, twice, and keep each one's best: warm-up (JIT, page cache) and
  // the neighbours' load on this shared machine then weigh on both alike.
  const runs = [
    applyOnce('apply-1.sqlite'),
    rawOnce('raw-1.sqlite'),
    applyOnce('apply-2.sqlite'),
    rawOnce('raw-2.sqlite'),
  ];
  const applyMs = Math.min(runs[0] ?? Number.NaN, runs[2] ?? Number.NaN);
  const rawMs = Math.min(runs[1] ?? Number.NaN, runs[3] ?? Number.NaN);
  const applyRate = (messages.length / applyMs) * 1000;
  const rawRate = (messages.length / rawMs) * 1000;
  ctx.record({
    name: 'core.apply.rate',
    value: applyRate,
    unit: 'rows/s',
    target: { op: '>=', value: rawRate * 0.5 },
    baseline: { name: 'the store row write alone (upsertMessage)', value: rawRate },
    notes: 'validated (zod + checks) pre-fetched pages applied with cursor, FTS deferred; target = half the raw rate',
  });
}

async function benchPushLatency(ctx: BenchContext, platform: BenchPlatform): Promise<void> {
  // A small inbox of its own, so the two clients are ready in a moment.
  const handle = `lat_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const creator = { email: `${handle}@bench.test`, password: `password-${handle}` };
  await new PlatformClient(platform.url, null).call('signUp', {
    body: { ...creator, displayName: 'Latency Creator', kind: 'creator', handle },
  });
  const a = await newCore(join(ctx.tmpDir, 'latency-a'), platform);
  const b = await newCore(join(ctx.tmpDir, 'latency-b'), platform);
  try {
    const profile = (await (
      await fetch(new URL(`/v1/creators/${handle}`, platform.url))
    ).json()) as RouteResponse<'publicProfile'>;
    const sent = await fetch(new URL(`/v1/creators/${handle}/messages`, platform.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${platform.fanToken}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      // A fan pays what they were shown: the profile's price and window travel with the message.
      body: JSON.stringify({ body: 'Latency probe', price: profile.price, responseWindowMs: profile.responseWindowMs }),
    });
    const message = (await sent.json()) as Message;
    if (!message.id) throw new Error(`could not send the probe message: ${JSON.stringify(message)}`);
    const accountA = await callCore(a, 'accounts.connect', { url: platform.url, ...creator });
    const accountB = await callCore(b, 'accounts.connect', { url: platform.url, ...creator });
    for (const [core, account] of [
      [a, accountA],
      [b, accountB],
    ] as const) {
      const until = nowMs() + 60_000;
      for (;;) {
        const status = await callCore(core, 'sync.status', { accountId: account.id });
        if (status.bootstrap === null && status.state === 'online') break;
        if (nowMs() > until) throw new Error(`latency client not ready: ${JSON.stringify(status)}`);
        await sleep(10);
      }
    }
    await sleep(200);
    const samples: number[] = [];
    const rounds = ctx.quick ? 20 : 60;
    for (let i = 0; i < rounds; i++) {
      const starred = i % 2 === 0;
      const seen = new Promise<void>((res) => {
        const off = b.onEvent((name, payload) => {
          if (name !== 'entities.changed') return;
          const changed = payload as { messageIds?: string[] };
          if (!changed.messageIds?.includes(message.id)) return;
          void callCore(b, 'message.thread', { accountId: accountB.id, messageId: message.id }).then((t) => {
            if (t.message.starred === starred) {
              off();
              res();
            }
          });
        });
      });
      const t0 = nowMs();
      await callCore(a, 'actions.submit', {
        accountId: accountA.id,
        messageId: message.id,
        action: { kind: 'triage', patch: { starred } },
      });
      await Promise.race([
        seen,
        sleep(15_000).then(() => {
          throw new Error('the change never reached the other client');
        }),
      ]);
      samples.push(nowMs() - t0);
      await sleep(20);
    }
    ctx.record({
      name: 'core.pushToPeerEvent.p95',
      value: percentile(samples, 95),
      unit: 'ms',
      target: { op: '<', value: 300 },
      notes: 'client A submits → push → platform → SSE → client B pulls → entities.changed',
    });
    ctx.record({ name: 'core.pushToPeerEvent.p50', value: percentile(samples, 50), unit: 'ms' });
  } finally {
    await a.close();
    await b.close();
  }
}

const WORDS = [
  'birthday',
  'wedding',
  'shoutout',
  'advice',
  'song',
  'video',
  'please',
  'friend',
  'sister',
  'brother',
  'mother',
  'congratulations',
  'graduation',
  'record',
  'message',
  'love',
  'fan',
  'question',
  'career',
  'music',
  'football',
  'مرحبا',
  'تهنئة',
  'عيد',
  'ميلاد',
  'صديقي',
  'أختي',
  'رسالة',
  'شكرا',
  'أغنية',
  'نصيحة',
];

async function benchQueries(ctx: BenchContext): Promise<void> {
  const n = ctx.quick ? 100_000 : 1_000_000;
  const store = new AccountStore(join(ctx.tmpDir, 'million.sqlite'));
  const db = store.db;
  const t0 = nowMs();
  db.transaction(() => deferFtsIndexing(db))();
  const insert = db.prepare(
    `INSERT INTO messages (id, inbox_id, fan_id, fan_name, body, currency, price_minor, fee_bps, fee_minor, net_minor,
       status, paid_at, deadline, seq, search_key) VALUES (?, ?, ?, ?, ?, 'USD', ?, 1000, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const star = db.prepare(
    "INSERT INTO triage (message_id, starred, labels, inbox_id, deadline, paid_at) VALUES (?, 1, '[]', ?, ?, ?)",
  );
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const base = Date.UTC(2026, 0, 1);
  const statuses = [
    'pending',
    'pending',
    'pending',
    'pending',
    'pending',
    'accepted',
    'accepted',
    'accepted',
    'refunded',
    'expired',
  ];
  for (let i = 0; i < n; i += 50_000) {
    db.transaction(() => {
      for (let j = i; j < Math.min(n, i + 50_000); j++) {
        const words = Array.from({ length: 12 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
        const body = j % 100_000 === 7 ? `${words} zanzibar` : words;
        const price = 500 + Math.floor(rand() * 100) * 100;
        const fee = Math.floor((price * 1000 + 5000) / 10000);
        const paidAt = base + j * 10_000;
        insert.run(
          `m${j}`,
          j % 3 === 0 ? 'inbox-b' : 'inbox-a',
          `fan${j % 20_000}`,
          `Fan ${j % 20_000}`,
          body,
          price,
          fee,
          price - fee,
          statuses[j % 10],
          paidAt,
          paidAt + 72 * 3_600_000,
          j + 1,
          // Every message its own millisecond: no two share a home slot.
          homeSearchKey(paidAt, `m${j}`),
        );
        if (j % 20 === 0) star.run(`m${j}`, j % 3 === 0 ? 'inbox-b' : 'inbox-a', paidAt + 72 * 3_600_000, paidAt);
      }
    })();
  }
  while (!indexNextChunk(db, true, 200_000)) {
    // index in large chunks: nothing else runs during this build
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  ctx.log(`built ${n} local messages with FTS in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
  const now = base + (n / 2) * 10_000;
  const label = n >= 1_000_000 ? '1M' : `${n / 1000}k`;

  // A view's total is counted once per write (then cached): timed on its own, outside the page figure.
  const countTimes: number[] = [];
  const pageTimes: number[] = [];
  for (const order of ['deadline', 'newest'] as const) {
    for (const inboxId of [null, 'inbox-a']) {
      for (const view of ['pending', 'accepted', 'starred'] as const) {
        const countScope = { inboxId, view, userId: 'u', now };
        const c0 = nowMs();
        store.viewTotal(countScope);
        countTimes.push(nowMs() - c0);
        let cursor: string | null = null;
        for (let p = 0; p < 25; p++) {
          const scope = { inboxId, view, userId: 'u', now };
          const q0 = nowMs();
          const result = inboxPage(db, { accountId: 'a', inboxId, view, order, cursor, limit: 50 }, scope, () =>
            store.viewTotal(scope),
          );
          pageTimes.push(nowMs() - q0);
          cursor = result.nextCursor;
          if (!cursor) break;
        }
      }
    }
  }
  ctx.record({
    name: `core.inboxPage.p95.${label}`,
    value: percentile(pageTimes, 95),
    unit: 'ms',
    target: { op: '<', value: 5 },
    notes: `${pageTimes.length} pages of 50 (pending/accepted/starred × deadline/newest × all/one inbox), keyset cursors; totals cached per write`,
  });
  ctx.record({
    name: `core.viewCount.max.${label}`,
    value: Math.max(...countTimes),
    unit: 'ms',
    notes: 'counting a view (status index minus archived/snoozed), once per write; cached for every later page',
  });
  const searches = [
    'zanzibar',
    'birthday',
    'birthday sister',
    'grad',
    'مرحبا',
    'رساله',
    'congratulations music football',
  ];
  const searchTimes: number[] = [];
  for (let r = 0; r < 20; r++) {
    for (const text of searches) {
      const q0 = nowMs();
      const result = searchMessages(
        db,
        {
          accountId: 'a',
          inboxId: r % 2 ? 'inbox-a' : null,
          text,
          cursor: null,
          limit: 50,
          ...(r % 3 === 0 ? { minAmount: 3000 } : {}),
        },
        now,
      );
      searchTimes.push(nowMs() - q0);
      if (text === 'zanzibar' && result.rows.length === 0 && r % 3 !== 0) throw new Error('rare term not found');
    }
  }
  ctx.record({
    name: `core.search.p95.${label}`,
    value: percentile(searchTimes, 95),
    unit: 'ms',
    target: { op: '<', value: 30 },
    notes:
      'rare, common, two-term, prefix, Arabic (normalised) and three-term queries, with and without filters; total capped at 1,000',
  });
  store.close();
}

/**
 * A manager's many inboxes at once: one account that manages `inboxes` creators' inboxes of
 * `messages` each signs in on a new device; done when every inbox is bootstrapped.
 */
async function benchManyInboxes(ctx: BenchContext, inboxes: number, messages: number): Promise<void> {
  const platform = await startBenchPlatform(messages, 'core many', inboxes);
  // Warm, as for one inbox: the first read after seeding set every row's hint bits and left
  // PostgreSQL's backends ~15 s of extra CPU at 20 × 5k (2026-12-02), a seeding artefact.
  await warmPlatform(platform);
  const core = await newCore(join(ctx.tmpDir, 'many'), platform);
  try {
    const manager = platform.manager;
    if (!manager) throw new Error('the bench platform made no manager');
    const loop = watchEventLoop();
    const t0 = nowMs();
    // Each inbox's own progress: when its first messages were in, and when it was synced.
    const firstIn = new Map<string, number>();
    const synced = new Map<string, number>();
    const offInboxes = core.onEvent((name, payload) => {
      if (name !== 'sync.status') return;
      const status = payload as CallOutput<'sync.status'>;
      const at = nowMs() - t0;
      const listed = new Set(status.inboxes.map((i) => i.inboxId));
      for (const inbox of status.inboxes)
        if (inbox.done > 0 && !firstIn.has(inbox.inboxId)) firstIn.set(inbox.inboxId, at);
      for (const inboxId of firstIn.keys()) if (!listed.has(inboxId) && !synced.has(inboxId)) synced.set(inboxId, at);
    });
    const watch = watchSync(core, platform, t0);
    const platformPids = processTree(platform.process.pid);
    const platformCpu0 = cpuMsOf(platformPids);
    const clientCpu0 = process.cpuUsage();
    const account = await callCore(core, 'accounts.connect', { url: platform.url, ...manager });
    await watch.until(account.id).finally(() => {
      watch.stop();
      offInboxes();
    });
    const totalMs = nowMs() - t0;
    const blocks = loop.stop();
    const clientCpu = process.cpuUsage(clientCpu0);
    const platformCpuMs = cpuMsOf(platformPids) - platformCpu0;
    const total = await callCore(core, 'inbox.page', {
      accountId: account.id,
      inboxId: null,
      view: 'pending',
      limit: 1,
    });
    ctx.log(`${inboxes} inboxes × ${messages} messages synced in ${(totalMs / 1000).toFixed(1)} s`);
    if (total.total === 0) throw new Error('the inboxes were synced without their pending messages');
    const label = `${inboxes}x${messages >= 1000 ? `${messages / 1000}k` : messages}`;
    ctx.record({
      name: `core.bootstrap.inboxes.${label}`,
      value: totalMs,
      unit: 'ms',
      ...(inboxes === 20 && messages === 5_000 ? { target: { op: '<=' as const, value: 5_000 } } : {}),
      notes: `a manager of ${inboxes} inboxes signs in on a new device; until every inbox is synced (sign-in included)`,
    });
    ctx.record({
      name: `core.bootstrap.inboxes.longestEventLoopBlock.${label}`,
      value: blocks.maxBlock,
      unit: 'ms',
      target: { op: '<=', value: 16 },
      notes: 'longest stretch the client held its event loop while the inboxes synced',
    });
    const ends = [...synced.values()].sort((a, b) => a - b);
    ctx.record({
      name: `core.bootstrap.inboxes.firstSynced.${label}`,
      value: ends[0] ?? Number.NaN,
      unit: 'ms',
      notes: `the first inbox synced, from the sign-in's start; median ${percentile(ends, 50).toFixed(0)} ms (${ends.length} inboxes seen to finish by the status)`,
    });
    ctx.record({
      name: `core.bootstrap.inboxes.lastFirstMessages.${label}`,
      value: firstIn.size === inboxes ? Math.max(...firstIn.values()) : Number.NaN,
      unit: 'ms',
      notes: "when the last inbox to start had its first messages in (the sync status's progress): none starved",
    });
    // Wall time here mostly measures the machine's load; the CPU time is what the sync cost.
    ctx.record({
      name: `core.bootstrap.inboxes.clientCpu.${label}`,
      value: (clientCpu.user + clientCpu.system) / 1000,
      unit: 'ms',
      notes:
        "CPU time of the client process (a fresh core worker, JIT-cold as at an app launch; SQLite; this bench's loop), sign-in included",
    });
    ctx.record({
      name: `core.bootstrap.inboxes.platformCpu.${label}`,
      value: platformCpuMs,
      unit: 'ms',
      notes: 'CPU time of the platform process serving the sign-in, snapshots and feeds',
    });
    await core.close();
    // The same bytes and rows as the 20 syncs, read and written one inbox after another.
    await benchFloor(ctx, platform, `inboxes.${label}`, totalMs, { inboxIds: manager.inboxIds });
  } finally {
    await core.close();
    platform.process.kill('SIGTERM');
  }
}

/** The parts of the core bench `--sizes` can choose, by label, in each mode. */
const PARTS = {
  quick: { bootstrap: [[10_000, '10k']], inboxes: [20, 500, '20x500'], queries: 'queries' },
  full: {
    bootstrap: [
      [100_000, '100k'],
      [1_000_000, '1M'],
    ],
    inboxes: [20, 5_000, '20x5k'],
    queries: 'queries',
  },
} as const;

/**
 * Every record from a bench against the platform says which database the platform ran on
 * (PGlite on the Node thread, or PostgreSQL as in production) and how long seeding it took.
 */
function onPlatform(ctx: BenchContext, note: string): BenchContext {
  return {
    ...ctx,
    record: (record) => ctx.record({ ...record, notes: [record.notes, note].filter(Boolean).join('; ') }),
  };
}

export const bench: Bench = {
  name: 'core',
  async run(ctx) {
    // The full run: 100k (with the floor, apply rate and push latency beside it), then 1M,
    // then a manager's 20 inboxes and the local queries. `--sizes=100k` runs one part.
    const parts = ctx.quick ? PARTS.quick : PARTS.full;
    const known: string[] = [...parts.bootstrap.map(([, label]) => label), parts.inboxes[2], parts.queries];
    const unknown = ctx.sizes?.filter((size) => !known.includes(size)) ?? [];
    if (unknown.length > 0) throw new Error(`unknown core bench size ${unknown.join(', ')}: choose from ${known}`);
    const wanted = (label: string) => ctx.sizes === null || ctx.sizes.includes(label);
    const engine = benchPlatformDb();
    ctx.log(`platform database: ${engine}`);
    for (const [messages, label] of parts.bootstrap) {
      if (!wanted(label)) continue;
      const platform = await startBenchPlatform(messages, 'core');
      ctx.log(
        `platform (${platform.engine}) seeded with ${messages} messages in ${(platform.seedMs / 1000).toFixed(1)} s`,
      );
      const on = onPlatform(ctx, `platform on ${platform.engine}`);
      try {
        // Both measured bootstraps start on a warm platform. Each core starts JIT-cold, as at
        // an app launch: the worker core in its fresh thread, the in-process baseline on this
        // thread, which has not run the core's code before it (the worker ran it elsewhere).
        await warmPlatform(platform);
        // The stream's own speed, on the same warm platform (streamed, so fine at 1M; not run there, to keep the longest run short).
        if (messages <= 100_000) await benchSnapshotRead(on, platform, label);
        const bootstrapMs = await benchBootstrap(on, platform, label);
        // The core in process as before, on the same platform after the worker's run; a
        // second 1M bootstrap would double the longest run.
        if (messages <= 100_000) await benchBootstrap(on, platform, label, 'in-process');
        // The floor streams, so it runs at 1M too; its ratio's target is the first size's.
        await benchFloor(on, platform, label, bootstrapMs, { ratioTarget: label === parts.bootstrap[0][1] });
        if (messages > 100_000) continue;
        ctx.log('apply rate against a raw insert');
        await benchApplyVsRaw(on, platform);
        ctx.log('push → SSE → pull latency');
        await benchPushLatency(on, platform);
      } finally {
        platform.process.kill('SIGTERM');
      }
    }
    const [inboxes, perInbox, inboxesLabel] = parts.inboxes;
    if (wanted(inboxesLabel)) {
      ctx.log("a manager's inboxes at once");
      await benchManyInboxes(onPlatform(ctx, `platform on ${engine}`), inboxes, perInbox);
    }
    if (wanted(parts.queries)) {
      ctx.log('queries over a local database');
      await benchQueries(ctx);
    }
  },
};
