import { z } from 'zod';
import {
  ErrorBodySchema,
  FEED_EVENTS_PATH,
  IDEMPOTENCY_HEADER,
  type RouteSpec,
  routes,
  SNAPSHOT_CONTENT_TYPE,
} from '../../shared/protocol';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** The OpenAPI 3.1 document, generated from the same route table the server registers. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorResponse = { content: { 'application/json': { schema: jsonSchema(ErrorBodySchema, 'output') } } };
  for (const [name, spec] of Object.entries(routes) as Array<[string, RouteSpec]>) {
    const parameters: unknown[] = [...spec.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (spec.query) {
      const query = jsonSchema(spec.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [param, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name: param, in: 'query', required: query.required?.includes(param) ?? false, schema });
      }
    }
    if (spec.idempotent) {
      parameters.push({ name: IDEMPOTENCY_HEADER, in: 'header', required: true, schema: { type: 'string' } });
    }
    const operation: Record<string, unknown> = {
      operationId: name,
      summary: spec.summary,
      parameters,
      responses: {
        '200': spec.stream
          ? {
              description: 'A stream of lines, each one JSON value of this schema',
              content: { [SNAPSHOT_CONTENT_TYPE]: { itemSchema: jsonSchema(spec.response, 'output') } },
            }
          : { description: 'OK', content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } },
        default: { description: 'Error', ...errorResponse },
      },
      ...(spec.auth ? { security: [{ bearer: [] }] } : {}),
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
            },
          }
        : {}),
    };
    const path = openApiPath(spec.path);
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: operation };
  }
  paths[openApiPath(FEED_EVENTS_PATH)] = {
    get: {
      operationId: 'feedEvents',
      summary: 'Server-sent events: `changes` with { inboxId, headSeq } whenever the feed grows',
      security: [{ bearer: [] }],
      parameters: [{ name: 'inboxId', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'An event stream', content: { 'text/event-stream': {} } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Creator Inbox platform', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
