/**
 * Multi-selection over an ordered list of ids: single toggles, ranges from an anchor
 * (Shift+click, Shift+J/K) and all in view. Pure, so the rules are unit-tested.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  anchor: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export function toggle(selection: Selection, id: string): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/** Selects every id between the anchor and `id` (inclusive), keeping what was selected. */
export function selectRange(selection: Selection, order: readonly string[], id: string): Selection {
  const to = order.indexOf(id);
  if (to < 0) return selection;
  const anchorAt = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  const from = anchorAt < 0 ? to : anchorAt;
  const ids = new Set(selection.ids);
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  for (let i = lo; i <= hi; i++) {
    const at = order[i];
    if (at !== undefined) ids.add(at);
  }
  return { ids, anchor: selection.anchor ?? id };
}

export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order[0] ?? null };
}

/** Drops ids no longer in view (decided, archived, filtered away). */
export function prune(selection: Selection, visible: ReadonlySet<string>): Selection {
  let changed = false;
  const ids = new Set<string>();
  for (const id of selection.ids) {
    if (visible.has(id)) ids.add(id);
    else changed = true;
  }
  return changed
    ? { ids, anchor: selection.anchor && visible.has(selection.anchor) ? selection.anchor : null }
    : selection;
}

/**
 * Where focus goes when the focused row leaves the list after an action: the row that
 * took its place, or the new last row. Never nowhere while rows remain.
 */
export function nextFocus(
  previousOrder: readonly string[],
  nextOrder: readonly string[],
  focused: string | null,
): string | null {
  if (nextOrder.length === 0) return null;
  if (focused !== null && nextOrder.includes(focused)) return focused;
  const at = focused === null ? 0 : Math.max(0, previousOrder.indexOf(focused));
  for (let i = at; i < previousOrder.length; i++) {
    const candidate = previousOrder[i];
    if (candidate !== undefined && nextOrder.includes(candidate)) return candidate;
  }
  return nextOrder[Math.min(at, nextOrder.length - 1)] ?? null;
}
