/**
 * Access is read after the inbox lock, on a real PostgreSQL server with two transactions:
 * the owner's revocation holds the inbox lock; a manager's capture or refund that arrives
 * meanwhile waits on it, and once the revocation commits it must be refused — not go
 * through on the access the manager had when the request arrived.
 */
import { beforeAll, expect, it } from 'vitest';
import { adminClientForBlock, backendsWaitOnALock, holdInboxLock } from '../../helpers/postgres-locks';
import {
  type ApiResult,
  describeWithPostgres,
  platformForBlock,
  type TestCreator,
  type TestManager,
  type TestUser,
} from '../../helpers/server';

describeWithPostgres('access after the inbox lock (PostgreSQL, two transactions)', () => {
  const t = platformForBlock({ database: 'postgres' });
  const admin = adminClientForBlock();
  let creator: TestCreator;
  let fan: TestUser;

  beforeAll(async () => {
    creator = await t.api.signUpCreator({ price: { minor: 1_000, currency: 'USD' } });
    fan = await t.api.signUpFan();
  });

  /** The owner revokes the manager in a transaction of its own, holding the inbox lock while `during` runs. */
  async function revokeWhile(manager: TestManager, during: () => Promise<ApiResult>): Promise<ApiResult> {
    const owner = await holdInboxLock(t.schema, creator.inboxId);
    try {
      await owner.query('UPDATE members SET active = false WHERE inbox_id = $1 AND user_id = $2', [
        creator.inboxId,
        manager.id,
      ]);
      const request = during();
      await backendsWaitOnALock(admin, t.schema);
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
