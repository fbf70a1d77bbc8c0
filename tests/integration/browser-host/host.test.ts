import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BrowserHost, startBrowserHost } from '../../../electron/browser-host';
import { bridgeFromTransport, createWebSocketTransport, type SocketLike } from '../../../renderer/bridge';
import { bridgeSocketFactory, openLaunchAddress } from '../../fixtures/browser-host/session';

/**
 * The browser host for real: real core on a temporary data folder, real HTTP and
 * WebSocket on loopback. The page it serves here is a stand-in build folder (the
 * renderer's own build is exercised by the Playwright suite).
 */
let root = '';
let host: BrowserHost;
let port = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'browser-host-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><script type="module" src="./assets/app.js"></script>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export const app = 1;');
  writeFileSync(join(root, 'secret.txt'), 'outside the build');
  host = await startBrowserHost({ dataDir: join(root, 'data'), rendererDir, demo: false });
  port = host.port;
});
afterAll(async () => {
  await host?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the upgrade's HTTP status when refused, or the open socket. */
function openSocket(
  url: string,
  headers: Record<string, string>,
): Promise<{ refused: number } | { socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.on('open', () => resolve({ socket }));
    socket.on('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

const origin = () => `http://127.0.0.1:${port}`;
const socketUrl = () => `ws://127.0.0.1:${port}/bridge`;

/** A launch address's code, spent over real HTTP: the session cookie header to send from then on. */
async function session(): Promise<string> {
  const opened = await openLaunchAddress(host.newLaunchUrl());
  expect(opened.status).toBe(303);
  return opened.cookie;
}

function call(socket: WebSocket, frame: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString())));
    socket.send(JSON.stringify(frame));
  });
}

describe('browser host: loopback only', () => {
  it('listens on 127.0.0.1 and nowhere else', async () => {
    expect(new URL(host.url).hostname).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((address) => address && !address.internal)
      .map((address) => address?.address ?? '');
    for (const address of ['::1', ...others]) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port }, () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      expect({ address, reached }).toEqual({ address, reached: false });
    }
  });
});

describe('browser host: a one-time launch code, then a session cookie', () => {
  it('refuses the page without a session or a launch code, or with a wrong one', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?code=wrong')).status).toBe(403);
    const code = new URL(host.newLaunchUrl()).searchParams.get('code') ?? '';
    expect((await get(`/?code=${code.slice(0, -1)}`)).status).toBe(403);
    expect((await get('/', { cookie: `creator_inbox_${port}=${code}` })).status).toBe(403);
  });

  it('spends a launch code once for an HttpOnly session cookie that is in no address, and drops the code from the address', async () => {
    const launch = host.newLaunchUrl();
    const code = new URL(launch).searchParams.get('code') ?? '';
    expect(code.length).toBeGreaterThanOrEqual(43);
    const first = await get(`/?code=${code}`);
    // The answer moves the browser to the bare page: the address it keeps has no code.
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0] ?? '';
    const value = cookie.split('=')[1] ?? '';
    // The session is a secret of its own: not the code, not in the launch address, not in the host's address.
    expect(value.length).toBeGreaterThanOrEqual(43);
    expect(value).not.toBe(code);
    expect(launch).not.toContain(value);
    expect(host.url).not.toContain(value);
    // Spent: the same address opens nothing a second time (a code seen in history or a process list).
    expect((await get(`/?code=${code}`)).status).toBe(403);
    // Each launch address has its own code.
    expect(new URL(host.newLaunchUrl()).searchParams.get('code')).not.toBe(code);

    const page = await get('/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<!doctype html>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`connect-src ws://127.0.0.1:${port}`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['set-cookie']).toBeUndefined();

    expect((await get('/assets/app.js')).status).toBe(403);
    const asset = await get('/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('refuses another Host (DNS rebinding) or a foreign Origin even with a code or a session', async () => {
    const cookie = await session();
    const code = () => new URL(host.newLaunchUrl()).search;
    expect((await get(`/${code()}`, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(`/${code()}`, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await get('/', { cookie, host: `evil.example:${port}` })).status).toBe(403);
  });

  it('serves nothing outside the build folder', async () => {
    const cookie = await session();
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/missing.js']) {
      const reply = await get(path, { cookie });
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('outside the build');
    }
  });
});

describe('browser host: the WebSocket bridge', () => {
  it('refuses no session, a wrong one, a launch code, a foreign Origin, a missing Origin and another path', async () => {
    const cookie = await session();
    expect(await openSocket(socketUrl(), { origin: origin() })).toEqual({ refused: 403 });
    expect(await openSocket(socketUrl(), { origin: origin(), cookie: `creator_inbox_${port}=wrong` })).toEqual({
      refused: 403,
    });
    // A launch code is for the page only; the bridge takes nothing from its URL.
    expect(await openSocket(`${socketUrl()}${new URL(host.newLaunchUrl()).search}`, { origin: origin() })).toEqual({
      refused: 403,
    });
    expect(await openSocket(socketUrl(), { origin: 'https://evil.example', cookie })).toEqual({ refused: 403 });
    expect(await openSocket(socketUrl(), { cookie })).toEqual({ refused: 403 });
    const elsewhere = `ws://127.0.0.1:${port}/other`;
    expect(await openSocket(elsewhere, { origin: origin(), cookie })).toEqual({ refused: 404 });
  });

  it('answers contract calls from the real core, and rejects bad input as a value', async () => {
    const opened = await openSocket(socketUrl(), { origin: origin(), cookie: await session() });
    if (!('socket' in opened)) throw new Error(`refused: ${opened.refused}`);
    const { socket } = opened;
    try {
      expect(await call(socket, { id: 1, name: 'app.info', input: {} })).toMatchObject({
        type: 'result',
        id: 1,
        result: { ok: true, value: { shell: 'browser' } },
      });
      expect(await call(socket, { id: 2, name: 'accounts.list', input: {} })).toEqual({
        type: 'result',
        id: 2,
        result: { ok: true, value: [] },
      });
      expect(await call(socket, { id: 3, name: 'accounts.signOut', input: { accountId: 7 } })).toMatchObject({
        id: 3,
        result: { ok: false, error: { code: 'invalid_input' } },
      });
      expect(await call(socket, { id: 4, name: 'sql.exec', input: {} })).toMatchObject({
        id: 4,
        result: { ok: false, error: { code: 'unknown_call' } },
      });
      const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
      socket.send('not json');
      expect(await closed).toBe(1003);
    } finally {
      socket.terminate();
    }
  });

  it('carries the renderer’s own client (getBridge’s WebSocket transport) end to end', async () => {
    const connect = await bridgeSocketFactory(host);
    const transport = createWebSocketTransport({
      url: socketUrl(),
      connect: (url) => connect(url) as unknown as SocketLike,
    });
    try {
      const bridge = bridgeFromTransport(transport);
      await expect(bridge.call('app.info', {})).resolves.toMatchObject({ shell: 'browser' });
      await expect(bridge.call('accounts.signOut', { accountId: '' })).rejects.toMatchObject({
        name: 'BridgeCallError',
        code: 'invalid_input',
      });
      await expect(bridge.call('accounts.startDemo', {})).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      transport.close();
    }
  });
});
