import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { platformNow } from '../data/clock';

/** The current time, refreshed every `everyMs`: deadlines tick without re-rendering per frame. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const TICK_MS = 1_000;

/**
 * One second clock for the whole page, running only while something reads it: every
 * countdown on screen ticks from the same interval, and a reader re-renders only when what
 * it shows changes (usePlatformClock), not on every tick.
 */
const secondClock = (() => {
  const listeners = new Set<() => void>();
  let timer: ReturnType<typeof setInterval> | null = null;
  let current = Date.now();
  const tick = () => {
    current = Date.now();
    for (const listener of listeners) listener();
  };
  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      if (timer === null) {
        current = Date.now();
        timer = setInterval(tick, TICK_MS);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    /** The time of the last tick while the clock runs (one value per tick for every reader). */
    now(): number {
      return timer === null ? Date.now() : current;
    },
  };
})();

/**
 * What a component shows of the platform's time (device clock + measured offset), checked
 * every second: `view` maps the time to what is drawn ("5h 12m", "missed", an urgency), and
 * the component re-renders only when that differs (`same`) from what it drew — so a list of
 * countdowns re-renders the rows whose text changes, about one a minute each, not every row
 * every second. A deadline that passes still flips its text within the second.
 */
export function usePlatformClock<T>(view: (now: number) => T, same: (a: T, b: T) => boolean = Object.is): T {
  const shown = useRef<{ value: T } | null>(null);
  const snapshot = (): T => {
    const next = view(platformNow(secondClock.now()));
    const last = shown.current;
    if (last && same(last.value, next)) return last.value;
    shown.current = { value: next };
    return next;
  };
  return useSyncExternalStore(secondClock.subscribe, snapshot);
}

const identity = (now: number) => now;

/**
 * The platform's time, refreshed every second, for views whose every part follows it (the
 * pending-actions list): prefer usePlatformClock with a view of what is drawn.
 */
export function usePlatformNow(): number {
  return usePlatformClock(identity);
}
