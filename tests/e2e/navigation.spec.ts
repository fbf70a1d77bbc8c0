import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { inScenario, messageList } from './inbox-helpers';

/**
 * Screens, not modals: earnings, team, audit, inbox settings, drafts and settings are full screens
 * reached by keyboard alone (G-sequences, the command palette), with back/forward and deep
 * links; the palette says so when nothing matches. Escape always leads back to the list.
 */
const screen = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

async function viaPalette(page: Page, query: string) {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Commands' });
  await expect(palette).toBeVisible();
  await page.keyboard.type(query);
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
}

test('every screen is reachable by keyboard alone: G-keys, the palette, back and forward, deep links', ({ app }) =>
  inScenario(app, { timeout: 360_000, rows: 3 }, async (scenario, { page, host }) => {
    // A long walk through every screen; on a loaded two-core machine it needs the time.
    const list = messageList(page);
    await expect(list).toBeFocused();

    // G then a letter: each screen takes the workspace (no dialog over the inbox); Esc returns.
    for (const [key, name] of [
      ['e', 'Earnings'],
      ['t', 'Team'],
      ['a', 'Audit log'],
      ['s', 'Inbox settings'],
      ['d', 'Drafts to approve'],
    ] as const) {
      await page.keyboard.press('g');
      await page.keyboard.press(key);
      await expect(screen(page, name)).toBeVisible();
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await expect(list).toBeHidden();
      // The list's keys do nothing on a screen: "a" here does not accept an unseen message.
      await page.keyboard.press('j');
      await page.keyboard.press('Escape');
      await expect(list).toBeFocused();
    }
    await page.keyboard.press('Control+,');
    await expect(screen(page, 'Settings')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(list).toBeFocused();

    // The palette knows every screen by any word of its name ("earn" finds earnings)…
    for (const [query, name] of [
      ['earn', 'Earnings'],
      ['team', 'Team'],
      ['audit', 'Audit log'],
      ['inbox settings', 'Inbox settings'],
      ['drafts', 'Drafts to approve'],
      ['settings', 'Settings'],
    ] as const) {
      await viaPalette(page, query);
      await expect(screen(page, name)).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(list).toBeFocused();
    }
    // …and views, and says so when nothing matches.
    await viaPalette(page, 'show accepted');
    await expect(page.getByRole('heading', { name: /^Accepted/ })).toBeVisible();
    await page.keyboard.press('Control+k');
    await page.keyboard.type('zzqqxx');
    await expect(page.getByRole('dialog', { name: 'Commands' }).getByRole('status')).toHaveText(
      'No results for “zzqqxx”',
    );
    await expect(page.getByRole('dialog', { name: 'Commands' }).getByRole('option')).toHaveCount(0);
    await page.keyboard.press('Escape');

    // [ and ] step through the views in the rail's order.
    await page.keyboard.press('[');
    await expect(page.getByRole('heading', { name: /^Pending by deadline/ })).toBeVisible();
    await page.keyboard.press(']');
    await expect(page.getByRole('heading', { name: /^Accepted/ })).toBeVisible();

    // Back and forward move between screens; each screen has its own address.
    await page.keyboard.press('g');
    await page.keyboard.press('e');
    await expect(screen(page, 'Earnings')).toBeVisible();
    expect(new URL(page.url()).hash).toBe('#/earnings');
    await page.keyboard.press('g');
    await page.keyboard.press('t');
    await expect(screen(page, 'Team')).toBeVisible();
    await page.keyboard.press('Control+[');
    await expect(screen(page, 'Earnings')).toBeVisible();
    await page.keyboard.press('Control+]');
    await expect(screen(page, 'Team')).toBeVisible();

    // A deep link opens its screen straight away, and a broken one shows the inbox.
    await page.goto(`${host.url}#/audit/${scenario.creator.inboxId}`);
    await expect(screen(page, 'Audit log')).toBeVisible({ timeout: 30_000 });
    await page.goto(`${host.url}#/nowhere/<x>`);
    await expect(list).toBeVisible({ timeout: 30_000 });
  }));
