import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processTree, readStat } from '../../helpers/proc';

const busyFor = (ms: number) => {
  const end = process.cpuUsage().user + ms * 1000;
  while (process.cpuUsage().user < end);
};

describe.runIf(process.platform === 'linux')("the benches' /proc readings", () => {
  it("reads this process's name, parent and CPU as the kernel counts them", () => {
    const before = readStat('/proc/self/stat');
    const usage0 = process.cpuUsage();
    busyFor(200);
    const usage = process.cpuUsage(usage0);
    const after = readStat('/proc/self/stat');
    expect(before.name).toBe(readStat(`/proc/${process.pid}/task/${process.pid}/stat`).name);
    expect(after.ppid).toBe(process.ppid);
    // /proc counts in clock ticks (10 ms here): within a few ticks of Node's own count.
    expect(after.cpuMs - before.cpuMs).toBeGreaterThan((usage.user + usage.system) / 1000 - 40);
    expect(after.cpuMs - before.cpuMs).toBeLessThan((usage.user + usage.system) / 1000 + 40);
  });

  it('walks a process and the processes under it, and gives nothing for one that is gone', async () => {
    // A shell that starts a grandchild and waits for it.
    const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    try {
      let tree: number[] = [];
      for (let i = 0; i < 100 && tree.length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        tree = processTree(child.pid);
      }
      expect(tree[0]).toBe(child.pid);
      expect(tree).toHaveLength(2);
      expect(readStat(`/proc/${tree[1]}/stat`)).toMatchObject({ name: 'sleep', ppid: child.pid });
      expect(processTree(process.pid)).toEqual(expect.arrayContaining(tree));
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    expect(processTree(child.pid)).toEqual([]);
  });
});
