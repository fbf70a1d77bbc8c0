import type { WebSocket } from 'ws';
import {
  type CallHandlers,
  dispatchCall,
  type EventName,
  WsRequestSchema,
  type WsServerFrame,
} from '../../shared/contract';

/** The part of the core a transport needs (electron/core's `Core` fits it). */
export interface BridgeCore {
  handlers: CallHandlers;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
}

const OPEN = 1;

function send(socket: WebSocket, frame: WsServerFrame): void {
  if (socket.readyState === OPEN) socket.send(JSON.stringify(frame));
}

/**
 * Carries the contract over authenticated WebSockets: every request goes through
 * `dispatchCall` (name checked, input parsed, errors as values); every core event is pushed
 * to every connected page. Frames that are not a well-formed request close the socket,
 * because only our own renderer talks to us and it never sends them.
 */
export function createSocketBridge(core: BridgeCore) {
  const sockets = new Set<WebSocket>();
  const stopEvents = core.onEvent((name, payload) => {
    for (const socket of sockets) send(socket, { type: 'event', name, payload });
  });

  return {
    accept(socket: WebSocket): void {
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        // The last page went away (closed, crashed, navigated off): nobody is looking, so
        // presence ends now rather than when the platform's entry lapses.
        if (sockets.size === 0) void dispatchCall(core.handlers, 'presence.away', {});
      });
      socket.on('error', () => socket.terminate());
      socket.on('message', async (data, isBinary) => {
        let request: ReturnType<typeof WsRequestSchema.safeParse>;
        try {
          request = WsRequestSchema.safeParse(isBinary ? null : JSON.parse(data.toString()));
        } catch {
          socket.close(1003, 'malformed frame');
          return;
        }
        if (!request.success) {
          socket.close(1003, 'malformed frame');
          return;
        }
        const { id, name, input } = request.data;
        const result = await dispatchCall(core.handlers, name, input);
        send(socket, { type: 'result', id, result });
      });
    },
    get connections(): number {
      return sockets.size;
    },
    close(): void {
      stopEvents();
      for (const socket of sockets) socket.close(1001, 'host stopping');
      sockets.clear();
    },
  };
}
