#!/usr/bin/env node
/**
 * `npm run build`: everything the Electron app loads, into dist/.
 *   dist/renderer/             the renderer (Vite), shared with the browser host
 *   dist/electron/main/index.cjs    main process (esbuild, CJS; packages stay in node_modules)
 *   dist/electron/main/core-worker.cjs  the core's worker thread (SQLite, sync), beside main
 *   dist/electron/main/demo-worker.cjs  the embedded demo platform's worker thread
 *   dist/electron/preload/index.cjs the sandboxed preload: one file that requires only `electron`
 *   dist/electron/assets/      icons the main process shows (window, tray)
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('../', import.meta.url));
const at = (path) => fileURLToPath(new URL(path, new URL('../', import.meta.url)));

/** Electron 41 runs Node 22+ in main and Chromium 14x in the preload. */
const MAIN_TARGET = 'node22';
const PRELOAD_TARGET = 'chrome130';

export async function buildRenderer() {
  await viteBuild({ configFile: at('vite.config.ts'), logLevel: 'warn' });
}

/**
 * The main process and the two worker threads it starts, written side by side (the
 * workers are found beside the bundle: electron/core/worker/host.ts, server/demo/in-worker.ts).
 * `outfile` is main's file and must stay inside the repo: the bundles load npm packages
 * from its node_modules.
 */
export async function buildMain({ outfile = at('dist/electron/main/index.cjs'), metafile = false } = {}) {
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: {
      [basename(outfile, '.cjs')]: at('electron/main/index.ts'),
      'core-worker': at('electron/core/worker/entry.ts'),
      'demo-worker': at('server/demo/worker.ts'),
    },
    outdir: dirname(outfile),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: MAIN_TARGET,
    // Our own code (main, core, server, shared) is bundled; npm packages load from
    // node_modules, where native modules and PGlite's wasm find their files.
    packages: 'external',
    external: ['electron'],
    // Modules written as ESM (server/db resolves PGlite's files through import.meta.url)
    // get the bundle's own file URL, which resolves node_modules the same way.
    define: { 'import.meta.url': '__bundleFileUrl' },
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
    sourcemap: 'linked',
    logLevel: 'warning',
    // What went into the bundle, for the packaging test (tests/unit/tooling/desktop-bundle.test.ts).
    metafile,
  });
  return result.metafile;
}

export async function buildPreload({ outfile = at('dist/electron/preload/index.cjs') } = {}) {
  await esbuild({
    absWorkingDir: root,
    entryPoints: [at('electron/preload/index.ts')],
    outfile,
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: PRELOAD_TARGET,
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // A sandboxed preload can require only `electron`: fail the build, not the app at launch.
  const required = [...readFileSync(outfile, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  const unexpected = required.filter((name) => name !== 'electron');
  if (unexpected.length > 0) throw new Error(`The preload must only require electron, but requires: ${unexpected}`);
}

export function copyAssets() {
  mkdirSync(at('dist/electron/assets'), { recursive: true });
  for (const file of ['icon.png', 'tray.png', 'tray@2x.png', 'badge.png']) {
    copyFileSync(at(`build/${file}`), at(`dist/electron/assets/${file}`));
  }
}

export async function buildAll() {
  const started = Date.now();
  await buildRenderer();
  await Promise.all([buildMain(), buildPreload()]);
  copyAssets();
  console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildAll().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
