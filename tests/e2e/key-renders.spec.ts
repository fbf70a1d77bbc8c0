import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { connectApp, focusedRow, inScenario, messageList, waitForRows } from './inbox-helpers';
import { RENDER_PROBE, rowOf } from './render-probe';

/**
 * What one press of j costs the renderer, counted rather than timed (a count does not drift
 * with the machine's load): the React components it re-renders. Moving the focus must touch
 * only the two rows whose focus changed, the list that owns them and the reading pane —
 * never the rail, the top bar, the list head, banners or dialogs (the whole screen once
 * re-rendered on every press, because it read the whole UI store). Counted with
 * render-probe.ts.
 */

/** The places rendered in the first commit after the last key press (the focus moving). */
async function focusCommitAfter(page: Page, key: string): Promise<string[]> {
  await page.evaluate(() => {
    window.__renders.length = 0;
  });
  const before = await focusedRow(page).getAttribute('id');
  await page.keyboard.press(key);
  await expect(focusedRow(page)).not.toHaveAttribute('id', before ?? '');
  const after = await focusedRow(page).getAttribute('id');
  // The pane shows the newly focused message before the count is read.
  await expect(page.locator('#message-pane')).toHaveAttribute('data-message-id', (after ?? '').replace(/^msg-/, ''));
  return page.evaluate(() => {
    const at = window.__renders.findIndex((entry) => 'key' in entry);
    const commit = window.__renders.slice(at + 1).find((entry) => 'places' in entry);
    return commit && 'places' in commit ? commit.places : ['no commit after the key'];
  });
}

test('a j press re-renders only the two rows whose focus changed, the list and the pane', ({ app }) =>
  inScenario(
    app,
    {
      timeout: 240_000,
      messages: Array.from({ length: 8 }, (_, i) => ({ body: `Question ${i + 1}: what would you do?`, fan: i % 3 })),
    },
    async (scenario, { page, host }) => {
      await page.addInitScript(RENDER_PROBE);
      await connectApp(page, host.url, scenario);
      await waitForRows(page, 8);
      await messageList(page).focus();
      await expect(page.locator('#message-pane')).toHaveAttribute('data-message-id', /./, { timeout: 30_000 });

      for (const key of ['j', 'j', 'j', 'k', 'j']) {
        const before = await focusedRow(page).getAttribute('id');
        const places = await focusCommitAfter(page, key);
        const after = await focusedRow(page).getAttribute('id');
        const rows = new Set(places.map(rowOf).filter((row) => row !== null));
        expect(rows, `rows re-rendered by ${key}`).toEqual(new Set([`row ${before}`, `row ${after}`]));
        expect(
          places.filter((p) => rowOf(p) === null && p !== 'list' && p !== 'pane'),
          `re-rendered outside the two rows, the list and the pane by ${key}`,
        ).toEqual([]);
      }
    },
  ));
