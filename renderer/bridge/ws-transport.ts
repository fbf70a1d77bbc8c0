import {
  type BridgeResult,
  type BridgeTransport,
  type CallName,
  isEventName,
  WS_BRIDGE_PATH,
  WsServerFrameSchema,
} from '../../shared/contract';

/** Just the part of the DOM WebSocket this transport uses, so tests can hand in another. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export interface WebSocketTransportOptions {
  url: string;
  connect?: SocketFactory;
  /** Reconnect delays grow from this up to maxRetryMs (the host may be restarting). */
  retryMs?: number;
  maxRetryMs?: number;
}

const OPEN = 1;

/**
 * The page's own address → the bridge socket's address. No secret in it: the browser
 * sends the host's HttpOnly session cookie with the upgrade, which the page never sees.
 */
export function bridgeSocketUrl(pageUrl: string): string {
  const page = new URL(pageUrl);
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}${WS_BRIDGE_PATH}`;
}

interface Pending {
  resolve: (result: BridgeResult<unknown>) => void;
}

/**
 * The browser-host transport: one WebSocket carrying numbered requests and pushed events.
 * Requests made while the socket is (re)connecting wait for it; requests in flight when it
 * drops resolve with an error value, because the host may or may not have run them.
 */
export function createWebSocketTransport(options: WebSocketTransportOptions): BridgeTransport & { close(): void } {
  const connect: SocketFactory = options.connect ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  const retryMs = options.retryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, Pending>();
  const waiting: string[] = [];
  let nextId = 1;
  let socket: SocketLike | null = null;
  let closed = false;
  let delay = retryMs;

  const open = () => {
    const current = connect(options.url);
    socket = current;
    current.onopen = () => {
      delay = retryMs;
      for (const frame of waiting.splice(0)) current.send(frame);
    };
    current.onmessage = (event) => receive(event.data);
    current.onerror = () => {};
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      for (const [id, request] of pending) {
        pending.delete(id);
        request.resolve({
          ok: false,
          error: { code: 'internal', message: 'The connection to the app was lost before it answered.' },
        });
      }
      if (closed) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, maxRetryMs);
    };
  };

  const receive = (data: unknown) => {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const frame = WsServerFrameSchema.safeParse(json);
    if (!frame.success) return;
    if (frame.data.type === 'result') {
      const request = pending.get(frame.data.id);
      pending.delete(frame.data.id);
      request?.resolve(frame.data.result as BridgeResult<unknown>);
      return;
    }
    for (const listener of listeners.get(frame.data.name) ?? []) listener(frame.data.payload);
  };

  open();

  return {
    invoke(name: CallName, input: unknown) {
      const id = nextId++;
      const frame = JSON.stringify({ id, name, input });
      return new Promise<BridgeResult<unknown>>((resolve) => {
        pending.set(id, { resolve });
        if (socket && socket.readyState === OPEN) socket.send(frame);
        else waiting.push(frame);
      });
    },
    on(event, listener) {
      if (!isEventName(event)) throw new Error(`Unknown bridge event: ${event}`);
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
