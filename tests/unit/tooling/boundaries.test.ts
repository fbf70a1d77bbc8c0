import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBoundaries } from '../../../scripts/boundaries';

const fixture = (name: string) => join(__dirname, '../../fixtures/boundaries', name);

describe('import boundary check', () => {
  it.each([
    ['shared-node', 'shared must not use Node APIs'],
    ['shared-bare-node', 'shared must not use Node APIs'],
    ['shared-dom', 'shared must not use DOM APIs'],
    ['shared-dom-lib', 'shared must not use DOM APIs'],
    ['shared-to-renderer', 'shared must not import from renderer'],
    ['renderer-to-core', 'renderer must not import from core'],
    ['renderer-node', 'renderer must not use Node APIs'],
    ['renderer-electron', 'renderer must not import electron (use the bridge)'],
    ['renderer-sqlite', 'renderer must not import Node-only packages'],
    ['core-electron', 'core must not import electron (it runs under plain Node)'],
    ['core-electron-require', 'core must not import electron (it runs under plain Node)'],
    ['core-electron-dynamic', 'core must not import electron (it runs under plain Node)'],
    ['core-to-main', 'core must not import from main'],
    ['core-store-to-sync', 'core store must not import from core sync (store ← sync ← services)'],
    ['core-store-to-services', 'core store must not import from core services (store ← sync ← services)'],
    ['core-sync-to-services', 'core sync must not import from core services (store ← sync ← services)'],
    [
      'renderer-feature-to-feature',
      'renderer feature inbox must not import from feature team (share it through ui, data, state or i18n)',
    ],
    ['server-to-renderer', 'server must not import from renderer'],
    ['preload-node', 'the sandboxed preload cannot use Node APIs'],
  ])('rejects %s', (name, rule) => {
    const violations = checkBoundaries(fixture(name));
    expect(violations.map((v) => v.rule)).toEqual([rule]);
  });

  it('accepts a tree that follows every rule', () => {
    expect(checkBoundaries(fixture('clean'))).toEqual([]);
  });

  it('accepts this repository', () => {
    expect(checkBoundaries(join(__dirname, '../../..'))).toEqual([]);
  });
});
