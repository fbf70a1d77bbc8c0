import { type CurrencyCode, money, toMajorString } from '../../../shared/money';
import type { LedgerEvent } from '../../../shared/protocol';
import { type Zone, zoneFor } from './zone';

/**
 * The accountant's CSV: RFC 4180 (CRLF line ends, every text field quoted), UTF-8 with a byte-order mark so Excel reads it as UTF-8, times in
 * ISO 8601 with the user's UTC offset, amounts as exact decimal strings in major units.
 * Column names are fixed English identifiers: they are data for spreadsheets and tax
 * tools, not interface text.
 */
export const CSV_BOM = '\uFEFF';
export const CSV_COLUMNS = [
  'entry_id',
  'time',
  'type',
  'message_id',
  'fan_id',
  'fan_name',
  'currency',
  'gross',
  'fee',
  'net',
  'amount',
  'balance',
] as const;

export interface CsvEntry {
  readonly id: string;
  readonly kind: LedgerEvent['kind'];
  readonly at: number;
  readonly messageId: string | null;
  readonly fanId: string | null;
  readonly fanName: string | null;
  readonly currency: CurrencyCode;
  readonly gross: number;
  readonly fee: number;
  readonly net: number;
}

/**
 * A spreadsheet runs a cell that starts with one of these as a formula. Untrusted text
 * (fan names, devices, details) gets an apostrophe before one at its start, and before
 * one that follows a `;` or `,` (a spreadsheet set to split on either, or a second
 * import, makes that the start of a cell) or a line break, spaces allowed in between:
 * the OWASP advice for CSV injection, applied wherever a cell can begin.
 */
const FORMULA_AT_CELL_START = /(?<=^|[;,\r\n])( *)(?=[=+\-@\t\r])/g;

/** Every text field is quoted, so no separator or line break in it can end the field. */
export function csvField(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** Untrusted text: quoted, with every place a formula could start defused. */
export function textField(value: string | null): string {
  if (value === null) return '""';
  return csvField(defuseFormulas(value));
}

export function defuseFormulas(value: string): string {
  return value.replace(FORMULA_AT_CELL_START, "$1'");
}

/** "2026-03-29T03:30:00.000+02:00": the local wall-clock time with its offset. */
export function isoWithOffset(instant: number, zone: Zone): string {
  const offset = zone.offsetAt(instant);
  const wall = new Date(instant + offset).toISOString().slice(0, -1); // drop the Z
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(Math.round(offset / 60_000));
  return `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * What one ledger movement does to the creator's available balance, signed: the rule the
 * summary uses (available = earned net of captures − payouts). Holds, refunds and expiries
 * move the fan's money in and out of escrow and leave it unchanged.
 */
export function availableDelta(entry: Pick<CsvEntry, 'kind' | 'gross' | 'net'>): bigint {
  if (entry.kind === 'capture') return BigInt(entry.net);
  if (entry.kind === 'payout') return -BigInt(entry.gross);
  return 0n;
}

/** The available balance per currency after each row, from the balance before the period. */
export class RunningBalance {
  private readonly balances: Map<string, bigint>;

  constructor(opening: ReadonlyMap<string, bigint> = new Map()) {
    this.balances = new Map(opening);
  }

  /** The balance after the entry, without applying it (a row that may not be written yet). */
  preview(entry: CsvEntry): bigint {
    return (this.balances.get(entry.currency) ?? 0n) + availableDelta(entry);
  }

  /** Applies the entry and returns the balance after it. */
  after(entry: CsvEntry): bigint {
    const next = this.preview(entry);
    this.balances.set(entry.currency, next);
    return next;
  }
}

/** "-12.50", "0.00", "1200": exact, with a minus sign for money leaving the balance. */
function signedMajor(minor: bigint, currency: CurrencyCode): string {
  const magnitude = toMajorString(money(Number(minor < 0n ? -minor : minor), currency));
  return minor < 0n ? `-${magnitude}` : magnitude;
}

/** One row; `balance` is the available balance after this entry (RunningBalance). */
export function csvRow(entry: CsvEntry, zone: Zone, balance: bigint): string {
  const amount = (minor: number) => toMajorString(money(minor, entry.currency));
  return [
    csvField(entry.id),
    isoWithOffset(entry.at, zone),
    entry.kind,
    textField(entry.messageId),
    textField(entry.fanId),
    textField(entry.fanName),
    entry.currency,
    amount(entry.gross),
    amount(entry.fee),
    amount(entry.net),
    signedMajor(availableDelta(entry), entry.currency),
    signedMajor(balance, entry.currency),
  ].join(',');
}

export const CSV_HEADER = `${CSV_BOM}${CSV_COLUMNS.join(',')}\r\n`;

/** Rows are cut into chunks of about this many characters (≤ 64 KB over the bridge). */
export const CHUNK_CHARS = 60 * 1024;

export interface CsvProgress {
  rowsDone: number;
}

/**
 * Streams the CSV as chunks from pages of entries, so that neither the rows nor the text
 * are ever held whole: memory stays flat whatever the number of entries.
 */
export function* csvChunks(
  pages: Iterable<readonly CsvEntry[]>,
  timeZone: string,
  onProgress?: (progress: CsvProgress) => void,
  opening: ReadonlyMap<string, bigint> = new Map(),
): Generator<string> {
  const zone = zoneFor(timeZone);
  const running = new RunningBalance(opening);
  let buffer = CSV_HEADER;
  let rowsDone = 0;
  for (const page of pages) {
    for (const entry of page) {
      buffer += `${csvRow(entry, zone, running.after(entry))}\r\n`;
      rowsDone += 1;
      if (buffer.length >= CHUNK_CHARS) {
        onProgress?.({ rowsDone });
        yield buffer;
        buffer = '';
      }
    }
  }
  onProgress?.({ rowsDone });
  yield buffer;
}
