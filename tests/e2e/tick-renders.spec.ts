import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { connectApp, inScenario, setResponseWindow, waitForRows } from './inbox-helpers';
import { RENDER_PROBE, rowOf } from './render-probe';

/**
 * What the one-second clock costs the renderer, counted rather than timed: the components
 * React renders while the page's clock ticks. A countdown shows minutes, so a tick must
 * re-render only the status chips whose text it changes — never a row, the list or the
 * pane (every tick once re-rendered the list and all ~30 visible rows).
 *
 * The page's clock is Playwright's, paused and moved a second at a time, so which
 * countdowns change in the window is known, not left to the machine's speed.
 */
const ROWS = 8;
const SPACING_MS = 17_000;

function statusTexts(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('#message-list [role="option"]')].map((row) => [
        `row ${row.id}`,
        row.querySelector('.row-status')?.textContent ?? '',
      ]),
    ),
  );
}

test('a clock tick re-renders only the status chips whose countdown text changes, not the rows, list or pane', ({
  app,
}) =>
  inScenario(app, { timeout: 240_000, messages: [] }, async (scenario, { page, host }) => {
    const { api, creator, fans } = scenario;
    // A three-hour window, so every countdown shows hours and minutes ("2h 59m").
    await setResponseWindow(scenario, 3 * 3_600_000);
    // Deadlines 17 s apart, so the rows' countdowns drop a minute at different seconds.
    for (let i = 0; i < ROWS; i++) {
      scenario.advanceClock(i === 0 ? 0 : -SPACING_MS);
      scenario.messages.push(
        await api.sendPaidMessage(fans[i % fans.length] ?? creator, creator, `Question ${i + 1}?`, { fund: true }),
      );
    }
    scenario.advanceClock((ROWS - 1) * SPACING_MS);
    await page.addInitScript(RENDER_PROBE);
    await page.clock.install();
    await connectApp(page, host.url, scenario);
    await waitForRows(page, ROWS);
    await expect(page.locator('#message-pane')).toHaveAttribute('data-message-id', /./, { timeout: 30_000 });
    // The first pending page shows while the rest of the inbox still downloads, and every part
    // that arrives re-renders the pane. Measure the clock alone: wait until the list and
    // the pane have not rendered for longer than the core's 500 ms between a bootstrap's announcements.
    await expect
      .poll(
        async () => {
          const count = () =>
            page.evaluate(
              () =>
                window.__renders
                  .flatMap((entry) => ('places' in entry ? entry.places : []))
                  .filter((place) => place === 'list' || place === 'pane').length,
            );
          const before = await count();
          await page.waitForTimeout(1_200);
          return (await count()) === before;
        },
        { message: 'the app settles after its first sync', timeout: 60_000, intervals: [0] },
      )
      .toBe(true);

    // Pause the page's clock 2.5 s before the first message's countdown drops a minute.
    const first = scenario.messages[0];
    if (!first) throw new Error('no message sent');
    const pageNow = await page.evaluate(() => Date.now());
    const minutesLeft = Math.floor((first.deadline - pageNow) / 60_000);
    await page.clock.pauseAt(first.deadline - (minutesLeft - 1) * 60_000 - 2_500);
    await page.waitForTimeout(500);
    const firstRow = `row msg-${first.id}`;
    const before = await statusTexts(page);
    await page.evaluate(() => {
      window.__renders.length = 0;
    });

    for (let tick = 0; tick < 5; tick++) {
      await page.clock.runFor(1_000);
      await page.waitForTimeout(150);
    }
    // The countdown still follows the clock: the first message's chip has dropped a minute.
    await expect.poll(async () => (await statusTexts(page))[firstRow], { timeout: 5_000 }).not.toBe(before[firstRow]);
    const after = await statusTexts(page);
    const changed = Object.keys(after).filter((row) => after[row] !== before[row]);
    expect(changed, 'rows whose countdown text changed in the 5 s').toContain(firstRow);
    expect(changed.length, 'some countdowns must not change, or nothing is proved').toBeLessThan(ROWS);

    const places = await page.evaluate(() =>
      window.__renders.flatMap((entry) => ('places' in entry ? entry.places : [])),
    );
    // The pane shows its message's countdown too: it may re-render only when that text changed.
    const paneRow = `row msg-${await page.locator('#message-pane').getAttribute('data-message-id')}`;
    const paneChanged = changed.includes(paneRow);
    expect(
      places.filter(
        (place) =>
          place === 'list' || (place === 'pane' && !paneChanged) || (rowOf(place) !== null && rowOf(place) === place),
      ),
      'the list, the pane or whole rows re-rendered by the clock',
    ).toEqual([]);
    const rendered = new Set(places.map(rowOf).filter((row) => row !== null));
    expect([...rendered].sort(), 'rows with a part re-rendered by the clock').toEqual([...changed].sort());
  }));
