import { expect, test } from './fixtures';
import { connectApp, focusedRow, inScenario, messageList, QUESTIONS, rows, waitForRows } from './inbox-helpers';

/** Nothing but keys after signing in: move, accept, refund, archive, star, palette, sheet, search. */
test('triage with the keyboard only', ({ app }) =>
  inScenario(
    app,
    {
      timeout: 120_000,
      rows: 4,
      messages: QUESTIONS,
    },
    async (scenario, { page }) => {
      const list = messageList(page);
      await expect(list).toBeFocused();
      const [first, second] = scenario.messages;
      await expect(focusedRow(page)).toHaveAttribute('id', `msg-${first?.id}`);

      // j / k move, and the pane follows at once.
      await page.keyboard.press('j');
      await expect(focusedRow(page)).toHaveAttribute('id', `msg-${second?.id}`);
      await expect(page.locator('#pane-title')).toHaveText(scenario.fans[1]?.displayName ?? '');
      await page.keyboard.press('k');
      await expect(focusedRow(page)).toHaveAttribute('id', `msg-${first?.id}`);

      // a: a queued accept is shown as waiting, never as accepted, with the platform's deadline.
      await page.keyboard.press('a');
      const firstRow = page.locator(`#msg-${first?.id}`);
      await expect(firstRow).toContainText('Accept waiting — counts only if it reaches the platform before');
      await expect(page.getByRole('button', { name: /^Undo/ })).toBeVisible();
      // After the undo window the platform confirms; the row leaves Pending and focus stays on the list.
      await expect(firstRow).toHaveCount(0, { timeout: 30_000 });
      await expect(list).toBeFocused();
      await expect(focusedRow(page)).toHaveCount(1);
      expect(await scenario.api.messageStatus(scenario.fans[0] ?? scenario.creator, first?.id ?? '')).toBe('accepted');

      // Shift+R, Enter: refund with the default reason.
      const refundTarget = await focusedRow(page).getAttribute('id');
      await page.keyboard.press('Shift+R');
      const dialog = page.getByRole('dialog', { name: 'Refund this message' });
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText('1 message · $25.00');
      await page.keyboard.press('Enter');
      await expect(dialog).toHaveCount(0);
      await expect(list).toBeFocused();
      await expect(page.locator(`#${refundTarget}`)).toHaveCount(0, { timeout: 30_000 });
      const refundedId = refundTarget?.replace('msg-', '') ?? '';
      const refundedFan = scenario.messages.findIndex((m) => m.id === refundedId);
      expect(await scenario.api.messageStatus(scenario.fans[refundedFan % 3] ?? scenario.creator, refundedId)).toBe(
        'refunded',
      );

      // s stars, e archives (the row leaves Pending), focus stays visible on a row.
      await page.keyboard.press('s');
      await expect(focusedRow(page).getByRole('img', { name: 'Starred' })).toBeVisible();
      const archived = await focusedRow(page).getAttribute('id');
      await page.keyboard.press('e');
      await expect(page.locator(`#${archived}`)).toHaveCount(0, { timeout: 15_000 });
      // z undoes a triage change: the row comes back; archive it again.
      await page.keyboard.press('z');
      await expect(page.locator(`#${archived}`)).toHaveCount(1, { timeout: 15_000 });
      await page.locator(`#${archived}`).click();
      await page.keyboard.press('e');
      await expect(page.locator(`#${archived}`)).toHaveCount(0, { timeout: 15_000 });
      await expect(list).toBeFocused();
      await expect(rows(page)).toHaveCount(1);
      await expect(focusedRow(page)).toHaveCount(1);

      // ? opens the shortcut sheet; Escape closes it and focus returns to the list.
      await page.keyboard.press('Shift+?');
      await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toHaveCount(0);
      await expect(list).toBeFocused();

      // Ctrl+K palette: type a command and run it.
      await page.keyboard.press('Control+k');
      const palette = page.getByRole('dialog', { name: 'Commands' });
      await expect(palette).toBeVisible();
      await page.keyboard.type('Star');
      await page.keyboard.press('Enter');
      await expect(palette).toHaveCount(0);
      await expect(focusedRow(page).getByRole('img', { name: 'Starred' })).toBeVisible();

      // / searches as you type, across every view (the archived message is found again).
      await page.keyboard.press('/');
      await expect(page.getByRole('searchbox', { name: 'Search messages' })).toBeFocused();
      await page.keyboard.type('camera');
      await expect(page.getByRole('heading', { name: /Search: 1 result/ })).toBeVisible();
      await expect(rows(page)).toHaveCount(1);
      await expect(rows(page).first()).toContainText('which camera');
      await page.keyboard.press('Escape');
      await expect(list).toBeFocused();
      await scenario.api.checkInvariants();
    },
  ));

test('search filters: status and amount range narrow the results, and a search can be saved as a view', ({ app }) =>
  inScenario(app, { timeout: 120_000, messages: [] }, async (scenario, { page, host }) => {
    const { api, creator, fans } = scenario;
    const send = async (price: number, body: string, fan: number) => {
      await api.ok('updateSettings', {
        token: creator.token,
        params: { inboxId: creator.inboxId },
        body: { price: { minor: price, currency: 'USD' } },
      });
      scenario.messages.push(await api.sendPaidMessage(fans[fan] ?? creator, creator, body, { fund: true }));
    };
    await send(1000, 'Cheap question about travel', 0);
    await send(5000, 'Pricier question about travel', 1);
    await send(9900, 'Premium question about travel', 2);
    await connectApp(page, host.url, scenario);
    await waitForRows(page, 3);

    await page.keyboard.press('/');
    await page.keyboard.type('travel');
    await expect(page.getByRole('heading', { name: 'Search: 3 results' })).toBeVisible();
    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByLabel('Amount from').fill('20');
    await page.getByLabel('Amount to').fill('99');
    await expect(page.getByRole('heading', { name: 'Search: 2 results' })).toBeVisible();
    await expect(rows(page).filter({ hasText: 'Cheap' })).toHaveCount(0);
    await page.getByRole('checkbox', { name: 'Accepted' }).check();
    await expect(page.getByRole('heading', { name: 'Search: no results' })).toBeVisible();
    await page.getByRole('checkbox', { name: 'Accepted' }).uncheck();
    await page.getByRole('checkbox', { name: 'Pending' }).check();
    await expect(page.getByRole('heading', { name: 'Search: 2 results' })).toBeVisible();

    await page.getByRole('button', { name: 'Save search' }).click();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await waitForRows(page, 3);
    await page.getByRole('navigation').getByRole('button', { name: 'travel', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Search: 2 results' })).toBeVisible();
  }));
