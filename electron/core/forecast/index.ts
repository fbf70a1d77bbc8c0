import type { z } from 'zod';
import { type ForecastView, type forecastCalls, MAX_FORECAST_ROWS } from '../../../shared/contract';
import { DAY_MS, DEFAULT_HORIZON_MS, DEFAULT_LOOKBACK_DAYS, forecastCapacity } from '../../../shared/forecast';
import type { CurrencyCode } from '../../../shared/money';
import { CoreError } from '../errors';
import type { AccountSession } from '../services/account-session';
import { stmt } from '../store/statements';

type Input = z.infer<(typeof forecastCalls)['forecast.get']['input']>;

interface PendingRow {
  id: string;
  fan_name: string;
  deadline: number;
  price_minor: number;
  currency: CurrencyCode;
}

/**
 * The capacity forecast of one inbox from the local store: its pending messages and the
 * decisions people made in it over the lookback (accepts and refunds with a decider; an
 * expiry is the platform's, not the inbox's pace). Any member may see it: it shows only
 * what the inbox list already shows.
 */
export function forecastView(session: AccountSession, input: Input, now: number): ForecastView {
  if (!session.actor.membership(input.inboxId)) throw new CoreError('not_found', 'This inbox is not on this account.');
  const db = session.store.db;
  return session.store.read(() => {
    const pending = stmt(
      db,
      `SELECT id, fan_name, deadline, price_minor, currency FROM messages
       WHERE inbox_id = ? AND status = 'pending' AND free = 0 ORDER BY deadline, id`,
    ).all(input.inboxId) as PendingRow[];
    const decisions = (
      stmt(
        db,
        `SELECT decided_at FROM messages
         WHERE inbox_id = ? AND status IN ('accepted', 'refunded') AND decided_by_id IS NOT NULL
           AND decided_at >= ? AND decided_at < ?`,
      ).all(input.inboxId, now - DEFAULT_LOOKBACK_DAYS * DAY_MS, now) as { decided_at: number }[]
    ).map((r) => r.decided_at);
    const byId = new Map(pending.map((r) => [r.id, r]));
    const forecast = forecastCapacity({
      now,
      pending: pending.map((r) => ({
        id: r.id,
        deadline: r.deadline,
        price: { minor: r.price_minor, currency: r.currency },
      })),
      decisions,
      utcOffsetMinutes: input.utcOffsetMinutes,
    });
    return {
      willExpire: forecast.willExpire.slice(0, MAX_FORECAST_ROWS).map((m) => ({
        id: m.id,
        fanName: byId.get(m.id)?.fan_name ?? '',
        deadline: m.deadline,
        price: m.price,
      })),
      willExpireCount: forecast.willExpire.length,
      willExpireTotal: [...forecast.willExpireTotal],
      dueInHorizon: forecast.dueInHorizon,
      capacity: forecast.capacity,
      workingHours: [...forecast.workingHours],
      decisionsSeen: forecast.decisionsSeen,
      sustainableDailyCap: forecast.sustainableDailyCap,
      horizonMs: DEFAULT_HORIZON_MS,
      at: now,
    };
  });
}

/** `...forecastHandlers(sessionFor, now)` in createCore's handler table. */
export function forecastHandlers(sessionFor: (accountId: string) => AccountSession, now: () => number) {
  return {
    'forecast.get': async (input: Input) => forecastView(sessionFor(input.accountId), input, now()),
  };
}
