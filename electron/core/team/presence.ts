import type { EventPayload } from '../../../shared/contract';
import {
  PRESENCE_EVENTS_PATH,
  PRESENCE_HEARTBEAT_MS,
  PRESENCE_PATH,
  type PresenceEntry,
  PresenceListSchema,
  type PresenceState,
  routePath,
} from '../../../shared/protocol';
import type { BackoffPolicy } from '../sync/backoff';
import { EventStream } from '../sync/event-stream';
import type { PlatformClient } from '../sync/http';

export interface PresenceOptions {
  accountId: string;
  userId: string;
  client: PlatformClient;
  emit(payload: EventPayload<'presence.changed'>): void;
  backoff?: BackoffPolicy | undefined;
  heartbeatMs?: number;
}

const POST_TIMEOUT_MS = 5_000;

/**
 * One account's presence: says what this person is doing (and renews it while they do),
 * and listens to each inbox's presence stream once someone asks about that inbox. Presence
 * is a hint: a failed heartbeat is dropped, never queued, and never an error for the user.
 */
export class PresenceClient {
  private readonly streams = new Map<string, EventStream>();
  private readonly people = new Map<string, PresenceEntry[]>();
  private current: { inboxId: string; messageId: string; state: PresenceState } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: PresenceOptions) {}

  /** Everyone else in the inbox now, as last heard; opens the inbox's stream on first ask. */
  list(inboxId: string): PresenceEntry[] {
    this.watch(inboxId);
    return this.others(this.people.get(inboxId) ?? []);
  }

  async set(inboxId: string, messageId: string, state: PresenceState | null): Promise<void> {
    this.watch(inboxId);
    const before = this.current;
    if (state === null) {
      if (!before || before.messageId !== messageId) return;
      this.current = null;
      this.stopHeartbeat();
      await this.post(inboxId, messageId, null);
      return;
    }
    this.current = { inboxId, messageId, state };
    // The platform keeps one entry per device, so a new message replaces the old one,
    // except across inboxes, where the old inbox must be told we left.
    if (before && before.inboxId !== inboxId) void this.post(before.inboxId, before.messageId, null);
    this.startHeartbeat();
    if (before?.messageId !== messageId || before.state !== state) await this.post(inboxId, messageId, state);
  }

  /** Access to the inbox ended: stop listening to it. */
  forget(inboxId: string): void {
    this.streams.get(inboxId)?.stop();
    this.streams.delete(inboxId);
    this.people.delete(inboxId);
    if (this.current?.inboxId === inboxId) {
      this.current = null;
      this.stopHeartbeat();
    }
  }

  /** The person stopped looking (window hidden or closed): say so now; the next `set` starts again. */
  async leave(): Promise<void> {
    const leaving = this.current;
    this.current = null;
    this.stopHeartbeat();
    if (leaving) await this.post(leaving.inboxId, leaving.messageId, null);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const leaving = this.leave();
    this.closed = true;
    for (const stream of this.streams.values()) stream.stop();
    this.streams.clear();
    await leaving;
  }

  private others(people: PresenceEntry[]): PresenceEntry[] {
    return people.filter((p) => p.userId !== this.options.userId);
  }

  private update(inboxId: string, people: PresenceEntry[]): void {
    this.people.set(inboxId, people);
    if (!this.closed) this.options.emit({ accountId: this.options.accountId, inboxId, people: this.others(people) });
  }

  private watch(inboxId: string): void {
    if (this.closed || this.streams.has(inboxId) || !this.options.client.hasToken) return;
    const stream = new EventStream({
      url: this.options.client.url(routePath(PRESENCE_EVENTS_PATH, { inboxId })),
      headers: () => this.options.client.authHeaders(),
      backoff: this.options.backoff,
      onChanges: () => undefined,
      onConnection: (connected) => {
        // While the stream is down nobody can be shown as present: their entries may lapse unseen.
        if (!connected) this.update(inboxId, []);
      },
      onUnauthorized: () => this.forget(inboxId),
      onRefused: () => this.forget(inboxId),
      onOtherEvent: (_name, data) => {
        try {
          const parsed = PresenceListSchema.safeParse(JSON.parse(data));
          if (parsed.success && parsed.data.inboxId === inboxId) this.update(inboxId, parsed.data.people);
        } catch {
          // A garbled event is dropped; the next one carries the whole list again.
        }
      },
    });
    this.streams.set(inboxId, stream);
    stream.start();
  }

  private startHeartbeat(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => {
      const current = this.current;
      if (current) void this.post(current.inboxId, current.messageId, current.state);
    }, this.options.heartbeatMs ?? PRESENCE_HEARTBEAT_MS);
    this.timer.unref?.();
  }

  private stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async post(inboxId: string, messageId: string, state: PresenceState | null): Promise<void> {
    if (!this.options.client.hasToken) return;
    try {
      const response = await fetch(this.options.client.url(routePath(PRESENCE_PATH, { inboxId })), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...this.options.client.authHeaders(),
        },
        body: JSON.stringify({ messageId, state }),
        signal: AbortSignal.timeout(POST_TIMEOUT_MS),
      });
      if (!response.ok) return;
      const parsed = PresenceListSchema.safeParse(await response.json());
      if (parsed.success && !this.closed) this.update(inboxId, parsed.data.people);
    } catch {
      // Offline or slow: presence simply is not shown; the next heartbeat tries again.
    }
  }
}
