import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiFailure,
  closeSoon,
  startTestPlatform,
  type TestCreator,
  type TestPlatform,
  type TestUser,
  testDatabaseUrl,
} from '../../helpers/server';

/**
 * Crash test: a child process runs the core against the platform and is killed with
 * SIGKILL at random points of its bootstrap (every other schedule mid-snapshot) and of its
 * pushes, twice per schedule, then runs to the end. After each schedule the local database
 * must pass integrity_check, hold exactly the platform's state, and the platform's ledger
 * must show every queued decision applied exactly once. 50 schedules when CI=true; fewer
 * locally (named below); CRASH_SCHEDULES sets the number (`npm run soak` runs 1,000).
 *
 * Each schedule starts from a fresh data folder on an inbox of constant size, so a
 * schedule costs the same whether it is the 5th or the 900th: its four target messages
 * are sent right before it, into an inbox that serves SCHEDULES_PER_INBOX schedules and
 * then gives way to a new one with BACKGROUND_MESSAGES of history. Schedules run in
 * LANES concurrent lanes (each its own inbox and data folder); a schedule's random
 * delays come from CRASH_SEED and its number, whichever lane runs it.
 */
const SCHEDULES = Number(process.env.CRASH_SCHEDULES ?? (process.env.CI === 'true' ? 50 : 6));
const LANES = Math.max(1, Number(process.env.CRASH_LANES ?? (SCHEDULES >= 100 ? 3 : 2)));
const KILLS_PER_SCHEDULE = 2;
const ACTIONS_PER_SCHEDULE = 4;
/** Pending history before a new inbox's first schedule: a snapshot of several 40-entry chunks. */
const BACKGROUND_MESSAGES = 60;
const SCHEDULES_PER_INBOX = 20;
/** Where a kill landed: the last line the child had printed (see crash-child.ts). */
const KILL_PHASES = ['started', 'snapshot', 'bootstrapped', 'queued', 'done'] as const;

/** The child is bundled once (esbuild) so each of the many restarts starts in a blink, not through tsx. */
let childScript = '';
let bundleDir = '';

let platform: TestPlatform;

