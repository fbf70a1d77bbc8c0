import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import { seedBulk } from '../../server/demo/bulk';
import { expect, test } from './fixtures';
import { inScenario, messageList } from './inbox-helpers';

/**
 * A big inbox's first download, seen in the app: the rail shows the inbox's bar with its
 * counts and the time left while messages are already readable, in English and Arabic,
 * light and dark, at both window sizes; the bar goes once the inbox is complete. A proxy
 * on loopback slows the snapshot stream (only it) so the download lasts long enough to look.
 */
const SHOTS = process.env.SYNC_PROGRESS_SHOTS;

function slowSnapshotProxy(target: string, delay: { ms: number }): Promise<Server> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!req.url?.includes('/snapshot')) return void answer.pipe(res);
        answer.on('data', (piece: Buffer) => {
          answer.pause();
          res.write(piece);
          setTimeout(() => answer.resume(), delay.ms);
        });
        answer.on('end', () => res.end());
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('a first download shows each inbox’s bar, counts and time left while messages are readable', ({ app }) =>
  inScenario(app, { timeout: 300_000 }, async (scenario, { page, host }) => {
    const bulk = await seedBulk(scenario.platform, { messages: 3_000 });
    const delay = { ms: 1_000 };
    const proxy = await slowSnapshotProxy(scenario.platform.url, delay);
    try {
      await page.goto(host.url);
      await page.getByLabel('Platform address').fill(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      await page.getByLabel('Email').fill(bulk.creator.email);
      await page.getByLabel('Password').fill(bulk.creator.password);
      await page.getByRole('button', { name: 'Connect' }).click();

      const item = page.locator('.sync-progress-item');
      await expect(item).toHaveCount(1, { timeout: 60_000 });
      await expect(item).toHaveAttribute('data-inbox-id', bulk.inboxId);
      // Counts of the expected total, and, once there is a pace, the time left.
      await expect(item).toContainText(/[\d,]+ of 3,000/);
      await expect(item).toContainText(/about .+ left/, { timeout: 30_000 });
      const bar = item.getByRole('progressbar');
      await expect(bar).toHaveAttribute('aria-valuetext', /of 3,000, about .+ left/);
      // The first messages are readable while the rest arrives.
      await expect(messageList(page).getByRole('option').first()).toBeVisible({ timeout: 30_000 });
      await expect(item).toHaveCount(1);

      for (const locale of ['en', 'ar'] as const) {
        for (const theme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: theme });
          await page.evaluate((choice) => {
            localStorage.setItem('creator-inbox.prefs', JSON.stringify({ theme: 'system', locale: choice }));
          }, locale);
          await page.reload();
          await expect(item).toHaveCount(1, { timeout: 30_000 });
          if (locale === 'ar') await expect(item).toContainText(/يتبقى نحو|جارٍ الإكمال/, { timeout: 30_000 });
          const axe = await new AxeBuilder({ page }).include('.sync-progress').analyze();
          expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
          for (const viewport of [
            { width: 1280, height: 800 },
            { width: 1024, height: 700 },
          ]) {
            await page.setViewportSize(viewport);
            if (SHOTS)
              await page.screenshot({ path: `${SHOTS}/sync-progress-${theme}-${locale}-${viewport.width}.png` });
          }
        }
      }

      // At full speed the download completes and the bar goes.
      delay.ms = 0;
      await expect(item).toHaveCount(0, { timeout: 120_000 });
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }));
