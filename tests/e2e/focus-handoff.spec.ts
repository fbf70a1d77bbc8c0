import { expect, test } from './fixtures';
import { inScenario } from './inbox-helpers';

/**
 * Focus that the app moves "on the next frame" (back to the list after Escape closes the
 * composer) must not take it back from where the person's next key already put it: Escape
 * then / at once leaves the cursor in search. A slow frame (Arabic layout, a busy machine)
 * let the list take the focus from search.
 */
test('Escape out of the composer then / at once leaves the cursor in search', ({ app }) =>
  inScenario(
    app,
    {
      timeout: 120_000,
      rows: 2,
      messages: [
        { body: 'A first message', fan: 0 },
        { body: 'A second one', fan: 1 },
      ],
    },
    async (_scenario, { page }) => {
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
    },
  ));
