/**
 * What the desktop app's main bundle carries from the platform (server/): the platform
 * itself (the embedded demo runs it), demo seeding only through the demo launcher, and
 * never the bulk seeding that benches and load tests use. Read from esbuild's metafile of
 * the real build.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Metafile = {
  inputs: Record<string, { imports: Array<{ path: string; kind: string }> }>;
  outputs: Record<string, { inputs: Record<string, unknown> }>;
};

const repo = join(import.meta.dirname, '../../..');
let outDir: string;
let metafile: Metafile;

beforeAll(async () => {
  // The bundle must be written inside the repo: it resolves npm packages from node_modules.
  outDir = mkdtempSync(join(repo, 'dist-bundle-test-'));
  const { buildMain } = (await import('../../../scripts/build.mjs' as string)) as {
    buildMain(options: { outfile: string; metafile: boolean }): Promise<Metafile>;
  };
  metafile = await buildMain({ outfile: join(outDir, 'index.cjs'), metafile: true });
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const importersOf = (path: string) =>
  Object.entries(metafile.inputs)
    .filter(([, input]) => input.imports.some((i) => i.path === path))
    .map(([importer]) => importer)
    .sort();

describe('the desktop main bundle', () => {
  it('carries the platform, whose entry point imports no demo or bulk seeding', () => {
    expect(Object.keys(metafile.inputs)).toContain('server/index.ts');
    const fromEntry = metafile.inputs['server/index.ts']?.imports.map((i) => i.path) ?? [];
    expect(fromEntry.length).toBeGreaterThan(0);
    expect(fromEntry.filter((path) => path.startsWith('server/demo/'))).toEqual([]);
  });

  it('never carries bulk seeding', () => {
    expect(Object.keys(metafile.inputs).filter((path) => path.startsWith('server/demo/bulk'))).toEqual([]);
  });

  it('brings demo seeding in only through the one demo launcher both shells use', () => {
    expect(importersOf('server/demo/seed.ts')).toEqual(['server/demo/launcher.ts']);
    expect(importersOf('server/demo/launcher.ts')).toEqual(['server/demo/worker.ts']);
  });

  /** The source files esbuild put into one written file (main's, or a worker's beside it). */
  const inputsOf = (file: string) => {
    const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(`/${file}`));
    if (!output) throw new Error(`the build wrote no ${file}`);
    return Object.keys(output[1].inputs);
  };

  it("keeps SQLite and the platform off main's thread: the core and the demo are worker files beside it", () => {
    const main = inputsOf('index.cjs');
    expect(main).toContain('electron/core/worker/host.ts');
    expect(main.filter((path) => path.startsWith('electron/core/store/') || path.startsWith('server/index'))).toEqual(
      [],
    );
    expect(inputsOf('core-worker.cjs')).toContain('electron/core/store/account-store.ts');
    expect(inputsOf('demo-worker.cjs')).toContain('server/index.ts');
  });
});
