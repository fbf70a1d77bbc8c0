import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addManager, connectApp, inScenario, rows, waitForRows } from './inbox-helpers';

const HOUR_MS = 3_600_000;
const SCREENSHOT_DIR = join(process.cwd(), 'docs', 'screenshots');
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
];

/** The forecast, opened, in each language, theme and size: no serious axe finding; saved with SCREENSHOTS=1. */
async function shootForecast(page: Page) {
  for (const locale of ['en', 'ar'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      for (const viewport of VIEWPORTS) {
        await page.emulateMedia({ colorScheme: theme });
        await page.setViewportSize(viewport);
        await page.evaluate((choice) => {
          localStorage.setItem('creator-inbox.prefs', JSON.stringify({ theme: 'system', locale: choice }));
        }, locale);
        await page.reload();
        const banner = page.locator('section.forecast');
        await expect(banner).toBeVisible({ timeout: 30_000 });
        await banner.locator('button[aria-expanded="false"]').click();
        await expect(banner.locator('[data-forecast-row]').first()).toBeVisible();
        await page.waitForTimeout(250);
        const axe = await new AxeBuilder({ page })
          .include('section.forecast')
          .withTags(['wcag2a', 'wcag2aa'])
          .analyze();
        const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(
          serious.map((v) => v.id),
          `${theme}-${locale}-${viewport.width}`,
        ).toEqual([]);
        if (process.env.SCREENSHOTS === '1') {
          mkdirSync(SCREENSHOT_DIR, { recursive: true });
          await page.screenshot({ path: join(SCREENSHOT_DIR, `forecast-${theme}-${locale}-${viewport.width}.png`) });
        }
      }
    }
  }
  await page.evaluate(() => localStorage.setItem('creator-inbox.prefs', JSON.stringify({ locale: 'en' })));
  await page.reload();
}

test('the capacity forecast and its actions appear when the queue outruns the pace, and pausing reaches the platform', ({
  app,
}) =>
  inScenario(app, { timeout: 360_000 }, async (scenario, { page, host }) => {
    // Three messages due in 72 h (the default window): nothing falls due within the day.
    const { api, creator } = scenario;
    await addManager(scenario, 'Sara Okafor');
    // The pace: one decision in the last week.
    const first = scenario.messages[0];
    if (!first) throw new Error('no message');
    await api.ok('accept', {
      token: creator.token,
      params: { messageId: first.id },
      body: {},
      idempotencyKey: 'forecast-pace-accept-1',
    });
    await connectApp(page, host.url, scenario);
    await waitForRows(page, 2);
    const forecast = page.getByRole('region', { name: 'Capacity forecast' });
    await expect(forecast).toHaveCount(0);

    // Now the window is 2 h and five more arrive: five are due today, the pace reaches none.
    await api.ok('updateSettings', {
      token: creator.token,
      params: { inboxId: creator.inboxId },
      body: { responseWindowMs: 2 * HOUR_MS },
    });
    for (let i = 0; i < 5; i += 1) {
      const fan = scenario.fans[i % scenario.fans.length];
      if (!fan) throw new Error('no fan');
      await api.sendPaidMessage(fan, creator, `Quick question number ${i + 1}`, { fund: true });
    }
    await waitForRows(page, 7);
    await expect(forecast).toBeVisible({ timeout: 30_000 });
    await expect(forecast).toContainText(
      'At your pace, about 5 messages (\u2068$125.00\u2069) will be refunded automatically in the next 24 h.',
    );
    await expect(forecast.getByRole('button', { name: 'Pause new paid messages' })).toBeVisible();
    await expect(forecast.getByRole('button', { name: 'Lower the daily cap to 1' })).toBeVisible();
    await expect(forecast.getByRole('button', { name: 'Hand them to \u2068Sara Okafor\u2069' })).toBeVisible();

    // The messages it means, soonest first.
    await forecast.getByRole('button', { name: 'Show the messages' }).click();
    await expect(forecast.locator('[data-forecast-row]')).toHaveCount(5);
    await shootForecast(page);

    // One click pauses new paid messages on the platform.
    await forecast.getByRole('button', { name: 'Pause new paid messages' }).click();
    await expect
      .poll(
        async () =>
          (await api.ok('getSettings', { token: creator.token, params: { inboxId: creator.inboxId } })).paused,
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect(forecast.getByRole('button', { name: 'Pause new paid messages' })).toHaveCount(0, {
      timeout: 30_000,
    });

    // Handing them over assigns all five to the manager.
    await forecast.getByRole('button', { name: 'Hand them to \u2068Sara Okafor\u2069' }).click();
    await expect(page.getByText('5 messages handed to')).toBeVisible({ timeout: 30_000 });
    await expect(rows(page)).toHaveCount(7);
  }));
