import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, type CsvEntry, csvChunks, defuseFormulas } from '../../../electron/core/earnings/csv';
import { resolvePeriod } from '../../../electron/core/earnings/period';
import { computeSummary } from '../../../electron/core/earnings/summary';
import { minorUnitExponent } from '../../../shared/money';
import type { LedgerEvent } from '../../../shared/protocol';
import { csvEntryOf, historyArb, instantArb, naiveLocalDate, specArb, ZONES } from './history';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. Throws on anything else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i += 1;
            break;
          }
        } else {
          field += text[i];
          i += 1;
        }
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        field += text[i];
        i += 1;
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else if (i < text.length) {
      throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
    }
  }
  if (record.length > 0) throw new Error('last record has no CRLF');
  return records;
}

/** "12.345" with the currency's exact number of decimals → minor units, as bigint. */
function majorToMinor(text: string, currency: string): bigint {
  const exponent = minorUnitExponent(currency);
  const pattern = exponent === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${exponent}}$`);
  if (!pattern.test(text)) throw new Error(`${text} is not an exact ${currency} amount`);
  return BigInt(text.replace('.', ''));
}

function toEntries(events: LedgerEvent[], fanNames: Map<string, string>): CsvEntry[] {
  return [...events].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)).map((e) => csvEntryOf(e, fanNames));
}

function pagesOf<T>(rows: T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < rows.length; i += size) pages.push(rows.slice(i, i + size));
  return pages;
}

describe('CSV export', () => {
  it('re-parsed, sums to the same totals as the summary, to the minor unit, with exact times and text', () => {
    fc.assert(
      fc.property(historyArb, specArb, fc.constantFrom(...ZONES), instantArb, (history, spec, timeZone, now) => {
        const period = resolvePeriod(spec, timeZone, now);
        const inPeriod = history.events.filter((e) => e.at >= period.start && e.at < period.end);
        const entries = toEntries(inPeriod, history.fanNames);
        const progress: number[] = [];
        const text = [...csvChunks(pagesOf(entries, 7), timeZone, (p) => progress.push(p.rowsDone))].join('');
        expect(text.startsWith('\uFEFF')).toBe(true);
        const [header, ...rows] = parseCsv(text.slice(1));
        expect(header).toEqual([...CSV_COLUMNS]);
        expect(rows).toHaveLength(entries.length);
        expect(progress.at(-1)).toBe(entries.length);

        const totals = new Map<string, bigint>();
        const add = (key: string, value: bigint) => totals.set(key, (totals.get(key) ?? 0n) + value);
        rows.forEach((row, i) => {
          const entry = entries[i] as CsvEntry;
          const [id, time, kind, messageId, fanId, fanName, currency, gross, fee, net] = row as string[];
          expect(row).toHaveLength(CSV_COLUMNS.length);
          expect([id, kind, messageId, fanId, currency]).toEqual([
            entry.id,
            entry.kind,
            entry.messageId ?? '',
            entry.fanId ?? '',
            entry.currency,
          ]);
          // Text comes back as written, except where a formula could start (csv-injection.property.test.ts).
          const name = entry.fanName ?? '';
          expect(fanName).toBe(defuseFormulas(name));
          // ISO 8601 with the zone's offset: the same instant, on the local date.
          expect(time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
          expect(Date.parse(time as string)).toBe(entry.at);
          expect(time?.slice(0, 10)).toBe(naiveLocalDate(entry.at, timeZone));
          const c = currency as string;
          const g = majorToMinor(gross as string, c);
          const f = majorToMinor(fee as string, c);
          const n = majorToMinor(net as string, c);
          add(`${c}:${kind}:gross`, g);
          add(`${c}:${kind}:fee`, f);
          add(`${c}:${kind}:net`, n);
        });

        const summary = computeSummary({
          events: history.events,
          deadlineOf: () => undefined,
          queued: [],
          period,
          now,
        });
        const total = (key: string) => Number(totals.get(key) ?? 0n);
        for (const figures of summary.currencies) {
          const c = figures.currency;
          expect(total(`${c}:capture:gross`)).toBe(figures.accepted.gross.minor);
          expect(total(`${c}:capture:fee`)).toBe(figures.accepted.fee.minor);
          expect(total(`${c}:capture:net`)).toBe(figures.accepted.net.minor);
          expect(total(`${c}:refund:gross`)).toBe(figures.refunded.amount.minor);
          expect(total(`${c}:expire:gross`)).toBe(figures.expired.amount.minor);
          expect(total(`${c}:hold:gross`)).toBe(figures.received.amount.minor);
          expect(total(`${c}:payout:gross`)).toBe(figures.paidOut.amount.minor);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reconciles: opening balance + the signed amounts = the available balance at the end, row by row, to the minor unit', () => {
    /** Signed "-12.50" → minor units. */
    const signedToMinor = (text: string, currency: string) =>
      text.startsWith('-') ? -majorToMinor(text.slice(1), currency) : majorToMinor(text, currency);
    const availableBy = (events: LedgerEvent[], period: ReturnType<typeof resolvePeriod>, now: number) =>
      new Map(
        computeSummary({ events, deadlineOf: () => undefined, queued: [], period, now }).currencies.map((c) => [
          c.currency as string,
          BigInt(c.available.minor),
        ]),
      );
    fc.assert(
      fc.property(historyArb, specArb, fc.constantFrom(...ZONES), instantArb, (history, spec, timeZone, now) => {
        // The platform never pays out more than was earned (server/invariants.ts); the random
        // histories can, and the summary then shows 0 rather than a negative balance.
        const paidBeyondEarned = new Map<string, bigint>();
        fc.pre(
          [...history.events]
            .sort((a, b) => a.at - b.at)
            .every((e) => {
              const delta =
                e.kind === 'capture' ? BigInt(e.net.minor) : e.kind === 'payout' ? -BigInt(e.gross.minor) : 0n;
              const next = (paidBeyondEarned.get(e.gross.currency) ?? 0n) + delta;
              paidBeyondEarned.set(e.gross.currency, next);
              return next >= 0n;
            }),
        );
        const period = resolvePeriod(spec, timeZone, now);
        const before = history.events.filter((e) => e.at < period.start);
        const untilEnd = history.events.filter((e) => e.at < period.end);
        const entries = toEntries(
          history.events.filter((e) => e.at >= period.start && e.at < period.end),
          history.fanNames,
        );
        // The summary's own figure is the truth both ends are checked against.
        const opening = availableBy(before, period, now);
        const closing = availableBy(untilEnd, period, now);
        const text = [...csvChunks(pagesOf(entries, 5), timeZone, undefined, opening)].join('');
        const [header, ...rows] = parseCsv(text.slice(1));
        const amountAt = header?.indexOf('amount') ?? -1;
        const balanceAt = header?.indexOf('balance') ?? -1;
        const running = new Map(opening);
        for (const row of rows) {
          const currency = row[6] as string;
          const amount = signedToMinor(row[amountAt] as string, currency);
          // Holds, refunds and expiries are escrow: they show as 0, not as unsigned money.
          if (row[2] === 'capture') expect(amount).toBe(majorToMinor(row[9] as string, currency));
          else if (row[2] === 'payout') expect(amount).toBe(-majorToMinor(row[7] as string, currency));
          else expect(amount).toBe(0n);
          running.set(currency, (running.get(currency) ?? 0n) + amount);
          expect(signedToMinor(row[balanceAt] as string, currency)).toBe(running.get(currency));
        }
        for (const [currency, available] of closing) expect(running.get(currency) ?? 0n).toBe(available);
      }),
      { numRuns: 200 },
    );
  });

  it('quotes every text field, doubles quotes, keeps line breaks, and ends every record with CRLF', () => {
    const entry: CsvEntry = {
      id: 'e1',
      kind: 'capture',
      at: Date.UTC(2026, 2, 29, 0, 30),
      messageId: 'm1',
      fanId: 'f1',
      fanName: 'Ana, "la" fan\nsecond line',
      currency: 'KWD',
      gross: 1005,
      fee: 101,
      net: 904,
    };
    const text = [...csvChunks([[entry]], 'Europe/Berlin')].join('');
    expect(text).toBe(
      '\uFEFFentry_id,time,type,message_id,fan_id,fan_name,currency,gross,fee,net,amount,balance\r\n' +
        '"e1",2026-03-29T01:30:00.000+01:00,capture,"m1","f1","Ana, ""la"" fan\nsecond line",KWD,1.005,0.101,0.904,0.904,0.904\r\n',
    );
  });

  it('cuts a large export into chunks of at most about 64 KB and reports progress along the way', () => {
    const entries: CsvEntry[] = Array.from({ length: 5_000 }, (_, i) => ({
      id: `e${i}`,
      kind: 'capture',
      at: Date.UTC(2026, 0, 1) + i * 60_000,
      messageId: `m${i}`,
      fanId: `f${i % 10}`,
      fanName: `Fan ${i % 10}`,
      currency: 'USD',
      gross: 2500,
      fee: 250,
      net: 2250,
    }));
    const progress: number[] = [];
    const chunks = [...csvChunks(pagesOf(entries, 500), 'UTC', (p) => progress.push(p.rowsDone))];
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(64 * 1024);
    expect(progress.length).toBe(chunks.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(5_000);
    expect(parseCsv(chunks.join('').slice(1))).toHaveLength(5_001);
  });
});
