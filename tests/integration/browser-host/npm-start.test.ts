import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * `npm start` (scripts/start.mjs) on both kinds of machine. Where Electron's binary cannot
 * be had, the download goes to a fake Electron mirror on loopback that refuses every file,
 * and the real browser host must come up instead. Where Electron is present, a fake Electron
 * binary (a shell script) stands in for it: the real one cannot be downloaded here.
 */
const root = join(__dirname, '../../..');
const startScript = join(root, 'scripts/start.mjs');

let dir: string;
let fakeMirror: Server;
let mirrorRequests: string[];
let mirrorUrl: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  mirrorRequests = [];
  fakeMirror = createServer((req, res) => {
    mirrorRequests.push(req.url ?? '');
    res.writeHead(503).end('fake mirror: no Electron here');
  });
  await new Promise<void>((resolve) => fakeMirror.listen(0, '127.0.0.1', resolve));
  mirrorUrl = `http://127.0.0.1:${(fakeMirror.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  await new Promise((resolve) => fakeMirror.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Electron's download settings pointed at the fake mirror, with an empty download cache. */
function electronEnv(distPath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(npm_config_electron_|electron_|ELECTRON_)/i.test(key)) delete env[key];
  }
  return {
    ...env,
    // An empty folder: Electron counts as absent even on a machine that has it installed.
    ELECTRON_OVERRIDE_DIST_PATH: distPath,
    ELECTRON_MIRROR: mirrorUrl,
    electron_config_cache: join(dir, 'electron-cache'),
  };
}

function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = output().match(pattern);
      if (match) {
        clearInterval(timer);
        resolve(match[0]);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`npm start exited ${child.exitCode} before printing ${pattern}:\n${output()}`));
      }
    }, 100);
    setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`no ${pattern} within ${ms} ms:\n${output()}`));
    }, ms);
  });
}

describe('npm start', () => {
  it('says in one line that Electron could not be downloaded and serves the app through the browser host', async () => {
    const emptyDist = join(dir, 'no-electron');
    mkdirSync(emptyDist);
    const child = spawn(process.execPath, [startScript, '--no-open', '--data-dir', join(dir, 'data')], {
      cwd: dir,
      env: electronEnv(emptyDist),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    try {
      const url = await waitForOutput(child, () => stdout, /http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+/, 420_000);
      expect(mirrorRequests.some((path) => /electron-v[\d.]+-\w+-\w+\.zip$/.test(path))).toBe(true);
      const said = stdout.split('\n').filter((line) => /Electron/.test(line));
      expect(said).toEqual([
        'Downloading Electron (first start only)…',
        expect.stringMatching(
          /^Electron could not be downloaded \(.*503.*\); starting the same app in your browser instead\.$/,
        ),
      ]);
      // One line, not the downloader's stack trace.
      expect(`${stdout}\n${stderr}`).not.toMatch(/^\s+at /m);

      // The printed address spends a one-time code for a session cookie, then shows the app.
      const spent = await fetch(url, { redirect: 'manual' });
      expect(spent.status).toBe(303);
      const session = spent.headers.get('set-cookie')?.split(';')[0] ?? '';
      expect(session).not.toBe('');
      const page = await fetch(new URL('/', url), { headers: { cookie: session } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="root"/);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      if (child.exitCode === null) child.kill('SIGTERM');
      // The browser host stops cleanly when npm start is told to stop.
      expect(await exited).toBe(0);
    }
  }, 480_000);

  it.skipIf(process.platform === 'win32')(
    'launches Electron with the app and its arguments when Electron is present, downloading nothing',
    async () => {
      const fakeDist = join(dir, 'fake-electron-dist');
      // electron's index.js joins the override folder with path.txt's name, or `electron`.
      const pathTxt = join(root, 'node_modules/electron/path.txt');
      const binaryName = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8') : 'electron';
      const fakeElectron = join(fakeDist, binaryName);
      mkdirSync(join(fakeElectron, '..'), { recursive: true });
      writeFileSync(
        fakeElectron,
        `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(dir, 'fake-electron-argv.txt')}"\nexit 7\n`,
      );
      chmodSync(fakeElectron, 0o755);

      const saved = { ...process.env };
      Object.assign(process.env, electronEnv(fakeDist));
      const logged: string[] = [];
      let builds = 0;
      try {
        const { startApp } = (await import(startScript as string)) as {
          startApp: (options: {
            argv: string[];
            build: () => Promise<void>;
            log: (line: string) => void;
          }) => Promise<number>;
        };
        const code = await startApp({
          argv: ['--inspect-nothing'],
          build: async () => {
            builds += 1;
          },
          log: (line) => logged.push(line),
        });
        expect(code).toBe(7);
      } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
      }
      expect(readFileSync(join(dir, 'fake-electron-argv.txt'), 'utf8').trim().split('\n')).toEqual([
        root.endsWith('/') ? root : `${root}/`,
        '--inspect-nothing',
      ]);
      expect(builds).toBe(1);
      expect(logged).toEqual([]);
      expect(mirrorRequests).toEqual([]);
    },
  );
});
