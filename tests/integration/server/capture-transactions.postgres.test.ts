/**
 * The load run's count of accept transactions (tests/load/sharing.ts, #16), on the real
 * platform and PostgreSQL: a lone accept, which writes inside its request's savepoint, is one
 * transaction, not two. Counted by PostgreSQL's transaction ids, as until 2026-12-06, each
 * lone accept was two: its savepoint takes an id of its own.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeWithPostgres, platformForBlock, type TestCreator, type TestUser } from '../../helpers/server';
import { captureTransactions } from '../../load/sharing';

describeWithPostgres("the load run's count of accept transactions (PostgreSQL)", () => {
  const t = platformForBlock({ database: 'postgres' });
  let creator: TestCreator;
  let fan: TestUser;

  beforeAll(async () => {
    creator = await t.api.signUpCreator({ price: { minor: 700, currency: 'USD' } });
    fan = await t.api.signUpFan();
  });

  const paidMessages = async (count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await t.api.sendPaidMessage(fan, creator, `m${i}`, { fund: true })).id);
    return ids;
  };

  it('counts a lone accept once', async () => {
    const [id] = await paidMessages(1);
    if (!id) throw new Error('no message');
    expect((await t.api.accept(creator, id)).status).toBe(200);
    expect(await captureTransactions(t.platform.db, [id])).toBe(1);
  });

  it('counts accepts made one after another once each, and a refused one not at all', async () => {
    const ids = await paidMessages(3);
    const statuses: number[] = [];
    for (const id of ids) statuses.push((await t.api.accept(creator, id)).status);
    // Decided already: refused, and nothing of it committed.
    statuses.push((await t.api.accept(creator, ids[0] ?? '')).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses[3]).not.toBe(200);
    expect(await captureTransactions(t.platform.db, ids)).toBe(3);
  });
});
