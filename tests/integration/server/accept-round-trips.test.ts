/**
 * An accept waits on the database a few times, not once per statement (#16): each wait is
 * a network round trip on PostgreSQL, and those made while the inbox's row lock is held
 * are time every other writer of that inbox stands still. Round trips are counted on the
 * platform's own database object: a statement sent while another is still unanswered
 * travels in the same round trip (the driver pipelines them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tripReport, whileCounting } from '../../helpers/round-trips';
import { sendUnseen, startTestPlatform, type TestPlatform, testDatabaseUrl } from '../../helpers/server';

const databases = testDatabaseUrl() ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

for (const database of databases) {
  describe(`an accept's round trips to the database (${database})`, () => {
    let t: TestPlatform;
    beforeAll(async () => {
      t = await startTestPlatform({ database });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('takes at most 3 round trips, at most 2 of them while the inbox is locked', async () => {
      const owner = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      // Two messages: the first accept also creates the creator's balance account, in the
      // same statement that credits it (it used to cost two more round trips).
      const first = await t.api.sendPaidMessage(fan, owner, 'First', { fund: true });
      const message = await t.api.sendPaidMessage(fan, owner, 'Counted', { fund: true });

      for (const accepted of [first, message]) {
        const { trips } = await whileCounting(t.platform.db, () => t.api.accept(owner, accepted.id));
        // One transaction; the message's inbox is known to this process (it stored the message).
        expect(trips.single).toEqual([]);
        expect(trips.transactions).toHaveLength(1);
        const [accept = []] = trips.transactions;
        const report = tripReport(accept);
        const locked = accept.findIndex((statements) => statements.some((s) => /FROM inboxes .*FOR UPDATE/.test(s)));
        // The session read takes the idempotency key's lock and the key is read in the same
        // round trip: the first round trip ends before the inbox is locked.
        expect(locked, report).toBe(1);
        // Then the locks, and everything else with COMMIT: the balances move in the ledger's
        // statement, not in a round trip of their own.
        expect(accept.length, report).toBeLessThanOrEqual(3);
        expect(accept.length - locked, report).toBeLessThanOrEqual(2);
        expect(accept.at(-1)?.at(-1), report).toBe('COMMIT');

        // The key's row is written once, with the answer (was: claimed, then updated).
        const keyWrites = accept.flat().filter((s) => /^(INSERT INTO|UPDATE) idempotency_keys/.test(s));
        expect(keyWrites, report).toHaveLength(1);
      }

      // And the accept did everything it did before: money captured, feed and key written.
      const ledger = await t.platform.db.query<{ kind: string }>(
        'SELECT kind FROM ledger_transactions WHERE message_id = $1 ORDER BY at',
        [message.id],
      );
      expect(ledger.map((r) => r.kind)).toEqual(['hold', 'capture']);
      const { changes } = await t.api.changes(owner, owner.inboxId, 0, 500);
      expect(
        changes.some((c) => c.kind === 'message' && c.data.id === message.id && c.data.status === 'accepted'),
      ).toBe(true);
      await t.api.checkInvariants();
    });

    it('reads the inbox of a message this process has not seen in the first round trip, not one more', async () => {
      const owner = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      await t.api.accept(owner, (await t.api.sendPaidMessage(fan, owner, 'First', { fund: true })).id);
      const message = await sendUnseen(t, fan, owner);

      const { value: answer, trips } = await whileCounting(t.platform.db, () => t.api.accept(owner, message.id));
      expect(answer.status).toBe(200);
      // No lookup of its own before the transaction (it used to be one more round trip).
      expect(trips.single).toEqual([]);
      expect(trips.transactions).toHaveLength(1);
      const [accept = []] = trips.transactions;
      const report = tripReport(accept);
      expect(
        accept[0]?.some((s) => /^SELECT inbox_id FROM messages/.test(s)),
        report,
      ).toBe(true);
      expect(accept.length, report).toBeLessThanOrEqual(3);
      await t.api.checkInvariants();
    });

    it('refuses a payment its wallet cannot cover as before: the first attempt fails whole, a second checks first', async () => {
      const owner = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      const { value: refused, trips } = await whileCounting(t.platform.db, () =>
        t.api.send(fan, owner, 'No money yet', { idempotencyKey: 'short-wallet-1' }),
      );
      expect(refused.status).toBe(402);
      expect(refused.body).toMatchObject({ error: { code: 'insufficient_funds' } });
      // The attempt that moved balances in the ledger's statement failed as a whole; the
      // second waited for the balances and refused before writing anything.
      // Three transactions: the terms read (publicProfile), then the send's two attempts.
      expect(trips.transactions).toHaveLength(3);
      const [first = [], second = []] = trips.transactions.slice(1).map((trip) => trip.flat());
      expect(first.some((s) => /INSERT INTO ledger_transactions/.test(s))).toBe(true);
      expect(second.some((s) => /^UPDATE accounts a SET balance/.test(s))).toBe(true);
      expect(second.some((s) => /INSERT INTO ledger_transactions/.test(s))).toBe(false);

      // The refusal is the key's answer; nothing was written, and a replay gives it again.
      const again = await t.api.send(fan, owner, 'No money yet', { idempotencyKey: 'short-wallet-1' });
      expect(again).toMatchObject({ status: 402, body: refused.body });
      const stored = await t.platform.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM messages WHERE inbox_id = $1',
        [owner.inboxId],
      );
      expect(stored[0]?.n).toBe(0);
      await t.api.checkInvariants();
    });
  });
}
