import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { LIST_PAGE } from '../../../shared/contract';
import {
  type ChangeKind,
  MAX_SNAPSHOT_CHUNK,
  type SnapshotBegin,
  type SnapshotMark,
  SnapshotMarkSchema,
} from '../../../shared/protocol';
import { guardStorage } from '../errors';
import type { AccountStore } from '../store/account-store';
import { type AppliedChanges, isConstraintError } from '../store/apply';
import type { SetAsideEntry } from '../store/set-aside';
import {
  applySnapshotChunk,
  forgetSnapshot,
  readSnapshotState,
  type SnapshotChunkToApply,
  type SnapshotSlice,
} from '../store/snapshot';
import { type PlatformClient, PlatformError } from './http';
import { FEED_KINDS, type PageItem, PageRejected, readEntry } from './page-parser';
import { checkReferences } from './references';

export interface SnapshotBootstrapOptions {
  store: AccountStore;
  client: PlatformClient;
  inboxId: string;
  now: () => number;
  /** Entries per chunk asked of the platform (each chunk is one local transaction). */
  chunkSize: number;
  stopped(): boolean;
  /**
   * After each slice's transaction committed. `showNow`: the slice ends the chunk that
   * completes the first page of pending messages (they come first), which the interface
   * should list at once; the others of a bootstrap may be announced together.
   */
  onApplied(changes: AppliedChanges, showNow: boolean): void;
  /** Work that follows each chunk (search index, earnings), between turns of the event loop. */
  afterChunk(): Promise<void>;
  /**
   * Work to finish before the chunk that completes the inbox is applied, while the inbox
   * still counts as syncing: what `afterChunk` let wait (earnings not folded yet).
   */
  beforeLastChunk?(): Promise<void>;
  /** This build's version, recorded with what it sets aside. */
  appVersion: string;
  knownKinds?: readonly ChangeKind[] | undefined;
  /** How long one step may hold the thread (default DEFAULT_SLICE_MS). */
  sliceMs?: number | undefined;
  /**
   * Waits for this inbox's turn to stream the bulk of its snapshot, resolving with the
   * function that ends the turn (turns.ts): the account's inboxes take a few turns at a
   * time. The small first chunk never waits, so every inbox lists its first page early.
   */
  turn?: (() => Promise<() => void>) | undefined;
  /**
   * True when the bulk may have to wait for its turn (more of the account's inboxes are
   * bootstrapping than there are turns): the small first chunk then brings the platform's
   * count of the inbox, so its progress has a total while it waits. Alone, the count is left
   * to the resumed stream, as it would hold back the first page of a big inbox.
   */
  mayWaitForTurn?: (() => boolean) | undefined;
}

/**
 * One line of the stream: a mark (which must be well-formed: nothing can be placed
 * without it), or an entry, read on its own as the feed's entries are: one this build
 * cannot read or apply is set aside, never allowed to stop the rest.
 */
function readLine(
  line: string,
  inboxId: string,
  at: number | null,
  knownKinds: readonly ChangeKind[],
): SnapshotMark | PageItem {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { setAside: { seq: null, raw: line, reason: 'it is not JSON' } };
  }
  if (value !== null && typeof value === 'object' && 'snapshot' in value) {
    const mark = SnapshotMarkSchema.safeParse(value);
    if (!mark.success) throw new PageRejected('a snapshot mark does not match the protocol');
    return mark.data;
  }
  if (at === null) throw new PageRejected('the snapshot sent an entry before its beginning');
  const read = readEntry(value, inboxId, knownKinds);
  if ('problem' in read) {
    const seq = (value as { seq?: unknown } | null)?.seq;
    return { setAside: { seq: Number.isSafeInteger(seq) ? (seq as number) : null, raw: line, reason: read.problem } };
  }
  if (read.change.seq > at) {
    return { setAside: { seq: read.change.seq, raw: line, reason: `it is past the snapshot's point ${at}` } };
  }
  return read;
}

/**
 * How long one synchronous step of the bootstrap may hold the thread (reading lines, one
 * transaction of a chunk) before it yields, by default: well under a frame, so key presses
 * are answered while a big inbox arrives on the thread that serves them. A core on its
 * worker thread takes longer slices (`sliceMs`, worker/entry.ts).
 */
export const DEFAULT_SLICE_MS = 8;

