/**
 * Two server processes on one PostgreSQL database (two platforms in this process, each
 * with its own pool, HTTP server, expiry job and LISTEN connection): the expiry job runs
 * in both at once without refunding twice, and a change written through one reaches SSE
 * subscribers of the other.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HOUR_MS } from '../../../shared/message';
import { describeWithPostgres, startTestPlatform, type TestPlatform } from '../../helpers/server';

describeWithPostgres('two platform processes on one PostgreSQL', () => {
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
    const creator = await a.api.signUpCreator();
    const fan = await a.api.signUpFan();
    await a.api.topUp(fan, { minor: 100_000, currency: 'USD' });
    for (let i = 0; i < 12; i++) await a.api.sendPaidMessage(fan, creator, `m${i}`);
    a.clock.advance(73 * HOUR_MS);
    b.clock.advance(73 * HOUR_MS);
    const [fromA, fromB] = await Promise.all([a.api.expireDue(), b.api.expireDue()]);
    expect(fromA + fromB).toBe(12);
    expect((await a.api.ok('wallet', { token: fan.token })).balances).toEqual([{ minor: 100_000, currency: 'USD' }]);
    await a.api.checkInvariants();
  });

  it("tells one process's SSE subscribers about changes written through the other", async () => {
    const creator = await a.api.signUpCreator();
    const fan = await a.api.signUpFan();
    await a.api.topUp(fan, { minor: 10_000, currency: 'USD' });
    const controller = new AbortController();
    const response = await fetch(new URL(`/v1/inboxes/${creator.inboxId}/events`, b.url), {
      headers: { authorization: `Bearer ${creator.token}` },
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no stream');
    const decoder = new TextDecoder();
    let text = '';
    const waitFor = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
      }
    };
    await waitFor(/id: \d+/);
    await a.api.sendPaidMessage(fan, creator, 'through A');
    const head = (await a.api.changes(creator, creator.inboxId)).headSeq;
    await waitFor(new RegExp(`id: ${head}\\n`));
    controller.abort();
  });
});
