import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDeclaredPackages } from '../../../scripts/declared-packages';

describe('every package the code imports is declared', () => {
  it('finds undeclared imports, and devDependencies imported by shipped code', () => {
    const found = checkDeclaredPackages(join(__dirname, '../../fixtures/declared-packages'));
    expect(found.map(({ file, pkg, problem }) => ({ file, pkg, problem }))).toEqual([
      { file: 'renderer/lazy.ts', pkg: '@scope/missing', problem: 'not declared in package.json dependencies' },
      { file: 'server/app.ts', pkg: 'left-pad', problem: 'not declared in package.json dependencies' },
      {
        file: 'server/app.ts',
        pkg: 'vitest',
        problem: 'shipped code imports a devDependency: move it to dependencies',
      },
      { file: 'scripts/tool.ts', pkg: 'not-in-package-json', problem: 'not declared in package.json' },
    ]);
    expect(found[1]?.line).toBe(3);
  });

  it('holds for this repository', () => {
    expect(checkDeclaredPackages(join(__dirname, '../../..'))).toEqual([]);
  });
});
