/**
 * The import boundary rules of the repo (docs/architecture.md): dependencies point inward.
 * Per-target tsconfigs already refuse DOM in shared/ and Node types in renderer/; this
 * check makes each forbidden import a named, explained failure, including imports that
 * TypeScript would resolve happily (core → `electron`, renderer → electron/core).
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

type Area = 'shared' | 'renderer' | 'core' | 'browser-host' | 'main' | 'preload' | 'server' | 'other';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Packages that only work in Node (native code, sockets, the file system). */
const NODE_ONLY_PACKAGES = new Set([
  'better-sqlite3',
  'pg',
  '@electric-sql/pglite',
  'fastify',
  'ws',
  'pino',
  'electron-log',
  'electron-updater',
]);
/** DOM-only globals that must not appear in shared/ (a tsconfig without DOM also refuses them). */
const DOM_GLOBALS = new Set([
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
  'Element',
  'customElements',
  'location',
]);

function areaOf(relPath: string): Area {
  const parts = relPath.split(sep);
  if (parts[0] === 'shared') return 'shared';
  if (parts[0] === 'renderer') return 'renderer';
  if (parts[0] === 'server') return 'server';
  if (parts[0] === 'electron') {
    if (parts[1] === 'core') return 'core';
    if (parts[1] === 'browser-host') return 'browser-host';
    if (parts[1] === 'main') return 'main';
    if (parts[1] === 'preload') return 'preload';
  }
  return 'other';
}

export function isNodeBuiltin(specifier: string): boolean {
  return (
    NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0] ?? '') || specifier.startsWith('node:')
  );
}

export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Which areas each area may import from (by relative path). */
const ALLOWED_AREAS: Record<Area, ReadonlySet<Area>> = {
  shared: new Set(['shared']),
  renderer: new Set(['renderer', 'shared']),
  core: new Set(['core', 'shared']),
  // The shells may start the embedded demo platform in-process.
  'browser-host': new Set(['browser-host', 'core', 'shared', 'server']),
  main: new Set(['main', 'core', 'shared', 'server']),
  preload: new Set(['preload', 'shared']),
  server: new Set(['server', 'shared']),
  other: new Set(['shared', 'renderer', 'core', 'browser-host', 'main', 'preload', 'server', 'other']),
};

/**
 * Layers inside the core: services use sync and store, sync uses store, and the store
 * knows neither (store ← sync ← services). Other core folders (team, earnings) may use
 * any layer.
 */
const CORE_LAYERS = ['store', 'sync', 'services'] as const;
type CoreLayer = (typeof CORE_LAYERS)[number];

function coreLayerOf(relPath: string): CoreLayer | null {
  const parts = relPath.split(sep);
  if (parts[0] !== 'electron' || parts[1] !== 'core') return null;
  return (CORE_LAYERS as readonly string[]).includes(parts[2] ?? '') ? (parts[2] as CoreLayer) : null;
}

function ruleForLayers(from: string, to: string): string | null {
  const importer = coreLayerOf(from);
  const target = coreLayerOf(to);
  if (!importer || !target) return null;
  return CORE_LAYERS.indexOf(target) > CORE_LAYERS.indexOf(importer)
    ? `core ${importer} must not import from core ${target} (store ← sync ← services)`
    : null;
}

/**
 * Renderer features do not import each other: what two features share lives in
 * renderer/ui (visual) or renderer/data, renderer/state, renderer/i18n (non-visual), and
 * renderer/app composes features into screens.
 */
function featureOf(relPath: string): string | null {
  const parts = relPath.split(sep);
  return parts[0] === 'renderer' && parts[1] === 'features' && parts.length > 3 ? (parts[2] ?? null) : null;
}

function ruleForFeatures(from: string, to: string): string | null {
  const importer = featureOf(from);
  const target = featureOf(to);
  return importer && target && importer !== target
    ? `renderer feature ${importer} must not import from feature ${target} (share it through ui, data, state or i18n)`
    : null;
}

