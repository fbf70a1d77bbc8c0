import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PRESENCE_EVENT_NAME, type PresenceList, routes } from '../../shared/protocol';
import { notFound } from '../errors';
import { inboxOfMessage, requireMember } from '../services/access';
import type { Actor, Services } from '../services/context';
import { PresenceHub } from '../services/presence';
import { resolveActor } from './actor';
import { inboxEventStreams } from './event-stream';
import { parseParams } from './params';
import type { StreamCaps } from './stream-caps';

const SWEEP_MS = 1_000;

function inboxParam(request: FastifyRequest): string {
  return (parseParams(request.params) as { inboxId: string }).inboxId;
}

/** Presence is for the inbox's active members only; anyone else learns nothing (not_found). */
async function memberActor(services: Services, request: FastifyRequest, inboxId: string): Promise<Actor> {
  const actor = await resolveActor(services, request);
  await services.transact((tx) => requireMember(tx, actor, inboxId));
  return actor;
}

/**
 * POST a heartbeat, GET the list, and a server-sent-event stream of the list per inbox.
 * The stream ends as soon as the membership behind it does (checked on every change and
 * on a keep-alive timer), like the feed's stream.
 */
export function registerPresence(
  app: FastifyInstance,
  services: Services,
  caps: StreamCaps,
  hub = new PresenceHub(services.clock),
) {
  const sweeper = setInterval(() => hub.sweep(), SWEEP_MS);
  sweeper.unref();
  const openStream = inboxEventStreams(app, services, caps);
  app.addHook('preClose', (done) => {
    clearInterval(sweeper);
    offFeed();
    done();
  });

  const { presenceHeartbeat, presence, presenceEvents } = routes;
  app.route({
    method: presenceHeartbeat.method,
    url: presenceHeartbeat.path,
    handler: async (request): Promise<PresenceList> => {
      const inboxId = inboxParam(request);
      const body = presenceHeartbeat.body.parse(request.body ?? {});
      const actor = await memberActor(services, request, inboxId);
      const messageInbox = await inboxOfMessage(services.db, body.messageId);
      if (messageInbox !== inboxId) throw notFound('Message');
      const who = { userId: actor.id, name: actor.displayName, sessionId: actor.sessionId ?? actor.id };
      return { inboxId, people: hub.heartbeat(inboxId, who, body.messageId, body.state) };
    },
  });

  app.route({
    method: presence.method,
    url: presence.path,
    handler: async (request): Promise<PresenceList> => {
      const inboxId = inboxParam(request);
      await memberActor(services, request, inboxId);
      return { inboxId, people: hub.list(inboxId) };
    },
  });

  app.route({
    method: presenceEvents.method,
    url: presenceEvents.path,
    handler: async (request, reply) => {
      const inboxId = inboxParam(request);
      const actor = await memberActor(services, request, inboxId);
      openStream(request, reply, actor, inboxId, (stream) => {
        const send = (people: PresenceList['people']) => stream.send(PRESENCE_EVENT_NAME, { inboxId, people });
        send(hub.list(inboxId));
        return hub.subscribe(inboxId, (people) => stream.whileAllowed(() => send(people)));
      });
    },
  });

  // Access that ends ends presence too: a revoked manager vanishes from every screen at once.
  const offFeed = services.onFeed((inboxId) => {
    for (const entry of hub.list(inboxId)) {
      void services
        .transact((tx) => requireMember(tx, { id: entry.userId } as Actor, inboxId))
        .catch(() => hub.forget(inboxId, entry.userId));
    }
  });
  return hub;
}
