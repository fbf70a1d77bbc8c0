import type Database from 'better-sqlite3';
import type { Change } from '../../../shared/protocol';
import { type AppliedChanges, applyOrSetAside, type SetAsideOptions } from './apply';
import { deferFtsIndexing } from './fts';
import { type SetAsideEntry, storeSetAside } from './set-aside';
import { stmt } from './statements';

/**
 * A snapshot bootstrap's progress, kept in sync_state beside the cursor. The cursor stays
 * at 0 (and `bootstrapped` at 0) until the snapshot's `end`: an inbox whose snapshot was
 * cut short is never taken for complete, and the next run resumes from `resume`.
 */
export interface SnapshotState {
  at: number | null;
  resume: string | null;
  done: number;
  total: number;
}

export function readSnapshotState(db: Database.Database, inboxId: string): SnapshotState {
  const row = stmt(
    db,
    'SELECT snapshot_at, snapshot_resume, snapshot_done, snapshot_total FROM sync_state WHERE inbox_id = ?',
  ).get(inboxId) as
    | { snapshot_at: number | null; snapshot_resume: string | null; snapshot_done: number; snapshot_total: number }
    | undefined;
  return {
    at: row?.snapshot_at ?? null,
    resume: row?.snapshot_resume ?? null,
    done: row?.snapshot_done ?? 0,
    total: row?.snapshot_total ?? 0,
  };
}

export interface SnapshotChunkToApply {
  inboxId: string;
  /** The snapshot's feed position. */
  at: number;
  entries: Change[];
  /** The chunk mark's token, or null for the last chunk (the `end` line). */
  resume: string | null;
  /** What the stream's begin line estimated, for progress; null when it had no estimate (estimate=omit). */
  estimate: number | null;
}

/** How far one call of `applySnapshotChunk` got through its chunk. */
export interface SnapshotSlice {
  applied: AppliedChanges;
  /** Index of the first entry not yet applied; the chunk's length once it is complete. */
  next: number;
}

/** Entries applied between two looks at the clock (a look costs more than an entry). */
const CLOCK_EVERY = 32;

/**
 * Applies a complete chunk from entry `from` on, in one transaction, until `timeUp()`
 * says so: a big chunk is applied in several short transactions, so no single one holds
 * the thread for long. Only the transaction that reaches the chunk's end records it (its
 * set-aside entries, its resume token, its progress); a crash before that leaves the
 * token where it was and the resumed stream brings the chunk again, which changes nothing
 * already applied (every entity keeps its highest seq). The last chunk's end also moves
 * the cursor to the snapshot's point and marks the inbox bootstrapped. `expected` is the
 * state this chunk follows; if another run moved it meanwhile, nothing is written (null).
 * Entries this build cannot apply are set aside, by the feed's rule (apply.ts).
 */
export function applySnapshotChunk(
  db: Database.Database,
  chunk: SnapshotChunkToApply,
  expected: { at: number | null; resume: string | null },
  now: number,
  setAside: SetAsideOptions = { entries: [], appVersion: '' },
  slice: { from: number; timeUp: () => boolean } = { from: 0, timeUp: () => false },
): SnapshotSlice | null {
  return db.transaction(() => {
    const current = readSnapshotState(db, chunk.inboxId);
    const cursor = stmt(db, 'SELECT cursor, bootstrapped FROM sync_state WHERE inbox_id = ?').get(chunk.inboxId) as
      | { cursor: number; bootstrapped: number }
      | undefined;
    if ((cursor?.cursor ?? 0) !== 0 || cursor?.bootstrapped === 1) return null;
    if (current.at !== expected.at || current.resume !== expected.resume) return null;
    deferFtsIndexing(db);
    const out: AppliedChanges = {
      inboxId: chunk.inboxId,
      kinds: new Set(),
      messageIds: new Set(),
      cursor: 0,
      headSeq: chunk.at,
      setAside: 0,
    };
    const aside: SetAsideEntry[] = [];
    let next = slice.from;
    for (; next < chunk.entries.length; next++) {
      if (next > slice.from && (next - slice.from) % CLOCK_EVERY === 0 && slice.timeUp()) break;
      applyOrSetAside(db, chunk.inboxId, chunk.entries[next] as Change, out, setAside.oneByOne, aside);
    }
    // What contradicted our data is kept with the slice that met it (kept once if met again).
    out.setAside = storeSetAside(db, chunk.inboxId, aside, setAside.appVersion, now);
    if (next < chunk.entries.length) {
      if (out.setAside > 0) out.kinds.add('notices');
      return { applied: out, next };
    }
    out.setAside += storeSetAside(db, chunk.inboxId, setAside.entries, setAside.appVersion, now);
    if (out.setAside > 0) out.kinds.add('notices');
    let messages = 0;
    for (const entry of chunk.entries) if (entry.kind === 'message') messages++;
    // A restarted snapshot (new point) counts again from what it brings.
    const sameRun = current.at === chunk.at;
    const done = (sameRun ? current.done : 0) + messages;
    // No estimate yet: the total stays unknown (0, which the progress bar does not show)
    // rather than claiming the inbox is as big as what arrived so far.
    const total = chunk.estimate === null ? (sameRun ? current.total : 0) : Math.max(chunk.estimate, done);
    if (chunk.resume === null) {
      stmt(
        db,
        `INSERT INTO sync_state (inbox_id, cursor, head_seq, bootstrapped, last_sync_at) VALUES (?, ?, ?, 1, ?)
         ON CONFLICT (inbox_id) DO UPDATE SET cursor = excluded.cursor, head_seq = max(sync_state.head_seq, excluded.head_seq),
           bootstrapped = 1, last_sync_at = excluded.last_sync_at, snapshot_at = NULL, snapshot_resume = NULL,
           snapshot_done = 0, snapshot_total = 0`,
      ).run(chunk.inboxId, chunk.at, chunk.at, now);
      out.cursor = chunk.at;
    } else {
      stmt(
        db,
        `INSERT INTO sync_state (inbox_id, cursor, head_seq, bootstrapped, snapshot_at, snapshot_resume, snapshot_done,
           snapshot_total) VALUES (?, 0, ?, 0, ?, ?, ?, ?)
         ON CONFLICT (inbox_id) DO UPDATE SET head_seq = max(sync_state.head_seq, excluded.head_seq),
           snapshot_at = excluded.snapshot_at, snapshot_resume = excluded.snapshot_resume,
           snapshot_done = excluded.snapshot_done, snapshot_total = excluded.snapshot_total`,
      ).run(chunk.inboxId, chunk.at, chunk.at, chunk.resume, done, total);
    }
    return { applied: out, next };
  })();
}

/** Drops an unfinished snapshot's bookkeeping (not its rows) so a new one starts from its beginning. */
export function forgetSnapshot(db: Database.Database, inboxId: string): void {
  stmt(
    db,
    `UPDATE sync_state SET snapshot_at = NULL, snapshot_resume = NULL, snapshot_done = 0, snapshot_total = 0
     WHERE inbox_id = ? AND cursor = 0 AND bootstrapped = 0`,
  ).run(inboxId);
}
