import { describe, expect, it } from 'vitest';
import { keys, prefixesFor } from '../../../renderer/data/keys';
import { applyToRow } from '../../../renderer/data/optimistic';
import { activeFilterCount, searchInputFrom } from '../../../renderer/data/searchInput';
import { EMPTY_FILTERS } from '../../../renderer/state/ui';
import type { InboxRow } from '../../../shared/contract';
import { HOUR_MS } from '../../../shared/message';

const row: InboxRow = {
  id: 'm1',
  inboxId: 'i1',
  fanId: 'f1',
  fanName: 'Fan',
  preview: 'hello',
  price: { minor: 2500, currency: 'USD' },
  status: 'pending',
  paidAt: 0,
  deadline: 10 * HOUR_MS,
  free: false,
  read: false,
  starred: false,
  archived: false,
  labels: ['vip'],
  snoozedUntil: null,
  assigneeId: null,
  pendingDecision: null,
  decidedBy: null,
  localState: 'synced',
};

describe('query invalidation from entities.changed', () => {
  it('a message change refreshes lists, counts, search and just the named threads', () => {
    const prefixes = prefixesFor('acc', ['message'], ['m1']);
    expect(prefixes).toContainEqual(['inbox', 'acc']);
    expect(prefixes).toContainEqual(['counts', 'acc']);
    expect(prefixes).toContainEqual(['search', 'acc']);
    expect(prefixes).toContainEqual(['thread', 'acc', 'm1']);
    expect(prefixes).not.toContainEqual(['thread', 'acc']);
  });

  it('each prefix is a prefix of the matching query key, once', () => {
    const inboxKey = keys.inbox('acc', null, 'pending', null, 'deadline');
    const [prefix] = prefixesFor('acc', ['message', 'message']).filter((p) => p[0] === 'inbox');
    expect(prefix && inboxKey.slice(0, prefix.length)).toEqual(prefix);
    expect(prefixesFor('acc', ['message', 'message']).filter((p) => p[0] === 'inbox')).toHaveLength(1);
    // The outbox holds drafts written offline and approvals waiting: the Drafts screen re-reads.
    expect(prefixesFor('acc', ['outbox'])).toEqual([
      ['outbox', 'acc'],
      ['sync', 'acc'],
      ['drafts', 'acc'],
    ]);
    const draftsKey = keys.drafts('acc', 'inbox-1');
    expect(prefixesFor('acc', ['drafts'])).toEqual([draftsKey.slice(0, 2)]);
    expect(prefixesFor('acc', ['accounts'])).toEqual([['accounts']]);
  });
});

describe('optimistic row effects', () => {
  it('a queued accept shows as waiting, never as accepted', () => {
    const next = applyToRow(row, { kind: 'accept' });
    expect(next.status).toBe('pending');
    expect(next.pendingDecision).toBe('accept');
    expect(next.localState).toBe('queued');
  });

  it('triage patches merge field by field and labels as sets', () => {
    const next = applyToRow(row, {
      kind: 'triage',
      patch: { starred: true, labelsAdd: ['vip', 'later'], labelsRemove: [] },
    });
    expect(next.starred).toBe(true);
    expect(next.read).toBe(false);
    expect(next.labels.sort()).toEqual(['later', 'vip']);
    expect(applyToRow(next, { kind: 'triage', patch: { labelsRemove: ['vip'] } }).labels).toEqual(['later']);
    expect(applyToRow(row, { kind: 'triage', patch: { snoozedUntil: 5 } }).snoozedUntil).toBe(5);
  });
});

describe('search filters → search call', () => {
  it('passes only what is set, with amounts in minor units (Arabic digits too)', () => {
    expect(searchInputFrom('acc', null, { ...EMPTY_FILTERS, text: 'hi' })).toEqual({
      accountId: 'acc',
      inboxId: null,
      text: 'hi',
    });
    const input = searchInputFrom(
      'acc',
      'i1',
      {
        ...EMPTY_FILTERS,
        minAmount: '10.50',
        maxAmount: '٢٠',
        status: ['pending'],
        deadlineWithinHours: '6',
        label: ' vip ',
      },
      'USD',
      'ar',
    );
    expect(input).toMatchObject({
      minAmount: 1050,
      maxAmount: 2000,
      status: ['pending'],
      deadlineWithinMs: 6 * HOUR_MS,
      label: 'vip',
    });
  });

  it('drops amounts and dates that do not parse instead of guessing', () => {
    const input = searchInputFrom('acc', null, { ...EMPTY_FILTERS, minAmount: 'abc', from: '2026-13-45x' });
    expect(input.minAmount).toBeUndefined();
    expect(input.from).toBeUndefined();
    expect(activeFilterCount({ ...EMPTY_FILTERS, minAmount: 'abc', label: 'x' })).toBe(2);
  });

  it('a date range covers whole days', () => {
    const input = searchInputFrom('acc', null, { ...EMPTY_FILTERS, from: '2026-01-01', to: '2026-01-01' });
    expect((input.to ?? 0) - (input.from ?? 0)).toBe(24 * HOUR_MS - 1);
  });
});

describe('saved searches', () => {
  it('reads back what was saved and fills what an old entry lacks', async () => {
    const { parseSavedSearches } = await import('../../../renderer/state/savedSearches');
    const saved = parseSavedSearches(
      JSON.stringify([
        { id: '1', name: 'VIP pending', filters: { text: 'vip', status: ['pending', 'bogus'] } },
        { id: 2, name: 'broken' },
        'junk',
      ]),
    );
    expect(saved).toEqual([
      { id: '1', name: 'VIP pending', filters: { ...EMPTY_FILTERS, text: 'vip', status: ['pending'] } },
    ]);
    expect(parseSavedSearches('{not json')).toEqual([]);
    expect(parseSavedSearches(null)).toEqual([]);
  });
});

describe('undoing triage', () => {
  it('the inverse patch restores exactly the fields the patch touched', async () => {
    const { inversePatch } = await import('../../../renderer/data/optimistic');
    const starred = { ...row, starred: true, labels: ['vip', 'later'] };
    expect(inversePatch(starred, { archived: true })).toEqual({ archived: false });
    expect(inversePatch(starred, { starred: false, snoozedUntil: 99 })).toEqual({ starred: true, snoozedUntil: null });
    // Only labels that really changed come back.
    expect(inversePatch(starred, { labelsAdd: ['vip', 'new'], labelsRemove: ['later', 'absent'] })).toEqual({
      labelsRemove: ['new'],
      labelsAdd: ['later'],
    });
    const patched = applyToRow(starred, { kind: 'triage', patch: { archived: true, labelsAdd: ['new'] } });
    const back = applyToRow(patched, {
      kind: 'triage',
      patch: inversePatch(starred, { archived: true, labelsAdd: ['new'] }),
    });
    expect(back.archived).toBe(false);
    expect(back.labels.sort()).toEqual(['later', 'vip']);
  });
});
