/**
 * The load test's probes time a change from its request to the SSE subscribers (#16). A
 * timed request must leave on a connection that is already open, as a creator's app's
 * does: the first probe of a run used to be its process's first request, and paid for
 * loading the HTTP client and connecting (140–280 ms, measured) on top of the platform's
 * 30 ms. A loopback server here records which request of its connection each one was.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { probe } from '../../load/probe';

interface Seen {
  method: string;
  path: string;
  /** 1 for the first request on its connection. */
  nthOnConnection: number;
}

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function fakePlatform(): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  let head = 100;
  const perConnection = new WeakMap<object, number>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const nth = (perConnection.get(request.socket) ?? 0) + 1;
    perConnection.set(request.socket, nth);
    seen.push({ method: request.method ?? '', path: (request.url ?? '').split('?')[0] ?? '', nthOnConnection: nth });
    request.resume();
    request.on('end', () => {
      if (request.method === 'POST') head++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(request.method === 'POST' ? '{"status":"accepted"}' : JSON.stringify({ headSeq: head }));
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

it('sends every timed accept on a connection that was already open, and reads the head each reached', async () => {
  const { url, seen } = await fakePlatform();
  const failures: string[] = [];
  const probes = await probe(url, { inboxId: 'inbox-1', ownerToken: 'token' }, ['m1', 'm2', 'm3'], failures, 'w1', 20);

  expect(failures).toEqual([]);
  const accepts = seen.filter((s) => s.method === 'POST');
  expect(accepts.map((s) => s.path)).toEqual([
    '/v1/messages/m1/accept',
    '/v1/messages/m2/accept',
    '/v1/messages/m3/accept',
  ]);
  for (const accept of accepts) expect(accept.nthOnConnection).toBeGreaterThan(1);
  expect(probes.heads).toEqual([101, 102, 103]);
  expect(probes.answers).toHaveLength(3);
  expect(probes.starts).toHaveLength(3);
}, 15_000);
