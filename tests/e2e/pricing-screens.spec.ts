import type { Page } from '@playwright/test';
import { HOUR_MS } from '../../shared/message';
import { expect, test } from './fixtures';
import { inScenario, messageList, rows } from './inbox-helpers';
import { lookAt, showIn, VIEWPORTS } from './looks';

/**
 * Pricing (#18) on screen: the rows and the pane with their tier and free-pass badges, the
 * fan card with a free pass, and inbox settings with the tier editor and what each tier
 * earns — in English and Arabic, light and dark, at 1280×800 and 1024×700, axe-clean. The
 * first variant also edits a tier through the form and saves it to the platform. With
 * SCREENSHOTS=1 each screen is saved to docs/screenshots/ as pricing-<screen>-<variant>.png.
 */
const USD = (minor: number) => ({ minor, currency: 'USD' as const });
const shoot = (page: Page, screen: string, variant: string) => lookAt(page, `pricing-${screen}`, variant);

test('tier badges, the fan card and the tier editor, axe-clean in every variant', ({ app }) => {
  let shift = 0;
  return inScenario(
    app,
    {
      timeout: 900_000,
      fans: ['Layla Haddad', 'نور الهدى', 'Omar Nasser'],
      messages: [],
      shiftMs: () => shift,
    },
    async (scenario, { page, host }) => {
      const { api, creator } = scenario;
      const [layla, noor, omar] = scenario.fans;
      if (!layla || !noor || !omar) throw new Error('three fans');
      const inbox = { token: creator.token, params: { inboxId: creator.inboxId } };
      await api.ok('updateSettings', {
        ...inbox,
        body: {
          price: USD(2_500),
          responseWindowMs: 72 * HOUR_MS,
          fasterTiers: [{ price: USD(6_000), responseWindowMs: 24 * HOUR_MS }],
        },
      });
      await api.ok('setFanTerms', { ...inbox, params: { ...inbox.params, fanId: noor.id }, body: { kind: 'free' } });
      shift = -3 * HOUR_MS;
      await api.ok('sendMessage', {
        token: noor.token,
        params: { handle: creator.handle },
        body: { body: 'هل ستأتي إلى العشاء يوم الأحد؟', price: USD(0), responseWindowMs: 72 * HOUR_MS },
      });
      shift = 0;
      await api.topUp(layla, USD(6_000));
      await api.ok('sendMessage', {
        token: layla.token,
        params: { handle: creator.handle },
        body: {
          body: 'Could you record a birthday shout-out by tomorrow?',
          price: USD(6_000),
          responseWindowMs: 24 * HOUR_MS,
        },
      });
      await api.sendPaidMessage(omar, creator, 'Which camera do you use for travel videos?', { fund: true });

      await page.goto(host.url);
      await page.getByLabel('Platform address').fill(scenario.platform.url);
      await page.getByLabel('Email').fill(creator.email);
      await page.getByLabel('Password').fill(creator.password);
      await page.getByRole('button', { name: 'Connect' }).click();
      await expect(rows(page)).toHaveCount(3, { timeout: 30_000 });

      let edited = false;
      for (const locale of ['en', 'ar'] as const) {
        for (const theme of ['light', 'dark'] as const) {
          for (const viewport of VIEWPORTS) {
            const variant = `${theme}-${locale}-${viewport.width}`;
            await showIn(page, locale, theme, viewport);
            await expect(rows(page)).toHaveCount(3, { timeout: 60_000 });

            // Rows with their badges; the 24 h message open in the pane.
            await rows(page).filter({ hasText: 'birthday' }).click();
            await expect(page.locator('.money-line .terms-tier')).toBeVisible();
            await shoot(page, 'rows', variant);

            // The free-pass fan's message: its card says so and offers to take it back.
            await rows(page).filter({ hasText: 'العشاء' }).click();
            const card = page.locator('.fan-card .fan-terms');
            await expect(card.locator('.fan-terms-now')).toHaveAttribute('data-terms', 'free', { timeout: 30_000 });
            await card.scrollIntoViewIfNeeded();
            await shoot(page, 'fancard', variant);

            // Inbox settings: the tier editor and what each tier earns after the fee.
            await messageList(page).focus();
            await page.keyboard.press('g');
            await page.keyboard.press('s');
            const screen = page.locator('section.screen');
            await expect(screen.locator('.tier-editor')).toBeVisible({ timeout: 30_000 });
            if (!edited) {
              // Add a 12 h tier at $90 through the form: the preview shows it at once, the save reaches the platform.
              await screen.getByRole('button', { name: 'Add a faster tier' }).click();
              await screen.getByLabel('Tier 2: answer within (hours)').fill('12');
              await screen.getByLabel('Tier 2: price (USD)').fill('90');
              const preview = screen.locator('.tier-preview tbody tr');
              await expect(preview).toHaveCount(3);
              await expect(preview.first()).toHaveAttribute('data-window-ms', String(12 * HOUR_MS));
              await expect(preview.first().locator('td').first()).toHaveText('$90.00');
              await screen.getByRole('button', { name: 'Save settings' }).click();
              await expect
                .poll(async () => (await api.ok('getSettings', inbox)).fasterTiers, { timeout: 30_000 })
                .toEqual([
                  { price: USD(6_000), responseWindowMs: 24 * HOUR_MS },
                  { price: USD(9_000), responseWindowMs: 12 * HOUR_MS },
                ]);
              edited = true;
            }
            await expect(screen.locator('.tier-preview tbody tr')).toHaveCount(3, { timeout: 30_000 });
            await shoot(page, 'settings', variant);
            await page.keyboard.press('Escape');
            await expect(messageList(page)).toBeVisible();
          }
        }
      }
    },
  );
});
