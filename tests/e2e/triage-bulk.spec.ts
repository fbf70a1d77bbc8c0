import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { Scenario } from './inbox-helpers';
import {
  addManager,
  connectApp,
  inScenario,
  messageList,
  QUESTIONS,
  statusOnPlatform,
  waitForRows,
} from './inbox-helpers';
import { lookAt, showIn, VIEWPORTS } from './looks';

/**
 * Issue 12, item 4: "a bulk refund says '4 refunded' while its rows say 'waiting to be
 * sent', and has no undo". The result now says what happened to each message, as it
 * happens, and the batch has the same undo a single refund has. Each test failed on the
 * old code (which said "N refunded" at once and offered no undo for a batch).
 */

const report = (page: Page) => page.getByRole('status', { name: 'Bulk result' });

/** Selects every message in view and refunds them through the confirm dialog. */
async function refundAll(page: Page, count: number) {
  await messageList(page).focus();
  await page.keyboard.press('Control+Shift+A');
  await page.waitForTimeout(400);
  await page.keyboard.press('Shift+R');
  const dialog = page.getByRole('dialog', { name: `Refund ${count} messages` });
  await dialog.getByLabel('Not for me').check();
  await dialog.getByRole('button', { name: `Refund ${count}` }).click();
}

/** Stops the platform, waits for the app to say offline, and bulk-refunds the 3 messages. */
async function refundAllOffline(scenario: Scenario, page: Page) {
  await scenario.stop();
  await expect(page.locator('.sync')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });
  await refundAll(page, 3);
  await expect(report(page)).toContainText('3 refunds queued — they go when you are back online', {
    timeout: 30_000,
  });
}

async function statuses(scenario: Scenario, count: number) {
  return Promise.all(scenario.messages.slice(0, count).map((m) => statusOnPlatform(scenario, m.id)));
}

test('item 4: a bulk refund says it is queued until it is sent, then "3 refunded and 1 was already accepted by Sara"', ({
  app,
}) =>
  inScenario(app, { timeout: 150_000, messages: QUESTIONS }, async (scenario, { page, host }) => {
    const sara = await addManager(scenario, 'Sara Okafor');
    await connectApp(page, host.url, scenario);
    await waitForRows(page, 4);
    await refundAll(page, 4);

    // At once: queued, and when it goes — not "4 refunded".
    await expect(report(page)).toContainText(/4 refunds queued — they go in \d s unless you undo/);
    await expect(report(page)).not.toContainText('refunded');
    await expect(page.locator('.toast:not(.flash)')).toContainText('4 refunds queued');
    // Meanwhile Sara accepts one of them on her own device.
    const taken = scenario.messages[3];
    expect((await scenario.api.accept(sara, taken?.id ?? '')).status).toBe(200);

    await expect(report(page)).toContainText(/3 refunded and 1 was already accepted by \u2068?Sara Okafor/, {
      timeout: 30_000,
    });
    await report(page).getByText('Each message').click();
    await expect(report(page).locator(`li[data-message-id="${taken?.id}"]`)).toContainText(
      /not applied: already accepted by \u2068?Sara Okafor/,
    );
    await expect(report(page).locator('li[data-fate="done"]')).toHaveCount(3);
    expect(await statuses(scenario, 4)).toEqual(['refunded', 'refunded', 'refunded', 'accepted']);
    await scenario.api.checkInvariants();
  }));

test('item 4: Undo takes back a whole bulk refund within the single action’s window, exactly once', ({ app }) =>
  inScenario(app, { timeout: 120_000, rows: 3 }, async (scenario, { page }) => {
    await refundAll(page, 3);
    const toast = page.locator('.toast:not(.flash)');
    await expect(toast).toContainText('3 refunds queued');
    await toast.getByRole('button', { name: /^Undo \(\d s\)$/ }).click();
    await expect(page.getByTestId('flash')).toContainText('3 actions taken back.');
    await expect(report(page)).toContainText('3 undone');
    await expect(toast).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Nothing pending' })).toBeVisible();
    // Well past the window: nothing reached the platform.
    await page.waitForTimeout(7_000);
    expect(await statuses(scenario, 3)).toEqual(['pending', 'pending', 'pending']);
    await waitForRows(page, 3);
  }));

