import { z } from 'zod';
import {
  ErrorBodySchema,
  IDEMPOTENCY_HEADER,
  type RouteSpec,
  routes,
  SNAPSHOT_CONTENT_TYPE,
} from '../../shared/protocol';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

/** Streams are described item by item (OpenAPI 3.2's `itemSchema`; 3.1 tools ignore it). */
function okResponse(spec: RouteSpec): Record<string, unknown> {
  const schema = jsonSchema(spec.response, 'output');
  if (spec.stream === 'ndjson') {
    return {
      description: 'A stream of lines, each one JSON value of this schema',
      content: { [SNAPSHOT_CONTENT_TYPE]: { itemSchema: schema } },
    };
  }
  if (spec.stream === 'sse') {
    return {
      description: "A server-sent event stream; each event's data is one JSON value of this schema",
      content: { 'text/event-stream': { itemSchema: schema } },
    };
  }
  return { description: 'OK', content: { 'application/json': { schema } } };
}

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
        '200': okResponse(spec),
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
  return {
    openapi: '3.1.0',
    info: { title: 'Creator Inbox platform', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
