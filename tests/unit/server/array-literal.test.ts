/**
 * Array parameters are written by server/db/array-literal.ts, not by the driver, because
 * the driver's quoting was a large share of the platform's CPU under the accept load (#16).
 * What must not change is a single byte of what PostgreSQL receives: for every array of the
 * kinds it handles, the literal is exactly the driver's own, checked against the driver's
 * `prepareValue` on arbitrary arrays, the awkward characters weighted in (quotes,
 * backslashes, control characters, lone surrogates, braces, commas, "NULL").
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayLiteral, withArrayLiterals } from '../../../server/db/array-literal';

/** The driver's own conversion of a parameter (what it would send for an array). */
const driver = createRequire(import.meta.url)('pg/lib/utils') as { prepareValue(value: unknown): unknown };

const awkward = fc.string({
  unit: fc.constantFrom(
    '"',
    '\\',
    '\n',
    '\t',
    '\u0000',
    '\u001f',
    '\ud800',
    '\udc00',
    '😀',
    '{',
    '}',
    ',',
    ' ',
    'a',
    'NULL',
    'é',
  ),
});
const text = fc.oneof(
  fc.string({ unit: 'binary' }),
  awkward,
  fc.jsonValue().map((value) => JSON.stringify(value)),
);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const { array } = fc.letrec<{ array: unknown[] }>((tie) => ({
  array: fc.array(fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array')), { maxLength: 12 }),
}));

describe('array parameters written as literals (server/db/array-literal.ts)', () => {
  it('writes exactly what the driver writes, for any array of the kinds it handles', () => {
    fc.assert(
      fc.property(array, (values) => {
        expect(arrayLiteral(values)).toBe(driver.prepareValue(values));
      }),
      { numRuns: 2_000 },
    );
  });

  it('writes JSON texts, the common case, as the driver does', () => {
    const rows = [{ body: 'say "hi" \\ to\nme', id: 'm-1' }, null, { list: ['a,b', '{c}'] }];
    const values = rows.map((row) => (row === null ? null : JSON.stringify(row)));
    expect(arrayLiteral(values)).toBe(driver.prepareValue(values));
    expect(arrayLiteral(values)).toBe(
      '{"{\\"body\\":\\"say \\\\\\"hi\\\\\\" \\\\\\\\ to\\\\nme\\",\\"id\\":\\"m-1\\"}",NULL,"{\\"list\\":[\\"a,b\\",\\"{c}\\"]}"}',
    );
  });

  it('leaves an array with an element of another kind to the driver, whole', () => {
    const withDate = ['a', new Date(0)];
    const withBuffer = [Buffer.from('x')];
    const withObject = [{ a: 1 }];
    expect(arrayLiteral(withDate)).toBeUndefined();
    expect(arrayLiteral([['a'], [withBuffer]])).toBeUndefined();
    const params = withArrayLiterals([withDate, withBuffer, withObject, ['b', 2], 'c', 3, null]);
    // Handed on as they came (the same arrays), so the driver converts them as before.
    expect(params[0]).toBe(withDate);
    expect(params[1]).toBe(withBuffer);
    expect(params[2]).toBe(withObject);
    expect(params.slice(3)).toEqual(['{"b","2"}', 'c', 3, null]);
  });
});
