import { z } from 'zod';
import type { ChangeKind, SnapshotBegin } from '../../shared/protocol';
import type { Sql } from '../db/database';
import { ApiError } from '../errors';
import type { Access } from './access';
import type { Actor, Tx } from './context';
import { entryJsonSql, hiddenKinds, memberAndHead, seesEarnings } from './feed';

/**
 * The snapshot of an inbox (shared/protocol/snapshot.ts): every entity's newest feed entry
 * with `seq <= at`. Entries are never changed once written and every entry up to the head
 * has committed (feed.ts), so each chunk is a short query of its own that reads the same
 * state as the first: no transaction is held open across the stream (PGlite has only one),
 * and a stream broken off resumes at the same point from any server process.
 *
 * The stream walks phases in order; within a phase, entities in key order (ledger and
 * audit, which are append-only, in feed order). A position is
 * (at, phase, last key), sent to the client as an opaque `resume` token.
 */
export const PHASES = [
  'settings',
  'member',
  // Pending messages before the fans: the first readable page must not wait behind a big
  // creator's fan list (messages carry the fan's name; nothing local refers to fans).
  'pending',
  'fan',
  'message',
  'triage',
  'reply',
  'note',
  'ledger',
  'audit',
  // Last, so a token of an earlier build (which had no drafts) still resumes where it was.
  'draft',
] as const;
export type Phase = (typeof PHASES)[number];

/** The feed kind each phase reads; pending and the rest of the messages are both `message`. */
const KIND_OF: Record<Phase, ChangeKind> = {
  settings: 'settings',
  member: 'member',
  fan: 'fan',
  pending: 'message',
  message: 'message',
  triage: 'triage',
  reply: 'reply',
  note: 'note',
  ledger: 'ledger',
  audit: 'audit',
  draft: 'draft',
};

/** 2: pending before fans. A token of another version is refused and the client starts over. */
const POSITION_VERSION = 2;

const PositionSchema = z.object({
  v: z.literal(POSITION_VERSION),
  inboxId: z.string(),
  at: z.number().int().nonnegative(),
  phase: z.enum(PHASES),
  /** The last key read in the phase: [deadline, id] for pending, [seq] for the append-only kinds, [entityId] otherwise; [] at the start. */
  key: z.union([
    z.tuple([]),
    z.tuple([z.string()]),
    z.tuple([z.number().int()]),
    z.tuple([z.number().int(), z.string()]),
  ]),
});
export type SnapshotPosition = z.infer<typeof PositionSchema>;

