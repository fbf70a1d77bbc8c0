import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

const Dimension = z.number().int().min(-100_000).max(100_000);
const SavedStateSchema = z.object({
  bounds: z.object({ x: Dimension, y: Dimension, width: Dimension.min(1), height: Dimension.min(1) }),
  maximized: z.boolean(),
});

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
/** At least this much of the window's title area must be on a screen for it to be grabbable. */
const MIN_VISIBLE = 64;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Where to open the window: where it was last time, unless that place is no longer on any
 * screen (a monitor was unplugged) — then the same size, centred by the OS. Sizes are
 * clamped to the largest work area so a window never opens bigger than the screen.
 */
export function restoreWindowState(
  saved: unknown,
  workAreas: readonly Rect[],
): { bounds: WindowBounds; maximized: boolean } {
  const parsed = SavedStateSchema.safeParse(saved);
  if (!parsed.success || workAreas.length === 0) return { bounds: { ...DEFAULT_SIZE }, maximized: false };
  const { bounds, maximized } = parsed.data;
  const maxWidth = Math.max(...workAreas.map((area) => area.width));
  const maxHeight = Math.max(...workAreas.map((area) => area.height));
  const size = { width: Math.min(bounds.width, maxWidth), height: Math.min(bounds.height, maxHeight) };
  const visible = workAreas.some((area) => {
    const shared = overlap({ ...bounds, ...size }, area);
    return shared.width >= MIN_VISIBLE && shared.height >= MIN_VISIBLE;
  });
  return { bounds: visible ? { x: bounds.x, y: bounds.y, ...size } : size, maximized };
}

export function readWindowState(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Write-then-rename, so a crash mid-write leaves the previous state, never half a file. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}

/** Saves at most once per `delayMs` while the window is being dragged or resized. */
export function debounce(action: () => void, delayMs: number, timers = { setTimeout, clearTimeout }) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    action();
  };
  return {
    schedule(): void {
      if (timer) timers.clearTimeout(timer);
      timer = timers.setTimeout(run, delayMs);
    },
    flush(): void {
      if (!timer) return;
      timers.clearTimeout(timer);
      run();
    },
  };
}
