import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireMember } from '../services/access';
import { sessionsStillIn } from '../services/accounts';
import type { Actor, Services } from '../services/context';
import { resolveActor } from './actor';
import type { StreamCaps } from './stream-caps';

const KEEP_ALIVE_MS = 15_000;

/** One open server-sent-event stream of an inbox, as its route sees it. */
export interface EventStream {
  /** Writes one event: its name, an optional `id:` (for Last-Event-ID resume) and JSON data. */
  send(event: string, data: unknown, id?: number): void;
  /** Writes an event already built by `eventText`: one event sent to many streams is built once. */
  write(text: string): void;
  /** Runs `action` only while the caller's session and membership still stand; else ends the stream. */
  whileAllowed(action: () => void): void;
}

interface AccessCheck {
  sessionId: string;
  allowed(): void;
  denied(): void;
}

/**
 * Asks "do these sessions still stand, as members of this inbox?" once per inbox per tick
 * for every stream waiting on the answer. A change in an inbox with 1,000 open streams
 * costs one query, not 2,000 transactions.
 */
function accessBatcher(services: Services) {
  let waiting = new Map<string, AccessCheck[]>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = waiting;
    waiting = new Map();
    for (const [inboxId, checks] of batch) {
      const ids = [...new Set(checks.map((c) => c.sessionId))];
      // One statement, not a transaction: a read needs no BEGIN and COMMIT, and every round
      // trip here is time 1,000 streams wait for their event. On the process's connection
      // aside, never in line behind the pool's writers (under load that wait was most of it).
      sessionsStillIn(services.db.aside ?? services.db, services.clock.now(), inboxId, ids).then(
        (standing) => {
          for (const check of checks) (standing.has(check.sessionId) ? check.allowed : check.denied)();
        },
        () => {
          for (const check of checks) check.denied();
        },
      );
    }
  };
  return (inboxId: string, check: AccessCheck) => {
    const list = waiting.get(inboxId);
    if (list) list.push(check);
    else waiting.set(inboxId, [check]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/** One server-sent event as written on the wire. */
export function eventText(event: string, data: unknown, id?: number): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * The lifecycle every inbox stream shares (the feed's and presence's): SSE headers, a
 * keep-alive that re-checks access, ending at once when the session or membership ends,
 * when either side goes away, or when the server closes. `subscribe` starts the route's
 * own listening and returns how to stop it. Each stream holds a place under the caller's
 * caps (`caps`, shared by every stream route) until it ends; past them it is refused (429)
 * before any byte of the stream is sent.
 */
export function inboxEventStreams(app: FastifyInstance, services: Services, caps: StreamCaps) {
  /** Each open stream's end, and its keep-alive. */
  const open = new Map<() => void, () => void>();
  const checkAccess = accessBatcher(services);
  // One timer for every stream: their keep-alive checks of one inbox then share a query.
  const keepAlive = setInterval(() => {
    for (const ping of open.values()) ping();
  }, KEEP_ALIVE_MS);
  keepAlive.unref();
  app.addHook('preClose', (done) => {
    clearInterval(keepAlive);
    for (const end of [...open.keys()]) end();
    done();
  });

  return function openStream(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    inboxId: string,
    subscribe: (stream: EventStream) => () => void,
  ): void {
    // Bearer sessions always have an id; anything else is checked on its own, as before.
    const sessionId = actor.sessionId;
    const stillAllowed = async () => {
      try {
        await resolveActor(services, request);
        await services.transact((tx) => requireMember(tx, actor, inboxId));
        return true;
      } catch {
        return false;
      }
    };
    const release = caps.claim(actor);
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
      release();
      open.delete(end);
      raw.end();
    };
    const stream: EventStream = {
      send(event, data, id) {
        raw.write(eventText(event, data, id));
      },
      write(text) {
        raw.write(text);
      },
      whileAllowed(action) {
        if (ended) return;
        if (sessionId === null) {
          stillAllowed().then((ok) => (ok && !ended ? action() : end()), end);
          return;
        }
        checkAccess(inboxId, {
          sessionId,
          allowed: () => {
            if (!ended) action();
          },
          denied: end,
        });
      },
    };
    open.set(end, () => stream.whileAllowed(() => raw.write(': keep-alive\n\n')));
    // Either side going away ends the stream and its listener.
    request.raw.on('close', end);
    raw.on('close', end);
    off = subscribe(stream);
  };
}
