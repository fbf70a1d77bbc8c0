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

/** Whole seconds from `now` until `until`, rounded up (a countdown shows "1 s" until it is over), never below 0. */
export function secondsLeft(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/**
 * Whole seconds left until `until` (null: nothing counts down, 0), re-rendered every
 * `everyMs` while it runs. Read from the clock at each render, never from a tick taken
 * before `until` was set: a countdown that has just appeared showed a stale tick's
 * arithmetic ("Undo (9 s)" for a 5 s window) until the next tick came.
 */
export function useSecondsLeft(until: number | null, everyMs = 250): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (until === null) return;
    const timer = setInterval(() => setTicks((n) => n + 1), everyMs);
    return () => clearInterval(timer);
  }, [until, everyMs]);
  return until === null ? 0 : secondsLeft(until, Date.now());
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
