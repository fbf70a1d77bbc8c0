import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireMember } from '../services/access';
import type { Actor, Services } from '../services/context';
import { resolveActor } from './actor';

const KEEP_ALIVE_MS = 15_000;

/** One open server-sent-event stream of an inbox, as its route sees it. */
export interface EventStream {
  /** Writes one event: its name, an optional `id:` (for Last-Event-ID resume) and JSON data. */
  send(event: string, data: unknown, id?: number): void;
  /** Runs `action` only while the caller's session and membership still stand; else ends the stream. */
  whileAllowed(action: () => void): void;
}

/**
 * The lifecycle every inbox stream shares (the feed's and presence's): SSE headers, a
 * keep-alive that re-checks access, ending at once when the session or membership ends,
 * when either side goes away, or when the server closes. `subscribe` starts the route's
 * own listening and returns how to stop it.
 */
export function inboxEventStreams(app: FastifyInstance, services: Services) {
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of open) end();
    done();
  });

  return function openStream(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    inboxId: string,
    subscribe: (stream: EventStream) => () => void,
  ): void {
    const stillAllowed = async () => {
      try {
        await resolveActor(services, request);
        await services.transact((tx) => requireMember(tx, actor, inboxId));
        return true;
      } catch {
        return false;
      }
    };
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');

    let ended = false;
    let off: (() => void) | null = null;
    const end = () => {
      if (ended) return;
      ended = true;
      off?.();
      clearInterval(keepAlive);
      open.delete(end);
      raw.end();
    };
    const stream: EventStream = {
      send(event, data, id) {
        raw.write(`event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
      },
      whileAllowed(action) {
        stillAllowed().then((ok) => (ok && !ended ? action() : end()), end);
      },
    };
    const keepAlive = setInterval(() => stream.whileAllowed(() => raw.write(': keep-alive\n\n')), KEEP_ALIVE_MS);
    keepAlive.unref();
    open.add(end);
    // Either side going away ends the stream and its listener.
    request.raw.on('close', end);
    raw.on('close', end);
    off = subscribe(stream);
  };
}
