/**
 * Issue 12, item 5: "blocking a fan exists on the platform but not in the app". Blocking
 * from the message pane's menu (confirmed, with what happens to the fan's waiting
 * messages said first), unblocking from the fan card, offline through the outbox; the
 * real platform on loopback, the real core behind the browser host, real Chromium.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addManager, connectApp, inScenario, QUESTIONS, rows, statusOnPlatform, waitForRows } from './inbox-helpers';
import { lookAt, showIn, VIEWPORTS } from './looks';

/**
 * A sentence with a fan's name in it, as shown: the name is an isolated run (U+2066–U+2069
 * around it) so a right-to-left name cannot reorder the sentence.
 */
const said = (text: string) =>
  new RegExp(
    text
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/Layla Haddad/g, '[\u2066-\u2069]?Layla Haddad[\u2066-\u2069]?'),
  );

const pane = (page: Page) => page.locator('#message-pane');
const MORE = { en: 'More actions', ar: 'إجراءات أخرى' } as const;
const BLOCK = { en: 'Block fan', ar: 'حظر المعجب' } as const;
const fanCard = (page: Page) => page.locator('aside.fan-card');

/** Opens the message whose text holds `text`, and the pane's "More actions" menu. */
async function openMenuOf(page: Page, text: string, more: string) {
  await rows(page).filter({ hasText: text }).click();
  await expect(pane(page).locator('aside.fan-card')).toBeVisible({ timeout: 30_000 });
  await pane(page).getByRole('button', { name: more }).click();
  return page.getByRole('menu');
}

test('item 5: block a fan from the message pane; the fan’s pending message is refunded and the platform refuses their next message; unblock from the fan card restores sending', ({
  app,
}) =>
  inScenario(app, { timeout: 240_000, rows: 4, messages: QUESTIONS }, async (scenario, { page }) => {
    const { api, creator, fans, messages } = scenario;
    const [layla] = fans;
    if (!layla) throw new Error('no fan');
    // Layla Haddad wrote the first and the fourth question: both wait for an answer.
    const laylas = messages.filter((m) => m.fanId === layla.id);
    expect(laylas).toHaveLength(2);

    const menu = await openMenuOf(page, 'birthday shout-out', 'More actions');
    await menu.getByRole('menuitem', { name: 'Block fan' }).click();

    // The dialog says what blocking does and what happens to her two waiting messages.
    const dialog = page.getByRole('dialog', { name: said('Block Layla Haddad?') });
    await expect(dialog).toContainText(said('Layla Haddad will not be able to send you new messages'));
    await expect(dialog.getByRole('checkbox', { name: /Refund their 2 waiting messages/ })).toBeChecked();
    await expect(dialog).toContainText('$50.00');
    await expect(dialog).toContainText(said('The money goes back to Layla Haddad now'));
    // Enter on opening blocks no one: focus starts on Cancel.
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Block and refund' }).click();
    await expect(page.locator('.flash')).toContainText(said('Blocked Layla Haddad'));

    // Both of her waiting messages are refunded on the platform, and the pane says she is blocked.
    await expect
      .poll(async () => Promise.all(laylas.map((m) => statusOnPlatform(scenario, m.id))), { timeout: 30_000 })
      .toEqual(['refunded', 'refunded']);
    // Refunded, her messages left the pending view; among the refunded ones the pane says she is blocked.
    await page
      .locator('.sidebar')
      .getByRole('button', { name: /Refunded & expired/ })
      .click();
    await rows(page).filter({ hasText: 'birthday shout-out' }).click();
    await expect(pane(page).locator('.pane-header .blocked-chip')).toHaveText('Blocked', { timeout: 30_000 });
    await expect(fanCard(page).locator('.blocked-chip')).toHaveText('Blocked');

    // The platform refuses her next message.
    const refused = await api.send(layla, creator, 'Why can I not write?', { fund: true });
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as { error: { code: string } }).error.code).toBe('fan_blocked');

    // Offline, unblocking from her card queues: the card says it waits to be sent.
    await scenario.stop();
    await fanCard(page).getByRole('button', { name: 'Unblock fan' }).click();
    await expect(page.locator('.flash')).toContainText(said('Unblocked Layla Haddad'));
    await expect(fanCard(page).locator('.blocked-chip')).toHaveText('Unblocking · waiting to send');
    await scenario.restart();
    // Back online, it reaches the platform and the chip goes.
    await expect(fanCard(page).locator('.blocked-chip')).toHaveCount(0, { timeout: 60_000 });
    await expect(fanCard(page).getByRole('button', { name: 'Block fan' })).toBeVisible();
    const back = await api.send(layla, creator, 'Thank you for having me back', { fund: true });
    expect(back.status).toBe(200);
    await api.checkInvariants();
  }));

test('item 5: blocking without the refund permission leaves the waiting messages and says so', ({ app }) =>
  inScenario(app, { timeout: 180_000, messages: QUESTIONS.slice(0, 2) }, async (scenario, { page, host }) => {
    const { api, creator, messages } = scenario;
    const manager = await api.signUpManager(creator, ['accept']);
    await connectApp(page, host.url, scenario, manager);
    await waitForRows(page, 2);

    const menu = await openMenuOf(page, 'birthday shout-out', 'More actions');
    await menu.getByRole('menuitem', { name: 'Block fan' }).click();
    const dialog = page.getByRole('dialog', { name: said('Block Layla Haddad?') });
    await expect(dialog).toContainText('you are not allowed to refund');
    await expect(dialog.getByRole('checkbox')).toHaveCount(0);
    await dialog.getByRole('button', { name: said('Block Layla Haddad') }).click();
    await expect(pane(page).locator('.pane-header .blocked-chip')).toHaveText('Blocked', { timeout: 30_000 });
    expect(await statusOnPlatform(scenario, messages[0]?.id ?? '')).toBe('pending');
  }));

