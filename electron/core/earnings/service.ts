import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { mayAct } from '../../../shared/actions';
import { type EarningsCallName, type EarningsCalls, MAX_EXPORT_CHUNK_CHARS } from '../../../shared/contract/earnings';
import type { Money } from '../../../shared/money';
import type { Permission, RouteResponse } from '../../../shared/protocol';
import { CoreError } from '../errors';
import { fromPlatformError } from '../sync/platform-errors';
import { CHUNK_CHARS, CSV_HEADER, csvRow, RunningBalance } from './csv';
import { exportFileName } from './export';
import { refreshEarnings } from './fold';
import { type ResolvedPeriod, resolvePeriod } from './period';
import {
  breakdownFromStore,
  type ExportCursor,
  exportPage,
  exportRowCount,
  openingBalances,
  seriesFromStore,
  summaryFromStore,
} from './queries';
import { zoneFor } from './zone';

/** Someone's place in an inbox, as the platform granted it. */
export interface InboxRole {
  readonly role: 'owner' | 'manager';
  readonly permissions: readonly Permission[];
}

/** What the earnings calls need from the core, per signed-in account. */
export interface EarningsAccess {
  readonly db: Database.Database;
  /** The role and permissions the platform gave this person in an inbox; null if none. */
  membership(inboxId: string): InboxRole | null;
  /** POST /v1/inboxes/:inboxId/payouts through the account's platform client. */
  requestPayout(inboxId: string, amount: Money, idempotencyKey: string): Promise<RouteResponse<'requestPayout'>>;
  /** Wraps storage access so SQLite failures become clear errors (AccountStore.read). */
  read?<T>(operation: () => T): T;
  /** After a payout: pull the inbox so the payout's ledger entry arrives, and tell the renderer. */
  afterPayout?(inboxId: string): void;
}

export interface EarningsDeps {
  access(accountId: string): EarningsAccess;
  now(): number;
}

type Input<N extends EarningsCallName> = z.infer<EarningsCalls[N]['input']>;
type Output<N extends EarningsCallName> = z.infer<EarningsCalls[N]['output']>;
export type EarningsHandlers = { [N in EarningsCallName]: (input: Input<N>) => Promise<Output<N>> };

/** An export idle this long is forgotten (the page was closed mid-way). */
export const EXPORT_IDLE_MS = 10 * 60_000;
const MAX_EXPORTS_PER_ACCOUNT = 4;

interface ExportJob {
  accountId: string;
  inboxId: string;
  period: ResolvedPeriod;
  cursor: ExportCursor | null;
  /** The available balance after the last row sent, per currency (the CSV's running balance). */
  balance: RunningBalance;
  started: boolean;
  finished: boolean;
  rowsDone: number;
  totalRows: number;
  touchedAt: number;
}

/** Payouts are never queued: say plainly why this one did not happen. */
function payoutError(error: unknown): unknown {
  return fromPlatformError(error, {
    offline: 'You are offline: no payout was requested. Try again when connected.',
    signedOut: 'Sign in again to request a payout.',
    refused: (message) => `The platform refused the payout: ${message}`,
  });
}

/** The one rule, as the platform has it: owners see earnings, managers only with view_earnings. */
export function canViewEarnings(membership: InboxRole | null): boolean {
  return mayAct(membership, 'view_earnings');
}

function checkViewer(access: EarningsAccess, inboxId: string): void {
  const membership = access.membership(inboxId);
  if (!membership) throw new CoreError('not_found', 'This inbox is not part of this account.');
  if (!canViewEarnings(membership)) {
    throw new CoreError('forbidden', 'You do not have permission to see earnings in this inbox.');
  }
}

/**
 * The earnings calls of the bridge contract. The core spreads these into its handlers:
 * `...createEarningsHandlers({ access, now })`.
 */
