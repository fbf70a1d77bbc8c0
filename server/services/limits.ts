import { batchLimitRefusal, type LimitRefusal, limitRefusalText, REFUND_WINDOW_MS } from '../../shared/actions';
import { money } from '../../shared/money';
import { ApiError } from '../errors';
import type { Access } from './access';
import type { Actor, Tx } from './context';
import { toLimits } from './entities';

/** A decision about money the platform is about to make, as the limits read it. */
export interface LimitedDecision {
  readonly kind: 'accept' | 'refund';
  readonly currency: string;
  /** Every price the decision moves: one message, or each pending message of a blocked fan. */
  readonly prices: readonly number[];
}

/** 403 naming the limit; `details` carries it for the client to show in its own words. */
function overLimit(refusal: LimitRefusal): ApiError {
  return new ApiError('forbidden', limitRefusalText(refusal), refusal);
}

/** A member's limits columns, as `requireWithinLimits` reads them (or a batch reads beside the membership). */
export interface LimitsColumns {
  limits_currency: string | null;
  max_price_minor: number | null;
  daily_refund_minor: number | null;
}

/**
 * The limits rule on what was read (the rule itself is shared/actions/limits.ts): the one
 * place a request's and a batch's accepts and refunds are held to it. `usedMinor` is what
 * the member refunded in the last REFUND_WINDOW_MS (0 where the decision is not a refund).
 */
export function checkWithinLimits(
  access: Access,
  columns: LimitsColumns | undefined,
  decision: LimitedDecision,
  usedMinor: number,
): void {
  if (access.role === 'owner' || !columns || columns.limits_currency === null) return;
  const refusal = batchLimitRefusal(
    access.role,
    toLimits(columns),
    decision.kind,
    decision.prices.map((price) => money(price, decision.currency)),
    money(usedMinor, decision.currency),
  );
  if (refusal) throw overLimit(refusal);
}

/** Whether the decision needs the member's recent refunds summed (`requireWithinLimits` reads them). */
const needsRecentRefunds = (columns: LimitsColumns, decision: LimitedDecision): boolean =>
  decision.kind === 'refund' && toLimits(columns).dailyRefund !== null;

/**
 * Refuses a manager's accept or refund over the money limits the owner set (the rule is
 * shared/actions/limits.ts). Runs under the inbox's row lock, after the message row is
 * locked, so two refunds of one manager cannot both fit under the same daily total.
 */
export async function requireWithinLimits(
  tx: Tx,
  actor: Actor,
  access: Access,
  decision: LimitedDecision,
): Promise<void> {
  if (access.role === 'owner') return;
  const rows = await tx.sql.query<LimitsColumns>(
    'SELECT limits_currency, max_price_minor, daily_refund_minor FROM members WHERE inbox_id = $1 AND user_id = $2',
    [access.inboxId, actor.id],
  );
  const row = rows[0];
  if (!row || row.limits_currency === null) return;
  let used = 0;
  if (needsRecentRefunds(row, decision)) {
    const sums = await tx.sql.query<{ used: number | string }>(
      `SELECT COALESCE(sum(gross), 0) AS used FROM ledger_transactions
       WHERE inbox_id = $1 AND actor_id = $2 AND kind = 'refund' AND currency = $3 AND at > $4`,
      [access.inboxId, actor.id, decision.currency, tx.now - REFUND_WINDOW_MS],
    );
    used = Number(sums[0]?.used ?? 0);
  }
  checkWithinLimits(access, row, decision, used);
}
