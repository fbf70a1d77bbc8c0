import { join } from 'node:path';
import { AccountStore } from '../../electron/core/store/account-store';
import { auditPage } from '../../electron/core/team/audit';
import { inboxOverview } from '../../electron/core/team/inboxes';
import { purgeInbox } from '../../electron/core/team/purge';
import type { Account } from '../../shared/contract';
import { type Bench, nowMs, percentile } from './harness';

const INBOXES = 20;
const HOUR = 3_600_000;

/**
 * Many inboxes and the audit log, from the local store: the sidebar's per-inbox figures
 * must stay instant however large the account, an audit page must not scan the log, and
 * forgetting a revoked inbox is timed for the record.
 */
export const bench: Bench = {
  name: 'team',
  async run(ctx) {
    const messages = ctx.quick ? 100_000 : 500_000;
    const auditRows = ctx.quick ? 50_000 : 200_000;
    const store = new AccountStore(join(ctx.tmpDir, 'team.sqlite'));
    const now = Date.UTC(2026, 0, 5, 12);
    const { db } = store;
    const insert = db.prepare(
      `INSERT INTO messages (id, inbox_id, fan_id, fan_name, body, currency, price_minor, fee_bps, fee_minor, net_minor,
         status, paid_at, deadline, seq) VALUES (?, ?, ?, ?, ?, ?, ?, 1000, ?, ?, ?, ?, ?, ?)`,
    );
    let t0 = nowMs();
    store.write(() => {
      for (let i = 0; i < messages; i++) {
        const price = 500 + (i % 5_000);
        const fee = Math.floor((price * 1000 + 5000) / 10000);
        const status = i % 4 === 0 ? 'accepted' : 'pending';
        const paidAt = now - (i % 200) * HOUR;
        insert.run(
          `m${i}`,
          `inbox-${i % INBOXES}`,
          `fan-${i % 5000}`,
          'Fan',
          'Hello there',
          i % 7 === 0 ? 'EUR' : 'USD',
          price,
          fee,
          price - fee,
          status,
          paidAt,
          paidAt + 72 * HOUR,
          i + 1,
        );
      }
      const audit = db.prepare(
        `INSERT INTO audit (id, inbox_id, actor_id, actor_name, device_name, action, subject_id, details, at, seq)
         VALUES (?, 'inbox-0', ?, 'Someone', 'Laptop', ?, NULL, '{}', ?, ?)`,
      );
      const actions = ['message.accept', 'message.refund', 'message.reply', 'settings.update', 'team.permissions'];
      for (let i = 0; i < auditRows; i++)
        audit.run(`a${i}`, `u${i % 8}`, actions[i % actions.length], now - i * 1000, i + 1);
    });
    ctx.log(
      `seeded ${messages} messages in ${INBOXES} inboxes and ${auditRows} audit entries in ${Math.round(nowMs() - t0)} ms`,
    );

    const account: Account = {
      id: 'a',
      platformUrl: 'http://127.0.0.1',
      email: 'm@example.test',
      displayName: 'Manager',
      userId: 'u1',
      kind: 'fan',
      demo: false,
      inboxes: Array.from({ length: INBOXES }, (_, i) => ({
        inboxId: `inbox-${i}`,
        handle: `h${i}`,
        creatorName: `Creator ${i}`,
        role: 'manager' as const,
        permissions: ['accept' as const],
      })),
    };
    const overview: number[] = [];
    for (let i = 0; i < 15; i++) {
      t0 = nowMs();
      const list = inboxOverview(db, account, now);
      overview.push(nowMs() - t0);
      if (list.length !== INBOXES) throw new Error('overview lost an inbox');
    }
    ctx.record({
      name: `team.inboxOverview.${INBOXES}x${messages / 1000}k.p50`,
      value: percentile(overview, 50),
      unit: 'ms',
      target: { op: '<', value: ctx.quick ? 100 : 400 },
      notes: 'pending count, held and at-risk per inbox for the sidebar, one grouped query',
    });

    const pages: number[] = [];
    for (let i = 0; i < 20; i++) {
      t0 = nowMs();
      auditPage(db, { accountId: 'a', inboxId: 'inbox-0', category: 'settings', cursor: null, limit: 100 });
      pages.push(nowMs() - t0);
    }
    ctx.record({
      name: `team.auditPage.filtered.${auditRows / 1000}k.p50`,
      value: percentile(pages, 50),
      unit: 'ms',
      target: { op: '<', value: 200 },
    });

    t0 = nowMs();
    const removed = store.write(() => purgeInbox(db, 'inbox-3'));
    ctx.record({
      name: `team.purgeInbox.${Math.round(removed / 1000)}k`,
      value: nowMs() - t0,
      unit: 'ms',
      notes: 'revoked access: messages, index entries and inbox-keyed rows of one inbox',
    });
    store.close();
  },
};
