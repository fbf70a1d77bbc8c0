/**
 * The shared shape of every benchmark figure. Each `*.bench.ts` module in this folder
 * exports `bench: Bench`; `npm run bench` runs them all (or `-- --only=name`), prints one
 * table and writes bench-results.json. Targets live here, never in timed unit tests.
 */
export interface BenchRecord {
  /** e.g. "core.bootstrap.100k" */
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "< 50 ms", or null when the figure is informational. */
  target: string | null;
  /** Whether the figure meets its target (null without a target). */
  meetsTarget: boolean | null;
  /** value / baseline measured in the same run, where there is a baseline. */
  ratioToBaseline: number | null;
  baseline: { name: string; value: number } | null;
  notes?: string;
}

export interface BenchContext {
  /** `--quick`: a small version of every figure, the whole run under a minute. */
  quick: boolean;
  /**
   * `--sizes=100k,1M`: run only the parts of a bench with these labels (each bench names its
   * own and refuses one it does not know); null runs every part of the chosen mode.
   */
  sizes: readonly string[] | null;
  /** A fresh temporary directory for this bench module. */
  tmpDir: string;
  record(
    record: Omit<BenchRecord, 'meetsTarget' | 'ratioToBaseline' | 'baseline' | 'target'> & {
      target?: { op: '<' | '>' | '<=' | '>='; value: number } | null;
      baseline?: { name: string; value: number } | null;
    },
  ): void;
  log(message: string): void;
}

export interface Bench {
  name: string;
  run(ctx: BenchContext): Promise<void>;
}

/** p-th percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
