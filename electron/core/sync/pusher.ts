import {
  ACTIONS,
  type ActionKind,
  type ActionOf,
  QueuedActionSchema,
  type RouteOf,
  routeParams,
} from '../../../shared/actions';
import { toBridgeError } from '../../../shared/contract';
import {
  DecisionDetailsSchema,
  IDEMPOTENCY_KEY_TTL_MS,
  type Message,
  type Note,
  type Reply,
  type RouteResponse,
  type TriageAnswer,
} from '../../../shared/protocol';
import type { AccountStore } from '../store/account-store';
import { addNotice, type Notice } from '../store/notices';
import { dropAction, earliestSendAfter, FAN_NAME_OF_ACTION, nextDueAction, type OutboxRow } from '../store/outbox';
import { stmt } from '../store/statements';
import { storeServerTriage } from '../store/triage';
import { storeSettingsAnswer } from '../team/settings';
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff';
import { type PlatformClient, PlatformError } from './http';
import { limitOf, limitParams } from './limit-refusal';
import { fromPlatformError } from './platform-errors';

const STORAGE_RETRY_MS = 5_000;
/** Room for the device's and the platform's clocks to differ, and for a request in flight. */
const REPLAY_MARGIN_MS = 3_600_000;

/** The text a person wrote into a queued note or reply, kept when it cannot be sent. */
function queuedText(payload: string): string | null {
  try {
    const action = QueuedActionSchema.parse(JSON.parse(payload));
    return 'body' in action ? action.body : null;
  } catch {
    return null;
  }
}

/**
 * Sent before, and by now the platform may have forgotten that send's idempotency key: a
 * note or reply sent again would be a new request, stored (or reaching the fan) twice.
 */
function pastReplayWindow(row: OutboxRow, now: number): boolean {
  if (ACTIONS[row.kind].repeatable || row.first_sent_at === null) return false;
  return now - row.first_sent_at >= IDEMPOTENCY_KEY_TTL_MS - REPLAY_MARGIN_MS;
}

export type Settlement = 'applied' | 'conflict' | 'rejected' | 'retry' | 'signed_out';

export interface PusherOptions {
  store: AccountStore;
  client: () => PlatformClient | null;
  now: () => number;
  backoff?: BackoffPolicy;
  onSettled(row: OutboxRow, outcome: Settlement, notice: Notice | null): void;
  onSignedOut(): void;
  onNetwork(online: boolean): void;
}

/** How each action's answer settles the local copy (call inside a write transaction). */
const SETTLE: {
  readonly [K in ActionKind]: (store: AccountStore, row: OutboxRow, answer: RouteResponse<RouteOf<K>>) => void;
} = {
  accept: (store, _row, answer) => settleDecision(store, answer),
  refund: (store, _row, answer) => settleDecision(store, answer),
  reply: (store, _row, reply) => insertEntry(store, 'replies', reply),
  note: (store, _row, note) => insertEntry(store, 'notes', note),
  // A draft lives on the platform until approved; the approval's accept settles the message.
  draft: () => undefined,
  triage: (store, _row, triage) => settleTriage(store, triage),
  settings: (store, row, settings) => storeSettingsAnswer(store.db, row.inbox_id, settings),
  // The fan's card shows the new state at once; the feed brings the same entry (and any refunds) with its seq.
  block: (store, row, answer) => settleBlocked(store, row, true, answer.seq),
  unblock: (store, row, answer) => settleBlocked(store, row, false, answer.seq),
};

/** The message a notice is about: none for an inbox's settings or a fan (their rows carry an ordering key). */
function aboutMessage(row: OutboxRow): string | null {
  return ACTIONS[row.kind].target === 'message' ? row.message_id : null;
}

/** A fan action's notice names the fan: there is no message to name them by. */
function fanParams(store: AccountStore, row: OutboxRow): { fanName?: string } {
  if (ACTIONS[row.kind].target !== 'fan') return {};
  // Read while the row is still in the outbox.
  const name = stmt(store.db, `SELECT ${FAN_NAME_OF_ACTION} FROM outbox o WHERE o.id = ?`).pluck().get(row.id);
  return typeof name === 'string' ? { fanName: name } : {};
}

