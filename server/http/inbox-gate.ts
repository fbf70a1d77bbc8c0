/**
 * Writers of one inbox queue on its row lock in PostgreSQL, and each one waiting there holds
 * a pool connection. A celebrity's inbox taking a spike would so hold every connection of
 * the process, and every other inbox would wait for one. The gate keeps that queue in this
 * process instead: at most `width` requests per inbox hold a connection at once, the rest
 * wait here in arrival order. A width of two keeps the next writer already waiting on the
 * lock when the current one commits, so one inbox's throughput does not drop.
 */
export interface InboxGate {
  /** Runs `work` once fewer than `width` earlier calls with the same key are still running. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /**
   * Takes a place under `key` only if one is free now, without waiting: returns the
   * function that gives it back, or null. For work that learns its key only once it runs.
   */
  tryEnter(key: string): (() => void) | null;
  /** Whether some key has no free place now: a write whose key is not known yet may well meet a full lane. */
  crowded(): boolean;
  /** How many calls hold or wait for a key now (for tests and diagnostics). */
  queued(key: string): number;
}

interface Lane {
  running: number;
  readonly waiting: Array<() => void>;
}

export function createInboxGate(width: number): InboxGate {
  if (!Number.isInteger(width) || width < 1) throw new Error(`Gate width must be a positive integer, got ${width}`);
  const lanes = new Map<string, Lane>();
  const laneOf = (key: string): Lane => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      lanes.set(key, lane);
    }
    return lane;
  };
  const enter = (key: string): Promise<void> | undefined => {
    const lane = laneOf(key);
    if (lane.running < width) {
      lane.running++;
      return undefined;
    }
    const queuedLane = lane;
    // The slot is handed over by `leave`, so `running` already counts this call when it resumes.
    return new Promise<void>((resolve) => queuedLane.waiting.push(resolve));
  };
  const leave = (key: string) => {
    const lane = lanes.get(key);
    if (!lane) return;
    const next = lane.waiting.shift();
    if (next) next();
    else if (--lane.running === 0) lanes.delete(key);
  };
  return {
    async run(key, work) {
      const turn = enter(key);
      if (turn) await turn;
      try {
        return await work();
      } finally {
        leave(key);
      }
    },
    tryEnter(key) {
      const lane = laneOf(key);
      // Those already waiting keep their turn: a free place goes to them first.
      if (lane.running >= width || lane.waiting.length > 0) return null;
      lane.running++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        leave(key);
      };
    },
    crowded() {
      for (const lane of lanes.values()) if (lane.running >= width) return true;
      return false;
    },
    queued(key) {
      const lane = lanes.get(key);
      return lane ? lane.running + lane.waiting.length : 0;
    },
  };
}

/**
 * The inbox a message belongs to, remembered: it never changes, so a bounded cache gives
 * the gate its lane for the accepts, refunds and replies that follow a message's arrival.
 * Filled where this process already knows (it stored the message, or read the message's
 * inbox in a request's first round trip).
 */
export interface MessageInboxes {
  known(messageId: string): string | undefined;
  remember(messageId: string, inboxId: string): void;
}

export function createMessageInboxes(capacity = 50_000): MessageInboxes {
  const known = new Map<string, string>();
  return {
    known: (messageId) => known.get(messageId),
    remember(messageId, inboxId) {
      if (known.has(messageId)) return;
      // Map keeps insertion order: the oldest entry goes first once the cache is full.
      if (known.size >= capacity) known.delete(known.keys().next().value as string);
      known.set(messageId, inboxId);
    },
  };
}
