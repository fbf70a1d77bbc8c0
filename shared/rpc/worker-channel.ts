/**
 * Calls between two threads (node:worker_threads) that cannot share functions: each side
 * answers the other's requests with its own methods, replies are matched to requests by
 * id, and one-way notes (the core's events) need no reply. Values cross by structured
 * clone. Plain TypeScript over the few port methods it uses, so the core's worker host
 * and the demo platform's share it without either importing the other.
 */

/** What a Worker, or a worker's parentPort, offers that the channel uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** What a started Worker offers beyond its port: its end ('error', 'exit') and a way to stop it. */
export interface WorkerLike extends PortLike {
  // biome-ignore lint/suspicious/noExplicitAny: Worker's own signature for every event
  on(event: string, listener: (...args: any[]) => void): unknown;
  terminate(): Promise<number>;
}

// biome-ignore lint/suspicious/noExplicitAny: each side's methods take their own arguments
export type ChannelMethods = Record<string, (...args: any[]) => unknown>;

/**
 * An error as it crosses: a bridge error keeps its code, message and details (so
 * `dispatchCall` on the other side gives the page the same clear error); any other keeps
 * its name and message for the logs (the bridge turns it into a generic "internal").
 */
export interface WireError {
  name: string;
  message: string;
  bridgeCode?: string;
  details?: unknown;
}

type Wire =
  | { t: 'req'; id: number; method: string; args: unknown[] }
  | { t: 'res'; id: number; value: unknown }
  | { t: 'err'; id: number; error: WireError }
  | { t: 'note'; name: string; payload: unknown };

/** An error thrown on the other side. Has `bridgeCode` only when the original had one. */
export class RemoteError extends Error {
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    if (wire.bridgeCode !== undefined) Object.assign(this, { bridgeCode: wire.bridgeCode, details: wire.details });
  }
}

export function toWireError(error: unknown): WireError {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; message?: unknown; bridgeCode?: unknown; code?: unknown; details?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(error);
    const name = typeof e.name === 'string' ? e.name : 'Error';
    // CoreError carries `bridgeCode`; the contract's BridgeCallError carries `code` (a bridge code).
    const bridgeCode =
      typeof e.bridgeCode === 'string' ? e.bridgeCode : name === 'BridgeCallError' ? String(e.code) : undefined;
    if (bridgeCode === undefined) return { name, message };
    return { name, message, bridgeCode, details: e.details };
  }
  return { name: 'Error', message: String(error) };
}

export interface Channel {
  /** Calls a method of the other side; rejects with its error, or with the channel's failure. */
  call(method: string, ...args: unknown[]): Promise<unknown>;
  /** A one-way message (an event); dropped once the channel has failed. */
  notify(name: string, payload: unknown): void;
  /** The other side is gone: every call waiting now, and every later one, rejects with this error. */
  fail(error: Error): void;
}

