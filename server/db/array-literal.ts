/**
 * PostgreSQL array literals for statement parameters, written by us instead of the driver.
 *
 * Why: the batched statements of an accept (feed rows, stored answers, audit rows, ledger
 * entries) pass their rows as arrays joined to `unnest`, and most elements are JSON texts.
 * The driver quotes each element with two regular-expression replaces and builds the
 * literal by string concatenation; under the accept load that was ~5 % of the platform's
 * CPU and ~30 % of all it allocated (docs/scaling.md §2, "Array parameters"). Here an
 * element is quoted by `JSON.stringify` where that gives the same text, which it does in
 * one native pass.
 *
 * The output is exactly the driver's (`pg/lib/utils` `prepareValue` of the array) for every
 * array of strings, numbers, bigints, booleans, null/undefined and nested such arrays: a
 * property test holds the two equal. Any other element (a Date, a Buffer, an object) and
 * the whole array is left to the driver.
 */

/** Characters `JSON.stringify` writes as an escape that an array literal would read otherwise. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const CONTROL_CHARACTER = /[\u0000-\u001f]/;
const QUOTED_ONLY = /["\\]/g;

/** ES2024's `String.prototype.isWellFormed` (Node 20 has it; the lib here is ES2023). */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * One element, quoted as an array literal quotes it: between double quotes, with a
 * backslash before each `"` and `\`. JSON writes a string just so unless it holds a
 * control character or a lone surrogate, which JSON escapes (`\n`, `\ud800`) and an array
 * literal would read as other characters.
 */
function quotedElement(text: string): string {
  if (!CONTROL_CHARACTER.test(text) && isWellFormed(text)) return JSON.stringify(text);
  return `"${text.replace(QUOTED_ONLY, '\\$&')}"`;
}

/** The element as the driver writes it, or undefined for a kind this module leaves to the driver. */
function element(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return quotedElement(value);
    case 'number':
    case 'bigint':
    case 'boolean':
      // The driver quotes these too (`"42"`), and so does this, to write the same text.
      return `"${String(value)}"`;
    default:
      return Array.isArray(value) ? arrayLiteral(value) : undefined;
  }
}

/** The array's literal (`{"a","b",NULL}`), or undefined when an element is of a kind left to the driver. */
export function arrayLiteral(values: readonly unknown[]): string | undefined {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const part = element(values[i]);
    if (part === undefined) return undefined;
    parts[i] = part;
  }
  return `{${parts.join(',')}}`;
}

/** A statement's parameters with every array written as its literal (the others as they are). */
export function withArrayLiterals(params: readonly unknown[]): unknown[] {
  return params.map((param) => (Array.isArray(param) ? (arrayLiteral(param) ?? param) : param));
}
