import type { FastifyInstance } from 'fastify';
import { FEED_EVENT_NAME, type FeedEvent, routes } from '../../shared/protocol';
import { requireMember } from '../services/access';
import type { Services } from '../services/context';
import { feedHead } from '../services/feed';
import { resolveActor } from './actor';
import { inboxEventStreams } from './event-stream';
import { parseParams } from './params';
import type { StreamCaps } from './stream-caps';

/**
 * The push half of sync: an event says only "the feed now reaches headSeq"; the client
 * pulls. Resuming with Last-Event-ID skips heads the client already knows. The stream
 * ends as soon as the session or the membership behind it does.
 */
export function registerFeedEvents(app: FastifyInstance, services: Services, caps: StreamCaps): void {
  const openStream = inboxEventStreams(app, services, caps);

  const spec = routes.feedEvents;
  app.route({
    method: spec.method,
    url: spec.path,
    handler: async (request, reply) => {
      const { inboxId } = parseParams(request.params) as { inboxId: string };
      const actor = await resolveActor(services, request);
      await services.transact((tx) => requireMember(tx, actor, inboxId));
      const head = await services.transact((tx) => feedHead(tx, inboxId));

      const lastEventId = Number(request.headers['last-event-id']);
      let sent = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : -1;
      openStream(request, reply, actor, inboxId, (stream) => {
        const send = (headSeq: number) => {
          if (headSeq <= sent) return;
          sent = headSeq;
          const event: FeedEvent = { inboxId, headSeq };
          stream.send(FEED_EVENT_NAME, event, headSeq);
        };
        send(head);
        return services.onFeed((changed, headSeq) => {
          // Heads already sent (this process's own NOTIFY echo, say) cost no access check.
          if (changed === inboxId && headSeq > sent) stream.whileAllowed(() => send(headSeq));
        });
      });
    },
  });
}
