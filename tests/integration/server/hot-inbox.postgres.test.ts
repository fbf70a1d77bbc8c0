/**
 * One hot inbox must not slow every other inbox (#16). On a real PostgreSQL server: an
 * inbox's row lock is held from outside while more accepts for it arrive than the
 * platform's pool has connections. An accept in another inbox must still go through while
 * they wait — before the per-inbox gate, each waiter held a pool connection on the lock and
 * the other inbox waited for a free connection until the hot inbox let go. And a batch of
 * several inboxes' accepts does not wait for an inbox whose lock another transaction holds:
 * it commits the others.
 */
import { beforeAll, expect, it } from 'vitest';
import {
  adminClientForBlock,
  backendsWaitingOnALock,
  backendsWaitOnALock,
  holdAccountLock,
  holdInboxLock,
} from '../../helpers/postgres-locks';
import {
  describeWithPostgres,
  LANE_BATCH_LOCK,
  platformForBlock,
  sendUnseen,
  type TestCreator,
  type TestUser,
  until,
} from '../../helpers/server';

/** More than the platform's pool (10 connections): without the gate these alone exhaust it. */
const HOT_ACCEPTS = 14;

describeWithPostgres('a hot inbox does not hold the other inboxes back (PostgreSQL)', () => {
  const t = platformForBlock({ database: 'postgres' });
  const admin = adminClientForBlock();
  let hot: TestCreator;
  let quiet: TestCreator;
  let fan: TestUser;

  beforeAll(async () => {
    hot = await t.api.signUpCreator({ price: { minor: 2_500, currency: 'USD' } });
    quiet = await t.api.signUpCreator({ price: { minor: 1_000, currency: 'USD' } });
    fan = await t.api.signUpFan();
  });

  /**
   * Records the platform's transactions in order: `start n`, `lock n` (a lane batch's lock
   * statement sent: its messages locked in one statement, accept-batch.ts `lockInInbox`),
   * `end n`. `restore` puts the platform's own back.
   */
  const recordTransactions = () => {
    const db = t.platform.db;
    const { transaction } = db;
    const events: string[] = [];
    db.transaction = ((fn) => {
      const n = events.filter((e) => e.startsWith('start')).length + 1;
      events.push(`start ${n}`);
      return transaction
        .call(db, (sql) => {
          const send = sql.send.bind(sql);
          sql.send = ((text, params) => {
            if (LANE_BATCH_LOCK.test(text)) events.push(`lock ${n}`);
            return send(text, params);
          }) as typeof sql.send;
          return fn(sql);
        })
        .finally(() => events.push(`end ${n}`));
    }) as typeof db.transaction;
    const count = (kind: 'start' | 'lock') => events.filter((e) => e.startsWith(kind)).length;
    const restore = () => {
      db.transaction = transaction;
    };
    return { events, count, restore };
  };

  // Unseen: stored through another process, so this one learns each message's inbox only in
  // its accept's first round trip; a full lane then sends the request back to wait in line.
  it.each(['seen', 'unseen'] as const)(
    'accepts in a quiet inbox while the hot inbox is locked with more writers than connections (%s messages)',
    async (seen) => {
      const hotMessages = [];
      for (let i = 0; i < HOT_ACCEPTS; i++)
        hotMessages.push(
          seen === 'seen'
            ? await t.api.sendPaidMessage(fan, hot, `Hot ${i}`, { fund: true })
            : await sendUnseen(t, fan, hot, `Hot ${i}`),
        );
      const quietMessage = await t.api.sendPaidMessage(fan, quiet, 'Quiet one', { fund: true });

      const holder = await holdInboxLock(t.schema, hot.inboxId);
      try {
        const hotAccepts = hotMessages.map((m) => t.api.accept(hot, m.id));
        await backendsWaitOnALock(admin, t.schema);

        const quietAccept = t.api.accept(quiet, quietMessage.id);
        const heldBack = new Promise<'held back'>((resolve) => setTimeout(() => resolve('held back'), 15_000));
        const first = await Promise.race([quietAccept.then(() => 'accepted' as const), heldBack]);
        // The hot inbox's writers queue in the platform: only the gate's width wait in PostgreSQL.
        const waitingInPostgres = await backendsWaitingOnALock(admin, t.schema);

        await holder.query('COMMIT');
        const results = await Promise.all(hotAccepts);
        expect(first).toBe('accepted');
        expect((await quietAccept).status).toBe(200);
        expect(waitingInPostgres).toBeLessThanOrEqual(2);
        expect(results.map((r) => r.status)).toEqual(hotMessages.map(() => 200));
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
      }
      for (const m of hotMessages) expect(await t.api.messageStatus(fan, m.id)).toBe('accepted');
      await t.api.checkInvariants();
    },
  );

  it('commits the accepts that waited in the lane together: one transaction, not one each', async () => {
    const waiting = [];
    for (let i = 0; i < HOT_ACCEPTS; i++)
      waiting.push(await t.api.sendPaidMessage(fan, hot, `Batched ${i}`, { fund: true }));
    const holder = await holdInboxLock(t.schema, hot.inboxId);
    const recorded = recordTransactions();
    try {
      const [first, ...rest] = waiting;
      if (!first) throw new Error('no message');
      // The first holds a connection and waits on the lock; the next takes the lane's other
      // place and waits for the first's commit; the rest wait in the lane. None but the first holds a connection.
      const accepts = [t.api.accept(hot, first.id)];
      await backendsWaitOnALock(admin, t.schema, 1);
      accepts.push(...rest.map((m) => t.api.accept(hot, m.id)));
      while (t.platform.writesInLane(hot.inboxId) < HOT_ACCEPTS) await new Promise((r) => setTimeout(r, 10));
      const waitingInPostgres = await backendsWaitingOnALock(admin, t.schema);
      await holder.query('COMMIT');
      const results = await Promise.all(accepts);
      expect(results.map((r) => r.status)).toEqual(waiting.map(() => 200));
      // The one that waited on the lock, alone; then the other thirteen in one transaction
      // (before, the second also ran alone beside the first: three transactions).
      expect(waitingInPostgres).toBe(1);
      expect(recorded.count('lock')).toBe(1);
      expect(recorded.count('start')).toBe(2);
    } finally {
      recorded.restore();
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    for (const m of waiting) expect(await t.api.messageStatus(fan, m.id)).toBe('accepted');
    const { changes } = await t.api.changes(hot, hot.inboxId, 0, 500);
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual(seqs.map((_s, i) => i + 1));
    await t.api.checkInvariants();
  });

  it("starts a lane's next batch behind a lone accept in flight only once that accept has ended", async () => {
    // A refund takes the lane's first place and waits on the held lock; an accept takes
    // the second and waits behind it; four more accepts wait in the lane. When the refund
    // commits, its place goes to a turn that finds the four queued while the accept is
    // still in flight. A lone accept does not say when it has its locks (as a batch does,
    // for the next to read its sessions meanwhile: the test below); a second transaction
    // beside it could only wait on the inbox's lock (and split what queues into smaller
    // batches), so the turn waits for it to end.
    const refunded = await t.api.sendPaidMessage(fan, hot, 'Refunded first', { fund: true });
    const waiting = [];
    for (let i = 0; i < 5; i++) waiting.push(await t.api.sendPaidMessage(fan, hot, `One flight ${i}`, { fund: true }));
    const holder = await holdInboxLock(t.schema, hot.inboxId);
    const { events, count, restore } = recordTransactions();
    try {
      const [first, ...rest] = waiting;
      if (!first) throw new Error('no message');
      const refund = t.api.refund(hot, refunded.id);
      await backendsWaitOnALock(admin, t.schema, 1);
      const accepts = [t.api.accept(hot, first.id)];
      await backendsWaitOnALock(admin, t.schema, 2);
      accepts.push(...rest.map((m) => t.api.accept(hot, m.id)));
      while (t.platform.writesInLane(hot.inboxId) < 2 + rest.length) await new Promise((r) => setTimeout(r, 10));
      await holder.query('COMMIT');
      expect((await refund).status).toBe(200);
      expect((await Promise.all(accepts)).map((r) => r.status)).toEqual(waiting.map(() => 200));
      // The refund, the first accept, then the other four in one batch that began after it
      // (before: it began while the first accept was still in flight).
      expect(count('start')).toBe(3);
      expect(events.indexOf('end 2')).toBeLessThan(events.indexOf('start 3'));
    } finally {
      restore();
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    for (const m of waiting) expect(await t.api.messageStatus(fan, m.id)).toBe('accepted');
    expect(await t.api.messageStatus(fan, refunded.id)).toBe('refunded');
    await t.api.checkInvariants();
  });

  it("reads a lane's next batch's sessions while the batch in flight holds the lock, and locks once it ends", async () => {
    // More accepts than one batch takes (32) wait in the lane behind a held inbox lock. The
    // first runs alone; then a batch of 32 takes the lock, and the turn holding the rest
    // starts the next batch as soon as that one has its locks: its first round trip
    // (sessions and keys) overlaps the first batch's writes and commit, and it locks only
    // once that batch has ended. Before, the next batch began only after the first had
    // ended: its first round trip was one more wait between the inbox's commits.
    const count = 40;
    const waiting = [];
    for (let i = 0; i < count; i++)
      waiting.push(await t.api.sendPaidMessage(fan, hot, `Pipelined ${i}`, { fund: true }));
    const holder = await holdInboxLock(t.schema, hot.inboxId);
    const { events, restore } = recordTransactions();
    try {
      const accepts = waiting.map((m) => t.api.accept(hot, m.id));
      while (t.platform.writesInLane(hot.inboxId) < count) await new Promise((r) => setTimeout(r, 10));
      await holder.query('COMMIT');
      expect((await Promise.all(accepts)).map((r) => r.status)).toEqual(waiting.map(() => 200));
    } finally {
      restore();
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    const batches = events.filter((e) => e.startsWith('lock')).map((e) => e.slice(5));
    expect(batches).toHaveLength(2);
    const [first, next] = batches;
    // The next batch began while the first was still in flight (before: after it ended) …
    expect(events.indexOf(`start ${next}`)).toBeLessThan(events.indexOf(`end ${first}`));
    // … and asked for the inbox's lock only once the first had ended.
    expect(events.indexOf(`lock ${next}`)).toBeGreaterThan(events.indexOf(`end ${first}`));
    for (const m of waiting) expect(await t.api.messageStatus(fan, m.id)).toBe('accepted');
    const { changes } = await t.api.changes(hot, hot.inboxId, 0, 1_000);
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual(seqs.map((_s, i) => i + 1));
    await t.api.checkInvariants();
  });

  it("forms a lane's next batch while a follower of one accept holds the lock, as behind a batch", async () => {
    // Under load a lane's follower often finds one accept queued. On the one-request path
    // it did not say when it had its locks, so the turn after it waited for it to end: each
    // such follower broke the pipeline (counted in a two-worker load run, docs/scaling.md §2).
    // Two refunds fill the lane's two places on a held inbox lock; two accepts queue behind
    // them and go as one batch, which takes the inbox's lock and then waits on the creator's
    // held earnings account. One accept follows that batch; three more queue behind it.
    const opening = await t.api.sendPaidMessage(fan, hot, 'Opens the earnings account', { fund: true });
    expect((await t.api.accept(hot, opening.id)).status).toBe(200);
    const refunded = [];
    for (let i = 0; i < 2; i++) refunded.push(await t.api.sendPaidMessage(fan, hot, `Refund ${i}`, { fund: true }));
    const waiting = [];
    for (let i = 0; i < 6; i++) waiting.push(await t.api.sendPaidMessage(fan, hot, `Behind one ${i}`, { fund: true }));
    const [lead0, lead1, lone, ...next] = waiting;
    if (!lead0 || !lead1 || !lone) throw new Error('no message');
    const holder = await holdInboxLock(t.schema, hot.inboxId);
    const earnings = await holdAccountLock(t.schema, `creator:${hot.inboxId}:USD`);
    const { events, count, restore } = recordTransactions();
    const inLane = async (n: number) => {
      while (t.platform.writesInLane(hot.inboxId) !== n) await new Promise((r) => setTimeout(r, 10));
    };
    try {
      const refunds = [t.api.refund(hot, refunded[0]?.id ?? '')];
      await backendsWaitOnALock(admin, t.schema, 1);
      refunds.push(t.api.refund(hot, refunded[1]?.id ?? ''));
      await backendsWaitOnALock(admin, t.schema, 2);
      const accepts = [t.api.accept(hot, lead0.id), t.api.accept(hot, lead1.id)];
      await inLane(4);
      await holder.query('COMMIT');
      expect((await Promise.all(refunds)).map((r) => r.status)).toEqual([200, 200]);
      // Transactions 1 and 2 the refunds, 3 the batch of two: it has the inbox's lock and waits on the account.
      await backendsWaitOnALock(admin, t.schema, 1);
      accepts.push(t.api.accept(hot, lone.id));
      while (count('start') < 4) await new Promise((r) => setTimeout(r, 10));
      accepts.push(...next.map((m) => t.api.accept(hot, m.id)));
      await inLane(2 + next.length);
      await earnings.query('COMMIT');
      expect((await Promise.all(accepts)).map((r) => r.status)).toEqual(waiting.map(() => 200));
    } finally {
      restore();
      for (const client of [holder, earnings]) {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.end();
      }
    }
    // The three that queued behind the follower went as one batch (5), which began while the
    // follower (4) was still in flight (before: only once it had ended), and asked for the
    // inbox's lock once the follower had ended.
    expect(count('start')).toBe(5);
    expect(events.indexOf('start 5')).toBeLessThan(events.indexOf('end 4'));
    expect(events.indexOf('lock 5')).toBeGreaterThan(events.indexOf('end 4'));
    for (const m of waiting) expect(await t.api.messageStatus(fan, m.id)).toBe('accepted');
    const { changes } = await t.api.changes(hot, hot.inboxId, 0, 1_000);
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual(seqs.map((_s, i) => i + 1));
    await t.api.checkInvariants();
  });

  it('sends an unseen message of an inbox locked elsewhere to its lane, not through batches that skip it', async () => {
    const [busy, locked] = await Promise.all(
      [0, 1].map(() => t.api.signUpCreator({ price: { minor: 1_200, currency: 'USD' } })),
    );
    if (!busy || !locked) throw new Error('no inboxes');
    const busyMessages = [
      (await t.api.sendPaidMessage(fan, busy, 'Busy 1', { fund: true })).id,
      (await t.api.sendPaidMessage(fan, busy, 'Busy 2', { fund: true })).id,
    ];
    // Stored through another process: this one learns their inbox only by reading it.
    const unseen = [
      (await sendUnseen(t, fan, locked, 'Unseen 1')).id,
      (await sendUnseen(t, fan, locked, 'Unseen 2')).id,
    ];

    const db = t.platform.db;
    const { transaction } = db;
    let hold: Promise<void> = Promise.resolve();
    let release = () => {};
    const holdAll = () => {
      hold = new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    /** The messages each process batch tried to lock. */
    const batched: string[][] = [];
    db.transaction = (async (fn) => {
      await hold;
      return transaction.call(db, (sql) => {
        const send = sql.send.bind(sql);
        sql.send = ((text, params) => {
          if (/FOR UPDATE OF i, m SKIP LOCKED/.test(text)) batched.push(params?.[0] as string[]);
          return send(text, params);
        }) as typeof sql.send;
        return fn(sql);
      });
    }) as typeof db.transaction;
    const holder = await holdInboxLock(t.schema, locked.inboxId);
    try {
      // The process busy with one accept, the first unseen accept goes into its batch, which
      // skips the locked inbox (twice) and hands it to its lane, where it waits for the lock.
      holdAll();
      const accepts = [t.api.accept(busy, busyMessages[0] as string)];
      await until(() => t.platform.writesInLane(busy.inboxId) >= 1);
      accepts.push(t.api.accept(locked, unseen[0] as string));
      await until(() => t.platform.acceptsHeld() >= 1);
      release();
      await backendsWaitOnALock(admin, t.schema, 1);
      expect(batched.flat().filter((id) => id === unseen[0])).toHaveLength(2);

      // Busy again: the next unseen accept of that inbox is looked up first and waits in
      // its lane (behind the first), not in a batch that would skip it.
      holdAll();
      accepts.push(t.api.accept(busy, busyMessages[1] as string));
      await until(() => t.platform.writesInLane(busy.inboxId) >= 1);
      accepts.push(t.api.accept(locked, unseen[1] as string));
      await until(() => t.platform.writesInLane(locked.inboxId) >= 2 || t.platform.acceptsHeld() >= 1);
      release();
      expect((await accepts[2])?.status).toBe(200);
      // A batch holding it would have been released with the rest: give it time to lock.
      await new Promise((r) => setTimeout(r, 300));
      expect(batched.flat()).not.toContain(unseen[1]);
      expect(t.platform.writesInLane(locked.inboxId)).toBe(2);

      await holder.query('COMMIT');
      expect((await Promise.all(accepts)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    } finally {
      db.transaction = transaction;
      release();
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    await t.api.checkInvariants();
  });

  it("commits a batch's other inboxes while one of its inboxes is locked elsewhere", async () => {
    // Four inboxes: one whose accept is in flight first, the locked one, and two more.
    const [busy, locked, ...free] = await Promise.all(
      [0, 1, 2, 3].map(() => t.api.signUpCreator({ price: { minor: 1_500, currency: 'USD' } })),
    );
    if (!busy || !locked || free.length !== 2) throw new Error('no inboxes');
    const messageOf = async (creator: TestCreator) =>
      (await t.api.sendPaidMessage(fan, creator, `To ${creator.handle}`, { fund: true })).id;
    const busyMessage = await messageOf(busy);
    const lockedMessage = await messageOf(locked);
    const freeMessages = [await messageOf(free[0] as TestCreator), await messageOf(free[1] as TestCreator)];

    const db = t.platform.db;
    const { transaction } = db;
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Every transaction waits until the accepts are where this test puts them.
    db.transaction = (async (fn) => {
      await hold;
      return transaction.call(db, fn);
    }) as typeof db.transaction;
    const holder = await holdInboxLock(t.schema, locked.inboxId);
    try {
      // The process is busy with one accept; the locked inbox's accept starts the process's
      // batch beside it, and the two others wait for that batch: the next one takes all three.
      const busyAccept = t.api.accept(busy, busyMessage);
      await until(() => t.platform.writesInLane(busy.inboxId) >= 1);
      let lockedAnswered = false;
      const lockedAccept = t.api.accept(locked, lockedMessage).then((r) => {
        lockedAnswered = true;
        return r;
      });
      await until(() => t.platform.acceptsHeld() >= 1);
      const freeAccepts = free.map((creator, i) => t.api.accept(creator, freeMessages[i] as string));
      await until(() => t.platform.acceptsHeld() >= 3);
      release();

      const heldBack = new Promise<'held back'>((resolve) => setTimeout(() => resolve('held back'), 15_000));
      const first = await Promise.race([Promise.all(freeAccepts), heldBack]);
      expect(first).not.toBe('held back');
      expect((first as Array<{ status: number }>).map((r) => r.status)).toEqual([200, 200]);
      expect((await busyAccept).status).toBe(200);
      // The locked inbox's accept was handed back: it waits for the lock in its lane (one
      // connection waiting in PostgreSQL), not in the batch.
      await backendsWaitOnALock(admin, t.schema, 1);
      expect(lockedAnswered).toBe(false);
      expect(await backendsWaitingOnALock(admin, t.schema)).toBe(1);

      await holder.query('COMMIT');
      expect((await lockedAccept).status).toBe(200);
    } finally {
      db.transaction = transaction;
      release();
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    // The two free inboxes' captures committed in one transaction (xmin); before, one each.
    const captures = await db.query<{ message_id: string; tx: string }>(
      `SELECT message_id, xmin::text AS tx FROM ledger_transactions WHERE kind = 'capture' AND message_id = ANY($1::text[])`,
      [[busyMessage, lockedMessage, ...freeMessages]],
    );
    const txOf = new Map(captures.map((c) => [c.message_id, c.tx]));
    expect(captures).toHaveLength(4);
    expect(txOf.get(freeMessages[0] as string)).toBe(txOf.get(freeMessages[1] as string));
    expect(new Set(captures.map((c) => c.tx)).size).toBe(3);
    for (const creator of [busy, locked, ...free]) {
      const { changes } = await t.api.changes(creator, creator.inboxId, 0, 500);
      const seqs = changes.map((c) => c.seq);
      expect(seqs).toEqual(seqs.map((_s, i) => i + 1));
    }
    await t.api.checkInvariants();
  });
});
