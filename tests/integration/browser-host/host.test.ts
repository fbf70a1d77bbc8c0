import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type BrowserHost, startBrowserHost } from '../../../electron/browser-host';
import { bridgeFromTransport, createWebSocketTransport, type SocketLike } from '../../../renderer/bridge';

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
const socketUrl = (token: string) => `ws://127.0.0.1:${port}/bridge?token=${encodeURIComponent(token)}`;

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

describe('browser host: the page needs the launch token', () => {
  it('refuses the page without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get(`/?token=${host.token.slice(0, -1)}`)).status).toBe(403);
  });

  it('serves the page with the token, a strict CSP, no referrer, and a session cookie for its assets', async () => {
    const page = await get(`/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<!doctype html>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`connect-src ws://127.0.0.1:${port}`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);

    expect((await get('/assets/app.js')).status).toBe(403);
    const asset = await get('/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect((await get('/', { cookie })).status).toBe(200);
  });

  it('refuses another Host (DNS rebinding) or a foreign Origin even with the token', async () => {
    expect((await get(`/?token=${host.token}`, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(`/?token=${host.token}`, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('serves nothing outside the build folder', async () => {
    const cookie = `creator_inbox_${port}=${host.token}`;
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/missing.js']) {
      const reply = await get(path, { cookie });
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('outside the build');
    }
  });
});

describe('browser host: the WebSocket bridge', () => {
  it('refuses a wrong token, a foreign Origin, a missing Origin and another path', async () => {
    expect(await openSocket(socketUrl('wrong'), { origin: origin() })).toEqual({ refused: 403 });
    expect(await openSocket(socketUrl(host.token), { origin: 'https://evil.example' })).toEqual({ refused: 403 });
    expect(await openSocket(socketUrl(host.token), {})).toEqual({ refused: 403 });
    const elsewhere = `ws://127.0.0.1:${port}/other?token=${host.token}`;
    expect(await openSocket(elsewhere, { origin: origin() })).toEqual({ refused: 404 });
  });

  it('answers contract calls from the real core, and rejects bad input as a value', async () => {
    const opened = await openSocket(socketUrl(host.token), { origin: origin() });
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
    const transport = createWebSocketTransport({
      url: socketUrl(host.token),
      connect: (url) => new WebSocket(url, { origin: origin() }) as unknown as SocketLike,
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