export function encodePosition(position: SnapshotPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodePosition(token: string, inboxId: string): SnapshotPosition {
  let value: unknown = null;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  const parsed = PositionSchema.safeParse(value);
  if (!parsed.success || parsed.data.inboxId !== inboxId) {
    throw new ApiError(
      'invalid_request',
      'This resume token is not one this inbox gave out; start the snapshot again',
      {
        field: 'resume',
      },
    );
  }
  return parsed.data;
}

export interface OpenedSnapshot {
  begin: SnapshotBegin;
  position: SnapshotPosition;
}

/**
 * Checks the caller may read the inbox and fixes the snapshot point: the current head for
 * a new snapshot, the token's point for a resumed one (never beyond the head). With
 * `estimate` the begin line carries the inbox's counts, an index scan of all its messages
 * (~20 ms per 100k on PostgreSQL, much more before the rows are vacuumed) run before the
 * first byte: a client that asked to have them later (protocol `estimate=omit`) gets its
 * first chunk without that wait.
 */
export async function openSnapshot(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  resume: string | undefined,
  estimate = true,
): Promise<OpenedSnapshot> {
  const { head } = await memberAndHead(tx, actor, inboxId);
  const position: SnapshotPosition = resume
    ? decodePosition(resume, inboxId)
    : { v: POSITION_VERSION, inboxId, at: head, phase: PHASES[0], key: [] };
  if (position.at > head) {
    throw new ApiError('invalid_request', 'This resume token is ahead of the feed; start the snapshot again', {
      field: 'resume',
    });
  }
  const begin: SnapshotBegin = { snapshot: 'begin', inboxId, at: position.at };
  if (!estimate) return { begin, position };
  const counts = await tx.sql.query<{ messages: number; pending: number }>(
    `SELECT count(*)::int AS messages, count(*) FILTER (WHERE status = 'pending')::int AS pending
     FROM messages WHERE inbox_id = $1`,
    [inboxId],
  );
  begin.estimate = { messages: counts[0]?.messages ?? 0, pending: counts[0]?.pending ?? 0 };
  return { begin, position };
}

/**
 * One phase's next rows, in key order, each with its feed entry's columns (`c`): `key`,
 * `deadline` (pending only) and `skip` (the key was read but the entity is not part of
 * this phase). `order` is the order the rows come in, which the aggregate keeps.
 */
interface PhaseQuery {
  rows: string;
  order: string;
  params: unknown[];
}

/** The newest entry per entity of one kind, after `key`, with `seq <= at`; `skipPending` leaves pending messages to their phase. */
function latestPerEntity(p: SnapshotPosition, kind: ChangeKind, limit: number, skipPending: boolean): PhaseQuery {
  // A join, not EXISTS: the aggregate reads `skip` twice, and a join works it out once.
  // LATERAL with a LIMIT, so it stays a subquery: one primary-key lookup per row read. As a
  // plain join, PostgreSQL hashed every pending message of the inbox for each chunk (20k
  // rows a chunk at 100k messages, a third of the snapshot's database time).
  const [skip, pending] = skipPending
    ? [
        'p.pending IS NOT NULL',
        `LEFT JOIN LATERAL (SELECT true AS pending FROM messages p WHERE p.id = c.entity_id AND p.status = 'pending' LIMIT 1) p ON true`,
      ]
    : ['false', ''];
  return {
    rows: `SELECT c.entity_id AS key, NULL::bigint AS deadline, ${skip} AS skip, c.seq, c.at, c.kind, c.data
           FROM (SELECT DISTINCT ON (entity_id) entity_id, seq, at, kind, data FROM changes
                 WHERE inbox_id = $1 AND kind = $2 AND entity_id > $3 AND seq <= $4
                 ORDER BY entity_id, seq DESC LIMIT $5) c ${pending}`,
    order: 'r.key',
    params: [p.inboxId, kind, typeof p.key[0] === 'string' ? p.key[0] : '', p.at, limit],
  };
}

/**
 * Ledger and audit entries are written once each and never replaced: they come in feed
 * order, so a message's hold comes before its settlement as on the feed (the earnings
 * fold relies on it). The partial index `changes_append_only` reads them in that order.
 */
function appendOnly(p: SnapshotPosition, kind: ChangeKind, limit: number): PhaseQuery {
  const after = typeof p.key[0] === 'number' ? p.key[0] : 0;
  return {
    rows: `SELECT c.seq AS key, NULL::bigint AS deadline, false AS skip, c.seq, c.at, c.kind, c.data
           FROM (SELECT seq, at, kind, data FROM changes WHERE inbox_id = $1 AND kind = '${kind}' AND seq > $2
                   AND seq <= $3 ORDER BY seq LIMIT $4) c`,
    order: 'r.seq',
    // The kind is written into the text (one of ours, never the caller's) so that the
    // planner matches it to the partial index whatever the driver does with parameters.
    params: [p.inboxId, after, p.at, limit],
  };
}

/** Kinds whose entries are never replaced, read in feed order. */
const APPEND_ONLY: ReadonlySet<Phase> = new Set(['ledger', 'audit']);

/**
 * Messages pending now, soonest deadline first, each as its newest entry up to `at`.
 * A message only ever leaves pending, so one pending now was pending at every chunk
 * before: none is missed, and one decided meanwhile comes again in the `message` phase
 * (the same entry twice, which applying keeps once).
 */
function pendingMessages(p: SnapshotPosition, limit: number): PhaseQuery {
  const [deadline, id] = p.key.length === 2 ? p.key : [-1, ''];
  return {
    rows: `SELECT m.id AS key, m.deadline, c.seq IS NULL AS skip, c.seq, c.at, c.kind, c.data
           FROM (SELECT id, deadline FROM messages
                 WHERE inbox_id = $1 AND status = 'pending' AND (deadline, id) > ($3::bigint, $4::text)
                 ORDER BY deadline, id LIMIT $5) m
           LEFT JOIN LATERAL (SELECT x.seq, x.at, x.kind, x.data FROM changes x
                              WHERE x.inbox_id = $1 AND x.kind = 'message' AND x.entity_id = m.id AND x.seq <= $2
                              ORDER BY x.seq DESC LIMIT 1) c ON true`,
    order: 'r.deadline, r.key',
    params: [p.inboxId, p.at, deadline, id, limit],
  };
}

function phaseQuery(p: SnapshotPosition, limit: number): PhaseQuery {
  if (p.phase === 'pending') return pendingMessages(p, limit);
  if (APPEND_ONLY.has(p.phase)) return appendOnly(p, KIND_OF[p.phase], limit);
  return latestPerEntity(p, KIND_OF[p.phase], limit, p.phase === 'message');
}

/** One entry as an NDJSON line (feed.ts `entryJsonSql`: built in SQL from the stored text). */
const LINE = `${entryJsonSql('r', true)} || E'\\n'`;
const LINE_WITHOUT_EARNINGS = `${entryJsonSql('r', false)} || E'\\n'`;

/** A phase's next rows folded into one: the embedded database's cost is per row returned far more than per byte. */
interface ChunkRow {
  /** The entries' NDJSON lines, each ending in a newline; null when none. */
  lines: string | null;
  /** Rows read (keys), entries among them, and the last row's key. */
  rows: number;
  entries: number;
  last_key: string | null;
  last_deadline: number | string | null;
}

export interface SnapshotChunk {
  /**
   * NDJSON lines of entries, each ending in a newline, as UTF-8: one piece per phase read,
   * to be written in order. Not joined: joining copied every byte of the snapshot once
   * more (with the route's join, ~0.9 s of the platform's CPU in a 100k snapshot).
   */
  lines: Buffer[];
  entries: number;
  /** Where the next chunk starts; null when the snapshot is complete. */
  next: SnapshotPosition | null;
}

async function readPhase(sql: Sql, p: SnapshotPosition, limit: number, earnings: boolean): Promise<ChunkRow> {
  const q = phaseQuery(p, limit);
  // Every ordered aggregate has the rows' own order, so PostgreSQL (16+) sorts nothing.
  const rows = await sql.query<ChunkRow>(
    `SELECT string_agg(CASE WHEN r.skip THEN NULL ELSE ${earnings ? LINE : LINE_WITHOUT_EARNINGS} END, '' ORDER BY ${q.order}) AS lines,
       count(*)::int AS rows, (count(*) FILTER (WHERE NOT r.skip))::int AS entries,
       ((array_agg(r.key::text ORDER BY ${q.order}))[count(*)::int]) AS last_key,
       ((array_agg(r.deadline ORDER BY ${q.order}))[count(*)::int]) AS last_deadline
     FROM (${q.rows}) r`,
    q.params,
  );
  return rows[0] ?? { lines: null, rows: 0, entries: 0, last_key: null, last_deadline: null };
}

/**
 * The next chunk after `position` for a member with `access` (the kinds the feed hides are
 * skipped): up to `limit` rows read, across as many phases as it takes, except that the
 * pending messages end their own chunk. A chunk that stopped at the end of each phase cost
 * a small inbox one chunk per kind, each a query, a transaction and a mark on both sides,
 * which is most of what 20 small inboxes cost.
 */
export async function readSnapshotChunk(
  sql: Sql,
  access: Access,
  position: SnapshotPosition,
  limit: number,
): Promise<SnapshotChunk> {
  const hidden = new Set(hiddenKinds(access));
  const earnings = seesEarnings(access);
  const parts: Buffer[] = [];
  let entries = 0;
  let room = limit;
  const chunk = (next: SnapshotPosition | null): SnapshotChunk => ({ lines: parts, entries, next });
  for (let p: SnapshotPosition | null = position; p; p = nextPhase(p)) {
    if (hidden.has(KIND_OF[p.phase])) continue;
    const read = await readPhase(sql, p, room, earnings);
    if (read.lines) parts.push(Buffer.from(read.lines));
    entries += read.entries;
    if (read.last_key !== null && read.rows >= room) {
      const key: SnapshotPosition['key'] =
        p.phase === 'pending'
          ? [Number(read.last_deadline), read.last_key]
          : APPEND_ONLY.has(p.phase)
            ? [Number(read.last_key)]
            : [read.last_key];
      return chunk({ ...p, key });
    }
    // The last pending messages end their chunk: the device applies a chunk only once it has
    // all of it, and the most urgent work must be readable before the rest of the inbox arrives.
    if (p.phase === 'pending' && read.rows > 0) return chunk(nextPhase(p));
    room -= read.rows;
  }
  return chunk(null);
}

function nextPhase(p: SnapshotPosition): SnapshotPosition | null {
  const phase = PHASES[PHASES.indexOf(p.phase) + 1];
  return phase ? { ...p, phase, key: [] } : null;
}
