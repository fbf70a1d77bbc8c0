/**
 * `npm run bench [-- --quick] [-- --only=core] [-- --sizes=100k,1M]`: runs every
 * tests/bench/*.bench.ts (or those named), only the parts labelled in --sizes where a bench
 * has sizes, prints a table and writes bench-results.json (git-ignored).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench, BenchContext, BenchRecord } from './harness';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const sizes =
  process.argv
    .find((a) => a.startsWith('--sizes='))
    ?.slice('--sizes='.length)
    .split(',')
    .filter(Boolean) ?? null;
const here = import.meta.dirname;
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.startsWith(only))
  .sort();

const records: BenchRecord[] = [];
const failures: string[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { bench: Bench };
  const tmpDir = mkdtempSync(join(tmpdir(), `bench-${mod.bench.name}-`));
  const ctx: BenchContext = {
    quick,
    sizes,
    tmpDir,
    log: (message) => console.log(`  [${mod.bench.name}] ${message}`),
    record: ({ target, baseline, ...rest }) => {
      const meets =
        target == null
          ? null
          : target.op === '<'
            ? rest.value < target.value
            : target.op === '<='
              ? rest.value <= target.value
              : target.op === '>'
                ? rest.value > target.value
                : rest.value >= target.value;
      records.push({
        ...rest,
        target: target ? `${target.op} ${target.value} ${rest.unit}` : null,
        meetsTarget: meets,
        baseline: baseline ?? null,
        ratioToBaseline: baseline && baseline.value !== 0 ? Number((rest.value / baseline.value).toFixed(3)) : null,
      });
    },
  };
  console.log(`▶ ${mod.bench.name}${quick ? ' (quick)' : ''}`);
  const t0 = Date.now();
  try {
    await mod.bench.run(ctx);
  } catch (error) {
    failures.push(`${mod.bench.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));
const rows = records.map((r) => [
  r.name,
  `${fmt(r.value)} ${r.unit}`,
  r.target ?? '',
  r.meetsTarget === null ? '' : r.meetsTarget ? 'ok' : 'MISSED',
  r.ratioToBaseline === null ? '' : `${r.ratioToBaseline} × ${r.baseline?.name}`,
]);
const header = ['figure', 'value', 'target', '', 'ratio to baseline'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const row of rows) console.log(line(row));

writeFileSync(
  'bench-results.json',
  `${JSON.stringify({ quick, sizes, at: new Date().toISOString(), node: process.version, records, failures }, null, 2)}\n`,
);
console.log(`\nwrote bench-results.json (${records.length} figures)`);
if (failures.length > 0) {
  console.error(`\n${failures.length} bench module(s) failed:\n${failures.join('\n')}`);
  process.exit(1);
}
