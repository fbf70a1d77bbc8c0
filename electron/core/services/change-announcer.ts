import type { EntityKind } from '../store/apply';

/** At most this many ids ride on one entities.changed event; beyond it, "everything". */
export const MAX_EVENT_IDS = 1_000;

/**
 * During a bootstrap, an inbox's changes are announced at most this often. Each slice of
 * a snapshot commits every few milliseconds, and each announcement makes the interface
 * read its lists and counts again on the thread that applies the snapshot; twice a second
 * keeps the lists moving (the progress bar has its own, faster `sync.status`).
 */
export const BOOTSTRAP_ANNOUNCE_EVERY_MS = 500;

/** One announcement: what changed in one inbox (null: not about one inbox). */
export type Announce = (kinds: EntityKind[], inboxId: string | null, messageIds?: string[]) => void;

interface Held {
  kinds: Set<EntityKind>;
  /** null: too many to name, every message may have changed. */
  messageIds: Set<string> | null;
}

/**
 * Gathers the changes a bootstrap commits slice by slice and announces them at most once
 * every `everyMs` for the account: the first at once, the rest with the next turn of the
 * timer. Anything else (`now`) is announced at once, with what its inbox had waiting, so
 * a live change is never delayed by a bootstrap running beside it.
 */
export class ChangeAnnouncer {
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly announce: Announce,
    private readonly everyMs = BOOTSTRAP_ANNOUNCE_EVERY_MS,
  ) {}

  /** A bootstrap's slice: announced now if nothing was in the last `everyMs`, otherwise at the end of it. */
  later(inboxId: string, kinds: Iterable<EntityKind>, messageIds: Iterable<string>): void {
    this.hold(inboxId, kinds, messageIds);
    if (!this.timer) this.sendHeld();
  }

  /** Announced at once, together with whatever of its inbox was waiting. */
  now(inboxId: string, kinds: Iterable<EntityKind>, messageIds: Iterable<string>): void {
    this.hold(inboxId, kinds, messageIds);
    this.send(inboxId);
  }

  /** Everything waiting goes out now (the session stops). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const inboxId of [...this.held.keys()]) this.send(inboxId);
  }

  private hold(inboxId: string, kinds: Iterable<EntityKind>, messageIds: Iterable<string>): void {
    const held = this.held.get(inboxId) ?? { kinds: new Set(), messageIds: new Set() };
    this.held.set(inboxId, held);
    for (const kind of kinds) held.kinds.add(kind);
    if (held.messageIds) for (const id of messageIds) held.messageIds.add(id);
    if (held.messageIds && held.messageIds.size > MAX_EVENT_IDS) held.messageIds = null;
  }

  /** Sends what waits, then nothing more before `everyMs` has passed. */
  private sendHeld(): void {
    for (const inboxId of [...this.held.keys()]) this.send(inboxId);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.held.size > 0) this.sendHeld();
    }, this.everyMs);
    this.timer.unref?.();
  }

  private send(inboxId: string): void {
    const held = this.held.get(inboxId);
    if (!held) return;
    this.held.delete(inboxId);
    this.announce([...held.kinds], inboxId, held.messageIds ? [...held.messageIds] : undefined);
  }
}