export function createEarningsHandlers(deps: EarningsDeps): EarningsHandlers {
  const exports = new Map<string, ExportJob>();
  const read = <T>(access: EarningsAccess, operation: () => T): T =>
    access.read ? access.read(operation) : operation();

  const prepared = async (input: Input<'earnings.summary'>) => {
    const access = deps.access(input.accountId);
    checkViewer(access, input.inboxId);
    const now = deps.now();
    const period = resolvePeriod(input.period, input.timeZone, now);
    await refreshEarnings(access.db, input.timeZone);
    return { access, period, now };
  };

  const forgetIdle = () => {
    const now = deps.now();
    for (const [id, job] of exports) if (now - job.touchedAt > EXPORT_IDLE_MS) exports.delete(id);
  };

  const jobFor = (accountId: string, exportId: string): ExportJob => {
    forgetIdle();
    const job = exports.get(exportId);
    if (!job || job.accountId !== accountId) throw new CoreError('not_found', 'This export is not running any more.');
    return job;
  };

  return {
    'earnings.summary': async (input) => {
      const { access, period, now } = await prepared(input);
      return read(access, () => summaryFromStore(access.db, input.inboxId, period, now));
    },
    'earnings.series': async (input) => {
      const { access, period } = await prepared(input);
      return read(access, () => seriesFromStore(access.db, input.inboxId, period, input.granularity));
    },
    'earnings.breakdown': async (input) => {
      const { access, period } = await prepared(input);
      return read(access, () => breakdownFromStore(access.db, input.inboxId, period, input.limit));
    },
    'earnings.exportStart': async (input) => {
      const { access, period, now } = await prepared(input);
      forgetIdle();
      if ([...exports.values()].filter((j) => j.accountId === input.accountId).length >= MAX_EXPORTS_PER_ACCOUNT) {
        throw new CoreError('invalid_input', 'Too many exports are running; wait for one to finish.');
      }
      const totalRows = read(access, () => exportRowCount(access.db, input.inboxId, period));
      const exportId = randomUUID();
      exports.set(exportId, {
        accountId: input.accountId,
        inboxId: input.inboxId,
        period,
        cursor: null,
        balance: read(access, () => new RunningBalance(openingBalances(access.db, input.inboxId, period))),
        started: false,
        finished: false,
        rowsDone: 0,
        totalRows,
        touchedAt: now,
      });
      return { exportId, fileName: exportFileName(period), totalRows };
    },
    'earnings.exportNext': async ({ accountId, exportId }) => {
      const job = jobFor(accountId, exportId);
      const access = deps.access(accountId);
      checkViewer(access, job.inboxId); // permissions may have been taken away mid-export
      job.touchedAt = deps.now();
      const zone = zoneFor(job.period.timeZone);
      let chunk = job.started ? '' : CSV_HEADER;
      job.started = true;
      // Keyset pages, one query each: no statement stays open between calls. A chunk stops
      // before the row that would take it past the bridge's limit; the cursor resumes there.
      fill: while (!job.finished && chunk.length < CHUNK_CHARS) {
        const page = read(access, () => exportPage(access.db, job.inboxId, job.period, job.cursor, 200));
        for (const [i, entry] of page.entries.entries()) {
          const row = `${csvRow(entry, zone, job.balance.preview(entry))}\r\n`;
          if (chunk.length + row.length > MAX_EXPORT_CHUNK_CHARS && job.rowsDone > 0) break fill;
          job.balance.after(entry);
          chunk += row;
          job.rowsDone += 1;
          job.cursor = page.positions[i] ?? job.cursor;
        }
        if (!page.next) job.finished = true;
      }
      if (job.finished) exports.delete(exportId);
      // Entries synced during the export are included when they fall in the period.
      const totalRows = Math.max(job.totalRows, job.rowsDone);
      return { chunk, rowsDone: job.rowsDone, totalRows, done: job.finished };
    },
    'earnings.exportCancel': async ({ accountId, exportId }) => {
      const job = exports.get(exportId);
      if (job && job.accountId === accountId) exports.delete(exportId);
      return { ok: true as const };
    },
    'payouts.list': async ({ accountId, inboxId, timeZone }) => {
      const access = deps.access(accountId);
      checkViewer(access, inboxId);
      await refreshEarnings(access.db, timeZone);
      return read(access, () => {
        const period = resolvePeriod({ kind: 'today' }, timeZone, deps.now());
        const summary = summaryFromStore(access.db, inboxId, period, deps.now());
        const payouts = access.db
          .prepare(
            `SELECT id, currency, amount, at, actor_id FROM earnings_payouts
             WHERE inbox_id = ? ORDER BY at DESC LIMIT 200`,
          )
          .all(inboxId) as {
          id: string;
          currency: Money['currency'];
          amount: number;
          at: number;
          actor_id: string | null;
        }[];
        return {
          available: summary.currencies.map((c) => c.available),
          payouts: payouts.map((p) => ({
            id: p.id,
            amount: { minor: p.amount, currency: p.currency },
            at: p.at,
            actorId: p.actor_id,
          })),
        };
      });
    },
    'payouts.request': async ({ accountId, inboxId, amount }) => {
      const access = deps.access(accountId);
      const membership = access.membership(inboxId);
      if (!membership) throw new CoreError('not_found', 'This inbox is not part of this account.');
      if (!mayAct(membership, 'owner'))
        throw new CoreError('forbidden', 'Only the owner of the inbox can request a payout.');
      if (amount.minor <= 0) throw new CoreError('invalid_input', 'A payout must be more than zero.');
      let payout: RouteResponse<'requestPayout'>;
      try {
        payout = await access.requestPayout(inboxId, amount, randomUUID());
      } catch (error) {
        throw payoutError(error);
      }
      access.afterPayout?.(inboxId);
      return payout;
    },
  };
}
