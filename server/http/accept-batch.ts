import type { RouteBody } from '../../shared/protocol';
import { ApiError, errorBody, isStoredRefusal } from '../errors';
import { lockInbox, type MemberColumns, memberAccess } from '../services/access';
import { auditAll } from '../services/audit';
import type { Actor, Services, Tx } from '../services/context';
import { MESSAGE_COLUMNS, MESSAGE_FROM, type MessageRow } from '../services/entities';
import { messageFor } from '../services/feed';
import { type AcceptPlan, acceptAudit, acceptedRow, checkAccept, writeAccepts } from '../services/messages';
import { actorFor } from './actor';
import { type KeyedResponse, readKey, replayOf, type StoredResponse, storeResponses } from './idempotency';
import type { InboxGate } from './inbox-gate';

/**
 * Group commit per inbox (docs/scaling.md §2). One inbox's writers are serialised by its
 * row lock, so its accepts cannot go faster than one transaction's lock hold each. Accepts
 * that wait in the inbox's lane of the gate while a transaction of that inbox is in flight
 * are taken together by the next one: one inbox lock, their messages locked in one
 * statement, members read once, each request checked by the accept's own rule
 * (`checkAccept`), multi-row writes and one COMMIT.
 *
 * Each request keeps its own answer, key and error: a refusal found in the check is that
 * request's answer (stored under its key when final), and the others go on. A request the
 * batch cannot answer exactly as it would be answered alone (a replay of its key, a second
 * request with a key already in the batch, a message outside the inbox) runs alone after
 * the batch; and when the batch fails as a whole (a failure only the database finds), every
 * request of it runs alone, one at a time, so no request gets another's error.
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
  /** The request on its own, on the one-request path (its own transaction). */
  readonly alone: () => Promise<Answer>;
}

/** How many accepts one transaction takes at most: bounds its statements and its hold of the lock. */
export const ACCEPT_BATCH_LIMIT = 32;

type Outcome = { answer: Answer } | { error: unknown } | 'alone';

/** Whether an accept can wait to be batched: a reply is written and read back on its own path. */
export const batchable = (body: RouteBody<'accept'>): boolean => body.reply === undefined;

export interface AcceptBatcher {
  /** Answers the accept, in a batch with the others waiting in its inbox's lane, or alone. */
  submit(inboxId: string, accept: QueuedAccept): Promise<Answer>;
}

interface Flight {
  running: number;
  /** Each takes what queued, counts itself running and resumes its turn. */
  readonly parked: Array<() => void>;
}

