/**
 * The core's worker thread (started by `createCoreInWorker`, host.ts): runs the real
 * `createCore` here, answers the host's calls with its handlers and relays its events.
 * The vault and the demo launcher are the host's, called back over the channel.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CallHandlers, CallName } from '../../../shared/contract';
import { openChannel } from '../../../shared/rpc/worker-channel';
import { type Core, createCore } from '../index';
import type { TokenVault } from '../vault';
import type { CoreWorkerData } from './host';

/**
 * How long one step of a snapshot bootstrap holds this thread. Here no frame waits on it,
 * so a step can be a whole chunk's transaction (2,000 entries take ~30 ms): fewer commits,
 * less CPU. What waits is a call from the interface that arrives meanwhile: it is answered
 * after the step, so the step stays bounded (core bench: worstCallLatency).
 */
const WORKER_SLICE_MS = 32;

if (!parentPort) throw new Error('The core worker must be started by createCoreInWorker.');
const data = workerData as CoreWorkerData;
let core: Core | null = null;

const channel = openChannel(parentPort, {
  async open() {
    const vault: TokenVault = {
      persistent: data.vaultPersistent,
      get: (accountId) => channel.call('vault.get', accountId) as Promise<string | null>,
      set: async (accountId, token) => void (await channel.call('vault.set', accountId, token)),
      delete: async (accountId) => void (await channel.call('vault.delete', accountId)),
    };
    const demo = data.hasDemo
      ? { start: () => channel.call('demo.start') as Promise<{ url: string; email: string; password: string }> }
      : undefined;
    const { clockOffsetMs, ...options } = data.options;
    const clock = clockOffsetMs === undefined ? undefined : () => Date.now() + clockOffsetMs;
    const sync = { bootstrapSliceMs: WORKER_SLICE_MS, ...options.sync };
    core = await createCore({ ...options, sync, vault, demo, clock });
    core.onEvent((name, payload) => channel.notify(name, payload));
    return true;
  },
  call(name: CallName, input: unknown) {
    if (!core) throw new Error('The core is not open yet.');
    const handler = core.handlers[name] as (input: unknown) => ReturnType<CallHandlers[CallName]>;
    return handler(input);
  },
  async close() {
    await core?.close();
    core = null;
  },
});
