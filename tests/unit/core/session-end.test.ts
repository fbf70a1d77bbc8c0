import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformClient, PlatformError } from '../../../electron/core/sync/http';

/**
 * A 401 means "your session ended" when the request carried a session — even when another
 * request noticed first and cleared the token while this one was in flight. Read as "your
 * credentials are wrong" instead, a queued accept was dropped as refused (a lost action).
 */
let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function platformThatEndsSessions(onRequest: () => void): Promise<string> {
  server = createServer((_req, res) => {
    onRequest();
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'unauthenticated', message: 'Your session has ended; sign in again' } }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a session that ends while a request is in flight', () => {
  it('reads the 401 as the session ending, though the token was cleared meanwhile', async () => {
    let client: PlatformClient | null = null;
    const url = await platformThatEndsSessions(() => client?.setToken(null));
    client = new PlatformClient(url, 'a-session-token');
    const failure = await client.call('me').then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PlatformError);
    expect((failure as PlatformError).kind).toBe('unauthenticated');
  });

  it('reads a 401 to a request sent without a session as refused credentials', async () => {
    const url = await platformThatEndsSessions(() => {});
    const client = new PlatformClient(url, null);
    const failure = await client.call('me').then(
      () => null,
      (error: unknown) => error,
    );
    expect((failure as PlatformError).kind).toBe('final');
  });
});
