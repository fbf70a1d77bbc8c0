import { FeedEventSchema } from '../../../shared/protocol';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff';

export interface EventStreamOptions {
  url: string;
  headers: () => Record<string, string>;
  /** Called for every valid `changes` event. */
  onChanges(headSeq: number): void;
  /** Connected (true) or lost (false); the status line and the poll fallback follow this. */
  onConnection(connected: boolean): void;
  /** 401: stop; the session is signed out. */
  onUnauthorized(): void;
  /** 403/404: this person may no longer read the inbox (access revoked); reconnects go on with backoff. */
  onRefused?(status: number): void;
  /** Events with other names than `changes` (the presence stream's `presence`), raw data text. */
  onOtherEvent?(name: string, data: string): void;
  backoff?: BackoffPolicy;
  /**
   * Retry pace while the platform cannot be reached at all (connection refused, no
   * route): such attempts cost the platform nothing, and coming back at once after an
   * outage is what people notice. Answers with an error status use `backoff`.
   */
  unreachableBackoff?: BackoffPolicy;
}

/** Unreachable platform: try again within a second, so the app is back within a second. */
export const UNREACHABLE_BACKOFF: BackoffPolicy = { baseMs: 150, maxMs: 400 };

/** Longest line we buffer; a server that never sends a newline cannot grow our memory. */
const MAX_BUFFER = 64 * 1024;

/**
 * A server-sent-events client over fetch (Node has no EventSource): reads `event:` and
 * `data:` lines, hands valid `changes` events on, and reconnects with backoff + jitter
 * whenever the stream ends or fails. Events only say "there is more"; the pull is the
 * source of truth, so a lost event costs nothing but a later pull.
 */
export class EventStream {
  private controller: AbortController | null = null;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: EventStreamOptions) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
    this.controller = null;
  }

  /** The platform answered something else (a pull, a push): reconnect now, not after the backoff. */
  reconnectNow(): void {
    if (this.stopped || this.controller || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.attempt = 0;
    void this.connect();
  }

  private scheduleReconnect(unreachable: boolean): void {
    if (this.stopped) return;
    const policy = unreachable
      ? (this.options.unreachableBackoff ?? UNREACHABLE_BACKOFF)
      : (this.options.backoff ?? DEFAULT_BACKOFF);
    const delay = backoffDelay(this.attempt++, policy);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
    this.timer.unref?.();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const controller = new AbortController();
    this.controller = controller;
    let connected = false;
    let unreachable = false;
    try {
      const response = await fetch(this.options.url, {
        headers: { accept: 'text/event-stream', ...this.options.headers() },
        signal: controller.signal,
      });
      if (response.status === 401) {
        this.options.onUnauthorized();
        this.stopped = true;
        return;
      }
      if (response.status === 403 || response.status === 404) this.options.onRefused?.(response.status);
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      connected = true;
      this.attempt = 0;
      this.options.onConnection(true);
      await this.read(response.body);
    } catch (error) {
      // Network failure or abort: reconnect below unless stopped. fetch rejects with a
      // TypeError when no answer came at all (refused, reset, no route).
      unreachable = !connected && error instanceof TypeError;
    } finally {
      if (connected) this.options.onConnection(false);
      if (this.controller === controller) this.controller = null;
    }
    this.scheduleReconnect(unreachable);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let eventName = 'message';
    let data: string[] = [];
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (eventName === 'changes' && data.length > 0) this.dispatch(data.join('\n'));
          else if (data.length > 0) this.options.onOtherEvent?.(eventName, data.join('\n'));
          eventName = 'message';
          data = [];
        } else if (line.startsWith('event:')) {
          eventName = line.slice(6).trim();
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
        newline = buffer.indexOf('\n');
      }
      if (buffer.length > MAX_BUFFER) throw new Error('event stream line too long');
    }
  }

  private dispatch(text: string): void {
    try {
      const event = FeedEventSchema.safeParse(JSON.parse(text));
      if (event.success) this.options.onChanges(event.data.headSeq);
    } catch {
      // A garbled event is ignored: the next event or the poll will catch up.
    }
  }
}