/**
 * One complete chunk, applied in transactions of at most `sliceMs` each with a turn of the
 * event loop between them; only the last records the chunk (store/snapshot.ts). If an
 * entry contradicts our data (a constraint fails), that slice is applied again entry by
 * entry and the entry set aside. False if another run moved this inbox on.
 */
async function applyChunk(
  options: SnapshotBootstrapOptions,
  chunk: SnapshotChunkToApply,
  expected: { at: number | null; resume: string | null },
  aside: SetAsideEntry[],
  completesFirstPage: boolean,
): Promise<boolean> {
  const { store } = options;
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  let from = 0;
  for (;;) {
    const started = performance.now();
    const slice = { from, timeUp: () => performance.now() - started > sliceMs };
    const apply = (oneByOne: boolean) =>
      guardStorage(() =>
        applySnapshotChunk(
          store.db,
          chunk,
          expected,
          options.now(),
          {
            entries: aside,
            appVersion: options.appVersion,
            oneByOne,
          },
          slice,
        ),
      );
    let applied: SnapshotSlice | null;
    try {
      applied = apply(false);
    } catch (error) {
      if (!isConstraintError(error)) throw error;
      applied = apply(true);
    }
    store.touch();
    if (!applied) return false;
    const complete = applied.next >= chunk.entries.length;
    options.onApplied(applied.applied, complete && completesFirstPage);
    await yieldToEventLoop();
    if (complete) return true;
    if (options.stopped()) return false;
    from = applied.next;
  }
}

/**
 * Entries in the first chunk of a fresh snapshot: a list page, with room for the settings
 * and members that come before the pending messages. The platform sends
 * pending messages first, but a full chunk (thousands of entries) must be read, checked
 * and applied before any of it is shown; this small one makes the first page of pending
 * messages readable after a few milliseconds of work, and the rest of the stream is then
 * resumed from it in full chunks (one more request, on the same snapshot point).
 */
export const FIRST_SNAPSHOT_CHUNK = 2 * LIST_PAGE;

/**
 * Whether this chunk brings the inbox's first page of pending messages (LIST_PAGE, or all
 * of them if fewer), which is shown at once. A chunk without an estimate is the small first
 * one (estimate=omit): pending messages come first and the platform ends a chunk with the
 * last of them, so that chunk is the first page whatever it holds.
 */
function completesFirstPageOf(
  store: AccountStore,
  inboxId: string,
  chunk: { entries: readonly { kind: string }[] },
  estimate: { pending: number },
): boolean {
  const firstPage = Math.min(LIST_PAGE, estimate.pending);
  const storedBefore = guardStorage(() => readSnapshotState(store.db, inboxId).done);
  const messages = chunk.entries.reduce((n, entry) => (entry.kind === 'message' ? n + 1 : n), 0);
  return storedBefore < firstPage && storedBefore + messages >= firstPage;
}

/**
 * Bootstraps one inbox from the platform's snapshot (shared/protocol/snapshot.ts): each
 * complete chunk is applied in one transaction with its resume token (entries this build
 * cannot apply set aside, as on the feed); the last one also
 * sets the cursor to the snapshot's point. A broken stream is resumed from the last
 * complete chunk; a resume the platform no longer accepts starts over cleanly (what was
 * applied stays: every entry is newer-wins). Returns false if stopped before the end.
 */
export async function bootstrapFromSnapshot(options: SnapshotBootstrapOptions): Promise<boolean> {
  const readState = () => guardStorage(() => readSnapshotState(options.store.db, options.inboxId));
  let state = readState();
  // The log grows fast during a snapshot: copying it back happens on another thread.
  const release = options.store.checkpoints.hold();
  try {
    const first = Math.min(FIRST_SNAPSHOT_CHUNK, options.chunkSize);
    if ((state.resume === null || state.at === null) && first < options.chunkSize) {
      // Outside the turns: every inbox's first page of pending messages comes at once.
      const fresh = await streamSnapshot(options, null, first, true);
      if (fresh !== 'paused') return fresh;
      state = readState();
      if (state.resume === null || state.at === null) throw new Error('a paused snapshot left no resume token');
    }
    const endTurn = options.turn ? await options.turn() : () => {};
    try {
      if (options.stopped()) return false;
      if (state.resume === null || state.at === null) return (await streamSnapshot(options, null)) === true;
      try {
        return (await streamSnapshot(options, { at: state.at, resume: state.resume })) === true;
      } catch (error) {
        const refusedResume = error instanceof PlatformError && error.kind === 'final' && error.status === 400;
        if (!refusedResume) throw error;
        return (await streamSnapshot(options, null)) === true;
      }
    } finally {
      endTurn();
    }
  } finally {
    release();
  }
}

