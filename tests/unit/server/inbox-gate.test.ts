import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInboxGate, createMessageInboxes } from '../../../server/http/inbox-gate';

/** A piece of work the test finishes by hand, so the order of events is the test's, not a timer's. */
function manualWork() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const state = { started: false };
  const work = () => {
    state.started = true;
    return done;
  };
  return { work, finish, fail, state };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('inbox gate', () => {
  it('lets `width` calls of one key run and holds the rest until one finishes, in arrival order', async () => {
    const gate = createInboxGate(2);
    const [first, second, third, fourth] = [manualWork(), manualWork(), manualWork(), manualWork()];
    const works = [first, second, third, fourth];
    const runs = works.map((w) => gate.run('hot', w.work));
    await settle();
    expect(works.map((w) => w.state.started)).toEqual([true, true, false, false]);
    expect(gate.queued('hot')).toBe(4);
    second.finish();
    await settle();
    expect(works.map((w) => w.state.started)).toEqual([true, true, true, false]);
    first.fail(new Error('refused'));
    await expect(runs[0]).rejects.toThrow('refused');
    await settle();
    // A failed call frees its slot as a finished one does.
    expect(fourth.state.started).toBe(true);
    third.finish();
    fourth.finish();
    await Promise.all(runs.slice(1));
    expect(gate.queued('hot')).toBe(0);
  });

  it('never holds one key behind another', async () => {
    const gate = createInboxGate(1);
    const hot = manualWork();
    const hotRun = gate.run('hot', hot.work);
    const blocked = gate.run('hot', async () => 'late');
    await expect(gate.run('quiet', async () => 'quiet done')).resolves.toBe('quiet done');
    hot.finish();
    await hotRun;
    await expect(blocked).resolves.toBe('late');
  });

  it('never runs more than `width` at once for any arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 3 })), { maxLength: 40 }),
        async (width, calls) => {
          const gate = createInboxGate(width);
          const running = new Map<string, number>();
          let worst = 0;
          await Promise.all(
            calls.map(([key, ticks]) =>
              gate.run(key, async () => {
                running.set(key, (running.get(key) ?? 0) + 1);
                worst = Math.max(worst, running.get(key) ?? 0);
                for (let i = 0; i < ticks; i++) await settle();
                running.set(key, (running.get(key) ?? 0) - 1);
              }),
            ),
          );
          expect(worst).toBeLessThanOrEqual(width);
          for (const key of ['a', 'b', 'c']) expect(gate.queued(key)).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lets tryEnter take only a free place, never one owed to a call already waiting', async () => {
    const gate = createInboxGate(2);
    const leaveFirst = gate.tryEnter('hot');
    expect(leaveFirst).not.toBeNull();
    const held = manualWork();
    const run = gate.run('hot', held.work);
    await settle();
    expect(held.state.started).toBe(true);
    // Both places taken: no third, by either way in.
    expect(gate.tryEnter('hot')).toBeNull();
    const waiting = manualWork();
    const waitingRun = gate.run('hot', waiting.work);
    leaveFirst?.();
    // Leaving twice gives back one place, not two.
    leaveFirst?.();
    await settle();
    expect(waiting.state.started).toBe(true);
    expect(gate.tryEnter('hot')).toBeNull();
    held.finish();
    waiting.finish();
    await Promise.all([run, waitingRun]);
    expect(gate.queued('hot')).toBe(0);
    expect(gate.crowded()).toBe(false);
    const again = gate.tryEnter('hot');
    expect(gate.queued('hot')).toBe(1);
    const full = gate.tryEnter('hot');
    // One lane full is enough to call the gate crowded.
    expect(gate.crowded()).toBe(true);
    full?.();
    expect(gate.crowded()).toBe(false);
    again?.();
    expect(gate.queued('hot')).toBe(0);
  });

  it('refuses a width that is not a positive integer', () => {
    for (const width of [0, -1, 1.5, Number.NaN]) expect(() => createInboxGate(width)).toThrow(/positive integer/);
  });
});

describe('message inboxes', () => {
  it("remembers a message's inbox and forgets the oldest past its capacity", () => {
    const inboxes = createMessageInboxes(2);
    expect(inboxes.known('m1')).toBeUndefined();
    inboxes.remember('m1', 'inbox-1');
    inboxes.remember('m1', 'inbox-other');
    expect(inboxes.known('m1')).toBe('inbox-1');
    inboxes.remember('m2', 'inbox-2');
    inboxes.remember('m3', 'inbox-3');
    // m1 was pushed out by m3.
    expect([inboxes.known('m1'), inboxes.known('m2'), inboxes.known('m3')]).toEqual([undefined, 'inbox-2', 'inbox-3']);
  });
});
