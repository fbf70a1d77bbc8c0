/**
 * The inboxes of messages a process has not seen are read together (#16): app.ts asks for
 * them while an inbox is hot, one per accept, and with two processes that was a statement
 * (and a transaction) per accept. On each database the platform runs on.
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database';
import { createInboxLookup } from '../../../server/http/inbox-lookup';
import { describeWithPostgres, platformForBlock, type TestCreator, type TestUser } from '../../helpers/server';

for (const database of ['pglite', 'postgres'] as const) {
  (database === 'postgres' ? describeWithPostgres : describe)(
    `looking up unseen messages' inboxes (${database})`,
    () => {
      const t = platformForBlock({ database });

      /** The platform's database, counting the statements sent through it. */
      const counted = () => {
        const statements: string[] = [];
        const db: Pick<Database, 'query'> = {
          query<Row>(text: string, params?: readonly unknown[]) {
            statements.push(text);
            return t.platform.db.query<Row>(text, params);
          },
        };
        return { db, statements };
      };

      const messagesOf = async (creators: TestCreator[], fan: TestUser, each: number) => {
        const sent: Array<{ id: string; inboxId: string }> = [];
        for (const creator of creators)
          for (let i = 0; i < each; i++)
            sent.push({
              id: (await t.api.sendPaidMessage(fan, creator, `Lookup ${i}`, { fund: true })).id,
              inboxId: creator.inboxId,
            });
        return sent;
      };

      it('reads the inboxes asked for while a read is in flight in one statement, each request its own', async () => {
        const creators = [await t.api.signUpCreator(), await t.api.signUpCreator()];
        const fan = await t.api.signUpFan();
        const sent = await messagesOf(creators, fan, 5);
        const { db, statements } = counted();
        const lookup = createInboxLookup(db);
        // One asked alone goes at once; the rest, asked while it is in flight, go together.
        const answers = await Promise.all([
          ...sent.map((m) => lookup.inboxOf(m.id)),
          lookup.inboxOf('no-such-message'),
        ]);
        expect(answers).toEqual([...sent.map((m) => m.inboxId), null]);
        expect(statements).toHaveLength(2);
        // A lone one, with nothing in flight, is not held back.
        expect(await lookup.inboxOf(sent[0]?.id ?? '')).toBe(creators[0]?.inboxId);
        expect(statements).toHaveLength(3);
      });

      it('reads at most its limit in one statement, and the rest in the next', async () => {
        const creator = await t.api.signUpCreator();
        const fan = await t.api.signUpFan();
        const sent = await messagesOf([creator], fan, 7);
        const { db, statements } = counted();
        const lookup = createInboxLookup(db, 3);
        const answers = await Promise.all(sent.map((m) => lookup.inboxOf(m.id)));
        expect(answers).toEqual(sent.map(() => creator.inboxId));
        // 1 at once, then 3, then the other 3.
        expect(statements).toHaveLength(3);
      });

      it('answers null to every request of a read that failed, and reads again for the next', async () => {
        const creator = await t.api.signUpCreator();
        const fan = await t.api.signUpFan();
        const [message] = await messagesOf([creator], fan, 1);
        let fail = true;
        const db: Pick<Database, 'query'> = {
          // The statement PostgreSQL refuses (a column that does not exist), once.
          query<Row>(text: string, params?: readonly unknown[]) {
            return t.platform.db
              .query<Row>(fail ? text.replace('inbox_id', 'no_such_column') : text, params)
              .finally(() => {
                fail = false;
              });
          },
        };
        const lookup = createInboxLookup(db);
        expect(await Promise.all([lookup.inboxOf(message?.id ?? ''), lookup.inboxOf(message?.id ?? '')])).toEqual([
          null,
          creator.inboxId,
        ]);
        expect(await lookup.inboxOf(message?.id ?? '')).toBe(creator.inboxId);
      });
    },
  );
}
