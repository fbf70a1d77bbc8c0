import { expect, test } from './fixtures';
import { messageList, type Scenario, startScenario, waitForRows } from './inbox-helpers';

/**
 * Focus that the app moves "on the next frame" (back to the list after Escape closes the
 * composer) must not take it back from where the person's next key already put it: Escape
 * then / at once leaves the cursor in search. A slow frame (Arabic layout, a busy machine)
 * let the list take the focus from search.
 */
let scenario: Scenario;
test.beforeAll(async () => {
  scenario = await startScenario({
    messages: [
      { body: 'A first message', fan: 0 },
      { body: 'A second one', fan: 1 },
    ],
  });
});
test.afterAll(async () => {
  await scenario.close();
});

test('Escape out of the composer then / at once leaves the cursor in search', async ({ page, host }) => {
  await page.goto(host.url);
  await page.locator('input[type="url"]').fill(scenario.platform.url);
  await page.locator('input[type="email"]').fill(scenario.creator.email);
  await page.locator('input[type="password"]').fill(scenario.creator.password);
  await page.locator('form.connect-form button[type="submit"]').click();
  await expect(messageList(page)).toBeVisible({ timeout: 30_000 });
  await waitForRows(page, 2);
  await page.keyboard.press('n');
  await expect(page.locator('#composer-input')).toBeFocused();

  // Escape, then / before the next frame, as a fast hand on a slow frame delivers them: the
  // composer is gone (React has committed) and the frame's callbacks run only after the /.
  const focusAtSlash = await page.evaluate(async () => {
    const press = (key: string) =>
      (document.activeElement ?? document.body).dispatchEvent(
        new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }),
      );
    const frame: FrameRequestCallback[] = [];
    const requestFrame = window.requestAnimationFrame;
    window.requestAnimationFrame = (callback) => frame.push(callback);
    try {
      press('Escape');
      await new Promise((resolve) => setTimeout(resolve, 0));
      const at = document.activeElement === document.body ? 'page' : (document.activeElement?.id ?? '?');
      press('/');
      return at;
    } finally {
      window.requestAnimationFrame = requestFrame;
      for (const callback of frame) callback(performance.now());
    }
  });
  expect(focusAtSlash).toBe('page');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await expect(page.locator('#search-input')).toBeFocused();
  await expect(page.locator('#composer-input')).toHaveCount(0);
});
