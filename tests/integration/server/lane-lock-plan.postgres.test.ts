/**
 * A lane's batch locks its own messages, found by their ids, however big its inbox has
 * grown since PostgreSQL last analysed `messages` (#16).
 *
 * Found under `npm run load` (auto_explain on the load run's cluster): with two workers the
 * hot inbox's lane batches locked their messages through the index on the inbox, filtering
 * every message of the inbox by id, about 2,300 index entries read per accept. The plan was
 * made for the call's own inbox id, and the statistics, taken before the inbox's spike,
 * said that inbox held a row or so. A celebrity's inbox is exactly the one that grows
 * faster than the statistics follow.
 */
import { expect, it } from 'vitest';
import { openPg } from '../../../server/db/pg';
import { seedBulk } from '../../../server/demo/bulk';
import { acceptTogether, type QueuedAccept } from '../../../server/http/accept-batch';
import { requestHash } from '../../../server/http/idempotency';
import { authenticate } from '../../../server/services/accounts';
import { createServices } from '../../../server/services/context';
import { sendMessage } from '../../../server/services/messages';
import { describeWithPostgres, platformForBlock, testDatabaseUrl } from '../../helpers/server';

/**
 * What this transaction has read of `messages` so far (PostgreSQL's own counters): index
 * entries returned by any of its indexes (a bitmap scan's too, which fetches no row until
 * the heap scan) and rows read by sequential scans.
 */
const READ_SO_FAR = `SELECT (SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(x.indexrelid)), 0)
    FROM pg_index x WHERE x.indrelid = 'messages'::regclass)
  + pg_stat_get_xact_tuples_returned('messages'::regclass) AS n`;

const SMALL_INBOXES = 20;
const SMALL_INBOX_MESSAGES = 40;
/** The spike: the big inbox's messages, all sent after the statistics were taken. */
const SPIKE = 1_500;
const BATCH = 12;

describeWithPostgres("a lane's batch locks its messages by id, however big its inbox grew (PostgreSQL)", () => {
  const t = platformForBlock({ database: 'postgres' });

  it("reads the batch's messages, not the whole inbox, when the inbox grew after the statistics were taken", async () => {
    const big = await t.api.signUpCreator({ price: { minor: 1_000, currency: 'USD' } });
    const fan = await t.api.signUpFan();
    // The platform before the spike: small inboxes, the big one still empty, analysed.
    for (let i = 0; i < SMALL_INBOXES; i++)
      await seedBulk(t.platform, { messages: SMALL_INBOX_MESSAGES, fans: 5, pendingShare: 1 });
    await t.platform.db.exec('ANALYZE messages');
    // Kept as they are for the test: autovacuum would analyse again once enough rows came in.
    await t.platform.db.exec('ALTER TABLE messages SET (autovacuum_enabled = false)');

    await t.api.topUp(fan, { minor: 1_000 * SPIKE, currency: 'USD' });
    const terms = await t.api.terms(big.handle);
    const ids: string[] = [];
    for (let i = 0; i < SPIKE; i++)
      ids.push(
        await t.platform.services.transact(async (tx) => {
          const actor = await authenticate(tx, fan.token);
          if (!actor) throw new Error('the fan has no session');
          return (await sendMessage(tx, actor, big.handle, { body: `Spike ${i}`, ...terms })).id;
        }),
      );

    // A connection of its own, so the counters are this batch's alone.
    const db = await openPg(testDatabaseUrl() ?? '', { schema: t.schema ?? '', max: 1 });
    try {
      const services = createServices(db, { now: () => t.clock.now() }, 1_000);
      const refuse = () => Promise.reject(new Error('a request of this batch was sent to run alone'));
      const batch = (messageIds: string[], round: number): QueuedAccept[] =>
        messageIds.map((messageId, i) => ({
          token: big.token,
          key: `lane-plan-${round}-${i}`,
          hash: requestHash('accept', { messageId }, {}),
          messageId,
          body: {},
          alone: refuse,
          unseen: refuse,
        }));
      // Several batches on one connection: PostgreSQL may settle on one plan after five.
      for (let round = 0; round < 7; round++) {
        const taken = ids.slice(round * BATCH, (round + 1) * BATCH);
        const { outcomes, read } = await services.transact(async (tx) => {
          const before = Number((await tx.sql.query<{ n: string }>(READ_SO_FAR))[0]?.n);
          const outcomes = await acceptTogether(tx, batch(taken, round), big.inboxId);
          const read = Number((await tx.sql.query<{ n: string }>(READ_SO_FAR))[0]?.n) - before;
          return { outcomes, read };
        });
        expect(outcomes.map((o) => (typeof o === 'object' && 'answer' in o ? o.answer.status : o))).toEqual(
          taken.map(() => 200),
        );
        // Each message found by id to lock it, then to update it: not the inbox's 1,500.
        expect(read).toBeLessThanOrEqual(3 * BATCH);
      }
    } finally {
      await db.close();
    }
    const statuses = await t.platform.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM messages WHERE inbox_id = $1 GROUP BY status ORDER BY status',
      [big.inboxId],
    );
    expect(statuses).toEqual([
      { status: 'accepted', n: 7 * BATCH },
      { status: 'pending', n: SPIKE - 7 * BATCH },
    ]);
    await t.api.checkInvariants();
  });
});
