import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { contentTypeFor, resolveStaticFile } from '../../electron/browser-host/static-files';
import { createCore, createMemoryVault } from '../../electron/core';
import { type IpcMainLike, registerBridgeIpc } from '../../electron/main/ipc-bridge';
import { rendererCsp } from '../../shared/contract';
import { expect, test } from './fixtures';
import { connectApp, rows, startScenario } from './inbox-helpers';

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

test('a launch address works once and leaves no secret in the address, history or readable cookies', async ({
  page,
  context,
  browser,
  host,
}) => {
  const launch = host.url;
  const code = new URL(launch).searchParams.get('code') ?? '';
  expect(code).not.toBe('');
  const answer = await page.goto(launch);
  expect(answer?.status()).toBe(200);
  // The code was spent for a session: the address bar and this tab's history hold the bare page.
  const origin = new URL(launch).origin;
  expect(page.url()).toBe(`${origin}/`);
  expect(await page.evaluate(() => window.location.search)).toBe('');
  // One step back is where the tab was before (blank), not the address with the code.
  await page.goBack();
  expect(page.url()).toBe('about:blank');
  await page.goForward();
  expect(page.url()).toBe(`${origin}/`);
  // The session cookie is HttpOnly (the page's script cannot read it) and is not the code.
  expect(await page.evaluate(() => document.cookie)).toBe('');
  const [cookie] = await context.cookies(origin);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect(cookie?.value).not.toBe(code);
  expect(launch).not.toContain(cookie?.value ?? '');
  // Nothing secret was left in storage for a script to find.
  expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, expect.any(Number)]);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(code);
  // A reload keeps working (the cookie), and the app is connected.
  expect((await page.reload())?.status()).toBe(200);
  await expect(page.getByRole('button', { name: 'Try the demo' })).toBeVisible();
  // The same address in another browser profile (a code read from history or a process list) opens nothing.
  const stranger = await browser.newContext();
  try {
    const other = await stranger.newPage();
    expect((await other.goto(launch))?.status()).toBe(403);
  } finally {
    await stranger.close();
  }
});

test('a bridge connection without the session or from another origin is refused', async ({ page, host, browser }) => {
  const port = new URL(host.url).port;
  const bridgeUrl = `ws://127.0.0.1:${port}/bridge`;

  // Without a session or a launch code the page itself is refused.
  const refused = await page.goto(`http://127.0.0.1:${port}/`);
  expect(refused?.status()).toBe(403);

  // The app's own page: its session cookie opens the bridge.
  await page.goto(host.url);
  expect(await trySocket(page, bridgeUrl)).toBe('open');

  // A page in a browser profile without the session cannot connect, whatever it puts in the URL.
  const stranger = await browser.newContext();
  const other: Server = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const address = other.address();
    const otherPort = typeof address === 'object' && address ? address.port : 0;
    const elsewhere = await stranger.newPage();
    await elsewhere.goto(`http://127.0.0.1:${otherPort}/`);
    expect(await trySocket(elsewhere, bridgeUrl)).toBe('refused');
    expect(await trySocket(elsewhere, `${bridgeUrl}${new URL(host.url).search}`)).toBe('refused');
    // Another site in the same browser: its Origin is wrong (and SameSite keeps the cookie home).
    await page.goto(`http://127.0.0.1:${otherPort}/`);
    expect(await trySocket(page, bridgeUrl)).toBe('refused');
  } finally {
    await stranger.close();
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

/**
 * The renderer build as the Electron app runs it: under the Electron shell's CSP (no
 * connections at all) and talking through `window.inbox`, with the main process's IPC
 * handler (sender check + dispatchCall) in front of a real core. The Electron binary cannot
 * run here, so Chromium stands in for the window and a few lines in the page stand in for
 * the preload; the page's frame is reported to the sender check as the app:// page.
 */
const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));
const PAGE_ORIGIN = 'http://electron-shell.test';

test('the renderer works under the Electron shell’s CSP through window.inbox (preload emulated, no Electron binary)', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'creator-inbox-electron-renderer-'));
  const scenario = await startScenario();
  const core = await createCore({
    dataDir,
    deviceName: 'e2e',
    vault: createMemoryVault(),
    shell: 'electron',
    version: '0.0.0-e2e',
  });
  let invokeHandler: ((...args: unknown[]) => Promise<unknown>) | null = null;
  const ipcMain: IpcMainLike = {
    handle: (_channel, handler) => {
      invokeHandler = handler as (...args: unknown[]) => Promise<unknown>;
    },
    removeHandler: () => {},
  };
  registerBridgeIpc(ipcMain, core.handlers);
  const violations = watchCsp(page);

  try {
    await page.route(`${PAGE_ORIGIN}/**`, async (route) => {
      const file = resolveStaticFile(RENDERER_DIR, new URL(route.request().url()).pathname);
      if (!file) return route.fulfill({ status: 404 });
      await route.fulfill({
        status: 200,
        headers: { 'content-type': contentTypeFor(file), 'content-security-policy': rendererCsp({ connectSrc: [] }) },
        body: readFileSync(file),
      });
    });
    await page.exposeBinding('__ipcInvoke', async (source, name: unknown, input: unknown) => {
      const frameUrl = source.frame.url().replace(PAGE_ORIGIN, 'app://creator-inbox');
      return invokeHandler?.({ senderFrame: { url: frameUrl, parent: source.frame.parentFrame() } }, name, input);
    });
    await page.addInitScript(() => {
      const listeners = new Map<string, Set<(payload: unknown) => void>>();
      const bridge = window as unknown as Record<string, unknown>;
      bridge.__ipcEvent = (name: string, payload: unknown) => {
        for (const listener of listeners.get(name) ?? []) listener(payload);
      };
      bridge.inbox = Object.freeze({
        invoke: (name: string, input: unknown) =>
          (bridge.__ipcInvoke as (n: string, i: unknown) => unknown)(name, input),
        on: (event: string, listener: (payload: unknown) => void) => {
          const set = listeners.get(event) ?? new Set();
          listeners.set(event, set);
          set.add(listener);
          return () => set.delete(listener);
        },
      });
    });
    const stopEvents = core.onEvent((name, payload) => {
      page
        .evaluate(([n, p]) => (window as unknown as { __ipcEvent(n: unknown, p: unknown): void }).__ipcEvent(n, p), [
          name,
          payload,
        ] as const)
        .catch(() => {});
    });

    await connectApp(page, `${PAGE_ORIGIN}/index.html`, scenario);
    await expect(rows(page)).toHaveCount(3, { timeout: 30_000 });
    const info = await page.evaluate(() =>
      (window as unknown as { inbox: { invoke(n: string, i: unknown): Promise<unknown> } }).inbox.invoke(
        'app.info',
        {},
      ),
    );
    expect(info).toMatchObject({ ok: true, value: { shell: 'electron' } });
    expect(violations).toEqual([]);
    stopEvents();
  } finally {
    await core.close();
    await scenario.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
