/**
 * Issue 12, item 5 ("Missing"): what the app did not show or offer. Each test runs the real
 * platform on loopback, the real core behind the browser host and real Chromium.
 */
import { expect, test } from './fixtures';
import { inScenario } from './inbox-helpers';

test('item 5: pausing the inbox in settings shows it above the list, and Resume there takes it away', ({ app }) =>
  inScenario(app, { timeout: 120_000, rows: 3 }, async (scenario, { page }) => {
    const banner = page.getByRole('region', { name: 'Inbox paused' });
    await expect(banner).toHaveCount(0);
    await page.getByRole('button', { name: 'Inbox settings' }).click();
    const settings = page.getByRole('region', { name: 'Inbox settings', exact: true });
    await settings.getByLabel('Pause new paid messages').check();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.keyboard.press('Escape');
    // Shown at once (the edit is local first), calm, with Resume for the owner.
    await expect(banner).toHaveText(/^Paused — fans can’t send paid messages\s*Resume$/);
    const onPlatform = () =>
      scenario.api.ok('getSettings', { token: scenario.creator.token, params: { inboxId: scenario.creator.inboxId } });
    await expect.poll(async () => (await onPlatform()).paused, { timeout: 30_000 }).toBe(true);

    await banner.getByRole('button', { name: 'Resume' }).click();
    await expect(banner).toHaveCount(0);
    await expect.poll(async () => (await onPlatform()).paused, { timeout: 30_000 }).toBe(false);
  }));