export function openChannel(
  port: PortLike,
  methods: ChannelMethods,
  onNote: (name: string, payload: unknown) => void = () => {},
): Channel {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let failure: Error | null = null;

  const send = (message: Wire): void => {
    if (!failure) port.postMessage(message);
  };

  const refuse = (id: number, error: unknown): void => {
    const wire = toWireError(error);
    try {
      send({ t: 'err', id, error: wire });
    } catch {
      // Details that cannot be cloned are dropped: the code and message still arrive.
      send({ t: 'err', id, error: { ...wire, details: undefined } });
    }
  };

  const answer = async (request: Extract<Wire, { t: 'req' }>): Promise<void> => {
    let value: unknown;
    try {
      const method = methods[request.method];
      if (!method) throw new Error(`No such method on this side of the channel: ${request.method}`);
      value = await method(...request.args);
    } catch (error) {
      refuse(request.id, error);
      return;
    }
    try {
      send({ t: 'res', id: request.id, value });
    } catch (error) {
      // A value that cannot be cloned (a function inside) must still answer, not leave the caller waiting.
      refuse(request.id, error);
    }
  };

  port.on('message', (raw) => {
    const message = raw as Wire;
    switch (message.t) {
      case 'req':
        void answer(message);
        return;
      case 'res':
      case 'err': {
        const waiter = waiting.get(message.id);
        if (!waiter) return;
        waiting.delete(message.id);
        if (message.t === 'res') waiter.resolve(message.value);
        else waiter.reject(new RemoteError(message.error));
        return;
      }
      case 'note':
        onNote(message.name, message.payload);
        return;
    }
  });

  return {
    call(method, ...args) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        try {
          send({ t: 'req', id, method, args });
        } catch (error) {
          waiting.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    notify(name, payload) {
      try {
        send({ t: 'note', name, payload });
      } catch {
        // An event that cannot cross is dropped; the next change announces the state again.
      }
    },
    fail(error) {
      failure ??= error;
      for (const waiter of waiting.values()) waiter.reject(failure);
      waiting.clear();
    },
  };
}

/**
 * How to start a worker whose code is one of our TypeScript modules: from the sources
 * (tsx, vitest, the browser host) the `.ts` file, with tsx's loader added when the thread
 * does not already have it (resolved from the working folder, the repo's root for every
 * npm script and test run); from the desktop bundle, the `.cjs` file esbuild wrote beside
 * the bundle (scripts/build.mjs). `hereUrl` is the calling module's import.meta.url, which
 * the bundle defines as its own file's URL; the returned file is relative to it.
 */
export function workerLaunch(
  hereUrl: string,
  files: { source: string; bundled: string },
  execArgv: readonly string[],
): { file: string; execArgv: string[] } {
  const fromSources = /\.[cm]?ts$/.test(hereUrl.split(/[?#]/)[0] ?? '');
  if (!fromSources) return { file: files.bundled, execArgv: [...execArgv] };
  const hasTsx = execArgv.some((arg) => arg.includes('tsx'));
  return { file: files.source, execArgv: hasTsx ? [...execArgv] : [...execArgv, '--import', 'tsx'] };
}

/** How `startWorkerChannel` starts a thread and what it does when the thread ends. */
export interface WorkerChannelStart<W extends WorkerLike> {
  /** The calling module's import.meta.url: the worker's file is found relative to it. */
  hereUrl: string;
  files: { source: string; bundled: string };
  /** The calling thread's process.execArgv (tsx's loader is added when it is missing). */
  execArgv: readonly string[];
  /** The thread's name in profiles and crash reports. */
  name: string;
  workerData: unknown;
  /**
   * `new Worker(new URL(file, import.meta.url), options)`, `file` relative to the caller:
   * passed in because shared/ may not use Node's modules.
   */
  spawn: (file: string, options: { execArgv: string[]; workerData: unknown; name: string }) => W;
  /** This side's methods that the worker may call back. */
  methods?: ChannelMethods;
  onNote?: (name: string, payload: unknown) => void;
  /**
   * The thread failed ('error') or ended ('exit'): the error every waiting and later call
   * rejects with. Called on each of the two events; the first error given is kept.
   */
  onEnd: (how: 'error' | 'exit') => Error;
}

/**
 * Starts one of our modules on a worker thread with a channel to it: the steps every host
 * of a worker repeats (where the file is, the loader, the channel, failing every call once
 * the thread is gone), in one place.
 */
export function startWorkerChannel<W extends WorkerLike>(
  start: WorkerChannelStart<W>,
): { worker: W; channel: Channel } {
  const launch = workerLaunch(start.hereUrl, start.files, start.execArgv);
  const worker = start.spawn(launch.file, {
    execArgv: launch.execArgv,
    workerData: start.workerData,
    name: start.name,
  });
  const channel = openChannel(worker, start.methods ?? {}, start.onNote);
  worker.on('error', () => channel.fail(start.onEnd('error')));
  worker.on('exit', () => channel.fail(start.onEnd('exit')));
  return { worker, channel };
}
