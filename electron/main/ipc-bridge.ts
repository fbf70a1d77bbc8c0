import {
  type BridgeResult,
  type CallHandlers,
  dispatchCall,
  type EventName,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
} from '../../shared/contract';
import { isAppUrl } from './app-origin';

/** The slice of Electron's WebFrameMain the sender check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * Only the app's own top-level page may call the core: not an iframe, not a page the
 * window was somehow navigated to, not a frame that is gone (senderFrame null).
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return Boolean(frame) && frame?.parent === null && isAppUrl(frame.url);
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

const FORBIDDEN: BridgeResult<never> = {
  ok: false,
  error: { code: 'forbidden_sender', message: 'Only the app window may use the bridge.' },
};

/** ipcMain side of the bridge: sender checked, then the contract's single entry point. */
export function registerBridgeIpc(ipc: IpcMainLike, handlers: CallHandlers): () => void {
  ipc.handle(IPC_INVOKE_CHANNEL, async (event, name, input) => {
    if (!isTrustedSender(event.senderFrame)) return FORBIDDEN;
    return dispatchCall(handlers, name, input);
  });
  return () => ipc.removeHandler(IPC_INVOKE_CHANNEL);
}

/** The slice of WebContents events are pushed through. */
export interface EventSink {
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: string, ...args: unknown[]): void;
}

/** Pushes an event to the window, but only while it still shows the app's own page. */
export function sendBridgeEvent(sink: EventSink | null, name: EventName, payload: unknown): boolean {
  if (!sink || sink.isDestroyed() || !isAppUrl(sink.getURL())) return false;
  sink.send(IPC_EVENT_CHANNEL, name, payload);
  return true;
}
