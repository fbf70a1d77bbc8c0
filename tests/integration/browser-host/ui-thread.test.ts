import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHost, startBrowserHost } from '../../../electron/browser-host';
import { bridgeFromTransport, createWebSocketTransport, type SocketLike } from '../../../renderer/bridge';
import { bridgeSocketFactory, bridgeUrl } from '../../fixtures/browser-host/session';
import { waitFor } from '../../fixtures/core/proxy';
import { closeSoon, startCast, type TestCast } from '../../helpers/server';

/**
 * #15: the thread that serves the interface never waits on SQLite. The browser host for
 * real (its HTTP and WebSocket bridge on this thread, a real platform on loopback) signs in
 * and syncs; the SQLite driver must never have been loaded on this thread — every database
 * the core opened is on its worker thread. (How long this thread blocks during a big sync is
 * a timing figure: the core bench's `longestEventLoopBlock`.)
 */
const require = createRequire(import.meta.url);
const sqliteLoadedHere = () => Object.keys(require.cache).some((path) => /[\\/]better-sqlite3[\\/]/.test(path));

let { platform, creator, fan } = {} as TestCast;
let root = '';
let host: BrowserHost;

beforeAll(async () => {
  ({ platform, creator, fan } = await startCast());
  root = mkdtempSync(join(tmpdir(), 'browser-host-thread-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>stand-in</title>');
  host = await startBrowserHost({ dataDir: join(root, 'data'), rendererDir, demo: false });
});
afterAll(async () => {
  await host?.stop();
  await closeSoon(platform);
  rmSync(root, { recursive: true, force: true });
});

describe('browser host: the UI thread and SQLite', () => {
  it('signs in, syncs and triages through the bridge without SQLite ever loaded on its thread', async () => {
    for (let i = 0; i < 5; i++) await platform.api.sendPaidMessage(fan, creator, `Thread check ${i}`);
    const connect = await bridgeSocketFactory(host);
    const transport = createWebSocketTransport({
      url: bridgeUrl(host),
      connect: (url) => connect(url) as unknown as SocketLike,
    });
    try {
      const bridge = bridgeFromTransport(transport);
      const account = await bridge.call('accounts.connect', {
        url: platform.url,
        email: creator.email,
        password: creator.password,
      });
      const pending = () => bridge.call('inbox.page', { accountId: account.id, inboxId: null, view: 'pending' });
      await waitFor(async () => (await pending()).total === 5, 'bootstrap through the bridge');
      const first = (await pending()).rows[0];
      if (!first) throw new Error('no pending message');
      await bridge.call('actions.submit', {
        accountId: account.id,
        messageId: first.id,
        action: { kind: 'triage', patch: { starred: true } },
      });
      const starred = await bridge.call('inbox.page', { accountId: account.id, inboxId: null, view: 'starred' });
      expect(starred.rows.map((r) => r.id)).toEqual([first.id]);
      expect(sqliteLoadedHere()).toBe(false);
    } finally {
      transport.close();
    }
    // The check can see the driver: the core in process loads it on this thread.
    await import('../../../electron/core');
    expect(sqliteLoadedHere()).toBe(true);
  });
});
