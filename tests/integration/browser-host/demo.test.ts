import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHost, startBrowserHost } from '../../../electron/browser-host';
import { type Bridge, bridgeFromTransport, createWebSocketTransport, type SocketLike } from '../../../renderer/bridge';
import type { EventPayload } from '../../../shared/contract';
import { bridgeSocketFactory, bridgeUrl } from '../../fixtures/browser-host/session';

/**
 * The embedded default, for real: "Try the demo" through the browser host starts the
 * reference platform in-process (PGlite under the data folder), signs in, syncs, and the
 * inbox has paid messages; live fan traffic then arrives as core events.
 */
let root = '';
let host: BrowserHost;
let bridge: Bridge;
let close = () => {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'browser-host-demo-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  host = await startBrowserHost({
    dataDir: join(root, 'data'),
    rendererDir,
    demo: { liveTrafficMs: 500 },
    prewarmDemo: true,
  });
  const connect = await bridgeSocketFactory(host);
  const transport = createWebSocketTransport({
    url: bridgeUrl(host),
    connect: (url) => connect(url) as unknown as SocketLike,
  });
  close = () => transport.close();
  bridge = bridgeFromTransport(transport);
});
afterAll(async () => {
  close();
  await host?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('browser host: Try the demo (real core, embedded platform on PGlite)', () => {
  it('signs in to the demo and shows paid messages, with live traffic pushed as events', async () => {
    // First run: the host started the demo platform on its own, before anyone asked.
    await eventually(
      async () => existsSync(join(root, 'data', 'demo-platform')),
      (exists) => exists,
    );
    expect(existsSync(join(root, 'data', 'demo-platform'))).toBe(true);
    expect(await bridge.call('accounts.list', {})).toEqual([]);

    const changes: EventPayload<'entities.changed'>[] = [];
    bridge.on('entities.changed', (payload) => changes.push(payload));

    const account = await bridge.call('accounts.startDemo', {});
    expect(account.demo).toBe(true);
    expect(new URL(account.platformUrl).hostname).toBe('127.0.0.1');
    await expect(bridge.call('accounts.list', {})).resolves.toEqual([expect.objectContaining({ id: account.id })]);

    const page = await eventually(
      () => bridge.call('inbox.page', { accountId: account.id, inboxId: null, view: 'pending' }),
      (result) => result.rows.length > 0,
    );
    expect(page.rows.length).toBeGreaterThan(0);
    const [first] = page.rows;
    expect(first?.status).toBe('pending');
    expect(Number.isInteger(first?.price.minor)).toBe(true);
    expect(changes.some((change) => change.accountId === account.id)).toBe(true);
    // The first start of the on-disk demo platform (migrations + seed on PGlite) takes ~15 s here.
  }, 120_000);
});
