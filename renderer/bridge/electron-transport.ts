import type { BridgeTransport, InboxApi } from '../../shared/contract';
import { isEventName } from '../../shared/contract';

/** The Electron transport: `window.inbox`, exposed by the preload through contextBridge. */
export function createElectronTransport(api: InboxApi): BridgeTransport {
  return {
    invoke: (name, input) => api.invoke(name, input),
    on(event, listener) {
      if (!isEventName(event)) throw new Error(`Unknown bridge event: ${event}`);
      return api.on(event, listener);
    },
  };
}
