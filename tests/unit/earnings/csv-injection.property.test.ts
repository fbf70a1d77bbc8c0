import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, textField } from '../../../electron/core/earnings/csv';

const FORMULA_START = /^[=+\-@\t\r]/;

/** Untrusted text rich in what matters here: formula characters, separators, quotes, line breaks, spaces. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ';', ',', '"', ' ', "'", 'HYPERLINK("x")', 'cmd|'),
      fc.string({ maxLength: 4 }),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** The one quoted field back: must be exactly `"…"` with inner quotes doubled. */
function unquote(field: string): string {
  expect(field.startsWith('"') && field.endsWith('"') && field.length >= 2).toBe(true);
  const inner = field.slice(1, -1);
  expect(inner.replaceAll('""', '')).not.toContain('"');
  return inner.replaceAll('""', '"');
}

/** Whether `short` is `long` with characters left out (the defusing only adds apostrophes). */
function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i += 1;
  return i === short.length;
}

describe('CSV text fields (earnings and audit exports)', () => {
  it('are always quoted, and no cell a spreadsheet could split out of them starts a formula', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const written = unquote(textField(text));
        // Whatever a spreadsheet splits on (, ; or a line break), no piece starts a formula.
        for (const cell of written.split(/[;,\r\n]/)) {
          expect(FORMULA_START.test(cell.replace(/^ +/, ''))).toBe(false);
        }
        // Nothing is lost: only apostrophes were added, each right before a formula character.
        expect(isSubsequence(text, written)).toBe(true);
        expect(written.replaceAll(/'(?=[=+\-@\t\r])/g, '').length).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('quote plain identifiers too, and an empty or missing value as an empty quoted field', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (id) => {
        expect(unquote(csvField(id))).toBe(id);
      }),
    );
    expect(textField(null)).toBe('""');
    expect(textField('')).toBe('""');
    expect(textField('Ali;=HYPERLINK("http://x")')).toBe('"Ali;\'=HYPERLINK(""http://x"")"');
    expect(textField('a, -1+2')).toBe('"a, \'-1+2"');
  });
});
