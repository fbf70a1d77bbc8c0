import { usePrefs } from './prefs';
import { useUi } from './ui';

/**
 * After a decision the focus moves on to the next message (as Superhuman does), so the
 * next key never lands on the message just decided; the person can choose to stay.
 * The list publishes its order here as it renders; nothing re-renders on it.
 */
let visibleOrder: readonly string[] = [];

export function publishVisibleOrder(order: readonly string[]): void {
  visibleOrder = order;
}

/** The id that follows `decided` in `order`, else the one before it; null when alone. */
export function nextAfter(order: readonly string[], decided: string): string | null {
  const at = order.indexOf(decided);
  if (at < 0) return null;
  return order[at + 1] ?? order[at - 1] ?? null;
}

/** Moves the focus off `decidedId` when the person wants that and it is still focused. */
export function advanceAfterDecision(decidedId: string): void {
  if (usePrefs.getState().afterDecision !== 'next') return;
  const ui = useUi.getState();
  if (ui.focusedId !== decidedId) return;
  const next = nextAfter(visibleOrder, decidedId);
  if (next) ui.set({ focusedId: next });
}
