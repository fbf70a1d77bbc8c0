import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  durationBucket,
  EARNINGS_CACHE_VERSION,
  EARNINGS_SCHEMA_SQL,
  ensureEarningsSchema,
} from '../../../electron/core/earnings/schema';

describe('earnings cache schema', () => {
  it('schema.sql, the text proposed as the core migration, is exactly what the code creates', () => {
    const file = readFileSync(join(import.meta.dirname, '../../../electron/core/earnings/schema.sql'), 'utf8');
    expect(EARNINGS_SCHEMA_SQL).toBe(file);
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

describe('an earnings cache from an older build', () => {
  it('is dropped and rebuilt rather than read with the wrong shape', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE earnings_messages (message_id TEXT PRIMARY KEY, gross INTEGER)');
      db.exec("INSERT INTO earnings_messages VALUES ('stale', 1)");
      ensureEarningsSchema(db);
      const columns = (db.prepare('PRAGMA table_info(earnings_messages)').all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(columns).toContain('net');
      expect(db.prepare('SELECT count(*) FROM earnings_messages').pluck().get()).toBe(0);
      expect(db.prepare('SELECT version FROM earnings_cache_version').pluck().get()).toBe(EARNINGS_CACHE_VERSION);
    } finally {
      db.close();
    }
  });
});
