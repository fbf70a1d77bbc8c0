import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type ChangeKind, type ChangesPage, MAX_CHANGES_PAGE } from '../../../shared/protocol';
import { refreshEarnings, unfoldedLedgerRows } from '../earnings/fold';
import { localTimeZone } from '../earnings/zone';
import { guardStorage } from '../errors';
import type { AccountStore } from '../store/account-store';
import { type AppliedChanges, applyOne, applyPage, isConstraintError, readCursor } from '../store/apply';
import { indexNextChunk, isFtsLive } from '../store/fts';
import { forgetSetAside, markSetAsideTried, setAsideToRetry } from '../store/set-aside';
import { readSnapshotState } from '../store/snapshot';
import { stmt } from '../store/statements';
import type { PlatformClient } from './http';
import { FEED_KINDS, type PageItem, parseChangesPage, readEntry, type SetAsideEntry } from './page-parser';
import { checkReferences, referenceProblem } from './references';
import { bootstrapFromSnapshot, DEFAULT_SLICE_MS } from './snapshot';
import { TimeLeft } from './time-left';

export interface PullerOptions {
  store: AccountStore;
  client: PlatformClient;
  inboxId: string;
  now: () => number;
  /**
   * Every applied page or slice, after its transaction committed. `bootstrapping`: more of
   * a bootstrap or a long catch-up follows. `mayWait`: a bootstrap's slice that completes
   * nothing the interface shows first, so it may be announced together with the next ones.
   */
  onApplied(changes: AppliedChanges, bootstrapping: boolean, mayWait: boolean): void;
  /** True while any inbox of the account is still bootstrapping (the FTS index waits for all). */
  anyBootstrapping(): boolean;
  bootstrapPageSize?: number;
  incrementalPageSize?: number;
  /** Entries applied per transaction (a page may be bigger). */
  applySliceSize?: number;
  /** This build's version: entries set aside by another version are tried again. */
  appVersion: string;
  /** The entry kinds this build applies (default: all it knows). */
  knownKinds?: readonly ChangeKind[] | undefined;
  /** Entries per snapshot chunk, each applied in one transaction. */
  snapshotChunkSize?: number | undefined;
  /** How long one step of a snapshot bootstrap may hold the thread (default: snapshot.ts). */
  bootstrapSliceMs?: number | undefined;
  /** Waits for a turn to stream the bulk of a snapshot (snapshot.ts `turn`); none: no waiting. */
  snapshotTurn?: (() => Promise<() => void>) | undefined;
  /** Whether that turn may have to be waited for (snapshot.ts `mayWaitForTurn`). */
  mayWaitForSnapshotTurn?: (() => boolean) | undefined;
  /** Bootstrap by replaying the feed instead of from the snapshot (the property test compares both). */
  bootstrapFromFeed?: boolean;
  /** The zone whose earnings rollups are folded as ledger entries arrive (default: this machine's). */
  earningsTimeZone?: string;
}

/** The highest seq among a slice's items, or `fallback` when none is readable. */
function lastSeqOf(items: PageItem[], fallback: number): number {
  let last = fallback;
  for (const item of items) {
    const seq = 'change' in item ? item.change.seq : item.setAside.seq;
    if (seq !== null && seq > last) last = seq;
  }
  return last;
}

