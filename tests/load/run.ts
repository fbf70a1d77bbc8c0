/**
 * `npm run load [-- --quick] [-- --workers=1,2]`: the platform under real load.
 *
 * Starts a throwaway PostgreSQL cluster (scripts/pg-cluster.sh, its own port and folder),
 * runs pgbench (TPC-B-like, 8 clients) on it as the same-run baseline, then for each worker
 * count: seeds a world into a fresh database, starts `npm run server -- --workers N` as its
 * own processes, and drives it from generator processes (tests/load/generator.ts) over
 * loopback: peak accepts across 100 inboxes, one hot inbox, accepts at half the peak rate,
 * then the mixed scenario (fans topping up and paying, owners and managers accepting and
 * refunding, clients paging the feed) with 1,000 SSE subscribers whose delivery time is
 * measured. Ends with the ledger invariants; writes bench records into bench-results.json.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import pg from 'pg';
import { openPg } from '../../server/db/pg';
import { checkLedgerInvariants } from '../../server/invariants';
import { type BenchRecord, percentile } from '../bench/harness';
import { processTree, readStat } from '../helpers/proc';
import type { DecideItem, OpResults, OpStats, Task, TaskResult } from './generator';
import { type LoadPostgres, loadPostgres } from './postgres';
import { type Probes, probe } from './probe';
import { captureTransactions } from './sharing';
import { type LoadInbox, type LoadWorld, seedWorld, type WorldSize } from './world';

const quick = process.argv.includes('--quick');
const workerCounts = (process.argv.find((a) => a.startsWith('--workers='))?.slice(10) ?? '1,2')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n >= 1 && n <= 8);
const execFileAsync = promisify(execFile);
const GENERATORS = 2;
const PHASE_MS = quick ? 5_000 : 15_000;
const MIXED_MS = quick ? 8_000 : 20_000;
const SSE_SUBSCRIBERS = 1_000;
const PROBES = quick ? 12 : 30;
const PROBE_GAP_MS = 300;
/** Pending messages per inbox kept for the mix paced at half its rates (~35 decisions/s over MIXED_MS). */
const HALF_MIX_PENDING = quick ? 4 : 8;

const size: WorldSize = quick
  ? {
      inboxes: 100,
      pendingPerInbox: 40 + HALF_MIX_PENDING,
      hotPending: 3_000,
      fans: 30,
      streamMembers: 8,
      sessionsPerMember: 4,
    }
  : {
      inboxes: 100,
      pendingPerInbox: 100 + HALF_MIX_PENDING,
      hotPending: 8_000,
      fans: 60,
      streamMembers: 8,
      sessionsPerMember: 4,
    };

const records: BenchRecord[] = [];
const failures: string[] = [];
const log = (m: string) => console.log(`  [load] ${m}`);
const uptime = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'uptime unavailable';
  }
};

function record(
  r: Omit<BenchRecord, 'meetsTarget' | 'ratioToBaseline' | 'target' | 'baseline'> & {
    target?: { op: '<=' | '>='; value: number };
    baseline?: { name: string; value: number } | null;
  },
): void {
  const { target, baseline, ...rest } = r;
  const value = Number(rest.value.toFixed(rest.value >= 100 ? 0 : 2));
  records.push({
    ...rest,
    value,
    target: target ? `${target.op} ${Number(target.value.toFixed(1))} ${rest.unit}` : null,
    meetsTarget: target ? (target.op === '<=' ? value <= target.value : value >= target.value) : null,
    baseline: baseline ?? null,
    ratioToBaseline: baseline && baseline.value !== 0 ? Number((value / baseline.value).toFixed(3)) : null,
  });
  console.log(
    `  ${rest.name}: ${value} ${rest.unit}${target ? ` (target ${target.op} ${target.value.toFixed(1)})` : ''}`,
  );
}

// ---------------------------------------------------------------- the database

function pgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return version ? join(root, version, 'bin') : null;
}

// ---------------------------------------------------------------- CPU time

/**
 * CPU time (ms) a process and every process under it have used, reaped children included
 * (Linux /proc; null elsewhere). Wall-clock rates on a machine shared with other work say
 * little; CPU time per accept says what the code costs, whatever else is running.
 */
function treeCpuMs(pid: number | undefined | null): number | null {
  return sumOverProcessTree(pid, (one) => {
    const stat = readStat(`/proc/${one}/stat`);
    return stat.cpuMs + stat.reapedChildrenCpuMs;
  });
}

/** `perProcess` of a process plus of every process under it (Linux /proc; null elsewhere or when the process is gone). */
function sumOverProcessTree(pid: number | undefined | null, perProcess: (pid: number) => number): number | null {
  const tree = processTree(pid);
  if (tree.length === 0) return null;
  try {
    return tree.reduce((sum, one) => sum + perProcess(one), 0);
  } catch {
    return null;
  }
}

