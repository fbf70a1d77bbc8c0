import { create } from 'zustand';

/**
 * A short visible line saying what just happened or why nothing happened ("Starred",
 * "Accept was not done: …"). Refusals are shown at once and read out as alerts; the screen
 * reader hears the same element, so nothing is said twice.
 */
export interface FlashEntry {
  text: string;
  tone: 'refused' | 'done';
  /** Bumps on every new line so the same text shown twice is announced twice. */
  n: number;
  /** When it goes away; `keepFlash` pushes this on without announcing again. */
  until: number;
}

/** Long enough to read a sentence, short enough not to linger. */
const SHOW_MS = { refused: 8_000, done: 4_000 } as const;

interface FlashState {
  current: FlashEntry | null;
}

export const useFlash = create<FlashState>(() => ({ current: null }));

export function flash(text: string, tone: FlashEntry['tone']): void {
  useFlash.setState((s) => ({
    current: { text, tone, n: (s.current?.n ?? 0) + 1, until: Date.now() + SHOW_MS[tone] },
  }));
}

/** Keeps the current line up while what caused it goes on (keys still being typed). */
export function keepFlash(): void {
  const current = useFlash.getState().current;
  if (current) useFlash.setState({ current: { ...current, until: Date.now() + SHOW_MS[current.tone] } });
}

export function clearFlash(): void {
  useFlash.setState({ current: null });
}
