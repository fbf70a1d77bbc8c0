import type { Page } from '@playwright/test';
import { HOUR_MS } from '../../shared/message';
import { splitFee } from '../../shared/money';
import { expect, test } from './fixtures';
import { connectApp, inScenario, messageList, rows, waitForRows } from './inbox-helpers';

/**
 * Issue 18 in the app, through the browser host against the real platform: a fan pays for
 * the 24 h tier and the creator sees its badge and countdown, accepts it, and earnings show
 * it under that tier; a free-pass message is marked, moves no money and is answered after
 * the time its fan asked for; the fan card gives and takes back a free pass.
 */
const USD = (minor: number) => ({ minor, currency: 'USD' as const });
const row = (page: Page, text: string) => rows(page).filter({ hasText: text });
const accept = (page: Page) => page.locator('.pane-header .toolbar button.primary', { hasText: 'Accept' });

test('a 24 h tier message shows its badge and countdown, is accepted and earns under its tier; a free pass moves no money', ({
  app,
}) => {
  // The platform's clock, moved back while the free-pass fan writes "two days ago".
  let shift = 0;
  return inScenario(app, { timeout: 240_000, messages: [], shiftMs: () => shift }, async (scenario, { page, host }) => {
    const { api, creator } = scenario;
    const [layla, sam, omar] = scenario.fans;
    if (!layla || !sam || !omar) throw new Error('the scenario has three fans');
    const inbox = { token: creator.token, params: { inboxId: creator.inboxId } };
    await api.ok('updateSettings', {
      ...inbox,
      body: {
        price: USD(2_500),
        responseWindowMs: 48 * HOUR_MS,
        fasterTiers: [{ price: USD(6_000), responseWindowMs: 24 * HOUR_MS }],
      },
    });

    // Omar writes on a free pass; his asked-for answer time (48 h) passed two hours ago.
    await api.ok('setFanTerms', { ...inbox, params: { ...inbox.params, fanId: omar.id }, body: { kind: 'free' } });
    shift = -50 * HOUR_MS;
    const free = await api.ok('sendMessage', {
      token: omar.token,
      params: { handle: creator.handle },
      body: { body: 'Free: dinner on Sunday?', price: USD(0), responseWindowMs: 48 * HOUR_MS },
    });
    shift = 0;
    expect(free.free).toBe(true);
    // Sam pays the standard terms; Layla pays for the 24 h tier.
    await api.sendPaidMessage(sam, creator, 'Standard: which camera do you use?', { fund: true });
    await api.topUp(layla, USD(6_000));
    const fast = await api.ok('sendMessage', {
      token: layla.token,
      params: { handle: creator.handle },
      body: { body: 'Fast: a birthday shout-out by tomorrow?', price: USD(6_000), responseWindowMs: 24 * HOUR_MS },
    });

    await connectApp(page, host.url, scenario);
    await waitForRows(page, 3);

    // The 24 h message: its tier's badge and a countdown from 24 hours, not the standard 48.
    const fastRow = row(page, 'Fast:');
    await expect(fastRow.locator('.terms-tier')).toHaveText('24h');
    await expect(fastRow.locator('.row-status [aria-hidden="true"]')).toHaveText(/^23h \d{1,2}m$/);
    await expect(fastRow.locator('.row-price')).toHaveText('$60.00');
    await expect(row(page, 'Standard:').locator('.terms-tier')).toHaveText('48h');
    // The free pass: marked, no amount, and only "past the asked time" — not "missed".
    const freeRow = row(page, 'Free:');
    await expect(freeRow.locator('.terms-free')).toHaveText('Free');
    await expect(freeRow.locator('.row-price.num')).toHaveCount(0);
    await expect(freeRow.locator('.row-status')).toHaveText('Past the asked time');

    // Accept the 24 h message from the reading pane.
    await fastRow.click();
    await expect(page.locator('.money-line .terms-tier')).toHaveText('24h');
    await accept(page).click();
    await expect.poll(() => api.messageStatus(layla, fast.id), { timeout: 30_000 }).toBe('accepted');

    // Earnings, by tier: the 24 h tier holds exactly that message; nothing else was accepted.
    await page.getByRole('button', { name: 'Earnings', exact: true }).click();
    const earnings = page.getByRole('region', { name: 'Earnings', exact: true });
    await earnings.getByRole('tab', { name: 'By tier' }).click();
    const tiers = earnings.locator('table.earnings-tiers tbody tr');
    await expect(tiers).toHaveCount(1, { timeout: 30_000 });
    // The fan's own message comes with its fee rate (only members without view_earnings get none).
    const net = splitFee(USD(6_000), fast.feeBps ?? Number.NaN).net.minor;
    await expect(tiers.first()).toHaveAttribute('data-window-ms', String(24 * HOUR_MS));
    await expect(tiers.first().locator('th')).toHaveText('Answer within 24h');
    await expect(tiers.first().locator('td')).toHaveText(['1', '$60.00', `$${(net / 100).toFixed(2)}`]);
    await page.keyboard.press('Escape');

    // The free-pass message, two hours past the time asked for, can still be answered.
    await freeRow.click();
    await expect(page.locator('.money-line .terms-free')).toBeVisible();
    await expect(page.locator('.money-line .price')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'Free pass: nothing was paid' })).toBeVisible();
    await accept(page).click();
    await expect.poll(() => api.messageStatus(omar, free.id), { timeout: 30_000 }).toBe('accepted');
    // It moved no money: no ledger entry names it, and earnings still hold the one capture.
    const ledger = await api.ok('ledger', { ...inbox, query: {} });
    expect(ledger.events.filter((e) => e.messageId === free.id)).toEqual([]);
    await page.getByRole('button', { name: 'Earnings', exact: true }).click();
    await earnings.getByRole('tab', { name: 'By tier' }).click();
    await expect(tiers).toHaveCount(1);
    await expect(tiers.first().locator('td').first()).toHaveText('1');
    await page.keyboard.press('Escape');
    await expect(messageList(page)).toBeVisible();
  });
});