/**
 * The fan's card says what was answered, at the answer's feed position when it has one (older
 * entries of the fan read after it then leave it alone), unless the feed already brought newer.
 */
function settleBlocked(store: AccountStore, row: OutboxRow, blocked: boolean, seq: number | undefined): void {
  const action = QueuedActionSchema.parse(JSON.parse(row.payload));
  if (!('fanId' in action)) return;
  stmt(
    store.db,
    `UPDATE fans SET blocked = @blocked, seq = coalesce(@seq, seq)
     WHERE inbox_id = @inboxId AND id = @fanId AND (@seq IS NULL OR seq < @seq)`,
  ).run({ blocked: blocked ? 1 : 0, seq: seq ?? null, inboxId: row.inbox_id, fanId: action.fanId });
}

/**
 * Sends one action as the registry's request (its row id as the idempotency key) and
 * returns how its answer settles; the kind ties the request to its settling.
 */
async function send<K extends ActionKind>(
  client: PlatformClient,
  row: OutboxRow,
  kind: K,
  action: ActionOf<K>,
): Promise<(store: AccountStore) => void> {
  const spec = ACTIONS[kind];
  const params = routeParams(action, { inboxId: row.inbox_id, messageId: row.message_id });
  const answer = await client.call(spec.route, { params, body: spec.body(action), idempotencyKey: row.id });
  return (store) => SETTLE[kind](store, row, answer);
}

function settleDecision(store: AccountStore, result: { message: Message; reply: Reply | null }): void {
  recordDecision(store, result.message.id, result.message);
  if (result.reply) insertEntry(store, 'replies', result.reply);
}

/**
 * The platform's triage answer, stored at its feed position: older entries read after it (a
 * snapshot chunk, a page already on its way) leave it alone, and a newer one replaces it.
 * An answer without a position (replayed from before positions were sent) wins unless the
 * feed already brought a newer one.
 */
function settleTriage(store: AccountStore, answer: TriageAnswer): void {
  const { seq, ...triage } = answer;
  if (seq !== undefined) {
    storeServerTriage(store.db, triage, seq);
    return;
  }
  const current = stmt(store.db, 'SELECT updated_at FROM triage WHERE message_id = ?').pluck().get(triage.messageId) as
    | number
    | undefined;
  if (current === undefined || triage.updatedAt >= current) storeServerTriage(store.db, triage, null);
}

/** A decision the platform reported (answer or conflict) is written even before the feed brings it. */
function recordDecision(
  store: AccountStore,
  messageId: string,
  m: Pick<Message, 'status' | 'decidedAt' | 'decidedBy' | 'refundReason' | 'noteToFan'>,
): void {
  stmt(
    store.db,
    `UPDATE messages SET status = @status, decided_at = @decidedAt, decided_by_id = @byId, decided_by_name = @byName,
       refund_reason = coalesce(@refundReason, refund_reason), note_to_fan = coalesce(@noteToFan, note_to_fan)
     WHERE id = @id AND status = 'pending'`,
  ).run({
    id: messageId,
    status: m.status,
    decidedAt: m.decidedAt,
    byId: m.decidedBy?.id ?? null,
    byName: m.decidedBy?.name ?? null,
    refundReason: m.refundReason,
    noteToFan: m.noteToFan,
  });
}

function insertEntry(store: AccountStore, table: 'replies' | 'notes', e: Reply | Note): void {
  stmt(
    store.db,
    `INSERT INTO ${table} (id, message_id, author_id, author_name, body, created_at, seq) VALUES (?, ?, ?, ?, ?, ?, 0)
     ON CONFLICT (id) DO NOTHING`,
  ).run(e.id, e.messageId, e.authorId, e.authorName, e.body, e.createdAt);
}

/**
 * Sends the outbox in order (per message), each action with its row id as the
 * idempotency key, and settles each on the platform's final answer. A crash between send
 * and settle just means the same key is sent again, and the platform answers with the
 * result it stored the first time: every action is applied exactly once.
 */
