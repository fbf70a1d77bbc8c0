import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The hosted-runner CI (.github/workflows) cannot run here, so it is kept valid by a
 * schema of the workflow syntax (github-workflow.schema.json beside this file) and by
 * checks that it still does what it is for.
 */
const root = join(__dirname, '../../..');
const workflowsDir = join(root, '.github/workflows');
const schema = JSON.parse(readFileSync(join(__dirname, 'github-workflow.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const errorsOf = (workflow: unknown) =>
  validate(workflow) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
const load = (file: string) => parse(readFileSync(join(workflowsDir, file), 'utf8'));
const ci = () => load('ci.yml');

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, string> };
const steps = (): Step[] => ci().jobs['test-and-package'].steps;

describe('GitHub workflows', () => {
  it.each(readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)))('%s is a valid workflow', (file) => {
    expect(errorsOf(load(file))).toEqual([]);
  });

  it('refuses invalid workflows: the schema is not a pass-everything', () => {
    const broken = (change: (w: ReturnType<typeof ci>) => void) => {
      const workflow = ci();
      change(workflow);
      return errorsOf(workflow);
    };
    expect(broken((w) => delete w.jobs['test-and-package']['runs-on'])).not.toEqual([]);
    expect(broken((w) => (w.jobs['test-and-package'].runs_on = 'ubuntu-latest'))).not.toEqual([]);
    expect(broken((w) => (w.jobs['test-and-package'].steps[0] = { name: 'neither uses nor run' }))).not.toEqual([]);
    expect(broken((w) => (w.jobs['test-and-package'].steps[0] = { uses: 'a/b@v1', run: 'both' }))).not.toEqual([]);
    expect(broken((w) => (w.jobs['test-and-package'].steps[0] = { uses: 'actions/checkout' }))).not.toEqual([]);
    expect(broken((w) => (w.on = { pushh: null }))).not.toEqual([]);
    expect(broken((w) => (w.permissions = { contents: 'admin' }))).not.toEqual([]);
    expect(broken((w) => delete w.jobs)).not.toEqual([]);
  });

  it('tests and packages on hosted macOS, Windows and Linux with the project’s Node', () => {
    const job = ci().jobs['test-and-package'];
    expect(job.strategy.matrix.os.sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect(job['runs-on']).toBe(['${{', 'matrix.os', '}}'].join(' '));
    const setupNode = steps().find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setupNode?.with?.['node-version-file']).toBe('.nvmrc');
  });

  it('downloads Electron before npm test, so the Electron spec runs there, then builds and uploads installers', () => {
    const runs = steps().map((s) => s.run ?? s.uses ?? '');
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    expect(at(/node node_modules\/electron\/install\.js/)).toBeGreaterThan(at(/^npm ci/));
    expect(at(/npm test$/)).toBeGreaterThan(at(/electron\/install\.js/));
    // Linux has no display: the test step runs under xvfb there and plainly elsewhere.
    const testSteps = steps().filter((s) => /npm test$/.test(s.run ?? ''));
    expect(testSteps.map((s) => [s.if, s.run])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run -a npm test'],
      ["runner.os != 'Linux'", 'npm test'],
    ]);
    expect(at(/^npm run dist/)).toBeGreaterThan(at(/npm test$/));
    const upload = steps().find(
      (s) => s.uses?.startsWith('actions/upload-artifact@') && /installers/.test(s.name ?? ''),
    );
    for (const ext of ['dmg', 'zip', 'exe', 'AppImage', 'deb'])
      expect(upload?.with?.path).toContain(`release/*.${ext}`);
    expect(upload?.with?.['if-no-files-found']).toBe('error');
  });
});
