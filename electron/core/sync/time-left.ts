/**
 * Time left of a bootstrap, from the pace seen so far in this run: (total − done) at the
 * rate measured since the first progress this run saw. Null until there is a pace to go
 * by (nothing measured yet, or too little time to say), never negative.
 */
export class TimeLeft {
  private start: { at: number; done: number } | null = null;

  /** Minimum measured span before any estimate: the first chunk's pace says little. */
  static readonly MIN_SPAN_MS = 500;

  estimate(now: number, done: number, total: number): number | null {
    if (!this.start || done < this.start.done) {
      // First sight, or a restarted snapshot counting from 0 again: measure afresh.
      this.start = { at: now, done };
      return null;
    }
    const span = now - this.start.at;
    const progressed = done - this.start.done;
    if (span < TimeLeft.MIN_SPAN_MS || progressed <= 0) return null;
    return Math.max(0, Math.round(((total - done) * span) / progressed));
  }

  reset(): void {
    this.start = null;
  }
}
