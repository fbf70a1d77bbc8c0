import type { Duplex } from 'node:stream';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { ZodError, type z } from 'zod';
import {
  type ErrorBody,
  IDEMPOTENCY_HEADER,
  IdempotencyKey,
  type JsonRouteName,
  PLATFORM_TIME_HEADER,
  type RouteBody,
  type RouteName,
  type RouteSpec,
  routes,
} from '../../shared/protocol';
import { ApiError, constraintRefusal, errorBody, isStoredRefusal } from '../errors';
import { JsonText, jsonValue } from '../json-text';
import { findCredentials, type PasswordHasher } from '../services/accounts';
import type { Services, Tx } from '../services/context';
import { type AcceptBatcher, batchable } from './accept-batch';
import { actorFor, requireToken } from './actor';
import { handlers, type RouteHandler } from './handlers';
import { readKey, replayOf, requestHash, storeResponse } from './idempotency';
import { createMessageInboxes, type InboxGate } from './inbox-gate';
import { createInboxLookup } from './inbox-lookup';
import { openApiDocument } from './openapi';
import { parseParams } from './params';
import { registerPresence } from './presence';
import { type RateLimits, rateLimitHooks } from './rate-limits';
import { registerSnapshot } from './snapshot';
import { registerFeedEvents } from './sse';
import { type StreamLimits, streamCaps } from './stream-caps';

export interface AppOptions {
  services: Services;
  hasher: PasswordHasher;
  logger: boolean;
  version: string;
  /** Parse every response with its schema: catches drift from the contract in tests. */
  checkResponses: boolean;
  rateLimits: RateLimits;
  streamLimits: StreamLimits;
  bodyLimitBytes: number;
  /** Where one inbox's writes wait for a connection (inbox-gate.ts); the platform keeps it to report on it. */
  gate: InboxGate;
  /** Where accepts wait to be committed together (accept-batch.ts), on `gate`; the platform keeps it to report on it. */
  acceptBatcher: AcceptBatcher;
}

/** A write's place in the inbox gate: its inbox's key, or a message whose inbox is not known yet. */
type Lane = { key: string } | { messageId: string };

/** The inbox of a request's message has no free place in the gate: the attempt is stopped, the request queued. */
class LaneTaken extends Error {
  constructor(readonly inboxId: string) {
    super(`Inbox ${inboxId} has no free place in the gate`);
  }
}

/** How many writes of one inbox may hold a database connection at once (see inbox-gate.ts). */
export const INBOX_GATE_WIDTH = 2;

/** A message of 20,000 Arabic characters is ~60 KB of UTF-8; leave room for JSON around it. */
export const DEFAULT_BODY_LIMIT = 128 * 1024;

