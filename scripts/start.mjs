#!/usr/bin/env node
/**
 * `npm start`: the app in Electron, which offers "Try the demo" on first run. Where
 * Electron's own binary cannot be had (no internet for its first download), the same app
 * (same core, same renderer build) starts through the browser host instead, so the
 * README's first command runs the app on every machine.
 *
 * Electron's binary comes from the internet on first start: its install script is not run
 * by `npm install` here (package.json#allowScripts). better-sqlite3 ships Node-API
 * prebuilds, which load in Electron as they are: nothing is rebuilt for Electron.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const require = createRequire(import.meta.url);

/** The Electron binary when it is on disk, else null. */
export function electronBinary() {
  try {
    // electron's index.js resolves the path once, from path.txt and ELECTRON_OVERRIDE_DIST_PATH:
    // read it afresh after a download.
    delete require.cache[require.resolve('electron')];
    const path = require('electron');
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Runs electron's own install script (the download). Returns null, or why it failed, in one line. */
export function downloadElectron() {
  const electronDir = join(root, 'node_modules/electron');
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60_000,
  });
  if (install.status === 0) return null;
  const output = `${install.stderr ?? ''}\n${install.stdout ?? ''}`;
  const firstLine = output
    .split('\n')
    .map((line) => line.trim())
    .find(Boolean);
  return firstLine ?? install.error?.message ?? `its install script ended with ${install.status ?? install.signal}`;
}

/**
 * Runs a child with the terminal and resolves with its exit code. `forwarded` signals are
 * passed on; the others are only kept from ending this process first (a terminal's Ctrl+C
 * reaches the child by itself, and a second SIGINT would cut its clean shutdown short).
 */
function run(command, args, forwarded) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root });
    const handlers = Object.fromEntries(
      ['SIGINT', 'SIGTERM'].map((signal) => [signal, () => forwarded.includes(signal) && child.kill(signal)]),
    );
    for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
    const done = (code) => {
      for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
      resolve(code);
    };
    child.on('error', (error) => {
      console.error(error.message);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/**
 * Starts the app and resolves with the exit code of the shell it ran. `argv` goes to the
 * shell (Electron, or the browser host's `--no-open`, `--port`, `--data-dir`). `build`
 * builds what Electron loads into dist/.
 */
export async function startApp({ argv = [], build, log = console.log } = {}) {
  let electron = electronBinary();
  if (!electron) {
    log('Downloading Electron (first start only)…');
    const reason = downloadElectron();
    electron = electronBinary();
    if (!electron) {
      log(
        `Electron could not be downloaded (${reason ?? 'its install script put no binary in place'}); ` +
          'starting the same app in your browser instead.',
      );
      const cli = join(root, 'electron/browser-host/cli.ts');
      return run(process.execPath, ['--import', 'tsx', cli, ...argv], ['SIGTERM']);
    }
  }
  await (build ?? (await import('./build.mjs')).buildAll)();
  return run(electron, [root, ...argv], ['SIGINT', 'SIGTERM']);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  startApp({ argv: process.argv.slice(2) }).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
