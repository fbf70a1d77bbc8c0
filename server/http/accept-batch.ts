import type { RouteBody } from '../../shared/protocol';
import { preferGenericPlans } from '../db/database';
import { ApiError, errorBody, isStoredRefusal } from '../errors';
import { lockInbox, MEMBER_COLUMNS, type MemberColumns, memberAccess, memberJoin } from '../services/access';
import { auditAll } from '../services/audit';
import type { Actor, Services, Tx } from '../services/context';
import { MESSAGE_COLUMNS, MESSAGE_FROM, type MessageRow } from '../services/entities';
import { messageFor } from '../services/feed';
import { type AcceptPlan, acceptAudit, acceptedRow, checkAccept, writeAccepts } from '../services/messages';
import { actorFor } from './actor';
import { type KeyedResponse, readKey, replayOf, type StoredResponse, storeResponses } from './idempotency';
import type { InboxGate } from './inbox-gate';

/**
 * Group commit (docs/scaling.md §2), per process and per inbox.
 *
 * Per process: an accept that arrives while the process has an accept transaction in
 * flight waits in the process's queue, and the next batch transaction takes all that
 * waited, from any inbox: across many inboxes a lane rarely holds two accepts, so only the
 * process sees enough of them to share a transaction. Such a batch locks its inboxes
 * `FOR UPDATE SKIP LOCKED`, in one fixed order (by id): it never waits on an inbox another
 * transaction holds (a hot inbox does not hold the others back), and two batches (also of
 * two processes) cannot deadlock on inboxes. The accepts of an inbox it did not get are
 * handed back: to the process's queue once, then to their inbox's lane, where they wait
 * for the lock in line. A lone accept in an idle process runs at once on the one-request
 * path, and an accept whose inbox already has writers in this process joins them in its
 * lane, in order.
 *
 * Per inbox: one inbox's writers are serialised by its row lock, so its accepts cannot go
 * faster than one transaction's lock hold each. Accepts that wait in the inbox's lane of
 * the gate while a transaction of that inbox is in flight are taken together by the next
 * one, which waits for the inbox's lock as every writer of the lane does.
 *
 * Pipelined, both kinds: the next batch forms once the one in flight has its locks, reads
 * its sessions and keys (its first round trip) while that one writes and commits, and
 * asks for its locks only once that one has ended. So the lock passes from batch to batch
 * without a round trip of the next one's in between (docs/scaling.md §2, "Pipelined
 * batches"). At most two are in flight per process, and per inbox's lane.
 *
 * Either batch: one lock statement, the messages locked in one statement, members read
 * once, each request checked by the accept's own rule (`checkAccept`), multi-row writes
 * and one COMMIT. Each request keeps its own answer, key and error: a refusal found in the
 * check is that request's answer (stored under its key when final), and the others go on.
 * A request the batch cannot answer exactly as it would be answered alone (a replay of its
 * key, a second request with a key already in the batch, a message outside the inbox or
 * not found) runs alone after the batch; and when the batch fails as a whole (a failure
 * only the database finds), every request of it runs alone, one at a time, so no request
 * gets another's error.
 */

