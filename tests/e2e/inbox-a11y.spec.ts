import { expect, test } from './fixtures';
import { messageList, type Scenario, startScenario, waitForRows } from './inbox-helpers';
import { lookAt, seriousViolations } from './looks';

/**
 * axe-core on the inbox, message, search and settings screens, in light and dark, English
 * and Arabic: no serious or critical violation. With SCREENSHOTS=1 each screen is also saved
 * to docs/screenshots/ for the README.
 */
let scenario: Scenario;
test.beforeAll(async () => {
  scenario = await startScenario({
    messages: [
      { body: 'Could you record a birthday message for my sister? She loves your travel videos.', fan: 0 },
      { body: 'هل يمكنك أن ترسل تحية لأخي في عيد ميلاده؟ إنه من أكبر معجبيك.', fan: 1 },
      { body: 'What camera and lens do you use for your travel videos?', fan: 2 },
      { body: 'Any advice for someone starting a cooking channel?', fan: 0 },
    ],
  });
});
test.afterAll(async () => {
  await scenario.close();
});

for (const locale of ['en', 'ar'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`no serious accessibility violations: ${locale}, ${theme}`, async ({ page, host }) => {
      test.setTimeout(120_000);
      const variant = `${theme}-${locale}`;
      await page.emulateMedia({ colorScheme: theme });
      await page.addInitScript((choice) => {
        localStorage.setItem('creator-inbox.prefs', JSON.stringify({ theme: 'system', locale: choice }));
      }, locale);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(host.url);
      await lookAt(page, 'welcome', variant);
      await page.locator('input[type="url"]').fill(scenario.platform.url);
      await page.locator('input[type="email"]').fill(scenario.creator.email);
      await page.locator('input[type="password"]').fill(scenario.creator.password);
      await page.locator('form.connect-form button[type="submit"]').click();
      await expect(messageList(page)).toBeVisible({ timeout: 30_000 });
      await waitForRows(page, 4);

      // Inbox with the first message open in the pane.
      await lookAt(page, 'inbox', variant);

      // Message: the Arabic one, with a note composer open.
      await page.keyboard.press('j');
      await page.keyboard.press('n');
      await expect(page.locator('#composer-input')).toBeFocused();
      await lookAt(page, 'message', variant);
      await page.keyboard.press('Escape');

      // Search with the filter panel open.
      await page.keyboard.press('/');
      await expect(page.locator('#search-input')).toBeFocused();
      await page.keyboard.type('travel');
      await expect(page.locator('#message-list .row')).toHaveCount(2, { timeout: 15_000 });
      await page.locator('.search button[aria-controls]').click();
      await lookAt(page, 'search', variant);
      await page.locator('.search button[aria-controls]').click();
      await page.locator('#search-input').focus();
      await page.keyboard.press('Escape');

      // Settings: a full screen now, not a dialog over the inbox.
      await page.keyboard.press('Control+,');
      await expect(
        page.getByRole('region', { name: 'Settings' }).or(page.getByRole('region', { name: 'الإعدادات' })),
      ).toBeVisible();
      await lookAt(page, 'settings', variant);
      await page.keyboard.press('Escape');

      // Shortcut sheet and command palette.
      await page.keyboard.press('Shift+?');
      await expect(page.getByRole('dialog')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+k');
      await expect(page.getByRole('dialog')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}
