import { describe, expect, it } from 'vitest';
import {
  type IpcMainLike,
  isTrustedSender,
  registerBridgeIpc,
  type SenderFrame,
  sendBridgeEvent,
} from '../../../electron/main/ipc-bridge';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../shared/contract';
import { recordingHandlers } from './fake-handlers';

type Listener = Parameters<IpcMainLike['handle']>[1];

/** A stand-in for ipcMain: keeps the registered handler so the test can invoke it as a renderer would. */
function fakeIpcMain() {
  const registered = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => registered.set(channel, listener),
    removeHandler: (channel) => registered.delete(channel),
  };
  const invoke = (frame: SenderFrame | null, ...args: unknown[]) => {
    const listener = registered.get(IPC_INVOKE_CHANNEL);
    if (!listener) throw new Error('no handler registered');
    return listener({ senderFrame: frame }, ...args);
  };
  return { ipc, invoke, registered };
}

const appFrame: SenderFrame = { url: 'app://creator-inbox/index.html', parent: null };
const info = { version: '1.2.3', shell: 'electron' as const, platform: 'linux' };

describe('IPC bridge sender check and schema rejection (fake ipcMain, no Electron binary)', () => {
  it('trusts only the top-level frame of the app page', () => {
    expect(isTrustedSender(appFrame)).toBe(true);
    expect(isTrustedSender({ url: 'app://creator-inbox/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///app/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://creator-inbox.evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('answers the app page through the contract', async () => {
    const { handlers, received } = recordingHandlers({ 'app.info': () => info });
    const fake = fakeIpcMain();
    registerBridgeIpc(fake.ipc, handlers);
    await expect(fake.invoke(appFrame, 'app.info', {})).resolves.toEqual({ ok: true, value: info });
    expect(received).toEqual([{ name: 'app.info', input: {} }]);
  });

  it('refuses other senders with a structured error, before the core sees anything', async () => {
    const { handlers, received } = recordingHandlers({ 'app.info': () => info });
    const fake = fakeIpcMain();
    registerBridgeIpc(fake.ipc, handlers);
    for (const frame of [null, { url: 'https://evil.example/', parent: null }, { ...appFrame, parent: {} }]) {
      await expect(fake.invoke(frame, 'app.info', {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'forbidden_sender' },
      });
    }
    expect(received).toEqual([]);
  });

  it('rejects unknown calls and inputs that fail the schema, as values', async () => {
    const { handlers, received } = recordingHandlers();
    const fake = fakeIpcMain();
    registerBridgeIpc(fake.ipc, handlers);
    await expect(fake.invoke(appFrame, 'db.exec', { sql: 'drop table x' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'unknown_call' },
    });
    await expect(fake.invoke(appFrame, 'accounts.signOut', { accountId: 42 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input', details: [{ path: ['accountId'] }] },
    });
    await expect(
      fake.invoke(appFrame, 'accounts.connect', { url: 'not a url', email: 'a@b.c', password: 'x' }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(received).toEqual([]);
  });

  it('turns a failing handler into an error value, not a thrown exception', async () => {
    const { handlers } = recordingHandlers({
      'accounts.list': () => {
        throw Object.assign(new Error('Signed out'), { bridgeCode: 'signed_out' });
      },
    });
    const fake = fakeIpcMain();
    registerBridgeIpc(fake.ipc, handlers);
    await expect(fake.invoke(appFrame, 'accounts.list', {})).resolves.toEqual({
      ok: false,
      error: { code: 'signed_out', message: 'Signed out', details: undefined },
    });
  });

  it('unregisters its handler', () => {
    const fake = fakeIpcMain();
    const stop = registerBridgeIpc(fake.ipc, recordingHandlers().handlers);
    stop();
    expect(fake.registered.size).toBe(0);
  });

  it('pushes events only to a live window still showing the app', () => {
    const sent: unknown[][] = [];
    const sink = (url: string, destroyed = false) => ({
      isDestroyed: () => destroyed,
      getURL: () => url,
      send: (...args: unknown[]) => sent.push(args),
    });
    const payload = { accountId: 'a', inboxId: null, kinds: ['counts'] };
    expect(sendBridgeEvent(sink('app://creator-inbox/index.html'), 'entities.changed', payload)).toBe(true);
    expect(sendBridgeEvent(sink('https://evil.example/'), 'entities.changed', payload)).toBe(false);
    expect(sendBridgeEvent(sink('app://creator-inbox/index.html', true), 'entities.changed', payload)).toBe(false);
    expect(sendBridgeEvent(null, 'entities.changed', payload)).toBe(false);
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, 'entities.changed', payload]]);
  });
});