/** Feed entries applied per transaction: small enough to keep each one short. */
const APPLY_SLICE = 250;
/** Snapshot entries per chunk (one transaction each): large, since a snapshot is mostly inserts. */
const SNAPSHOT_CHUNK = 2_000;
/** Pages of a bootstrap from the feed (a resumed cursor, or a platform without snapshots): a snapshot chunk's size. */
const BOOTSTRAP_PAGE = SNAPSHOT_CHUNK;
/**
 * Messages indexed, and ledger rows folded into the earnings rollups, per step while a
 * snapshot arrives: each step is one synchronous SQLite statement, sized to stay within
 * a few milliseconds so the thread keeps answering the interface between them.
 * Both scale with the bootstrap's slice (`bootstrapSliceMs`): on the core's worker a step
 * may take four times as long, and fewer, larger steps cost less. The search index is left
 * fewer segments to merge (a recorded 30k snapshot indexed in 400-row steps took 509/576 ms
 * of CPU, in 2,000-row steps 318/362 ms; load 7-9); the fold runs its statements fewer
 * times (500-row steps 891/816/615 ms, 2,000-row steps 735/756/585 ms; load 6.9-8.2).
 * Those A/Bs ran 2,000-row steps; the worker's scale gives 1,600 index rows and 2,000 fold
 * rows a step, and 1,600 index rows was not measured on its own. Since 2026-12-04 a fold
 * step that catches the facts up also folds the same rows' day totals in its transaction
 * (fold.ts foldStep): a chunk's fold is one commit, and that step takes about twice as long.
 * Since then the fold also waits for SNAPSHOT_FOLD_AFTER rows (below), and folds 2,500
 * rows a step at the default slice (10,000 on the worker).
 */
const SNAPSHOT_INDEX_ROWS = 400;
const SNAPSHOT_FOLD_ROWS = 2_500;
/**
 * Ledger rows a snapshot lets arrive before it folds them into the earnings figures. What
 * waits is folded before the chunk that completes the inbox, and that chunk's own rows
 * right after it (as every chunk's were before). The fold's upserts land
 * all over earnings_messages (keyed by message id), so every commit of a step rewrites much
 * of that tree however few rows it folded: folded after every chunk (~2,000 rows), a 100k
 * bootstrap on the worker spent about 1.9 s more of the client's CPU and took 15 % longer
 * (interleaved A/B, 3 pairs, 2026-12-04: median 12.9 s against 10.9 s with 20,000-row
 * steps; 12.5 s against 11.4 s with 5,000-row steps).
 */
const SNAPSHOT_FOLD_AFTER = 20_000;

