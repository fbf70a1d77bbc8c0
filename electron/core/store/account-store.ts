import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { guardStorage } from '../errors';
import { OffThreadCheckpoints } from './checkpointer';
import { type OpenedDatabase, type OpenOptions, openAccountDatabase } from './db';
import { countView, type ViewScope } from './queries';

/**
 * One signed-in account's database with the bookkeeping around it: every write goes
 * through `write` (one transaction, storage errors made clear) and bumps `generation`,
 * which keys the cache of view totals so scrolling does not recount a million rows.
 */
export class AccountStore {
  readonly db: Database.Database;
  readonly repaired: OpenedDatabase['repaired'];
  private generationValue = 0;
  private readonly totals = new Map<string, number>();
  private readonly summaries = new Map<string, unknown>();
  /** Held by each running bootstrap: its log is checkpointed off the UI thread. */
  readonly checkpoints: OffThreadCheckpoints;

  constructor(path: string, options: OpenOptions = {}, now = Date.now()) {
    mkdirSync(dirname(path), { recursive: true });
    const opened = guardStorage(() => openAccountDatabase(path, options, now));
    this.db = opened.db;
    this.repaired = opened.repaired;
    this.checkpoints = new OffThreadCheckpoints(this.db, path);
  }

  get generation(): number {
    return this.generationValue;
  }

  /** Marks cached figures stale; call after any write not made through `write`. */
  touch(): void {
    this.generationValue += 1;
    this.totals.clear();
    this.summaries.clear();
  }

  /**
   * Runs `operation` in one transaction. `durable` (money-bearing outbox writes) makes
   * the commit wait for the disk (synchronous=FULL) instead of the cache's NORMAL.
   */
  write<T>(operation: () => T, durable = false): T {
    return guardStorage(() => {
      if (durable) this.db.pragma('synchronous = FULL');
      try {
        return this.db.transaction(operation)();
      } finally {
        if (durable) this.db.pragma('synchronous = NORMAL');
        this.touch();
      }
    });
  }

  read<T>(operation: () => T): T {
    return guardStorage(operation);
  }

  /** A view's total, cached until the next write (and per minute, since snoozes wake up). */
  viewTotal(scope: ViewScope): number {
    const key = JSON.stringify([scope.inboxId, scope.view, scope.label ?? null, Math.floor(scope.now / 60_000)]);
    const cached = this.totals.get(key);
    if (cached !== undefined) return cached;
    const total = guardStorage(() => countView(this.db, scope));
    this.totals.set(key, total);
    return total;
  }

  /** Any figure derived from the data, computed once until the next write (or the next minute). */
  cached<T>(key: string, now: number, compute: () => T): T {
    const full = `${key}@${Math.floor(now / 60_000)}`;
    if (this.summaries.has(full)) return this.summaries.get(full) as T;
    const value = guardStorage(compute);
    this.summaries.set(full, value);
    return value;
  }

  close(): void {
    this.checkpoints.close();
    if (this.db.open) this.db.close();
  }
}
