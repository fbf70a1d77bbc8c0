import { describe, expect, it } from 'vitest';
import { Turns } from '../../../electron/core/sync/turns';

describe('turns', () => {
  it('lets at most the limit hold a turn, and hands them out in the order asked', async () => {
    const turns = new Turns(2);
    const order: string[] = [];
    const ends = new Map<string, () => void>();
    const ask = (name: string) =>
      turns.take().then((end) => {
        order.push(name);
        ends.set(name, end);
      });
    const asked = ['a', 'b', 'c', 'd'].map(ask);
    await Promise.all(asked.slice(0, 2));
    await Promise.resolve();
    expect(order).toEqual(['a', 'b']);
    expect(turns.active).toBe(2);
    expect(turns.queued).toBe(2);
    ends.get('b')?.();
    await asked[2];
    expect(order).toEqual(['a', 'b', 'c']);
    expect(turns.active).toBe(2);
    // Giving the same turn back twice frees one turn, not two.
    ends.get('b')?.();
    await Promise.resolve();
    expect(order).toEqual(['a', 'b', 'c']);
    ends.get('a')?.();
    await asked[3];
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    ends.get('c')?.();
    ends.get('d')?.();
    expect(turns.active).toBe(0);
    expect(turns.queued).toBe(0);
  });

  it('gives every caller a turn at once without a limit', async () => {
    const turns = new Turns(Number.POSITIVE_INFINITY);
    const ends = await Promise.all(Array.from({ length: 50 }, () => turns.take()));
    expect(turns.active).toBe(50);
    expect(turns.queued).toBe(0);
    for (const end of ends) end();
    expect(turns.active).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new Turns(0)).toThrow(RangeError);
    expect(() => new Turns(1.5)).toThrow(RangeError);
  });
});
