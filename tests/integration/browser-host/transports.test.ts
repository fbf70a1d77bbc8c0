import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBrowserHost } from '../../../electron/browser-host';
import { type Core, createCore, createMemoryVault } from '../../../electron/core';
import { type IpcMainLike, registerBridgeIpc, sendBridgeEvent } from '../../../electron/main/ipc-bridge';
import {
  type Bridge,
  bridgeFromTransport,
  createElectronTransport,
  createWebSocketTransport,
  type SocketLike,
} from '../../../renderer/bridge';
import type { EventPayload, InboxApi } from '../../../shared/contract';
import { bridgeSocketFactory, bridgeUrl } from '../../fixtures/browser-host/session';
import { startTestPlatform, type TestPlatform } from '../../helpers/server';

/**
 * One contract suite over both shells' transports, each in front of a real core talking
 * to a real platform on loopback: the Electron path (renderer client → preload → IPC →
 * sender check → dispatchCall; ipcMain/ipcRenderer/contextBridge are fakes, the Electron
 * binary cannot run here) and the browser host path (renderer client → WebSocket → host).
 * The same calls must give the same answers and the same events either way.
 */
const ipc = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
  rendererListeners: new Set<(...args: unknown[]) => void>(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => ipc.exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => {
      const handler = ipc.handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler({ senderFrame: { url: 'app://creator-inbox/index.html', parent: null } }, ...args);
    },
    on: (_channel: string, listener: (...args: unknown[]) => void) => ipc.rendererListeners.add(listener),
    removeListener: (_channel: string, listener: (...args: unknown[]) => void) =>
      ipc.rendererListeners.delete(listener),
  },
}));

interface Shell {
  bridge: Bridge;
  close(): Promise<void>;
}

/** Both shells report the app's version from package.json. */
const version: string = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;
let root = '';
let platform: TestPlatform;
let creator: Awaited<ReturnType<TestPlatform['api']['signUpCreator']>>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'transports-'));
  platform = await startTestPlatform({ startAt: Date.now() });
  creator = await platform.api.signUpCreator({ displayName: 'Nour', price: { minor: 2500, currency: 'USD' } });
  const fan = await platform.api.signUpFan({ displayName: 'Layla' });
  await platform.api.sendPaidMessage(fan, creator, 'A birthday message for my sister, please', { fund: true });
  await platform.api.sendPaidMessage(fan, creator, 'هل يمكنك أن ترسل تحية لأخي؟', { fund: true });
}, 60_000);
afterAll(async () => {
  await platform?.close();
  rmSync(root, { recursive: true, force: true });
});

async function electronShell(dataDir: string): Promise<Shell> {
  const core: Core = await createCore({
    dataDir,
    deviceName: 'test',
    vault: createMemoryVault(),
    shell: 'electron',
    version,
  });
  const fakeIpcMain: IpcMainLike = {
    handle: (channel, handler) => {
      ipc.handlers.set(channel, handler as (...args: unknown[]) => unknown);
    },
    removeHandler: (channel) => {
      ipc.handlers.delete(channel);
    },
  };
  const stopIpc = registerBridgeIpc(fakeIpcMain, core.handlers);
  const window = {
    isDestroyed: () => false,
    getURL: () => 'app://creator-inbox/index.html',
    send: (_channel: string, ...args: unknown[]) => {
      for (const listener of ipc.rendererListeners) listener({}, ...args);
    },
  };
  const stopEvents = core.onEvent((name, payload) => sendBridgeEvent(window, name, payload));
  vi.resetModules();
  await import('../../../electron/preload/index');
  const api = ipc.exposed.get('inbox') as InboxApi;
  return {
    bridge: bridgeFromTransport(createElectronTransport(api)),
    async close() {
      stopEvents();
      stopIpc();
      await core.close();
    },
  };
}

async function browserShell(dataDir: string): Promise<Shell> {
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  const host = await startBrowserHost({ dataDir, rendererDir, demo: false });
  const connect = await bridgeSocketFactory(host);
  const transport = createWebSocketTransport({
    url: bridgeUrl(host),
    connect: (url) => connect(url) as unknown as SocketLike,
  });
  return {
    bridge: bridgeFromTransport(transport),
    async close() {
      transport.close();
      await host.stop();
    },
  };
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each([
  ['Electron IPC (fake ipcMain/ipcRenderer/contextBridge)', electronShell, 'electron'],
  ['browser host WebSocket', browserShell, 'browser'],
] as const)('the contract over %s, real core and platform', (_name, start, shellName) => {
  let shell: Shell;
  beforeAll(async () => {
    const dataDir = join(root, shellName);
    mkdirSync(dataDir, { recursive: true });
    shell = await start(dataDir);
  });
  afterAll(async () => shell?.close());

  it('answers app.info with its shell', async () => {
    await expect(shell.bridge.call('app.info', {})).resolves.toMatchObject({ shell: shellName, version });
  });

  it('opens no folder from the core: only Electron main can, for files it saved', async () => {
    await expect(shell.bridge.call('app.info', {})).resolves.toMatchObject({ canShowInFolder: false });
    await expect(shell.bridge.call('files.showInFolder', { path: join(root, 'x.csv') })).rejects.toMatchObject({
      code: 'unsupported',
    });
    await expect(shell.bridge.call('files.showInFolder', { path: '' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('rejects bad input and unknown calls with the same error codes', async () => {
    await expect(shell.bridge.call('accounts.signOut', { accountId: '' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(shell.bridge.call('nope.nothing' as 'app.info', {})).rejects.toMatchObject({ code: 'unknown_call' });
    await expect(
      shell.bridge.call('accounts.connect', { url: 'not a url', email: 'x', password: 'y' }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('connects to a platform, pushes its events, and pages the paid messages', async () => {
    const changed: EventPayload<'entities.changed'>[] = [];
    const stop = shell.bridge.on('entities.changed', (payload) => changed.push(payload));
    const account = await shell.bridge.call('accounts.connect', {
      url: platform.url,
      email: creator.email,
      password: creator.password,
    });
    expect(account).toMatchObject({ email: creator.email, demo: false });
    const page = await eventually(
      () => shell.bridge.call('inbox.page', { accountId: account.id, inboxId: null, view: 'pending' }),
      (result) => result.rows.length === 2,
    );
    expect(page.rows.map((row) => row.price)).toEqual([
      { minor: 2500, currency: 'USD' },
      { minor: 2500, currency: 'USD' },
    ]);
    expect(page.rows.map((row) => row.preview).sort()).toEqual([
      'A birthday message for my sister, please',
      'هل يمكنك أن ترسل تحية لأخي؟',
    ]);
    await eventually(
      async () => changed.length,
      () => changed.some((event) => event.accountId === account.id),
    );
    expect(changed.some((event) => event.accountId === account.id)).toBe(true);
    stop();
    await expect(shell.bridge.call('accounts.signOut', { accountId: account.id })).resolves.toEqual({ ok: true });
    await expect(shell.bridge.call('accounts.list', {})).resolves.toEqual([]);
  });
});
