import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { addManager, connectApp, focusedRow, inScenario, messageList, waitForRows } from './inbox-helpers';

/**
 * Names and text with bidi overrides (U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT
 * ISOLATE left open) and markup, from a fan and from a manager, through the real renderer
 * and core in Chromium via the browser host: on every screen that shows them (inbox row,
 * message, toast, earnings, team, audit) each piece of such text sits in a direction
 * isolate — an element with dir="auto" and unicode-bidi: isolate, or FSI…PDI around it —
 * so it cannot reorder the app's own words and amounts, and no markup in it became an element.
 */
const FAN = '<b>Mallory</b>\u202Egnp.exe\u2066';
const MANAGER = 'Eve \u202Eliveh\u202C Manager';
const MARKERS = ['Mallory', 'liveh', 'gnp.exe'];

interface Isolation {
  /** Text nodes that hold a marker. */
  found: number;
  /** Those not inside an isolate: where they are and what they say. */
  leaks: string[];
}

function isolationOf(page: Page): Promise<Isolation> {
  return page.evaluate((markers) => {
    let found = 0;
    const leaks: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const marker = markers.find((m) => text.includes(m));
      const element = node.parentElement;
      if (!marker || !element) continue;
      found++;
      const isolate = element.closest('bdi, [dir="auto"]');
      const isolated = isolate !== null && getComputedStyle(isolate).unicodeBidi.includes('isolate');
      const at = text.indexOf(marker);
      const open = text.lastIndexOf('\u2068', at);
      const wrapped = open !== -1 && !text.slice(open, at).includes('\u2069') && text.indexOf('\u2069', at) !== -1;
      if (!isolated && !wrapped) {
        leaks.push(
          `<${element.tagName.toLowerCase()} class="${element.className}"> ${JSON.stringify(text.slice(0, 80))}`,
        );
      }
    }
    return { found, leaks };
  }, MARKERS);
}

/** No element came out of the names' markup, anywhere in the app. */
async function expectNoInjectedMarkup(page: Page) {
  const injected = await page.evaluate(
    () => [...document.querySelectorAll('b, strong')].filter((el) => el.textContent?.includes('Mallory')).length,
  );
  expect(injected).toBe(0);
}

test('bidi overrides and markup in people’s names stay inert and isolated on every screen that shows them', ({ app }) =>
  inScenario(
    app,
    {
      timeout: 240_000,
      fans: [FAN, 'Sam Carter'],
      messages: [
        { body: 'Accepted on the platform', fan: 0 },
        { body: 'Refunded on the platform', fan: 0 },
        { body: '\u202Eevas dna ypoc\u202C please: $1,000 or $0.01?', fan: 0 },
        { body: 'A plain question', fan: 1 },
      ],
    },
    async (scenario, { page, host }) => {
      const [accepted, refunded, hostile] = scenario.messages;
      if (!accepted || !refunded || !hostile) throw new Error('the scenario has its messages');
      // Done before the app connects: earnings and the audit log then name the fan and the manager.
      await addManager(scenario, MANAGER);
      expect((await scenario.api.accept(scenario.creator, accepted.id)).status).toBe(200);
      expect((await scenario.api.refund(scenario.creator, refunded.id)).status).toBe(200);

      await connectApp(page, host.url, scenario);
      await waitForRows(page, 2);
      const seen: Record<string, number> = {};
      const check = async (screen: string) => {
        const isolation = await isolationOf(page);
        expect(isolation.leaks, `${screen}: text of a name outside an isolate`).toEqual([]);
        await expectNoInjectedMarkup(page);
        seen[screen] = isolation.found;
      };

      // Inbox: the row shows the name without the override, and the price beside it reads as sent.
      await page.locator(`#msg-${hostile.id}`).click();
      await expect(focusedRow(page).locator('.row-fan')).not.toContainText('\u202E');
      await expect(focusedRow(page).locator('.row-price')).toHaveText('$25.00');
      await expect(page.getByRole('article', { name: 'Message' })).toContainText('$1,000 or $0.01?');
      await check('inbox and message');

      // A toast about the fan's message, while it shows.
      await messageList(page).focus();
      await page.keyboard.press('a');
      await expect(page.locator('.toast').first()).toBeVisible({ timeout: 30_000 });
      await check('toast');
      await page.keyboard.press('Escape');

      for (const [keys, screen] of [
        ['g e', 'earnings'],
        ['g t', 'team'],
        ['g a', 'audit'],
      ] as const) {
        await messageList(page).focus();
        for (const key of keys.split(' ')) await page.keyboard.press(key);
        const region = page.locator('section.screen');
        await expect(region).toBeVisible();
        await expect(region.locator('[aria-busy="true"], .skeleton-rows')).toHaveCount(0, { timeout: 30_000 });
        // The screen has drawn what it lists before it is checked.
        if (screen === 'team') await expect(region).toContainText('Manager', { timeout: 30_000 });
        if (screen === 'audit') await expect(region.locator('.untrusted').first()).toBeVisible({ timeout: 30_000 });
        await check(screen);
        await page.keyboard.press('Escape');
        await expect(messageList(page)).toBeVisible();
      }

      // Each screen that names people did show the hostile names (so the checks above looked at them).
      expect(seen['inbox and message'], JSON.stringify(seen)).toBeGreaterThan(0);
      expect(seen.team, JSON.stringify(seen)).toBeGreaterThan(0);
      expect(seen.audit, JSON.stringify(seen)).toBeGreaterThan(0);
    },
  ));
