import type { AccountSession } from '../services/account-session';
import { createEarningsHandlers, type EarningsHandlers } from './service';

export { exportFileName, writeEarningsCsv } from './export';
/**
 * Folds newly synced ledger entries into the earnings cache. The core may call it after a
 * bootstrap (zone: `Intl.DateTimeFormat().resolvedOptions().timeZone`) so the first visit
 * to the earnings screen does not wait for the first fold.
 */
export { refreshEarnings as prefoldEarnings } from './fold';
export { type PeriodSpec, resolvePeriod } from './period';
export { canViewEarnings, createEarningsHandlers, type EarningsAccess, type EarningsHandlers } from './service';

/**
 * The earnings calls wired to the core's account sessions: `...earningsHandlers(sessionFor, now)`
 * in createCore's handler table.
 */
export function earningsHandlers(
  sessionFor: (accountId: string) => AccountSession,
  now: () => number,
): EarningsHandlers {
  return createEarningsHandlers({
    now,
    access: (accountId) => {
      const session = sessionFor(accountId);
      return {
        db: session.store.db,
        membership: (inboxId) => session.actor.membership(inboxId),
        requestPayout: (inboxId, amount, idempotencyKey) =>
          session.client.call('requestPayout', { params: { inboxId }, body: { amount }, idempotencyKey }),
        read: (operation) => session.store.read(operation),
        // The payout's ledger entry comes back through the feed; the page applier then
        // announces 'earnings' and the screen refreshes.
        afterPayout: (inboxId) => void session.pullInbox(inboxId),
      };
    },
  });
}
