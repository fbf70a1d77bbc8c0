import { expect, test } from './fixtures';
import {
  addManager,
  connectApp,
  focusedRow,
  inScenario,
  openNotices,
  statusOnPlatform,
  waitForRows,
} from './inbox-helpers';

test('offline: an accept waits in the queue while the platform is down and is delivered once when it is back', ({
  app,
}) =>
  inScenario(app, { timeout: 120_000, rows: 3 }, async (scenario, { page }) => {
    const target = scenario.messages[0];
    if (!target) throw new Error('no message');
    await expect(focusedRow(page)).toHaveAttribute('id', `msg-${target.id}`);

    await scenario.stop();
    await page.keyboard.press('a');
    const row = page.locator(`#msg-${target.id}`);
    await expect(row).toContainText('Accept waiting — counts only if it reaches the platform before');
    // It stays waiting (never "accepted") and the pending count says so.
    await expect(page.getByRole('button', { name: '1 pending action' })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator('.sync')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });
    await expect(row).toContainText('Accept waiting');
    await page.getByRole('button', { name: '1 pending action' }).click();
    const outbox = page.getByRole('dialog', { name: 'Pending actions' });
    await expect(outbox).toContainText('Accept');
    await expect(outbox).toContainText('counts only if it reaches the platform before');

    await scenario.restart();
    await outbox.getByRole('button', { name: 'Retry now' }).click();
    await expect(outbox).toContainText('Every action has reached the platform.', { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await expect(row).toHaveCount(0, { timeout: 30_000 });
    expect(await statusOnPlatform(scenario, target.id)).toBe('accepted');
    // Exactly once: one capture in the ledger for this message, and every invariant holds.
    await scenario.api.checkInvariants();
    await expect(page.locator('.sync')).toHaveAttribute('data-state', /online|syncing/);
  }));

test('a conflict with a second client shows a notice that says who did what and when', ({ app }) =>
  inScenario(app, { timeout: 120_000 }, async (scenario, { page, host }) => {
    const sara = await addManager(scenario, 'Sara Okafor');
    await connectApp(page, host.url, scenario);
    await waitForRows(page, 3);
    const target = scenario.messages[0];
    if (!target) throw new Error('no message');

    // The refund is held a few seconds for undo; meanwhile Sara accepts on her own device.
    // Shift+R waits out the typing guard's window before its dialog opens (issue 12).
    await page.keyboard.press('Shift+R');
    await expect(page.getByRole('dialog', { name: 'Refund this message' })).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.locator(`#msg-${target.id}`)).toContainText('Refund waiting');
    const accepted = await scenario.api.accept(sara, target.id);
    expect(accepted.status).toBe(200);

    const notice = (await openNotices(page)).locator('.notice-conflict');
    await expect(notice).toBeVisible({ timeout: 30_000 });
    await expect(notice).toContainText('Sara Okafor');
    // The rewritten notice (#12) names the fan and the amount, then who decided first.
    await expect(notice).toContainText('had already accepted it');
    await expect(notice).toContainText('$25.00');
    await expect(page.getByRole('alert').filter({ hasText: 'Conflict' })).toHaveCount(1);
    expect(await statusOnPlatform(scenario, target.id)).toBe('accepted');
    await scenario.api.checkInvariants();

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
  }));
