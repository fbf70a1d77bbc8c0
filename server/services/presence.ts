import { PRESENCE_TTL_MS, type PresenceEntry, type PresenceState } from '../../shared/protocol';
import type { Clock } from './context';

export type PresenceListener = (people: PresenceEntry[]) => void;

interface Who {
  readonly userId: string;
  readonly name: string;
  /** One entry per signed-in device: the same person may look at two messages on two devices. */
  readonly sessionId: string;
}

/**
 * Who is looking at or replying to which message, per inbox. Memory only: presence is a
 * hint, worth nothing after a restart, so it is never written to the database. Entries
 * lapse `ttlMs` after their last heartbeat; `sweep` drops them and tells the listeners.
 */
export class PresenceHub {
  private readonly inboxes = new Map<string, Map<string, PresenceEntry>>();
  private readonly listeners = new Map<string, Set<PresenceListener>>();

  constructor(
    private readonly clock: Clock,
    readonly ttlMs = PRESENCE_TTL_MS,
  ) {}

  /** Records what `who` does now (null: nothing), replacing what that device did before. */
  heartbeat(inboxId: string, who: Who, messageId: string, state: PresenceState | null): PresenceEntry[] {
    const entries = this.inboxes.get(inboxId) ?? new Map<string, PresenceEntry>();
    const key = `${who.userId}:${who.sessionId}`;
    const before = entries.get(key);
    if (state === null) {
      // Leaving another message than the one shown now must not clear the newer one.
      if (before && before.messageId === messageId) entries.delete(key);
    } else {
      entries.set(key, { userId: who.userId, name: who.name, messageId, state, until: this.clock.now() + this.ttlMs });
    }
    if (entries.size > 0) this.inboxes.set(inboxId, entries);
    else this.inboxes.delete(inboxId);
    const after = entries.get(key);
    const changed = before?.messageId !== after?.messageId || before?.state !== after?.state;
    if (changed) this.notify(inboxId);
    return this.list(inboxId);
  }

  list(inboxId: string): PresenceEntry[] {
    const now = this.clock.now();
    return [...(this.inboxes.get(inboxId)?.values() ?? [])]
      .filter((e) => e.until > now)
      .sort((a, b) => a.messageId.localeCompare(b.messageId) || a.name.localeCompare(b.name));
  }

  /** Drops lapsed entries and tells each inbox's listeners that lost someone. */
  sweep(): void {
    const now = this.clock.now();
    for (const [inboxId, entries] of this.inboxes) {
      let dropped = false;
      for (const [key, entry] of entries) {
        if (entry.until <= now) {
          entries.delete(key);
          dropped = true;
        }
      }
      if (entries.size === 0) this.inboxes.delete(inboxId);
      if (dropped) this.notify(inboxId);
    }
  }

  /** Access ended: the person's entries go at once rather than at expiry. */
  forget(inboxId: string, userId: string): void {
    const entries = this.inboxes.get(inboxId);
    if (!entries) return;
    let dropped = false;
    for (const [key, entry] of entries) {
      if (entry.userId === userId) {
        entries.delete(key);
        dropped = true;
      }
    }
    if (dropped) this.notify(inboxId);
  }

  subscribe(inboxId: string, listener: PresenceListener): () => void {
    const set = this.listeners.get(inboxId) ?? new Set<PresenceListener>();
    set.add(listener);
    this.listeners.set(inboxId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(inboxId);
    };
  }

  private notify(inboxId: string): void {
    const listeners = this.listeners.get(inboxId);
    if (!listeners) return;
    const people = this.list(inboxId);
    for (const listener of listeners) listener(people);
  }
}
