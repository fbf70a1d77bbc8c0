import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { Scenario } from './inbox-helpers';
import { focusedRow, inScenario, messageList, openNotices, QUESTIONS, waitForRows } from './inbox-helpers';
import { lookAt, showIn, VIEWPORTS } from './looks';

/**
 * Issue 12, "notices collect into one list, not a stack": several notices arrive while
 * the creator works; they sit in one list behind the bell in the top bar, and nothing of
 * them lies over the message pane or the earnings table — in English and in Arabic, at
 * 1024×700 (where the old stacked card covered part of the Arabic earnings table).
 */

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Every notice element on screen, and every fixed layer (toasts aside from this test's scope named). */
async function floatingBoxes(page: Page): Promise<{ what: string; box: Box }[]> {
  return page.evaluate(() => {
    const out: { what: string; box: { x: number; y: number; width: number; height: number } }[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const style = getComputedStyle(el);
      const isNotice = el.matches('.notice, .notices, .notice-peek, [data-code]');
      if (!isNotice && style.position !== 'fixed') continue;
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      out.push({
        what: `${el.tagName.toLowerCase()}.${el.className}`,
        box: { x: r.x, y: r.y, width: r.width, height: r.height },
      });
    }
    return out;
  });
}

/** Nothing floating covers `target`: no notice anywhere over it, and each point of it is its own. */
async function expectUncovered(page: Page, target: Locator, name: string) {
  const box = await target.boundingBox();
  if (!box) throw new Error(`${name} is not on screen`);
  const covering = (await floatingBoxes(page)).filter((f) => overlaps(f.box, box));
  expect(covering, `over ${name}`).toEqual([]);
  // And what a click at its corners and centre reaches is the target itself.
  const hits = await target.evaluate((el) => {
    // The part of it on screen (a long card scrolls past the window's bottom).
    const box = el.getBoundingClientRect();
    const r = {
      left: Math.max(box.left, 0),
      top: Math.max(box.top, 0),
      right: Math.min(box.right, window.innerWidth),
      bottom: Math.min(box.bottom, window.innerHeight),
      width: 0,
      height: 0,
    };
    r.width = r.right - r.left;
    r.height = r.bottom - r.top;
    const points = [
      [r.left + 4, r.top + 4],
      [r.right - 4, r.top + 4],
      [r.left + 4, r.bottom - 4],
      [r.right - 4, r.bottom - 4],
      [r.left + r.width / 2, r.top + r.height / 2],
    ] as const;
    return points.map(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && el.contains(hit);
    });
  });
  expect(hits, `${name} reachable at its corners and centre`).toEqual([true, true, true, true, true]);
}

/** Three queued accepts, each beaten by the creator's refund on another device: three notices. */
async function threeConflicts(page: Page, scenario: Scenario) {
  const { api, creator, messages } = scenario;
  for (const message of messages.slice(0, 3)) {
    await expect(focusedRow(page)).toHaveAttribute('id', `msg-${message.id}`);
    await page.keyboard.press('a');
    await expect(page.locator(`#msg-${message.id}`)).toContainText(/Accept waiting|ينتظر|القبول/);
    await api.refund(creator, message.id);
    await page.waitForTimeout(400); // a person's pace between decisions
  }
}

async function switchToArabic(page: Page) {
  await page.evaluate(() => localStorage.setItem('creator-inbox.prefs', JSON.stringify({ locale: 'ar' })));
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
}

