/**
 * Database constraint violations become refusals by the constraint's NAME, never by its
 * class: the errors here are real ones from a migrated (in-memory PGlite) database, so
 * the names are the schema's own. A CHECK failing that is not in the list is a platform
 * fault — a generic 500 that shows no SQL — and never reads "insufficient funds".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database';
import { openDatabase } from '../../../server/db/open';
import { ApiError } from '../../../server/errors';
import { toApiError } from '../../../server/http/app';

let db: Database;
beforeAll(async () => {
  db = await openDatabase({ dataDir: null });
});
afterAll(async () => {
  await db?.close();
});

/** The error the database raises for this statement (it must raise one). */
async function failure(sql: string, params: unknown[] = []): Promise<unknown> {
  try {
    await db.query(sql, params);
  } catch (error) {
    return error;
  }
  throw new Error(`Expected the database to refuse: ${sql}`);
}

const insertUser = (id: string, email: string, kind: string) =>
  failure(
    `INSERT INTO users (id, email, display_name, kind, password_salt, password_hash, created_at)
     VALUES ($1, $2, 'Someone', $3, 's', 'h', 0)`,
    [id, email, kind],
  );

function expectPlatformFault(error: unknown, sqlWords: string[]): void {
  const refusal = toApiError(error);
  expect(refusal).toBeInstanceOf(ApiError);
  expect(refusal.code).not.toBe('insufficient_funds');
  expect(refusal.code).toBe('internal');
  expect(refusal.status).toBe(500);
  expect(refusal.message).toBe('Something went wrong on the platform');
  // Nothing of the statement or the schema reaches the caller.
  for (const word of sqlWords) expect(`${refusal.message} ${JSON.stringify(refusal.details)}`).not.toContain(word);
}

describe('constraint violations are mapped by name', () => {
  it('reads a CHECK failure that is not in the list as a platform fault, not as insufficient funds', async () => {
    const unlistedCheck = await insertUser('u-check', 'check@example.test', 'admin');
    // It really is a CHECK failure (SQLSTATE 23514) on a constraint the list does not name.
    expect(unlistedCheck).toMatchObject({ code: '23514', constraint: 'users_kind_check' });
    expectPlatformFault(unlistedCheck, ['users', 'kind', 'check', 'INSERT']);

    const kindCheck = await failure(
      `INSERT INTO accounts (id, kind, owner_id, currency, balance) VALUES ('a-kind', 'piggy-bank', NULL, 'USD', 5)`,
    );
    expect(kindCheck).toMatchObject({ code: '23514', constraint: 'accounts_kind_check' });
    expectPlatformFault(kindCheck, ['accounts', 'piggy-bank']);
  });

  it('reads the balance CHECK as insufficient funds, and the named unique keys as conflicts', async () => {
    const overdrawn = await failure(
      `INSERT INTO accounts (id, kind, owner_id, currency, balance) VALUES ('a-wallet', 'wallet', NULL, 'USD', -1)`,
    );
    expect(overdrawn).toMatchObject({ code: '23514', constraint: 'accounts_check' });
    expect(toApiError(overdrawn)).toMatchObject({ code: 'insufficient_funds', status: 402 });

    await db.query(
      `INSERT INTO users (id, email, display_name, kind, password_salt, password_hash, created_at)
       VALUES ('u-1', 'taken@example.test', 'Someone', 'fan', 's', 'h', 0)`,
    );
    const sameEmail = await insertUser('u-2', 'taken@example.test', 'fan');
    expect(sameEmail).toMatchObject({ code: '23505', constraint: 'users_email_key' });
    expect(toApiError(sameEmail)).toMatchObject({ code: 'conflict', status: 409 });

    // A duplicate the list does not name (the primary key) is a fault too, not "already exists".
    const sameId = await insertUser('u-1', 'other@example.test', 'fan');
    expect(sameId).toMatchObject({ code: '23505', constraint: 'users_pkey' });
    expectPlatformFault(sameId, ['users_pkey']);
  });
});
