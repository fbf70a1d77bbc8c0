import { ACTIONS, type FanAction, mayAct } from '../../../shared/actions';
import type { Account, Action, CallOutput, EventName, EventPayload } from '../../../shared/contract';
import type { ChangeKind } from '../../../shared/protocol';
import { CoreError } from '../errors';
import type { AccountStore } from '../store/account-store';
import type { AppliedChanges, EntityKind } from '../store/apply';
import { readCursor } from '../store/apply';
import { forgetEarnings, refetchForEarnings } from '../store/earnings-access';
import { addNotice } from '../store/notices';
import { type Actor, countOutbox, enqueueAction, enqueueFanAction, undoAction } from '../store/outbox';
import { countSetAside } from '../store/set-aside';
import { stmt } from '../store/statements';
import type { BackoffPolicy } from '../sync/backoff';
import { EventStream } from '../sync/event-stream';
import { PlatformClient, PlatformError } from '../sync/http';
import { InboxPuller } from '../sync/puller';
import { Pusher } from '../sync/pusher';
import { Turns } from '../sync/turns';
import { ChangeAnnouncer, MAX_EVENT_IDS } from './change-announcer';

export type Emit = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export interface SessionSettings {
  now: () => number;
  emit: Emit;
  undoWindowMs: number;
  /** Slow poll while the event stream is down (and as a safety net while it is up). */
  pollIntervalMs: number;
  backoff?: BackoffPolicy;
  /** Listen to server-sent events (off in a few tests that drive pulls by hand). */
  liveEvents: boolean;
  bootstrapPageSize?: number | undefined;
  snapshotChunkSize?: number | undefined;
  bootstrapSliceMs?: number | undefined;
  /** Inbox snapshots streamed at once past their first chunk (default SNAPSHOT_STREAMS: no limit). */
  snapshotStreams?: number | undefined;
  /** How often a bootstrap's changes are announced at most (default: change-announcer.ts). */
  bootstrapAnnounceEveryMs?: number | undefined;
  /** This build's version: feed entries set aside by another version are tried again. */
  appVersion: string;
  /** The feed entry kinds this build applies (default: all it knows; tests stand in for an older build). */
  knownKinds?: readonly ChangeKind[] | undefined;
  /** The platform refused an inbox (403/404): access may have been revoked (electron/core/team). */
  onInboxRefused?: ((session: AccountSession, inboxId: string) => void) | undefined;
}

type SyncState = CallOutput<'sync.status'>['state'];

/**
 * While inboxes bootstrap, their progress is announced at most this often: each slice of
 * a snapshot commits every few milliseconds, and each status reads every inbox's progress.
 */
const BOOTSTRAP_STATUS_EVERY_MS = 100;

/**
 * How many of a new device's inboxes stream their snapshots (past the small first chunk) at
 * once, by default: all of them. Two or four turns finished a manager's first inbox 2.5–4×
 * sooner but all 20 (20 × 5k) 20–45 % later in the bench, at the same client CPU
 * (electron/core/README.md, Many inboxes); `sync.snapshotStreams` sets a limit.
 */
export const SNAPSHOT_STREAMS = Number.POSITIVE_INFINITY;

/**
 * One signed-in account at run time: its database, its platform client, one puller and
 * one event stream per inbox, and one pusher for its outbox. Everything the call
 * handlers do for an account goes through here, and every committed change is announced.
 */
export class AccountSession {
  readonly client: PlatformClient;
  readonly pusher: Pusher;
  private readonly pullers = new Map<string, InboxPuller>();
  private readonly streams = new Map<string, EventStream>();
  private pollTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private state: SyncState;
  private lastError: string | null = null;
  private closed = false;
  /** Inboxes whose last pull failed for a reason other than the network. */
  private readonly behind = new Set<string>();
  /** Feed entries set aside since the last notice about them. */
  private setAsideSinceNotice = 0;
  /** A bootstrap's slices are announced together, a few times a second; anything else at once. */
  private readonly changes: ChangeAnnouncer;
  /** Turns to stream the bulk of a snapshot, shared by the account's inboxes. */
  private readonly snapshotTurns: Turns;

