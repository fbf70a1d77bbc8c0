/**
 * Several server processes on one PostgreSQL database (platforms in this process, each
 * with its own pool, HTTP server, expiry job and LISTEN connection — exactly what a
 * `--workers N` process holds): the expiry job runs once across them and never refunds
 * twice, a change written through one reaches SSE subscribers of the others, and accepts
 * batched across inboxes in both at once settle each message once. The
 * real `--workers` command is tested in cli.test.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTENER_APP_NAME } from '../../../server/db/pg';
import { HOUR_MS } from '../../../shared/message';
import { openEvents } from '../../helpers/events';
import {
  describeWithPostgres,
  startTestPlatform,
  type TestCreator,
  type TestPlatform,
  testDatabaseUrl,
  until,
} from '../../helpers/server';

/** Sends `count` paid messages and moves every platform's clock past their deadline. */
async function dueMessages(platforms: TestPlatform[], count: number) {
  const [first] = platforms;
  if (!first) throw new Error('no platform');
  const creator = await first.api.signUpCreator();
  const fan = await first.api.signUpFan();
  await first.api.topUp(fan, { minor: 100_000, currency: 'USD' });
  for (let i = 0; i < count; i++) await first.api.sendPaidMessage(fan, creator, `m${i}`);
  for (const p of platforms) p.clock.advance(73 * HOUR_MS);
  return { creator, fan };
}

async function expireRows(platform: TestPlatform, inboxId: string) {
  return platform.platform.db.query<{ message_id: string; n: number }>(
    `SELECT message_id, count(*)::int AS n FROM ledger_transactions WHERE kind = 'expire' AND inbox_id = $1 GROUP BY message_id`,
    [inboxId],
  );
}

