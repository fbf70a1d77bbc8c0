import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Collects Content-Security-Policy violations the page reports, to prove the strict CSP fits the app. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Opens a WebSocket from inside the page; resolves 'open' or 'refused'. */
function trySocket(page: Page, url: string): Promise<'open' | 'refused'> {
  return page.evaluate(
    (target) =>
      new Promise<'open' | 'refused'>((resolve) => {
        const socket = new WebSocket(target);
        socket.onopen = () => {
          socket.close();
          resolve('open');
        };
        socket.onerror = () => resolve('refused');
      }),
    url,
  );
}

test('first run → Try the demo → the inbox shows paid messages', async ({ page, host }) => {
  test.setTimeout(180_000);
  const violations = watchCsp(page);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Try the demo' }).click();
  const rows = page.locator('#message-list[role="listbox"]').getByRole('option');
  // The first start of the embedded platform migrates and seeds PGlite on disk.
  await expect(rows.first()).toBeVisible({ timeout: 120_000 });
  expect(await rows.count()).toBeGreaterThan(0);
  await expect(rows.first()).toContainText(/\d/);
  expect(violations).toEqual([]);
});

test('a bridge connection with a wrong token or from another origin is refused', async ({ page, host }) => {
  const port = new URL(host.url).port;
  const bridgeUrl = (token: string) => `ws://127.0.0.1:${port}/bridge?token=${encodeURIComponent(token)}`;

  // Without the token the page itself is refused.
  const refused = await page.goto(`http://127.0.0.1:${port}/`);
  expect(refused?.status()).toBe(403);

  // The app's own page: the right token opens the bridge, a wrong one does not.
  await page.goto(host.url);
  expect(await trySocket(page, bridgeUrl(host.token))).toBe('open');
  expect(await trySocket(page, bridgeUrl('not-the-token'))).toBe('refused');

  // Another site on this machine that learned the token still cannot connect: its Origin is wrong.
  const other: Server = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const address = other.address();
    const otherPort = typeof address === 'object' && address ? address.port : 0;
    await page.goto(`http://127.0.0.1:${otherPort}/`);
    expect(await trySocket(page, bridgeUrl(host.token))).toBe('refused');
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});

test('the host listens on loopback only', async ({ host }) => {
  const url = new URL(host.url);
  expect(url.hostname).toBe('127.0.0.1');
  const elsewhere = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address && !address.internal && address.family === 'IPv4')
    .map((address) => address?.address ?? '');
  for (const address of [...elsewhere, '::1']) {
    const reached = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port: Number(url.port) }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    expect({ address, reached }).toEqual({ address, reached: false });
  }
});
