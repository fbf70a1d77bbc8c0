import { INBOX_VIEWS, type InboxView } from '../../shared/contract';
import type { SearchFilters } from './ui';

/**
 * The rail's list order — views, then labels, then saved searches — as one ring that
 * `]` and `[` step through, so every place in the rail is a key away.
 */
/** The views in the contract's order; `label` is not a place of its own (each label is). */
export const VIEW_ORDER: readonly InboxView[] = INBOX_VIEWS.filter((view) => view !== 'label');

export type RailEntry =
  | { kind: 'view'; view: InboxView }
  | { kind: 'label'; label: string }
  | { kind: 'saved'; id: string; filters: SearchFilters };

export function railEntries(labels: readonly string[], saved: readonly { id: string; filters: SearchFilters }[]) {
  return [
    ...VIEW_ORDER.map((view): RailEntry => ({ kind: 'view', view })),
    ...labels.map((label): RailEntry => ({ kind: 'label', label })),
    ...saved.map((s): RailEntry => ({ kind: 'saved', id: s.id, filters: s.filters })),
  ];
}

/** Where the person is in the ring: a view, a label, or a saved search whose filters are shown. */
export function currentIndex(
  entries: readonly RailEntry[],
  shown: { view: InboxView; label: string | null; searching: boolean; filters: SearchFilters },
): number {
  return entries.findIndex((e) => {
    if (shown.searching) return e.kind === 'saved' && JSON.stringify(e.filters) === JSON.stringify(shown.filters);
    if (e.kind === 'view') return shown.view === e.view && shown.view !== 'label';
    if (e.kind === 'label') return shown.view === 'label' && shown.label === e.label;
    return false;
  });
}

/** The entry `delta` steps away, wrapping at both ends; from nowhere, the first or last. */
export function step(entries: readonly RailEntry[], from: number, delta: 1 | -1): RailEntry | null {
  if (entries.length === 0) return null;
  if (from < 0) return (delta > 0 ? entries[0] : entries[entries.length - 1]) ?? null;
  return entries[(from + delta + entries.length) % entries.length] ?? null;
}
