import type { Command } from '../../state/keymap';

/**
 * The first-run key tour: four short steps, each naming the keys of a few commands (read
 * from the keymap, so the tour can never teach a key that does not work).
 */
export interface TourStep {
  id: 'move' | 'decide' | 'find' | 'go';
  commands: readonly Command[];
}

export const TOUR_STEPS: readonly TourStep[] = [
  { id: 'move', commands: ['next', 'previous', 'open'] },
  { id: 'decide', commands: ['accept', 'refund', 'undo'] },
  { id: 'find', commands: ['search', 'palette'] },
  { id: 'go', commands: ['goEarnings', 'nextView', 'shortcuts'] },
];

/** Where the tour is remembered on this device; any stored value means "seen". */
export const TOUR_STORAGE_KEY = 'creator-inbox.tour';

export function tourSeen(storage: Pick<Storage, 'getItem'> | null): boolean {
  try {
    return storage?.getItem(TOUR_STORAGE_KEY) != null;
  } catch {
    return false;
  }
}

export function rememberTourSeen(storage: Pick<Storage, 'setItem'> | null): void {
  try {
    storage?.setItem(TOUR_STORAGE_KEY, 'done');
  } catch {
    // Storage unavailable (private mode, quota): the tour is then skipped for this session only.
  }
}
