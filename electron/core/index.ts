import { mkdirSync, rmSync } from 'node:fs';
import type { Account, CallHandlers, EventName, EventPayload } from '../../shared/contract';
import type { ChangeKind } from '../../shared/protocol';
import { delegationHandlers } from './delegation';
import { draftHandlers } from './drafts';
import { earningsHandlers } from './earnings';
import { prepareZone } from './earnings/zone';
import { CoreError } from './errors';
import { forecastHandlers } from './forecast';
import { pricingHandlers } from './pricing';
import { AccountSession, type Emit } from './services/account-session';
import { refreshMemberships, type SignedIn, signIn } from './services/accounts';
import { AccountStore } from './store/account-store';
import { AppStore, accountDatabasePath, accountDataFiles } from './store/app-store';
import { addNotice, dismissAllNotices, dismissNotice, listNotices } from './store/notices';
import { DEFAULT_UNDO_WINDOW_MS, listOutbox } from './store/outbox';
import { inboxCounts, inboxPage, messageThread, searchMessages } from './store/queries';
import type { BackoffPolicy } from './sync/backoff';
import { createTeam } from './team';
import type { TokenVault } from './vault';

export { CoreError } from './errors';
export { createMemoryVault, type TokenVault } from './vault';
export { type CoreInWorkerOptions, createCoreInWorker } from './worker/host';

export interface DemoLauncher {
  start(): Promise<{ url: string; email: string; password: string }>;
}

export interface CoreOptions {
  /** The app's data folder; the core keeps one SQLite file per signed-in account under it. */
  dataDir: string;
  deviceName: string;
  vault: TokenVault;
  /** Provided by the shell: starts the embedded platform (server/) in-process. */
  demo?: DemoLauncher;
  /** ms since epoch */
  clock?: () => number;
  shell: 'electron' | 'browser';
  version: string;
  /** Sync tuning; the defaults are right for the app, tests shorten them. */
  sync?: {
    /** How long accepts and refunds wait before they leave, so they can be undone (default 5 s). */
    undoWindowMs?: number;
    /** Slow poll of every inbox (default 30 s). */
    pollIntervalMs?: number;
    backoff?: BackoffPolicy;
    /** Listen to the platform's server-sent events (default true). */
    liveEvents?: boolean;
    /** How long a write waits for a lock held by another program (default 500 ms). */
    busyTimeoutMs?: number;
    /** Entries per change-feed page while bootstrapping (default 500). */
    bootstrapPageSize?: number;
    /** Entries per snapshot chunk (tests make it small so a crash can land mid-snapshot). */
    snapshotChunkSize?: number;
    /**
     * How long one step of a snapshot bootstrap may hold the core's thread (default 8 ms: a
     * frame's share on the thread that serves the interface; the worker sets its own).
     */
    bootstrapSliceMs?: number;
    /** Inbox snapshots streamed at once past their small first chunk (default: all; services/account-session.ts). */
    snapshotStreams?: number;
    /** How often a bootstrap's changes are announced at most (default 500 ms; tests lengthen it to count). */
    bootstrapAnnounceEveryMs?: number;
    /** Feed entry kinds this build applies (default all); only tests narrow it, to stand in for an older build. */
    knownKinds?: readonly ChangeKind[];
  };
}

export type CoreEventListener = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

export interface Core {
  /** One async function per contract call; transports feed them through dispatchCall. */
  handlers: CallHandlers;
  onEvent(listener: CoreEventListener): () => void;
  close(): Promise<void>;
}

const DEFAULT_POLL_MS = 30_000;

