import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_KEY_TTL_MS } from '../../../shared/protocol';
import { startCore } from '../../fixtures/core/core';
import { NetworkProxy, waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast } from '../../helpers/server';

/**
 * The platform keeps an idempotency key for a day. A note whose first send reached the
 * platform but whose answer was lost, retried after that day, would be a new request: the
 * note stored twice (a reply would reach the fan twice). Past the key's lifetime the core
 * does not send such an action blindly again; it says so and keeps the text.
 */
let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast({}, { creator: 'Replay Creator', fan: 'Replay Fan' }));
});
afterAll(() => closeSoon(platform), 20_000);

describe('an action retried after the platform forgot its key', () => {
  it('is not applied twice: the core keeps it out of a second send and says so, with its text', async () => {
    const message = await platform.api.sendPaidMessage(fan, creator, 'Did my note arrive?');
    const proxy = await NetworkProxy.start(platform.url);
    // Retries wait a minute: the only sends are the first and the one the person asks for, so
    // no retry is on its way to the platform while the test jumps a day ahead (one that was
    // would meet the forgotten key in a world where a day passed during its flight).
    const h = await startCore({ clock: clockOf(platform), sync: { backoff: { baseMs: 60_000, maxMs: 60_000 } } });
    try {
      const { id: accountId } = await h.signIn(proxy.url, creator);
      await h.untilPending(accountId, message.id, 60_000);
      const notesOnPlatform = async () =>
        (await platform.api.feed(creator, creator.inboxId)).filter(
          (c) => c.kind === 'note' && c.data.messageId === message.id,
        ).length;

      proxy.setAnswers(false);
      await h.call('actions.submit', {
        accountId,
        messageId: message.id,
        action: { kind: 'note', body: 'Call her agent first' },
      });
      await waitFor(async () => (await notesOnPlatform()) === 1, 'the note reached the platform', 60_000);
      expect(await h.call('outbox.list', { accountId })).toHaveLength(1);

      // A day and more passes with the device unable to hear back; the platform forgets the key.
      proxy.setOnline(false);
      platform.clock.advance(IDEMPOTENCY_KEY_TTL_MS + 3_600_000);
      expect(await platform.platform.pruneIdempotencyKeys()).toBeGreaterThan(0);
      proxy.setAnswers(true);
      proxy.setOnline(true);
      await h.call('sync.retry', { accountId });

      await waitFor(async () => (await h.call('outbox.list', { accountId })).length === 0, 'outbox settled', 60_000);
      expect(await notesOnPlatform()).toBe(1);
      const notice = (await h.call('notices.list', { accountId })).find((n) => n.code === 'unconfirmed');
      expect(notice?.messageId).toBe(message.id);
      expect(notice?.params).toMatchObject({ action: 'note', body: 'Call her agent first' });
    } finally {
      await h.close();
      await proxy.close();
    }
  });
});
