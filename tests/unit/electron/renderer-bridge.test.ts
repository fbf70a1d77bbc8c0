import { afterEach, describe, expect, it } from 'vitest';
import {
  bridgeSocketUrl,
  createWebSocketTransport,
  getBridge,
  installBridge,
  type SocketLike,
} from '../../../renderer/bridge';
import type { InboxApi } from '../../../shared/contract';

/** A socket the test drives by hand: it opens, answers and drops when told to. */
class HandSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  answer(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

function handTransport() {
  const sockets: HandSocket[] = [];
  const transport = createWebSocketTransport({
    url: 'ws://127.0.0.1:1/bridge?token=t',
    retryMs: 1,
    connect: (url) => {
      const socket = new HandSocket(url);
      sockets.push(socket);
      return socket;
    },
  });
  return { transport, sockets };
}

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  installBridge(null);
  for (const key of ['inbox', 'window', 'sessionStorage']) Reflect.deleteProperty(globalThis, key);
});

describe('renderer bridge: WebSocket transport', () => {
  it('holds calls made while connecting and sends them once open, matching answers by id', async () => {
    const { transport, sockets } = handTransport();
    const first = transport.invoke('app.info', {});
    const second = transport.invoke('accounts.list', {});
    const socket = sockets[0] as HandSocket;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent.map((frame) => JSON.parse(frame).name)).toEqual(['app.info', 'accounts.list']);
    const [a, b] = socket.sent.map((frame) => JSON.parse(frame).id);
    socket.answer({ type: 'result', id: b, result: { ok: true, value: [] } });
    socket.answer({ type: 'result', id: a, result: { ok: true, value: { shell: 'browser' } } });
    await expect(first).resolves.toEqual({ ok: true, value: { shell: 'browser' } });
    await expect(second).resolves.toEqual({ ok: true, value: [] });
    transport.close();
  });

  it('answers calls in flight with an error value when the connection drops, then reconnects', async () => {
    const { transport, sockets } = handTransport();
    (sockets[0] as HandSocket).open();
    const lost = transport.invoke('app.info', {});
    (sockets[0] as HandSocket).drop();
    await expect(lost).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    await tick();
    expect(sockets).toHaveLength(2);
    const later = transport.invoke('app.info', {});
    const again = sockets[1] as HandSocket;
    again.open();
    again.answer({ type: 'result', id: JSON.parse(again.sent[0] ?? '{}').id, result: { ok: true, value: 1 } });
    await expect(later).resolves.toEqual({ ok: true, value: 1 });
    transport.close();
    await tick();
    expect(sockets).toHaveLength(2);
  });

  it('delivers pushed events to their subscribers only, and ignores junk frames', () => {
    const { transport, sockets } = handTransport();
    const socket = sockets[0] as HandSocket;
    socket.open();
    const seen: unknown[] = [];
    const stop = transport.on('sync.status', (payload) => seen.push(payload));
    socket.answer({ type: 'event', name: 'sync.status', payload: { state: 'online' } });
    socket.answer({ type: 'event', name: 'entities.changed', payload: {} });
    socket.onmessage?.({ data: 'not json' });
    socket.answer({ type: 'mystery' });
    stop();
    socket.answer({ type: 'event', name: 'sync.status', payload: { state: 'offline' } });
    expect(seen).toEqual([{ state: 'online' }]);
    expect(() => transport.on('raw.ipc' as 'sync.status', () => {})).toThrow(/Unknown bridge event/);
    transport.close();
  });

  it('builds the socket address from the page address, with no secret in it', () => {
    expect(bridgeSocketUrl('http://127.0.0.1:4173/?code=abc%2Bdef#/inbox')).toBe('ws://127.0.0.1:4173/bridge');
  });
});

describe('renderer bridge: getBridge picks the shell’s transport', () => {
  it('uses window.inbox when the Electron preload exposed it', async () => {
    const calls: unknown[][] = [];
    const inbox: InboxApi = {
      invoke: async (...args) => {
        calls.push(args);
        return { ok: true, value: { shell: 'electron', version: '1', platform: 'darwin' } };
      },
      on: () => () => {},
    };
    Object.assign(globalThis, { inbox });
    await expect(getBridge().call('app.info', {})).resolves.toMatchObject({ shell: 'electron' });
    expect(calls).toEqual([['app.info', {}]]);
  });

  it('turns error values into BridgeCallError with the code', async () => {
    const inbox: InboxApi = {
      invoke: async () => ({ ok: false, error: { code: 'signed_out', message: 'Signed out' } }),
      on: () => () => {},
    };
    Object.assign(globalThis, { inbox });
    await expect(getBridge().call('accounts.list', {})).rejects.toMatchObject({
      name: 'BridgeCallError',
      code: 'signed_out',
    });
  });

  it('otherwise connects to the browser host with nothing secret in the socket address or in storage', () => {
    const stored = new Map<string, string>();
    const opened: string[] = [];
    const original = Reflect.get(globalThis, 'WebSocket');
    Object.assign(globalThis, {
      window: { location: { href: 'http://127.0.0.1:5000/?code=secret' } },
      sessionStorage: {
        getItem: (k: string) => stored.get(k) ?? null,
        setItem: (k: string, v: string) => stored.set(k, v),
      },
      WebSocket: class {
        readyState = 0;
        constructor(url: string) {
          opened.push(url);
        }
        send() {}
        close() {}
      },
    });
    try {
      getBridge();
      // The session rides in the HttpOnly cookie the browser sends with the upgrade.
      expect(opened).toEqual(['ws://127.0.0.1:5000/bridge']);
      expect([...stored.values()]).toEqual([]);
    } finally {
      // Node 22 has a WebSocket of its own; Node 20 has none.
      if (original) Reflect.set(globalThis, 'WebSocket', original);
      else Reflect.deleteProperty(globalThis, 'WebSocket');
    }
  });
});
