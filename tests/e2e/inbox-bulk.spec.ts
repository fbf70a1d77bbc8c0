import { expect, test } from './fixtures';
import { focusedRow, inScenario, messageList, rows, statusOnPlatform, waitForRows } from './inbox-helpers';

test('bulk refund: select a range, then all in view, confirm with count and total, each refunded once', ({ app }) =>
  inScenario(
    app,
    {
      timeout: 120_000,
      rows: 6,
      messages: Array.from({ length: 6 }, (_, i) => ({ body: `Bulk message number ${i + 1}`, fan: i % 3 })),
    },
    async (scenario, { page }) => {
      await expect(messageList(page)).toBeFocused();

      // x then Shift+J twice: a range of three, with its total.
      await page.keyboard.press('x');
      await page.keyboard.press('Shift+J');
      await page.keyboard.press('Shift+J');
      const bar = page.getByRole('region', { name: 'Selected messages' });
      await expect(bar).toContainText('3 selected · $75.00');
      await expect(messageList(page).locator('[aria-selected="true"]')).toHaveCount(3);

      // All in view, then Shift+R: the confirm states the count and the total per currency.
      await page.keyboard.press('Control+Shift+A');
      await expect(bar).toContainText('6 selected · $150.00');
      await page.keyboard.press('Shift+R');
      const dialog = page.getByRole('dialog', { name: 'Refund 6 messages' });
      await expect(dialog).toContainText('6 messages · $150.00');
      await dialog.getByLabel('Not for me').check();
      await dialog.getByLabel('Note to the fan (optional)').fill('Sorry, I am not taking these right now.');
      await dialog.getByRole('button', { name: 'Refund 6' }).click();

      // A result per message, then the platform refunds every one exactly once.
      // Issue 12: queued first ("6 refunds queued"), "6 refunded" once the platform has them.
      await expect(page.getByRole('status', { name: 'Bulk result' })).toContainText('6 refunds queued');
      await expect(page.getByRole('status', { name: 'Bulk result' })).toContainText('6 refunded', { timeout: 30_000 });
      await expect(rows(page)).toHaveCount(0, { timeout: 30_000 });
      for (const message of scenario.messages) expect(await statusOnPlatform(scenario, message.id)).toBe('refunded');
      await scenario.api.checkInvariants();

      await page.getByRole('button', { name: /^Refunded & expired/ }).click();
      await waitForRows(page, 6);
      await expect(focusedRow(page)).toHaveCount(1);
    },
  ));
