import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { watchThreadCpu } from '../../bench/thread-cpu';

/** Spins a worker thread named as worker/host.ts names the core's for `ms` of CPU. */
function spin(name: string, ms: number, endsAfterMs = 500): Promise<void> {
  const worker = new Worker(
    `const end = process.threadCpuUsage().user + ${ms * 1000}; while (process.threadCpuUsage().user < end);
     require('node:worker_threads').parentPort.postMessage('done'); setInterval(() => {}, 1000);`,
    { eval: true, name },
  );
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => {
      setTimeout(() => void worker.terminate().then(() => resolve()), endsAfterMs);
    });
  });
}

describe.runIf(process.platform === 'linux')("the bench's CPU per thread", () => {
  it("puts a busy core worker's CPU on the core's thread, not on the interface thread", async () => {
    const threads = watchThreadCpu();
    await spin('creator-inbox-core', 300);
    const cpu = threads.stop();
    // /proc counts in 10 ms ticks.
    expect(cpu.coreWorker).toBeGreaterThanOrEqual(250);
    expect(cpu.interface).toBeLessThan(cpu.coreWorker);
  });

  it('counts an unnamed worker (the checkpointer) that ended before the end, apart from the core', async () => {
    const threads = watchThreadCpu(50);
    // The thread ends (and leaves /proc) well before stop(), as the checkpointer does.
    await spin('WorkerThread', 200, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cpu = threads.stop();
    expect(cpu.otherWorkers).toBeGreaterThanOrEqual(150);
    expect(cpu.coreWorker).toBe(0);
  });
});