/** Every failure, whoever raised it, leaves as `{ error: { code, message, details } }`. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) {
    return new ApiError(
      'invalid_request',
      error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
      { issues: error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })) },
    );
  }
  const refusal = constraintRefusal(error);
  if (refusal) return refusal;
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (fastifyError.statusCode === 413) return new ApiError('payload_too_large', 'The request body is too large');
  if (fastifyError.statusCode === 429) return new ApiError('rate_limited', 'Too many requests; slow down and retry');
  if (fastifyError.statusCode === 415) {
    return new ApiError('unsupported_media_type', 'Send the request body as application/json');
  }
  // Fastify's own refusals (a malformed URL or header, say); database errors carry no statusCode.
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new ApiError('invalid_request', fastifyError.message ?? 'Bad request');
  }
  return new ApiError('internal', 'Something went wrong on the platform');
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const app = Fastify({
    logger: options.logger ? { level: 'info', redact: ['req.headers.authorization'] } : false,
    // Two log lines per request cost more than some routes' own work under load; failures
    // (5xx) are still logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    return503OnClosing: true,
    // Ids are UUIDs; a path parameter longer than this is not one of ours.
    routerOptions: { maxParamLength: 200 },
    clientErrorHandler: refuseMalformedRequest,
    // Refusals the router makes before any route runs (bad %-encoding, an over-long
    // parameter) leave in the one error shape too.
    frameworkErrors: (error, _request, reply) => {
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'The URL is not valid';
      (reply as FastifyReply).status(400).send(errorBody(new ApiError('invalid_request', message)));
    },
  });

  // JSON only: any other media type is refused (415) before a handler sees it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError('invalid_request', 'The request body is not valid JSON'), undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.code === 'internal') request.log.error({ err: error }, 'request failed');
    const retryAfter = (apiError.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    reply.status(apiError.status).send(errorBody(apiError));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody(new ApiError('not_found', `No route ${request.method} ${request.url}`)));
  });

  // Deadlines are judged by the platform's clock; clients learn its offset from every answer.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header(PLATFORM_TIME_HEADER, String(services.clock.now()));
    return payload;
  });

  // Only for its counting store; each limited route adds its own checks (rate-limits.ts).
  await app.register(rateLimit, { global: false });

  app.get('/healthz', async () => {
    await services.db.query('SELECT 1');
    return { ok: true };
  });
  const document = openApiDocument(options.version);
  app.get('/v1/openapi.json', async () => document);

  // Writes of one inbox wait here, not on its row lock holding a pool connection each.
  const { gate, acceptBatcher } = options;
  const messageInboxes = createMessageInboxes();
  const inboxLookup = createInboxLookup(services.db);
  /**
   * The lane a write waits in: its inbox when the route names it or this process knows the
   * message's inbox; otherwise the message, whose inbox the first round trip reads.
   */
  const laneOf = async (spec: RouteSpec, params: Record<string, string>): Promise<Lane | null> => {
    if (spec.method === 'GET') return null;
    if (params.inboxId) return { key: params.inboxId };
    if (params.messageId) {
      const known = messageInboxes.known(params.messageId);
      if (known) return { key: known };
      // While some inbox's lane is full (a hot inbox), an unseen message may well be one of
      // its own: learning its inbox first costs a statement, shared with the lookups asked
      // for meanwhile (inbox-lookup.ts), where finding the lane full in the transaction
      // would cost a rolled-back attempt (or, for an accept, batches skipping an inbox
      // another process holds: accept-batch.ts `contended`).
      if (!gate.crowded() && !acceptBatcher.contended()) return { messageId: params.messageId };
      const inboxId = await inboxLookup.inboxOf(params.messageId);
      if (inboxId) messageInboxes.remember(params.messageId, inboxId);
      // An unknown message has no inbox: the handler then gives its own clear refusal.
      return inboxId ? { key: inboxId } : null;
    }
    // A send names the creator by handle: its own lane, still one per inbox.
    if (params.handle) return { key: `@${params.handle}` };
    return null;
  };

  const deps = {
    hasher: options.hasher,
    findCredentials: (email: string) => services.transact((tx) => findCredentials(tx, email)),
  };

  const rateLimited = rateLimitHooks(app, options.rateLimits);
  for (const [name, spec] of Object.entries(routes) as Array<[RouteName, RouteSpec]>) {
    if (spec.stream || spec.registeredBy) continue; // registered below, each by its own module
    const handler = handlers[name as JsonRouteName] as unknown as RouteHandler<JsonRouteName>;
    const limited = rateLimited(name);
    app.route({
      method: spec.method,
      url: spec.path,
      ...(limited ? { preHandler: limited } : {}),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const params = parseParams(request.params);
        const body = spec.body ? (spec.body.parse(request.body ?? {}) as unknown) : undefined;
        const query = spec.query ? (spec.query.parse(request.query ?? {}) as unknown) : undefined;
        const key = spec.idempotent ? idempotencyKey(request) : null;
        // Checked here so a request without a token fails before any work; the session is read in the transaction.
        const token = spec.auth ? requireToken(request) : null;
        const input = { params, body, query } as Parameters<RouteHandler<JsonRouteName>['run']>[2];
        const prepared = handler.prepare ? await handler.prepare(input, deps) : undefined;
        const lane = await laneOf(spec, params);
        // A message this process has not seen: its inbox is read in the first round trip,
        // beside the session, and its lane entered then if it has room (no extra round
        // trip). If not, that attempt ends there and the request waits in line without a
        // connection, as one whose inbox was known would.
        let lookUp = lane && 'messageId' in lane ? lane.messageId : null;
        const place: { leave: (() => void) | null } = { leave: null };
        const work = async (tx: Tx) => {
          const inboxOf =
            lookUp !== null && place.leave === null
              ? tx.sql.send<{ inbox_id: string }>('SELECT inbox_id FROM messages WHERE id = $1', [lookUp])
              : null;
          // One round trip: the session read, which takes the key's lock, and then the key's
          // stored answer, read once that lock is held (sent in this order, in one write).
          const session = token ? actorFor(tx, token, key ?? undefined) : null;
          const storedKey = token && key ? readKey(tx, token, key) : null;
          const actor = session ? await session : null;
          const inboxId = inboxOf ? (await inboxOf)[0]?.inbox_id : undefined;
          if (lookUp !== null && inboxId !== undefined) {
            messageInboxes.remember(lookUp, inboxId);
            place.leave = gate.tryEnter(inboxId);
            if (!place.leave) throw new LaneTaken(inboxId);
          }
          const run = () => handler.run(tx, actor, { ...input, prepared }) as Promise<unknown>;
          if (!key || !actor || !storedKey) return { status: 200, body: await run(), replayed: false };
          const hash = requestHash(name, params, body);
          const replay = replayOf(await storedKey, hash, tx.now);
          if (replay) {
            // A stored answer is given only to who may still ask for it now, as they may see it now.
            const authorized = await handler.authorize?.(tx, actor, input);
            const shown =
              replay.status === 200 && handler.present
                ? handler.present(authorized, replay.body as never)
                : replay.body;
            return { ...replay, body: shown, replayed: true };
          }
          try {
            const stored = { status: 200, body: jsonValue(await tx.savepoint(run)) };
            storeResponse(tx, actor.id, key, hash, stored);
            return { ...stored, replayed: false };
          } catch (error) {
            // A final refusal is the answer to this key too: a replay must not turn it into a success later.
            if (!(error instanceof ApiError) || !isStoredRefusal(error)) throw error;
            const stored = { status: error.status, body: errorBody(error) };
            storeResponse(tx, actor.id, key, hash, stored);
            return { ...stored, replayed: false };
          }
        };
        type Result = Awaited<ReturnType<typeof work>>;
        // An accept that may be taken into a batch (accept-batch.ts): with the others waiting
        // in its inbox's lane, or, across inboxes, with those waiting in this process.
        const messageId = params.messageId;
        const accept =
          name === 'accept' && token && key && messageId && batchable(body as RouteBody<'accept'>)
            ? {
                token,
                key,
                hash: requestHash(name, params, body),
                messageId,
                body: body as RouteBody<'accept'>,
                // In its lane, its inbox known: no lookup in the transaction.
                alone: () => {
                  lookUp = null;
                  return services.transact(work);
                },
                unseen: () => direct(),
              }
            : null;
        // In the inbox's lane.
        const inLane = (inboxKey: string): Promise<Result> =>
          accept ? acceptBatcher.submit(inboxKey, accept) : gate.run(inboxKey, () => services.transact(work));
        // Not in a lane yet: a message this process has not seen enters its lane in the first
        // round trip (or, the lane being full, waits in it); anything else runs at once.
        const direct = async (): Promise<Result> => {
          try {
            return await services.transact(work);
          } catch (error) {
            if (!(error instanceof LaneTaken)) throw error;
            lookUp = null;
            return inLane(error.inboxId);
          }
        };
        let result: Result;
        try {
          result = await (lane && 'key' in lane
            ? inLane(lane.key)
            : lane && accept
              ? acceptBatcher.submit(null, accept)
              : direct());
        } finally {
          place.leave?.();
        }
        if (name === 'sendMessage' && result.status === 200) {
          const sent = result.body as { id: string; inboxId: string };
          messageInboxes.remember(sent.id, sent.inboxId);
        }
        if (options.checkResponses && result.status === 200) checkResponse(spec.response, name, jsonValue(result.body));
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        if (result.body instanceof JsonText) {
          // Already JSON: sent as written (a string payload with this type is not serialised again).
          reply.status(result.status).type('application/json; charset=utf-8').send(result.body.text);
        } else {
          reply.status(result.status).send(result.body);
        }
      },
    });
  }

  registerSnapshot(app, services);
  // One count of live connections per session and user, whichever stream route holds them.
  const caps = streamCaps(options.streamLimits);
  registerFeedEvents(app, services, caps);
  registerPresence(app, services, caps);
  return app;
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers or URL past the
 * size limit, a broken request line) get the one error shape too; a timed-out or reset
 * connection gets nothing, as there is no one left to answer.
 */
function refuseMalformedRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, text, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request line or headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request took too long to arrive']
        : [400, 'Bad Request', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { code: 'invalid_request', message } } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function idempotencyKey(request: FastifyRequest): string {
  const raw = request.headers[IDEMPOTENCY_HEADER];
  const parsed = IdempotencyKey.safeParse(Array.isArray(raw) ? raw[0] : raw);
  if (!parsed.success) {
    throw new ApiError('invalid_request', 'This request needs an Idempotency-Key header of 8–128 characters', {
      field: IDEMPOTENCY_HEADER,
    });
  }
  return parsed.data;
}

function checkResponse(schema: z.ZodType, name: string, body: unknown): void {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError('internal', `Response of ${name} does not match its schema`, { issues: parsed.error.issues });
  }
}
