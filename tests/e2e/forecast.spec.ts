import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addManager, connectApp, inScenario, rows, setResponseWindow, waitForRows } from './inbox-helpers';
import { lookAt, saveScreenshot, showIn, VIEWPORTS } from './looks';

const HOUR_MS = 3_600_000;

/** Opens the one-line forecast to its details (pace, actions, messages). */
async function openForecast(page: Page) {
  const banner = page.locator('section.forecast');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await banner.getByRole('button', { name: /^(Show|اعرض)$/ }).click();
  await expect(banner.locator('[data-forecast-row]').first()).toBeVisible();
}

/** The forecast, opened, in each language, theme and size: no serious axe finding; saved with SCREENSHOTS=1. */
async function shootForecast(page: Page) {
  for (const locale of ['en', 'ar'] as const) {
    for (const theme of ['light', 'dark'] as const) {
      for (const viewport of VIEWPORTS) {
        await showIn(page, locale, theme, viewport);
        const variant = `${theme}-${locale}-${viewport.width}`;
        // Closed: the one line above the list.
        await expect(page.locator('section.forecast')).toBeVisible({ timeout: 30_000 });
        await saveScreenshot(page, 'forecast-closed', variant);
        await openForecast(page);
        await lookAt(page, 'forecast', variant, 'section.forecast');
      }
    }
  }
  await page.evaluate(() => localStorage.setItem('creator-inbox.prefs', JSON.stringify({ locale: 'en' })));
  await page.reload();
}

test('the capacity forecast and its actions appear when the queue outruns the pace, and pausing reaches the platform', ({
  app,
}) =>
  inScenario(app, { timeout: 480_000 }, async (scenario, { page, host }) => {
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
    await setResponseWindow(scenario, 2 * HOUR_MS);
    for (let i = 0; i < 5; i += 1) {
      const fan = scenario.fans[i % scenario.fans.length];
      if (!fan) throw new Error('no fan');
      await api.sendPaidMessage(fan, creator, `Quick question number ${i + 1}`, { fund: true });
    }
    await waitForRows(page, 7);
    await expect(forecast).toBeVisible({ timeout: 30_000 });
    // Closed, it is one line above the list: the sentence, Show and dismiss, no taller than 48 px.
    await expect(forecast.locator('.forecast-headline')).toHaveText(
      '5 messages (\u2068$125.00\u2069) likely refunded in 24 h',
    );
    expect((await forecast.boundingBox())?.height).toBeLessThanOrEqual(48);
    await expect(forecast.getByRole('button', { name: 'Pause new paid messages' })).toHaveCount(0);

    // Show opens the pace, the actions and the messages it means, soonest first.
    await openForecast(page);
    // The pace figure depends on the hour of day it is read at; what is due does not.
    await expect(forecast).toContainText(
      /(Your recent pace reaches about \d+ decisions?|At your recent pace, no message would be decided) in the next 24 h; 5 messages are due\./,
    );
    await expect(forecast.getByRole('button', { name: 'Pause new paid messages' })).toBeVisible();
    await expect(forecast.getByRole('button', { name: 'Lower the daily cap to 1' })).toBeVisible();
    await expect(forecast.getByRole('button', { name: 'Hand them to \u2068Sara Okafor\u2069' })).toBeVisible();
    await expect(forecast.locator('[data-forecast-row]')).toHaveCount(5);
    await shootForecast(page);
    await openForecast(page);

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

    // Dismissed, it stays away for the day, across a restart; without that choice it is back.
    await forecast.getByRole('button', { name: 'Dismiss for today' }).click();
    await expect(forecast).toHaveCount(0);
    await page.reload();
    await waitForRows(page, 7);
    await expect(forecast).toHaveCount(0);
    await page.evaluate(() => localStorage.removeItem('creator-inbox.forecast-dismissed'));
    await page.reload();
    await expect(forecast).toBeVisible({ timeout: 30_000 });
  }));
