/**
 * Group commit, per inbox and per process (#16, docs/scaling.md §2), under random
 * concurrent traffic: accepts and refunds over three inboxes, by owners, a manager who may,
 * a manager who may not and a stranger, on known and unknown messages, with duplicates of a
 * key (the same request, and another request under the same key), sent together in waves.
 * Each wave's transactions are held until every request of it waits in its inbox's lane or
 * in the process's queue, so accepts are committed in batches, of one inbox and of several
 * (both counted). Whatever the batching, every answer must be the one the request gets on
 * the one-request path, given the final state:
 * - each settled message was settled by exactly one request, which got 200 (its kind and
 *   actor are the message's final status and decider), and every other permitted request
 *   on it got already_decided naming that state; nobody was charged twice (invariants);
 * - refusals of access are 403 / 404 whatever happened; an unknown message is 404;
 * - one key binds one request: its answers (first and replays) are one answer, stored
 *   once; another request under it is refused (422);
 * - each inbox's feed is numbered 1..head without a gap or a repeat, and its last entry of
 *   each message says the message's final state.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../server/db/database';
import { DEFAULT_POOL_SIZE } from '../../../server/db/pg';
import {
  type ApiResult,
  describeWithPostgres,
  LANE_BATCH_LOCK,
  startTestPlatform,
  type TestCreator,
  type TestPlatform,
  type TestUser,
  until,
} from '../../helpers/server';

type Who = 'owner' | 'decider' | 'refunder' | 'stranger';

interface Op {
  kind: 'accept' | 'refund';
  inbox: number;
  /** An index into the inbox's messages; past the end: a message that does not exist. */
  message: number;
  who: Who;
  wave: number;
  /** Sent again under the key of an earlier op of the run: as it was, or as another request. */
  dup: { of: number; same: boolean } | null;
}

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('accept' as const, 'accept' as const, 'refund' as const),
  inbox: fc.nat(2),
  message: fc.nat(4),
  who: fc.constantFrom(
    'owner' as const,
    'owner' as const,
    'decider' as const,
    'refunder' as const,
    'stranger' as const,
  ),
  wave: fc.nat(1),
  dup: fc.option(fc.record({ of: fc.nat(), same: fc.boolean() }), { freq: 4 }),
});

/**
 * In the first wave of every run, inbox 0's owner and its deciding manager each accept
 * messages 0, 1 and 2: two of the six take the lane's two places, so at least one pair on
 * one message always waits in the lane together and is taken into one batch.
 */
const burst: Op[] = [0, 1, 2].flatMap((message) =>
  (['owner', 'decider'] as const).map((who) => ({
    kind: 'accept' as const,
    inbox: 0,
    message,
    who,
    wave: 0,
    dup: null,
  })),
);

/**
 * Then the owners of inboxes 1 and 2 each accept messages 0 and 1 in the same wave, while
 * the burst's first accept is in flight: the first of them starts the process's batch, and
 * the others (of two inboxes) wait in the process's queue and are taken in one batch.
 */
const spread: Op[] = [0, 1].flatMap((message) =>
  [1, 2].map((inbox) => ({ kind: 'accept' as const, inbox, message, who: 'owner' as const, wave: 0, dup: null })),
);

const MESSAGES_PER_INBOX = 4;

/** How many other inboxes' accepts arrive while one is in flight, in the deterministic test. */
const SPREAD = 8;

interface Sent {
  op: Op;
  actor: TestUser & { name: Who };
  messageId: string;
  known: boolean;
  key: string;
  body: unknown;
  answer: ApiResult<{ error?: { code: string; details?: { status?: string; decidedBy?: { id: string } } } }>;
}

/** Who may do what: the permission each kind needs, and who holds it. */
const permitted = (who: Who, kind: Op['kind']): boolean =>
  who === 'owner' || who === 'decider' || (who === 'refunder' && kind === 'refund');

/**
 * Plans PostgreSQL made for the prepared statements containing `text`, summed over every
 * connection of the pool: as many transactions as the pool has connections are held open
 * at once, so each reads its own connection's `pg_prepared_statements`.
 */
