import { describe, expect, it } from 'vitest';
import { readAhead } from '../../../server/http/read-ahead';

/** A promise settled from outside, to hold a read or a write exactly where the test wants it. */
function held<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise reaction that is ready run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A chain of `length` chunks whose reads and writes the test settles one by one. */
function chain(length: number) {
  const reads = new Map<number, ReturnType<typeof held<number>>>();
  const writes = new Map<number, ReturnType<typeof held<void>>>();
  const log: string[] = [];
  const run = readAhead(
    1,
    (at) => {
      log.push(`read ${at}`);
      const h = held<number>();
      reads.set(at, h);
      return h.promise;
    },
    (chunk) => (chunk < length ? chunk + 1 : null),
    (chunk) => {
      log.push(`write ${chunk}`);
      const h = held<void>();
      writes.set(chunk, h);
      return h.promise;
    },
  );
  return { reads, writes, log, run };
}

describe('readAhead (the snapshot stream: the next chunk is read while this one is written)', () => {
  it('asks for the next chunk before writing this one, and for no more until this one is written', async () => {
    const c = chain(3);
    await settle();
    expect(c.log).toEqual(['read 1']);
    c.reads.get(1)?.resolve(1);
    await settle();
    // Chunk 2 is in flight while chunk 1 is being written (the old loop read it only after).
    expect(c.log).toEqual(['read 1', 'read 2', 'write 1']);
    // A slow reader: chunk 1's write has not finished. Chunk 2 arrives, and is held: no
    // third read starts, so at most two chunks exist at once.
    c.reads.get(2)?.resolve(2);
    await settle();
    expect(c.log).toEqual(['read 1', 'read 2', 'write 1']);
    c.writes.get(1)?.resolve();
    await settle();
    expect(c.log).toEqual(['read 1', 'read 2', 'write 1', 'read 3', 'write 2']);
    c.writes.get(2)?.resolve();
    c.reads.get(3)?.resolve(3);
    await settle();
    // The last chunk asks for nothing after it.
    expect(c.log).toEqual(['read 1', 'read 2', 'write 1', 'read 3', 'write 2', 'write 3']);
    c.writes.get(3)?.resolve();
    await expect(c.run).resolves.toBeUndefined();
  });

  it('writes the chunk before a failed read, then fails, with no unhandled rejection meanwhile', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const c = chain(3);
      c.reads.get(1)?.resolve(1);
      await settle();
      // The read ahead fails while chunk 1 is still being written (a slow reader).
      c.reads.get(2)?.reject(new Error('membership revoked'));
      await settle();
      await settle();
      expect(unhandled).toEqual([]);
      expect(c.log).toEqual(['read 1', 'read 2', 'write 1']);
      c.writes.get(1)?.resolve();
      await expect(c.run).rejects.toThrow('membership revoked');
      expect(c.log).toEqual(['read 1', 'read 2', 'write 1']);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('without ahead, reads each chunk only once the one before is written (a database on this thread)', async () => {
    const log: string[] = [];
    const gate = held<void>();
    const run = readAhead(
      1,
      async (at) => {
        log.push(`read ${at}`);
        return at;
      },
      (chunk) => (chunk < 2 ? chunk + 1 : null),
      (chunk) => {
        log.push(`write ${chunk}`);
        return chunk === 1 ? gate.promise : Promise.resolve();
      },
      { ahead: false },
    );
    await settle();
    expect(log).toEqual(['read 1', 'write 1']);
    gate.resolve();
    await run;
    expect(log).toEqual(['read 1', 'write 1', 'read 2', 'write 2']);
  });

  it('reads nothing more once the stream has stopped', async () => {
    let stopped = false;
    const log: string[] = [];
    await readAhead(
      1,
      async (at) => {
        log.push(`read ${at}`);
        return at;
      },
      (chunk) => chunk + 1,
      async (chunk) => {
        log.push(`write ${chunk}`);
        if (chunk === 2) stopped = true;
      },
      { stopped: () => stopped },
    );
    // Chunk 3 was asked for while chunk 2 was written, before the stream stopped; it is
    // written (to a closed stream the route's write drops it), and nothing after it is read.
    expect(log).toEqual(['read 1', 'read 2', 'write 1', 'read 3', 'write 2', 'write 3']);
  });
});