  constructor(
    public account: Account,
    readonly store: AccountStore,
    token: string | null,
    private readonly settings: SessionSettings,
  ) {
    this.client = new PlatformClient(account.platformUrl, token, settings.now);
    this.snapshotTurns = new Turns(settings.snapshotStreams ?? SNAPSHOT_STREAMS);
    this.changes = new ChangeAnnouncer(
      (kinds, inboxId, messageIds) => this.announce(kinds, inboxId, messageIds),
      settings.bootstrapAnnounceEveryMs,
    );
    this.client.clock.onChange = () => this.emitStatus();
    this.state = token ? 'syncing' : 'signed_out';
    this.pusher = new Pusher({
      store,
      client: () => (this.client.hasToken ? this.client : null),
      now: settings.now,
      backoff: settings.backoff,
      onSettled: (row, outcome, notice) => {
        const kinds: EntityKind[] = ['outbox', 'message', 'thread', 'counts'];
        if (notice) kinds.push('notices');
        // Settings and fan actions carry an ordering key, not a message: every open thread may show them.
        const message = ACTIONS[row.kind].target === 'message' ? row.message_id : null;
        this.announce(kinds, row.inbox_id, message ? [message] : undefined);
        if (notice) this.settings.emit('notice.added', { ...notice, accountId: this.account.id });
        if (outcome !== 'retry') this.emitStatus();
      },
      onSignedOut: () => this.markSignedOut(),
      onNetwork: (online) => {
        // A push got through while the streams still wait out their backoff: reconnect them.
        if (online && this.state === 'offline') for (const stream of this.streams.values()) stream.reconnectNow();
        this.setState(online ? 'online' : 'offline');
      },
    });
    for (const inbox of account.inboxes) this.addInbox(inbox.inboxId);
  }

  get id(): string {
    return this.account.id;
  }

  /** The person acting, with the role and permissions the platform gave them per inbox. */
  get actor(): Actor {
    return {
      userId: this.account.userId,
      displayName: this.account.displayName,
      membership: (inboxId) => this.account.inboxes.find((i) => i.inboxId === inboxId) ?? null,
    };
  }

  private addInbox(inboxId: string): void {
    if (this.pullers.has(inboxId)) return;
    this.pullers.set(
      inboxId,
      new InboxPuller({
        store: this.store,
        client: this.client,
        inboxId,
        now: this.settings.now,
        anyBootstrapping: () => [...this.pullers.values()].some((p) => p.bootstrapping),
        onApplied: (applied, bootstrapping, mayWait) => this.onPageApplied(applied, bootstrapping, mayWait),
        bootstrapPageSize: this.settings.bootstrapPageSize,
        snapshotChunkSize: this.settings.snapshotChunkSize,
        bootstrapSliceMs: this.settings.bootstrapSliceMs,
        snapshotTurn: () => this.snapshotTurns.take(),
        mayWaitForSnapshotTurn: () =>
          [...this.pullers.values()].filter((p) => p.bootstrapping).length > this.snapshotTurns.limit,
        appVersion: this.settings.appVersion,
        knownKinds: this.settings.knownKinds,
      }),
    );
  }

  updateInboxes(account: Account): void {
    const before = this.account;
    this.account = account;
    for (const inbox of account.inboxes) {
      this.addInbox(inbox.inboxId);
      if (this.client.hasToken && !this.closed && !this.streams.has(inbox.inboxId)) this.listen(inbox.inboxId);
      const was = before.inboxes.find((i) => i.inboxId === inbox.inboxId);
      if (was) this.followEarningsAccess(inbox.inboxId, mayAct(was, 'view_earnings'), mayAct(inbox, 'view_earnings'));
    }
  }

