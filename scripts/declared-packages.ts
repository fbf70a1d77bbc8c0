/**
 * "Declare every package the code imports": each bare import must name a package in
 * package.json. Code that ships in the app (shared, renderer, core, main, preload, server) needs it in
 * `dependencies`, since installers carry only those; tooling (scripts, tests, build hooks,
 * configs) may use `devDependencies` too. `electron` is the one exception: electron-builder
 * wants it in devDependencies, and the app runs inside it rather than loading it.
 * Imports are found the way the boundary check finds them (scripts/boundaries.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { importSpecifiers, isNodeBuiltin, packageName, walk } from './boundaries';

export interface Undeclared {
  file: string;
  line: number;
  pkg: string;
  problem: string;
}

const SHIPPED = ['shared', 'renderer', 'electron/core', 'electron/main', 'electron/preload', 'server'];
/** The browser host runs from the repository (`npm run browser`) and is never packaged. */
const TOOLING = ['electron/browser-host', 'scripts', 'tests', 'build'];
/** Fixture trees hold imports on purpose (the boundary check's forbidden ones). */
const NOT_CHECKED = [join('tests', 'fixtures')];
const PROVIDED_BY_THE_SHELL = new Set(['electron']);

function sourceFiles(root: string, top: string): string[] {
  const dir = join(root, top);
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [dir];
  return [...walk(dir)].filter((file) => !NOT_CHECKED.some((skip) => relative(root, file).startsWith(skip)));
}

export function checkDeclaredPackages(root: string): Undeclared[] {
  const absoluteRoot = resolve(root);
  const manifest = JSON.parse(readFileSync(join(absoluteRoot, 'package.json'), 'utf8'));
  const runtime = new Set(Object.keys(manifest.dependencies ?? {}));
  const development = new Set(Object.keys(manifest.devDependencies ?? {}));
  const configs = readdirSync(absoluteRoot).filter((name) => /\.config\.(ts|mts|js|mjs|cjs)$/.test(name));
  const found: Undeclared[] = [];
  const check = (files: string[], shipped: boolean) => {
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      for (const { specifier, pos } of importSpecifiers(source)) {
        if (specifier.startsWith('.') || specifier.startsWith('/') || isNodeBuiltin(specifier)) continue;
        const pkg = packageName(specifier);
        const where = () => ({
          file: relative(absoluteRoot, file),
          line: source.getLineAndCharacterOfPosition(pos).line + 1,
          pkg,
        });
        if (shipped && !runtime.has(pkg) && !PROVIDED_BY_THE_SHELL.has(pkg)) {
          found.push({
            ...where(),
            problem: development.has(pkg)
              ? 'shipped code imports a devDependency: move it to dependencies'
              : 'not declared in package.json dependencies',
          });
        } else if (!shipped && !runtime.has(pkg) && !development.has(pkg)) {
          found.push({ ...where(), problem: 'not declared in package.json' });
        }
      }
    }
  };
  for (const top of SHIPPED) check(sourceFiles(absoluteRoot, top), true);
  for (const top of [...TOOLING, ...configs]) check(sourceFiles(absoluteRoot, top), false);
  return found;
}