for (const lang of ['en', 'ar'] as const) {
  test(`item 3: several notices collect in one list behind the bell; none covers the message pane or the earnings table (${lang}, 1024×700)`, ({
    app,
  }) =>
    inScenario(app, { timeout: 180_000, rows: 4, messages: QUESTIONS }, async (scenario, { page }) => {
      await page.setViewportSize({ width: 1024, height: 700 });
      if (lang === 'ar') {
        await switchToArabic(page);
        await waitForRows(page, 4);
      }
      await messageList(page).focus();
      await threeConflicts(page, scenario);

      // The bell counts them, unread.
      const bell = page.locator('button.notices-button');
      await expect(bell).toHaveAttribute('data-unread', '3', { timeout: 60_000 });
      if (lang === 'en') await expect(bell).toHaveAccessibleName('Notices, 3 unread');
      // The newest shows for a moment beside the bell, in the top bar: the message left
      // pending (the fourth) keeps its actions clear.
      await expect(page.locator('.notice-peek')).toContainText('Omar Nasser');
      await expectUncovered(page, page.locator('#message-pane [role="toolbar"]'), 'the message actions');
      // Once the accepts' undo toasts have run out, nothing at all lies over the pane.
      await expect(page.locator('.toast:not(.flash)')).toHaveCount(0, { timeout: 15_000 });
      await expectUncovered(page, page.locator('#message-pane'), 'the message pane');

      // The earnings screen (its figures, cards and tables), with the notices still there.
      await page
        .locator('.sidebar')
        .getByRole('button', { name: lang === 'en' ? 'Earnings' : 'الأرباح', exact: true })
        .click();
      const card = page.locator('article.earnings-card[data-currency="USD"]');
      await expect(card).toBeVisible({ timeout: 30_000 });
      await expectUncovered(page, page.locator('.screen-host'), 'the earnings screen');
      await expectUncovered(page, card, 'the earnings card');

      // One list: every notice, newest first, each naming the fan and the amount.
      const list = await openNotices(page);
      if (lang === 'en') await expect(list).toHaveAccessibleName('Notices');
      const items = list.locator('li.notice');
      await expect(items).toHaveCount(3);
      const fans = ['Omar Nasser', 'Sam Carter', 'Layla Haddad'];
      for (const [i, fan] of fans.entries()) {
        await expect(items.nth(i)).toContainText(fan);
        await expect(items.nth(i)).toHaveAttribute('data-code', 'already_decided');
      }
      if (lang === 'en') {
        const sentence = ((await items.nth(0).textContent()) ?? '').replace(/[\u2066-\u2069]/g, '');
        expect(sentence).toMatch(
          /Your acceptance of Omar Nasser’s \$25\.00 message was not applied: Nour Creator had already refunded it on/,
        );
      }
      // Having looked, none is unread.
      await expect(bell).toHaveAttribute('data-unread', '0');

      // Dismiss one, then the rest at once.
      await items
        .nth(1)
        .getByRole('button', { name: lang === 'en' ? 'Dismiss' : 'تجاهل' })
        .click();
      await expect(items).toHaveCount(2);
      await expect(items.nth(1)).toContainText('Layla Haddad');
      await list.getByRole('button', { name: lang === 'en' ? 'Dismiss all' : 'إخفاء الكل' }).click();
      await expect(items).toHaveCount(0);
      await page.keyboard.press('Escape');
      await expect(list).toBeHidden();
      await expect(page.locator('.notice-peek')).toHaveCount(0);
    }));
}

test('looks: the notices list behind the bell, in every language, theme and size', ({ app }) =>
  inScenario(app, { timeout: 420_000, rows: 4, messages: QUESTIONS }, async (scenario, { page }) => {
    await messageList(page).focus();
    await threeConflicts(page, scenario);
    await expect(page.locator('button.notices-button')).toHaveAttribute('data-unread', '3', { timeout: 60_000 });
    for (const locale of ['en', 'ar'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        for (const viewport of VIEWPORTS) {
          await showIn(page, locale, theme, viewport);
          await waitForRows(page, 1);
          const list = await openNotices(page);
          await expect(list.locator('li.notice')).toHaveCount(3);
          await lookAt(page, 'notices-list', `${theme}-${locale}-${viewport.width}`);
          await page.keyboard.press('Escape');
        }
      }
    }
  }));