test('item 5: a manager whose daily refund limit the fan’s waiting messages would pass sees the limit in the block dialog and cannot refund them', ({
  app,
}) =>
  inScenario(app, { timeout: 180_000, messages: QUESTIONS }, async (scenario, { page, host }) => {
    const { api, creator, fans, messages } = scenario;
    const sara = await addManager(scenario, 'Sara Okafor');
    // Layla's two waiting messages are $50.00; Sara may refund $30.00 in any 24 hours.
    await api.ok('setLimits', {
      token: creator.token,
      params: { inboxId: creator.inboxId, userId: sara.id },
      body: { maxPrice: null, dailyRefund: { minor: 3_000, currency: 'USD' } },
    });
    await connectApp(page, host.url, scenario, sara);
    await waitForRows(page, 4);

    const menu = await openMenuOf(page, 'birthday shout-out', 'More actions');
    await menu.getByRole('menuitem', { name: 'Block fan' }).click();
    const dialog = page.getByRole('dialog', { name: said('Block Layla Haddad?') });
    // Her limits are in the dialog, and the refund the platform would refuse is refused here, at once.
    await expect(dialog.locator('[data-limits-line]')).toHaveText(
      'Your money limits: \u2068$30.00\u2069 refunds a day; \u2068$0.00\u2069 refunded in the last 24 h.',
      { timeout: 30_000 },
    );
    await expect(dialog.locator('[data-limit-refusal="daily_refund"]')).toHaveText(
      'You cannot refund them: \u2068$50.00\u2069 would pass your daily refund limit of \u2068$30.00\u2069 (\u2068$0.00\u2069 refunded in the last 24 h). You can still block without refunding, or ask the owner.',
    );
    const refund = dialog.getByRole('checkbox', { name: /Refund their 2 waiting messages/ });
    await expect(refund).not.toBeChecked();
    await expect(refund).toBeDisabled();
    await expect(dialog).toContainText('Their 2 waiting messages stay in the inbox');
    await lookAt(page, 'block-over-limit', 'light-en-1280');
    for (const [locale, theme, viewport] of [
      ['ar', 'light', VIEWPORTS[0]],
      ['ar', 'dark', VIEWPORTS[1]],
      ['en', 'dark', VIEWPORTS[1]],
    ] as const) {
      await showIn(page, locale, theme, viewport);
      await waitForRows(page, 4);
      const more = await openMenuOf(page, 'birthday shout-out', MORE[locale]);
      await more.getByRole('menuitem', { name: BLOCK[locale] }).click();
      await expect(page.locator('[data-limit-refusal="daily_refund"]')).toBeVisible({ timeout: 30_000 });
      await lookAt(page, 'block-over-limit', `${theme}-${locale}-${viewport.width}`);
      await page.keyboard.press('Escape');
    }
    await showIn(page, 'en', 'light', VIEWPORTS[0]);
    await waitForRows(page, 4);
    await (await openMenuOf(page, 'birthday shout-out', MORE.en)).getByRole('menuitem', { name: BLOCK.en }).click();

    // Blocking alone goes through; both messages still wait, and the platform was never asked to refund.
    await dialog.getByRole('button', { name: said('Block Layla Haddad') }).click();
    await expect(pane(page).locator('.pane-header .blocked-chip')).toHaveText('Blocked', { timeout: 30_000 });
    const laylas = messages.filter((m) => m.fanId === fans[0]?.id);
    expect(await Promise.all(laylas.map((m) => statusOnPlatform(scenario, m.id)))).toEqual(['pending', 'pending']);
  }));

test('looks: the pane menu with Block fan, the block dialog and the blocked fan card, in every language, theme and size', ({
  app,
}) =>
  inScenario(app, { timeout: 420_000, rows: 2, messages: QUESTIONS.slice(0, 2) }, async (scenario, { page }) => {
    const { api, creator, fans } = scenario;
    const sam = fans[1];
    if (!sam) throw new Error('no fan');
    // Sam Carter is blocked (from another device): his card shows it everywhere.
    await api.ok('block', {
      token: creator.token,
      params: { inboxId: creator.inboxId },
      body: { fanId: sam.id, refundPending: false },
    });
    const words = {
      en: { more: 'More actions', block: 'Block fan', blocked: 'Blocked' },
      ar: { more: 'إجراءات أخرى', block: 'حظر المعجب', blocked: 'محظور' },
    } as const;
    for (const locale of ['en', 'ar'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        for (const viewport of VIEWPORTS) {
          const variant = `${theme}-${locale}-${viewport.width}`;
          const w = words[locale];
          await showIn(page, locale, theme, viewport);
          await expect(rows(page)).toHaveCount(2, { timeout: 60_000 });

          const menu = await openMenuOf(page, 'birthday shout-out', w.more);
          await expect(menu.getByRole('menuitem', { name: w.block })).toBeVisible();
          await lookAt(page, 'block-menu', variant);
          await menu.getByRole('menuitem', { name: w.block }).click();
          await expect(page.getByRole('dialog')).toBeVisible();
          await lookAt(page, 'block-dialog', variant);
          await page.keyboard.press('Escape');
          await expect(page.getByRole('dialog')).toHaveCount(0);

          await rows(page).filter({ hasText: 'which camera' }).click();
          const chip = fanCard(page).locator('.blocked-chip');
          await expect(chip).toHaveText(w.blocked, { timeout: 30_000 });
          await fanCard(page).scrollIntoViewIfNeeded();
          await lookAt(page, 'fan-blocked', variant);
        }
      }
    }
  }));