/**
 * Time (ms) the threads of a process and of every process under it have been runnable but
 * waiting for a CPU (Linux /proc/<pid>/task/<tid>/schedstat, second field; null elsewhere).
 * Live threads only: a phase's figure is the difference of two readings of the same processes.
 */
function treeRunQueueWaitMs(pid: number | undefined | null): number | null {
  return sumOverProcessTree(pid, (one) => {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${one}/task`))
      ns += Number(readFileSync(`/proc/${one}/task/${tid}/schedstat`, 'utf8').split(' ')[1] ?? 0);
    return ns / 1e6;
  });
}

/** The PostgreSQL this run measures, once it has one: its cluster's folder, and how to stop it. */
let postgres: LoadPostgres | null = null;

/** The cluster's postmaster, whose tree holds every backend (null with LOAD_DATABASE_URL). */
function postmasterPid(): number | null {
  if (!postgres?.dataDir) return null;
  try {
    return Number(readFileSync(join(postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
  } catch {
    return null;
  }
}

/** CPU used by the platform's processes and by PostgreSQL while `work` runs. */
async function cpuDuring<T>(
  serverPid: number | null,
  work: () => Promise<T>,
): Promise<{ result: T; platformMs: number | null; postgresMs: number | null }> {
  const pg0 = treeCpuMs(postmasterPid());
  const app0 = treeCpuMs(serverPid);
  const result = await work();
  const pg1 = treeCpuMs(postmasterPid());
  const app1 = treeCpuMs(serverPid);
  return {
    result,
    platformMs: app0 === null || app1 === null ? null : app1 - app0,
    postgresMs: pg0 === null || pg1 === null ? null : pg1 - pg0,
  };
}

async function freshDatabase(url: string, name: string, template?: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await client.end();
  }
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** How many transactions committed the captures of `items` (sharing.ts says how they are counted). */
async function transactionsOf(url: string, items: readonly DecideItem[]): Promise<number> {
  const db = await openPg(url, { max: 1 });
  try {
    return await captureTransactions(
      db,
      items.map((item) => item.messageId),
    );
  } finally {
    await db.close();
  }
}

/**
 * Accepts per committed transaction over a phase: how much of each transaction's cost its
 * accepts shared. Few per transaction cost more CPU each (docs/scaling.md §2).
 */
function recordSharing(name: string, accepted: number, transactions: number): void {
  if (transactions <= 0) return;
  record({
    name,
    value: accepted / transactions,
    unit: 'accepts/transaction',
    notes: `${accepted} accepts in ${transactions} transactions that committed their captures (distinct xmin of the capture rows; attempts that committed nothing are not counted); ${uptime()}`,
  });
}

/** What this PostgreSQL does without us, measured in the same run. */
interface Pgbench {
  /** PostgreSQL's CPU time per pgbench transaction, ms (null where it cannot be read). */
  postgresCpuMsPerTx: number | null;
  /** TPC-B-like transactions per second, 8 clients. */
  tps: number;
  /** Mean latency of one of those transactions (5 statements, its own round trips), ms. */
  latencyMs: number;
}

/**
 * pgbench's TPC-B-like run with 8 clients on the load run's own cluster, waited for without
 * blocking this process: a Ctrl-C meanwhile is handled at once (the cluster stopped and
 * removed), and pgbench, in the same process group, is stopped with it.
 */
async function runPgbench(bin: string | null, url: string): Promise<Pgbench | null> {
  const pgbench = bin && existsSync(join(bin, 'pgbench')) ? join(bin, 'pgbench') : null;
  if (!pgbench) return null;
  const { hostname, port, username, pathname } = new URL(url);
  const args = ['-h', hostname, '-p', port, '-U', username || 'postgres'];
  const db = pathname.slice(1);
  await execFileAsync(pgbench, [...args, '-i', '-q', '-s', '8', db]);
  const pg0 = treeCpuMs(postmasterPid());
  const { stdout: out } = await execFileAsync(pgbench, [
    ...args,
    '-c',
    '8',
    '-j',
    '2',
    '-T',
    String(quick ? 8 : 20),
    db,
  ]);
  const pg1 = treeCpuMs(postmasterPid());
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0);
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1];
  const latency = /latency average = ([\d.]+) ms/.exec(out)?.[1];
  const postgresCpuMsPerTx = pg0 !== null && pg1 !== null && processed > 0 ? (pg1 - pg0) / processed : null;
  return tps && latency ? { tps: Number(tps), latencyMs: Number(latency), postgresCpuMsPerTx } : null;
}

/** The same-run baselines every figure is set beside. */
const tpsBaseline = (p: Pgbench | null) => (p ? { name: 'pgbench tps (TPC-B-like, 8 clients)', value: p.tps } : null);
const latencyBaseline = (p: Pgbench | null) =>
  p ? { name: 'pgbench latency average, ms (TPC-B-like, 8 clients)', value: p.latencyMs } : null;
const pgbenchNote = (p: Pgbench | null) =>
  p ? `same-run pgbench: ${p.tps.toFixed(0)} tps, ${p.latencyMs.toFixed(2)} ms average` : 'no pgbench this run';

// ---------------------------------------------------------------- processes

interface Server {
  url: string;
  pid: number | null;
  stop(): Promise<number | null>;
}

/**
 * Every process the run starts for the platform and for load runs in a session of its own
 * (`detached`: setsid). Linux with `sched_autogroup_enabled` shares CPU between sessions
 * first and only then between the processes of one session: started in the run's session,
 * the platform had to share one session's CPU with the load generators driving it, while
 * each PostgreSQL backend (which calls setsid itself) and any other program on the machine
 * had a session's share each. A deployed platform does not share its CPU with its clients.
 */
const OWN_SESSION = { detached: true } as const;
/** Those processes, still running: out of the terminal's process group, they are stopped here on Ctrl-C. */
const running = new Set<ChildProcess>();
function owned<C extends ChildProcess>(child: C): C {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
// Every signal is caught, not only the first: Ctrl-C reaches this process twice (from the
// terminal, and relayed by tsx). The cluster is stopped a moment later, not in the handler:
// tsx waits 30 ms to hear that the signal arrived here (a message this process sends once its
// event loop runs) and kills it outright if not, which left the cluster's folder behind.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    for (const child of running) child.kill('SIGTERM');
    setTimeout(() => {
      // The cluster this run started, a throwaway in a folder of its own.
      postgres?.stop();
      process.exit(130);
    }, 100);
  });

async function startServer(databaseUrl: string, workers: number): Promise<Server> {
  const child = owned(
    spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--workers', String(workers)], {
      ...OWN_SESSION,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((res, rej) => {
    lines.on('line', (line) => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match?.[1] && line.startsWith('Creator Inbox')) res(match[1]);
    });
    child.once('exit', (code) => rej(new Error(`server exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid ?? null,
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res(child.exitCode);
        child.once('exit', (code) => res(code));
        child.kill('SIGTERM');
      }),
  };
}

