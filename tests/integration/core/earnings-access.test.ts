import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountDatabasePath } from '../../../electron/core/store/app-store';
import type { Permission } from '../../../shared/protocol';
import { startCore } from '../../fixtures/core/core';
import { waitFor } from '../../fixtures/core/proxy';
import { clockOf, closeSoon, startCast, type TestCast } from '../../helpers/server';

let { platform, creator, fan } = {} as TestCast;
beforeAll(async () => {
  ({ platform, creator, fan } = await startCast());
});
afterAll(() => closeSoon(platform), 20_000);

const TRIAGE: Permission[] = ['accept', 'reply', 'refund'];

/**
 * Issue 12: a manager without view_earnings is sent no fee split and no ledger. When the
 * owner grants it later, the device fetches what it lacks at once (not each message's next
 * feed entry); when the owner takes it back, the device drops the money it holds.
 */
describe('view_earnings granted later, and taken back', () => {
  it('back-fills fee, net and the ledger when granted, drops them when revoked, and back-fills again', async () => {
    const manager = await platform.api.signUpManager(creator, TRIAGE);
    const accepted = await platform.api.sendPaidMessage(fan, creator, 'Granted later: accepted');
    const pending = await platform.api.sendPaidMessage(fan, creator, 'Granted later: pending');
    expect((await platform.api.accept(creator, accepted.id)).status).toBe(200);
    const ids = [accepted.id, pending.id];
    const setPermissions = (permissions: Permission[]) =>
      platform.api.ok('setPermissions', {
        token: creator.token,
        params: { inboxId: creator.inboxId, userId: manager.id },
        body: { permissions },
      });

    const h = await startCore({ clock: clockOf(platform) });
    try {
      const { id: accountId } = await h.signIn(platform.url, manager);
      const inboxId = creator.inboxId;
      const feeOf = async (messageId: string) => (await h.call('message.thread', { accountId, messageId })).message;
      const summary = () =>
        h.call('earnings.summary', { accountId, inboxId, period: { kind: '30d' }, timeZone: 'UTC' });
      const local = () => {
        const db = new Database(accountDatabasePath(h.dataDir, accountId), { readonly: true });
        try {
          return {
            ledger: db.prepare('SELECT count(*) FROM ledger_events WHERE inbox_id = ?').pluck().get(inboxId),
            folded: db.prepare('SELECT count(*) FROM earnings_messages WHERE inbox_id = ?').pluck().get(inboxId),
          };
        } finally {
          db.close();
        }
      };
      await waitFor(async () => {
        const thread = await feeOf(accepted.id).catch(() => null);
        return thread?.status === 'accepted';
      }, 'bootstrap');
      for (const id of ids) expect(await feeOf(id)).toMatchObject({ fee: null, net: null });
      expect(local()).toEqual({ ledger: 0, folded: 0 });
      await expect(summary()).rejects.toMatchObject({ code: 'forbidden' });

      const expectMoney = async () => {
        // Nothing new happens to these messages: only the grant can bring their split.
        const split = new Map<string, { fee: number; net: number; price: number }>();
        for (const id of ids) {
          await waitFor(async () => (await feeOf(id)).fee !== null, `the fee split of ${id}`);
          const m = await feeOf(id);
          const fee = m.fee?.minor ?? -1;
          const net = m.net?.minor ?? -1;
          // The platform's 10 % fee, and the split adds up to the price the fan paid.
          expect(fee).toBe(Math.round(m.price.minor / 10));
          expect(fee + net).toBe(m.price.minor);
          split.set(id, { fee, net, price: m.price.minor });
        }
        const capture = split.get(accepted.id);
        const held = split.get(pending.id);
        const usd = await waitFor(async () => {
          const found = (await summary().catch(() => null))?.currencies.find((c) => c.currency === 'USD');
          return found && found.accepted.count === 1 ? found : null;
        }, 'earnings from the back-filled ledger');
        expect(usd.accepted).toMatchObject({ count: 1, net: { minor: capture?.net }, fee: { minor: capture?.fee } });
        expect(usd.held).toMatchObject({ count: 1, amount: { minor: held?.price } });
        expect(usd.available).toMatchObject({ minor: capture?.net });
      };

      await setPermissions([...TRIAGE, 'view_earnings']);
      await expectMoney();
      const granted = local();
      expect(granted.ledger).toBeGreaterThan(0);

      await setPermissions(TRIAGE);
      for (const id of ids) await waitFor(async () => (await feeOf(id)).fee === null, `${id}'s fee dropped`);
      for (const id of ids) expect(await feeOf(id)).toMatchObject({ fee: null, net: null });
      await waitFor(() => local().ledger === 0 && local().folded === 0, 'the ledger and its figures dropped');
      await expect(summary()).rejects.toMatchObject({ code: 'forbidden' });

      // Granted again: the same figures, each entry folded once (rowids freed and reused).
      await setPermissions([...TRIAGE, 'view_earnings']);
      await expectMoney();
      expect(local()).toEqual(granted);
    } finally {
      await h.close();
    }
  });
});
