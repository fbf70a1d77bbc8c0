import { Worker } from 'node:worker_threads';
import { type CallHandlers, type CallName, calls, type EventName, type EventPayload } from '../../../shared/contract';
import { startWorkerChannel } from '../../../shared/rpc/worker-channel';
import { CoreError } from '../errors';
import type { Core, CoreEventListener, CoreOptions } from '../index';

/**
 * Everything a core takes except the clock function, which cannot cross to another thread:
 * a bench or test against a platform with a test clock gives its offset from the wall clock.
 */
export type CoreInWorkerOptions = Omit<CoreOptions, 'clock'> & { clockOffsetMs?: number };

/** What the worker is given at its start: only data (the vault and demo stay here). */
export interface CoreWorkerData {
  options: Omit<CoreInWorkerOptions, 'vault' | 'demo'>;
  vaultPersistent: boolean;
  hasDemo: boolean;
}

export const CORE_STOPPED_MESSAGE =
  "The app's local database engine stopped unexpectedly. Restart the app; actions already queued are kept on disk.";
const CORE_CLOSED_MESSAGE = 'The app is closing: this was not done.';

/**
 * The same core as `createCore`, run on a worker thread, so the thread that serves the
 * interface (Electron's main process, the browser host's HTTP and WebSocket server) never
 * waits on SQLite, on a bootstrap's transactions or on parsing a snapshot. Calls are
 * forwarded to the worker's real handlers and answered in order of completion; events are
 * relayed to the listeners here. The token vault and the demo launcher stay on this thread
 * (Electron's safeStorage exists only in the main process; the demo platform runs on its own
 * thread) and the worker calls them back over the same channel.
 *
 * If the worker dies, every call waiting for it and every later one fails with a clear
 * `internal` error instead of hanging.
 */
export async function createCoreInWorker(options: CoreInWorkerOptions): Promise<Core> {
  return (await startCoreWorker(options)).core;
}

/**
 * The core thread's young generation (new space), in MiB. V8's default on this machine is
 * 192: a bootstrap's short-lived rows (parsed lines, entries, bound parameters) make it
 * grow its new space to the full 128 MiB of semi-spaces, which stay resident. 48 keeps
 * the client's RSS growth over a 100k bootstrap at ~115-170 MiB instead of ~260-280,
 * for no measurable CPU (core README, bootstrap). Objects that outlive it move to the
 * old generation, whose limit is left as it is: this cannot make a big sync run out.
 */
export const CORE_YOUNG_GENERATION_MB = 48;

/** `createCoreInWorker` with its thread, for the tests that stop it. */
export async function startCoreWorker(options: CoreInWorkerOptions): Promise<{ core: Core; worker: Worker }> {
  const { vault, demo, ...plain } = options;
  const workerData: CoreWorkerData = { options: plain, vaultPersistent: vault.persistent, hasDemo: Boolean(demo) };
  const listeners = new Set<CoreEventListener>();
  let closing = false;
  let exited = false;
  const { worker, channel } = startWorkerChannel({
    hereUrl: import.meta.url,
    files: { source: './entry.ts', bundled: './core-worker.cjs' },
    execArgv: process.execArgv,
    name: 'creator-inbox-core',
    workerData,
    spawn: (file, workerOptions) =>
      new Worker(new URL(file, import.meta.url), {
        ...workerOptions,
        resourceLimits: { maxYoungGenerationSizeMb: CORE_YOUNG_GENERATION_MB },
      }),
    methods: {
      'vault.get': (accountId: string) => vault.get(accountId),
      'vault.set': (accountId: string, token: string) => vault.set(accountId, token),
      'vault.delete': (accountId: string) => vault.delete(accountId),
      'demo.start': () => {
        if (!demo) throw new CoreError('not_found', 'This app has no built-in demo platform.');
        return demo.start();
      },
    },
    onNote: (name, payload) => {
      for (const listener of listeners) {
        try {
          listener(name as EventName, payload as EventPayload<EventName>);
        } catch {
          // One broken listener must not stop the others.
        }
      }
    },
    onEnd: (how) => {
      if (how === 'exit') exited = true;
      return new CoreError('internal', closing && how === 'exit' ? CORE_CLOSED_MESSAGE : CORE_STOPPED_MESSAGE);
    },
  });

  try {
    await channel.call('open');
  } catch (error) {
    closing = true;
    await worker.terminate();
    throw error;
  }

  const handlers = Object.fromEntries(
    (Object.keys(calls) as CallName[]).map((name) => [name, (input: unknown) => channel.call('call', name, input)]),
  ) as CallHandlers;

  let closed: Promise<void> | null = null;
  const core: Core = {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed ??= (async () => {
        try {
          if (!exited) await channel.call('close');
        } finally {
          closing = true;
          listeners.clear();
          await worker.terminate();
        }
      })();
      return closed;
    },
  };
  return { core, worker };
}
