/**
 * An event stream's access check must not wait in line behind the process's writers (#16:
 * a change reaches 1,000 subscribers with p95 ≤ 100 ms). Each change re-checks every open
 * stream's session and membership; under load that read waited for a pooled connection
 * behind the accepts. Here every pooled connection of one process is held by a writer
 * waiting on a lock: a change written through another process must still reach this
 * process's stream, and a session revoked meanwhile must still end it before its next event.
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import { ASIDE_APP_NAME, DEFAULT_POOL_SIZE } from '../../../server/db/pg';
import { openEvents } from '../../helpers/events';
import { adminClientForBlock, backendsWaitOnALock } from '../../helpers/postgres-locks';
import { describeWithPostgres, platformsOnOneDatabaseForBlock, testDatabaseUrl } from '../../helpers/server';

const LOCK_KEY = 716_001;

/** Resolves to 'held back' if `work` has not finished within `ms`. */
function within<T>(work: Promise<T>, ms: number): Promise<T | 'held back'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'held back'>((resolve) => {
    timer = setTimeout(() => resolve('held back'), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

describeWithPostgres('event streams are checked on a connection aside (PostgreSQL)', () => {
  const admin = adminClientForBlock();
  const platforms = platformsOnOneDatabaseForBlock(2);

  it("delivers another process's change while every pooled connection waits behind a writer, and ends a revoked session's stream", async () => {
    const [a, b] = platforms;
    if (!a || !b) throw new Error('the platforms did not start');
    const creator = await b.api.signUpCreator();
    const fan = await b.api.signUpFan();
    const phone = await b.api.ok('signIn', {
      body: { email: creator.email, password: creator.password, deviceName: 'Phone' },
    });
    const events = await openEvents(a, creator, creator.token);
    await events.waitFor(/id: \d+\n/);
    const head = async () =>
      (
        await b.platform.db.query<{ feed_head: number }>('SELECT feed_head FROM inboxes WHERE id = $1', [
          creator.inboxId,
        ])
      )[0]?.feed_head;

    // Every connection of A's pool taken by a transaction waiting on a lock held from outside.
    const blocker = new pg.Client({ connectionString: testDatabaseUrl() });
    await blocker.connect();
    await blocker.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const writers = Array.from({ length: DEFAULT_POOL_SIZE }, () =>
      a.platform.db.transaction((sql) => sql.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY])),
    );
    try {
      // Advisory locks touch no table of the schema: every waiter of the database counts.
      await backendsWaitOnALock(admin, null, DEFAULT_POOL_SIZE);

      await b.api.sendPaidMessage(fan, creator, 'Sent while A is busy', { fund: true });
      const written = await head();
      const heard = await within(
        events.waitFor(new RegExp(`id: ${written}\\n`)).then(() => 'heard' as const),
        15_000,
      );
      expect(heard).toBe('heard');
      // The check ran on the process's one connection aside, not on a pooled one.
      const aside = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [`${ASIDE_APP_NAME} ${a.schema}`],
      );
      expect(aside.rows[0]?.n).toBe(1);

      // The stream's session is revoked from another device; the next change must not reach it.
      const sessions = await b.api.ok('listSessions', { token: phone.token });
      const streaming = sessions.sessions.find((s) => !s.current);
      await b.api.ok('revokeSession', { token: phone.token, params: { sessionId: streaming?.id ?? '' } });
      await b.api.sendPaidMessage(fan, creator, 'Sent after the revocation', { fund: true });
      const afterRevocation = await head();
      const sent = await within(events.ended(), 15_000);
      expect(sent).not.toBe('held back');
      expect(sent).not.toContain(`id: ${afterRevocation}\n`);
    } finally {
      await blocker.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      await Promise.all(writers);
      await blocker.end();
      events.close();
    }
  });
});
