import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type ChangesPage, MAX_CHANGES_PAGE } from '../../../shared/protocol';
import { guardStorage } from '../errors';
import type { AccountStore } from '../store/account-store';
import { type AppliedChanges, applyPage, isConstraintError, readCursor } from '../store/apply';
import { indexNextChunk, isFtsLive } from '../store/fts';
import { stmt } from '../store/statements';
import type { PlatformClient } from './http';
import { PageRejected, parseChangesPage } from './page-parser';

export interface PullerOptions {
  store: AccountStore;
  client: PlatformClient;
  inboxId: string;
  now: () => number;
  /** Every applied page, after its transaction committed. */
  onApplied(changes: AppliedChanges, bootstrapping: boolean): void;
  /** True while any inbox of the account is still bootstrapping (the FTS index waits for all). */
  anyBootstrapping(): boolean;
  bootstrapPageSize?: number;
  incrementalPageSize?: number;
  /** Entries applied per transaction (a page may be bigger). */
  applySliceSize?: number;
}

/**
 * Every reply, note and triage entry must be about a message we have or that comes
 * earlier in the same page; checked before any slice is applied, so such a page is
 * rejected whole.
 */
function checkReferences(store: AccountStore, page: ChangesPage): void {
  const seen = new Set<string>();
  const known = stmt(store.db, 'SELECT 1 FROM messages WHERE id = ?').pluck();
  for (const change of page.changes) {
    if (change.kind === 'message') seen.add(change.data.id);
    else if (change.kind === 'reply' || change.kind === 'note' || change.kind === 'triage') {
      const id = change.data.messageId;
      if (!seen.has(id) && known.get(id) === undefined) {
        throw new PageRejected(`its ${change.kind} entry ${change.seq} is about a message it never sent`);
      }
      seen.add(id);
    }
  }
}

/** Feed entries applied per transaction: small enough to keep each one short. */
const APPLY_SLICE = 250;

/**
 * Pulls one inbox's change feed: from 0 in large pages on a new device (bootstrap),
 * then after the stored cursor. Each page is validated whole and applied with its cursor
 * in one transaction; between pages it yields to the event loop so the UI stays
 * responsive. Requests while a pull runs are coalesced into one more pull.
 */
export class InboxPuller {
  private running: Promise<void> | null = null;
  private again = false;
  private knownHead = 0;
  private stopped = false;

  constructor(private readonly options: PullerOptions) {}

  get bootstrapping(): boolean {
    return !readCursor(this.options.store.db, this.options.inboxId).bootstrapped;
  }

  progress(): { done: number; total: number } {
    const cursor = readCursor(this.options.store.db, this.options.inboxId);
    return { done: cursor.cursor, total: Math.max(cursor.headSeq, this.knownHead, cursor.cursor) };
  }

  /** No more pages after the one in flight; resolves when it has finished. */
  async idle(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  /** Pull until caught up. Resolves when done; rejects with the first failure. */
  pull(headHint = 0): Promise<void> {
    this.knownHead = Math.max(this.knownHead, headHint);
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pullUntilCaughtUp();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pullUntilCaughtUp(): Promise<void> {
    const { store, client, inboxId } = this.options;
    const fetchPage = (after: number, limit: number) =>
      client.raw('changes', { params: { inboxId }, query: { after, limit } });
    // While one page is validated and applied, the next is already on its way.
    let prefetched: { after: number; limit: number; raw: Promise<unknown> } | null = null;
    for (;;) {
      if (this.stopped) return;
      const cursor = guardStorage(() => readCursor(store.db, inboxId));
      const bootstrapping = !cursor.bootstrapped;
      const limit = Math.min(
        MAX_CHANGES_PAGE,
        bootstrapping ? (this.options.bootstrapPageSize ?? 1_000) : (this.options.incrementalPageSize ?? 500),
      );
      const ahead: { after: number; limit: number; raw: Promise<unknown> } | null = prefetched;
      prefetched = null;
      const raw = await (ahead && ahead.after === cursor.cursor && ahead.limit === limit
        ? ahead.raw
        : fetchPage(cursor.cursor, limit));
      // Yield between the steps of a page (JSON read, validation, apply, index) so that no
      // single step holds the event loop for long: the UI's calls get answered in between.
      await yieldToEventLoop();
      if (this.stopped) return;
      const page = parseChangesPage(raw, { inboxId, after: cursor.cursor, limit });
      if (page.hasMore) {
        const next = fetchPage(page.nextAfter, limit);
        next.catch(() => undefined); // a failure surfaces when it is awaited; unawaited (stopped), it is moot
        prefetched = { after: page.nextAfter, limit, raw: next };
      }
      await yieldToEventLoop();
      if (this.stopped) return;
      this.knownHead = Math.max(this.knownHead, page.headSeq);
      guardStorage(() => checkReferences(store, page));
      // Defer the FTS index only for a real bootstrap, not for a tiny new inbox.
      const deferIndex = bootstrapping && page.headSeq - cursor.cursor > limit;
      // A big page is applied in slices, each in one transaction with the cursor at its
      // last entry: the cursor is never ahead of the data, and no transaction holds the
      // event loop for long.
      let after = cursor.cursor;
      const sliceSize = this.options.applySliceSize ?? APPLY_SLICE;
      for (let start = 0; start === 0 || start < page.changes.length; start += sliceSize) {
        const changes = page.changes.slice(start, start + sliceSize);
        const last = start + sliceSize >= page.changes.length;
        const slice: ChangesPage = last
          ? { ...page, changes }
          : { ...page, changes, nextAfter: changes[changes.length - 1]?.seq ?? after, hasMore: true };
        let applied: AppliedChanges | null;
        try {
          applied = guardStorage(() => applyPage(store.db, slice, after, this.options.now(), deferIndex));
        } catch (error) {
          if (isConstraintError(error))
            throw new PageRejected(`its entries contradict each other: ${(error as Error).message}`);
          throw error;
        }
        store.touch();
        if (!applied) break; // another pull moved the cursor first: start again from it
        after = slice.nextAfter;
        this.options.onApplied(applied, slice.hasMore);
        await yieldToEventLoop();
        if (this.stopped) return;
      }
      this.indexSomeText();
      if (!page.hasMore) break;
      await yieldToEventLoop();
    }
    while (!this.stopped && !isFtsLive(store.db) && !this.options.anyBootstrapping()) {
      const caughtUp = guardStorage(() => indexNextChunk(store.db, true));
      if (caughtUp) break;
      await yieldToEventLoop();
    }
  }

  private indexSomeText(): void {
    const { store } = this.options;
    if (isFtsLive(store.db)) return;
    guardStorage(() => indexNextChunk(store.db, false));
  }
}
