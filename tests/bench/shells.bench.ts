import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { startBrowserHost } from '../../electron/browser-host';
import { openLaunchAddress } from '../fixtures/browser-host/session';
import { type Bench, nowMs, percentile } from './harness';

/** Sends frames one at a time and returns each round trip in ms. */
async function roundTrips(socket: WebSocket, frames: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const frame of frames) {
    const t0 = nowMs();
    await new Promise<void>((resolve) => {
      socket.once('message', () => resolve());
      socket.send(frame);
    });
    times.push(nowMs() - t0);
  }
  return times;
}

function open(url: string, origin: string, cookie = ''): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin, headers: cookie ? { cookie } : {} });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * The browser host's costs: starting it (real core, no demo) and a bridge call over its
 * WebSocket — small, and with a ~64 KB request (1,000 ids in a bulk action), next to a bare
 * `ws` echo of the same bytes measured in the same run. Electron's sandboxed IPC for 64 KB
 * is ≈ 0.4 ms on these machines (docs: performance.md).
 */
export const bench: Bench = {
  name: 'shells',
  async run(ctx) {
    const rendererDir = join(ctx.tmpDir, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');

    const t0 = nowMs();
    const host = await startBrowserHost({ dataDir: join(ctx.tmpDir, 'data'), rendererDir, demo: false });
    ctx.record({ name: 'shells.browserHost.start', value: nowMs() - t0, unit: 'ms', target: { op: '<', value: 1000 } });

    const origin = `http://127.0.0.1:${host.port}`;
    const { cookie } = await openLaunchAddress(host.newLaunchUrl());
    const socket = await open(`ws://127.0.0.1:${host.port}/bridge`, origin, cookie);
    const n = ctx.quick ? 300 : 3000;
    const small = Array.from({ length: n }, (_, id) => JSON.stringify({ id, name: 'app.info', input: {} }));
    await roundTrips(socket, small.slice(0, 50));
    const smallTimes = await roundTrips(socket, small);
    ctx.record({ name: 'shells.bridge.ws.small.p50', value: percentile(smallTimes, 50), unit: 'ms' });
    ctx.record({
      name: 'shells.bridge.ws.small.p99',
      value: percentile(smallTimes, 99),
      unit: 'ms',
      target: { op: '<', value: 5 },
    });

    const ids = Array.from({ length: 1000 }, (_, i) => `msg-${String(i).padStart(58, '0')}`);
    const big = JSON.stringify({
      id: 0,
      name: 'actions.bulk',
      input: { accountId: 'nobody', messageIds: ids, action: { kind: 'note', body: 'x' } },
    });
    const bigFrames = Array.from({ length: n / 3 }, () => big);
    const bigTimes = await roundTrips(socket, bigFrames);
    socket.close();

    // Baseline: a bare ws server on loopback echoing a short reply to the same frames.
    const echo = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    echo.on('connection', (peer) => peer.on('message', () => peer.send('{"ok":true}')));
    await new Promise((resolve) => echo.once('listening', resolve));
    const address = echo.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const raw = await open(`ws://127.0.0.1:${port}`, origin);
    const rawTimes = await roundTrips(raw, bigFrames);
    raw.close();
    echo.close();
    ctx.record({
      name: 'shells.bridge.ws.64KB.p50',
      value: percentile(bigTimes, 50),
      unit: 'ms',
      target: { op: '<', value: 5 },
      baseline: { name: 'bare ws echo of the same frame', value: percentile(rawTimes, 50) },
      notes: `${(big.length / 1024).toFixed(0)} KB request`,
    });
    await host.stop();
  },
};
