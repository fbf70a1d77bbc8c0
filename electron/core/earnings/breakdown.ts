import type { EarningsBreakdown } from '../../../shared/contract/earnings';
import { type CurrencyCode, moneyFromBigInt } from '../../../shared/money';
import type { LedgerEvent } from '../../../shared/protocol';
import type { ResolvedPeriod } from './period';
import { periodToWire } from './summary';

export interface BreakdownInput {
  readonly events: Iterable<LedgerEvent>;
  readonly labelsOf: (messageId: string) => readonly string[];
  readonly fanNameOf: (fanId: string) => string | undefined;
  /** The response window the message was paid for (shared/message/tiers.ts `windowOf`). */
  readonly windowOf: (messageId: string) => number | undefined;
  readonly period: ResolvedPeriod;
  /** Top supporters kept per currency. */
  readonly limit: number;
}

interface Totals {
  count: number;
  gross: bigint;
  net: bigint;
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What was earned per label and who paid the most, for captures in the period. Orders are
 * total (amount, then name/id) so that equal figures always list the same way.
 */
export function computeBreakdown(input: BreakdownInput): EarningsBreakdown {
  const { period } = input;
  const labels = new Map<string, Totals>(); // key: currency \u0000 label ('' = none)
  const fans = new Map<string, Totals>(); // key: currency \u0000 fanId
  const tiers = new Map<string, Totals>(); // key: currency \u0000 window ms
  const bump = (map: Map<string, Totals>, key: string, event: LedgerEvent) => {
    const totals = map.get(key) ?? { count: 0, gross: 0n, net: 0n };
    totals.count += 1;
    totals.gross += BigInt(event.gross.minor);
    totals.net += BigInt(event.net.minor);
    map.set(key, totals);
  };
  for (const event of input.events) {
    if (event.kind !== 'capture' || event.at < period.start || event.at >= period.end) continue;
    const currency = event.gross.currency;
    const messageLabels = event.messageId ? input.labelsOf(event.messageId) : [];
    if (messageLabels.length === 0) bump(labels, `${currency}\u0000`, event);
    for (const label of new Set(messageLabels)) bump(labels, `${currency}\u0000${label}`, event);
    if (event.fanId) bump(fans, `${currency}\u0000${event.fanId}`, event);
    const window = event.messageId ? input.windowOf(event.messageId) : undefined;
    if (window !== undefined) bump(tiers, `${currency}\u0000${window}`, event);
  }
  return {
    period: periodToWire(period),
    labels: rankLabels(labels),
    supporters: rankSupporters(fans, input.fanNameOf, input.limit),
    tiers: rankTiers(tiers),
  };
}

/** Per currency, fastest tier first: the order the settings and the fan's choice list them. */
export function rankTiers(tiers: Map<string, Totals>): EarningsBreakdown['tiers'] {
  return [...tiers.entries()]
    .map(([key, totals]) => {
      const [currency, window] = key.split('\u0000') as [CurrencyCode, string];
      return { currency, windowMs: Number(window), totals };
    })
    .sort((a, b) => byCode(a.currency, b.currency) || a.windowMs - b.windowMs)
    .map(({ currency, windowMs, totals }) => ({
      windowMs,
      currency,
      count: totals.count,
      gross: moneyFromBigInt(totals.gross, currency),
      net: moneyFromBigInt(totals.net, currency),
    }));
}

export function rankLabels(labels: Map<string, Totals>): EarningsBreakdown['labels'] {
  return [...labels.entries()]
    .map(([key, t]) => {
      const [currency, label] = key.split('\u0000') as [CurrencyCode, string];
      return { currency, label: label === '' ? null : label, totals: t };
    })
    .sort(
      (a, b) =>
        byCode(a.currency, b.currency) ||
        (a.totals.net > b.totals.net ? -1 : a.totals.net < b.totals.net ? 1 : 0) ||
        byCode(a.label ?? '', b.label ?? ''),
    )
    .map(({ currency, label, totals }) => ({
      label,
      currency,
      count: totals.count,
      gross: moneyFromBigInt(totals.gross, currency),
      net: moneyFromBigInt(totals.net, currency),
    }));
}

export function rankSupporters(
  fans: Map<string, Totals>,
  fanNameOf: (fanId: string) => string | undefined,
  limit: number,
): EarningsBreakdown['supporters'] {
  const perCurrency = new Map<CurrencyCode, { fanId: string; totals: Totals }[]>();
  for (const [key, totals] of fans) {
    const [currency, fanId] = key.split('\u0000') as [CurrencyCode, string];
    const list = perCurrency.get(currency) ?? [];
    list.push({ fanId, totals });
    perCurrency.set(currency, list);
  }
  return [...perCurrency.entries()]
    .sort(([a], [b]) => byCode(a, b))
    .flatMap(([currency, list]) =>
      list
        .sort(
          (a, b) =>
            (a.totals.gross > b.totals.gross ? -1 : a.totals.gross < b.totals.gross ? 1 : 0) ||
            byCode(a.fanId, b.fanId),
        )
        .slice(0, limit)
        .map(({ fanId, totals }) => ({
          fanId,
          fanName: fanNameOf(fanId) ?? '',
          currency,
          count: totals.count,
          paid: moneyFromBigInt(totals.gross, currency),
        })),
    );
}
