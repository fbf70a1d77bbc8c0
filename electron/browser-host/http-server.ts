import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_WS_FRAME_BYTES, rendererCsp } from '../../shared/contract';
import {
  allowedOrigins,
  checkHttpRequest,
  checkSocketUpgrade,
  type GuardResult,
  type HostIdentity,
  sessionCookie,
} from './request-guard';
import type { createSocketBridge } from './socket-bridge';
import { contentTypeFor, resolveStaticFile } from './static-files';

const REFUSAL_TEXT =
  'Open Creator Inbox with the address printed by `npm run browser`.\n' +
  'افتح Creator Inbox بالعنوان الذي يطبعه الأمر `npm run browser`.\n';

function securityHeaders(port: number): Record<string, string> {
  const sockets = allowedOrigins(port).map((origin) => origin.replace('http://', 'ws://'));
  return {
    'Content-Security-Policy': rendererCsp({ connectSrc: sockets }),
    // The token is in the page URL: never let it leave in a Referer.
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}

function refuse(response: ServerResponse, status: number): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(status === 404 ? 'Not found\n' : REFUSAL_TEXT);
}

function refuseUpgrade(socket: Duplex, result: Extract<GuardResult, { ok: false }>): void {
  const text = result.status === 404 ? 'Not Found' : result.status === 400 ? 'Bad Request' : 'Forbidden';
  socket.end(`HTTP/1.1 ${result.status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The host's HTTP + WebSocket server. Everything is checked by request-guard first. */
export function createHostServer(
  identity: () => HostIdentity,
  rendererDir: string,
  bridge: ReturnType<typeof createSocketBridge>,
) {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_FRAME_BYTES });

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const id = identity();
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405);
    const verdict = checkHttpRequest(id, {
      url: request.url,
      host: request.headers.host,
      origin: request.headers.origin,
      cookie: request.headers.cookie,
    });
    if (!verdict.ok) return refuse(response, verdict.status);
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = resolveStaticFile(rendererDir, pathname);
    if (!file) return refuse(response, 404);
    const isPage = file.endsWith('index.html');
    response.writeHead(200, {
      ...securityHeaders(id.port),
      'Content-Type': contentTypeFor(file),
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
      ...(verdict.via === 'token' ? { 'Set-Cookie': sessionCookie(id) } : {}),
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkSocketUpgrade(identity(), {
      url: request.url,
      host: request.headers.host,
      origin: request.headers.origin,
    });
    if (!verdict.ok) return refuseUpgrade(socket, verdict);
    sockets.handleUpgrade(request, socket, head, (ws) => bridge.accept(ws));
  });

  return { server, sockets };
}
