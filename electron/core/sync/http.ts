import type { z } from 'zod';
import {
  ErrorBodySchema,
  type ErrorCode,
  IDEMPOTENCY_HEADER,
  isFinalError,
  type RouteName,
  type Routes,
  routePath,
  routes,
} from '../../../shared/protocol';

/** Why a request did not produce a value: the pusher and puller decide what to do from `kind`. */
export class PlatformError extends Error {
  constructor(
    readonly kind: 'network' | 'unauthenticated' | 'final' | 'retryable' | 'malformed',
    message: string,
    readonly status: number | null = null,
    readonly code: ErrorCode | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

export interface RequestOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  idempotencyKey?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Accepts https anywhere, and plain http only to this machine (the embedded platform, tests). */
export function checkPlatformUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('This is not a web address.');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error('Only https:// addresses are allowed (plain http:// only to this computer).');
  }
  return url;
}

/**
 * The client side of shared/protocol's route table: builds each request from the route's
 * method and path, and parses each answer with the route's own response schema, so a
 * malformed answer is an error, never data.
 */
export class PlatformClient {
  constructor(
    readonly baseUrl: string,
    private token: string | null,
  ) {}

  setToken(token: string | null): void {
    this.token = token;
  }

  get hasToken(): boolean {
    return this.token !== null;
  }

  url(path: string, query?: Record<string, string | number>): string {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
    return url.toString();
  }

  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Sends a request and returns the parsed JSON body (unvalidated: `call` validates). */
  async raw(name: RouteName, options: RequestOptions = {}): Promise<unknown> {
    const spec = routes[name];
    const headers: Record<string, string> = { accept: 'application/json', ...this.authHeaders() };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers[IDEMPOTENCY_HEADER] = options.idempotencyKey;
    let response: Response;
    try {
      response = await fetch(this.url(routePath(spec.path, options.params ?? {}), options.query), {
        method: spec.method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new PlatformError('network', `The platform could not be reached: ${(error as Error).message}`);
    }
    let body: unknown = null;
    try {
      const text = await response.text();
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch (error) {
      if (response.ok)
        throw new PlatformError(
          'malformed',
          `The platform sent an unreadable answer: ${(error as Error).message}`,
          response.status,
        );
      throw new PlatformError('network', `The connection broke while reading the answer: ${(error as Error).message}`);
    }
    if (response.ok) return body;
    const parsed = ErrorBodySchema.safeParse(body);
    const code = parsed.success ? parsed.data.error.code : null;
    const message = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
    const details = parsed.success ? parsed.data.error.details : undefined;
    if (response.status === 401) throw new PlatformError('unauthenticated', message, 401, code, details);
    if (isFinalError(response.status)) throw new PlatformError('final', message, response.status, code, details);
    throw new PlatformError('retryable', message, response.status, code, details);
  }

  async call<N extends RouteName>(name: N, options: RequestOptions = {}): Promise<z.infer<Routes[N]['response']>> {
    const body = await this.raw(name, options);
    const parsed = routes[name].response.safeParse(body);
    if (!parsed.success) {
      throw new PlatformError('malformed', `The platform's answer to ${name} did not match the protocol.`);
    }
    return parsed.data as z.infer<Routes[N]['response']>;
  }
}
