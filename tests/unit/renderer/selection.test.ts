import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, nextFocus, prune, selectAll, selectRange, toggle } from '../../../renderer/state/selection';

const order = ['a', 'b', 'c', 'd', 'e'];

describe('selection', () => {
  it('toggles one id and remembers it as the range anchor', () => {
    const one = toggle(EMPTY_SELECTION, 'b');
    expect([...one.ids]).toEqual(['b']);
    expect(one.anchor).toBe('b');
    expect([...toggle(one, 'b').ids]).toEqual([]);
  });

  it('selects a range from the anchor in either direction, keeping earlier picks', () => {
    const down = selectRange(toggle(EMPTY_SELECTION, 'b'), order, 'd');
    expect([...down.ids].sort()).toEqual(['b', 'c', 'd']);
    const up = selectRange(toggle(EMPTY_SELECTION, 'd'), order, 'a');
    expect([...up.ids].sort()).toEqual(['a', 'b', 'c', 'd']);
    const kept = selectRange({ ids: new Set(['e']), anchor: 'a' }, order, 'b');
    expect([...kept.ids].sort()).toEqual(['a', 'b', 'e']);
  });

  it('a range with no anchor selects just the clicked row', () => {
    expect([...selectRange(EMPTY_SELECTION, order, 'c').ids]).toEqual(['c']);
    expect(selectRange(EMPTY_SELECTION, order, 'zz')).toBe(EMPTY_SELECTION);
  });

  it('selects all in view and prunes what left the view', () => {
    const all = selectAll(order);
    expect(all.ids.size).toBe(5);
    const pruned = prune(all, new Set(['b', 'c']));
    expect([...pruned.ids].sort()).toEqual(['b', 'c']);
    expect(pruned.anchor).toBeNull();
    expect(prune(pruned, new Set(order))).toBe(pruned);
  });

  it('moves focus to the next remaining row when the focused one leaves the list', () => {
    expect(nextFocus(order, ['a', 'b', 'd', 'e'], 'c')).toBe('d');
    expect(nextFocus(order, ['a', 'b', 'c', 'd'], 'e')).toBe('d');
    expect(nextFocus(order, order, 'c')).toBe('c');
    expect(nextFocus(order, [], 'c')).toBeNull();
    expect(nextFocus([], ['x', 'y'], null)).toBe('x');
  });
});
