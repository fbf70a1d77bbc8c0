import { z } from 'zod';
import { CurrencyCodeSchema, EpochMs, Id, MoneySchema } from '../protocol/common';
import { PayoutSchema } from '../protocol/routes';
import { call } from './define';

/**
 * Earnings calls (issue 7). Every figure is computed by the core from the ledger events
 * synced from the platform, never from optimistic local state; decisions still waiting in
 * the outbox are reported apart, as `waitingToSync`.
 */

const AccountId = z.string().min(1).max(64);
const Count = z.number().int().nonnegative();
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const PERIOD_KINDS = ['today', '7d', '30d', 'month', 'year', 'custom'] as const;
export const PeriodSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['today', '7d', '30d', 'month', 'year']) }),
  z.object({ kind: z.literal('custom'), from: IsoDate, to: IsoDate }),
]);
export type PeriodSpecWire = z.infer<typeof PeriodSpecSchema>;

/** An IANA zone name such as "Europe/Berlin"; the core refuses names Intl does not know. */
export const TimeZoneName = z.string().min(1).max(64);

export const ResolvedPeriodSchema = z.object({
  kind: z.enum(PERIOD_KINDS),
  timeZone: z.string(),
  fromDate: IsoDate,
  /** Inclusive. */
  toDate: IsoDate,
  start: z.number().int(),
  end: z.number().int(),
});

export const CountedAmountSchema = z.object({ count: Count, amount: MoneySchema });
export const AcceptanceSchema = z.object({ accepted: Count, decided: Count });

export const CurrencyEarningsSchema = z.object({
  currency: CurrencyCodeSchema,
  /** Paid messages received in the period (holds), whatever became of them. */
  received: CountedAmountSchema,
  /** Captures in the period: what fans paid, the platform's fee, what the creator earned. */
  accepted: z.object({ count: Count, gross: MoneySchema, fee: MoneySchema, net: MoneySchema }),
  refunded: CountedAmountSchema,
  expired: CountedAmountSchema,
  paidOut: CountedAmountSchema,
  /** Decisions in the period: accepted / (accepted + refunded + expired). */
  acceptance: AcceptanceSchema,
  /** Median time from payment to accept or refund, for decisions in the period. */
  medianDecisionMs: Count.nullable(),
  /** Now, whatever the period: payments still held, awaiting a decision. */
  held: CountedAmountSchema,
  /** Now: held payments whose deadline is within 24 hours (or already passed). */
  expiringSoon: CountedAmountSchema,
  /** Now: everything earned minus everything paid out. */
  available: MoneySchema,
});
export type CurrencyEarnings = z.infer<typeof CurrencyEarningsSchema>;

export const WaitingToSyncSchema = z.object({
  currency: CurrencyCodeSchema,
  accepts: CountedAmountSchema,
  refunds: CountedAmountSchema,
});
export type WaitingToSync = z.infer<typeof WaitingToSyncSchema>;

export const EarningsSummarySchema = z.object({
  period: ResolvedPeriodSchema,
  asOf: EpochMs,
  currencies: z.array(CurrencyEarningsSchema),
  /** Counts are not money: these may be added across currencies. */
  acceptance: AcceptanceSchema,
  medianDecisionMs: Count.nullable(),
  waitingToSync: z.array(WaitingToSyncSchema),
});
export type EarningsSummary = z.infer<typeof EarningsSummarySchema>;

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export const GranularitySchema = z.enum(GRANULARITIES);
export type Granularity = z.infer<typeof GranularitySchema>;

export const SeriesBucketSchema = z.object({
  /** First local calendar day of the bucket (a Monday for weeks, the 1st for months). */
  key: IsoDate,
  start: z.number().int(),
  end: z.number().int(),
});
export const EarningsSeriesSchema = z.object({
  period: ResolvedPeriodSchema,
  granularity: GranularitySchema,
  buckets: z.array(SeriesBucketSchema),
  /** One line per currency; arrays are aligned with `buckets`, in minor units. */
  currencies: z.array(
    z.object({
      currency: CurrencyCodeSchema,
      net: z.array(z.number().int()),
      gross: z.array(z.number().int()),
      accepted: z.array(Count),
    }),
  ),
});
export type EarningsSeries = z.infer<typeof EarningsSeriesSchema>;

export const LabelEarningsSchema = z.object({
  /** null: messages without a label. A message with two labels counts under both. */
  label: z.string().nullable(),
  currency: CurrencyCodeSchema,
  count: Count,
  gross: MoneySchema,
  net: MoneySchema,
});
export const SupporterSchema = z.object({
  fanId: Id,
  fanName: z.string(),
  currency: CurrencyCodeSchema,
  count: Count,
  /** What the fan paid for accepted messages in the period. */
  paid: MoneySchema,
});
/**
 * Captures in the period per response tier (#18): the window the fans paid for, read from
 * each message (shared/message/tiers.ts `windowOf`). Free-pass messages move no money and
 * are never here.
 */
export const TierEarningsSchema = z.object({
  windowMs: z.number().int().positive(),
  currency: CurrencyCodeSchema,
  count: Count,
  gross: MoneySchema,
  net: MoneySchema,
});
export type TierEarnings = z.infer<typeof TierEarningsSchema>;
export const EarningsBreakdownSchema = z.object({
  period: ResolvedPeriodSchema,
  labels: z.array(LabelEarningsSchema),
  /** Fastest tier first within each currency. */
  tiers: z.array(TierEarningsSchema),
  supporters: z.array(SupporterSchema),
});
export type EarningsBreakdown = z.infer<typeof EarningsBreakdownSchema>;

export const MAX_EXPORT_CHUNK_CHARS = 64 * 1024;
export const ExportStartSchema = z.object({ exportId: Id, fileName: z.string(), totalRows: Count });
export const ExportChunkSchema = z.object({
  chunk: z.string(),
  rowsDone: Count,
  totalRows: Count,
  done: z.boolean(),
});

const PeriodInput = z.object({
  accountId: AccountId,
  inboxId: Id,
  period: PeriodSpecSchema,
  timeZone: TimeZoneName,
});

export const LocalPayoutSchema = z.object({ id: Id, amount: MoneySchema, at: EpochMs, actorId: Id.nullable() });

export const earningsCalls = {
  'earnings.summary': call(PeriodInput, EarningsSummarySchema),
  'earnings.series': call(PeriodInput.extend({ granularity: GranularitySchema }), EarningsSeriesSchema),
  'earnings.breakdown': call(
    PeriodInput.extend({ limit: z.number().int().positive().max(100).default(10) }),
    EarningsBreakdownSchema,
  ),
  /** Starts a CSV export; the renderer pulls it in chunks and streams them to a file. */
  'earnings.exportStart': call(PeriodInput, ExportStartSchema),
  'earnings.exportNext': call(z.object({ accountId: AccountId, exportId: Id }), ExportChunkSchema),
  'earnings.exportCancel': call(z.object({ accountId: AccountId, exportId: Id }), z.object({ ok: z.literal(true) })),
  'payouts.list': call(
    z.object({ accountId: AccountId, inboxId: Id, timeZone: TimeZoneName }),
    z.object({ available: z.array(MoneySchema), payouts: z.array(LocalPayoutSchema) }),
  ),
  /** Owner only, online only: money leaves for the bank, so it is never queued. */
  'payouts.request': call(z.object({ accountId: AccountId, inboxId: Id, amount: MoneySchema }), PayoutSchema),
} as const;

export type EarningsCalls = typeof earningsCalls;
export type EarningsCallName = keyof EarningsCalls;
