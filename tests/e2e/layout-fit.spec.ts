import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { type BrowserHost, startBrowserHost } from '../../electron/browser-host';
import { expect, test } from './fixtures';
import { messageList } from './inbox-helpers';
import { VIEWPORTS } from './looks';

/**
 * Nothing in the inbox is cut off or crowded out, in either language at either size, on the
 * demo's real rows (Arabic and English names, labels, stars, presence, terms badges):
 * - every row's countdown chip and amount lie inside the row (in Arabic at 1024 the chips
 *   once ran past the row's edge and were clipped);
 * - the preview keeps room for at least PREVIEW_MIN_CH characters beside the badges (they
 *   once left it one or two);
 * - the list title is shown whole and does not run under the sort selector;
 * - the fan card's name sits at the card's top padding, with no empty band above it;
 * - each of the fan's earlier messages has its price and status below its body (inline, an
 *   English body wrapped in the Arabic card was split around them);
 * - the audit log's table fits its panel: no column past the screen's edge (its unwrapped
 *   sentences once pushed the details column out of sight at both sizes).
 * Geometry only; the look itself is in docs/screenshots (`npm run screenshots`).
 */
const PREVIEW_MIN_CH = 8;

let host: BrowserHost;
let dataDir: string;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), 'creator-inbox-fit-'));
  host = await startBrowserHost({ dataDir, port: 0, open: false, build: 'never', demo: { liveTrafficMs: 0 } });
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openDemo(page: Page, locale: 'en' | 'ar', viewport: (typeof VIEWPORTS)[number]) {
  await page.addInitScript((choice) => {
    localStorage.setItem('creator-inbox.prefs', JSON.stringify({ theme: 'light', locale: choice }));
  }, locale);
  await page.setViewportSize(viewport);
  await page.goto(host.newLaunchUrl());
  const demo = page.locator('.first-run section[aria-labelledby="demo-title"] button.primary');
  await expect(demo.or(messageList(page))).toBeVisible({ timeout: 60_000 });
  if (await demo.isVisible()) await demo.click();
  await expect(messageList(page).getByRole('option').nth(10)).toBeVisible({ timeout: 300_000 });
  await expect(page.locator('.fan-card h3')).toBeVisible({ timeout: 30_000 });
}

/** Per shown row: what sticks out of it, and how wide its preview is against N characters of its font. */
function measureRows(page: Page, minCh: number) {
  return page.evaluate((n) => {
    const box = (el: Element | null) => el?.getBoundingClientRect() ?? null;
    return [...document.querySelectorAll('#message-list [role="option"]')].map((row) => {
      const r = row.getBoundingClientRect();
      const outside = ['.row-status', '.row-price', '.terms-badge', '.row-marks', '.row-fan']
        .map((selector) => [selector, box(row.querySelector(selector))] as const)
        .filter(([, b]) => b !== null && b.width > 0 && (b.left < r.left - 0.5 || b.right > r.right + 0.5))
        .map(([selector]) => selector);
      const preview = row.querySelector<HTMLElement>('.row-preview');
      let previewWidth = 0;
      let wanted = 0;
      if (preview) {
        previewWidth = preview.getBoundingClientRect().width;
        // N characters of the preview's own font: a hidden probe beside it, as wide as N "0"s.
        const probe = document.createElement('span');
        probe.style.cssText = `position:absolute;visibility:hidden;inline-size:${n}ch`;
        preview.after(probe);
        wanted = probe.getBoundingClientRect().width;
        probe.remove();
      }
      return { id: row.id, outside, previewWidth: Math.round(previewWidth), wanted: Math.round(wanted) };
    });
  }, minCh);
}

for (const locale of ['ar', 'en'] as const) {
  for (const viewport of VIEWPORTS) {
    test(`the inbox fits: ${locale} at ${viewport.width}`, async ({ page }) => {
      test.setTimeout(420_000);
      await openDemo(page, locale, viewport);

      const rows = await measureRows(page, PREVIEW_MIN_CH);
      expect(rows.length).toBeGreaterThan(10);
      expect(
        rows.filter((r) => r.outside.length > 0),
        'parts of a row past its edge',
      ).toEqual([]);
      expect(
        rows.filter((r) => r.previewWidth < r.wanted),
        `previews narrower than ${PREVIEW_MIN_CH} characters`,
      ).toEqual([]);

      // The list title: whole, and clear of the sort selector and density toggle.
      const title = page.locator('.list-title');
      const cut = await title.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(cut, `list title cut off: ${await title.textContent()}`).toBe(false);
      const titleBox = await title.boundingBox();
      const toolsBox = await page.locator('.list-tools').boundingBox();
      if (!titleBox || !toolsBox) throw new Error('list head not shown');
      const overlap =
        Math.min(titleBox.x + titleBox.width, toolsBox.x + toolsBox.width) - Math.max(titleBox.x, toolsBox.x);
      expect(overlap, 'title overlaps the list tools').toBeLessThanOrEqual(0);

      // The fan card: its name right under the card's top padding.
      const gap = await page.locator('.fan-card').evaluate((card) => {
        const heading = card.querySelector('h3');
        if (!heading) return Number.POSITIVE_INFINITY;
        const style = getComputedStyle(card);
        const inner = card.getBoundingClientRect().top + Number.parseFloat(style.borderTopWidth);
        return heading.getBoundingClientRect().top - inner - Number.parseFloat(style.paddingTop);
      });
      expect(gap, 'empty band above the fan name').toBeLessThanOrEqual(4);

      // The fan's earlier messages: each body on lines of its own, price and status below.
      const history = page.locator('.fan-card .fan-history li');
      await expect(history.first()).toBeVisible();
      for (const item of await history.all()) {
        const body = await item.locator(':scope > bdi').boundingBox();
        const meta = await item.locator(':scope > .muted').boundingBox();
        expect.soft(body && meta && meta.y >= body.y + body.height - 1, 'price and status below the body').toBe(true);
      }

      // The audit log, reached by its keys: the table no wider than its panel, every cell on screen.
      await messageList(page).focus();
      await page.keyboard.press('g');
      await page.keyboard.press('a');
      const table = page.locator('.audit-table');
      await expect(table.locator('tbody tr').nth(5)).toBeVisible({ timeout: 30_000 });
      const fit = await table.evaluate((el) => {
        const panel = el.parentElement as HTMLElement;
        const edge = panel.getBoundingClientRect();
        const outside = [...el.querySelectorAll('th, td')]
          .map((cell) => cell.getBoundingClientRect())
          .filter((r) => r.left < edge.left - 0.5 || r.right > edge.right + 0.5).length;
        return { tableWidth: el.scrollWidth, panelWidth: panel.clientWidth, outside };
      });
      expect(fit.outside, 'audit cells past the panel').toBe(0);
      expect(fit.tableWidth, 'audit table wider than its panel').toBeLessThanOrEqual(fit.panelWidth + 1);
    });
  }
}
