import type { CallName } from './calls';
import type { BridgeResult } from './define';
import type { EventName, EventPayload } from './events';

/**
 * The Electron transport's names, with no runtime imports: the sandboxed preload bundles
 * this file and should stay a few kilobytes (the main process does all the parsing).
 */

/** The one object the Electron preload exposes on `window` through contextBridge. */
export const PRELOAD_GLOBAL = 'inbox';
export interface InboxApi {
  invoke(name: CallName, input: unknown): Promise<BridgeResult<unknown>>;
  on<N extends EventName>(event: N, listener: (payload: EventPayload<N>) => void): () => void;
}

/** ipcMain/ipcRenderer channel names: one for calls, one for pushed events. */
export const IPC_INVOKE_CHANNEL = 'bridge:invoke';
export const IPC_EVENT_CHANNEL = 'bridge:event';

/** Every event name, for code that cannot load the zod declarations (a test keeps it equal to `events`). */
export const EVENT_NAMES = [
  'entities.changed',
  'sync.status',
  'notice.added',
  'app.navigate',
  'presence.changed',
  'files.downloaded',
] as const satisfies readonly EventName[];
