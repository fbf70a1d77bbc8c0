/**
 * A read of the feed waits on the database as few times as its statements allow (#16):
 * under the load test's feed reads, each round trip to PostgreSQL cost the platform more
 * CPU than the statement's own work. The member check and the feed head go together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Trips, tripReport, whileCounting } from '../../helpers/round-trips';
import { startTestPlatform, type TestPlatform, testDatabaseUrl } from '../../helpers/server';

const databases = testDatabaseUrl() ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

/** The one transaction's round trips, and a report to read when an expectation fails. */
function oneTransaction(trips: Trips): { read: string[][]; report: string } {
  expect(trips.single).toEqual([]);
  expect(trips.transactions).toHaveLength(1);
  const [read = []] = trips.transactions;
  return { read, report: tripReport(read) };
}

/** The round trip that carried the member check also carried the head. */
function memberAndHeadTogether(read: string[][]): boolean {
  const trip = read.find((statements) => statements.some((s) => /FROM members WHERE inbox_id/.test(s)));
  return trip?.some((s) => /^SELECT feed_head FROM inboxes/.test(s)) ?? false;
}

for (const database of databases) {
  describe(`a feed read's round trips to the database (${database})`, () => {
    let t: TestPlatform;
    beforeAll(async () => {
      t = await startTestPlatform({ database });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('reads a page in 4 round trips: session, member check with the head, the page, COMMIT', async () => {
      const owner = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      const message = await t.api.sendPaidMessage(fan, owner, 'Read me', { fund: true });

      const { value: page, trips } = await whileCounting(t.platform.db, () =>
        t.api.changes(owner, owner.inboxId, 0, 100),
      );
      const { read, report } = oneTransaction(trips);
      expect(memberAndHeadTogether(read), report).toBe(true);
      expect(read.length, report).toBeLessThanOrEqual(4);
      // And the page is what it was: bounded by the head it was read with.
      expect(page.changes.some((c) => c.kind === 'message' && c.data.id === message.id)).toBe(true);
      expect(page.headSeq).toBe(page.changes.at(-1)?.seq);
      expect(page).toMatchObject({ hasMore: false, nextAfter: page.headSeq });
    });

    it('tells a non-member only that there is no such inbox, though the head was read beside the check', async () => {
      const owner = await t.api.signUpCreator();
      const stranger = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      await t.api.sendPaidMessage(fan, owner, 'Not yours', { fund: true });

      const { value: answer, trips } = await whileCounting(t.platform.db, () =>
        t.api.call('changes', { token: stranger.token, params: { inboxId: owner.inboxId }, query: { after: 0 } }),
      );
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: 'not_found' } });
      expect(JSON.stringify(answer.body)).not.toMatch(/headSeq|feed_head/);
      expect(memberAndHeadTogether(oneTransaction(trips).read)).toBe(true);
    });

    it('opens a snapshot with the member check and the head in one round trip', async () => {
      const owner = await t.api.signUpCreator();
      const fan = await t.api.signUpFan();
      await t.api.sendPaidMessage(fan, owner, 'In the snapshot', { fund: true });
      const { headSeq: head } = await t.api.changes(owner, owner.inboxId, 0, 100);

      const { value: lines, trips } = await whileCounting(t.platform.db, () => t.api.snapshot(owner, owner.inboxId));
      expect(lines[0]).toMatchObject({ snapshot: 'begin', at: head });
      const opening = trips.transactions.find((read) => read.flat().some((s) => /FROM members WHERE inbox_id/.test(s)));
      expect(opening && memberAndHeadTogether(opening)).toBe(true);
    });
  });
}
