import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SIZE,
  debounce,
  readWindowState,
  restoreWindowState,
  writeWindowState,
} from '../../../electron/main/window-state';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('window size and position memory (pure module + real files, no Electron binary)', () => {
  it('reopens where the window was', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: true };
    expect(restoreWindowState(saved, [laptop, external])).toEqual({
      bounds: { x: 1600, y: 100, width: 1200, height: 800 },
      maximized: true,
    });
  });

  it('keeps the size but lets the OS place it when its screen is gone', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: false };
    expect(restoreWindowState(saved, [laptop])).toEqual({ bounds: { width: 1200, height: 800 }, maximized: false });
  });

  it('never opens larger than the largest screen', () => {
    const saved = { bounds: { x: 0, y: 0, width: 5000, height: 3000 }, maximized: false };
    expect(restoreWindowState(saved, [laptop]).bounds).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
  });

  it('falls back to the default size for missing or damaged state', () => {
    for (const saved of [null, 'junk', { bounds: { x: 0 } }, { bounds: { x: 0, y: 0, width: -5, height: 10 } }]) {
      expect(restoreWindowState(saved, [laptop])).toEqual({ bounds: { ...DEFAULT_SIZE }, maximized: false });
    }
  });

  it('writes state atomically and reads it back; unreadable files read as nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'window-state-'));
    try {
      const file = join(dir, 'nested', 'window-state.json');
      expect(readWindowState(file)).toBeNull();
      const state = { bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: false };
      writeWindowState(file, state);
      expect(readWindowState(file)).toEqual(state);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('saves once after a burst of moves, and flushes on close', () => {
    vi.useFakeTimers();
    try {
      const save = vi.fn();
      const saver = debounce(save, 500);
      for (let i = 0; i < 20; i++) saver.schedule();
      expect(save).not.toHaveBeenCalled();
      vi.advanceTimersByTime(500);
      expect(save).toHaveBeenCalledTimes(1);
      saver.schedule();
      saver.flush();
      expect(save).toHaveBeenCalledTimes(2);
      saver.flush();
      expect(save).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
