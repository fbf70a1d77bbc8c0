import { expect, test } from './fixtures';
import { connectApp, focusedRow, messageList, startScenario, waitForRows } from './inbox-helpers';

/**
 * The design system's Radix primitives behave as dialogs and tabs must: a dialog traps
 * focus and hides the app behind it from assistive tech, Escape closes it and the list
 * has the keys again; the earnings views are tabs moved by arrow keys.
 */
test('dialogs trap focus, close on Escape and give the keys back; earnings views are tabs', async ({ page, host }) => {
  test.setTimeout(150_000);
  const scenario = await startScenario();
  try {
    await connectApp(page, host.url, scenario);
    await waitForRows(page, 3);
    await messageList(page).focus();
    const first = await focusedRow(page).getAttribute('id');

    await page.keyboard.press('Shift+R');
    const dialog = page.getByRole('dialog', { name: 'Refund this message' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    const focusInside = () => dialog.evaluate((el) => el.contains(document.activeElement));
    expect(await focusInside()).toBe(true);
    // Tab and Shift+Tab go round inside the dialog, never out to the app behind it.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await focusInside()).toBe(true);
    }
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusInside()).toBe(true);
    }
    // The app behind is hidden from assistive tech while the dialog is open.
    await expect(page.getByRole('navigation')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(messageList(page)).toBeFocused();
    // Nothing was refunded, and the keys work on the list again.
    await expect(page.locator(`#${first}`)).not.toContainText('Refund waiting');
    await page.keyboard.press('j');
    await expect(focusedRow(page)).not.toHaveAttribute('id', first ?? '');

    // Earnings: the views are a tablist; arrow keys move between tabs and show their panel.
    await page.keyboard.press('g');
    await page.keyboard.press('e');
    const screen = page.getByRole('region', { name: 'Earnings', exact: true });
    const tabs = screen.getByRole('tablist', { name: 'Show' });
    await expect(tabs.getByRole('tab')).toHaveText(['Over time', 'By tier', 'By label', 'Top supporters']);
    await expect(tabs.getByRole('tab', { name: 'Over time' })).toHaveAttribute('aria-selected', 'true');
    await tabs.getByRole('tab', { name: 'Over time' }).focus();
    // Each press is checked before the next, as a person sees the tab change before pressing
    // again (two presses 28 ms apart once left the second unseen by the tablist on CI).
    await page.keyboard.press('ArrowRight');
    await expect(tabs.getByRole('tab', { name: 'By tier' })).toHaveAttribute('aria-selected', 'true');
    await expect(tabs.getByRole('tab', { name: 'By tier' })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(tabs.getByRole('tab', { name: 'By label' })).toHaveAttribute('aria-selected', 'true');
    await expect(screen.getByRole('tabpanel', { name: 'By label' })).toBeVisible();
    await expect(screen.getByRole('tabpanel')).toHaveCount(1);
  } finally {
    await scenario.close();
  }
});
