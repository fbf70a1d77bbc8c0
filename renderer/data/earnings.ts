import { type Membership, mayAct } from '../../shared/actions';
import type { CallOutput, PeriodSpecWire } from '../../shared/contract';
import { minorUnitExponent } from '../../shared/money';

/**
 * What the earnings screen shows, computed from the core's answers without touching
 * amounts: money stays in minor units and is formatted from exact decimal strings.
 */

export type Summary = CallOutput<'earnings.summary'>;
export type Series = CallOutput<'earnings.series'>;
export type Breakdown = CallOutput<'earnings.breakdown'>;
export type Granularity = Series['granularity'];

export type InboxAccess = Membership;

/** As the platform rules (shared/actions): owners see earnings, managers only with view_earnings. */
export function canViewEarnings(inbox: InboxAccess | null | undefined): boolean {
  return mayAct(inbox, 'view_earnings');
}

export function canRequestPayout(inbox: InboxAccess | null | undefined): boolean {
  return mayAct(inbox, 'owner');
}

/** The user's IANA zone, which decides what "today" and each chart day mean. */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Acceptance rate in whole percent, rounded down so 99.9 % never shows as 100 %; null when nothing was decided. */
export function acceptancePercent(acceptance: { accepted: number; decided: number }): number | null {
  if (acceptance.decided === 0) return null;
  return Math.floor((acceptance.accepted * 100) / acceptance.decided);
}

export interface ChartPoint {
  key: string;
  /** Height of the bar in major units. A float, for drawing only: labels use `netMinor`. */
  net: number;
  netMinor: number;
  accepted: number;
}

/** One currency's line of the series as chart rows (currencies are never stacked or added). */
export function chartPoints(series: Series, currency: string): ChartPoint[] {
  const line = series.currencies.find((c) => c.currency === currency);
  const scale = 10 ** minorUnitExponent(currency);
  return series.buckets.map((bucket, i) => {
    const netMinor = line?.net[i] ?? 0;
    return { key: bucket.key, net: netMinor / scale, netMinor, accepted: line?.accepted[i] ?? 0 };
  });
}

/** "24 Mar" for a bucket's local calendar date (formatted as the date it names, in any zone). */
export function formatBucketDate(key: string, locale: string, granularity: Granularity): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  const options: Intl.DateTimeFormatOptions =
    granularity === 'month'
      ? { timeZone: 'UTC', month: 'short', year: 'numeric' }
      : { timeZone: 'UTC', day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(locale, options).format(Date.UTC(y, m - 1, d));
}

/** A custom period needs two real dates in order; anything else is a named period. */
export function periodSpec(kind: PeriodSpecWire['kind'], from: string, to: string): PeriodSpecWire | null {
  if (kind !== 'custom') return { kind };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || to < from) return null;
  return { kind, from, to };
}

export interface ExportSink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

export interface ExportSource {
  start(): Promise<{ exportId: string; fileName: string; totalRows: number }>;
  next(exportId: string): Promise<{ chunk: string; rowsDone: number; totalRows: number; done: boolean }>;
  cancel(exportId: string): Promise<unknown>;
}

/**
 * Pulls the CSV from the core chunk by chunk and hands each to the sink as it comes, so
 * neither side ever holds the whole file. Stops (and tells the core) when `signal` aborts.
 */
export async function runExport(
  source: ExportSource,
  openSink: (fileName: string) => Promise<ExportSink | null>,
  onProgress: (rowsDone: number, totalRows: number) => void,
  signal?: AbortSignal,
): Promise<'saved' | 'cancelled'> {
  const { exportId, fileName, totalRows } = await source.start();
  const sink = await openSink(fileName);
  if (!sink) {
    await source.cancel(exportId);
    return 'cancelled';
  }
  onProgress(0, totalRows);
  try {
    for (;;) {
      if (signal?.aborted) {
        await source.cancel(exportId);
        await sink.abort();
        return 'cancelled';
      }
      const next = await source.next(exportId);
      await sink.write(next.chunk);
      onProgress(next.rowsDone, next.totalRows);
      if (next.done) break;
    }
  } catch (error) {
    await sink.abort();
    await source.cancel(exportId).catch(() => undefined);
    throw error;
  }
  await sink.close();
  return 'saved';
}
