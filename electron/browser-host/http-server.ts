import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LAUNCH_CODE_PARAM, MAX_WS_FRAME_BYTES, rendererCsp } from '../../shared/contract';
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
  'Open Creator Inbox with a fresh address printed by `npm run browser` (each address works once).\n' +
  'افتح Creator Inbox بعنوان جديد يطبعه الأمر `npm run browser` (كل عنوان يعمل مرة واحدة).\n';

function securityHeaders(port: number): Record<string, string> {
  const sockets = allowedOrigins(port).map((origin) => origin.replace('http://', 'ws://'));
  return {
    'Content-Security-Policy': rendererCsp({ connectSrc: sockets }),
    // Nothing secret is ever in a page address; still, no address leaves in a Referer.
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
    if (verdict.via === 'code') {
      // The launch code is spent: the session goes into an HttpOnly cookie and the address
      // the browser keeps (and its history) becomes the bare page, without the code.
      const target = new URL(request.url ?? '/', 'http://127.0.0.1');
      target.searchParams.delete(LAUNCH_CODE_PARAM);
      response.writeHead(303, {
        ...securityHeaders(id.port),
        Location: `${target.pathname}${target.search}`,
        'Cache-Control': 'no-store',
        'Set-Cookie': sessionCookie(id.port, verdict.session),
      });
      return response.end();
    }
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = resolveStaticFile(rendererDir, pathname);
    if (!file) return refuse(response, 404);
    const isPage = file.endsWith('index.html');
    response.writeHead(200, {
      ...securityHeaders(id.port),
      'Content-Type': contentTypeFor(file),
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkSocketUpgrade(identity(), {
      url: request.url,
      host: request.headers.host,
      origin: request.headers.origin,
      cookie: request.headers.cookie,
    });
    if (!verdict.ok) return refuseUpgrade(socket, verdict);
    sockets.handleUpgrade(request, socket, head, (ws) => bridge.accept(ws));
  });

  return { server, sockets };
}
