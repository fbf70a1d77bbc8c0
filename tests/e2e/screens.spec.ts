import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserHost, startBrowserHost } from '../../electron/browser-host';
import { expect, test } from './fixtures';
import { inScenario, messageList } from './inbox-helpers';
import { lookAt, showIn, VIEWPORTS } from './looks';

/**
 * Every main screen of the app — welcome, inbox, message, search, earnings, team, audit,
 * inbox settings, settings, offline — in English and Arabic, light and dark, at 1280×800
 * and 1024×700: axe finds no serious or critical violation on any of them. With
 * SCREENSHOTS=1 (`npm run screenshots`) each is saved to docs/screenshots/.
 */
let host: BrowserHost;
let welcomeHost: BrowserHost;
const dataDirs: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'creator-inbox-screens-'));
  dataDirs.push(dir);
  return dir;
};
test.beforeAll(async () => {
  test.setTimeout(240_000);
  // No live traffic: the demo stays still while it is photographed.
  host = await startBrowserHost({
    dataDir: folder(),
    port: 0,
    open: false,
    build: 'never',
    demo: { liveTrafficMs: 0 },
  });
  // A host that never gets an account, for the welcome screen.
  welcomeHost = await startBrowserHost({ dataDir: folder(), port: 0, open: false, build: 'never', demo: false });
});
test.afterAll(async () => {
  await host?.stop();
  await welcomeHost?.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

for (const locale of ['en', 'ar'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    for (const viewport of VIEWPORTS) {
      const variant = `${theme}-${locale}-${viewport.width}`;
      test(`every screen, axe-clean: ${variant}`, async ({ page }) => {
        test.setTimeout(600_000);
        await page.emulateMedia({ colorScheme: theme });
        await page.addInitScript((choice) => {
          localStorage.setItem('creator-inbox.prefs', JSON.stringify({ theme: 'system', locale: choice }));
        }, locale);
        await page.setViewportSize(viewport);
        await page.goto(welcomeHost.newLaunchUrl());
        await expect(page.locator('.first-run')).toBeVisible();
        await lookAt(page, 'welcome', variant);

        await page.goto(host.newLaunchUrl());
        // The first variant starts the demo; later ones find its account already there.
        const demo = page.locator('.first-run section[aria-labelledby="demo-title"] button.primary');
        await expect(demo.or(messageList(page))).toBeVisible({ timeout: 30_000 });
        if (await demo.isVisible()) await demo.click();
        await expect(messageList(page)).toBeVisible({ timeout: 300_000 });
        await expect(messageList(page).getByRole('option').first()).toBeVisible({ timeout: 60_000 });
        await lookAt(page, 'inbox', variant);

        // Message: the next one, with its More menu open (every action with its key).
        await page.keyboard.press('j');
        await page.locator('.more-button').click();
        await expect(page.getByRole('menu')).toBeVisible();
        await lookAt(page, 'message', variant);
        await page.keyboard.press('Escape');
        await expect(page.getByRole('menu')).toHaveCount(0);

        // Search as you type, with the filters open.
        await messageList(page).focus();
        await page.keyboard.press('/');
        // A word the demo's own messages hold in each language ("book" in the Arabic ones).
        await page.keyboard.type(locale === 'ar' ? 'كتاب' : 'birthday');
        await expect(page.locator('#message-list .row').first()).toBeVisible({ timeout: 30_000 });
        await page.locator('.search button[aria-controls]').click();
        await lookAt(page, 'search', variant);
        await page.locator('.search button[aria-controls]').click();
        await page.locator('#search-input').focus();
        await page.keyboard.press('Escape');
        await messageList(page).focus();

        // The full screens, each reached by its key sequence.
        for (const [keys, screen] of [
          ['g e', 'earnings'],
          ['g t', 'team'],
          ['g a', 'audit'],
          ['g s', 'inbox-settings'],
          ['Control+,', 'settings'],
        ] as const) {
          for (const key of keys.split(' ')) await page.keyboard.press(key);
          const region = page.locator('section.screen');
          await expect(region).toBeVisible();
          await expect(region.locator('[aria-busy="true"], .skeleton-rows')).toHaveCount(0, { timeout: 30_000 });
          if (screen === 'earnings')
            await expect(region.locator('.recharts-surface, .earnings-cards')).not.toHaveCount(0);
          await lookAt(page, screen, variant);
          await page.keyboard.press('Escape');
          await expect(messageList(page)).toBeVisible();
        }
      });
    }
  }
}

test('the offline state, axe-clean in every variant', ({ app }) =>
  inScenario(app, { timeout: 900_000, rows: 3 }, async (scenario, { page }) => {
    // The platform goes away: the app says so calmly and keeps the inbox readable.
    await scenario.stop();
    await expect(page.locator('.sync[data-state="offline"]')).toBeVisible({ timeout: 60_000 });
    for (const locale of ['en', 'ar'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        for (const viewport of VIEWPORTS) {
          await showIn(page, locale, theme, viewport);
          await expect(page.locator('.sync[data-state="offline"]')).toBeVisible({ timeout: 60_000 });
          await expect(messageList(page).getByRole('option').first()).toBeVisible({ timeout: 30_000 });
          await lookAt(page, 'offline', `${theme}-${locale}-${viewport.width}`);
        }
      }
    }
  }));
