import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../helpers/server';

describe('platform smoke', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs a paid message from payment to accept with reply and shows it on the feed', async () => {
    const creator = await t.api.signUpCreator({ price: { minor: 2500, currency: 'USD' } });
    const fan = await t.api.signUpFan();
    const message = await t.api.sendPaidMessage(fan, creator, 'مرحبا! hello', { fund: true });
    expect(message.status).toBe('pending');
    expect(message.fee).toEqual({ minor: 250, currency: 'USD' });
    const accepted = await t.api.accept(creator, message.id, 'Thanks!');
    expect(accepted.status).toBe(200);
    const page = await t.api.changes(creator, creator.inboxId);
    expect(page.changes.map((c) => c.kind)).toContain('reply');
    await t.api.checkInvariants();
  });
});
