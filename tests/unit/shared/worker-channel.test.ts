import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { startWorkerChannel } from '../../../shared/rpc/worker-channel';

/**
 * A real thread for each case, given as code (`eval`) instead of a file: `spawn` is what the
 * hosts pass in, so the test starts its own small worker through the same steps.
 */
const ANSWERS_THEN_EXITS = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.t !== 'req') return;
  if (m.method === 'echo') parentPort.postMessage({ t: 'res', id: m.id, value: m.args[0] });
  if (m.method === 'exit') process.exit(3);
  if (m.method === 'hang') return;
});
`;

function start(code: string, ends: string[]) {
  const seen: { file?: string; name?: string; execArgv?: string[] } = {};
  const started = startWorkerChannel({
    hereUrl: 'file:///app/host.ts',
    files: { source: './entry.ts', bundled: './entry.cjs' },
    execArgv: [],
    name: 'test-thread',
    workerData: { answer: 42 },
    spawn: (file, options) => {
      Object.assign(seen, { file, name: options.name, execArgv: options.execArgv });
      return new Worker(code, { eval: true, workerData: options.workerData, name: options.name });
    },
    onEnd: (how) => {
      ends.push(how);
      return new Error(`thread ended (${how})`);
    },
  });
  return { ...started, seen };
}

describe('startWorkerChannel', () => {
  it('starts the source file with the TypeScript loader when the caller runs from sources', async () => {
    const ends: string[] = [];
    const { channel, worker, seen } = start(ANSWERS_THEN_EXITS, ends);
    try {
      expect(seen).toEqual({ file: './entry.ts', name: 'test-thread', execArgv: ['--import', 'tsx'] });
      await expect(channel.call('echo', { n: 1 })).resolves.toEqual({ n: 1 });
    } finally {
      await worker.terminate();
    }
  });

  it('fails a waiting call and every later one with the error for how the thread ended', async () => {
    const ends: string[] = [];
    const { channel } = start(ANSWERS_THEN_EXITS, ends);
    const waiting = channel.call('hang');
    await expect(channel.call('exit')).rejects.toThrow('thread ended (exit)');
    await expect(waiting).rejects.toThrow('thread ended (exit)');
    await expect(channel.call('echo', 1)).rejects.toThrow('thread ended (exit)');
    expect(ends).toEqual(['exit']);
  });
});
