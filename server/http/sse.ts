import type { FastifyInstance } from 'fastify';
import { FEED_EVENT_NAME, FEED_EVENTS_PATH, type FeedEvent, Id } from '../../shared/protocol';
import { ApiError } from '../errors';
import { requireMember } from '../services/access';
import type { Services } from '../services/context';
import { feedHead } from '../services/feed';
import { resolveActor } from './actor';

const HEARTBEAT_MS = 15_000;

/**
 * The push half of sync: an event says only "the feed now reaches headSeq"; the client
 * pulls. Resuming with Last-Event-ID skips heads the client already knows. The stream
 * ends as soon as the session or the membership behind it does.
 */
export function registerFeedEvents(app: FastifyInstance, services: Services): void {
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of open) end();
    done();
  });

  app.get(FEED_EVENTS_PATH, async (request, reply) => {
    const parsed = Id.safeParse((request.params as Record<string, unknown>).inboxId);
    if (!parsed.success) throw new ApiError('invalid_request', 'Invalid inbox id');
    const inboxId = parsed.data;
    const actor = await resolveActor(services, request);
    const stillAllowed = async () => {
      try {
        await resolveActor(services, request);
        await services.transact((tx) => requireMember(tx, actor, inboxId));
        return true;
      } catch {
        return false;
      }
    };
    await services.transact((tx) => requireMember(tx, actor, inboxId));
    const head = await services.transact((tx) => feedHead(tx, inboxId));

    const lastEventId = Number(request.headers['last-event-id']);
    let sent = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : -1;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');
    const send = (headSeq: number) => {
      if (headSeq <= sent) return;
      sent = headSeq;
      const event: FeedEvent = { inboxId, headSeq };
      raw.write(`event: ${FEED_EVENT_NAME}\nid: ${headSeq}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    send(head);

    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      off();
      clearInterval(heartbeat);
      open.delete(end);
      raw.end();
    };
    const checkThen = (action: () => void) => {
      stillAllowed().then((ok) => (ok && !ended ? action() : end()), end);
    };
    const off = services.onFeed((changed, headSeq) => {
      if (changed === inboxId && !ended) checkThen(() => send(headSeq));
    });
    const heartbeat = setInterval(() => checkThen(() => raw.write(': keep-alive\n\n')), HEARTBEAT_MS);
    heartbeat.unref();
    open.add(end);
    // Either side going away ends the stream and its listener.
    request.raw.on('close', end);
    raw.on('close', end);
  });
}