function ruleForImport(area: Area, specifier: string, targetArea: Area | null): string | null {
  const isElectron = specifier === 'electron' || specifier.startsWith('electron/');
  if (targetArea !== null) {
    return ALLOWED_AREAS[area].has(targetArea) ? null : `${area} must not import from ${targetArea}`;
  }
  switch (area) {
    case 'shared':
      if (isNodeBuiltin(specifier)) return 'shared must not use Node APIs';
      if (isElectron) return 'shared must not import electron';
      if (NODE_ONLY_PACKAGES.has(packageName(specifier))) return 'shared must not import Node-only packages';
      return null;
    case 'renderer':
      if (isNodeBuiltin(specifier)) return 'renderer must not use Node APIs';
      if (isElectron) return 'renderer must not import electron (use the bridge)';
      if (NODE_ONLY_PACKAGES.has(packageName(specifier))) return 'renderer must not import Node-only packages';
      return null;
    case 'core':
    case 'browser-host':
    case 'server':
      return isElectron ? `${area} must not import electron (it runs under plain Node)` : null;
    case 'preload':
      return isNodeBuiltin(specifier) ? 'the sandboxed preload cannot use Node APIs' : null;
    default:
      return null;
  }
}

export function importSpecifiers(source: ts.SourceFile): Array<{ specifier: string; pos: number }> {
  const found: Array<{ specifier: string; pos: number }> = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, pos: node.getStart(source) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr)) found.push({ specifier: expr.text, pos: node.getStart(source) });
    } else if (ts.isCallExpression(node)) {
      const [arg] = node.arguments;
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isImport || isRequire) && arg && ts.isStringLiteralLike(arg)) {
        found.push({ specifier: arg.text, pos: node.getStart(source) });
      }
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, pos: node.getStart(source) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function domUses(source: ts.SourceFile): Array<{ name: string; pos: number }> {
  const found: Array<{ name: string; pos: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && DOM_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isPropertyName =
        parent &&
        ((ts.isPropertyAccessExpression(parent) && parent.name === node) ||
          (ts.isPropertyAssignment(parent) && parent.name === node) ||
          ts.isPropertySignature(parent) ||
          ts.isMethodDeclaration(parent));
      const isDeclaration =
        parent && (ts.isVariableDeclaration(parent) || ts.isParameter(parent)) && parent.name === node;
      if (!isPropertyName && !isDeclaration) found.push({ name: node.text, pos: node.getStart(source) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const ref of source.libReferenceDirectives) {
    if (ref.fileName.toLowerCase().startsWith('dom'))
      found.push({ name: `/// <reference lib="${ref.fileName}" />`, pos: ref.pos });
  }
  return found;
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'release', '.git']);

export function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (SOURCE_FILE.test(name)) yield path;
  }
}

export function checkBoundaries(
  root: string,
  areas: readonly string[] = ['shared', 'renderer', 'electron', 'server'],
): Violation[] {
  const violations: Violation[] = [];
  const absoluteRoot = resolve(root);
  for (const top of areas) {
    let exists = false;
    try {
      exists = statSync(join(absoluteRoot, top)).isDirectory();
    } catch {
      exists = false;
    }
    if (!exists) continue;
    for (const file of walk(join(absoluteRoot, top))) {
      const rel = relative(absoluteRoot, file);
      const area = areaOf(rel);
      const text = readFileSync(file, 'utf8');
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
      for (const { specifier, pos } of importSpecifiers(source)) {
        const isRelative = specifier.startsWith('.');
        const target = isRelative ? relative(absoluteRoot, resolve(dirname(file), specifier)) : null;
        const targetArea = target === null ? null : areaOf(target);
        const rule =
          ruleForImport(area, specifier, targetArea) ??
          (target === null ? null : (ruleForLayers(rel, target) ?? ruleForFeatures(rel, target)));
        if (rule) violations.push({ file: rel, line: lineOf(pos), specifier, rule });
      }
      if (area === 'shared') {
        for (const { name, pos } of domUses(source)) {
          violations.push({ file: rel, line: lineOf(pos), specifier: name, rule: 'shared must not use DOM APIs' });
        }
      }
    }
  }
  return violations;
}