/**
 * Streams the snapshot from `from` (null: a fresh start) in chunks of `limit`. True when
 * it reached the end, false when stopped, 'paused' when `oneChunk` asked it to stop after
 * its first chunk (which left a resume token) so the rest comes in larger ones.
 */
async function streamSnapshot(
  options: SnapshotBootstrapOptions,
  from: { at: number; resume: string } | null,
  limit = options.chunkSize,
  oneChunk = false,
): Promise<boolean | 'paused'> {
  const { store, client, inboxId } = options;
  // A fresh start forgets what an earlier, abandoned snapshot recorded (its rows stay: newer wins).
  if (!from) guardStorage(() => forgetSnapshot(store.db, inboxId));
  let expected: { at: number | null; resume: string | null } = from ?? { at: null, resume: null };
  const query: Record<string, string | number> = { limit };
  if (from) query.resume = from.resume;
  // The small first chunk is for the first page: the platform's count of the inbox would hold
  // it back (hundreds of ms at 1M messages); the resumed stream's begin line brings it,
  // unless that stream may wait behind other inboxes' (a total to show meanwhile).
  if (oneChunk && !options.mayWaitForTurn?.()) query.estimate = 'omit';
  let begin: SnapshotBegin | null = null;
  let entries: PageItem[] = [];
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  let since = performance.now();
  let checkpointed: Promise<void> = Promise.resolve();
  for await (const lines of client.lines('snapshot', { params: { inboxId }, query })) {
    for (const line of lines) {
      if (options.stopped()) return false;
      // A network read can bring thousands of lines: reading them is shared out like applying.
      if (performance.now() - since > sliceMs) {
        await yieldToEventLoop();
        since = performance.now();
      }
      const value = readLine(line, inboxId, begin?.at ?? null, options.knownKinds ?? FEED_KINDS);
      if (!('snapshot' in value)) {
        entries.push(value);
        if (entries.length > MAX_SNAPSHOT_CHUNK) throw new PageRejected('a snapshot chunk is longer than allowed');
        continue;
      }
      if (value.snapshot === 'begin') {
        if (begin) throw new PageRejected('the snapshot began twice');
        if (value.inboxId !== inboxId) throw new PageRejected('the snapshot is of another inbox');
        if (from && value.at !== from.at) throw new PageRejected('the resumed snapshot is at another point');
        begin = value;
        continue;
      }
      if (!begin) throw new PageRejected('the snapshot sent a chunk before its beginning');
      if (value.entries !== entries.length) {
        throw new PageRejected(`a snapshot chunk says ${value.entries} entries but brought ${entries.length}`);
      }
      if (value.snapshot === 'end' && value.at !== begin.at)
        throw new PageRejected('the snapshot ended at another point');
      const resume = value.snapshot === 'end' ? null : value.resume;
      const items = guardStorage(() => checkReferences(store, entries));
      const chunk = {
        inboxId,
        at: begin.at,
        entries: items.flatMap((item) => ('change' in item ? [item.change] : [])),
        resume,
        estimate: begin.estimate?.messages ?? null,
      };
      const aside = items.flatMap((item) => ('setAside' in item ? [item.setAside] : []));
      entries = [];
      // The log copy asked for after the last chunk ran while this one was read and checked.
      await checkpointed;
      const completesFirstPage = begin.estimate ? completesFirstPageOf(store, inboxId, chunk, begin.estimate) : true;
      if (resume === null) await options.beforeLastChunk?.();
      const complete = await applyChunk(options, chunk, expected, aside, completesFirstPage);
      if (!complete) return false; // another run moved this inbox on; the caller starts again from what is stored
      expected = { at: begin.at, resume };
      await options.afterChunk();
      // The small first chunk wrote little to the log: no copy before the rest is asked for.
      if (oneChunk && resume !== null && !options.stopped()) return 'paused';
      // Copied on the worker while the next chunk is read; awaited before its first write,
      // so that write finds the log copied and starts it over.
      checkpointed = store.checkpoints.catchUp();
      since = performance.now();
      if (resume === null) return true;
      if (options.stopped()) return false;
    }
  }
  throw new PlatformError('network', 'The snapshot stream ended before its end');
}
