import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { contentTypeFor, resolveStaticFile } from '../../electron/browser-host/static-files';
import { createCore, createMemoryVault } from '../../electron/core';
import { type IpcMainLike, registerBridgeIpc } from '../../electron/main/ipc-bridge';
import { rendererCsp } from '../../shared/contract';
import { connectApp, rows, startScenario } from './inbox-helpers';

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
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });

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
