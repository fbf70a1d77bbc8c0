import { readdirSync } from 'node:fs';
import { readStat, type TaskCpu, watchCpu } from '../helpers/proc';

/**
 * CPU time per thread of this process, from /proc (Linux), grouped by what each thread is:
 * which one is the bootstrap's critical path, and how much runs beside it. The process's
 * total (`process.cpuUsage`) cannot tell a core worker at 100 % of one core from work
 * spread over both.
 */
export type ThreadRole = 'coreWorker' | 'interface' | 'v8Helpers' | 'otherWorkers' | 'libuv' | 'other';

/** Thread names as Linux shows them (15 characters at most). */
function roleOf(name: string, tid: number): ThreadRole {
  if (tid === process.pid) return 'interface';
  // worker/host.ts names the core's thread 'creator-inbox-core' (cut to 15 characters here).
  if ('creator-inbox-core'.startsWith(name)) return 'coreWorker';
  // V8's platform threads: the garbage collector's parallel and concurrent work, compilation.
  if (name === 'V8Worker') return 'v8Helpers';
  // Unnamed worker_threads: the store's checkpointer (store/checkpointer.ts).
  if (name === 'WorkerThread') return 'otherWorkers';
  if (name === 'libuv-worker') return 'libuv';
  return 'other';
}

/** Milliseconds of CPU each thread of this process has used so far, by thread id; empty without /proc. */
export function threadCpuNow(): Map<number, TaskCpu<ThreadRole>> {
  const threads = new Map<number, TaskCpu<ThreadRole>>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return threads;
  }
  for (const task of tasks) {
    try {
      const { name, cpuMs } = readStat(`/proc/self/task/${task}/stat`);
      threads.set(Number(task), { group: roleOf(name, Number(task)), ms: cpuMs });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/**
 * CPU used by each role from now until `stop()`, read every `everyMs` (`watchCpu`): a thread
 * that ends before (the checkpointer ends with the snapshot, before the bootstrap's last step)
 * keeps its last reading.
 */
export function watchThreadCpu(everyMs = 200): { stop(): Record<ThreadRole, number> } {
  const watch = watchCpu(threadCpuNow, everyMs);
  return {
    stop() {
      const byRole: Record<ThreadRole, number> = {
        coreWorker: 0,
        interface: 0,
        v8Helpers: 0,
        otherWorkers: 0,
        libuv: 0,
        other: 0,
      };
      for (const [role, ms] of watch.stop().byGroup) byRole[role] += ms;
      return byRole;
    },
  };
}