describeWithPostgres('platform processes on one PostgreSQL', () => {
  describe('two processes', () => {
    let a: TestPlatform;
    let b: TestPlatform;
    beforeAll(async () => {
      a = await startTestPlatform({ database: 'postgres' });
      b = await startTestPlatform({ database: 'postgres', sameDatabaseAs: a });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('expires each due message exactly once when both run the job together', async () => {
      const { creator, fan } = await dueMessages([a, b], 12);
      const [fromA, fromB] = await Promise.all([a.api.expireDue(), b.api.expireDue()]);
      // Whoever lost the turn may have found nothing left, or skipped its turn: 12 either way.
      const again = await Promise.all([a.api.expireDue(), b.api.expireDue()]);
      expect(fromA + fromB + again[0] + again[1]).toBe(12);
      const rows = await expireRows(a, creator.inboxId);
      expect(rows).toHaveLength(12);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      expect((await a.api.ok('wallet', { token: fan.token })).balances).toEqual([{ minor: 100_000, currency: 'USD' }]);
      await a.api.checkInvariants();
    });

    it('runs the expiry pass in one process at a time: the other skips its turn while one holds it', async () => {
      const { creator } = await dueMessages([a, b], 3);
      const exclusively = a.platform.db.exclusively;
      if (!exclusively) throw new Error('PostgreSQL platforms take turns through an advisory lock');
      // A holds the expiry turn (as during a long pass); B's pass in that time does nothing.
      const duringA = await exclusively('creator_inbox_expiry', () => b.api.expireDue());
      expect(duringA).toBe(0);
      expect(await expireRows(a, creator.inboxId)).toHaveLength(0);
      // Once A lets go, B's next pass does the work.
      expect(await b.api.expireDue()).toBe(3);
      expect(await a.api.expireDue()).toBe(0);
      await a.api.checkInvariants();
    });

    it('settles each message once when both commit batches of many inboxes at once', async () => {
      const fan = await a.api.signUpFan();
      const inboxes: Array<{ owner: TestCreator; messages: string[] }> = [];
      for (let i = 0; i < 8; i++) {
        const owner = await a.api.signUpCreator({ price: { minor: 700 + 50 * i, currency: 'USD' } });
        const messages = [];
        for (let m = 0; m < 3; m++)
          messages.push((await a.api.sendPaidMessage(fan, owner, `m${m}`, { fund: true })).id);
        inboxes.push({ owner, messages });
      }
      // Inboxes only one process accepts in, one message each: whichever process's batch
      // locks the shared inboxes first, the other's batch still holds two or more of its own
      // (a lone accept and a batch of one may each take one before it), so both span inboxes.
      const own = [] as Array<Array<{ owner: TestCreator; id: string }>>;
      for (let p = 0; p < 2; p++) {
        const mine = [];
        for (let i = 0; i < 4; i++) {
          const owner = await a.api.signUpCreator({ price: { minor: 1_200 + 50 * i, currency: 'USD' } });
          mine.push({ owner, id: (await a.api.sendPaidMessage(fan, owner, `own ${p} ${i}`, { fund: true })).id });
        }
        own.push(mine);
      }
      // Every transaction of both processes waits until each accept waits in its process
      // (a lane, or the process's queue and batch), so both commit batches of many inboxes,
      // over the same inboxes at once: one skips what the other locked and hands it back.
      let release = () => {};
      const hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      const restore: Array<() => void> = [];
      const spanning = [0, 0];
      for (const [p, platform] of [a, b].entries()) {
        const db = platform.platform.db;
        const { transaction } = db;
        db.transaction = (async (fn) => {
          await hold;
          const inboxesLocked = new Set<string>();
          const result = await transaction.call(db, (sql) => {
            const send = sql.send.bind(sql);
            sql.send = ((text, params) => {
              const rows = send(text, params);
              if (/FOR UPDATE OF i, m SKIP LOCKED/.test(text))
                (rows as Promise<Array<{ inbox_id: string }>>).then(
                  (r) => {
                    for (const row of r) inboxesLocked.add(row.inbox_id);
                  },
                  () => undefined,
                );
              return rows;
            }) as typeof sql.send;
            return fn(sql);
          });
          if (inboxesLocked.size > 1) spanning[p] = (spanning[p] ?? 0) + 1;
          return result;
        }) as typeof db.transaction;
        restore.push(() => {
          db.transaction = transaction;
        });
      }
      const all = inboxes.flatMap(({ owner, messages }) => messages.map((id) => ({ owner, id })));
      try {
        // Through A, which stored the messages (it knows their inboxes), and through B, which did not.
        const answers = [a, b].map((platform) => all.map(({ owner, id }) => platform.api.accept(owner, id)));
        const ownAnswers = [a, b].map((platform, p) =>
          (own[p] ?? []).map(({ owner, id }) => platform.api.accept(owner, id)),
        );
        const inPlace = (platform: TestPlatform, p: number) =>
          [...inboxes.map((i) => i.owner), ...(own[p] ?? []).map((o) => o.owner)].reduce(
            (n, owner) => n + platform.platform.writesInLane(owner.inboxId),
            0,
          ) + platform.platform.acceptsHeld();
        const each = all.length + (own[0]?.length ?? 0);
        await until(() => inPlace(a, 0) >= each && inPlace(b, 1) >= each);
        release();
        const [throughA, throughB] = await Promise.all(answers.map((list) => Promise.all(list)));
        for (const list of await Promise.all(ownAnswers.map((list) => Promise.all(list))))
          expect(list.map((answer) => answer.status)).toEqual(list.map(() => 200));
        for (const [i, { id }] of all.entries()) {
          // One of the two won; the other was told it was already decided.
          const statuses = [throughA?.[i]?.status, throughB?.[i]?.status].sort();
          expect(statuses, id).toEqual([200, 409]);
        }
      } finally {
        release();
        for (const undo of restore) undo();
      }
      expect(spanning[0]).toBeGreaterThan(0);
      expect(spanning[1]).toBeGreaterThan(0);
      const captures = await a.platform.db.query<{ message_id: string; n: number }>(
        `SELECT message_id, count(*)::int AS n FROM ledger_transactions
         WHERE kind = 'capture' AND message_id = ANY($1::text[]) GROUP BY message_id`,
        [[...all, ...own.flat()].map((m) => m.id)],
      );
      expect(captures).toHaveLength(all.length + own.flat().length);
      expect(captures.every((c) => c.n === 1)).toBe(true);
      for (const { owner } of [...inboxes, ...own.flat()]) {
        const { changes } = await a.api.changes(owner, owner.inboxId, 0, 500);
        const seqs = changes.map((c) => c.seq);
        expect(seqs).toEqual(seqs.map((_s, i) => i + 1));
      }
      await a.api.checkInvariants();
    });

    it("tells one process's SSE subscribers about changes written through the other", async () => {
      const creator = await a.api.signUpCreator();
      const fan = await a.api.signUpFan();
      await a.api.topUp(fan, { minor: 10_000, currency: 'USD' });
      const events = await openEvents(b, creator, creator.token);
      await events.waitFor(/id: \d+/);
      await a.api.sendPaidMessage(fan, creator, 'through A');
      const head = (await a.api.changes(creator, creator.inboxId)).headSeq;
      await events.waitFor(new RegExp(`id: ${head}\\n`));
      events.close();
    });
  });

  describe('three processes', () => {
    let platforms: TestPlatform[] = [];
    beforeAll(async () => {
      const first = await startTestPlatform({ database: 'postgres' });
      platforms = [
        first,
        await startTestPlatform({ database: 'postgres', sameDatabaseAs: first }),
        await startTestPlatform({ database: 'postgres', sameDatabaseAs: first }),
      ];
    });
    afterAll(async () => {
      for (const p of [...platforms].reverse()) await p.close();
    });
    const at = (i: number): TestPlatform => {
      const p = platforms[i];
      if (!p) throw new Error(`no platform ${i}`);
      return p;
    };

    it('delivers a change written through one to subscribers on both others, over one LISTEN connection each', async () => {
      const creator = await at(0).api.signUpCreator();
      const fan = await at(0).api.signUpFan();
      await at(0).api.topUp(fan, { minor: 10_000, currency: 'USD' });
      // Five subscribers on each of the other two processes.
      const streams = await Promise.all(
        [1, 1, 1, 1, 1, 2, 2, 2, 2, 2].map((i) => openEvents(at(i), creator, creator.token)),
      );
      await Promise.all(streams.map((s) => s.waitFor(/id: \d+/)));

      const url = testDatabaseUrl() as string;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const listeners = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
          [`${LISTENER_APP_NAME} ${at(0).schema}`],
        );
        expect(listeners.rows[0]?.n).toBe(3);
      } finally {
        await client.end();
      }

      const message = await at(0).api.sendPaidMessage(fan, creator, 'through the first');
      const head = (await at(0).api.changes(creator, creator.inboxId)).headSeq;
      await Promise.all(streams.map((s) => s.waitFor(new RegExp(`id: ${head}\\n`))));
      // And back the other way: a decision taken through the third reaches the first's page and the second's streams.
      expect((await at(2).api.accept(creator, message.id)).status).toBe(200);
      const after = (await at(0).api.changes(creator, creator.inboxId)).headSeq;
      expect(after).toBeGreaterThan(head);
      await Promise.all(streams.slice(0, 5).map((s) => s.waitFor(new RegExp(`id: ${after}\\n`))));
      for (const s of streams) s.close();
    });

    it('never expires a message twice while all three run the job over and over', async () => {
      const { creator, fan } = await dueMessages(platforms, 20);
      const rounds = await Promise.all(
        platforms.map(async (p) => {
          let n = 0;
          for (let i = 0; i < 4; i++) n += await p.api.expireDue();
          return n;
        }),
      );
      const leftOver = await at(0).api.expireDue();
      expect(rounds.reduce((sum, n) => sum + n, 0) + leftOver).toBe(20);
      const rows = await expireRows(at(0), creator.inboxId);
      expect(rows).toHaveLength(20);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      expect((await at(1).api.ok('wallet', { token: fan.token })).balances).toEqual([
        { minor: 100_000, currency: 'USD' },
      ]);
      await at(2).api.checkInvariants();
    });
  });
});
