import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRendererBuildStale } from '../../../electron/browser-host/renderer-build';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function project() {
  root = mkdtempSync(join(tmpdir(), 'renderer-build-'));
  for (const dir of ['renderer/app', 'shared/money', 'dist/renderer']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'renderer/app/App.tsx'), 'export const App = 1;');
  writeFileSync(join(root, 'shared/money/index.ts'), 'export const x = 1;');
  writeFileSync(join(root, 'vite.config.ts'), 'export default {};');
  writeFileSync(join(root, 'package.json'), '{}');
  const old = new Date(Date.now() - 60_000);
  for (const file of ['renderer/app/App.tsx', 'shared/money/index.ts', 'vite.config.ts', 'package.json']) {
    utimesSync(join(root, file), old, old);
  }
  for (const dir of ['renderer/app', 'renderer', 'shared/money', 'shared']) utimesSync(join(root, dir), old, old);
  return { out: join(root, 'dist/renderer') };
}

describe('browser host: rebuild the renderer only when needed', () => {
  it('builds when there is no build yet', () => {
    const { out } = project();
    expect(isRendererBuildStale(root, out)).toBe(true);
  });

  it('reuses a build newer than every source', () => {
    const { out } = project();
    writeFileSync(join(out, 'index.html'), '<!doctype html>');
    expect(isRendererBuildStale(root, out)).toBe(false);
  });

  it('rebuilds when a renderer or shared source, or the Vite config, changed since', () => {
    for (const changed of ['renderer/app/App.tsx', 'shared/money/index.ts', 'vite.config.ts']) {
      const { out } = project();
      writeFileSync(join(out, 'index.html'), '<!doctype html>');
      const later = new Date(Date.now() + 5_000);
      utimesSync(join(root, changed), later, later);
      expect({ changed, stale: isRendererBuildStale(root, out) }).toEqual({ changed, stale: true });
      rmSync(root, { recursive: true, force: true });
    }
  });
});