  /**
   * `view_earnings` granted: fetch the money this device was never sent (the inbox's
   * snapshot again); revoked: drop the money it holds (store/earnings-access.ts).
   */
  private followEarningsAccess(inboxId: string, had: boolean, has: boolean): void {
    if (had === has || this.closed) return;
    this.store.write(() => (has ? refetchForEarnings : forgetEarnings)(this.store.db, inboxId), true);
    this.announce(['earnings', 'message', 'thread', 'counts'], inboxId);
    if (has) void this.pullInbox(inboxId);
  }

  /** Stops syncing an inbox this person may no longer read (its local copy is removed by the caller). */
  async removeInbox(inboxId: string): Promise<void> {
    this.behind.delete(inboxId);
    this.streams.get(inboxId)?.stop();
    this.streams.delete(inboxId);
    const puller = this.pullers.get(inboxId);
    this.pullers.delete(inboxId);
    await puller?.idle();
  }

  /** Starts listening, pulling and pushing (when there is a token). */
  start(): void {
    if (this.closed || !this.client.hasToken) return;
    this.setState('syncing');
    if (this.settings.liveEvents) for (const inboxId of this.pullers.keys()) this.listen(inboxId);
    this.schedulePoll();
    void this.pullAll();
    this.pusher.resume();
  }

  setToken(token: string): void {
    this.client.setToken(token);
    this.start();
  }

  private listen(inboxId: string): void {
    if (!this.settings.liveEvents || this.streams.has(inboxId)) return;
    const stream = new EventStream({
      url: this.client.url(`/v1/inboxes/${encodeURIComponent(inboxId)}/events`),
      headers: () => this.client.authHeaders(),
      backoff: this.settings.backoff,
      onChanges: (headSeq) => void this.pullInbox(inboxId, headSeq),
      onConnection: (connected) => {
        // Coming back online: catch up on what the stream missed and send what waited.
        if (connected) {
          void this.pullInbox(inboxId);
          this.backOnline();
        }
      },
      onUnauthorized: () => this.markSignedOut(),
      onRefused: () => this.settings.onInboxRefused?.(this, inboxId),
    });
    this.streams.set(inboxId, stream);
    stream.start();
  }

  private schedulePoll(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = setInterval(() => {
      void this.pullAll();
      this.pusher.kick();
    }, this.settings.pollIntervalMs);
    this.pollTimer.unref?.();
  }

  /** Pulls every inbox until caught up; failures set the status, never throw. */
  async pullAll(): Promise<void> {
    await Promise.all([...this.pullers.keys()].map((inboxId) => this.pullInbox(inboxId)));
  }

  async pullInbox(inboxId: string, headHint = 0): Promise<void> {
    const puller = this.pullers.get(inboxId);
    if (!puller || this.closed || !this.client.hasToken) return;
    try {
      await puller.pull(headHint);
      const wasOffline = this.state === 'offline';
      this.behind.delete(inboxId);
      this.lastError = null;
      if (wasOffline) this.backOnline();
      if (this.state !== 'signed_out') this.setState(this.anyBootstrapping() ? 'syncing' : 'online');
    } catch (error) {
      if (this.closed) return;
      if (error instanceof PlatformError && error.kind === 'unauthenticated') return this.markSignedOut();
      if (error instanceof PlatformError && error.kind === 'final' && (error.status === 403 || error.status === 404)) {
        this.settings.onInboxRefused?.(this, inboxId);
      }
      this.lastError = error instanceof Error ? error.message : String(error);
      // Anything but an unreachable network (a page it cannot place, a platform error,
      // a storage failure) means this device is not keeping up: never "online" then.
      const network = error instanceof PlatformError && error.kind === 'network';
      if (!network) this.behind.add(inboxId);
      this.setState(network ? 'offline' : 'behind');
      this.emitStatus();
    } finally {
      this.noticeSetAside();
    }
  }

