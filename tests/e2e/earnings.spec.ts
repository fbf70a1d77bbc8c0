import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { inScenario, messageList, statusOnPlatform } from './inbox-helpers';

/** The value next to a label on the earnings card of one currency. */
const figure = (card: Locator, label: string) =>
  card.locator('.earnings-row', { has: card.page().getByText(label, { exact: true }) }).locator('dd');

async function openEarnings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Earnings', exact: true }).click();
  const dialog = page.getByRole('region', { name: 'Earnings', exact: true });
  await expect(dialog).toBeVisible();
  return dialog.locator('article.earnings-card[data-currency="USD"]');
}

test('earnings move by exactly the accepted and refunded amounts, and the export is valid CSV', ({ app }) =>
  inScenario(app, { timeout: 120_000, rows: 3 }, async (scenario, { page }) => {
    // Three paid messages of $25.00 at the platform's 10 % fee.

    let card = await openEarnings(page);
    await expect(figure(card, 'Still held')).toContainText('$75.00');
    await expect(figure(card, 'You earned (net)')).toContainText('$0.00');
    await page.keyboard.press('Escape');

    // Accept one in the app (it leaves after the undo window), refund another on the platform.
    await expect(messageList(page)).toBeFocused();
    await page.keyboard.press('a');
    const acceptedOnPlatform = async () => {
      for (const message of scenario.messages) {
        if ((await statusOnPlatform(scenario, message.id)) === 'accepted') return message.id;
      }
      return null;
    };
    await expect.poll(acceptedOnPlatform, { timeout: 30_000 }).not.toBeNull();
    const accepted = await acceptedOnPlatform();
    const other = scenario.messages.find((m) => m.id !== accepted);
    if (!other) throw new Error('the scenario has a second message');
    await scenario.api.refund(scenario.creator, other.id);

    card = await openEarnings(page);
    await expect(figure(card, 'Accepted (what fans paid)')).toContainText('$25.00', { timeout: 30_000 });
    await expect(figure(card, 'Platform fee')).toContainText('$2.50');
    await expect(figure(card, 'You earned (net)')).toContainText('$22.50');
    await expect(figure(card, 'Refunded')).toContainText('$25.00');
    await expect(figure(card, 'Still held')).toContainText('$25.00');

    // The export downloads as UTF-8 with a BOM, RFC 4180 lines, and sums to the same net.
    const dialog = page.getByRole('region', { name: 'Earnings', exact: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = await download.path();
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n').filter((line) => line.length > 0);
    const header = (lines[0] ?? '').split(',');
    const netColumn = header.findIndex((h) => /^net/i.test(h));
    const kindColumn = header.indexOf('type');
    expect(netColumn).toBeGreaterThanOrEqual(0);
    // Unquoted demo data: a plain split is enough to re-read the net column to the cent.
    const netCents = lines
      .slice(1)
      .map((line) => line.split(','))
      .filter((cells) => kindColumn < 0 || cells[kindColumn] === 'capture')
      .reduce((sum, cells) => sum + Math.round(Number(cells[netColumn]) * 100), 0);
    expect(netCents).toBe(2250);
    // Issue 12: signed amounts and a running balance that ends on the available balance,
    // and the screen says which file was saved.
    const balanceColumn = header.indexOf('balance');
    expect(balanceColumn).toBeGreaterThan(0);
    expect(lines.at(-1)?.split(',')[balanceColumn]).toBe('22.50');
    expect(download.suggestedFilename()).toMatch(/^earnings-.*\.csv$/);
    // In a browser the browser owns downloads: the line names the file and where it is, and
    // no "Show in folder" is offered (the host says it cannot; only the desktop app can).
    const line = dialog.locator('.earnings-export [role="status"]');
    await expect(line).toContainText(`Saved \u2068${download.suggestedFilename()}\u2069`);
    await expect(line).toContainText('Your browser keeps it with its downloads.');
    await expect(dialog.getByRole('button', { name: 'Show in folder' })).toHaveCount(0);
  }));
