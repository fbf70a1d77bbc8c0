import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { durationBucket } from '../../../electron/core/earnings/schema';
import { configureConnection } from '../../../electron/core/store/db';
import { LATEST_VERSION, MIGRATIONS, migrate } from '../../../electron/core/store/migrations';

const EARNINGS_STEP = MIGRATIONS.find((m) => m.description.startsWith('earnings'))?.version ?? 0;
const tablesOf = (db: Database.Database) =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'earnings%' ORDER BY name")
    .pluck()
    .all() as string[];

describe('earnings cache schema', () => {
  it('is a numbered core migration that creates every earnings table', () => {
    expect(EARNINGS_STEP).toBeGreaterThan(0);
    const db = new Database(':memory:');
    try {
      configureConnection(db);
      migrate(db, EARNINGS_STEP - 1);
      expect(tablesOf(db)).toEqual([]);
      migrate(db);
      expect(tablesOf(db)).toEqual([
        'earnings_day_decisions',
        'earnings_day_fans',
        'earnings_day_rollup',
        'earnings_fold_state',
        'earnings_held',
        'earnings_messages',
        'earnings_month_decisions',
        'earnings_month_fans',
        'earnings_month_rollup',
        'earnings_payouts',
      ]);
    } finally {
      db.close();
    }
  });

  it('duration buckets grow with the duration and stay about 9 % wide', () => {
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(999)).toBe(0);
    expect(durationBucket(1_000)).toBe(1);
    let previous = 0;
    for (let ms = 1_000; ms < 40 * 86_400_000; ms = Math.ceil(ms * 1.05)) {
      const bucket = durationBucket(ms);
      expect(bucket).toBeGreaterThanOrEqual(previous);
      expect(bucket - previous).toBeLessThanOrEqual(1);
      previous = bucket;
    }
    expect(previous).toBeLessThan(200);
  });
});

describe('an earnings cache from a build that created it on first use', () => {
  it('is replaced by the migration with the right shape, empty, to be refolded from the ledger', () => {
    const db = new Database(':memory:');
    try {
      configureConnection(db);
      migrate(db, EARNINGS_STEP - 1);
      // What older builds left behind: their own cache version table and a table of another shape.
      db.exec('CREATE TABLE earnings_cache_version (version INTEGER NOT NULL)');
      db.exec('INSERT INTO earnings_cache_version VALUES (2)');
      db.exec('CREATE TABLE earnings_messages (message_id TEXT PRIMARY KEY, gross INTEGER)');
      db.exec("INSERT INTO earnings_messages VALUES ('stale', 1)");
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      const columns = (db.prepare('PRAGMA table_info(earnings_messages)').all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(columns).toContain('net');
      expect(db.prepare('SELECT count(*) FROM earnings_messages').pluck().get()).toBe(0);
      expect(tablesOf(db)).not.toContain('earnings_cache_version');
    } finally {
      db.close();
    }
  });
});
