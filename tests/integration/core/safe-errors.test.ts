import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBridgeError } from '../../../shared/contract';
import { startCore } from '../../fixtures/core/core';
import { waitFor } from '../../fixtures/core/proxy';
import { closeSoon, startTestPlatform, type TestCreator, type TestPlatform } from '../../helpers/server';

/** What the page may never see in an error: the database's own words, or our SQL. */
const RAW_STORAGE_TEXT = /sqlite|no such|table|column|constraint|select|insert|update|delete from|syntax|notices/i;

let platform: TestPlatform;
let creator: TestCreator;

beforeAll(async () => {
  platform = await startTestPlatform();
  creator = await platform.api.signUpCreator({ displayName: 'Errors Creator' });
});
afterAll(() => closeSoon(platform), 20_000);

describe('errors that reach the page', () => {
  it('carry a code and a safe message, never raw SQLite or SQL text, when the local database fails', async () => {
    const first = await startCore();
    const { dataDir, vault } = first;
    let accountId = '';
    try {
      ({ id: accountId } = await first.signIn(platform.url, creator));
      await waitFor(async () => (await first.call('sync.status', { accountId })).state === 'online', 'online');
    } finally {
      await first.close();
    }
    // Damage a quick_check cannot see: a table of the account's database is gone.
    const db = new Database(join(dataDir, 'accounts', `${accountId}.sqlite`));
    db.exec('DROP TABLE notices');
    db.close();

    const h = await startCore({ dataDir, vault });
    try {
      const failure = await h.call('notices.list', { accountId }).then(
        () => null,
        (error: { code?: string; message?: string; details?: unknown }) => error,
      );
      expect(failure).not.toBeNull();
      expect(failure?.code).toBe('internal');
      expect(failure?.message).toMatch(/local database/);
      expect(failure?.message).not.toMatch(RAW_STORAGE_TEXT);
      expect(JSON.stringify(failure?.details ?? null)).not.toMatch(RAW_STORAGE_TEXT);
    } finally {
      await h.close();
    }
  });

  it('an unexpected failure of any kind crosses the bridge as a code and a generic message', () => {
    const raw = Object.assign(new Error('SQLITE_ERROR: near "FROM": syntax error in SELECT id FROM messages'), {
      code: 'SQLITE_ERROR',
    });
    const bridged = toBridgeError(raw);
    expect(bridged.code).toBe('internal');
    expect(bridged.message).not.toMatch(RAW_STORAGE_TEXT);
    expect(toBridgeError(new TypeError("Cannot read properties of undefined (reading 'rows')")).message).not.toMatch(
      /undefined|rows/,
    );
  });
});