beforeAll(async () => {
  // Inside node_modules so the bundle's import of the native better-sqlite3 resolves.
  mkdirSync(resolve('node_modules/.cache'), { recursive: true });
  bundleDir = mkdtempSync(resolve('node_modules/.cache/core-crash-'));
  childScript = join(bundleDir, 'crash-child.mjs');
  await build({
    entryPoints: [resolve('tests/fixtures/core/crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: childScript,
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  platform = await startTestPlatform(testDatabaseUrl() ? { database: 'postgres' } : {});
}, 120_000);
afterAll(async () => {
  // Killed children leave sockets the platform may wait on when closing: do not hang on them.
  await closeSoon(platform);
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

interface Run {
  process: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  /** Resolves when the child has printed `line`. */
  saw(line: string): Promise<void>;
}

function runChild(config: object): Run {
  const proc = spawn(process.execPath, [childScript, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The bundle is compiled once, not on each of the thousands of starts a soak makes.
    env: { ...process.env, NODE_COMPILE_CACHE: join(bundleDir, 'compile-cache') },
  });
  const lines: string[] = [];
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  let buffer = '';
  let stderr = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.filter((w) => w.line === line)) w.resolve();
      nl = buffer.indexOf('\n');
    }
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((res) =>
    // 'close', not 'exit': every line the child wrote has been read by then.
    proc.on('close', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      res(code);
    }),
  );
  return {
    process: proc,
    lines,
    exited,
    saw: (line) =>
      lines.includes(line)
        ? Promise.resolve()
        : new Promise<void>((res, rej) => {
            waiters.push({ line, resolve: res });
            void exited.then(() => (lines.includes(line) ? res() : rej(new Error(`child exited before "${line}"`))));
          }),
  };
}

/** An inbox a lane runs its schedules on: its creator, a paying fan, how many schedules it served. */
interface LaneInbox {
  creator: TestCreator;
  fan: TestUser;
  terms: Awaited<ReturnType<TestPlatform['api']['terms']>>;
  served: number;
}

async function newInbox(lane: number): Promise<LaneInbox> {
  const creator = await platform.api.signUpCreator({ displayName: `Crash Creator ${lane}` });
  const fan = await platform.api.signUpFan({ displayName: `Crash Fan ${lane}` });
  await platform.api.topUp(fan, { minor: 100_000_000, currency: 'USD' });
  const inbox = { creator, fan, terms: await platform.api.terms(creator.handle), served: 0 };
  for (let i = 0; i < BACKGROUND_MESSAGES; i++) await send(inbox, `Message ${i}: could you say hello to my friend?`);
  return inbox;
}

/** A paid message on the inbox's terms (read once: nothing in this test changes them). */
async function send(inbox: LaneInbox, body: string): Promise<string> {
  const { fan, creator, terms } = inbox;
  const result = await platform.api.call('sendMessage', {
    token: fan.token,
    params: { handle: creator.handle },
    body: { body, ...terms },
  });
  if (result.status !== 200) throw new ApiFailure(result.status, result.body, 'sendMessage');
  return result.body.id;
}

/** Schedule `s`'s own random numbers: the same for a seed whichever lane runs it, and when. */
function randomFor(seed: number, s: number): () => number {
  let state = (seed * 7_919 + s * 104_729 + 1) % 2 ** 31;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * One schedule: two killed runs, then one to the end, on a fresh data folder; then the
 * checks. Returns the phase of each kill.
 */
async function runSchedule(s: number, inbox: LaneInbox, random: () => number): Promise<string[]> {
  const { creator } = inbox;
  const ids: string[] = [];
  for (let i = 0; i < ACTIONS_PER_SCHEDULE; i++) ids.push(await send(inbox, `Schedule ${s}, message ${i}: a hello?`));
  const [a, r, n, st] = ids as [string, string, string, string];
  const note = `crash note ${s}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'core-crash-'));
  const config = {
    url: platform.url,
    email: creator.email,
    password: creator.password,
    dataDir,
    platformNow: platform.clock.now(),
    plan: [
      { kind: 'accept', messageId: a },
      { kind: 'note', messageId: n, body: note },
      { kind: 'refund', messageId: r },
      { kind: 'star', messageId: st },
    ],
  };
  const phases: string[] = [];
  const queued = new Set<string>();
  try {
    for (let k = 0; k < KILLS_PER_SCHEDULE; k++) {
      const run = runChild(config);
      // First kill lands in sign-in or the bootstrap (every other schedule: once part of the
      // snapshot is stored, so mid-snapshot), the second while actions are queued and pushed.
      const bootstrapPhase = k === 0;
      const midSnapshot = bootstrapPhase && s % 2 === 0;
      await run.saw(midSnapshot ? 'snapshot' : bootstrapPhase ? 'started' : 'bootstrapped').catch(() => undefined);
      await new Promise((res) => setTimeout(res, random() * (midSnapshot ? 60 : bootstrapPhase ? 500 : 120)));
      run.process.kill('SIGKILL');
      await run.exited;
      phases.push((run.lines[run.lines.length - 1] ?? 'started').split(' ')[0] ?? 'started');
      for (const line of run.lines) if (line.startsWith('queued ')) queued.add(line);
    }
    const final = runChild(config);
    expect(await final.exited).toBe(0);
    for (const line of final.lines) if (line.startsWith('queued ')) queued.add(line);
    expect(final.lines).toContain('done');

    // The platform's state of the inbox, read once the final run is done (no other lane writes to it).
    const feed = await platform.api.feed(creator, creator.inboxId);
    const local = new Database(join(dataDir, 'accounts', `${(await accountIdIn(dataDir)) ?? 'none'}.sqlite`), {
      readonly: true,
    });
    try {
      expect(local.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(local.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
      // Local state equals the platform's: every message's status, and triage stars.
      const serverStatus = new Map<string, string>();
      const serverStar = new Map<string, boolean>();
      for (const c of feed) {
        if (c.kind === 'message') serverStatus.set(c.data.id, c.data.status);
        if (c.kind === 'triage') serverStar.set(c.data.messageId, c.data.starred);
      }
      const localStatus = new Map(
        (local.prepare('SELECT id, status FROM messages').all() as Array<{ id: string; status: string }>).map((m) => [
          m.id,
          m.status,
        ]),
      );
      expect(localStatus).toEqual(serverStatus);
      const localStars = local.prepare('SELECT message_id FROM triage WHERE starred = 1').pluck().all() as string[];
      expect(new Set(localStars)).toEqual(new Set([...serverStar].filter(([, v]) => v).map(([id]) => id)));
      expect(
        local.prepare('SELECT count(*) FROM notes WHERE body = ? AND local_action_id IS NULL').pluck().get(note),
      ).toBe(1);
      const cursor = local.prepare('SELECT cursor FROM sync_state').pluck().get() as number;
      expect(cursor).toBe(feed[feed.length - 1]?.seq);
    } finally {
      local.close();
    }
    // The platform applied each queued action exactly once (and nothing twice, queued or not).
    const { events } = await platform.api.ok('ledger', {
      token: creator.token,
      params: { inboxId: creator.inboxId },
    });
    const of = (id: string, kind: string) => events.filter((e) => e.messageId === id && e.kind === kind).length;
    expect(of(a, 'capture')).toBe(1);
    expect(of(a, 'refund')).toBe(0);
    expect(of(r, 'refund')).toBe(1);
    expect(of(r, 'capture')).toBe(0);
    expect(feed.filter((c) => c.kind === 'note' && c.data.body === note)).toHaveLength(1);
    expect(queued.size).toBeGreaterThan(0);
    return phases;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const reducedLocally = process.env.CI !== 'true' && process.env.CRASH_SCHEDULES === undefined;
describe(`crash test (${SCHEDULES} schedules × ${KILLS_PER_SCHEDULE} SIGKILLs in ${LANES} lanes${reducedLocally ? ', reduced locally; 50 with CI=true' : ''})`, () => {
  it(
    'recovers from SIGKILL at random points of bootstrap and push: sound database, same state as the platform, each action once',
    async () => {
      const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
      console.log(`crash test seed ${seed} (set CRASH_SEED to replay)`);
      const killedAfter = new Map<string, number>(KILL_PHASES.map((phase) => [phase, 0]));
      const soakStart = Date.now();
      const cpuStart = cpuSeconds();
      let next = 0;
      let completed = 0;
      let failure: { schedule: number; error: unknown } | null = null;
      const lane = async (index: number) => {
        let inbox: LaneInbox | null = null;
        for (let s = next++; s < SCHEDULES && !failure; s = next++) {
          try {
            if (!inbox || inbox.served === SCHEDULES_PER_INBOX) inbox = await newInbox(index);
            inbox.served++;
            for (const phase of await runSchedule(s, inbox, randomFor(seed, s))) {
              killedAfter.set(phase, (killedAfter.get(phase) ?? 0) + 1);
            }
            // A long soak says how far it got, so a person can tell a slow run from a stuck one.
            if (++completed % 100 === 0) {
              console.log(`crash progress: ${completed}/${SCHEDULES} schedules in ${minutesSince(soakStart)} min`);
            }
          } catch (error) {
            failure ??= { schedule: s, error };
          }
        }
      };
      await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
      if (failure) {
        const { schedule, error } = failure as { schedule: number; error: unknown };
        console.error(`crash schedule ${schedule} failed (replay: CRASH_SEED=${seed})`);
        throw error;
      }
      const minutes = (Date.now() - soakStart) / 60_000;
      const cpuEnd = cpuSeconds();
      const cpu =
        cpuStart && cpuEnd
          ? `; CPU a schedule: ${((cpuEnd.children - cpuStart.children) / SCHEDULES).toFixed(2)} s in the core's ` +
            `processes, ${((cpuEnd.own - cpuStart.own) / SCHEDULES).toFixed(2)} s in the platform and this test` +
            (testDatabaseUrl() ? " (PostgreSQL's not counted)" : '')
          : '';
      // Where the kills landed (last line the child had printed): started = sign-in/bootstrap,
      // snapshot = part of the snapshot stored, bootstrapped/queued = queuing and pushing, done = after everything.
      console.log('kills by phase', Object.fromEntries(killedAfter));
      // One line for `npm run soak` to report.
      console.log(
        `crash summary: ${SCHEDULES} schedules, ${SCHEDULES * KILLS_PER_SCHEDULE} kills (${[...killedAfter]
          .map(([phase, n]) => `${phase} ${n}`)
          .join(
            ', ',
          )}), ${LANES} lanes, every inbox complete and sound, each action once, in ${minutes.toFixed(1)} min ` +
          `(${((minutes * 60) / SCHEDULES).toFixed(2)} s a schedule${cpu})`,
      );
      // Some kills landed while the snapshot was part-way stored (and each such inbox completed above);
      // with enough schedules to be sure of it, also some in sign-in and some while pushing.
      expect(killedAfter.get('snapshot')).toBeGreaterThan(0);
      if (SCHEDULES >= 20) {
        expect(killedAfter.get('started')).toBeGreaterThan(0);
        expect((killedAfter.get('bootstrapped') ?? 0) + (killedAfter.get('queued') ?? 0)).toBeGreaterThan(0);
      }
      await platform.api.checkInvariants();
    },
    Math.max(900_000, SCHEDULES * 120_000),
  );
});

const minutesSince = (start: number) => ((Date.now() - start) / 60_000).toFixed(1);

/**
 * CPU seconds used so far by this process and by its children that have exited (Linux's
 * /proc; null elsewhere): what a schedule costs, whatever the neighbours' load.
 */
function cpuSeconds(): { own: number; children: number } | null {
  if (!existsSync('/proc/self/stat')) return null;
  // Fields after the command's closing parenthesis: utime, stime, cutime, cstime are 14–17.
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = (i: number) => Number(fields[i - 3] ?? 0) / 100; // clock ticks: USER_HZ, 100 on Linux
  return { own: ticks(14) + ticks(15), children: ticks(16) + ticks(17) };
}

async function accountIdIn(dataDir: string): Promise<string | null> {
  const app = new Database(join(dataDir, 'app.sqlite'), { readonly: true });
  try {
    return (app.prepare('SELECT id FROM accounts LIMIT 1').pluck().get() as string | undefined) ?? null;
  } finally {
    app.close();
  }
}