  /** One notice per pull for the entries it had to set aside, not one per entry. */
  private noticeSetAside(): void {
    const count = this.setAsideSinceNotice;
    if (count === 0 || this.closed) return;
    this.setAsideSinceNotice = 0;
    const notice = this.store.write(() =>
      addNotice(this.store.db, {
        messageId: null,
        kind: 'info',
        code: 'feed_entries_set_aside',
        text: `${count} update(s) from the platform could not be read by this version of the app; they were set aside and will be tried again after an update.`,
        actorName: null,
        at: this.settings.now(),
        params: { count },
      }),
    );
    this.announce(['notices'], null);
    this.settings.emit('notice.added', { ...notice, accountId: this.account.id });
  }

  get lastSyncError(): string | null {
    return this.lastError;
  }

  private anyBootstrapping(): boolean {
    return [...this.pullers.values()].some((p) => p.bootstrapping);
  }

  private onPageApplied(applied: AppliedChanges, bootstrapping: boolean, mayWait: boolean): void {
    this.setAsideSinceNotice += applied.setAside;
    if (mayWait) this.changes.later(applied.inboxId, applied.kinds, applied.messageIds);
    else this.changes.now(applied.inboxId, applied.kinds, applied.messageIds);
    if (bootstrapping) this.emitStatusSoon();
    else if (this.state === 'syncing') this.emitStatus();
  }