interface Waiting {
  readonly accept: QueuedAccept;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

/**
 * A turn that finds fewer accepts than this waiting while another of its inbox's transactions
 * is in flight waits for that one to end, then takes all that queued meanwhile.
 */
export const ACCEPT_BATCH_MIN = 2;

export function createAcceptBatcher(services: Services, gate: InboxGate, limit = ACCEPT_BATCH_LIMIT): AcceptBatcher {
  const queues = new Map<string, Waiting[]>();
  /** Per inbox: the batcher's transactions in flight, and the turns parked until one ends. */
  const flights = new Map<string, Flight>();
  const flightOf = (inboxId: string): Flight => {
    const flight = flights.get(inboxId) ?? { running: 0, parked: [] };
    flights.set(inboxId, flight);
    return flight;
  };
  const settle = (waiting: Waiting, outcome: Exclude<Outcome, 'alone'>) =>
    'answer' in outcome ? waiting.resolve(outcome.answer) : waiting.reject(outcome.error);
  const alone = (waiting: Waiting) => waiting.accept.alone().then(waiting.resolve, waiting.reject);

  /** Takes up to `count` of the accepts waiting in the inbox's queue, oldest first. */
  const take = (inboxId: string, count: number): Waiting[] => {
    const waiting = queues.get(inboxId) ?? [];
    const taken = waiting.splice(0, count);
    if (waiting.length === 0) queues.delete(inboxId);
    return taken;
  };

  /** Runs what the lane's turn found waiting: one request on its own path, several together. */
  const runTaken = async (inboxId: string, taken: Waiting[]): Promise<void> => {
    const [only] = taken;
    if (taken.length === 1 && only) return alone(only);
    let outcomes: Outcome[];
    try {
      outcomes = await services.transact((tx) =>
        acceptTogether(
          tx,
          inboxId,
          taken.map((w) => w.accept),
        ),
      );
    } catch {
      // Nothing of the batch was kept: each request runs alone and meets its own error, if any.
      outcomes = taken.map(() => 'alone');
    }
    // After the batch's commit, one at a time: a replay then reads the answer the batch stored.
    for (const [i, waiting] of taken.entries()) {
      const outcome = outcomes[i] ?? 'alone';
      if (outcome === 'alone') await alone(waiting);
      else settle(waiting, outcome);
    }
  };

  return {
    submit(inboxId, accept) {
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
            // Classic group commit: rather than run a lone accept beside a transaction of its
            // inbox (it would only wait on the inbox's lock, and those behind it would then
            // alternate batches and single accepts), wait for that one to end and take all
            // that queued meanwhile. A lone accept in an idle inbox runs at once.
            const flight = flightOf(inboxId);
            if (taken.length < ACCEPT_BATCH_MIN && flight.running > 0)
              await new Promise<void>((resume) =>
                flight.parked.push(() => {
                  taken.push(...take(inboxId, limit - taken.length));
                  flight.running++;
                  resume();
                }),
              );
            else flight.running++;
            try {
              await runTaken(inboxId, taken);
            } finally {
              flight.running--;
              // Here, before this turn gives back its place, so no later turn takes the queue first.
              flight.parked.shift()?.();
              if (flight.running === 0 && flight.parked.length === 0) flights.delete(inboxId);
            }
          })
          .catch(reject);
      });
    },
  };
}

/** The members of a batch's actors, read once under the inbox's lock. */
type MemberRead = MemberColumns & { user_id: string };

/**
 * One transaction for several accepts of one inbox. Three round trips, as one accept:
 * every session (each taking its key's lock) and stored key; the inbox's lock, then the
 * messages and the members; the writes with COMMIT. Returns each request's outcome.
 */
export async function acceptTogether(tx: Tx, inboxId: string, accepts: readonly QueuedAccept[]): Promise<Outcome[]> {
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

  const locked = lockInbox(tx, inboxId);
  const messageRows = tx.sql.send<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}
     WHERE m.id = ANY($1::text[]) AND m.inbox_id = $2 ORDER BY m.id FOR UPDATE OF m`,
    [[...new Set(fresh.map((f) => accepts[f.index]?.messageId))], inboxId],
  );
  const memberRows = tx.sql.send<MemberRead>(
    `SELECT user_id, role AS member_role, permissions AS member_permissions, limits_currency, max_price_minor,
       daily_refund_minor
     FROM members WHERE inbox_id = $1 AND user_id = ANY($2::text[]) AND active`,
    [inboxId, [...new Set(fresh.map((f) => f.actor.id))]],
  );
  await locked;
  // Each message as the requests before it in this batch leave it.
  const rows = new Map((await messageRows).map((r) => [r.id, r]));
  const members = new Map((await memberRows).map((m) => [m.user_id, m]));

  const plans: Array<AcceptPlan & { index: number; access: ReturnType<typeof memberAccess> }> = [];
  const refusals: KeyedResponse[] = [];
  for (const { index, actor } of fresh) {
    const accept = accepts[index] as QueuedAccept;
    const row = rows.get(accept.messageId);
    // Not a message of this inbox (the lane named it so): its own path says what it is.
    if (!row) continue;
    const member = members.get(actor.id);
    try {
      const access = memberAccess(member, inboxId);
      checkAccept(access, row, member, accept.body, tx.now);
      plans.push({ index, inboxId, actor, row, access });
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