/** What the route's answer is made of (app.ts sends it). */
export interface Answer {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** An accept waiting to be taken into a batch. */
export interface QueuedAccept {
  readonly token: string;
  readonly key: string;
  /** The request's hash (idempotency.ts `requestHash`): what its key binds it to. */
  readonly hash: string;
  readonly messageId: string;
  readonly body: RouteBody<'accept'>;
  /** The request on its own (its own transaction), holding its place in its inbox's lane. */
  readonly alone: () => Promise<Answer>;
  /**
   * The request on its own while this process does not know its inbox: its first round
   * trip reads the inbox and takes the lane's place, or, the lane being full, it waits in
   * the lane (app.ts).
   */
  readonly unseen: () => Promise<Answer>;
}

/** How many accepts one transaction takes at most: bounds its statements and its hold of the locks. */
export const ACCEPT_BATCH_LIMIT = 32;

/** A request's outcome in a batch: its answer or error, to run alone, or its inbox was locked elsewhere. */
type Outcome = { answer: Answer } | { error: unknown } | 'alone' | { skipped: string };

/** Whether an accept can wait to be batched: a reply is written and read back on its own path. */
export const batchable = (body: RouteBody<'accept'>): boolean => body.reply === undefined;

export interface AcceptBatcher {
  /**
   * Answers the accept: alone, or in a batch with the others waiting in the process's
   * queue or in its inbox's lane. `inboxId`: its inbox, when this process knows it.
   */
  submit(inboxId: string | null, accept: QueuedAccept): Promise<Answer>;
  /**
   * How many accepts it holds outside any inbox's lane (for tests): waiting in the process's
   * queue, in its batch in flight, or alone while their inbox is not known yet.
   */
  held(): number;
  /**
   * Whether a batch found an inbox locked by another transaction (another process's, most
   * often) whose lane here is still busy: a hot inbox the process does not see as a full
   * lane. Its accepts then wait in its lane; one whose inbox is not known is looked up first
   * (app.ts), or it would go through batches that skip its inbox before it gets there.
   */
  contended(): boolean;
}

interface Waiting {
  readonly accept: QueuedAccept;
  /** Its inbox, once known (from the process's cache, or read by a batch). */
  inboxId: string | null;
  /** A batch found its inbox locked by another transaction once already. */
  handedBack: boolean;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

export function createAcceptBatcher(services: Services, gate: InboxGate, limit = ACCEPT_BATCH_LIMIT): AcceptBatcher {
  const lanes = createLaneBatcher(services, gate, limit);
  const queue: Waiting[] = [];
  /**
   * The process's batches in flight, oldest first: at most two. The first (the lead) locks
   * and writes; a second (the follower) forms once the lead has its locks, reads its
   * sessions and keys meanwhile, and locks only once the lead's transaction has ended. So
   * the inboxes' locks go from one batch to the next without the follower's first round
   * trip (or the lead's answers) in between, and the follower still takes all that queued
   * while the lead locked: with `SKIP LOCKED`, locking any earlier would skip the inboxes
   * the lead still holds.
   */
  const flights: BatchFlight[] = [];
  /** How many accepts the batches in flight hold. */
  const inBatch = () => flights.reduce((sum, flight) => sum + flight.size, 0);
  /** Lone accepts started by the process (not in a lane that was busy already), in flight. */
  let lone = 0;
  /** Of those, the ones whose inbox was not known: no lane counts them. */
  let loneUnseen = 0;
  /** Whether the inbox has writers in this process: then its accepts wait in its lane, in order. */
  const busy = (inboxId: string) => gate.queued(inboxId) > 0;
  /** Inboxes a batch found locked by another transaction (hot elsewhere), kept while their lane here is busy. */
  const contended = new Set<string>();
  const settle = (waiting: Waiting, answer: Promise<Answer>) => answer.then(waiting.resolve, waiting.reject);
  /** The request on its own: in its inbox's lane when known, else on the path that reads its inbox. */
  const alone = (waiting: Waiting): Promise<Answer> =>
    waiting.inboxId !== null ? gate.run(waiting.inboxId, waiting.accept.alone) : waiting.accept.unseen();

  /**
   * Starts the next batch with everything waiting, unless two are in flight or the one in
   * flight has no locks yet (it starts when that one has them, or has ended).
   */
  const pump = () => {
    if (!mayStart(flights)) return;
    const lead = flights[0];
    const taken: Waiting[] = [];
    while (taken.length < limit) {
      const waiting = queue.shift();
      if (!waiting) break;
      // Its inbox got writers in this process meanwhile: it waits with them, in order.
      if (waiting.inboxId !== null && busy(waiting.inboxId))
        settle(waiting, lanes.submit(waiting.inboxId, waiting.accept));
      else taken.push(waiting);
    }
    if (taken.length === 0) return;
    const { batch, turn } = nextBatch(taken.length, lead, pump);
    flights.push(batch);
    void runBatch(taken, turn).finally(() => {
      flights.splice(flights.indexOf(batch), 1);
      pump();
    });
  };

  const runBatch = async (taken: Waiting[], turn: BatchTurn): Promise<void> => {
    const outcomes = await commitTogether(
      services,
      taken.map((w) => w.accept),
      null,
      turn,
    );
    const handedBack: Waiting[] = [];
    const left: Waiting[] = [];
    for (const [i, waiting] of taken.entries()) {
      const outcome = outcomes[i] ?? 'alone';
      if (outcome === 'alone') left.push(waiting);
      else if ('skipped' in outcome) {
        waiting.inboxId = outcome.skipped;
        contended.add(outcome.skipped);
        // Its inbox was locked by another transaction (of another process, most often): the
        // next batch tries once more; then it waits for the lock in its lane, in line.
        if (waiting.handedBack || busy(outcome.skipped)) settle(waiting, lanes.submit(outcome.skipped, waiting.accept));
        else {
          waiting.handedBack = true;
          handedBack.push(waiting);
        }
      } else if ('answer' in outcome) waiting.resolve(outcome.answer);
      else waiting.reject(outcome.error);
    }
    queue.unshift(...handedBack);
    // After the batch's commit, one at a time: a replay then reads the answer the batch stored.
    if (left.length > 0)
      void (async () => {
        for (const waiting of left) await settle(waiting, alone(waiting));
      })();
  };

  return {
    submit(inboxId, accept) {
      if (inboxId !== null && busy(inboxId)) return lanes.submit(inboxId, accept);
      return new Promise<Answer>((resolve, reject) => {
        const waiting: Waiting = { accept, inboxId, handedBack: false, resolve, reject };
        if (flights.length > 0 || lone > 0 || queue.length > 0) {
          queue.push(waiting);
          pump();
          return;
        }
        // An idle process: the accept runs at once on the one-request path (in its lane when known).
        const unseen = inboxId === null ? 1 : 0;
        lone++;
        loneUnseen += unseen;
        const run = inboxId !== null ? lanes.submit(inboxId, accept) : accept.unseen();
        void settle(waiting, run).finally(() => {
          lone--;
          loneUnseen -= unseen;
        });
      });
    },
    held: () => queue.length + inBatch() + loneUnseen,
    contended() {
      for (const inboxId of contended) if (!busy(inboxId)) contended.delete(inboxId);
      return contended.size > 0;
    },
  };
}

/** A batch in flight (a process's or a lane's): how many accepts it holds, whether it has its locks, when it ends. */
interface BatchFlight {
  readonly size: number;
  locked: boolean;
  readonly ended: Promise<void>;
}

/**
 * A batch's place behind the one before it (of its process, or of its lane): `after`,
 * that batch's transaction ended, is waited for between this one's first round trip and
 * its locks; `locked` says this one has its locks (the next may form), `ended` that its
 * transaction has ended (committed or not: its locks are free), before its answers are sent.
 */
interface BatchTurn {
  readonly after: Promise<void> | null;
  locked(): void;
  ended(): void;
}

/**
 * Per inbox: the lane's batches in flight, oldest first, at most two (a lead and a
 * follower, as a process's), and the turns parked until the next may start.
 */
interface Flight {
  readonly batches: BatchFlight[];
  /** Each takes what queued and resumes its turn, which then starts its batch. */
  readonly parked: Array<() => void>;
}

/** The next batch may start: none in flight, or only one, which already has its locks. */
const mayStart = (batches: readonly BatchFlight[]): boolean =>
  batches.length === 0 || (batches.length === 1 && batches[0]?.locked === true);

/** A batch about to start behind `lead` (if any): its place in flight, and its turn. */
function nextBatch(size: number, lead: BatchFlight | undefined, onLocked: () => void) {
  let ended = () => {};
  const batch: BatchFlight = {
    size,
    locked: false,
    ended: new Promise<void>((resolve) => {
      ended = resolve;
    }),
  };
  const turn: BatchTurn = {
    after: lead?.ended ?? null,
    locked() {
      batch.locked = true;
      onLocked();
    },
    ended,
  };
  return { batch, turn };
}

interface LaneWaiting {
  readonly accept: QueuedAccept;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

/** Group commit per inbox: the accepts waiting in one inbox's lane, taken together. */
function createLaneBatcher(services: Services, gate: InboxGate, limit: number) {
  const queues = new Map<string, LaneWaiting[]>();
  const flights = new Map<string, Flight>();
  const flightOf = (inboxId: string): Flight => {
    const flight = flights.get(inboxId) ?? { batches: [], parked: [] };
    flights.set(inboxId, flight);
    return flight;
  };
  const settle = (waiting: LaneWaiting, outcome: { answer: Answer } | { error: unknown }) =>
    'answer' in outcome ? waiting.resolve(outcome.answer) : waiting.reject(outcome.error);
  const alone = (waiting: LaneWaiting) => waiting.accept.alone().then(waiting.resolve, waiting.reject);

  /** Takes up to `count` of the accepts waiting in the inbox's queue, oldest first. */
  const take = (inboxId: string, count: number): LaneWaiting[] => {
    const waiting = queues.get(inboxId) ?? [];
    const taken = waiting.splice(0, count);
    if (waiting.length === 0) queues.delete(inboxId);
    return taken;
  };

  /** Runs what the lane's turn found waiting: one request on its own path, several together. */
  const runTaken = async (inboxId: string, taken: LaneWaiting[], turn: BatchTurn): Promise<void> => {
    const [only] = taken;
    // Alone when nothing is in flight before it: the one-request path takes as many round
    // trips. A follower, even of one request, goes as a batch: it says when it has its
    // locks, so the turn after it forms meanwhile; alone, the next turn would wait for it
    // to end (docs/scaling.md §2, "Pipelined batches").
    if (taken.length === 1 && only && turn.after === null) return alone(only);
    const outcomes = await commitTogether(
      services,
      taken.map((w) => w.accept),
      inboxId,
      turn,
    );
    // After the batch's commit, one at a time: a replay then reads the answer the batch stored.
    for (const [i, waiting] of taken.entries()) {
      const outcome = outcomes[i] ?? 'alone';
      // A lane's batch waits for its inbox's lock: it never skips it.
      if (outcome === 'alone' || 'skipped' in outcome) await alone(waiting);
      else settle(waiting, outcome);
    }
  };

  return {
    submit(inboxId: string, accept: QueuedAccept): Promise<Answer> {
      return new Promise<Answer>((resolve, reject) => {
        const queue = queues.get(inboxId) ?? [];
        queue.push({ accept, resolve, reject });
        queues.set(inboxId, queue);
        // One turn in the lane per request; a turn that finds the queue emptied by an earlier
        // turn (which took this request along) ends at once.
        gate
          .run(inboxId, async () => {
            const taken = take(inboxId, limit);
            if (taken.length === 0) return;
            // Group commit, pipelined as a process's batches are: a turn that finds the
            // inbox's batch in flight without its locks yet waits for it to lock, then takes
            // all that queued meanwhile, reads its sessions and keys while that batch writes
            // and commits, and locks once it has ended. More in flight would only wait on
            // the inbox's lock and split what queues into more, smaller batches
            // (docs/scaling.md §2, measured). An idle inbox's turn runs at once.
            const flight = flightOf(inboxId);
            const wakeNext = () => {
              if (mayStart(flight.batches)) flight.parked.shift()?.();
            };
            const start = () => {
              const next = nextBatch(taken.length, flight.batches[0], wakeNext);
              flight.batches.push(next.batch);
              return next;
            };
            const { batch, turn } = mayStart(flight.batches)
              ? start()
              : await new Promise<ReturnType<typeof start>>((resume) =>
                  flight.parked.push(() => {
                    taken.push(...take(inboxId, limit - taken.length));
                    // In flight as it is woken, not once it resumes: until then the inbox
                    // would look idle to the turn that woke it, and to the next one.
                    resume(start());
                  }),
                );
            try {
              await runTaken(inboxId, taken, turn);
            } finally {
              flight.batches.splice(flight.batches.indexOf(batch), 1);
              turn.ended();
              // Here, before this turn gives back its place, so no later turn takes the queue first.
              wakeNext();
              if (flight.batches.length === 0 && flight.parked.length === 0) flights.delete(inboxId);
            }
          })
          .catch(reject);
      });
    },
  };
}

/** The batch in its own transaction; when it fails as a whole, nothing of it was kept and each request runs alone. */
async function commitTogether(
  services: Services,
  accepts: readonly QueuedAccept[],
  inboxId: string | null,
  turn: BatchTurn | null = null,
): Promise<Outcome[]> {
  try {
    return await services.transact((tx) => acceptTogether(tx, accepts, inboxId, turn));
  } catch {
    // Each request then meets its own error, if any.
    return accepts.map(() => 'alone');
  } finally {
    // One that failed before its locks still lets the next batch form.
    turn?.locked();
    turn?.ended();
  }
}

/** What a batch read under its locks: the messages it locked, the actors' memberships, each message's inbox. */
interface Locked {
  /** The messages locked, by id. */
  readonly rows: Map<string, MessageRow>;
  /** Memberships (with limits) by `${inboxId} ${userId}`. */
  readonly members: Map<string, MemberColumns>;
  /** The inbox of each message found, locked or not. */
  readonly inboxOf: Map<string, string>;
}

/**
 * One inbox (a lane's batch): its lock, waited for as every writer of the lane does, then
 * its messages locked in one statement and the actors' memberships read once.
 */
async function lockInInbox(tx: Tx, inboxId: string, messageIds: string[], userIds: string[]): Promise<Locked> {
  const locked = lockInbox(tx, inboxId);
  // The messages are found by id only: the inbox is compared as an expression (`|| ''`),
  // which no index on the inbox can serve. Given an indexable inbox condition, PostgreSQL
  // also read the inbox's index: for a plan made for the call, when the statistics (taken
  // before a creator's spike) said the inbox held a row or two; for the generic plan, as a
  // bitmap ANDed with the ids'. Either read every message of a hot inbox, for each batch
  // (lane-lock-plan.postgres.test.ts). One generic plan per connection, then.
  preferGenericPlans(tx.sql);
  const messageRows = tx.sql.send<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
     WHERE m.id = ANY($1::text[]) AND m.inbox_id || '' = $2 ORDER BY m.id FOR UPDATE OF m`,
    [messageIds, inboxId],
  );
  const memberRows = tx.sql.send<MemberColumns & { user_id: string }>(
    `SELECT mb.user_id, ${MEMBER_COLUMNS} FROM members mb WHERE mb.inbox_id = $1 AND mb.user_id = ANY($2::text[]) AND mb.active`,
    [inboxId, userIds],
  );
  await locked;
  const rows = await messageRows;
  return {
    rows: new Map(rows.map((r) => [r.id, r])),
    members: new Map((await memberRows).map((m) => [`${inboxId} ${m.user_id}`, m])),
    inboxOf: new Map(rows.map((r) => [r.id, inboxId])),
  };
}

/**
 * Any inboxes (the process's batch): the messages and their inboxes locked in one
 * statement, in one order (inbox id, then message id), skipping every inbox (and message)
 * another transaction holds: nothing here waits on a lock. Then, as a statement of its own
 * (so it sees what committed before the locks were taken: a revocation), each request's
 * membership in its message's inbox, with the inbox of every message found, locked or not.
 */
async function lockAnyInboxes(tx: Tx, requests: Array<{ messageId: string; userId: string }>): Promise<Locked> {
  // Both statements join to arrays: planned once per connection (see preferGenericPlans).
  // Sent after the lock statement, it left that one planned again on every call (1 ms of
  // planning per batch in a two-worker profile: docs/scaling.md §2).
  preferGenericPlans(tx.sql);
  const messageRows = tx.sql.send<MessageRow & { feed_head: string | number }>(
    `SELECT ${MESSAGE_COLUMNS}, i.feed_head FROM ${MESSAGE_FROM} JOIN inboxes i ON i.id = m.inbox_id
     WHERE m.id = ANY($1::text[]) ORDER BY i.id, m.id FOR UPDATE OF i, m SKIP LOCKED`,
    [[...new Set(requests.map((r) => r.messageId))]],
  );
  const memberRows = tx.sql.send<MemberColumns & { message_id: string; inbox_id: string; user_id: string }>(
    `SELECT r.message_id, m.inbox_id, r.user_id, ${MEMBER_COLUMNS}
     FROM unnest($1::text[], $2::text[]) AS r(message_id, user_id) JOIN messages m ON m.id = r.message_id
       ${memberJoin('r.user_id')}`,
    [requests.map((r) => r.messageId), requests.map((r) => r.userId)],
  );
  const rows = new Map<string, MessageRow>();
  for (const { feed_head, ...row } of await messageRows) {
    rows.set(row.id, row);
    tx.lockedHead(row.inbox_id, Number(feed_head));
  }
  const members = new Map<string, MemberColumns>();
  const inboxOf = new Map<string, string>();
  for (const m of await memberRows) {
    inboxOf.set(m.message_id, m.inbox_id);
    members.set(`${m.inbox_id} ${m.user_id}`, m);
  }
  return { rows, members, inboxOf };
}

/**
 * One transaction for several accepts: of one inbox (`inboxId`, a lane's batch) or of any
 * (null, the process's batch). Three round trips, as one accept: every session (each
 * taking its key's lock) and stored key; the locks, then the messages and the members;
 * the writes with COMMIT. Returns each request's outcome.
 */
export async function acceptTogether(
  tx: Tx,
  accepts: readonly QueuedAccept[],
  inboxId: string | null,
  turn: BatchTurn | null = null,
): Promise<Outcome[]> {
  // The careful re-run after a balance shortfall is the one-request path's: each alone.
  if (tx.checkBalancesFirst) throw new Error('A batch is not re-run with balances first; its requests run alone');
  const outcomes: Outcome[] = accepts.map(() => 'alone');
  // Key locks in one fixed order (by session, then key), so two batches cannot each hold
  // a lock the other waits for: both take them in the same order. (Only two sessions of
  // one user reusing keys across two batches could cross; PostgreSQL then detects the
  // deadlock and the transaction is run again, as every transaction is on 40P01.)
  const order = accepts
    .map((_a, i) => i)
    .sort((x, y) => compare(accepts[x]?.token, accepts[y]?.token) || compare(accepts[x]?.key, accepts[y]?.key));
  const sessions = new Map<number, Promise<Actor>>();
  for (const i of order) {
    const a = accepts[i] as QueuedAccept;
    const session = actorFor(tx, a.token, a.key);
    // Read below in the requests' order; one left unread when the batch fails is no crash.
    session.catch(() => undefined);
    sessions.set(i, session);
  }
  const keys = new Map(order.map((i) => [i, readKey(tx, accepts[i]?.token ?? '', accepts[i]?.key ?? '')] as const));
  const fresh: Array<{ index: number; actor: Actor }> = [];
  const seenKeys = new Set<string>();
  for (const [i, accept] of accepts.entries()) {
    try {
      const actor = await (sessions.get(i) as Promise<Actor>);
      const stored = await (keys.get(i) as Promise<Awaited<ReturnType<typeof readKey>>>);
      // A second request with a key already in this batch waits for the batch's answer to it.
      const keyId = `${actor.id} ${accept.key}`;
      if (seenKeys.has(keyId)) continue;
      seenKeys.add(keyId);
      // A replay is answered alone after the commit: it is asked who may see it now.
      if (replayOf(stored, accept.hash, tx.now) !== null) continue;
      fresh.push({ index: i, actor });
    } catch (error) {
      // Signed out, or the key used for another request: this request's own refusal.
      if (!(error instanceof ApiError)) throw error;
      outcomes[i] = { error };
    }
  }
  if (fresh.length === 0) return outcomes;

  // Behind the batch before it (of its process or its lane): its locks are free once it has ended.
  if (turn?.after) await turn.after;
  const locked = await (inboxId === null
    ? lockAnyInboxes(
        tx,
        fresh.map((f) => ({ messageId: accepts[f.index]?.messageId ?? '', userId: f.actor.id })),
      )
    : lockInInbox(
        tx,
        inboxId,
        [...new Set(fresh.map((f) => accepts[f.index]?.messageId ?? ''))],
        [...new Set(fresh.map((f) => f.actor.id))],
      ));
  turn?.locked();
  // Each message as the requests before it in this batch leave it.
  const { rows, members } = locked;

  const plans: Array<AcceptPlan & { index: number; access: ReturnType<typeof memberAccess> }> = [];
  const refusals: KeyedResponse[] = [];
  for (const { index, actor } of fresh) {
    const accept = accepts[index] as QueuedAccept;
    const row = rows.get(accept.messageId);
    if (!row) {
      // Its inbox is held by another transaction: handed back, to wait for it in a later turn.
      const elsewhere = locked.inboxOf.get(accept.messageId);
      if (inboxId === null && elsewhere !== undefined) outcomes[index] = { skipped: elsewhere };
      // Else not a message of the lane's inbox, or none at all: its own path says what it is.
      continue;
    }
    const member = members.get(`${row.inbox_id} ${actor.id}`);
    try {
      const access = memberAccess(member, row.inbox_id);
      checkAccept(access, row, member, accept.body, tx.now);
      plans.push({ index, inboxId: row.inbox_id, actor, row, access });
      rows.set(row.id, acceptedRow(row, actor, tx.now));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!isStoredRefusal(error)) {
        outcomes[index] = { error };
        continue;
      }
      // A final refusal is the answer to this key too, as on the one-request path.
      const response: StoredResponse = { status: error.status, body: errorBody(error) };
      refusals.push({ userId: actor.id, key: accept.key, hash: accept.hash, response });
      outcomes[index] = { answer: { ...response, replayed: false } };
    }
  }

  const messages = plans.length > 0 ? await writeAccepts(tx, plans) : [];
  if (plans.length > 0)
    auditAll(
      tx,
      plans.map((p) => acceptAudit(p, false, null)),
    );
  const answers: KeyedResponse[] = plans.map((plan, i) => {
    const accept = accepts[plan.index] as QueuedAccept;
    const message = messages[i];
    if (!message) throw new Error('An accept of the batch wrote no message');
    // The feed holds the whole message; the answer is what this member may see of it.
    const response: StoredResponse = { status: 200, body: { message: messageFor(plan.access, message), reply: null } };
    outcomes[plan.index] = { answer: { ...response, replayed: false } };
    return { userId: plan.actor.id, key: accept.key, hash: accept.hash, response };
  });
  if (answers.length + refusals.length > 0) storeResponses(tx, [...answers, ...refusals]);
  return outcomes;
}

/** Code-unit order: the same in every process, whatever its locale. */
const compare = (a = '', b = ''): number => (a < b ? -1 : a > b ? 1 : 0);
