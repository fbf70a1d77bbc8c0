import { readFileSync } from 'node:fs';
import { processTree, readStat, type TaskCpu, watchCpu } from '../helpers/proc';

/**
 * CPU time of a PostgreSQL server's processes, by what each one is (its title, from
 * /proc/<pid>/cmdline): the client backends running the platform's queries apart from the
 * cluster's own upkeep (autovacuum, checkpointer, walwriter…). One total cannot tell the
 * snapshot's cost from an autovacuum of freshly seeded tables that happened to run beside it.
 */

/** "postgres: autovacuum worker dbname" → "autovacuum worker"; any backend serving a connection → "client backend". */
function backendTypeOf(pid: number): string {
  let title: string;
  try {
    title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return 'gone';
  }
  if (!title.startsWith('postgres:')) return 'postmaster';
  const rest = title.slice('postgres:'.length).trim();
  for (const type of [
    'autovacuum worker',
    'autovacuum launcher',
    'checkpointer',
    'walwriter',
    'background writer',
    'logical replication launcher',
    'io worker',
    'walsummarizer',
  ]) {
    if (rest.startsWith(type)) return type;
  }
  // A connection's title is "user database host(port) state".
  return 'client backend';
}

/** Each of the server's processes: its backend type and CPU so far. */
function postgresCpuNow(server: number): Map<number, TaskCpu<string>> {
  const now = new Map<number, TaskCpu<string>>();
  for (const pid of processTree(server)) {
    try {
      now.set(pid, { group: backendTypeOf(pid), ms: readStat(`/proc/${pid}/stat`).cpuMs });
    } catch {
      // Ended between the walk and the read.
    }
  }
  return now;
}

/**
 * From now until `stop()`, the CPU (ms) the server's processes used, by backend type, read
 * every `everyMs` (`watchCpu`): an autovacuum worker lives only as long as its tables take,
 * and one that ends between readings keeps its last one.
 */
export function watchPostgresCpu(
  server: number,
  everyMs = 200,
): { stop(): { totalMs: number; byType: Record<string, number> } } {
  const watch = watchCpu(() => postgresCpuNow(server), everyMs);
  return {
    stop() {
      const { totalMs, byGroup } = watch.stop();
      return { totalMs, byType: Object.fromEntries(byGroup) };
    },
  };
}

/** "client backend 5120 ms, autovacuum worker 0 ms, …", largest first. */
export function describePostgresCpu(byType: Record<string, number>): string {
  return Object.entries(byType)
    .sort(([, a], [, b]) => b - a)
    .map(([type, ms]) => `${type} ${Math.round(ms)} ms`)
    .join(', ');
}