test('item 4: offline, a bulk refund says it goes when you are back online, never "refunded" before it is', ({ app }) =>
  inScenario(app, { timeout: 180_000, rows: 3 }, async (scenario, { page }) => {
    await refundAllOffline(scenario, page);
    await expect(report(page)).not.toContainText('refunded');
    // Each message of the batch is in the pending list, named.
    await page.getByRole('button', { name: '3 pending actions' }).click();
    const outbox = page.getByRole('dialog', { name: 'Pending actions' });
    const [first, second] = scenario.messages;
    await expect(outbox.locator(`li[data-message-id="${first?.id}"]`)).toContainText('Refund · Layla Haddad · $25.00');
    await expect(outbox.locator(`li[data-message-id="${second?.id}"]`)).toContainText('Refund · Sam Carter · $25.00');
    await page.keyboard.press('Escape');

    await scenario.restart();
    await expect(report(page)).toContainText('3 refunded', { timeout: 60_000 });
    await expect(report(page)).not.toContainText('queued');
    expect(await statuses(scenario, 3)).toEqual(['refunded', 'refunded', 'refunded']);
    await scenario.api.checkInvariants();
  }));

test('item 3: offline, one refund of a bulk batch is cancelled from the pending list after its hold; back online exactly 2 refunds land', ({
  app,
}) =>
  inScenario(app, { timeout: 180_000, rows: 3 }, async (scenario, { page }) => {
    await refundAllOffline(scenario, page);
    await page.getByRole('button', { name: '3 pending actions' }).click();
    const outbox = page.getByRole('dialog', { name: 'Pending actions' });
    const [first, second, third] = scenario.messages;
    const item = outbox.locator(`li[data-message-id="${second?.id}"]`);
    // Past the 5 s hold it has been tried against the stopped platform: no longer held.
    await expect(item).toContainText(/retrying · \d+ attempts?/, { timeout: 30_000 });
    await item.getByRole('button', { name: 'Cancel this action' }).click();
    await expect(page.getByTestId('flash')).toContainText('Cancelled: it will not be sent.');
    await expect(item).toHaveCount(0);
    await expect(outbox.locator('li')).toHaveCount(2);
    await page.keyboard.press('Escape');

    await scenario.restart();
    await expect(page.getByRole('button', { name: 'Nothing pending' })).toBeVisible({ timeout: 60_000 });
    const { events } = await scenario.api.ok('ledger', {
      token: scenario.creator.token,
      params: { inboxId: scenario.creator.inboxId },
    });
    const refunded = events.filter((e) => e.kind === 'refund').map((e) => e.messageId);
    expect(refunded.sort()).toEqual([first?.id, third?.id].sort());
    expect(await statuses(scenario, 3)).toEqual(['refunded', 'pending', 'refunded']);
    await scenario.api.checkInvariants();
  }));

test('looks: a bulk refund’s result — 3 refunded, 1 already accepted by Sara — with each message, in every language, theme and size', ({
  app,
}) =>
  inScenario(app, { timeout: 600_000, messages: [] }, async (scenario, { page, host }) => {
    const { api, creator, fans } = scenario;
    const sara = await addManager(scenario, 'Sara Okafor');
    const result = page.locator('.bulk-report');
    let connected = false;
    for (const locale of ['en', 'ar'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        for (const viewport of VIEWPORTS) {
          const variant = `${theme}-${locale}-${viewport.width}`;
          // Four new questions for each picture: the last batch left the pending view.
          const batch = [];
          for (const [i, question] of QUESTIONS.entries()) {
            batch.push(
              await api.sendPaidMessage(fans[i % fans.length] ?? creator, creator, question.body, { fund: true }),
            );
          }
          if (!connected) await connectApp(page, host.url, scenario);
          connected = true;
          await showIn(page, locale, theme, viewport);
          await waitForRows(page, 4);
          // Keys only (the same in every language): select all, refund, Enter takes the default reason.
          await messageList(page).focus();
          await page.waitForTimeout(400);
          await page.keyboard.press('Control+Shift+A');
          await page.waitForTimeout(400);
          await page.keyboard.press('Shift+R');
          await expect(page.getByRole('dialog')).toBeVisible();
          await page.keyboard.press('Enter');
          await expect(result).toHaveAttribute('data-queued', '4', { timeout: 30_000 });
          // Sara accepts the last one on her own device while the batch is held.
          expect((await api.accept(sara, batch[3]?.id ?? '')).status).toBe(200);
          await expect(result.locator('li[data-fate="done"]')).toHaveCount(3, { timeout: 60_000 });
          await expect(result.locator('li[data-fate="conflict"]')).toHaveCount(1);
          await result.locator('summary').click();
          await lookAt(page, 'bulk-result', variant);
          await result.getByRole('button').last().click();
          await expect(result).toHaveCount(0);
        }
      }
    }
  }));