async function preparedOnEveryConnection(db: Database, text: string): Promise<{ generic: number; custom: number }> {
  let arrived = 0;
  const perConnection = await Promise.all(
    Array.from({ length: DEFAULT_POOL_SIZE }, () =>
      db.transaction(async (sql) => {
        arrived++;
        await until(() => arrived === DEFAULT_POOL_SIZE, 5, 2_000);
        return sql.query<{ generic: number; custom: number }>(
          `SELECT COALESCE(sum(generic_plans), 0)::int AS generic, COALESCE(sum(custom_plans), 0)::int AS custom
           FROM pg_prepared_statements WHERE strpos(statement, $1) > 0`,
          [text],
        );
      }),
    ),
  );
  return perConnection.reduce(
    (sum, [row]) => ({ generic: sum.generic + (row?.generic ?? 0), custom: sum.custom + (row?.custom ?? 0) }),
    { generic: 0, custom: 0 },
  );
}

function groupCommitProperty(database: 'pglite' | 'postgres') {
  let t: TestPlatform;
  let batches = 0;
  let largestBatch = 0;
  let failedBatches = 0;
  /** Committed batches that locked and wrote more than one inbox (the process's batches). */
  let crossInboxBatches = 0;
  /** Every transaction that started, whatever it ran. */
  let transactions = 0;
  /** Feed statements (heads bumped, entries written) each committed cross-inbox batch sent, in order. */
  const crossInboxFeedStatements: number[] = [];
  /** Fault injection (a fake failure, named as such): the next batch's transaction fails as a short balance would. */
  let failNextBatch = false;
  /** Set while a wave is being sent: every transaction waits for it, so the wave queues in the lanes. */
  let hold: Promise<void> | null = null;
  /** Set by a test: the next transaction to start, and only it, waits for this. */
  let holdNext: Promise<void> | null = null;

  beforeAll(async () => {
    t = await startTestPlatform({ database });
    const db: Database = t.platform.db;
    const { transaction } = db;
    db.transaction = (async (fn) => {
      if (hold) await hold;
      const held = holdNext;
      holdNext = null;
      if (held) await held;
      transactions++;
      let batch = 0;
      let feedStatements = 0;
      const inboxes = new Set<string>();
      const result = transaction.call(db, (sql) => {
        const send = sql.send.bind(sql);
        sql.send = ((text, params) => {
          if (/^WITH head AS \(\s*UPDATE inboxes/.test(text)) feedStatements++;
          const ofProcess = /FOR UPDATE OF i, m SKIP LOCKED/.test(text);
          if (ofProcess || LANE_BATCH_LOCK.test(text)) {
            batch = (params?.[0] as unknown[] | undefined)?.length ?? 0;
            if (ofProcess) {
              // The inboxes this batch locked: those of the messages it got.
              const rows = send(text, params) as Promise<Array<{ inbox_id: string }>>;
              rows.then(
                (r) => {
                  for (const row of r) inboxes.add(row.inbox_id);
                },
                () => undefined,
              );
              if (!failNextBatch) return rows as never;
              failNextBatch = false;
              send('SELECT ci_balances_moved(0, 1)');
              return rows as never;
            }
            if (failNextBatch) {
              failNextBatch = false;
              const rows = send(text, params);
              // The SQLSTATE of a debit that cannot be made (server migration 12), raised after the batch's reads.
              send('SELECT ci_balances_moved(0, 1)');
              return rows;
            }
          }
          return send(text, params);
        }) as typeof sql.send;
        return fn(sql);
      });
      // Counted once it is over: committed, or failed (its requests then ran alone).
      await result.then(
        () => {
          if (batch > 0) batches++;
          if (inboxes.size > 1) {
            crossInboxBatches++;
            crossInboxFeedStatements.push(feedStatements);
          }
          largestBatch = Math.max(largestBatch, batch);
        },
        () => {
          if (batch > 0) failedBatches++;
        },
      );
      return result;
    }) as typeof db.transaction;
  });
  afterAll(async () => {
    await t?.close();
  });

  /**
   * Sends the requests at once, holding every transaction until each request of a known
   * message waits in its inbox's lane and each accept of an unknown one in the process (so
   * accepts are taken in batches).
   */
  async function inOneWave(requests: Array<Omit<Sent, 'answer'>>, lanes: string[]): Promise<Sent[]> {
    let release = () => {};
    hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const answered = requests.map(async (s) => {
      const answer = await t.api.call(s.op.kind, {
        token: s.actor.token,
        params: { messageId: s.messageId },
        body: s.body as never,
        idempotencyKey: s.key,
      });
      return { ...s, answer: answer as Sent['answer'] };
    });
    // An accept of an unknown message may also run on its own path (its inbox looked up first,
    // none found), so the count is awaited for the known ones, then until it stops growing.
    const inPlace = () => lanes.reduce((n, id) => n + t.platform.writesInLane(id), 0) + t.platform.acceptsHeld();
    await until(() => inPlace() >= requests.filter((s) => s.known).length);
    let last = -1;
    await until(() => {
      const now = inPlace();
      const still = now === last;
      last = now;
      return still;
    }, 25);
    hold = null;
    release();
    return Promise.all(answered);
  }

  /** The inbox's feed is numbered 1..head, without a gap or a repeat. */
  async function expectFeedWhole(inboxId: string) {
    const [feed] = await t.platform.db.query<{ head: number; n: number; distinct_seqs: number; top: number }>(
      `SELECT i.feed_head AS head, count(c.seq)::int AS n, count(DISTINCT c.seq)::int AS distinct_seqs,
         COALESCE(max(c.seq), 0) AS top
       FROM inboxes i LEFT JOIN changes c ON c.inbox_id = i.id WHERE i.id = $1 GROUP BY i.feed_head`,
      [inboxId],
    );
    expect(feed).toEqual({ head: feed?.top, n: feed?.top, distinct_seqs: feed?.top, top: feed?.top });
  }

  async function world() {
    const inboxes: Array<{ owner: TestCreator; decider: TestUser; refunder: TestUser; messages: string[] }> = [];
    const fan = await t.api.signUpFan();
    const stranger = await t.api.signUpFan();
    for (let i = 0; i < 3; i++) {
      const owner = await t.api.signUpCreator({ price: { minor: 1_000 + 250 * i, currency: 'USD' } });
      const decider = await t.api.signUpManager(owner, ['accept', 'refund']);
      const refunder = await t.api.signUpManager(owner, ['refund']);
      const messages = [];
      for (let m = 0; m < MESSAGES_PER_INBOX; m++)
        messages.push((await t.api.sendPaidMessage(fan, owner, `Message ${m}`, { fund: true })).id);
      inboxes.push({ owner, decider, refunder, messages });
    }
    return { inboxes, fan, stranger };
  }

  it('answers every request as it would be answered alone, and settles each message once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 20 }), async (random) => {
        const ops = [...burst, ...spread, ...random];
        const w = await world();
        const sent: Array<Omit<Sent, 'answer'>> = [];
        for (const [i, o] of ops.entries()) {
          const earlier = o.dup && i > 0 ? sent[o.dup.of % i] : undefined;
          if (earlier && o.dup) {
            // The same key, as the same request or as another one (the other decision, or another reason).
            const kind = o.dup.same ? earlier.op.kind : earlier.op.kind === 'accept' ? 'refund' : 'accept';
            const body = kind === 'accept' ? {} : { reason: o.dup.same ? 'cannot_answer' : 'other' };
            const dupOp = { ...earlier.op, kind, wave: o.wave, dup: o.dup };
            sent.push({ ...earlier, op: dupOp, body });
            continue;
          }
          const inbox = w.inboxes[o.inbox] as (typeof w.inboxes)[number];
          const actor = o.who === 'stranger' ? w.stranger : inbox[o.who];
          const messageId = inbox.messages[o.message] ?? crypto.randomUUID();
          const body = o.kind === 'accept' ? {} : { reason: 'cannot_answer' };
          const known = o.message < inbox.messages.length;
          sent.push({ op: o, actor: { ...actor, name: o.who }, messageId, known, key: crypto.randomUUID(), body });
        }

        const answers: Sent[] = [];
        for (const wave of [0, 1]) {
          const requests = sent.filter((s) => s.op.wave === wave);
          answers.push(
            ...(await inOneWave(
              requests,
              w.inboxes.map((i) => i.owner.inboxId),
            )),
          );
        }

        await t.api.checkInvariants();
        const ids = w.inboxes.flatMap((i) => i.messages);
        const finals = new Map(
          (
            await t.platform.db.query<{ id: string; status: string; decided_by: string | null }>(
              'SELECT id, status, decided_by FROM messages WHERE id = ANY($1::text[])',
              [ids],
            )
          ).map((r) => [r.id, r]),
        );
        const settlements = await t.platform.db.query<{ message_id: string; n: number }>(
          `SELECT message_id, count(*)::int AS n FROM ledger_transactions
           WHERE message_id = ANY($1::text[]) AND kind IN ('capture', 'refund') GROUP BY message_id`,
          [ids],
        );
        const settledTimes = new Map(settlements.map((s) => [s.message_id, s.n]));

        for (const id of ids) {
          const final = finals.get(id);
          const decided = final?.status !== 'pending';
          // Settled once, by money and by answer: exactly one request won it, with 200.
          expect(settledTimes.get(id) ?? 0).toBe(decided ? 1 : 0);
          const winners = answers.filter(
            (a) =>
              a.messageId === id && a.answer.status === 200 && a.answer.headers.get('idempotent-replayed') !== 'true',
          );
          expect(winners.length, id).toBe(decided ? 1 : 0);
          const winner = winners[0];
          if (winner) {
            expect(final?.status).toBe(winner.op.kind === 'accept' ? 'accepted' : 'refunded');
            expect(final?.decided_by).toBe(winner.actor.id);
          }
        }

        for (const a of answers) {
          const { status } = a.answer;
          // A key already bound to another request refuses it first (422, checked with the keys below).
          if (!a.known) expect([404, 422], 'unknown message').toContain(status);
          else if (a.op.who === 'stranger') expect([404, 422], 'stranger').toContain(status);
          else if (!permitted(a.op.who, a.op.kind)) expect([403, 422], `${a.op.who} ${a.op.kind}`).toContain(status);
          else {
            expect([200, 409, 422]).toContain(status);
            const final = finals.get(a.messageId);
            if (status === 200) {
              expect(final?.status).toBe(a.op.kind === 'accept' ? 'accepted' : 'refunded');
              expect((a.answer.body as { message: { status: string } }).message.status).toBe(final?.status);
            }
            if (status === 409) {
              expect(a.answer.body.error?.code).toBe('already_decided');
              expect(a.answer.body.error?.details?.status).toBe(final?.status);
              expect(a.answer.body.error?.details?.decidedBy?.id).toBe(final?.decided_by);
            }
          }
        }

        // One key, one request: its answers are one answer, stored once; another request under it is refused.
        const byKey = new Map<string, Sent[]>();
        for (const a of answers)
          byKey.set(`${a.actor.id} ${a.key}`, [...(byKey.get(`${a.actor.id} ${a.key}`) ?? []), a]);
        const keyRows = await t.platform.db.query<{ user_id: string; key: string; status: number; response: unknown }>(
          'SELECT user_id, key, status, response FROM idempotency_keys WHERE key = ANY($1::text[])',
          [[...new Set(answers.map((a) => a.key))]],
        );
        const stored = new Map(keyRows.map((r) => [`${r.user_id} ${r.key}`, r]));
        for (const [id, group] of byKey) {
          const bound = group.filter((a) => a.answer.status === 200 || a.answer.status === 409);
          const hashes = new Set(bound.map((a) => `${a.op.kind} ${JSON.stringify(a.body)}`));
          expect(hashes.size, id).toBeLessThanOrEqual(1);
          const row = stored.get(id);
          for (const a of bound) {
            expect(row?.status).toBe(a.answer.status);
            expect(a.answer.body).toEqual(row?.response);
          }
          for (const refused of group.filter((a) => a.answer.status === 422)) {
            expect(refused.answer.body.error?.code).toBe('idempotency_mismatch');
            expect(hashes.has(`${refused.op.kind} ${JSON.stringify(refused.body)}`)).toBe(false);
            expect(bound.length).toBeGreaterThan(0);
          }
        }

        // Each inbox's feed: 1..head, no gap, no repeat; the last word on each message is its final state.
        for (const inbox of w.inboxes) {
          await expectFeedWhole(inbox.owner.inboxId);
          const changes = await t.api.feed(inbox.owner, inbox.owner.inboxId);
          for (const id of inbox.messages) {
            const last = changes.filter((c) => c.kind === 'message' && c.data.id === id).at(-1);
            expect((last?.data as { status?: string } | undefined)?.status).toBe(finals.get(id)?.status);
          }
        }
      }),
      { numRuns: database === 'pglite' ? 12 : 8, endOnFailure: true },
    );
    // The property held with batches committed, not only with requests alone; and in this
    // traffic (every escrow covers its price) no batch had to fall back to running alone.
    expect(batches).toBeGreaterThan(0);
    expect(failedBatches).toBe(0);
    expect(largestBatch).toBeGreaterThan(1);
    // Batches spanning several inboxes formed too (before, a batch was one inbox's).
    expect(crossInboxBatches).toBeGreaterThan(0);
  }, 600_000);

  it('commits accepts of many inboxes arriving while one accept is in flight together, not one each', async () => {
    const fan = await t.api.signUpFan();
    const inboxes: Array<{ owner: TestCreator; messageId: string }> = [];
    for (let i = 0; i < 1 + SPREAD; i++) {
      const owner = await t.api.signUpCreator({ price: { minor: 500 + 100 * i, currency: 'USD' } });
      inboxes.push({ owner, messageId: (await t.api.sendPaidMessage(fan, owner, `Spread ${i}`, { fund: true })).id });
    }
    const [first, ...others] = inboxes;
    if (!first) throw new Error('no inbox');
    const before = { transactions, batches, crossInboxBatches };
    // The heads this process announces (to its streams; with NOTIFY, to the others too).
    const announced = new Map<string, number>();
    const stopListening = t.platform.services.onFeed((inboxId, head) => {
      announced.set(inboxId, Math.max(announced.get(inboxId) ?? 0, head));
    });
    let release = () => {};
    hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    // One accept in flight (held): a lone accept in an idle process, on its own path.
    const accepts = [t.api.accept(first.owner, first.messageId)];
    await until(() => t.platform.writesInLane(first.owner.inboxId) === 1);
    // The others arrive while it is in flight, each in an inbox of its own: the first of
    // them starts the process's batch at once (a lone transaction in flight may be waiting
    // on a lock: nothing waits for it), the rest wait for that batch and go in the next.
    try {
      for (const { owner, messageId } of others) {
        accepts.push(t.api.accept(owner, messageId));
        await until(() => t.platform.acceptsHeld() === accepts.length - 1, 5, 2_000);
      }
    } finally {
      hold = null;
      release();
    }
    const results = await Promise.all(accepts);
    expect(results.map((r) => r.status)).toEqual(inboxes.map(() => 200));
    // Each transaction that committed captures has its own id (xmin): the held one, the
    // batch that started beside it, and one for all the rest. Before, one each.
    const committed = await t.platform.db.query<{ n: number; inboxes: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT inbox_id)::int AS inboxes FROM ledger_transactions
       WHERE kind = 'capture' AND message_id = ANY($1::text[]) GROUP BY xmin::text ORDER BY n`,
      [inboxes.map((i) => i.messageId)],
    );
    expect(committed).toEqual([
      { n: 1, inboxes: 1 },
      { n: 1, inboxes: 1 },
      { n: SPREAD - 1, inboxes: SPREAD - 1 },
    ]);
    expect(transactions - before.transactions).toBe(3);
    expect(batches - before.batches).toBe(2);
    expect(crossInboxBatches - before.crossInboxBatches).toBe(1);
    // The batch's feed entries of its SPREAD - 1 inboxes went out in one statement (before:
    // one statement per inbox, SPREAD - 1), each inbox numbered from its own head, and every
    // inbox's new head was announced.
    expect(crossInboxFeedStatements.at(-1)).toBe(1);
    stopListening();
    for (const { owner } of inboxes) {
      await expectFeedWhole(owner.inboxId);
      const [inbox] = await t.platform.db.query<{ feed_head: number }>('SELECT feed_head FROM inboxes WHERE id = $1', [
        owner.inboxId,
      ]);
      expect(announced.get(owner.inboxId)).toBe(Number(inbox?.feed_head));
    }
    if (database === 'postgres') {
      // The batch's lock statement (arrays) runs on its generic plan from its first call on a
      // connection: before, PostgreSQL planned it again for every call (custom plans).
      const plans = await preparedOnEveryConnection(t.platform.db, 'FOR UPDATE OF i, m SKIP LOCKED');
      expect(plans.generic).toBeGreaterThan(0);
      expect(plans.custom).toBe(0);
    }
    await t.api.checkInvariants();
  });

  it('commits accepts arriving one by one while one is in flight in one batch, not one each', async () => {
    const w = await world();
    const [inbox] = w.inboxes;
    if (!inbox) throw new Error('no inbox');
    const messages = [...inbox.messages];
    for (let m = messages.length; m < 8; m++)
      messages.push((await t.api.sendPaidMessage(w.fan, inbox.owner, `One by one ${m}`, { fund: true })).id);
    const lane = inbox.owner.inboxId;
    const batchesBefore = batches;
    let release = () => {};
    holdNext = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first accept's transaction is held (in flight); the others arrive one at a time
    // after it, each once the one before is in the lane or answered.
    const accepts: Array<Promise<ApiResult<unknown>>> = [];
    for (const [i, id] of messages.entries()) {
      let answered = false;
      const accept = t.api.accept(inbox.owner, id);
      accept.then(() => {
        answered = true;
      });
      accepts.push(accept);
      for (let tries = 0; tries < 2_000 && !answered && t.platform.writesInLane(lane) < i + 1; tries++)
        await new Promise((r) => setTimeout(r, 5));
    }
    release();
    const results = await Promise.all(accepts);
    expect(results.map((r) => r.status)).toEqual(messages.map(() => 200));
    // Each transaction that committed captures has its own id (xmin): the held one, alone,
    // then all that queued behind it together. Before, every accept that found the lane's
    // other place free ran alone: one transaction each.
    const transactions = await t.platform.db.query<{ n: number }>(
      `SELECT count(DISTINCT xmin::text)::int AS n FROM ledger_transactions
       WHERE kind = 'capture' AND message_id = ANY($1::text[])`,
      [messages],
    );
    expect(transactions[0]?.n).toBe(2);
    expect(batches - batchesBefore).toBe(1);
    await t.api.checkInvariants();
  });

  it('runs each request of a batch that failed in the database alone: each gets its own answer', async () => {
    const w = await world();
    const [inbox] = w.inboxes;
    if (!inbox) throw new Error('no inbox');
    const who = (name: Who) => (name === 'stranger' ? w.stranger : inbox[name]);
    const request = (kind: Op['kind'], name: Who, message: number): Omit<Sent, 'answer'> => ({
      op: { kind, inbox: 0, message, who: name, wave: 0, dup: null },
      actor: { ...who(name), name },
      messageId: inbox.messages[message] ?? '',
      known: true,
      key: crypto.randomUUID(),
      body: kind === 'accept' ? {} : { reason: 'cannot_answer' },
    });
    // Two take the lane's places; the other five wait there and are taken as one batch, which fails.
    const requests = [
      request('accept', 'owner', 0),
      request('accept', 'owner', 1),
      request('accept', 'owner', 2),
      request('accept', 'decider', 2),
      request('accept', 'refunder', 3),
      request('accept', 'stranger', 3),
      request('accept', 'owner', 3),
    ];
    const failedBefore = failedBatches;
    failNextBatch = true;
    const answers = await inOneWave(requests, [inbox.owner.inboxId]);
    failNextBatch = false;
    expect(failedBatches - failedBefore).toBe(1);
    const statusOf = (name: Who, message: number) =>
      answers.find((a) => a.op.who === name && a.op.message === message)?.answer.status;
    expect([statusOf('owner', 0), statusOf('owner', 1), statusOf('owner', 3)]).toEqual([200, 200, 200]);
    // Message 2: one of the two won, the other was told who did.
    expect([statusOf('owner', 2), statusOf('decider', 2)].sort()).toEqual([200, 409]);
    expect(statusOf('refunder', 3)).toBe(403);
    expect(statusOf('stranger', 3)).toBe(404);
    for (const id of inbox.messages) expect(await t.api.messageStatus(w.fan, id)).toBe('accepted');
    const captures = await t.platform.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'capture' AND message_id = ANY($1::text[])`,
      [inbox.messages],
    );
    expect(captures[0]?.n).toBe(inbox.messages.length);
    await t.api.checkInvariants();
  });
}

describe('group commit under random concurrent accepts and refunds (PGlite)', () => {
  groupCommitProperty('pglite');
});

describeWithPostgres('group commit under random concurrent accepts and refunds (PostgreSQL)', () => {
  groupCommitProperty('postgres');
});
