import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { connectApp, focusedRow, inScenario, messageList, waitForRows } from './inbox-helpers';

/**
 * What one press of j costs the renderer, counted rather than timed (a count does not drift
 * with the machine's load): the React components it re-renders. Moving the focus must touch
 * only the two rows whose focus changed, the list that owns them and the reading pane —
 * never the rail, the top bar, the list head, banners or dialogs (the whole screen once
 * re-rendered on every press, because it read the whole UI store).
 *
 * The count comes from React's own commit notifications, through the hook React DevTools
 * uses (`__REACT_DEVTOOLS_GLOBAL_HOOK__`, which production builds also call): for each
 * commit, the components that rendered, each named by the element it draws.
 */
const RENDER_PROBE = `
(() => {
  const COMPONENT = new Set([0, 1, 11, 14, 15]); // function, class, forwardRef, memo, simple memo
  const PERFORMED_WORK = 1;
  const hostBelow = (fiber) => {
    const stack = [fiber.child];
    while (stack.length > 0) {
      const f = stack.pop();
      if (!f) continue;
      if (f.tag === 5) return f.stateNode;
      stack.push(f.sibling, f.child);
    }
    return null;
  };
  const hostAbove = (fiber) => {
    for (let f = fiber.return; f; f = f.return) if (f.tag === 5) return f.stateNode;
    return null;
  };
  const place = (fiber) => {
    const el = hostBelow(fiber) || hostAbove(fiber);
    if (!(el instanceof Element)) return 'nothing drawn';
    const row = el.closest('[role="option"]');
    if (row) return 'row ' + row.id;
    if (el.closest('#message-pane')) return 'pane';
    if (el.id === 'message-list') return 'list';
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  };
  // Only subtrees React reconciled in this commit are walked (a bailed-out subtree keeps its
  // old child fibers); a component rendered if it mounted or did work.
  const rendered = (rootFiber) => {
    const out = [];
    const visit = (first) => {
      for (let f = first; f; f = f.sibling) {
        const alt = f.alternate;
        if (COMPONENT.has(f.tag) && (alt === null || (f.flags & PERFORMED_WORK) !== 0)) out.push(place(f));
        if (f.child && (alt === null || f.child !== alt.child)) visit(f.child);
      }
    };
    visit(rootFiber.alternate && rootFiber.child === rootFiber.alternate.child ? null : rootFiber.child);
    return out;
  };
  const log = [];
  window.__renders = log;
  window.addEventListener('keydown', (e) => log.push({ key: e.key }), true);
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject() { return 1; },
    checkDCE() {},
    onScheduleFiberRoot() {},
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onCommitFiberRoot(_id, root) { log.push({ places: rendered(root.current) }); },
  };
})();
`;

declare global {
  interface Window {
    __renders: ({ key: string } | { places: string[] })[];
  }
}

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
        const rows = new Set(places.filter((p) => p.startsWith('row ')));
        expect(rows, `rows re-rendered by ${key}`).toEqual(new Set([`row ${before}`, `row ${after}`]));
        expect(
          places.filter((p) => !p.startsWith('row ') && p !== 'list' && p !== 'pane'),
          `re-rendered outside the two rows, the list and the pane by ${key}`,
        ).toEqual([]);
      }
    },
  ));