export class Pusher {
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: PusherOptions) {
    // A send interrupted by a crash is simply sent again (same key).
    stmt(options.store.db, 'UPDATE outbox SET sending = 0 WHERE sending = 1').run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  resume(): void {
    this.stopped = false;
    this.kick();
  }

  /** Something changed (new action, back online): send what is due now. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain()
      .catch(() => {
        // Storage trouble (disk full, locked): try again a little later; nothing was lost.
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => this.kick(), STORAGE_RETRY_MS);
        this.timer.unref?.();
      })
      .finally(() => {
        this.running = false;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  /**
   * The platform answered: actions waiting out a retry backoff are due now, so the queue
   * drains the moment the platform is back instead of when each backoff ends. Actions
   * held for undo (never attempted) keep their hold.
   */
  resetBackoff(): void {
    if (this.stopped) return;
    const { store } = this.options;
    const now = this.options.now();
    const changed = store.write(
      () =>
        stmt(store.db, 'UPDATE outbox SET send_after = ? WHERE attempts > 0 AND send_after > ?').run(now, now).changes,
    );
    if (changed > 0 || !this.running) this.kick();
  }

  /** Resolves when nothing is due (held or backed-off actions may remain). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const next = earliestSendAfter(this.options.store.db);
    if (next === null) return;
    const delay = Math.max(0, next - this.options.now());
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.kick();
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    const { store } = this.options;
    for (;;) {
      if (this.stopped) return;
      const client = this.options.client();
      if (!client) return;
      const row = store.read(() => nextDueAction(store.db, this.options.now()));
      if (!row) break;
      if (pastReplayWindow(row, this.options.now())) {
        this.settleUnconfirmed(row);
        continue;
      }
      store.write(() =>
        stmt(store.db, 'UPDATE outbox SET sending = 1, first_sent_at = coalesce(first_sent_at, ?) WHERE id = ?').run(
          this.options.now(),
          row.id,
        ),
      );
      const outcome = await this.sendOne(client, row);
      if (outcome === 'signed_out') {
        this.options.onSignedOut();
        return;
      }
    }
    this.schedule();
  }

  private async sendOne(client: PlatformClient, row: OutboxRow): Promise<Settlement> {
    const { store } = this.options;
    try {
      const action = QueuedActionSchema.parse(JSON.parse(row.payload));
      const settle = await send(client, row, action.kind, action);
      this.options.onNetwork(true);
      store.write(() => {
        dropAction(store.db, row);
        // It got through: whatever waits out a retry backoff goes right after it.
        stmt(store.db, 'UPDATE outbox SET send_after = ? WHERE attempts > 0 AND send_after > ?').run(
          this.options.now(),
          this.options.now(),
        );
        settle(store);
      }, true);
      this.options.onSettled(row, 'applied', null);
      return 'applied';
    } catch (error) {
      return this.settleFailure(row, error);
    }
  }

  /**
   * Not sent again, and said so with its text: whether the first send arrived cannot be
   * known any more, and a second copy would be applied twice. The person checks the thread.
   */
  private settleUnconfirmed(row: OutboxRow): void {
    this.dropWithNotice(row, 'rejected', {
      kind: 'rejected',
      code: 'unconfirmed',
      text: `Your ${row.kind} was not sent again: its first send a day ago may have arrived, and a second would be applied twice. Check the conversation.`,
      actorName: null,
      params: { action: row.kind, body: queuedText(row.payload) },
    });
  }

  /**
   * Takes the action off the queue and says why in a notice about its message (none for an
   * inbox's settings or a fan), in one write — with `alsoInWrite`, what the platform told us
   * about the message — then reports it settled.
   */
  private dropWithNotice(
    row: OutboxRow,
    outcome: 'rejected' | 'conflict',
    notice: Omit<Parameters<typeof addNotice>[1], 'messageId' | 'at'>,
    alsoInWrite?: () => void,
  ): Settlement {
    const { store } = this.options;
    const added = store.write(() => {
      dropAction(store.db, row);
      alsoInWrite?.();
      return addNotice(store.db, { ...notice, messageId: aboutMessage(row), at: this.options.now() });
    }, true);
    this.options.onSettled(row, outcome, added);
    return outcome;
  }

  private settleFailure(row: OutboxRow, error: unknown): Settlement {
    const { store } = this.options;
    const now = this.options.now();
    if (error instanceof PlatformError && error.kind === 'unauthenticated') {
      store.write(() => stmt(store.db, 'UPDATE outbox SET sending = 0 WHERE id = ?').run(row.id));
      return 'signed_out';
    }
    if (error instanceof PlatformError && error.kind === 'final') {
      const decision = error.code === 'already_decided' ? DecisionDetailsSchema.safeParse(error.details) : null;
      if (decision?.success && row.message_id) {
        const d = decision.data;
        const messageId = row.message_id;
        const who = d.decidedBy?.name ?? 'the platform';
        // Refund met a refund or an expiry (the fan got the money back either way), or an
        // accept met an accept: what the person wanted happened, so it is not a conflict.
        const sameOutcome =
          (row.kind === 'refund' && (d.status === 'refunded' || d.status === 'expired')) ||
          (row.kind === 'accept' && d.status === 'accepted');
        return this.dropWithNotice(
          row,
          'conflict',
          {
            kind: sameOutcome ? 'info' : 'conflict',
            code: sameOutcome ? 'same_outcome' : 'already_decided',
            text: sameOutcome
              ? `Your ${row.kind} was not needed: the message was already ${d.status === 'expired' ? 'expired and refunded to the fan' : d.status} at ${new Date(d.decidedAt).toISOString()}.`
              : `Your ${row.kind} was not applied: ${who} had already ${d.status === 'expired' ? 'let it expire' : d.status} this message at ${new Date(d.decidedAt).toISOString()}.`,
            actorName: d.decidedBy?.name ?? null,
            params: {
              action: row.kind,
              status: d.status,
              decidedAt: d.decidedAt,
              actorName: d.decidedBy?.name ?? null,
            },
          },
          () =>
            recordDecision(store, messageId, {
              status: d.status,
              decidedAt: d.decidedAt,
              decidedBy: d.decidedBy,
              refundReason: null,
              noteToFan: null,
            }),
        );
      }
      const overLimit = limitOf(error.details);
      return this.dropWithNotice(row, 'rejected', {
        kind: 'rejected',
        // A money limit the owner set is named, with its figures, so the notice can say which.
        code: overLimit ? 'over_limit' : (error.code ?? 'rejected'),
        text: `Your ${row.kind} was not applied: ${error.message}`,
        actorName: null,
        params: {
          action: row.kind,
          httpStatus: error.status,
          // Read while the row is still in the outbox.
          ...fanParams(store, row),
          ...(overLimit ? limitParams(overLimit) : {}),
        },
      });
    }
    // Network trouble, a timeout, 429/5xx or an unreadable answer: the platform may or may
    // not have applied it, so send the same key again later.
    if (error instanceof PlatformError && error.kind === 'network') this.options.onNetwork(false);
    // Shown in the outbox: what the bridge would say of it (never SQLite's text).
    const { message } = toBridgeError(fromPlatformError(error));
    // No connection was made: this attempt did not leave, so it does not count as a send
    // (it can still be cancelled, and its replay window has not started).
    const neverSent = error instanceof PlatformError && error.neverSent;
    store.write(() =>
      stmt(
        store.db,
        `UPDATE outbox SET sending = 0, attempts = attempts + 1, last_error = @error, send_after = @sendAfter,
           first_sent_at = CASE WHEN @neverSent = 1 THEN @before ELSE first_sent_at END
         WHERE id = @id`,
      ).run({
        error: message.slice(0, 500),
        sendAfter: now + backoffDelay(row.attempts, this.options.backoff ?? DEFAULT_BACKOFF),
        neverSent: neverSent ? 1 : 0,
        before: row.first_sent_at,
        id: row.id,
      }),
    );
    this.options.onSettled(row, 'retry', null);
    return 'retry';
  }
}
