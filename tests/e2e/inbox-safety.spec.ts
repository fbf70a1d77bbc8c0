import { expect, test } from './fixtures';
import { connectApp, focusedRow, inScenario, waitForRows } from './inbox-helpers';

const PAYLOAD = [
  '<img src="http://198.51.100.7/pixel.png" onerror="window.__xss = \'img\'">',
  '<script>window.__xss = "script"</script>',
  '<a href="javascript:window.__xss=\'link\'">click</a>',
  '<svg onload="window.__xss=\'svg\'"></svg>',
  '<iframe src="http://198.51.100.7/"></iframe>',
  '<style>body{display:none}</style>',
].join(' ');

test('hostile message text renders as inert, isolated text: nothing runs, nothing loads', ({ app }) =>
  inScenario(
    app,
    {
      timeout: 120_000,
      fans: ['<b onmouseover="window.__xss=\'name\'">Mallory</b>\u202Egnp.exe'],
      messages: [
        { body: PAYLOAD, fan: 0 },
        // Zero-width and bidi-override characters, then a long body (the platform's limit is 20,000).
        { body: `\u202E\u2066reversed?\u200B\u200F ${'long text '.repeat(1_990)}`, fan: 0 },
      ],
    },
    async (scenario, { page, host }) => {
      const foreign: string[] = [];
      const hostOrigin = new URL(host.url).origin;
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.origin !== hostOrigin && !request.url().startsWith('data:')) foreign.push(request.url());
      });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await connectApp(page, host.url, scenario);
      await waitForRows(page, 2);

      const hostile = scenario.messages[0];
      await page.locator(`#msg-${hostile?.id}`).click();
      const body = page.getByRole('article', { name: 'Message' });
      // The markup is shown as the characters the fan typed.
      await expect(body).toContainText('<script>window.__xss = "script"</script>');
      await expect(body).toContainText('<img src="http://198.51.100.7/pixel.png"');
      // No element came out of fan text: none inside the isolates that hold it, and in the whole
      // pane none but the app's own icons (lucide's SVGs, which the hostile <svg> is not).
      await expect(page.locator(':is(.untrusted, .untrusted-block) :is(img, script, iframe, svg, a)')).toHaveCount(0);
      await expect(
        page.locator('main img, main script, main iframe, main svg:not(.lucide), main a[href^="javascript"]'),
      ).toHaveCount(0);
      expect(await page.locator('main svg.lucide').count()).toBeGreaterThan(0);
      await page.locator('#pane-title').hover();

      // Every piece of fan text sits in its own direction isolate.
      const isolation = await page.evaluate(() =>
        [...document.querySelectorAll('.untrusted, .untrusted-block')].map((el) => ({
          dir: el.getAttribute('dir'),
          bidi: getComputedStyle(el).unicodeBidi,
        })),
      );
      expect(isolation.length).toBeGreaterThan(3);
      for (const item of isolation) {
        expect(item.dir).toBe('auto');
        expect(item.bidi).toBe('isolate');
      }
      // The override in the fan's name was removed from the one-line name, so the
      // price next to it is not reversed.
      await expect(focusedRow(page).locator('.row-fan')).not.toContainText('\u202E');
      await expect(focusedRow(page).locator('.row-price')).toHaveText('$25.00');

      // The long body shows a slice first, all of it on request, without freezing the page.
      await page.keyboard.press('j');
      const long = page.getByRole('article', { name: 'Message' });
      await expect(long.getByRole('button', { name: /Show the whole message/ })).toBeVisible();
      const started = Date.now();
      await long.getByRole('button', { name: /Show the whole message/ }).click();
      await expect(long).toContainText('long text long text');
      expect(Date.now() - started).toBeLessThan(5_000);

      expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(foreign).toEqual([]);
    },
  ));
