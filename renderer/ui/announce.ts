import { create } from 'zustand';

/**
 * What the screen-reader live regions say. Polite for confirmations, assertive for
 * failures that need attention now.
 */
interface AnnounceState {
  polite: { text: string; n: number };
  assertive: { text: string; n: number };
}

export const useAnnouncements = create<AnnounceState>(() => ({
  polite: { text: '', n: 0 },
  assertive: { text: '', n: 0 },
}));

export function announce(text: string, politeness: 'polite' | 'assertive' = 'polite'): void {
  useAnnouncements.setState((s) => ({ [politeness]: { text, n: s[politeness].n + 1 } }));
}
