/**
 * Access is read after the inbox lock, on a real PostgreSQL server with two transactions:
 * the owner's revocation holds the inbox lock; a manager's capture or refund that arrives
 * meanwhile waits on it, and once the revocation commits it must be refused — not go
 * through on the access the manager had when the request arrived.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backendsWaitOnALock } from '../../helpers/postgres-locks';
import {
  type ApiResult,
  describeWithPostgres,
  startTestPlatform,
  type TestCreator,
  type TestManager,
  type TestPlatform,
  type TestUser,
  testDatabaseUrl,
} from '../../helpers/server';

describeWithPostgres('access after the inbox lock (PostgreSQL, two transactions)', () => {
  let t: TestPlatform;
  let creator: TestCreator;
  let fan: TestUser;
  let admin: pg.Client;

  beforeAll(async () => {
    t = await startTestPlatform({ database: 'postgres' });
    creator = await t.api.signUpCreator({ price: { minor: 1_000, currency: 'USD' } });
    fan = await t.api.signUpFan();
    admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  /** The owner revokes the manager in a transaction of its own, holding the inbox lock while `during` runs. */
  async function revokeWhile(manager: TestManager, during: () => Promise<ApiResult>): Promise<ApiResult> {
    const owner = new pg.Client({ connectionString: testDatabaseUrl() });
    await owner.connect();
    try {
      await owner.query(`SET search_path TO ${t.schema}`);
      await owner.query('BEGIN');
      await owner.query('SELECT 1 FROM inboxes WHERE id = $1 FOR UPDATE', [creator.inboxId]);
      await owner.query('UPDATE members SET active = false WHERE inbox_id = $1 AND user_id = $2', [
        creator.inboxId,
        manager.id,
      ]);
      const request = during();
      await backendsWaitOnALock(admin);
      await owner.query('COMMIT');
      return await request;
    } finally {
      await owner.end();
    }
  }

  for (const action of ['accept', 'refund'] as const) {
    it(`a manager revoked while their ${action} waits on the inbox lock cannot ${action === 'accept' ? 'capture' : 'refund'}`, async () => {
      const manager = await t.api.signUpManager(creator, ['accept', 'refund']);
      const message = await t.api.sendPaidMessage(fan, creator, `Please ${action}`, { fund: true });
      const result = await revokeWhile(manager, () =>
        action === 'accept' ? t.api.accept(manager, message.id) : t.api.refund(manager, message.id),
      );
      expect(result.status).toBe(404);
      expect(await t.api.messageStatus(fan, message.id)).toBe('pending');
      await t.api.checkInvariants();
    });
  }
});
