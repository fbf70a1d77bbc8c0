/**
 * The demo platform's thread (started by `createDemoLauncherInWorker`, in-worker.ts): the
 * launcher runs here, so PGlite's queries, the seeding and the live fan traffic never run
 * on the thread that serves the interface, nor on the core's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openChannel } from '../../shared/rpc/worker-channel';
import { createDemoLauncher, type DemoLauncherOptions } from './launcher';

if (!parentPort) throw new Error('The demo worker must be started by createDemoLauncherInWorker.');
const launcher = createDemoLauncher(workerData as DemoLauncherOptions);

openChannel(parentPort, {
  start: () => launcher.start(),
  // The platform object itself (functions, sockets) stays here: the caller only waits.
  prewarm: async () => void (await launcher.prewarm()),
  releaseIfUnclaimed: async () => {
    await launcher.releaseIfUnclaimed();
    return launcher.running;
  },
  close: () => launcher.close(),
});
