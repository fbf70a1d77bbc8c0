#!/usr/bin/env node
/**
 * `npm run screenshots`: regenerates docs/screenshots/ — every main screen (welcome, inbox,
 * message, search, earnings, team, audit, inbox settings, settings, offline) in English and
 * Arabic, light and dark, at 1280×800 and 1024×700 — by running the screens spec with
 * SCREENSHOTS=1. The same run checks each screen with axe (no serious or critical finding).
 */
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['playwright', 'test', 'tests/e2e/screens.spec.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, SCREENSHOTS: '1' },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
