/**
 * Turns for work that runs better a few at a time than all at once: at most `limit`
 * holders, the rest wait in the order they asked. A manager's inboxes each stream a
 * snapshot; on a device with a couple of cores, twenty streams at once made the platform's
 * database read twenty inboxes side by side while the core applied each one a little at a
 * time, so every inbox finished near the end. A few at a time let each inbox finish in turn;
 * whether that finishes all of them sooner is measured in electron/core/README.md (Many inboxes).
 */
export class Turns {
  private held = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    // Infinity: no limit (every caller gets a turn at once).
    if (!(Number.isSafeInteger(limit) || limit === Number.POSITIVE_INFINITY) || limit < 1) {
      throw new RangeError(`Turns need a limit of at least 1, not ${limit}`);
    }
  }

  /** Resolves with the function that gives the turn back (calling it again does nothing). */
  async take(): Promise<() => void> {
    if (this.held < this.limit) this.held += 1;
    // A turn given back is handed straight to the next waiter: `held` stays as it was.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held -= 1;
    };
  }

  /** Turns held now (for tests and the status). */
  get active(): number {
    return this.held;
  }

  /** Callers waiting for a turn. */
  get queued(): number {
    return this.waiting.length;
  }
}
