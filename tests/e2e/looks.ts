import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * How the screens are looked at: axe (WCAG 2.1 A and AA, serious or critical findings
 * only) and, with SCREENSHOTS=1 (`npm run screenshots`), a picture in docs/screenshots/
 * for the README — in each language, theme and size the app is checked in.
 */
export const SCREENSHOT_DIR = join(process.cwd(), 'docs', 'screenshots');
export const saveScreenshots = process.env.SCREENSHOTS === '1';
export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;

/** The serious and critical axe findings on the page, or within `selector`. */
export async function seriousViolations(page: Page, selector?: string) {
  const axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  const results = await (selector ? axe.include(selector) : axe).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

/** Fails on any serious finding (after transitions and live regions settle), then saves `name-variant.png` if asked. */
export async function lookAt(page: Page, name: string, variant: string, selector?: string) {
  await page.waitForTimeout(250);
  expect(await seriousViolations(page, selector), `${name} (${variant})`).toEqual([]);
  await saveScreenshot(page, name, variant);
}

/** Saves `name-variant.png` in docs/screenshots with SCREENSHOTS=1; does nothing otherwise. */
export async function saveScreenshot(page: Page, name: string, variant: string) {
  if (!saveScreenshots) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${variant}.png`) });
}

/** Reloads the open page in a language and theme (the theme follows the emulated system one) at a size. */
export async function showIn(
  page: Page,
  locale: 'en' | 'ar',
  theme: 'light' | 'dark',
  viewport: (typeof VIEWPORTS)[number],
) {
  await page.emulateMedia({ colorScheme: theme });
  await page.setViewportSize(viewport);
  await page.evaluate((choice) => {
    localStorage.setItem('creator-inbox.prefs', JSON.stringify({ theme: 'system', locale: choice }));
  }, locale);
  await page.reload();
}
