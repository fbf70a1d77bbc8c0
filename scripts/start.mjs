#!/usr/bin/env node
/**
 * `npm start`: build, make sure Electron and an Electron build of better-sqlite3 are
 * present, then launch the app (which offers "Try the demo" on first run).
 *
 * Electron's binary comes from the internet on first start (its install script is not run
 * by `npm install` here, see package.json#allowScripts). The Electron build of
 * better-sqlite3 goes to node_modules/.cache, never over the Node build the tests use, and
 * its path reaches the core through CREATOR_INBOX_SQLITE_BINDING.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);

function fail(lines) {
  console.error(`\n${lines.join('\n')}\n`);
  process.exit(1);
}

const OFFLINE_HINT = ['Without it, run the same app in your browser instead:', '', '  npm run browser'];

function electronBinary() {
  try {
    return require('electron');
  } catch {
    return null;
  }
}

function ensureElectron() {
  const present = electronBinary();
  if (present && existsSync(present)) return present;
  console.log('Downloading Electron (first start only)…');
  const install = spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], {
    stdio: 'inherit',
    cwd: join(root, 'node_modules/electron'),
    timeout: 10 * 60_000,
  });
  const installed = install.status === 0 ? electronBinary() : null;
  if (!installed || !existsSync(installed)) {
    fail(['Electron could not be downloaded (is this machine offline?).', ...OFFLINE_HINT]);
  }
  return installed;
}

async function ensureElectronSqlite() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const sqlite = JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8'));
  const home = join(
    root,
    'node_modules/.cache/creator-inbox-electron',
    `${electronVersion}-${process.arch}-${sqlite.version}`,
  );
  const binding = join(home, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  if (existsSync(binding)) return binding;

  console.log(`Building better-sqlite3 for Electron ${electronVersion} (first start only)…`);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(join(home, 'node_modules'), { recursive: true });
  writeFileSync(
    join(home, 'package.json'),
    JSON.stringify({ name: 'electron-native', private: true, dependencies: { 'better-sqlite3': sqlite.version } }),
  );
  cpSync(join(root, 'node_modules/better-sqlite3'), join(home, 'node_modules/better-sqlite3'), {
    recursive: true,
    filter: (source) => !source.includes(`${join('better-sqlite3', 'build')}`),
  });
  try {
    const { rebuild } = require('@electron/rebuild');
    await rebuild({
      buildPath: home,
      electronVersion,
      arch: process.arch,
      onlyModules: ['better-sqlite3'],
      force: true,
    });
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    fail([
      `better-sqlite3 could not be built for Electron: ${error instanceof Error ? error.message : error}`,
      "(This needs Electron's headers from the internet, and a C++ toolchain when no prebuilt binary exists.)",
      ...OFFLINE_HINT,
    ]);
  }
  if (!existsSync(binding)) fail([`The Electron build of better-sqlite3 is missing at ${binding}.`, ...OFFLINE_HINT]);
  return binding;
}

const electron = ensureElectron();
const binding = await ensureElectronSqlite();
await buildAll();

const child = spawn(electron, [root, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CREATOR_INBOX_SQLITE_BINDING: binding },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
