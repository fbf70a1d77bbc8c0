import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { focusedRow, inScenario, messageList, waitForRows } from './inbox-helpers';

/**
 * Issue 12, item 4 (money shown one way): in Arabic, Intl writes "25.00 US$"; laid out
 * right to left without an isolate the "$" detaches from "US" and the screen reads
 * "$US 25.00". Every amount goes through one formatter (renderer/i18n/format.ts
 * formatAmount) and one component (renderer/ui/Amount.tsx). What is checked is what a
 * person SEES: the characters in the order Chromium laid them out, left to right.
 */

test.use({ locale: 'ar-EG' });

/**
 * The element's text as laid out on screen: line by line, each read left to right
 * (invisible bidi marks dropped).
 */
async function visualText(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const glyphs: { x: number; line: number; ch: string }[] = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        const ch = text[i] ?? '';
        if (/[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/.test(ch)) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width > 0) {
          const line = Math.round((rect.top + rect.bottom) / 2 / 8);
          glyphs.push({ x: rect.left + rect.width / 2, line, ch: /\s/.test(ch) ? ' ' : ch });
        }
      }
    }
    return glyphs
      .sort((a, b) => a.line - b.line || a.x - b.x)
      .map((g, i, all) => (i > 0 && all[i - 1]?.line !== g.line ? `\n${g.ch}` : g.ch))
      .join('');
  });
}

test('item 4: in Arabic every amount reads "US$ 25.00" on screen, never "$US" (rows, reading pane, pending list, earnings)', ({
  app,
}) =>
  inScenario(app, { timeout: 150_000 }, async (scenario, { page, host }) => {
    await page.goto(host.url);
    await page.getByLabel('عنوان المنصة').fill(scenario.platform.url);
    await page.getByLabel('البريد الإلكتروني').fill(scenario.creator.email);
    await page.getByLabel('كلمة المرور').fill(scenario.creator.password);
    await page.getByRole('button', { name: 'اتصال' }).click();
    await expect(messageList(page)).toBeVisible({ timeout: 30_000 });
    await waitForRows(page, 3);

    // The number is read first (on the right), then the currency, kept whole: "US$ 25.00".
    const expected = 'US$ 25.00';
    await expect.poll(() => visualText(focusedRow(page).locator('.row-price'))).toBe(expected);
    await expect.poll(() => visualText(page.locator('.money-line .price'))).toBe(expected);

    // A queued accept (platform away) lists its amount in the pending actions.
    await scenario.stop();
    await page.keyboard.press('a');
    await page.getByRole('button', { name: 'إجراء واحد معلّق' }).click();
    const pendingAmount = page.getByRole('dialog', { name: 'الإجراءات المعلّقة' }).locator('li .amount').first();
    await expect.poll(() => visualText(pendingAmount)).toBe(expected);
    await page.keyboard.press('Escape');

    // Earnings: every figure on the screen keeps its currency symbol whole.
    await page.evaluate((inboxId) => {
      location.hash = `#/earnings/${inboxId}`;
    }, scenario.creator.inboxId);
    const screen = page.getByRole('region', { name: 'الأرباح', exact: true });
    await expect(screen.getByRole('article', { name: 'USD' })).toBeVisible({ timeout: 30_000 });
    const figures = screen.locator('dd, p, li').filter({ hasText: 'US$' });
    expect(await figures.count()).toBeGreaterThan(5);
    for (const figure of await figures.all()) {
      const seen = await visualText(figure);
      expect(seen).toContain('US$');
      expect(seen).not.toContain('$US');
    }
  }));