/**
 * The core: accounts, each account's local store and sync, and the view-shaped queries
 * the renderer asks for. Plain Node (never imports electron), so the Electron main
 * process, the browser host and the tests all run exactly this.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const now = options.clock ?? Date.now;
  mkdirSync(options.dataDir, { recursive: true });
  const app = new AppStore(options.dataDir);
  const listeners = new Set<CoreEventListener>();
  const emit: Emit = (name, payload) => {
    for (const listener of listeners) {
      try {
        listener(name, payload);
      } catch {
        // One broken listener must not stop the others or the core.
      }
    }
  };
  const sessions = new Map<string, AccountSession>();
  let closed = false;
  // While the thread is idle after opening, not in the middle of the first sync.
  const zoneWarmUp = setImmediate(() => prepareZone());
  const team = createTeam({
    sessionFor: (accountId) => sessionFor(accountId),
    saveAccount: (account) => app.upsert(account, now()),
    emit,
    now,
    backoff: options.sync?.backoff,
  });
  listeners.add((name, payload) => team.observe(name, payload));

  const openSession = (account: Account, token: string | null): AccountSession => {
    const store = new AccountStore(
      accountDatabasePath(options.dataDir, account.id),
      { busyTimeoutMs: options.sync?.busyTimeoutMs },
      now(),
    );
    const session = new AccountSession(account, store, token, {
      now,
      emit,
      undoWindowMs: options.sync?.undoWindowMs ?? DEFAULT_UNDO_WINDOW_MS,
      pollIntervalMs: options.sync?.pollIntervalMs ?? DEFAULT_POLL_MS,
      backoff: options.sync?.backoff,
      liveEvents: options.sync?.liveEvents ?? true,
      bootstrapPageSize: options.sync?.bootstrapPageSize,
      snapshotChunkSize: options.sync?.snapshotChunkSize,
      bootstrapSliceMs: options.sync?.bootstrapSliceMs,
      snapshotStreams: options.sync?.snapshotStreams,
      bootstrapAnnounceEveryMs: options.sync?.bootstrapAnnounceEveryMs,
      appVersion: options.version,
      knownKinds: options.sync?.knownKinds,
      onInboxRefused: (refused, inboxId) => team.inboxRefused(refused, inboxId),
    });
    if (store.repaired) {
      const notice = store.write(() =>
        addNotice(store.db, {
          messageId: null,
          kind: 'info',
          code: 'database_repaired',
          text: `The local copy of this inbox was damaged and is being rebuilt from the platform; ${store.repaired?.salvaged.length ?? 0} unsent action(s) were kept.`,
          actorName: null,
          at: now(),
          params: { salvaged: store.repaired?.salvaged.length ?? 0 },
        }),
      );
      emit('notice.added', { ...notice, accountId: account.id });
    }
    sessions.set(account.id, session);
    session.start();
    return session;
  };

  const sessionFor = (accountId: string): AccountSession => {
    const session = sessions.get(accountId);
    if (!session) throw new CoreError('not_found', 'This account is not signed in on this device.');
    return session;
  };

  const refreshInBackground = (session: AccountSession) => {
    void refreshMemberships(session.client).then((inboxes) => {
      if (!inboxes || closed) return;
      // Also forgets inboxes whose access ended while the app was closed.
      void team.membershipsRead(session, inboxes);
    });
  };

  /** Stores a fresh sign-in and starts (or restarts) its session. */
  const adopt = async (signedIn: SignedIn): Promise<Account> => {
    const account = app.upsert(signedIn.account, now());
    await options.vault.set(account.id, signedIn.token);
    const existing = sessions.get(account.id);
    if (existing) {
      existing.updateInboxes(account);
      existing.setToken(signedIn.token);
    } else {
      openSession(account, signedIn.token);
    }
    emit('entities.changed', { accountId: account.id, inboxId: null, kinds: ['accounts'] });
    return account;
  };

  const removeAccount = async (accountId: string): Promise<void> => {
    const session = sessions.get(accountId);
    sessions.delete(accountId);
    await team.forgetAccount(accountId);
    if (session) {
      if (session.client.hasToken) {
        await session.client.call('signOut', { timeoutMs: 3_000 }).catch(() => undefined);
      }
      await session.close();
    }
    await options.vault.delete(accountId);
    for (const file of accountDataFiles(options.dataDir, accountId)) rmSync(file, { force: true });
    app.remove(accountId);
    emit('entities.changed', { accountId, inboxId: null, kinds: ['accounts'] });
  };

  /** The embedded demo platform may start on a new port, or with new data, each launch. */
  const startDemo = async (): Promise<Account> => {
    if (!options.demo) throw new CoreError('not_found', 'This app has no built-in demo platform.');
    const credentials = await options.demo.start();
    const signedIn = await signIn(credentials.url, credentials.email, credentials.password, options.deviceName, true);
    for (const old of app.list().filter((a) => a.demo)) {
      if (old.userId === signedIn.account.userId) {
        if (old.platformUrl !== signedIn.account.platformUrl) {
          const session = sessions.get(old.id);
          sessions.delete(old.id);
          await session?.close();
          app.moveToUrl(old.id, signedIn.account.platformUrl);
        }
      } else {
        await removeAccount(old.id);
      }
    }
    return adopt(signedIn);
  };

  for (const account of app.list()) {
    const token = await options.vault.get(account.id);
    const session = openSession(account, token);
    if (token) refreshInBackground(session);
    else if (account.demo && options.demo) void startDemo().catch(() => undefined);
  }

  const handlers: CallHandlers = {
    'app.info': async () => ({
      version: options.version,
      shell: options.shell,
      platform: process.platform,
      canShowInFolder: false,
    }),
    'accounts.list': async () => app.list(),
    'accounts.startDemo': async () => startDemo(),
    'accounts.connect': async ({ url, email, password }) =>
      adopt(await signIn(url, email, password, options.deviceName, false)),
    'accounts.signOut': async ({ accountId }) => {
      if (!app.get(accountId)) throw new CoreError('not_found', 'This account is not on this device.');
      await removeAccount(accountId);
      return { ok: true as const };
    },
    'inbox.page': async (input) => {
      const session = sessionFor(input.accountId);
      const scope = {
        inboxId: input.inboxId,
        view: input.view,
        label: input.label,
        userId: session.account.userId,
        now: now(),
      };
      return session.store.read(() => inboxPage(session.store.db, input, scope, () => session.store.viewTotal(scope)));
    },
    'inbox.counts': async ({ accountId, inboxId }) => {
      const session = sessionFor(accountId);
      const at = now();
      return session.store.cached(`counts:${inboxId ?? '*'}`, at, () =>
        inboxCounts(session.store.db, { inboxId, userId: session.account.userId, now: at }),
      );
    },
    'message.thread': async ({ accountId, messageId }) => {
      const session = sessionFor(accountId);
      return session.store.read(() => messageThread(session.store.db, messageId));
    },
    'actions.submit': async ({ accountId, messageId, action }) => sessionFor(accountId).submit(messageId, action),
    'fans.submit': async ({ accountId, inboxId, action }) => sessionFor(accountId).submitFan(inboxId, action),
    'actions.bulk': async ({ accountId, messageIds, action }) => sessionFor(accountId).bulk(messageIds, action),
    'actions.undo': async ({ accountId, actionId }) => ({ undone: sessionFor(accountId).undo(actionId) }),
    'actions.undoMany': async ({ accountId, actionIds }) => ({ undone: sessionFor(accountId).undoMany(actionIds) }),
    'outbox.list': async ({ accountId }) => {
      const session = sessionFor(accountId);
      return session.store.read(() => listOutbox(session.store.db, now()));
    },
    'notices.list': async ({ accountId }) => {
      const session = sessionFor(accountId);
      return session.store.read(() => listNotices(session.store.db));
    },
    'notices.dismiss': async ({ accountId, noticeId }) => {
      const session = sessionFor(accountId);
      if (!session.store.write(() => dismissNotice(session.store.db, noticeId))) {
        throw new CoreError('not_found', 'This notice is not there any more.');
      }
      session.announce(['notices'], null);
      return { ok: true as const };
    },
    'notices.dismissAll': async ({ accountId }) => {
      const session = sessionFor(accountId);
      const dismissed = session.store.write(() => dismissAllNotices(session.store.db));
      session.announce(['notices'], null);
      return { dismissed };
    },
    search: async (input) => {
      const session = sessionFor(input.accountId);
      return session.store.read(() => searchMessages(session.store.db, input, now()));
    },
    'sync.status': async ({ accountId }) => sessionFor(accountId).status(),
    'sync.retry': async ({ accountId }) => {
      await sessionFor(accountId).retryNow();
      return { ok: true as const };
    },
    ...earningsHandlers(sessionFor, now),
    ...team.handlers,
    ...forecastHandlers(sessionFor, now),
    ...delegationHandlers(sessionFor, now),
    ...pricingHandlers(sessionFor),
    ...draftHandlers(sessionFor, now),
    // Only a desktop shell can open the file manager; Electron main answers this itself.
    'files.showInFolder': async () => {
      throw new CoreError('unsupported', "This window cannot open folders: the file is in your browser's downloads.");
    },
  };

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearImmediate(zoneWarmUp);
      await team.close();
      await Promise.allSettled([...sessions.values()].map((s) => s.close()));
      sessions.clear();
      listeners.clear();
      app.close();
    },
  };
}
