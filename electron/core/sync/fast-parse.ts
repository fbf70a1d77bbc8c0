import type { z } from 'zod';

/**
 * A quick first reading of a zod schema, compiled from the schema itself: the protocol's
 * schemas stay the one statement of what an entry may be, and this only reads them faster.
 *
 * A snapshot is hundreds of thousands of entries, and zod's general machinery (a payload
 * object and an issue list per field, every check behind a closure) cost ~3–6 µs an entry,
 * more than writing it. The compiled function walks the same definition as straight-line
 * code and answers one of two things:
 * - the value zod would give (unknown keys stripped, defaults filled in, overwrites such
 *   as trim applied), when every rule of the schema holds on the fast path;
 * - `NOT_SURE` otherwise: the caller then asks zod itself, whose verdict and issue stand.
 * It never says yes where zod would say no; it may say "not sure" where zod would say yes
 * (a string whose length must be counted in code points, an absent optional key, a kind
 * it does not compile), which only costs speed. tests/unit/core/fast-parse.test.ts checks
 * both against zod on valid and broken entries.
 *
 * The generated source holds only what the schema says (its keys as JSON strings, its
 * numeric bounds); functions and sets are passed in, and no entry's data is ever part of
 * it. It runs where the core runs (Node), as zod's own compiled object parsers do; the
 * renderer's no-eval policy is not involved.
 */
export const NOT_SURE: unique symbol = Symbol('not sure');
export type FastParse<T> = (value: unknown) => T | typeof NOT_SURE;

/** A schema part the compiler does not read: that part is always left to zod. */
class Unsupported extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: zod's internal definitions are untyped here
type Def = any;

interface Emitter {
  lines: string[];
  refs: unknown[];
  next: number;
}

const ref = (out: Emitter, value: unknown): string => {
  out.refs.push(value);
  return `r[${out.refs.length - 1}]`;
};
const fresh = (out: Emitter, prefix: string): string => `${prefix}${out.next++}`;

/** The checks zod runs after a value's type was read; the value is in `v` (reassigned by overwrites). */
function emitChecks(out: Emitter, def: Def, v: string, kind: 'string' | 'number' | 'array' | 'other'): void {
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    switch (c.check) {
      case 'min_length':
        // Strings count code points: fewer units can never reach the floor, twice as many always
        // do; in between, zod counts them (not sure).
        if (kind === 'string') out.lines.push(`if (${v}.length < ${2 * c.minimum}) return N;`);
        else if (kind === 'array') out.lines.push(`if (${v}.length < ${c.minimum}) return N;`);
        else throw new Unsupported('min_length');
        break;
      case 'max_length':
        // A string within the bound in units is within it in code points.
        if (kind !== 'string' && kind !== 'array') throw new Unsupported('max_length');
        out.lines.push(`if (${v}.length > ${c.maximum}) return N;`);
        break;
      case 'greater_than':
        if (kind !== 'number' || typeof c.value !== 'number') throw new Unsupported('greater_than');
        out.lines.push(`if (${v} ${c.inclusive ? '<' : '<='} ${c.value}) return N;`);
        break;
      case 'less_than':
        if (kind !== 'number' || typeof c.value !== 'number') throw new Unsupported('less_than');
        out.lines.push(`if (${v} ${c.inclusive ? '>' : '>='} ${c.value}) return N;`);
        break;
      case 'number_format':
        if (kind !== 'number' || c.format !== 'safeint') throw new Unsupported(`number_format ${c.format}`);
        out.lines.push(`if (!Number.isSafeInteger(${v})) return N;`);
        break;
      case 'custom':
        // A refinement: its own function, called as zod calls it.
        out.lines.push(`if (!${ref(out, c.fn)}(${v})) return N;`);
        break;
      case 'overwrite':
        if (kind !== 'string' && kind !== 'number') throw new Unsupported('overwrite');
        out.lines.push(`${v} = ${ref(out, c.tx)}(${v});`);
        break;
      default:
        throw new Unsupported(`check ${c.check}`);
    }
  }
}

