import { Worker } from 'node:worker_threads';
import { type Channel, startWorkerChannel } from '../../shared/rpc/worker-channel';
import type { DemoLauncher, DemoLauncherOptions } from './launcher';

/**
 * The demo launcher on a thread of its own (worker.ts), started on first use: the embedded
 * platform (PGlite, seeding, live traffic) is the busiest code in the app after the core, and
 * on the shell's thread it would hold up the interface. It gets its own thread rather than
 * the core's so the core's answers never queue behind the demo platform's queries (it plays
 * the part of a remote platform). The same surface as `createDemoLauncher`.
 */
export function createDemoLauncherInWorker(options: DemoLauncherOptions): DemoLauncher {
  let thread: { worker: Worker; channel: Channel } | null = null;

  const ensure = (): Channel => {
    if (thread) return thread.channel;
    const { worker, channel } = startWorkerChannel({
      hereUrl: import.meta.url,
      files: { source: './worker.ts', bundled: './demo-worker.cjs' },
      execArgv: process.execArgv,
      name: 'creator-inbox-demo-platform',
      workerData: options,
      spawn: (file, workerOptions) => new Worker(new URL(file, import.meta.url), workerOptions),
      onEnd: () => {
        if (thread?.worker === worker) thread = null;
        return new Error('The demo platform stopped unexpectedly. Try the demo again.');
      },
    });
    thread = { worker, channel };
    return channel;
  };

  const stop = async (): Promise<void> => {
    const running = thread;
    thread = null;
    if (!running) return;
    await running.channel.call('close').catch(() => undefined);
    await running.worker.terminate();
  };

  return {
    start: () => ensure().call('start') as ReturnType<DemoLauncher['start']>,
    prewarm: () =>
      ensure()
        .call('prewarm')
        .catch(() => null),
    get running() {
      return thread !== null;
    },
    async releaseIfUnclaimed() {
      if (!thread) return;
      // Nothing left running there (nobody claimed it): the thread goes too.
      if (!(await thread.channel.call('releaseIfUnclaimed'))) await stop();
    },
    close: stop,
  };
}
