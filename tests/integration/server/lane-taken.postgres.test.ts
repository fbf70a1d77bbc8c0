/**
 * A write of a message this process has not seen learns the message's inbox in its first
 * round trip (server/http/app.ts). When that inbox's lane in the gate is full, the attempt
 * is stopped there (`LaneTaken`): its transaction rolls back, giving up its connection and
 * its idempotency key's lock, and the request waits in the lane like one whose inbox was
 * known, then runs once. On a real PostgreSQL server, with the inbox's lock held from
 * outside so the lane stays full for as long as the test needs.
 */
import { beforeAll, expect, it } from 'vitest';
import { INBOX_GATE_WIDTH } from '../../../server/http/app';
import {
  adminClientForBlock,
  backendsIdleInTransaction,
  backendsWaitingOnALock,
  backendsWaitOnALock,
  holdInboxLock,
} from '../../helpers/postgres-locks';
import {
  describeWithPostgres,
  platformForBlock,
  sendUnseen,
  type TestCreator,
  type TestUser,
  until,
} from '../../helpers/server';

describeWithPostgres('a write whose inbox lane is full waits in the lane (PostgreSQL)', () => {
  const t = platformForBlock({ database: 'postgres' });
  const admin = adminClientForBlock();
  let creator: TestCreator;
  let fan: TestUser;

  beforeAll(async () => {
    creator = await t.api.signUpCreator({ price: { minor: 1_500, currency: 'USD' } });
    fan = await t.api.signUpFan();
  });

  it('rolls the stopped attempt back, queues the request, and refunds the message once', async () => {
    // Seen: sent through this process's routes, so their writes enter the lane before any work.
    const filling = [];
    for (let i = 0; i < INBOX_GATE_WIDTH; i++)
      filling.push(await t.api.sendPaidMessage(fan, creator, `Fills the lane ${i}`, { fund: true }));
    const unseen = await sendUnseen(t, fan, creator, 'Refunded after waiting in the lane');
    const key = `lane-taken-${unseen.id}`;

    // The unseen refund's transaction is held before it starts, so the lane can fill between
    // the request's look at the gate (room: no lookup first) and its first round trip.
    const db = t.platform.db;
    const { transaction } = db;
    let armed = false;
    let entered = () => {};
    const held = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release = () => {};
    const hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    db.transaction = (async (fn) => {
      if (armed) {
        armed = false;
        entered();
        await hold;
      }
      return transaction.call(db, fn);
    }) as typeof db.transaction;

    const holder = await holdInboxLock(t.schema, creator.inboxId);
    try {
      const fillers = [t.api.refund(creator, filling[0]?.id as string)];
      await backendsWaitOnALock(admin, t.schema, 1);
      armed = true;
      const refund = t.api.refund(creator, unseen.id, 'cannot_answer', key);
      await held;
      for (const m of filling.slice(1)) fillers.push(t.api.refund(creator, m.id));
      await backendsWaitOnALock(admin, t.schema, INBOX_GATE_WIDTH);
      release();

      // It waits in the lane: counted there beside the writers that hold it.
      await until(() => t.platform.writesInLane(creator.inboxId) === INBOX_GATE_WIDTH + 1);
      expect(t.platform.writesInLane(creator.inboxId)).toBe(INBOX_GATE_WIDTH + 1);
      // Its attempt let go of its connection's transaction: only the holder is idle in one,
      // and only the lane's writers wait on the inbox's lock.
      expect(await backendsIdleInTransaction(admin, t.schema)).toBe(1);
      expect(await backendsWaitingOnALock(admin, t.schema)).toBe(INBOX_GATE_WIDTH);

      await holder.query('COMMIT');
      expect((await Promise.all(fillers)).map((r) => r.status)).toEqual(filling.map(() => 200));
      const answered = await refund;
      expect(answered.status).toBe(200);
      expect(answered.headers.get('idempotent-replayed')).toBeNull();

      // The same key again: the stored answer, not a second refund.
      const again = await t.api.refund(creator, unseen.id, 'cannot_answer', key);
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
    } finally {
      db.transaction = transaction;
      release();
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    const ledger = await t.platform.db.query<{ kind: string }>(
      'SELECT kind FROM ledger_transactions WHERE message_id = $1 ORDER BY at',
      [unseen.id],
    );
    expect(ledger.map((r) => r.kind)).toEqual(['hold', 'refund']);
    expect(await t.api.messageStatus(fan, unseen.id)).toBe('refunded');
    expect(t.platform.writesInLane(creator.inboxId)).toBe(0);
    await t.api.checkInvariants();
  });
});
