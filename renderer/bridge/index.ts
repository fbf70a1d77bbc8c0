import {
  type BridgeClient,
  type BridgeTransport,
  createBridgeClient,
  type EventName,
  type EventPayload,
  type InboxApi,
  PRELOAD_GLOBAL,
} from '../../shared/contract';
import { createElectronTransport } from './electron-transport';
import { bridgeSocketUrl, createWebSocketTransport } from './ws-transport';

/** The one client the renderer uses: typed calls, typed events, over whichever shell hosts it. */
export interface Bridge extends BridgeClient {
  on<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void;
}

let current: Bridge | null = null;

export function bridgeFromTransport(transport: BridgeTransport): Bridge {
  return createBridgeClient(transport) as Bridge;
}

function electronApi(): InboxApi | null {
  const candidate = (globalThis as Record<string, unknown>)[PRELOAD_GLOBAL];
  return candidate && typeof candidate === 'object' ? (candidate as InboxApi) : null;
}

/** Electron when the preload exposed `window.inbox`, otherwise the browser host's WebSocket. */
export function getBridge(): Bridge {
  if (current) return current;
  const api = electronApi();
  const transport = api
    ? createElectronTransport(api)
    : createWebSocketTransport({ url: bridgeSocketUrl(window.location.href) });
  current = bridgeFromTransport(transport);
  return current;
}

/** For tests and stories: run the renderer against any transport (e.g. an in-process core). */
export function installBridge(bridge: Bridge | null): void {
  current = bridge;
}

export type { BridgeTransport } from '../../shared/contract';
export { createElectronTransport } from './electron-transport';
export {
  bridgeSocketUrl,
  createWebSocketTransport,
  type SocketFactory,
  type SocketLike,
} from './ws-transport';
