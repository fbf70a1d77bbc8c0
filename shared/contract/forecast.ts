import { z } from 'zod';
import { EpochMs, Id, MoneySchema } from '../protocol/common';
import { call } from './define';

/**
 * The capacity forecast (issue 17), computed by the core from the synced inbox with
 * `shared/forecast`: what the inbox's own pace will leave to be refunded automatically.
 */

const AccountId = z.string().min(1).max(64);

/** The rows the view lists; the count and total always cover all of them. */
export const MAX_FORECAST_ROWS = 100;

export const ForecastRowSchema = z.object({
  id: Id,
  fanName: z.string(),
  deadline: EpochMs,
  price: MoneySchema,
});
export type ForecastRow = z.infer<typeof ForecastRowSchema>;

export const ForecastViewSchema = z.object({
  /** Messages that will be refunded automatically within the horizon at this pace, soonest first (at most MAX_FORECAST_ROWS). */
  willExpire: z.array(ForecastRowSchema),
  willExpireCount: z.number().int().nonnegative(),
  willExpireTotal: z.array(MoneySchema),
  dueInHorizon: z.number().int().nonnegative(),
  capacity: z.number().int().nonnegative(),
  workingHours: z.array(z.number().int().min(0).max(23)),
  decisionsSeen: z.number().int().nonnegative(),
  sustainableDailyCap: z.number().int().positive(),
  horizonMs: z.number().int().positive(),
  at: EpochMs,
});
export type ForecastView = z.infer<typeof ForecastViewSchema>;

export const forecastCalls = {
  'forecast.get': call(
    z.object({
      accountId: AccountId,
      inboxId: Id,
      /** The person's zone offset now (minutes east of UTC), so the pace is read by their hour of day. */
      utcOffsetMinutes: z
        .number()
        .int()
        .min(-14 * 60)
        .max(14 * 60),
    }),
    ForecastViewSchema,
  ),
} as const;
