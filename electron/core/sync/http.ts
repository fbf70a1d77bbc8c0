import type { z } from 'zod';
import {
  ErrorBodySchema,
  type ErrorCode,
  IDEMPOTENCY_HEADER,
  isFinalError,
  PLATFORM_TIME_HEADER,
  type RouteName,
  type Routes,
  routePath,
  routes,
  SNAPSHOT_CONTENT_TYPE,
} from '../../../shared/protocol';
import { LineSplitter } from './line-splitter';
import { PlatformClock } from './platform-clock';

/** Why a request did not produce a value: the pusher and puller decide what to do from `kind`. */
export class PlatformError extends Error {
  constructor(
    readonly kind: 'network' | 'unauthenticated' | 'final' | 'retryable' | 'malformed',
    message: string,
    readonly status: number | null = null,
    readonly code: ErrorCode | null = null,
    readonly details: unknown = undefined,
    /** No connection was ever made, so the request cannot have reached the platform. */
    readonly neverSent = false,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/**
 * Errors raised before a connection exists (refused, no route, no such host, connect
 * timeout). Anything later (a reset, a timeout while waiting for the answer) may have
 * come after the platform received the request and applied it.
 */
const BEFORE_CONNECTING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function failedBeforeConnecting(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && BEFORE_CONNECTING.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
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
  /** The platform's clock, learned from every answer (see platform-clock.ts). */
  readonly clock = new PlatformClock();

  constructor(
    readonly baseUrl: string,
    private token: string | null,
    /**
     * The device clock the core reads deadlines against. The offset to the platform's clock
     * is measured on this same clock, or "platform now" would mix two clocks.
     */
    private readonly deviceNow: () => number = Date.now,
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
    const withSession = this.hasToken;
    const headers: Record<string, string> = { accept: 'application/json', ...this.authHeaders() };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers[IDEMPOTENCY_HEADER] = options.idempotencyKey;
    let response: Response;
    const sentAt = this.deviceNow();
    try {
      response = await fetch(this.url(routePath(spec.path, options.params ?? {}), options.query), {
        method: spec.method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new PlatformError(
        'network',
        `The platform could not be reached: ${(error as Error).message}`,
        null,
        null,
        undefined,
        failedBeforeConnecting(error),
      );
    }
    this.clock.observe(response.headers.get(PLATFORM_TIME_HEADER), sentAt, this.deviceNow());
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
    return this.refused(response.status, body, withSession);
  }

  /**
   * A refusal's `{ error }` body as the PlatformError the callers decide on. `withSession`
   * is whether the request carried a token when it was sent: another request may have
   * cleared it since, and the 401 still means this session ended.
   */
  private refused(status: number, body: unknown, withSession: boolean): never {
    const parsed = ErrorBodySchema.safeParse(body);
    const code = parsed.success ? parsed.data.error.code : null;
    const message = parsed.success ? parsed.data.error.message : `HTTP ${status}`;
    const details = parsed.success ? parsed.data.error.details : undefined;
    // A 401 ends a session only where there was one; without one (signing in) it refuses the credentials.
    if (status === 401) throw new PlatformError(withSession ? 'unauthenticated' : 'final', message, 401, code, details);
    if (isFinalError(status)) throw new PlatformError('final', message, status, code, details);
    throw new PlatformError('retryable', message, status, code, details);
  }

  /**
   * Opens a streamed (NDJSON) route and yields its lines as they arrive, in batches (every
   * complete line of one network read): one step of the async iteration per read, not per
   * line, so thousands of buffered lines cost no promise each. A refusal before
   * the stream starts is the same PlatformError as `raw`'s; a stream that goes quiet for
   * `idleMs`, or breaks, ends with a network error (the caller resumes from what it kept).
   */
  async *lines(name: RouteName, options: RequestOptions & { idleMs?: number } = {}): AsyncGenerator<string[]> {
    const spec = routes[name];
    const controller = new AbortController();
    const idleMs = options.idleMs ?? DEFAULT_TIMEOUT_MS;
    const idle = setTimeout(() => controller.abort(), idleMs);
    const stillAlive = () => idle.refresh();
    const withSession = this.hasToken;
    try {
      let response: Response;
      try {
        response = await fetch(this.url(routePath(spec.path, options.params ?? {}), options.query), {
          method: spec.method,
          headers: { accept: SNAPSHOT_CONTENT_TYPE, ...this.authHeaders() },
          signal: controller.signal,
        });
      } catch (error) {
        throw new PlatformError('network', `The platform could not be reached: ${(error as Error).message}`);
      }
      if (!response.ok || !response.body) {
        // Reads the refusal's `{ error }` body and throws it as raw() does.
        await this.refusal(response, withSession);
      }
      const split = new LineSplitter();
      try {
        for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
          stillAlive();
          const batch = split.push(bytes);
          if (batch.length > 0) yield batch;
        }
      } catch (error) {
        throw new PlatformError(
          'network',
          `The connection broke while reading the answer: ${(error as Error).message}`,
        );
      }
      const last = split.end();
      if (last !== null) yield [last];
    } finally {
      clearTimeout(idle);
      controller.abort();
    }
  }

  private async refusal(response: Response, withSession: boolean): Promise<never> {
    let body: unknown = null;
    try {
      const text = await response.text();
      body = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return this.refused(response.status, body, withSession);
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
