import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Electronegativity (Doyensec's Electron security linter) over electron/. Every finding of
 * medium severity or higher must be listed, with its reason, in docs/security.md's table
 * of accepted findings — and every row of that table must still match a finding, so the
 * document cannot drift from the code.
 */
const require = createRequire(import.meta.url);
/**
 * Before it scans, electronegativity fetches translations for $LANG over the network. The
 * build machines are offline, and on Node 24 its HTTP client's failed request escapes as an
 * uncaught exception that fails the run even though the library catches it. Its HTTP client is
 * replaced by one that answers "offline" at once (a fake of the network, which is not reachable
 * here); the library then falls back to its bundled English texts, as it does on any failure.
 */
const libraryRequire = createRequire(require.resolve('@doyensec/electronegativity'));
const offlineHttpClient = () => Promise.reject(new Error('offline: translations are not fetched in tests'));
require.cache[libraryRequire.resolve('got')] = {
  exports: Object.assign(offlineHttpClient, { default: offlineHttpClient }),
} as NodeJS.Module;
const run: (
  options: Record<string, unknown>,
) => Promise<{ issues: Finding[]; errors: unknown[] }> = require('@doyensec/electronegativity');
interface Finding {
  id: string;
  file: string;
  location: { line: number };
  severity: { name: string };
  description: string;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const electronVersion: string = JSON.parse(readFileSync(`${root}node_modules/electron/package.json`, 'utf8')).version;

/** `| \`CHECK_ID\` | \`file\` or (global) | count | why |` rows of docs/security.md. */
function acceptedFindings(): Map<string, number> {
  const accepted = new Map<string, number>();
  const doc = readFileSync(`${root}docs/security.md`, 'utf8');
  for (const match of doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*`?([^|`]+?)`?\s*\|\s*(\d+)\s*\|/gm)) {
    accepted.set(`${match[1]} ${match[2]?.trim()}`, Number(match[3]));
  }
  return accepted;
}

describe('electronegativity over electron/', () => {
  it('leaves no medium or higher finding unexplained in docs/security.md', async () => {
    const result = await run({
      input: `${root}electron`,
      isRelative: true,
      severitySet: 'medium',
      electronVersionOverride: electronVersion,
      // This global check downloads Electron's release list; the build machines are offline.
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      parserPlugins: [],
    });
    expect(result.errors).toEqual([]);
    const found = new Map<string, number>();
    for (const issue of result.issues) {
      // Files come back relative to the scanned folder.
      const where = issue.file === 'N/A' ? '(global)' : `electron/${issue.file.replace(/^[/\\]+/, '')}`;
      const key = `${issue.id} ${where}`;
      found.set(key, (found.get(key) ?? 0) + 1);
    }
    const accepted = acceptedFindings();
    const unexplained = [...found].filter(([key, count]) => accepted.get(key) !== count);
    const stale = [...accepted].filter(([key]) => !found.has(key));
    expect({ unexplained, stale }).toEqual({ unexplained: [], stale: [] });
    expect(accepted.size).toBeGreaterThan(0);
  }, 60_000);
});