/** `rows` per step at the default slice, scaled to a bootstrap whose slices may take `sliceMs`. */
function rowsPerStep(rows: number, sliceMs = DEFAULT_SLICE_MS): number {
  return Math.max(rows, Math.round((rows * sliceMs) / DEFAULT_SLICE_MS));
}

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
  /**
   * A snapshot bootstrap is running. Its progress is recorded only with a chunk's last
   * slice, so before the first chunk is recorded the stored state cannot say so.
   */
  private snapshotting = false;
  private readonly timeLeft = new TimeLeft();

  constructor(private readonly options: PullerOptions) {}

  get bootstrapping(): boolean {
    return !readCursor(this.options.store.db, this.options.inboxId).bootstrapped;
  }

  /** How far the bootstrap is, and the time it will take at this run's pace (null: no pace yet, or bootstrapped). */
  progress(): { done: number; total: number; remainingMs: number | null } {
    const cursor = readCursor(this.options.store.db, this.options.inboxId);
    const snapshot = readSnapshotState(this.options.store.db, this.options.inboxId);
    // During a snapshot, progress is messages: the feed position means nothing until the end
    // (before the first chunk is recorded: 0 of 0, which shows no bar, not 0 of the feed's head).
    const { done, total } =
      !cursor.bootstrapped && (snapshot.at !== null || this.snapshotting)
        ? { done: snapshot.done, total: snapshot.total }
        : { done: cursor.cursor, total: Math.max(cursor.headSeq, this.knownHead, cursor.cursor) };
    if (cursor.bootstrapped) {
      this.timeLeft.reset();
      return { done, total, remainingMs: null };
    }
    return { done, total, remainingMs: this.timeLeft.estimate(this.options.now(), done, total) };
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
    const start = guardStorage(() => readCursor(store.db, inboxId));
    if (!start.bootstrapped && start.cursor === 0 && !this.options.bootstrapFromFeed) {
      this.snapshotting = true;
      const complete = await bootstrapFromSnapshot({
        store,
        client,
        inboxId,
        now: this.options.now,
        chunkSize: this.options.snapshotChunkSize ?? SNAPSHOT_CHUNK,
        sliceMs: this.options.bootstrapSliceMs,
        stopped: () => this.stopped,
        onApplied: (applied, showNow) => {
          this.knownHead = Math.max(this.knownHead, applied.headSeq);
          // The last chunk sets the cursor: its changes, which end the bootstrap, go at once.
          const more = applied.cursor === 0;
          this.options.onApplied(applied, more, more && !showNow);
        },
        afterChunk: () => this.afterSnapshotChunk(),
        beforeLastChunk: () => this.foldEarnings(),
        turn: this.options.snapshotTurn,
        mayWaitForTurn: this.options.mayWaitForSnapshotTurn,
        appVersion: this.options.appVersion,
        knownKinds: this.options.knownKinds,
      }).finally(() => {
        this.snapshotting = false;
      });
      if (!complete) return;
    }
    // While one page is validated and applied, the next is already on its way.
    let prefetched: { after: number; limit: number; raw: Promise<unknown> } | null = null;
    this.retrySetAside();
    for (;;) {
      if (this.stopped) return;
      const cursor = guardStorage(() => readCursor(store.db, inboxId));
      const bootstrapping = !cursor.bootstrapped;
      const limit = Math.min(
        MAX_CHANGES_PAGE,
        bootstrapping
          ? (this.options.bootstrapPageSize ?? BOOTSTRAP_PAGE)
          : (this.options.incrementalPageSize ?? MAX_CHANGES_PAGE),
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
      const { page, items: read } = parseChangesPage(
        raw,
        { inboxId, after: cursor.cursor, limit },
        this.options.knownKinds ?? FEED_KINDS,
      );
      if (page.hasMore) {
        const next = fetchPage(page.nextAfter, limit);
        next.catch(() => undefined); // a failure surfaces when it is awaited; unawaited (stopped), it is moot
        prefetched = { after: page.nextAfter, limit, raw: next };
      }
      await yieldToEventLoop();
      if (this.stopped) return;
      this.knownHead = Math.max(this.knownHead, page.headSeq);
      const items = guardStorage(() => checkReferences(store, read));
      // Defer the FTS index only for a real bootstrap, not for a tiny new inbox.
      const deferIndex = bootstrapping && page.headSeq - cursor.cursor > limit;
      // A big page is applied in slices, each in one transaction with the cursor at its
      // last entry: the cursor is never ahead of the data, and no transaction holds the
      // event loop for long.
      let after = cursor.cursor;
      const sliceSize = this.options.applySliceSize ?? APPLY_SLICE;
      for (let start = 0; start === 0 || start < items.length; start += sliceSize) {
        const sliceItems = items.slice(start, start + sliceSize);
        const last = start + sliceSize >= items.length;
        const changes = sliceItems.flatMap((item) => ('change' in item ? [item.change] : []));
        const entries = sliceItems.flatMap((item) => ('setAside' in item ? [item.setAside] : []));
        const slice: ChangesPage = last
          ? { ...page, changes }
          : { ...page, changes, nextAfter: lastSeqOf(sliceItems, after), hasMore: true };
        const applied = this.applySlice(slice, after, deferIndex, entries);
        store.touch();
        if (!applied) break; // another pull moved the cursor first: start again from it
        after = slice.nextAfter;
        this.options.onApplied(applied, slice.hasMore, bootstrapping && slice.hasMore);
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

  /**
   * One slice in one transaction. If an entry contradicts our data (a constraint fails),
   * the slice is applied again entry by entry and that entry alone is set aside.
   */
  private applySlice(
    slice: ChangesPage,
    after: number,
    deferIndex: boolean,
    entries: SetAsideEntry[],
  ): AppliedChanges | null {
    const { store, now, appVersion } = this.options;
    try {
      return guardStorage(() => applyPage(store.db, slice, after, now(), deferIndex, { entries, appVersion }));
    } catch (error) {
      if (!isConstraintError(error)) throw error;
      return guardStorage(() =>
        applyPage(store.db, slice, after, now(), deferIndex, { entries, appVersion, oneByOne: true }),
      );
    }
  }

  /**
   * Entries set aside by another version of the app are tried again by this one, oldest
   * first; each one it can now read is applied (every entity keeps its highest seq, so a
   * late entry never undoes a newer one), the others wait for the next version.
   */
  private retrySetAside(): void {
    const { store, inboxId, appVersion, now } = this.options;
    const rows = guardStorage(() => setAsideToRetry(store.db, inboxId, appVersion));
    if (rows.length === 0) return;
    const out: AppliedChanges = {
      inboxId,
      kinds: new Set(),
      messageIds: new Set(),
      cursor: readCursor(store.db, inboxId).cursor,
      headSeq: readCursor(store.db, inboxId).headSeq,
      setAside: 0,
    };
    const known = stmt(store.db, 'SELECT 1 FROM messages WHERE id = ?').pluck();
    const seen = new Set<string>();
    store.write(() => {
      for (const row of rows) {
        let raw: unknown = null;
        try {
          raw = JSON.parse(row.raw);
        } catch {
          // kept as unreadable below
        }
        const read = readEntry(raw, inboxId, this.options.knownKinds ?? FEED_KINDS);
        let problem =
          'problem' in read ? read.problem : referenceProblem(read.change, seen, (id) => known.get(id) !== undefined);
        if (!problem && 'change' in read) {
          try {
            store.db.transaction(() => applyOne(store.db, inboxId, read.change, out))();
          } catch (error) {
            if (!isConstraintError(error)) throw error;
            problem = 'it contradicts the data on this device';
          }
        }
        if (problem) markSetAsideTried(store.db, row.id, problem, appVersion, now());
        else forgetSetAside(store.db, row.id);
      }
    });
    out.kinds.add('notices');
    this.options.onApplied(out, false, false);
  }

  /**
   * After each snapshot chunk: index the new messages' text (set-based statements, so
   * the first pages are searchable while the rest arrives) and, once SNAPSHOT_FOLD_AFTER
   * ledger rows wait, fold them into the earnings rollups. What still waits is folded
   * before the last chunk and the last chunk's own rows after it, so nothing is left for
   * the first earnings visit.
   */
  private async afterSnapshotChunk(): Promise<void> {
    const { store } = this.options;
    // In steps with a turn of the event loop between: a chunk of pending messages is
    // thousands of bodies, too many to index in one go without a pause.
    const rows = rowsPerStep(SNAPSHOT_INDEX_ROWS, this.options.bootstrapSliceMs);
    while (!guardStorage(() => indexNextChunk(store.db, false, rows))) await yieldToEventLoop();
    await yieldToEventLoop();
    const complete = guardStorage(() => readCursor(store.db, this.options.inboxId).bootstrapped);
    if (!complete && guardStorage(() => unfoldedLedgerRows(store.db)) < SNAPSHOT_FOLD_AFTER) return;
    await this.foldEarnings();
  }

  /** Folds every ledger row not folded yet into the earnings figures, in the bootstrap's steps. */
  private foldEarnings(): Promise<void> {
    const foldRows = rowsPerStep(SNAPSHOT_FOLD_ROWS, this.options.bootstrapSliceMs);
    return refreshEarnings(this.options.store.db, this.options.earningsTimeZone ?? localTimeZone(), foldRows);
  }

  private indexSomeText(): void {
    const { store } = this.options;
    if (isFtsLive(store.db)) return;
    guardStorage(() => indexNextChunk(store.db, false));
  }
}
