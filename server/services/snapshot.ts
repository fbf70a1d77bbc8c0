import { z } from 'zod';
import type { ChangeKind, SnapshotBegin } from '../../shared/protocol';
import type { Sql } from '../db/database';
import { ApiError } from '../errors';
import { type Access, requireMember } from './access';
import type { Actor, Tx } from './context';
import { feedHead, hiddenKinds } from './feed';

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
  'fan',
  'pending',
  'message',
  'triage',
  'reply',
  'note',
  'ledger',
  'audit',
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
};

const PositionSchema = z.object({
  v: z.literal(1),
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
 * a new snapshot, the token's point for a resumed one (never beyond the head).
 */
export async function openSnapshot(
  tx: Tx,
  actor: Actor,
  inboxId: string,
  resume: string | undefined,
): Promise<OpenedSnapshot> {
  await requireMember(tx, actor, inboxId);
  const head = await feedHead(tx, inboxId);
  const position: SnapshotPosition = resume
    ? decodePosition(resume, inboxId)
    : { v: 1, inboxId, at: head, phase: PHASES[0], key: [] };
  if (position.at > head) {
    throw new ApiError('invalid_request', 'This resume token is ahead of the feed; start the snapshot again', {
      field: 'resume',
    });
  }
  const counts = await tx.sql.query<{ messages: number; pending: number }>(
    `SELECT count(*)::int AS messages, count(*) FILTER (WHERE status = 'pending')::int AS pending
     FROM messages WHERE inbox_id = $1`,
    [inboxId],
  );
  return {
    begin: {
      snapshot: 'begin',
      inboxId,
      at: position.at,
      estimate: { messages: counts[0]?.messages ?? 0, pending: counts[0]?.pending ?? 0 },
    },
    position,
  };
}

/** One entry as an NDJSON line, built in SQL from the stored JSON: no parse and re-serialise per entry. */
const LINE = `'{"seq":' || c.seq || ',"at":' || c.at || ',"kind":"' || c.kind || '","data":' || c.data::text || '}'`;

interface Row {
  key: string;
  deadline: number | null;
  /** null: the key was read but the entity is not part of this phase (see the phase's query). */
  line: string | null;
}

/** The newest entry per entity of one kind, after `key`, with `seq <= at`; `skipPending` leaves pending messages to their phase. */
function latestPerEntity(sql: Sql, p: SnapshotPosition, kind: ChangeKind, limit: number, skipPending: boolean) {
  const skip = skipPending
    ? `EXISTS (SELECT 1 FROM messages m WHERE m.id = l.entity_id AND m.status = 'pending')`
    : 'false';
  return sql.query<Row>(
    `SELECT l.entity_id AS key, NULL::bigint AS deadline, CASE WHEN ${skip} THEN NULL ELSE ${LINE} END AS line
     FROM (SELECT DISTINCT ON (entity_id) entity_id, seq FROM changes
           WHERE inbox_id = $1 AND kind = $2 AND entity_id > $3 AND seq <= $4
           ORDER BY entity_id, seq DESC LIMIT $5) l
     JOIN changes c ON c.inbox_id = $1 AND c.seq = l.seq
     ORDER BY l.entity_id`,
    [p.inboxId, kind, typeof p.key[0] === 'string' ? p.key[0] : '', p.at, limit],
  );
}

/**
 * Ledger and audit entries are written once each and never replaced: they come in feed
 * order, so a message's hold comes before its settlement as on the feed (the earnings
 * fold relies on it).
 */
function appendOnly(sql: Sql, p: SnapshotPosition, kind: ChangeKind, limit: number) {
  const after = typeof p.key[0] === 'number' ? p.key[0] : 0;
  return sql.query<Row>(
    `SELECT c.seq::text AS key, NULL::bigint AS deadline, ${LINE} AS line FROM changes c
     WHERE c.inbox_id = $1 AND c.kind = $2 AND c.seq > $3 AND c.seq <= $4 ORDER BY c.seq LIMIT $5`,
    [p.inboxId, kind, after, p.at, limit],
  );
}

/** Kinds whose entries are never replaced, read in feed order. */
const APPEND_ONLY: ReadonlySet<Phase> = new Set(['ledger', 'audit']);

/**
 * Messages pending now, soonest deadline first, each as its newest entry up to `at`.
 * A message only ever leaves pending, so one pending now was pending at every chunk
 * before: none is missed, and one decided meanwhile comes again in the `message` phase
 * (the same entry twice, which applying keeps once).
 */
function pendingMessages(sql: Sql, p: SnapshotPosition, limit: number) {
  const [deadline, id] = p.key.length === 2 ? p.key : [-1, ''];
  return sql.query<Row>(
    `SELECT m.id AS key, m.deadline, CASE WHEN c.seq IS NULL THEN NULL ELSE ${LINE} END AS line
     FROM (SELECT id, deadline FROM messages
           WHERE inbox_id = $1 AND status = 'pending' AND (deadline, id) > ($3::bigint, $4::text)
           ORDER BY deadline, id LIMIT $5) m
     LEFT JOIN LATERAL (SELECT x.seq FROM changes x
                        WHERE x.inbox_id = $1 AND x.kind = 'message' AND x.entity_id = m.id AND x.seq <= $2
                        ORDER BY x.seq DESC LIMIT 1) l ON true
     LEFT JOIN changes c ON c.inbox_id = $1 AND c.seq = l.seq
     ORDER BY m.deadline, m.id`,
    [p.inboxId, p.at, deadline, id, limit],
  );
}

export interface SnapshotChunk {
  /** NDJSON lines of entries, each ending in a newline. */
  lines: string;
  entries: number;
  /** Where the next chunk starts; null when the snapshot is complete. */
  next: SnapshotPosition | null;
}

/** The next chunk after `position` for a member with `access` (the kinds the feed hides are skipped). */
export async function readSnapshotChunk(
  sql: Sql,
  access: Access,
  position: SnapshotPosition,
  limit: number,
): Promise<SnapshotChunk> {
  const hidden = new Set(hiddenKinds(access));
  let p = position;
  for (;;) {
    if (!hidden.has(KIND_OF[p.phase])) {
      const rows =
        p.phase === 'pending'
          ? await pendingMessages(sql, p, limit)
          : APPEND_ONLY.has(p.phase)
            ? await appendOnly(sql, p, KIND_OF[p.phase], limit)
            : await latestPerEntity(sql, p, KIND_OF[p.phase], limit, p.phase === 'message');
      const last = rows[rows.length - 1];
      if (last && rows.length >= limit) {
        const key: SnapshotPosition['key'] =
          p.phase === 'pending'
            ? [Number(last.deadline), last.key]
            : APPEND_ONLY.has(p.phase)
              ? [Number(last.key)]
              : [last.key];
        return chunkOf(rows, { ...p, key });
      }
      const next = nextPhase(p);
      if (rows.length > 0) return chunkOf(rows, next);
      if (!next) return { lines: '', entries: 0, next: null };
      p = next;
    } else {
      const next = nextPhase(p);
      if (!next) return { lines: '', entries: 0, next: null };
      p = next;
    }
  }
}

function nextPhase(p: SnapshotPosition): SnapshotPosition | null {
  const phase = PHASES[PHASES.indexOf(p.phase) + 1];
  return phase ? { ...p, phase, key: [] } : null;
}

function chunkOf(rows: Row[], next: SnapshotPosition | null): SnapshotChunk {
  let lines = '';
  let entries = 0;
  for (const row of rows) {
    if (row.line === null) continue;
    lines += `${row.line}\n`;
    entries++;
  }
  return { lines, entries, next };
}
