import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Linux /proc readings the benches and the load run share: one parser of a `stat` line and
 * one walk of a process tree, so every CPU figure they record is read the same way.
 */

/** Clock ticks per second, the unit of `stat`'s CPU fields (100 on the kernels seen here). */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface ProcStat {
  /** The command or thread name (at most 15 characters). */
  name: string;
  ppid: number;
  /** User + system CPU of the process (all its threads) or of one thread, in ms. */
  cpuMs: number;
  /** CPU of its children that have ended and been waited for, in ms. */
  reapedChildrenCpuMs: number;
}

/** A `/proc/<pid>/stat` or `/proc/<pid>/task/<tid>/stat` file; throws when it is gone. */
export function readStat(path: string): ProcStat {
  const stat = readFileSync(path, 'utf8');
  // The name is in parentheses and may itself hold spaces or ")": the fields start after the last one.
  const end = stat.lastIndexOf(')');
  const fields = stat.slice(end + 2).split(' ');
  const ms = (...at: number[]) => (at.reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) * 1000) / CLOCK_TICKS;
  return {
    name: stat.slice(stat.indexOf('(') + 1, end),
    ppid: Number(fields[1]),
    cpuMs: ms(11, 12), // utime, stime
    reapedChildrenCpuMs: ms(13, 14), // cutime, cstime
  };
}

/** A process and every process under it, parents first; [] when it is gone or there is no /proc. */
export function processTree(pid: number | undefined | null): number[] {
  if (!pid) return [];
  try {
    // A child belongs to the thread that started it: read every thread's list.
    const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
    return [pid, ...children.flatMap((child) => processTree(child))];
  } catch {
    return [];
  }
}

/** A task's (a thread's or a process's) CPU so far, under the group it is counted in. */
export interface TaskCpu<Group extends string> {
  group: Group;
  ms: number;
}

/**
 * The CPU each group of tasks used from now until `stop()`; `readNow` gives every live
 * task's reading. Tasks are read every `everyMs` as well as at the end: one that ends in
 * between (the store's checkpointer, an autovacuum worker) keeps its last reading, so at most
 * `everyMs` of its work is lost; one started meanwhile counts whole.
 */
export function watchCpu<Group extends string>(
  readNow: () => Map<number, TaskCpu<Group>>,
  everyMs: number,
): { stop(): { totalMs: number; byGroup: Map<Group, number> } } {
  const before = readNow();
  const last = new Map(before);
  const read = () => {
    for (const [id, now] of readNow()) last.set(id, now);
  };
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      const byGroup = new Map<Group, number>();
      let totalMs = 0;
      for (const [id, now] of last) {
        const ms = now.ms - (before.get(id)?.ms ?? 0);
        byGroup.set(now.group, (byGroup.get(now.group) ?? 0) + ms);
        totalMs += ms;
      }
      return { totalMs, byGroup };
    },
  };
}