  /** One status within BOOTSTRAP_STATUS_EVERY_MS, however many slices commit meanwhile. */
  private emitStatusSoon(): void {
    if (this.statusTimer || this.closed) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.emitStatus();
    }, BOOTSTRAP_STATUS_EVERY_MS);
  }

  announce(kinds: EntityKind[], inboxId: string | null, messageIds?: string[]): void {
    if (kinds.length === 0) return;
    this.settings.emit('entities.changed', {
      accountId: this.account.id,
      inboxId,
      kinds: [...new Set(kinds)],
      ...(messageIds && messageIds.length > 0 ? { messageIds: messageIds.slice(0, MAX_EVENT_IDS) } : {}),
    });
  }

  private setState(wanted: SyncState): void {
    // A successful push says the platform is reachable, not that this device keeps up.
    const state = wanted === 'online' && this.behind.size > 0 ? 'behind' : wanted;
    if (this.state === 'signed_out' && state !== 'signed_out' && !this.client.hasToken) return;
    if (this.state === state) return;
    this.state = state;
    this.emitStatus();
  }

  private markSignedOut(): void {
    this.client.setToken(null);
    this.stopNetwork();
    this.state = 'signed_out';
    this.emitStatus();
  }

  status(): CallOutput<'sync.status'> {
    let done = 0;
    let total = 0;
    let bootstrapping = false;
    const inboxes: CallOutput<'sync.status'>['inboxes'] = [];
    for (const [inboxId, puller] of this.pullers) {
      const progress = puller.progress();
      done += progress.done;
      total += progress.total;
      if (!puller.bootstrapping) continue;
      bootstrapping = true;
      inboxes.push({ inboxId, ...progress });
    }
    const lastSyncAt = stmt(this.store.db, 'SELECT max(last_sync_at) FROM sync_state').pluck().get() as number | null;
    return {
      accountId: this.account.id,
      state: this.state,
      bootstrap: bootstrapping ? { done, total } : null,
      inboxes,
      lastSyncAt,
      pendingActions: countOutbox(this.store.db),
      setAside: countSetAside(this.store.db),
      clockOffsetMs: this.client.clock.offsetMs,
    };
  }

  emitStatus(): void {
    if (!this.closed) this.settings.emit('sync.status', this.status());
  }

  /** Device time moved onto the platform's clock: deadlines are the platform's. */
  platformNow(deviceNow: number): number {
    return deviceNow + this.client.clock.offsetMs;
  }

  /** Queues one action as of `now` (device time), checked by the registry on the platform's clock. */
  private enqueue(messageId: string, action: Action, now: number) {
    return enqueueAction(
      this.store.db,
      messageId,
      action,
      this.actor,
      now,
      this.settings.undoWindowMs,
      this.platformNow(now),
    );
  }

  submit(messageId: string, action: Action): CallOutput<'actions.submit'> {
    const result = this.store.write(() => this.enqueue(messageId, action, this.settings.now()), true);
    const inboxId = this.inboxOf(messageId);
    this.announce(['message', 'thread', 'counts', 'outbox'], inboxId, [messageId]);
    this.emitStatus();
    this.pusher.kick();
    return result;
  }

  /** Queues a block or unblock of one fan of an inbox; it leaves at once (nothing to undo in a window). */
  submitFan(inboxId: string, action: FanAction): CallOutput<'fans.submit'> {
    const now = this.settings.now();
    const result = this.store.write(() => enqueueFanAction(this.store.db, inboxId, action, this.actor, now), true);
    this.announce(['thread', 'outbox'], inboxId);
    this.emitStatus();
    this.pusher.kick();
    return result;
  }

  bulk(messageIds: string[], action: Action): CallOutput<'actions.bulk'> {
    const now = this.settings.now();
    const results = this.store.write(
      () =>
        messageIds.map((messageId) => {
          try {
            // Each message in its own savepoint: one refusal leaves the others standing.
            const { actionId } = this.store.db.transaction(() => this.enqueue(messageId, action, now))();
            return { messageId, ok: true, actionId, error: null };
          } catch (error) {
            if (!(error instanceof CoreError)) throw error;
            return { messageId, ok: false, actionId: null, error: error.message };
          }
        }),
      true,
    );
    const changed = results.filter((r) => r.ok).map((r) => r.messageId);
    this.announce(['message', 'thread', 'counts', 'outbox'], null, changed);
    this.emitStatus();
    this.pusher.kick();
    // Every held action of the batch was queued at `now`: one window for the whole batch.
    const held = ACTIONS[action.kind].held && changed.length > 0;
    return { results, undoUntil: held ? now + this.settings.undoWindowMs : null };
  }

  undo(actionId: string): boolean {
    return this.undoMany([actionId]).length === 1;
  }

  /** Takes back, in one transaction, each action that has not started leaving; returns those. */
  undoMany(actionIds: readonly string[]): string[] {
    const rows = this.store.write(() => actionIds.flatMap((id) => undoAction(this.store.db, id) ?? []), true);
    if (rows.length === 0) return [];
    const inboxes = new Set(rows.map((r) => r.inbox_id));
    this.announce(
      ['message', 'thread', 'counts', 'outbox'],
      inboxes.size === 1 ? (rows[0]?.inbox_id ?? null) : null,
      rows.flatMap((r) => (r.message_id ? [r.message_id] : [])),
    );
    this.emitStatus();
    return rows.map((r) => r.id);
  }

  /** "Try again now": waiting retries are due at once, and every inbox pulls (resolves when the pull is done). */
  async retryNow(): Promise<void> {
    this.pusher.resetBackoff();
    for (const stream of this.streams.values()) stream.reconnectNow();
    await this.pullAll();
  }

  /**
   * The platform answered again (a stream connected, a pull succeeded): every backoff
   * restarts from zero — queued actions go now, streams still waiting reconnect now.
   */
  private backOnline(): void {
    this.pusher.resetBackoff();
    for (const stream of this.streams.values()) stream.reconnectNow();
  }

  inboxOf(messageId: string): string | null {
    return (stmt(this.store.db, 'SELECT inbox_id FROM messages WHERE id = ?').pluck().get(messageId) as string) ?? null;
  }

  cursorOf(inboxId: string): number {
    return readCursor(this.store.db, inboxId).cursor;
  }

  private stopNetwork(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = null;
    this.changes.flush();
    for (const stream of this.streams.values()) stream.stop();
    this.streams.clear();
    this.pusher.stop();
  }

  /** Stops all network activity and waits for in-flight work before closing the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopNetwork();
    await this.pusher.idle();
    await Promise.allSettled([...this.pullers.values()].map((p) => p.idle()));
    this.changes.flush();
    this.store.close();
  }
}
