import { z } from 'zod';
import { Id } from './common';
import { ChangeSchema } from './feed';

/**
 * The snapshot of one inbox: its current state at one feed position `at`, streamed as
 * NDJSON (one JSON value per line) instead of replaying the whole change history.
 *
 *   {"snapshot":"begin", "inboxId", "at", "estimate": { "messages", "pending" }}  ← no estimate with estimate=omit
 *   {"seq", "at", "kind", "data"}            ← an entry, exactly as on the change feed
 *   …
 *   {"snapshot":"chunk", "entries", "resume"} ← every `entries` lines before it are complete
 *   …
 *   {"snapshot":"end", "entries", "at"}      ← the last chunk, and the snapshot, complete
 *
 * Every entry is the entity's newest feed entry with `seq <= at`, so a snapshot equals a
 * replay of the feed up to `at`, and the client continues the feed from `at`. Pending
 * messages come first, soonest deadline first. A broken stream resumes from the last
 * complete chunk at the same `at` by sending that chunk's `resume` token; a stream that
 * ends without its `end` line is incomplete. Members get the kinds the feed shows them.
 */

export const SNAPSHOT_CONTENT_TYPE = 'application/x-ndjson';
export const MAX_SNAPSHOT_CHUNK = 5_000;
export const MAX_RESUME_TOKEN = 1_024;

export const SnapshotQuerySchema = z.object({
  /** The `resume` token of the last complete chunk; absent: a new snapshot at the current head. */
  resume: z.string().min(1).max(MAX_RESUME_TOKEN).optional(),
  /** Entries per chunk. */
  limit: z.coerce.number().int().positive().max(MAX_SNAPSHOT_CHUNK).default(2_000),
  /**
   * `omit`: the begin line comes without its `estimate`. The estimate is an exact count of
   * the inbox's messages, which holds the first byte back (about 20 ms per 100k messages on
   * PostgreSQL, several times that before new rows are vacuumed): a client that takes a
   * small first chunk to show the first pending page, then resumes, asks for it on the
   * resumed stream instead.
   */
  estimate: z.enum(['include', 'omit']).default('include'),
});

const position = z.number().int().nonnegative();

export const SnapshotBeginSchema = z.object({
  snapshot: z.literal('begin'),
  inboxId: Id,
  at: position,
  /**
   * Counted when the stream opened; drives progress, never trusted as a total. Absent only
   * when the request asked `estimate=omit`.
   */
  estimate: z.object({ messages: z.number().int().nonnegative(), pending: z.number().int().nonnegative() }).optional(),
});
export const SnapshotChunkSchema = z.object({
  snapshot: z.literal('chunk'),
  entries: z.number().int().nonnegative(),
  resume: z.string().min(1).max(MAX_RESUME_TOKEN),
});
/** Ends the last chunk too: its `entries` lines before it are complete, and so is the snapshot. */
export const SnapshotEndSchema = z.object({
  snapshot: z.literal('end'),
  entries: z.number().int().nonnegative(),
  at: position,
});
export const SnapshotMarkSchema = z.discriminatedUnion('snapshot', [
  SnapshotBeginSchema,
  SnapshotChunkSchema,
  SnapshotEndSchema,
]);
/** One line of the stream: a mark, or an entry of the change feed. */
export const SnapshotLineSchema = z.union([SnapshotMarkSchema, ChangeSchema]);
export type SnapshotBegin = z.infer<typeof SnapshotBeginSchema>;
export type SnapshotMark = z.infer<typeof SnapshotMarkSchema>;
export type SnapshotLine = z.infer<typeof SnapshotLineSchema>;