interface Generator {
  ready: Promise<void>;
  done: Promise<TaskResult>;
  /** An accept generator that is ready starts its timed loop. */
  go(): void;
  stop(): void;
}

function startGenerator(task: Task): Generator {
  const dir = mkdtempSync(join(tmpdir(), 'load-gen-'));
  const taskFile = join(dir, 'task.json');
  const resultFile = join(dir, 'result.json');
  writeFileSync(taskFile, JSON.stringify(task));
  const child = owned(
    spawn(process.execPath, ['--import', 'tsx', resolve('tests/load/generator.ts'), taskFile, resultFile], {
      ...OWN_SESSION,
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((res, rej) => {
    lines.on('line', (line) => line === 'ready' && res());
    child.once('exit', (code) => rej(new Error(`generator exited with ${code} before it was ready`)));
  });
  ready.catch(() => undefined);
  // A generator that has exited has no stdin to tell; writing there must not crash the run.
  child.stdin.on('error', () => undefined);
  const done = new Promise<TaskResult>((res, rej) => {
    child.once('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`generator exited with ${code}`);
        res(JSON.parse(readFileSync(resultFile, 'utf8')) as TaskResult);
      } catch (error) {
        rej(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
  // Awaited by the caller once the phase ends; a generator failing earlier must not be an
  // unhandled rejection that kills the run before it records the failure.
  done.catch(() => undefined);
  return {
    ready,
    done,
    go: () => {
      if (child.exitCode === null) child.stdin.write('go\n');
    },
    stop: () => {
      if (child.exitCode === null) child.stdin.write('stop\n');
    },
  };
}

/** Waits until every generator is ready; if one fails first, stops the others and throws. */
async function allReady(generators: Generator[]): Promise<void> {
  try {
    await Promise.all(generators.map((g) => g.ready));
  } catch (error) {
    for (const g of generators) g.stop();
    throw error;
  }
}

// ---------------------------------------------------------------- figures

function merge(results: TaskResult[]): OpResults {
  const merged: OpResults = {};
  for (const r of results) {
    for (const [op, s] of Object.entries(r.ops)) {
      const m = merged[op] ?? { latencies: [], sentAt: [], statuses: {} };
      merged[op] = m;
      m.latencies = m.latencies.concat(s.latencies);
      m.sentAt = m.sentAt.concat(s.sentAt);
      for (const [status, n] of Object.entries(s.statuses)) m.statuses[status] = (m.statuses[status] ?? 0) + n;
    }
  }
  return merged;
}

const ok = (ops: OpResults, op: string) => ops[op]?.statuses['200'] ?? 0;
const serverErrors = (ops: OpResults) =>
  Object.values(ops).reduce(
    (sum, s) =>
      sum + Object.entries(s.statuses).reduce((n, [st, c]) => n + (Number(st) >= 500 || st === '0' ? c : 0), 0),
    0,
  );

/** Round-robin over inboxes, so requests in flight belong to different inboxes. */
function interleave(lists: DecideItem[][]): DecideItem[] {
  const out: DecideItem[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++) for (const l of lists) if (l[i]) out.push(l[i] as DecideItem);
  return out;
}

function split<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, p) => items.filter((_, i) => i % parts === p));
}

async function decidePhase(
  url: string,
  items: DecideItem[],
  rate: number | null,
): Promise<{ ops: OpResults; ms: number; generatorCpuMs: number }> {
  const generators = split(items, GENERATORS).map((part) =>
    startGenerator({
      kind: 'decide',
      url,
      items: part,
      concurrency: 16,
      ratePerSecond: rate === null ? null : rate / GENERATORS,
      maxMs: PHASE_MS,
    }),
  );
  // All of them loaded and connected before any starts its clock (generator.ts says why).
  await allReady(generators);
  for (const g of generators) g.go();
  const results = await Promise.all(generators.map((g) => g.done));
  return {
    ops: merge(results),
    ms: Math.max(...results.map((r) => r.elapsedMs)),
    generatorCpuMs: results.reduce((sum, r) => sum + r.cpuMs, 0),
  };
}

/**
 * The first part of a paced phase, told apart in its records: in the runs of 2026-12-05,
 * most of the half-peak phase's slowest requests were sent in its first 300 ms, right after
 * the hot-inbox phase (docs/scaling.md §2).
 */
const PHASE_START_MS = 500;

/** Latencies of the requests sent `ms` or more after their generator's clock started. */
function sentAfter(s: OpStats | undefined, ms: number): number[] {
  return s ? s.latencies.filter((_, i) => (s.sentAt[i] ?? 0) >= ms) : [];
}

/** Where the slowest 1 % of `s` sit: how many of them were sent in the phase's first `ms`. */
function tailPlace(s: OpStats | undefined, ms: number): string {
  if (!s || s.latencies.length === 0) return 'no requests';
  const p99 = percentile(s.latencies, 99);
  const slowest = s.latencies.flatMap((latency, i) => (latency >= p99 ? [s.sentAt[i] ?? 0] : []));
  const early = slowest.filter((at) => at < ms).length;
  return `of the ${slowest.length} slowest (≥ p99), ${early} were sent in the first ${ms} ms`;
}

const accepts = (inbox: LoadInbox, ids: string[]): DecideItem[] =>
  ids.map((messageId) => ({ token: inbox.ownerToken, messageId, action: 'accept' }));

/**
 * CPU time per accept of the platform's processes and of PostgreSQL, and what that would
 * allow on this machine's two cores with nothing else running (a projection: CPU-bound,
 * no waiting; not a measured rate).
 */
function recordCpu(
  label: string,
  accepted: number,
  cpu: { platformMs: number | null; postgresMs: number | null; generatorMs: number },
  pgbench: Pgbench | null,
): void {
  if (accepted === 0 || cpu.platformMs === null || cpu.postgresMs === null) {
    log('CPU time not readable here (/proc): no CPU figures this run');
    return;
  }
  const platform = cpu.platformMs / accepted;
  const postgres = cpu.postgresMs / accepted;
  const perTx = pgbench?.postgresCpuMsPerTx ?? null;
  const pgbenchCpu = perTx ? { name: "PostgreSQL's CPU per pgbench transaction, ms", value: perTx } : null;
  record({
    name: `${label}.cpu.platformPerAccept`,
    value: platform,
    unit: 'ms',
    baseline: pgbenchCpu,
    notes: `platform processes' CPU over the 100-inbox phase / ${accepted} accepts; ${uptime()}`,
  });
  record({
    name: `${label}.cpu.postgresPerAccept`,
    value: postgres,
    unit: 'ms',
    baseline: pgbenchCpu,
    notes: `PostgreSQL's CPU (every backend) over the 100-inbox phase / ${accepted} accepts`,
  });
  // The generators run on the same cores: what they spend is taken from the platform.
  record({
    name: `${label}.cpu.generatorPerAccept`,
    value: cpu.generatorMs / accepted,
    unit: 'ms',
    notes: `the ${GENERATORS} load generators' own CPU over the 100-inbox phase / ${accepted} accepts (not part of the platform's figures)`,
  });
  // Compared like with like: pgbench's own CPU-bound rate (PostgreSQL's CPU per transaction;
  // its client's CPU is not counted, as the load generators' is not).
  const pgbenchBound = perTx ? 2_000 / perTx : null;
  record({
    name: `${label}.accepts.cpuBoundProjection`,
    value: 2_000 / (platform + postgres),
    unit: 'accepts/s',
    ...(pgbenchBound ? { target: { op: '>=', value: 0.25 * pgbenchBound } } : {}),
    baseline: pgbenchBound
      ? { name: 'pgbench CPU-bound tps on 2 cores (projected the same way)', value: pgbenchBound }
      : null,
    notes: `PROJECTED, not measured: 2 cores × 1,000 ms / (${platform.toFixed(2)} + ${postgres.toFixed(2)}) ms CPU per accept, if nothing else ran and nothing waited; the load generators' own CPU not counted`,
  });
}

/**
 * A change's way to the SSE subscribers, from the streams' (head, arrival) pairs: `name.p95`
 * from each probe's request, `name.fanOut.p95` from its answer (the change committed), both
 * ≤ 100 ms; `name.firstHeard.p95` takes it apart per probe.
 */
function recordSse(name: string, streams: number[][], probes: Probes, during: string): void {
  const delays: number[] = [];
  /** From the write's answer (its commit is behind it) to each subscriber: the fan-out alone. */
  const fanOut: number[] = [];
  // Per probe, the first and the last subscriber to hear it: where the time goes.
  const firstHeard = probes.starts.map(() => Number.POSITIVE_INFINITY);
  const lastHeard = probes.starts.map(() => 0);
  let missed = 0;
  for (const pairs of streams) {
    probes.starts.forEach((start, k) => {
      const head = probes.heads[k] ?? Number.POSITIVE_INFINITY;
      let got: number | undefined;
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        if ((pairs[i] as number) >= head) {
          got = pairs[i + 1] as number;
          break;
        }
      }
      if (got === undefined) missed++;
      else {
        firstHeard[k] = Math.min(firstHeard[k] ?? Number.POSITIVE_INFINITY, got - start);
        lastHeard[k] = Math.max(lastHeard[k] ?? 0, got - start);
      }
      delays.push(got === undefined ? Number.POSITIVE_INFINITY : Math.max(0, got - start));
      // A subscriber may hear the change before the write's own answer arrives: that counts as 0.
      const answered = start + (probes.answers[k] ?? 0);
      fanOut.push(got === undefined ? Number.POSITIVE_INFINITY : Math.max(0, got - answered));
    });
  }
  record({
    name: `${name}.p95`,
    value: percentile(delays, 95),
    unit: 'ms',
    target: { op: '<=', value: 100 },
    notes: `${probes.starts.length} changes × ${SSE_SUBSCRIBERS} subscribers of one inbox, ${during}; timed from the write's request to each subscriber; p50 ${percentile(delays, 50).toFixed(1)} ms, missed ${missed}; ${uptime()}`,
  });
  // The change is committed once the write answers: from there on the time is the fan-out's
  // alone (the write's own latency has its targets in the accept figures). Both are kept.
  record({
    name: `${name}.fanOut.p95`,
    value: percentile(fanOut, 95),
    unit: 'ms',
    target: { op: '<=', value: 100 },
    notes: `the same ${probes.starts.length} changes × ${SSE_SUBSCRIBERS} subscribers, timed from the write's answer (the change committed) to each subscriber; p50 ${percentile(fanOut, 50).toFixed(1)} ms; ${uptime()}`,
  });
  // The same figure taken apart, per probe (p50 / p95 over the probes): the write's answer,
  // the first subscriber to hear it, and the spread from the first to the last.
  const spread = lastHeard.map((last, k) => last - (firstHeard[k] ?? 0));
  // After the write answered: the platform's own way from commit to the first socket (may be < 0).
  const afterAnswer = firstHeard.map((first, k) => first - (probes.answers[k] ?? 0));
  const p50p95 = (values: number[]) => `${percentile(values, 50).toFixed(1)} / ${percentile(values, 95).toFixed(1)} ms`;
  record({
    name: `${name}.firstHeard.p95`,
    value: percentile(firstHeard, 95),
    unit: 'ms',
    notes: `per probe, from the write's request to the first of ${SSE_SUBSCRIBERS} subscribers hearing it (p50 / p95 ${p50p95(firstHeard)}); the probe accept's own answer took ${p50p95(probes.answers)}; the first subscriber heard it ${p50p95(afterAnswer)} after that answer; first to last subscriber ${p50p95(spread)}`,
  });
}

async function runWorkers(url: string, world: LoadWorld, workers: number, pgbench: Pgbench | null): Promise<void> {
  const pgbenchTps = pgbench?.tps ?? null;
  const label = `load.w${workers}`;
  // Every worker count starts from the same seeded world, copied (the sessions too).
  const databaseUrl = await freshDatabase(url, `load_w${workers}`, 'load_seed');
  log(`${workers} worker(s) (${uptime()})`);
  const server = await startServer(databaseUrl, workers);
  const all: OpResults[] = [];
  try {
    // Each inbox's pending messages, in turn: warm-up, peak, half peak, the mix; the last
    // HALF_MIX_PENDING are the paced mix's. The hot inbox keeps 2 × PROBES for the probes.
    const per = size.pendingPerInbox - HALF_MIX_PENDING;
    const hotProbes = {
      saturated: world.hot.pending.slice(-2 * PROBES, -PROBES),
      half: world.hot.pending.slice(-PROBES),
    };
    const peakShare = Math.floor(per * 0.45);
    const halfShare = Math.floor(per * 0.35);
    // Warm-up: every process's pool, prepared plans and JIT, away from the figures.
    all.push(
      (await decidePhase(server.url, interleave(world.inboxes.map((i) => accepts(i, i.pending.slice(0, 2)))), null))
        .ops,
    );

    log(`peak accepts across ${world.inboxes.length} inboxes (${uptime()})`);
    const peakItems = interleave(world.inboxes.map((i) => accepts(i, i.pending.slice(2, 2 + peakShare))));
    const peakCpu = await cpuDuring(server.pid, () => decidePhase(server.url, peakItems, null));
    const peak = peakCpu.result;
    recordSharing(
      `${label}.peak.acceptsPerTransaction`,
      ok(peak.ops, 'accept'),
      await transactionsOf(databaseUrl, peakItems),
    );
    all.push(peak.ops);
    recordCpu(label, ok(peak.ops, 'accept'), { ...peakCpu, generatorMs: peak.generatorCpuMs }, pgbench);
    const peakRate = (ok(peak.ops, 'accept') / peak.ms) * 1000;
    record({
      name: `${label}.accepts.100inboxes`,
      value: peakRate,
      unit: 'accepts/s',
      ...(pgbenchTps ? { target: { op: '>=', value: 0.25 * pgbenchTps } } : {}),
      baseline: tpsBaseline(pgbench),
      notes: `${ok(peak.ops, 'accept')} accepts in ${(peak.ms / 1000).toFixed(1)} s, ${GENERATORS}×16 in flight; p50 ${percentile(peak.ops.accept?.latencies ?? [], 50).toFixed(1)} ms, p99 ${percentile(peak.ops.accept?.latencies ?? [], 99).toFixed(1)} ms; ${uptime()}`,
    });

    log(`one hot inbox (${uptime()})`);
    const hotItems = accepts(world.hot, world.hot.pending.slice(0, world.hot.pending.length - 2 * PROBES - 2));
    const hot = await decidePhase(server.url, hotItems, null);
    recordSharing(
      `${label}.hotInbox.acceptsPerTransaction`,
      ok(hot.ops, 'accept'),
      await transactionsOf(databaseUrl, hotItems),
    );
    all.push(hot.ops);
    record({
      name: `${label}.accepts.hotInbox`,
      value: (ok(hot.ops, 'accept') / hot.ms) * 1000,
      unit: 'accepts/s',
      target: { op: '>=', value: 1_000 },
      baseline: tpsBaseline(pgbench),
      notes: `${ok(hot.ops, 'accept')} accepts in one inbox in ${(hot.ms / 1000).toFixed(1)} s, ${GENERATORS}×16 in flight; p99 ${percentile(hot.ops.accept?.latencies ?? [], 99).toFixed(1)} ms; ${uptime()}`,
    });

    log(`accepts at half the peak rate, ${(peakRate / 2).toFixed(0)}/s (${uptime()})`);
    const halfItems = interleave(
      world.inboxes.map((i) => accepts(i, i.pending.slice(2 + peakShare, 2 + peakShare + halfShare))),
    );
    // How long the platform's threads were ready to run but had no CPU during the phase: a
    // stall that is the machine's scheduling, not the platform's work (docs/scaling.md §2).
    const waited0 = treeRunQueueWaitMs(server.pid);
    const half = await decidePhase(server.url, halfItems, Math.max(1, peakRate / 2));
    const waited1 = treeRunQueueWaitMs(server.pid);
    recordSharing(
      `${label}.halfPeak.acceptsPerTransaction`,
      ok(half.ops, 'accept'),
      await transactionsOf(databaseUrl, halfItems),
    );
    all.push(half.ops);
    if (waited0 !== null && waited1 !== null)
      record({
        name: `${label}.halfPeak.platformRunQueueWait`,
        value: ((waited1 - waited0) / half.ms) * 1000,
        unit: 'ms/s',
        notes: `the platform's threads runnable but waiting for a CPU, per second of the half-peak phase (${(waited1 - waited0).toFixed(0)} ms over ${(half.ms / 1000).toFixed(1)} s; /proc schedstat); ${uptime()}`,
      });
    record({
      name: `${label}.accept.p99.halfPeak`,
      value: percentile(half.ops.accept?.latencies ?? [], 99),
      unit: 'ms',
      target: { op: '<=', value: 50 },
      baseline: latencyBaseline(pgbench),
      notes: `open loop at ${(peakRate / 2).toFixed(0)} accepts/s for up to ${PHASE_MS / 1000} s: ${ok(half.ops, 'accept')} accepts, p50 ${percentile(half.ops.accept?.latencies ?? [], 50).toFixed(1)} ms; ${tailPlace(half.ops.accept, PHASE_START_MS)}; ${uptime()}`,
    });
    // Told apart, not a second target: the figure above stands as measured.
    record({
      name: `${label}.accept.p99.halfPeak.afterStart`,
      value: percentile(sentAfter(half.ops.accept, PHASE_START_MS), 99),
      unit: 'ms',
      notes: `the same phase's accepts sent after its first ${PHASE_START_MS} ms; ${uptime()}`,
    });

    log(`mixed scenario with ${SSE_SUBSCRIBERS} SSE subscribers (${uptime()})`);
    const sse = Array.from({ length: GENERATORS }, () =>
      startGenerator({
        kind: 'sse',
        url: server.url,
        inboxId: world.hot.inboxId,
        tokens: world.streamTokens,
        count: SSE_SUBSCRIBERS / GENERATORS,
        maxMs: 2 * MIXED_MS + 120_000,
      }),
    );
    await allReady(sse);
    const mixDecide = (from: number, to: number) =>
      interleave(
        world.inboxes.map((inbox, n) =>
          inbox.pending.slice(from, to).map(
            (messageId, k): DecideItem => ({
              token: inbox.managerToken && k % 2 === 0 ? inbox.managerToken : inbox.ownerToken,
              messageId,
              action: (n + k) % 5 === 0 ? 'refund' : 'accept',
            }),
          ),
        ),
      );
    const mix = (decide: DecideItem[], pace: Extract<Task, { kind: 'mixed' }>['pace']) =>
      startGenerator({
        kind: 'mixed',
        url: server.url,
        maxMs: MIXED_MS,
        fans: world.fans,
        handles: world.inboxes.map((i) => i.handle),
        priceMinor: world.priceMinor,
        decide,
        readers: world.inboxes.map((i) => ({ token: i.ownerToken, inboxId: i.inboxId })),
        deciders: 8,
        feedReaders: 8,
        pace,
      });
    // First the mix as fast as the machine takes it, then the same mix paced at half the rates
    // it reached: a change's way to the subscribers is measured under both (see recordSse).
    let saturated: TaskResult;
    let halfMix: TaskResult;
    let probesSaturated: Probes;
    let probesHalf: Probes;
    try {
      const first = mix(mixDecide(2 + peakShare + halfShare, per), null);
      probesSaturated = await probe(server.url, world.hot, hotProbes.saturated, failures, label, PROBE_GAP_MS);
      saturated = await first.done;
      const rate = (ops: string[]) => ops.reduce((n, op) => n + ok(saturated.ops, op), 0) / saturated.elapsedMs;
      const pace = { decidesPerSecond: 500 * rate(['accept', 'refund']), feedReadsPerSecond: 500 * rate(['changes']) };
      log(
        `the same mix at half its rates: ${pace.decidesPerSecond.toFixed(0)} decisions/s, ${pace.feedReadsPerSecond.toFixed(0)} feed reads/s (${uptime()})`,
      );
      const second = mix(mixDecide(per, size.pendingPerInbox), pace);
      probesHalf = await probe(server.url, world.hot, hotProbes.half, failures, label, PROBE_GAP_MS);
      halfMix = await second.done;
    } finally {
      for (const g of sse) g.stop();
    }
    const sseResults = await Promise.all(sse.map((g) => g.done));
    all.push(saturated.ops, halfMix.ops, ...sseResults.map((r) => r.ops));
    const streams = sseResults.flatMap((r) => r.streams ?? []);
    recordSse(
      `${label}.sse`,
      streams,
      probesSaturated,
      'during the mixed scenario, run as fast as the machine takes it',
    );
    recordSse(
      `${label}.sse.halfMix`,
      streams,
      probesHalf,
      `during the same mix paced at half the rates it reached (${halfMix.elapsedMs.toFixed(0)} ms)`,
    );
    const heard = sseResults.reduce((n, r) => n + (r.streams ?? []).reduce((m, pairs) => m + pairs.length / 2, 0), 0);
    const sseCpuMs = sseResults.reduce((sum, r) => sum + r.cpuMs, 0);
    const requests = (r: TaskResult) => Object.values(r.ops).reduce((n, o) => n + o.latencies.length, 0);
    log(
      `generators' CPU in the mixed phases: mixed ${saturated.cpuMs.toFixed(0)} ms for ${requests(saturated)} requests, at half ${halfMix.cpuMs.toFixed(0)} ms for ${requests(halfMix)}; SSE ${sseCpuMs.toFixed(0)} ms for ${heard} events heard (${heard ? ((sseCpuMs * 1000) / heard).toFixed(0) : '-'} µs each)`,
    );
    for (const [name, result] of [
      [`${label}.mixed`, saturated],
      [`${label}.mixed.halfMix`, halfMix],
    ] as const) {
      for (const op of ['topUp', 'sendMessage', 'accept', 'refund', 'changes']) {
        const s = result.ops[op];
        if (!s) continue;
        record({
          name: `${name}.${op}`,
          value: (ok(result.ops, op) / result.elapsedMs) * 1000,
          unit: 'req/s',
          baseline: tpsBaseline(pgbench),
          notes: `p50 ${percentile(s.latencies, 50).toFixed(1)} ms, p99 ${percentile(s.latencies, 99).toFixed(1)} ms; statuses ${JSON.stringify(s.statuses)}`,
        });
      }
    }
  } finally {
    const code = await server.stop();
    if (code !== 0) failures.push(`${label}: server exited with ${code}`);
  }
  const db = await openPg(databaseUrl);
  try {
    const problems = await checkLedgerInvariants(db);
    for (const p of problems.slice(0, 5)) failures.push(`${label}: ${p}`);
    record({
      name: `${label}.invariantViolations`,
      value: problems.length,
      unit: 'violations',
      target: { op: '<=', value: 0 },
      notes: `checked after every phase of this worker count; ${pgbenchNote(pgbench)}`,
    });
  } finally {
    await db.close();
  }
  record({
    name: `${label}.5xx`,
    value: serverErrors(merge(all.map((ops) => ({ ops, elapsedMs: 0, cpuMs: 0 })))),
    unit: 'responses',
    target: { op: '<=', value: 0 },
    notes: `5xx answers and failed connections over every phase; ${pgbenchNote(pgbench)}`,
  });
}

async function main(): Promise<void> {
  console.log(`▶ load${quick ? ' (quick)' : ''}: ${uptime()}`);
  const bin = pgBin();
  postgres = await loadPostgres();
  const { url, note } = postgres;
  if (!url) throw new Error('npm run load needs PostgreSQL: install it, or set LOAD_DATABASE_URL');
  log(note);
  try {
    const pgbenchUrl = await freshDatabase(url, 'load_pgbench');
    log(`pgbench baseline (${uptime()})`);
    const pgbench = await runPgbench(bin, pgbenchUrl);
    if (pgbench === null) log('pgbench not found: accept figures have no baseline this run');
    else {
      record({
        name: 'load.pgbench.tps',
        value: pgbench.tps,
        unit: 'tps',
        notes: `TPC-B-like, scale 8, 8 clients, ${quick ? 8 : 20} s; ${uptime()}`,
      });
      record({
        name: 'load.pgbench.latency',
        value: pgbench.latencyMs,
        unit: 'ms',
        notes: 'average, same pgbench run',
      });
    }
    log(`seeding the world (${uptime()})`);
    const world = await seedWorld(await freshDatabase(url, 'load_seed'), size, log);
    for (const workers of workerCounts) {
      try {
        await runWorkers(url, world, workers, pgbench);
      } catch (error) {
        failures.push(`load.w${workers}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  } finally {
    postgres.stop();
  }
  let previous: { records?: BenchRecord[] } = {};
  try {
    previous = JSON.parse(readFileSync('bench-results.json', 'utf8')) as typeof previous;
  } catch {
    // No earlier results: this run's are the file.
  }
  const kept = (previous.records ?? []).filter((r) => !r.name.startsWith('load.'));
  writeFileSync(
    'bench-results.json',
    `${JSON.stringify({ quick, at: new Date().toISOString(), node: process.version, load: uptime(), records: [...kept, ...records], failures }, null, 2)}\n`,
  );
  console.log(`\nwrote bench-results.json (${records.length} load figures)`);
  if (failures.length > 0) {
    console.error(`\n${failures.length} failure(s):\n${failures.join('\n')}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
