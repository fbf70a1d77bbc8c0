import type { FastifyInstance } from 'fastify';
import { FEED_EVENT_NAME, type FeedEvent, routes } from '../../shared/protocol';
import type { Services } from '../services/context';
import { memberAndHead } from '../services/feed';
import { resolveActor } from './actor';
import { eventText, inboxEventStreams } from './event-stream';
import { parseParams } from './params';
import type { StreamCaps } from './stream-caps';

/**
 * The push half of sync: an event says only "the feed now reaches headSeq"; the client
 * pulls. Resuming with Last-Event-ID skips heads the client already knows. The stream
 * ends as soon as the session or the membership behind it does.
 */
export function registerFeedEvents(app: FastifyInstance, services: Services, caps: StreamCaps): void {
  const openStream = inboxEventStreams(app, services, caps);
  // Each inbox's open streams: a change is handed to its own inbox's streams only, with its
  // event built once for all of them (1,000 subscribers of one inbox: one JSON, not 1,000).
  const streamsOf = new Map<string, Set<(headSeq: number, text: string) => void>>();
  const text = (inboxId: string, headSeq: number) =>
    eventText(FEED_EVENT_NAME, { inboxId, headSeq } satisfies FeedEvent, headSeq);
  const offFeed = services.onFeed((inboxId, headSeq) => {
    const streams = streamsOf.get(inboxId);
    if (!streams) return;
    const event = text(inboxId, headSeq);
    for (const deliver of streams) deliver(headSeq, event);
  });
  app.addHook('onClose', (_app, done) => {
    offFeed();
    done();
  });

  const spec = routes.feedEvents;
  app.route({
    method: spec.method,
    url: spec.path,
    handler: async (request, reply) => {
      const { inboxId } = parseParams(request.params) as { inboxId: string };
      const actor = await resolveActor(services, request);
      const { head } = await services.transact((tx) => memberAndHead(tx, actor, inboxId));

      const lastEventId = Number(request.headers['last-event-id']);
      let sent = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : -1;
      openStream(request, reply, actor, inboxId, (stream) => {
        const send = (headSeq: number, event: string) => {
          if (headSeq <= sent) return;
          sent = headSeq;
          stream.write(event);
        };
        send(head, text(inboxId, head));
        // Heads already sent (this process's own NOTIFY echo, say) cost no access check.
        const deliver = (headSeq: number, event: string) => {
          if (headSeq > sent) stream.whileAllowed(() => send(headSeq, event));
        };
        const streams = streamsOf.get(inboxId) ?? new Set();
        streamsOf.set(inboxId, streams.add(deliver));
        return () => {
          streams.delete(deliver);
          if (streams.size === 0 && streamsOf.get(inboxId) === streams) streamsOf.delete(inboxId);
        };
      });
    },
  });
}
