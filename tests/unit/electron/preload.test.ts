import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, events, type InboxApi, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../shared/contract';

/** The Electron binary cannot run here: contextBridge and ipcRenderer are fakes that record use. */
const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const ipcListeners = new Set<(...args: unknown[]) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: 'answer' };
    },
    on: (_channel: string, listener: (...args: unknown[]) => void) => ipcListeners.add(listener),
    removeListener: (_channel: string, listener: (...args: unknown[]) => void) => ipcListeners.delete(listener),
  },
}));

beforeEach(async () => {
  exposed.clear();
  invoked.length = 0;
  vi.resetModules();
  await import('../../../electron/preload/index');
});

const api = () => exposed.get('inbox') as InboxApi;
const emit = (name: string, payload: unknown) => {
  for (const listener of ipcListeners) listener({ sender: 'ipc-event-object' }, name, payload);
};

describe('preload bridge exposure (fake contextBridge and ipcRenderer, no Electron binary)', () => {
  it('exposes exactly one object, window.inbox, with invoke and on only', () => {
    expect([...exposed.keys()]).toEqual(['inbox']);
    expect(Object.keys(api()).sort()).toEqual(['invoke', 'on']);
  });

  it('sends calls over the one invoke channel', async () => {
    await expect(api().invoke('app.info', {})).resolves.toEqual({ ok: true, value: 'answer' });
    expect(invoked).toEqual([[IPC_INVOKE_CHANNEL, 'app.info', {}]]);
  });

  it('delivers only the subscribed event, only its payload, until unsubscribed', () => {
    const received: unknown[] = [];
    const stop = api().on('sync.status', (payload) => received.push(payload));
    emit('entities.changed', { kinds: [] });
    emit('sync.status', { state: 'online' });
    stop();
    emit('sync.status', { state: 'offline' });
    expect(received).toEqual([{ state: 'online' }]);
    expect(IPC_EVENT_CHANNEL).toBe('bridge:event');
  });

  it('refuses to subscribe to events the contract does not declare', () => {
    expect(() => api().on('ipc:raw' as never, () => {})).toThrow(/Unknown bridge event/);
  });

  it('knows every contract event by name (the zod-free list matches the declarations)', () => {
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });
});
