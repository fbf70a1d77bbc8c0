import type { Page } from '@playwright/test';
import { expect } from './fixtures';
import { focusedRow, messageList, rows } from './inbox-helpers';

/**
 * The first-run story both shells must tell the same way: Try the demo, accept a message
 * with the keyboard, and after a restart find that decision still there. Used by the
 * browser-host spec (first-run.spec.ts) and the Electron spec (electron/first-run.spec.ts).
 */

/** First run → Try the demo → `a` on the focused message. Resolves with its row id once the platform took it. */
export async function tryDemoAndAcceptWithKeyboard(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Try the demo' }).click();
  // The first start of the embedded platform migrates and seeds PGlite on disk.
  await expect(rows(page).first()).toBeVisible({ timeout: 120_000 });
  await messageList(page).focus();
  const rowId = await focusedRow(page).getAttribute('id');
  expect(rowId).toMatch(/^msg-/);
  await page.keyboard.press('a');
  const row = page.locator(`#${rowId}`);
  await expect(row).toContainText('Accept waiting');
  // After the undo window the platform confirms, and the row leaves Pending.
  await expect(row).toHaveCount(0, { timeout: 60_000 });
  return rowId ?? '';
}

/** After a restart: the demo signs in again by itself, and the message is in Accepted, decided. */
export async function expectStillAccepted(page: Page, rowId: string): Promise<void> {
  await expect(messageList(page)).toBeVisible({ timeout: 120_000 });
  await page.locator('button.view-item[data-view="accepted"]').click();
  await expect(rows(page).first()).toBeVisible({ timeout: 30_000 });
  // The list is virtual: walk it with the keyboard until the row is drawn.
  await messageList(page).focus();
  const row = page.locator(`#${rowId}`);
  for (let step = 0; step < 500 && (await row.count()) === 0; step++) await page.keyboard.press('j');
  await expect(row).toBeVisible();
  await expect(row).toContainText('Accepted');
  await row.click();
  await expect(page.getByText(/^Accepted by .+ on /)).toBeVisible();
}