/** Emits code reading `input` as `schema`; returns the variable that holds zod's output. */
function emit(out: Emitter, schema: z.ZodType, input: string): string {
  const def: Def = (schema as Def)._zod.def;
  const v = fresh(out, 'v');
  if (def.coerce) throw new Unsupported('coerce');
  switch (def.type) {
    case 'string':
      out.lines.push(`if (typeof ${input} !== 'string') return N;`, `let ${v} = ${input};`);
      emitChecks(out, def, v, 'string');
      return v;
    case 'number':
      out.lines.push(
        `if (typeof ${input} !== 'number' || !Number.isFinite(${input})) return N;`,
        `let ${v} = ${input};`,
      );
      emitChecks(out, def, v, 'number');
      return v;
    case 'boolean':
      out.lines.push(`if (typeof ${input} !== 'boolean') return N;`, `let ${v} = ${input};`);
      emitChecks(out, def, v, 'other');
      return v;
    case 'literal':
    case 'enum':
      out.lines.push(`if (!${ref(out, (schema as Def)._zod.values)}.has(${input})) return N;`, `let ${v} = ${input};`);
      emitChecks(out, def, v, 'other');
      return v;
    case 'nullable': {
      out.lines.push(`let ${v} = null;`, `if (${input} !== null) {`);
      out.lines.push(`${v} = ${emit(out, def.innerType, input)};`, '}');
      emitChecks(out, def, v, 'other');
      return v;
    }
    case 'optional':
      // An absent key's handling (kept out of the output or not) is left to zod.
      out.lines.push(`if (${input} === undefined) return N;`, `let ${v} = ${emit(out, def.innerType, input)};`);
      emitChecks(out, def, v, 'other');
      return v;
    case 'default': {
      // zod gives the default (fresh from its getter) for undefined, without validating it.
      out.lines.push(`let ${v};`, `if (${input} === undefined) ${v} = ${ref(out, def)}.defaultValue;`, 'else {');
      out.lines.push(`${v} = ${emit(out, def.innerType, input)};`, '}');
      emitChecks(out, def, v, 'other');
      return v;
    }
    case 'array': {
      const i = fresh(out, 'i');
      const element = fresh(out, 'e');
      out.lines.push(`if (!Array.isArray(${input})) return N;`);
      out.lines.push(`let ${v} = new Array(${input}.length);`, `for (let ${i} = 0; ${i} < ${input}.length; ${i}++) {`);
      out.lines.push(`const ${element} = ${input}[${i}];`);
      out.lines.push(`${v}[${i}] = ${emit(out, def.element, element)};`, '}');
      // As zod: the array's own checks after its elements, on what they gave.
      emitChecks(out, def, v, 'array');
      return v;
    }
    case 'object': {
      if (def.catchall) throw new Unsupported('catchall');
      out.lines.push(`if (typeof ${input} !== 'object' || ${input} === null || Array.isArray(${input})) return N;`);
      const fields: string[] = [];
      for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        const k = JSON.stringify(key);
        const raw = fresh(out, 'f');
        out.lines.push(`const ${raw} = ${input}[${k}];`);
        fields.push(`${k}: ${emit(out, field, raw)}`);
      }
      // Keys in the shape's order, unknown keys left out: zod's output, key for key.
      out.lines.push(`let ${v} = { ${fields.join(', ')} };`);
      emitChecks(out, def, v, 'other');
      return v;
    }
    case 'union': {
      const discriminator: unknown = def.discriminator;
      if (typeof discriminator !== 'string' || def.unionFallback) throw new Unsupported('union');
      out.lines.push(`if (typeof ${input} !== 'object' || ${input} === null || Array.isArray(${input})) return N;`);
      out.lines.push(`let ${v};`, `switch (${input}[${JSON.stringify(discriminator)}]) {`);
      for (const option of def.options as z.ZodType[]) {
        const values: Set<unknown> | undefined = (option as Def)._zod.propValues?.[discriminator];
        if (!values || values.size === 0) throw new Unsupported('union option without its discriminator');
        for (const value of values) out.lines.push(`case ${ref(out, value)}:`);
        out.lines.push('{');
        // An option the compiler cannot read is zod's to read; the others stay fast.
        const mark = out.lines.length;
        const refs = out.refs.length;
        try {
          out.lines.push(`${v} = ${emit(out, option, input)};`);
        } catch (error) {
          if (!(error instanceof Unsupported)) throw error;
          out.lines.length = mark;
          out.refs.length = refs;
          out.lines.push('return N;');
        }
        out.lines.push('break;', '}');
      }
      out.lines.push('default: return N;', '}');
      emitChecks(out, def, v, 'other');
      return v;
    }
    default:
      throw new Unsupported(def.type);
  }
}

/**
 * Compiles `schema` (once, at start-up). A schema the compiler cannot read at all gives a
 * function that always answers NOT_SURE, i.e. zod every time.
 */
export function compileFastParse<S extends z.ZodType>(schema: S): FastParse<z.output<S>> {
  const out: Emitter = { lines: [], refs: [], next: 0 };
  let result: string;
  try {
    result = emit(out, schema, 'input');
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    return () => NOT_SURE;
  }
  const body = `return function fastParse(input) {\n${out.lines.join('\n')}\nreturn ${result};\n};`;
  return new Function('r', 'N', body)(out.refs, NOT_SURE) as FastParse<z.output<S>>;
}
