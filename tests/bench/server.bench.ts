/**
 * The platform on loopback: accepted actions per second (each a full capture: locks,
 * ledger, feed, audit, idempotency) and change-feed rows per second when a client pages
 * through a bulk-seeded inbox. On PGlite always, and on PostgreSQL when TEST_DATABASE_URL
 * is set. Baseline in the same run: GET /healthz, the HTTP round trip with one query.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { seedBulk } from '../../server/demo/bulk';
import { type Platform, startPlatform } from '../../server/index';
import { ChangesPageSchema } from '../../shared/protocol';
import { type Bench, type BenchContext, nowMs } from './harness';

const CONCURRENCY = 8;

async function json(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, init);
  const body = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function signIn(platform: Platform, email: string, password: string): Promise<string> {
  const session = (await json(`${platform.url}/v1/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, deviceName: 'Bench' }),
  })) as { token: string };
  return session.token;
}

/** Runs `task(i)` for i in 0..n-1 with a fixed number in flight. */
async function pool(n: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

/** Accepts `total` pending messages spread over `inboxes` bulk inboxes; returns accepts per second. */
async function acceptRun(platform: Platform, inboxes: number, total: number): Promise<number> {
  const work: Array<{ token: string; id: string }> = [];
  for (let i = 0; i < inboxes; i++) {
    const seeded = await seedBulk(platform, { messages: Math.ceil(total / inboxes), fans: 20, pendingShare: 1 });
    const token = await signIn(platform, seeded.creator.email, seeded.creator.password);
    const rows = await platform.db.query<{ id: string }>(
      `SELECT id FROM messages WHERE inbox_id = $1 AND status = 'pending'`,
      [seeded.inboxId],
    );
    work.push(...rows.map((r) => ({ token, id: r.id })));
  }
  // Interleaved, so the requests in flight belong to different inboxes.
  work.sort(
    (a, b) => (a.id.split('-m-')[1] ?? '').localeCompare(b.id.split('-m-')[1] ?? '') || a.token.localeCompare(b.token),
  );
  const t0 = nowMs();
  await pool(work.length, async (i) => {
    const item = work[i];
    if (!item) return;
    await json(`${platform.url}/v1/messages/${item.id}/accept`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${item.token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: '{}',
    });
  });
  return (work.length / (nowMs() - t0)) * 1000;
}

async function measure(ctx: BenchContext, label: string, platform: Platform): Promise<void> {
  const accepts = ctx.quick ? 300 : 2_000;
  const feedMessages = ctx.quick ? 3_000 : 30_000;

  const probes = ctx.quick ? 300 : 2_000;
  let t0 = nowMs();
  await pool(probes, async () => {
    await json(`${platform.url}/healthz`);
  });
  const healthPerSecond = (probes / (nowMs() - t0)) * 1000;
  ctx.record({ name: `server.${label}.healthz`, value: healthPerSecond, unit: 'req/s' });

  // One inbox: its writers queue on the inbox row, so this is one creator's ceiling.
  const oneInbox = await acceptRun(platform, 1, accepts);
  ctx.record({
    name: `server.${label}.accepts`,
    value: oneInbox,
    unit: 'accepts/s',
    target: { op: '>', value: 50 },
    baseline: { name: 'GET /healthz req/s', value: healthPerSecond },
    notes: `${accepts} captures in one inbox, ${CONCURRENCY} in flight`,
  });
  // Eight inboxes at once: the platform's rate when creators do not share a lock.
  const eightInboxes = await acceptRun(platform, 8, accepts);
  ctx.record({
    name: `server.${label}.accepts.8inboxes`,
    value: eightInboxes,
    unit: 'accepts/s',
    baseline: { name: 'one inbox', value: oneInbox },
    notes: `${accepts} captures across 8 inboxes, ${CONCURRENCY} in flight`,
  });
  const problems = await platform.checkInvariants();
  if (problems.length > 0) throw new Error(`Ledger invariants broken after the accept run: ${problems.join('; ')}`);

  t0 = nowMs();
  const feed = await seedBulk(platform, { messages: feedMessages, fans: 500 });
  ctx.record({ name: `server.${label}.seedBulk`, value: (feedMessages / (nowMs() - t0)) * 1000, unit: 'messages/s' });
  const feedToken = await signIn(platform, feed.creator.email, feed.creator.password);
  let rows = 0;
  t0 = nowMs();
  for (let after = 0; ; ) {
    const page = ChangesPageSchema.parse(
      await json(`${platform.url}/v1/inboxes/${feed.inboxId}/changes?after=${after}&limit=1000`, {
        headers: { authorization: `Bearer ${feedToken}` },
      }),
    );
    rows += page.changes.length;
    after = page.nextAfter;
    if (!page.hasMore) break;
  }
  ctx.record({
    name: `server.${label}.feed`,
    value: (rows / (nowMs() - t0)) * 1000,
    unit: 'rows/s',
    target: { op: '>', value: 10_000 },
    notes: `${rows} rows of ${feedMessages} messages, 1,000 a page, parsed with the wire schema`,
  });
}

export const bench: Bench = {
  name: 'server',
  async run(ctx) {
    const common = {
      passwordHashing: 'fast' as const,
      rateLimits: {
        signIn: { max: 1e6, timeWindowMs: 60_000 },
        authPerAddress: { max: 1e6, timeWindowMs: 60_000 },
        sendMessage: { max: 1e6, timeWindowMs: 60_000 },
      },
    };
    const lite = await startPlatform({ ...common, dataDir: null });
    try {
      await measure(ctx, 'pglite', lite);
    } finally {
      await lite.close();
    }

    const url = process.env.TEST_DATABASE_URL;
    if (!url) {
      ctx.log('PostgreSQL figures skipped: TEST_DATABASE_URL is unset (eval "$(bash scripts/pg-cluster.sh start)")');
      return;
    }
    const schema = `bench_${randomUUID().replaceAll('-', '')}`;
    const postgres = await startPlatform({ ...common, databaseUrl: url, schema });
    try {
      await measure(ctx, 'postgres', postgres);
    } finally {
      await postgres.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  },
};
