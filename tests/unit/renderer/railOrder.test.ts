import { describe, expect, it } from 'vitest';
import { currentIndex, type RailEntry, railEntries, step } from '../../../renderer/state/railOrder';
import { EMPTY_FILTERS } from '../../../renderer/state/ui';
import { INBOX_VIEWS } from '../../../shared/contract';

const saved = [{ id: 's1', filters: { ...EMPTY_FILTERS, text: 'birthday' } }];
const entries = railEntries(['vip', 'travel'], saved);
const shown = (patch: Partial<Parameters<typeof currentIndex>[1]>) => ({
  view: 'pending' as const,
  label: null,
  searching: false,
  filters: EMPTY_FILTERS,
  ...patch,
});

describe('the rail as one ring for [ and ]', () => {
  it('puts views first, then labels, then saved searches', () => {
    // Views in the contract's order (INBOX_VIEWS), except `label`: each label is a place of its own.
    const views = INBOX_VIEWS.filter((view) => view !== 'label');
    expect(views[0]).toBe('pending');
    expect(entries.map((e) => (e.kind === 'view' ? e.view : e.kind === 'label' ? e.label : e.id))).toEqual([
      ...views,
      'vip',
      'travel',
      's1',
    ]);
  });

  it('finds where the person is: a view, a label or a saved search being shown', () => {
    expect(currentIndex(entries, shown({ view: 'accepted' }))).toBe(1);
    expect(currentIndex(entries, shown({ view: 'label', label: 'travel' }))).toBe(8);
    expect(currentIndex(entries, shown({ searching: true, filters: saved[0]?.filters }))).toBe(9);
    expect(currentIndex(entries, shown({ searching: true, filters: { ...EMPTY_FILTERS, text: 'other' } }))).toBe(-1);
  });

  it('steps forward and back, wrapping at both ends', () => {
    const at = (e: RailEntry | null) => (e ? entries.indexOf(e) : -1);
    expect(at(step(entries, 0, 1))).toBe(1);
    expect(at(step(entries, 0, -1))).toBe(9);
    expect(at(step(entries, 9, 1))).toBe(0);
    expect(at(step(entries, -1, 1))).toBe(0);
    expect(at(step(entries, -1, -1))).toBe(9);
    expect(step([], 0, 1)).toBeNull();
  });
});
