import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RENDERER_BUILD_DIR, REPO_ROOT, VITE_CONFIG } from './paths';

/** What the renderer build is made from: a change to any of these makes the build stale. */
const BUILD_INPUTS = ['renderer', 'shared', 'vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function isRendererBuildStale(root = REPO_ROOT, outDir = RENDERER_BUILD_DIR): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(join(root, input)) > built);
}

/** Builds the renderer with Vite when it is missing or older than its sources. */
export async function ensureRendererBuild(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!options.force && !isRendererBuildStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: VITE_CONFIG, logLevel: options.quiet ? 'error' : 'warn' });
  return true;
}

export function assertRendererBuilt(outDir = RENDERER_BUILD_DIR): void {
  if (!existsSync(join(outDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${outDir} has no index.html). Run \`npm run build\` first.`);
  }
}
