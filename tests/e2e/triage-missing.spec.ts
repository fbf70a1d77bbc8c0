/**
 * Issue 12, item 5 ("Missing"): what the app did not show or offer. Each test runs the real
 * platform on loopback, the real core behind the browser host and real Chromium.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addManager, inScenario, presenceLine, presenceSays, withTwoManagers } from './inbox-helpers';

/** "Within a few seconds": a teammate's window going away must not linger on other screens. */
const FEW_SECONDS = 5_000;

/**
 * Headless Chromium never hides a page by itself, so the hide is simulated: the page's
 * visibility reads "hidden" and the browser's own visibilitychange event fires, as when a
 * window is minimised or another tab is brought to the front.
 */
async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('item 5: presence ends when a teammate hides or closes the window, and lapses within 15 s without heartbeats', ({
  browser,
  host,
}) =>
  withTwoManagers(browser, host.url, async ({ scenario, a, b, target }) => {
    const omar = await addManager(scenario, 'Omar Idris');
    await expect(presenceLine(a)).toHaveText(presenceSays('Badr Haddad', 'viewing'), { timeout: 30_000 });

    // Badr's window is hidden: he is no longer shown on the message; back, and he is again.
    await setHidden(b, true);
    await expect(presenceLine(a)).toHaveText('', { timeout: FEW_SECONDS });
    await setHidden(b, false);
    await expect(presenceLine(a)).toHaveText(presenceSays('Badr Haddad', 'viewing'), { timeout: FEW_SECONDS });

    // He closes the window (his app's core keeps running behind it): gone within seconds.
    await b.close();
    await expect(presenceLine(a)).toHaveText('', { timeout: FEW_SECONDS });

    // Omar's device says once that he is viewing, then goes silent (no close, no heartbeat).
    await scenario.api.ok('presenceHeartbeat', {
      token: omar.token,
      params: { inboxId: scenario.creator.inboxId },
      body: { messageId: target.id, state: 'viewing' },
    });
    await expect(presenceLine(a)).toHaveText(presenceSays('Omar Idris', 'viewing'), { timeout: FEW_SECONDS });
    // Three missed 5 s heartbeats later (on the platform's clock) he is gone from every screen.
    scenario.advanceClock(15_001);
    await expect(presenceLine(a)).toHaveText('', { timeout: FEW_SECONDS });
  }));

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

test('item 5: the audit log names the fan, the amount and the reason of a refund', ({ app }) =>
  inScenario(app, { timeout: 120_000, rows: 3 }, async (scenario, { page }) => {
    const [first] = scenario.messages;
    if (!first) throw new Error('no message');
    expect((await scenario.api.refund(scenario.creator, first.id, 'inappropriate')).status).toBe(200);
    await page.getByRole('button', { name: 'Audit log' }).click();
    const audit = page.getByRole('region', { name: 'Audit log', exact: true });
    const refund = audit.locator('tr[data-action="message.refund"]');
    // Names in isolates (U+2068 … U+2069), so a name in another script cannot reorder the sentence.
    await expect(refund).toContainText(
      /Refunded \u2068Layla Haddad\u2069’s \u2068\$25\.00\u2069 message — reason: Inappropriate/,
      { timeout: 30_000 },
    );
    await expect(refund).not.toContainText('Refunded a message');
  }));
