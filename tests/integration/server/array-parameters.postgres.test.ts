/**
 * Array parameters reach PostgreSQL as the values they were (server/db/array-literal.ts,
 * #16): the platform writes their literals itself, so every element must come back from
 * the server exactly as sent, through the real driver and connection, on both paths a
 * statement takes (a transaction's pipelined statements and a lone query).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database';
import { openPg } from '../../../server/db/pg';
import { describeWithPostgres, testDatabaseUrl } from '../../helpers/server';

/** Text PostgreSQL can hold and UTF-8 can carry: no NUL, no lone surrogate. */
const storable = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('"', '\\', '\n', '\t', '\u001f', '😀', '{', '}', ',', ' ', 'NULL', 'é', 'ع'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
  })
  .filter((text) => !text.includes('\u0000'));
const texts = fc.array(
  fc.oneof(
    storable,
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.constant(null),
  ),
  { maxLength: 20 },
);
const amounts = fc.array(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constant(null)), {
  maxLength: 20,
});

describeWithPostgres('array parameters written as literals (PostgreSQL)', () => {
  let db: Database;
  const schema = `arrays_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  beforeAll(async () => {
    db = await openPg(testDatabaseUrl() ?? '', { schema, max: 2 });
  });
  afterAll(async () => {
    await db?.exec(`DROP SCHEMA ${schema} CASCADE`);
    await db?.close();
  });

  it('brings every text[] and bigint[] element back as sent, in a transaction and alone', async () => {
    await fc.assert(
      fc.asyncProperty(texts, amounts, async (sentTexts, sentAmounts) => {
        const statement = 'SELECT $1::text[] AS texts, $2::bigint[]::text[] AS amounts, cardinality($1::text[]) AS n';
        const expected = { texts: sentTexts, amounts: sentAmounts.map((a) => (a === null ? null : String(a))) };
        const [inTransaction] = await db.transaction((tx) =>
          tx.query<typeof expected>(statement, [sentTexts, sentAmounts]),
        );
        const [alone] = await db.query<typeof expected>(statement, [sentTexts, sentAmounts]);
        for (const row of [inTransaction, alone]) {
          expect({ texts: row?.texts, amounts: row?.amounts }).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('joins JSON texts to unnest as the batched writes do', async () => {
    const rows = [{ body: 'say "hi" \\ to\nme', fan: 'ع' }, { body: '{a,b} NULL' }];
    const [row] = await db.query<{ bodies: string[] }>(
      `SELECT array_agg(d::json->>'body' ORDER BY n) AS bodies FROM unnest($1::text[]) WITH ORDINALITY AS t(d, n)`,
      [rows.map((r) => JSON.stringify(r))],
    );
    expect(row?.bodies).toEqual(['say "hi" \\ to\nme', '{a,b} NULL']);
  });
});
