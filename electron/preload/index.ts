/**
 * The sandboxed preload: exposes exactly one object, `window.inbox`, with `invoke` for
 * contract calls and `on` for contract events. No ipcRenderer, no Node, no event objects
 * reach the page; the main process checks the sender and parses every argument.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import {
  EVENT_NAMES,
  type InboxApi,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  PRELOAD_GLOBAL,
} from '../../shared/contract/channels';

const knownEvents: ReadonlySet<string> = new Set(EVENT_NAMES);

const api: InboxApi = {
  invoke: (name, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, String(name), input),
  on(event, listener) {
    if (!knownEvents.has(event)) throw new Error(`Unknown bridge event: ${String(event)}`);
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