test('the fan card gives a free pass after asking, and takes it back', ({ app }) =>
  inScenario(app, { timeout: 180_000, rows: 3 }, async (scenario, { page }) => {
    const { api, creator } = scenario;
    const sam = scenario.fans[1];
    if (!sam) throw new Error('the scenario has a second fan');
    const mine = () =>
      api.ok('myTerms', { token: sam.token, params: { handle: creator.handle } }).then((terms) => terms.personal);
    await rows(page).filter({ hasText: 'هل يمكنك' }).click();
    const card = page.locator('.fan-card');
    await expect(card.locator('.fan-terms-now')).toHaveText("The inbox's prices");

    await card.getByRole('button', { name: 'Give a free pass' }).click();
    // Nothing is sent before the creator confirms.
    await expect(card.getByRole('group')).toContainText(/Give \u2068?Sam Carter\u2069? a free pass\?/);
    expect(await mine()).toBeNull();
    await card.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(mine, { timeout: 30_000 }).toBe('free');
    await expect(card.locator('.fan-terms-now')).toHaveText('Free pass: writes without paying', { timeout: 30_000 });

    await card.getByRole('button', { name: 'Take back' }).click();
    await card.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(mine, { timeout: 30_000 }).toBeNull();
    await expect(card.locator('.fan-terms-now')).toHaveText("The inbox's prices", { timeout: 30_000 });
    // The platform audited both.
    const audit = await api.ok('audit', { token: creator.token, params: { inboxId: creator.inboxId }, query: {} });
    expect(audit.entries.filter((e) => e.action === 'fan.terms').map((e) => e.details.kind)).toEqual(
      expect.arrayContaining(['free', 'cleared']),
    );
  }));
